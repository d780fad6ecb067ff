"""Issue 13's review: an action's indicator is conflict-safe (page and API), the API writes indicators for
the samordnare only, and an action's partners are resolved in one query."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverkan.actions.models import ActionIndicator
from samverkan.actions.services.indicators import action_indicator_save
from samverkan.core.conflicts import EditConflict
from samverkan.core.models import AuditEntry, Level, Participation
from tests.actions.factories import api_fixture  # noqa: F401 (the fixture "api")
from tests.api.conftest import validation_errors
from tests.factories import OrganisationFactory
from tests.forms import page_form, posted

pytestmark = pytest.mark.django_db


def _row(world, level=Level.INTERN) -> ActionIndicator:
    return world.cycle["A"]["levels"][level]["indicator"]


def _manual(world, level=Level.INTERN) -> ActionIndicator:
    """A hand-entered indicator of the action at ``level``, with a baseline and a target."""
    return action_indicator_save(
        action=world.cycle["A"]["levels"][level]["action"],
        name="Anmälda skadegörelsebrott",
        baseline=Decimal(40),
        target=Decimal(20),
        direction="minska",
        acting_user=world.users["samordnare"],
    )


# --- Item 1: version and conflict ------------------------------------------------------------------------


def test_two_writers_on_one_indicator_the_second_is_told_and_nothing_is_lost(world, samordnare2):
    row = _manual(world)
    version = row.version
    stale = ActionIndicator.objects.get(pk=row.pk)
    action_indicator_save(
        action=row.action,
        row=row,
        name=row.name,
        baseline=Decimal(40),
        target=Decimal(15),
        direction="minska",
        version=version,
        acting_user=world.users["samordnare"],
    )
    with pytest.raises(EditConflict) as conflict:
        action_indicator_save(
            action=stale.action,
            row=stale,
            name=stale.name,
            baseline=Decimal(45),
            target=Decimal(20),
            direction="minska",
            version=version,
            acting_user=samordnare2,
        )
    fields = {f.name for f in conflict.value.fields}
    assert {"baseline", "target"} <= fields and "target_line" not in fields
    saved = ActionIndicator.objects.get(pk=row.pk)
    assert (saved.baseline, saved.target, saved.version) == (Decimal(40), Decimal(15), version + 1)


def test_indicator_page_conflict_is_409_with_both_values(world, samordnare2):
    row = _manual(world)
    url = reverse(
        "actions:indicator_edit",
        kwargs={"collaboration_id": world.a.pk, "action_id": row.action_id, "indicator_row_id": row.pk},
    )
    first, second = world.client("samordnare"), world.client("samordnare2")
    form_first, form_second = page_form(first, url), page_form(second, url)
    assert form_first["version"].value() == row.version
    assert first.post(url, posted(form_first, target="12")).status_code == 302
    response = second.post(url, posted(form_second, target="18"))
    assert response.status_code == 409
    text = response.content.decode()
    assert "12" in text and "18" in text and "Någon annan har sparat" in text
    assert ActionIndicator.objects.get(pk=row.pk).target == Decimal(12)
    # The second writer saves knowingly from the version the conflict put in the form.
    again = second.post(url, posted(response.context["form"], target="18"))
    assert again.status_code == 302
    assert ActionIndicator.objects.get(pk=row.pk).target == Decimal(18)


def test_removing_a_changed_indicator_from_a_stale_page_removes_nothing(world):
    row = _manual(world)
    url = reverse(
        "actions:indicator_edit",
        kwargs={"collaboration_id": world.a.pk, "action_id": row.action_id, "indicator_row_id": row.pk},
    )
    client = world.client("samordnare")
    response = client.post(url, {"delete": "1", "version": row.version + 3})
    assert response.status_code == 302 and ActionIndicator.objects.filter(pk=row.pk).exists()
    assert client.post(url, {"delete": "1", "version": row.version}).status_code == 302
    assert not ActionIndicator.objects.filter(pk=row.pk).exists()


# --- Item 10: indicator writes through the API -------------------------------------------------------


def _path(row: ActionIndicator) -> str:
    return f"/actions/{row.action_id}/indicators/{row.pk}"


def test_api_reads_an_actions_indicators_as_the_role_may(api, world):
    begransad = _row(world, Level.BEGRANSAD)
    listed = api("polis", "get", f"/actions/{begransad.action_id}/indicators").json()
    assert listed["count"] == 1 and listed["items"][0]["version"] == begransad.version
    assert api("ledamot", "get", f"/actions/{begransad.action_id}/indicators").status_code == 404
    assert api("ledamot", "get", _path(begransad)).status_code == 404
    assert api("outsider", "get", _path(_row(world))).status_code == 404
    detail = api("samordnare", "get", f"/actions/{begransad.action_id}").json()
    assert detail["indicators"][0]["version"] == begransad.version


def test_api_samordnare_adds_changes_and_removes_an_indicator_others_may_not(api, world):
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    body = {"name": "Trygghetsindex", "baseline": 3.1, "target": 4, "direction": "oka"}
    path = f"/actions/{action.pk}/indicators"
    for persona in ("polis", "ledamot", "lasare"):
        assert api(persona, "post", path, body).status_code == 403
    assert api("outsider", "post", path, body).status_code == 404
    created = api("samordnare", "post", path, body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["level"] == action.level and data["version"] == 1 and Decimal(str(data["target"])) == 4
    row = ActionIndicator.objects.get(pk=data["id"])
    assert api("ledamot", "patch", _path(row), {"target": 5}).status_code == 403
    changed = api("samordnare", "patch", _path(row), {"target": 5, "version": 1})
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2 and Decimal(str(changed.json()["target"])) == 5
    assert api("ledamot", "delete", _path(row)).status_code == 403
    assert api("samordnare", "delete", _path(row) + "?version=1").status_code == 409
    assert api("samordnare", "delete", _path(row) + "?version=2").status_code == 204
    assert not ActionIndicator.objects.filter(pk=row.pk).exists()
    assert AuditEntry.objects.filter(
        target_id=str(row.pk), target_type__icontains="indicator", action=AuditEntry.Action.DELETE
    ).exists()


def test_api_stale_indicator_patch_is_a_409_with_both_values(api, world, samordnare2):
    row = _manual(world)
    version = api("samordnare", "get", _path(row)).json()["version"]
    first = api("samordnare", "patch", _path(row), {"target": 12, "version": version})
    assert first.status_code == 200
    second = api("samordnare2", "patch", _path(row), {"target": 18, "version": version})
    assert second.status_code == 409
    body = second.json()
    assert body["current_version"] == version + 1 and "detail" in body
    target = next(c for c in body["conflicts"] if c["field"] == "target")
    assert Decimal(str(target["saved"])) == 12 and Decimal(str(target["sent"])) == 18
    assert ActionIndicator.objects.get(pk=row.pk).target == Decimal(12)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "target": 5}, "direction"),
        ({"name": "x", "target": 5, "direction": "minska"}, "baseline"),
        ({"name": "x", "source": "statistik", "indicator": "finns.inte", "kommun": "2418"}, "indicator"),
        ({"name": "x", "source": "statistik", "kommun": "9999"}, "kommun"),
        ({"name": ""}, "name"),
    ],
)
def test_api_bad_indicator_is_a_422_naming_the_field_and_nothing_is_written(api, world, body, field):
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    before = ActionIndicator.objects.count()
    response = api("samordnare", "post", f"/actions/{action.pk}/indicators", body)
    assert field in validation_errors(response), response.content
    assert ActionIndicator.objects.count() == before


# --- Item 3: partners in one query ---------------------------------------------------------------------


def test_api_resolves_an_actions_partners_in_one_query(api, world):
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    partners = [OrganisationFactory() for _ in range(6)]
    for org in partners:
        Participation.objects.create(collaboration=world.a, organisation=org)
    api("samordnare", "get", f"/actions/{action.pk}")  # the token is made outside the count

    def queries(ids):
        with CaptureQueriesContext(connection) as captured:
            response = api("samordnare", "patch", f"/actions/{action.pk}", {"partners": ids})
        assert response.status_code == 200, response.content
        return len(captured.captured_queries)

    two, six = queries([p.pk for p in partners[:2]]), queries([p.pk for p in partners])
    assert six == two, f"{two} queries for two partners, {six} for six"
    assert set(action.partners.values_list("pk", flat=True)) == {p.pk for p in partners}
    foreign = OrganisationFactory()
    response = api("samordnare", "patch", f"/actions/{action.pk}", {"partners": [partners[0].pk, foreign.pk]})
    assert "partners" in validation_errors(response)


def test_api_adds_a_statistics_indicator_by_its_code_and_draws_its_target_line(api, world):
    from tests.indicators.factories import DataPointFactory, IndicatorFactory

    indicator = IndicatorFactory(code="bra.anmalda.skadegorelsebrott.per.manad", name="Skadegörelse")
    DataPointFactory(indicator=indicator)  # Malå, one of A's kommuner
    action = world.cycle["A"]["levels"][Level.OPPEN]["action"]
    body = {
        "source": "statistik",
        "indicator": indicator.code,
        "kommun": "2418",
        "baseline": 14,
        "target": 9,
        "direction": "minska",
    }
    response = api("samordnare", "post", f"/actions/{action.pk}/indicators", body)
    assert response.status_code == 201, response.content
    assert response.json()["indicator"] == indicator.code and response.json()["name"] == "Skadegörelse"
    row = ActionIndicator.objects.get(pk=response.json()["id"])
    assert row.target_line is not None and row.target_line.value == Decimal(9)
    cleared = api("samordnare", "patch", _path(row), {"target": None, "version": row.version})
    assert cleared.status_code == 200, cleared.content
    row.refresh_from_db()
    assert row.target is None and row.target_line is None
