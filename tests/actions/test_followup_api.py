"""The follow-up API: list with filters, one row, record (201/200), PATCH, 409 on a stale version, 422 in
Swedish, who may write, and nothing beyond the reader's level."""

from __future__ import annotations

import datetime as dt

import pytest

from samverkan.actions.models import FollowUp, Rating
from samverkan.core.models import Level
from tests.actions.factories_followup import make_action, make_indicator, make_plan
from tests.api.conftest import api, validation_errors  # noqa: F401 (the fixture)
from tests.factories import OrganisationFactory, ParticipationFactory

TODAY = dt.date.today().isoformat()


@pytest.fixture
def action(world):
    plan = make_plan(world.a)
    made = make_action(plan, world.org_a, title="Trygghetsvandringar", level=Level.INTERN)
    make_indicator(made, name="Vandringar", baseline=2, target=12, direction="oka")
    return made


def test_list_and_detail_through_the_visibility_rule(world, api):  # noqa: F811
    path = f"/collaborations/{world.a.pk}/follow-ups"
    body = api("samordnare", "get", path).json()
    assert body["count"] == 3
    ledamot = api("ledamot", "get", path)
    assert ledamot.status_code == 200 and "KANARIE-A-BEGRANSAD" not in ledamot.content.decode()
    assert ledamot.json()["count"] == 2
    assert api("outsider", "get", path).status_code == 404
    assert api("anonymous", "get", path).status_code == 401
    begransad = world.cycle["A"]["levels"][Level.BEGRANSAD]["followup"]
    assert api("ledamot", "get", f"/follow-ups/{begransad.pk}").status_code == 404
    detail = api("samordnare", "get", f"/follow-ups/{begransad.pk}").json()
    assert detail["rating"] == "gul" and detail["values"][0]["value"] == "8.0000"
    action = world.cycle["A"]["levels"][Level.OPPEN]["action"]
    filtered = api(
        "samordnare", "get", f"{path}?action={action.pk}&date_from=2026-03-10&date_to=2026-03-10"
    ).json()
    assert [f["action"] for f in filtered["items"]] == [action.pk]
    assert api("samordnare", "get", f"{path}?date_from=2026-03-11").json()["count"] == 0
    assert api("samordnare", "get", f"{path}?date_from=9999-01-01").status_code == 422


def test_record_then_update_the_same_day(world, api, action):  # noqa: F811
    indicator = action.indicators.get()
    payload = {
        "followed_up_on": TODAY,
        "rating": "gul",
        "done": "Två vandringar",
        "values": [{"indicator": indicator.pk, "value": 2}],
        "version": 0,
    }
    created = api("ledamot", "post", f"/actions/{action.pk}/follow-ups", payload)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["level"] == "intern" and body["values"][0]["value"] == "2.0000"
    again = api(
        "samordnare",
        "post",
        f"/actions/{action.pk}/follow-ups",
        {**payload, "done": "Tre", "version": body["version"]},
    )
    assert again.status_code == 200 and again.json()["done"] == "Tre"
    patched = api(
        "samordnare",
        "patch",
        f"/follow-ups/{body['id']}",
        {"outcome": "Fler trygga", "version": again.json()["version"]},
    )
    assert (
        patched.status_code == 200
        and patched.json()["outcome"] == "Fler trygga"
        and patched.json()["done"] == "Tre"
    )
    assert FollowUp.objects.filter(action=action).count() == 1


def test_the_second_rater_gets_409_and_nothing_is_lost(world, api, action):  # noqa: F811
    payload = {"followed_up_on": TODAY, "rating": "gron", "done": "Samordnarens", "version": 0}
    assert api("samordnare", "post", f"/actions/{action.pk}/follow-ups", payload).status_code == 201
    second = api(
        "polis", "post", f"/actions/{action.pk}/follow-ups", {**payload, "rating": "rod", "done": "Polisens"}
    )
    assert second.status_code == 409
    fields = {c["field"]: c for c in second.json()["conflicts"]}
    assert fields["done"]["saved"] == "Samordnarens" and fields["done"]["sent"] == "Polisens"
    row = FollowUp.objects.get(action=action)
    assert (row.rating, row.done) == (Rating.GRON, "Samordnarens")
    stale = api("samordnare", "patch", f"/follow-ups/{row.pk}", {"done": "x", "version": 0})
    assert stale.status_code == 409


def test_bad_input_is_422_in_swedish_and_writes_nothing(world, api, action):  # noqa: F811
    url = f"/actions/{action.pk}/follow-ups"
    errors = validation_errors(api("samordnare", "post", url, {"followed_up_on": TODAY, "rating": "lila"}))
    assert errors["rating"] == "Välj röd, gul eller grön."
    api("samordnare", "post", url, {"followed_up_on": "2026-01-10", "rating": "rod"})
    errors = validation_errors(api("samordnare", "post", url, {"followed_up_on": TODAY, "rating": "gron"}))
    assert "Bedömningen ändras från röd till grön" in errors["reason"]
    foreign = world.cycle["B"]["levels"][Level.OPPEN]["indicator"]
    errors = validation_errors(
        api(
            "samordnare",
            "post",
            url,
            {"followed_up_on": TODAY, "rating": "rod", "values": [{"indicator": foreign.pk, "value": 1}]},
        )
    )
    assert errors["values"] == "Indikatorn hör inte till åtgärden."
    errors = validation_errors(
        api("samordnare", "post", url, {"followed_up_on": TODAY, "rating": "rod", "level": "oppen"})
    )
    assert "lägre sekretessnivå" in errors["level"]
    assert FollowUp.objects.filter(action=action).count() == 1
    assert api("samordnare", "post", url, [1, 2]).status_code == 422


def test_who_may_write(world, api, action):  # noqa: F811
    payload = {"followed_up_on": TODAY, "rating": "gul"}
    assert api("lasare", "post", f"/actions/{action.pk}/follow-ups", payload).status_code == 403
    police = OrganisationFactory(name="Polisen – test")
    ParticipationFactory(collaboration=world.a, organisation=police)
    theirs = make_action(action.plan, police, title="Trafikkontroll", level=Level.OPPEN)
    assert api("ledamot", "post", f"/actions/{theirs.pk}/follow-ups", payload).status_code == 403
    foreign = world.cycle["B"]["levels"][Level.OPPEN]["action"]
    assert api("samordnare", "post", f"/actions/{foreign.pk}/follow-ups", payload).status_code == 404
    begransad = world.cycle["A"]["levels"][Level.BEGRANSAD]["action"]
    assert api("ledamot", "post", f"/actions/{begransad.pk}/follow-ups", payload).status_code == 404
    row = world.cycle["A"]["levels"][Level.OPPEN]["followup"]
    assert api("lasare", "patch", f"/follow-ups/{row.pk}", {"done": "x"}).status_code == 403
    assert not FollowUp.objects.filter(action__in=[action, theirs]).exists()
    assert FollowUp.objects.filter(action=foreign).count() == 1  # the world's own, untouched
