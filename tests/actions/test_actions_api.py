"""The /actions API: reads through the one visibility rule, writes by the samordnare, bad input as 422s in
Swedish with nothing written, and 409 for a stale version."""

from __future__ import annotations

import pytest

from samverkan.actions.models import Action
from samverkan.core.models import Level
from tests.actions.factories import api_fixture, make_cause  # noqa: F401 (the fixture "api")
from tests.api.conftest import validation_errors

pytestmark = pytest.mark.django_db


def _body(world, **changes):
    return {
        "plan": world.cycle["A"]["plan"].pk,
        "title": "Trygghetsvandring",
        "responsible": world.org_a.pk,
        "causes": [world.cycle["A"]["levels"][Level.OPPEN]["cause"].pk],
        "level": "intern",
        **changes,
    }


def test_list_shows_what_the_role_may_read(api, world):
    path = f"/collaborations/{world.a.pk}/actions"
    polis = api("polis", "get", path).json()
    assert polis["count"] == 3
    ledamot = api("ledamot", "get", path).json()
    titles = [item["title"] for item in ledamot["items"]]
    assert ledamot["count"] == 2 and not any("BEGRANSAD" in t for t in titles)
    assert api("outsider", "get", path).status_code == 404
    begransad = world.cycle["A"]["levels"][Level.BEGRANSAD]["action"]
    assert api("ledamot", "get", f"/actions/{begransad.pk}").status_code == 404
    detail = api("polis", "get", f"/actions/{begransad.pk}").json()
    assert detail["number"] == begransad.number and detail["indicators"][0]["name"].startswith(
        "KANARIE-A-BEGRANSAD"
    )


def test_an_action_never_names_a_cause_the_reader_may_not_read(api, world):
    action = world.cycle["A"]["levels"][Level.OPPEN]["action"]
    secret = world.cycle["A"]["levels"][Level.BEGRANSAD]["cause"]
    action.causes.add(secret)
    assert secret.pk in api("polis", "get", f"/actions/{action.pk}").json()["causes"]
    assert secret.pk not in api("lasare", "get", f"/actions/{action.pk}").json()["causes"]


def test_samordnare_creates_and_others_may_not(api, world):
    path = f"/collaborations/{world.a.pk}/actions"
    response = api("samordnare", "post", path, _body(world))
    assert response.status_code == 201, response.content
    assert response.json()["number"] == 4
    for persona in ("polis", "ledamot", "lasare"):
        assert api(persona, "post", path, _body(world, title=persona)).status_code == 403
    assert api("outsider", "post", path, _body(world, title="x")).status_code == 404
    assert not Action.objects.filter(title__in=["polis", "ledamot", "lasare", "x"]).exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"responsible": None}, "responsible", "ansvarar"),
        ({"start_date": "2025-06-01", "end_date": "2025-05-01"}, "end_date", "före startdatum"),
        ({"planned_hours": -1}, "planned_hours", "noll eller mer"),
        ({"planned_hours": 10**7}, "planned_hours", "Högst"),
        ({"planned_cost": 10**12}, "planned_cost", "Högst"),
        ({"causes": [], "no_analysis_reason": ""}, "causes", "minst en orsak"),
    ],
)
def test_bad_input_is_a_422_in_swedish_and_nothing_is_written(api, world, changes, field, words):
    before = Action.objects.count()
    response = api("samordnare", "post", f"/collaborations/{world.a.pk}/actions", _body(world, **changes))
    errors = validation_errors(response)
    assert field in errors and words in errors[field], errors
    assert Action.objects.count() == before


def test_a_cause_of_another_collaboration_is_a_422(api, world):
    foreign = world.cycle["B"]["levels"][Level.OPPEN]["cause"]
    response = api(
        "samordnare", "post", f"/collaborations/{world.a.pk}/actions", _body(world, causes=[foreign.pk])
    )
    assert "causes" in validation_errors(response)
    plan_b = world.cycle["B"]["plan"]
    response = api(
        "samordnare", "post", f"/collaborations/{world.a.pk}/actions", _body(world, plan=plan_b.pk)
    )
    assert response.status_code in (404, 422)
    assert not Action.objects.filter(title="Trygghetsvandring").exists()


def test_patch_with_a_stale_version_is_a_409_and_keeps_the_first(api, world, samordnare2):
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    version = api("samordnare", "get", f"/actions/{action.pk}").json()["version"]
    first = api("samordnare", "patch", f"/actions/{action.pk}", {"title": "Första", "version": version})
    assert first.status_code == 200 and first.json()["version"] == version + 1
    second = api("samordnare2", "patch", f"/actions/{action.pk}", {"title": "Andra", "version": version})
    assert second.status_code == 409
    assert second.json()["current_version"] == version + 1
    assert Action.objects.get(pk=action.pk).title == "Första"


def test_patch_keeps_unread_causes_and_refuses_an_empty_responsible(api, world):
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    police_only = make_cause(world.a, level=Level.BEGRANSAD, restricted_to="polis")
    action.causes.add(police_only)
    visible = make_cause(world.a, text="Synlig orsak")
    response = api("samordnare", "patch", f"/actions/{action.pk}", {"causes": [visible.pk]})
    assert response.status_code == 200, response.content
    assert set(Action.objects.get(pk=action.pk).causes.all()) == {visible, police_only}
    response = api("samordnare", "patch", f"/actions/{action.pk}", {"responsible": None})
    assert "responsible" in validation_errors(response)
    assert api("ledamot", "patch", f"/actions/{action.pk}", {"title": "x"}).status_code == 403


def test_patch_keeps_unread_problems(api, world):
    from samverkan.analysis.models import Problem

    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    police_only = Problem.objects.create(
        collaboration=world.a, level=Level.BEGRANSAD, restricted_to="polis", title="Bara polisen"
    )
    action.problems.add(police_only)
    visible = world.cycle["A"]["levels"][Level.OPPEN]["problem"]
    response = api("samordnare", "patch", f"/actions/{action.pk}", {"problems": [visible.pk]})
    assert response.status_code == 200, response.content
    assert police_only in Action.objects.get(pk=action.pk).problems.all()


def test_delete_with_version(api, world):
    action = world.cycle["A"]["levels"][Level.OPPEN]["action"]
    stale = api("samordnare", "delete", f"/actions/{action.pk}?version={action.version + 5}")
    assert stale.status_code == 409
    assert api("ledamot", "delete", f"/actions/{action.pk}").status_code == 403
    assert api("samordnare", "delete", f"/actions/{action.pk}?version={action.version}").status_code == 204
    assert not Action.objects.filter(pk=action.pk).exists()


def test_begransad_rows_shown_in_a_list_are_logged(api, world):
    from tests.audit import logged_reads

    action = world.cycle["A"]["levels"][Level.OPPEN]["action"]
    secret = world.cycle["A"]["levels"][Level.BEGRANSAD]["cause"]
    action.causes.add(secret)
    api("polis", "get", f"/collaborations/{world.a.pk}/actions")
    logged = logged_reads(world.users["polis"])
    assert ("analysis.cause", str(secret.pk)) in logged, logged
    assert ("actions.action", str(world.cycle["A"]["levels"][Level.BEGRANSAD]["action"].pk)) in logged
