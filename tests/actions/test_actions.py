"""Actions: every field, the rules that tie them to causes, bounds, numbering, pages, conflicts, SMART."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samverkan.actions.models import Action
from samverkan.actions.selectors.actions import smart_hints
from samverkan.actions.services.actions import action_delete, action_save
from samverkan.core.conflicts import EditConflict
from samverkan.core.models import Level
from tests.actions.factories import make_cause, make_plan
from tests.factories import OrganisationFactory
from tests.forms import page_form, posted

pytestmark = pytest.mark.django_db


def _save(world, plan=None, **fields):
    values = {
        "plan": plan or world.cycle["A"]["plan"],
        "title": "Belysning i gångtunneln",
        "responsible": world.org_a,
        "no_analysis_reason": "Analysen görs i vår.",
        "acting_user": world.users["samordnare"],
        **fields,
    }
    return action_save(**values)


def test_an_action_with_every_field(world):
    cause = make_cause(world.a)
    partner = OrganisationFactory(name="Fastighetsbolaget")
    world.a.participations.create(organisation=partner)
    action = _save(
        world,
        description="Byt armaturer",
        kind=Action.Kind.SITUATIONELL,
        horizon=Action.Horizon.LANG,
        causes=[cause],
        no_analysis_reason="",
        partners=[partner],
        start_date=dt.date(2025, 3, 1),
        end_date=dt.date(2025, 9, 30),
        expected_effect="Färre skadegörelsebrott",
        planned_hours=Decimal("40.5"),
        planned_cost=Decimal("25000"),
        status=Action.Status.PAGAR,
        level=Level.OPPEN,
    )
    action.refresh_from_db()
    assert action.number == 4  # the test world's plan has actions 1–3
    assert list(action.causes.all()) == [cause]
    assert list(action.problems.all()) == [cause.problem]  # the cause's problem comes along
    assert list(action.partners.all()) == [partner]
    assert action.planned_hours == Decimal("40.5") and action.level == Level.OPPEN


def test_numbers_are_per_plan_and_never_renumbered(world):
    plan = make_plan(world.a)
    first, second, third = (_save(world, plan, title=f"Åtgärd {n}") for n in range(3))
    assert [first.number, second.number, third.number] == [1, 2, 3]
    action_delete(action=second, acting_user=world.users["samordnare"])
    third.refresh_from_db()
    assert third.number == 3
    assert _save(world, plan, title="Ny").number == 4


BAD_INPUT = [
    ({"responsible": None}, "responsible", "ansvarar"),
    ({"start_date": dt.date(2025, 6, 1), "end_date": dt.date(2025, 5, 1)}, "end_date", "före startdatum"),
    ({"planned_hours": Decimal("-1")}, "planned_hours", "noll eller mer"),
    ({"planned_hours": Decimal("1000000")}, "planned_hours", "Högst"),
    ({"planned_cost": Decimal("-5")}, "planned_cost", "noll eller mer"),
    ({"planned_cost": Decimal("99999999999")}, "planned_cost", "Högst"),
    ({"no_analysis_reason": "  "}, "causes", "minst en orsak"),
    ({"title": "Ring 070-123 45 67", "level": Level.OPPEN}, "title", ""),
]


@pytest.mark.parametrize(("changes", "field", "words"), BAD_INPUT)
def test_bad_input_is_refused_in_swedish_and_nothing_is_written(world, changes, field, words):
    before = Action.objects.count()
    with pytest.raises(ValidationError) as error:
        _save(world, **changes)
    messages = error.value.message_dict
    assert field in messages, messages
    assert words in " ".join(messages[field])
    assert Action.objects.count() == before


def test_a_cause_or_problem_of_another_collaboration_is_refused(world):
    foreign_cause = world.cycle["B"]["levels"][Level.OPPEN]["cause"]
    with pytest.raises(ValidationError) as error:
        _save(world, causes=[foreign_cause], no_analysis_reason="")
    assert "annan samverkan" in " ".join(error.value.message_dict["causes"])
    foreign_problem = world.cycle["B"]["levels"][Level.OPPEN]["problem"]
    with pytest.raises(ValidationError) as error:
        _save(world, problems=[foreign_problem])
    assert "problems" in error.value.message_dict


def test_responsible_and_partners_must_take_part(world):
    outside = OrganisationFactory(name="Utanför AB")
    with pytest.raises(ValidationError) as error:
        _save(world, responsible=outside)
    assert "inte aktör" in " ".join(error.value.message_dict["responsible"])
    with pytest.raises(ValidationError) as error:
        _save(world, partners=[outside])
    assert "partners" in error.value.message_dict
    with pytest.raises(ValidationError):
        _save(world, responsible=world.org_b)


@pytest.mark.parametrize("persona", ["polis", "ledamot", "lasare"])
def test_only_the_samordnare_writes_actions(world, persona):
    with pytest.raises(PermissionDenied):
        _save(world, acting_user=world.users[persona])


def test_two_writers_on_one_action_the_second_is_told(world, samordnare2):
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    version = action.version
    _save(world, action=action, title="Första", version=version)
    stale = Action.objects.get(pk=action.pk)
    with pytest.raises(EditConflict) as conflict:
        _save(world, action=stale, title="Andra", version=version, acting_user=samordnare2)
    assert {f.name for f in conflict.value.fields} >= {"title"}
    assert Action.objects.get(pk=action.pk).title == "Första"


def _action_url(world, name, **kwargs):
    return reverse(f"actions:{name}", kwargs={"collaboration_id": world.a.pk, **kwargs})


def test_action_form_creates_and_refuses_with_messages(world):
    plan = world.cycle["A"]["plan"]
    cause = make_cause(world.a, text="Ingen vuxen ute på kvällarna")
    client = world.client("samordnare")
    url = _action_url(world, "action_create", plan_id=plan.pk)
    page = client.get(url).content.decode()
    assert "Ingen vuxen ute på kvällarna" in page and "SMART" in page
    bad = client.post(
        url,
        {
            "title": "Nattvandring",
            "level": "intern",
            "kind": "social",
            "horizon": "kort",
            "status": "planerad",
        },
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "Ange vilken organisation som ansvarar för åtgärden." in text
    assert not Action.objects.filter(title="Nattvandring").exists()
    bad = client.post(
        url,
        {
            "title": "Nattvandring",
            "level": "intern",
            "kind": "social",
            "horizon": "kort",
            "status": "planerad",
            "responsible": world.org_a.pk,
            "start_date": "2025-05-01",
            "end_date": "2025-04-01",
        },
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert (
        "Koppla åtgärden till minst en orsak" in text and "Slutdatum kan inte vara före startdatum." in text
    )
    for hours in ("-3", "100001", "1e9", "NaN"):
        data = {"title": "Nattvandring", "level": "intern", "kind": "social", "horizon": "kort"}
        bad = client.post(
            url, {**data, "status": "planerad", "responsible": world.org_a.pk, "planned_hours": hours}
        )
        assert bad.status_code == 200 and "field--error" in bad.content.decode(), hours
    assert not Action.objects.filter(title="Nattvandring").exists()
    good = client.post(
        url,
        {
            "title": "Nattvandring",
            "level": "intern",
            "kind": "social",
            "horizon": "kort",
            "status": "planerad",
            "responsible": world.org_a.pk,
            "causes": [cause.pk],
        },
    )
    assert good.status_code == 302
    action = Action.objects.get(title="Nattvandring")
    detail = client.get(good["Location"]).content.decode()
    assert "Ingen vuxen ute på kvällarna" in detail and "ingen indikator" in detail
    assert list(action.causes.all()) == [cause]


def test_action_page_conflict_is_409(world, samordnare2):
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    url = _action_url(world, "action_edit", action_id=action.pk)
    first, second = world.client("samordnare"), world.client("samordnare2")
    form_first, form_second = page_form(first, url), page_form(second, url)
    assert first.post(url, posted(form_first, title="Från den första")).status_code == 302
    response = second.post(url, posted(form_second, title="Från den andra"))
    assert response.status_code == 409
    assert "Från den första" in response.content.decode()


def test_an_edit_keeps_causes_the_editor_may_not_read(world):
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    police_only = make_cause(
        world.a, level=Level.BEGRANSAD, text="KANARIE-A-BARA-POLIS orsak", restricted_to="polis"
    )
    action.causes.add(police_only)
    url = _action_url(world, "action_edit", action_id=action.pk)
    client = world.client("samordnare")
    form = page_form(client, url)
    assert "KANARIE-A-BARA-POLIS" not in client.get(url).content.decode()
    assert client.post(url, posted(form, title="Ändrad")).status_code == 302
    assert police_only in Action.objects.get(pk=action.pk).causes.all()


def test_delete_from_the_edit_page(world):
    action = world.cycle["A"]["levels"][Level.OPPEN]["action"]
    client = world.client("samordnare")
    response = client.post(
        _action_url(world, "action_edit", action_id=action.pk), {"delete": "1", "version": action.version}
    )
    assert response.status_code == 302
    assert not Action.objects.filter(pk=action.pk).exists()


def test_smart_hints_note_what_the_data_lacks(world):
    plan = make_plan(world.a)
    bare = _save(world, plan)
    notes = {hint.key: hint.note for hint in smart_hints(bare)}
    assert str(notes["specifik"]) == "ingen orsak kopplad"
    assert str(notes["matbar"]) == "ingen indikator"
    assert str(notes["tidsatt"]) == "inget slutdatum"
    full = _save(
        world,
        plan,
        causes=[make_cause(world.a)],
        end_date=dt.date(2025, 12, 1),
        planned_hours=Decimal(10),
    )
    full.indicators.create(collaboration=world.a, name="Antal", level=Level.INTERN)
    notes = {hint.key: hint.note for hint in smart_hints(full)}
    assert notes["specifik"] is None and notes["matbar"] is None and notes["tidsatt"] is None
    assert notes["realistisk"] is None
    # Advice, not a gate: the bare action was saved.
    assert Action.objects.filter(pk=bare.pk).exists()


def test_readers_see_the_action_but_not_what_they_may_not_read(world):
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    secret = make_cause(world.a, level=Level.BEGRANSAD, text="KANARIE-A-BEGRANSAD hemlig orsak")
    action.causes.add(secret)
    url = _action_url(world, "action_detail", action_id=action.pk)
    assert "KANARIE-A-BEGRANSAD hemlig orsak" in world.client("polis").get(url).content.decode()
    page = world.client("lasare").get(url).content.decode()
    assert "KANARIE-A-INTERN åtgärd" in page and "KANARIE-A-BEGRANSAD" not in page
    assert "Ändra åtgärden" not in page
