"""The action plan: saving it, deciding it into a frozen version, and reading versions by level."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samverkan.actions.models import ActionIndicator, ActionPlan, PlanVersion, PlanVersionItem
from samverkan.actions.services.actions import action_save
from samverkan.actions.services.indicators import action_indicator_save
from samverkan.actions.services.plan import plan_decide, plan_save
from samverkan.core.models import Level
from tests.actions.factories import make_cause, make_plan
from tests.agreements.factories import FocusAreaFactory
from tests.forms import page_form, posted

pytestmark = pytest.mark.django_db


def _plan_url(world, name, **kwargs):
    return reverse(f"actions:{name}", kwargs={"collaboration_id": world.a.pk, **kwargs})


def test_plan_save_and_bad_period(world):
    samordnare = world.users["samordnare"]
    plan = plan_save(
        collaboration=world.a,
        title="Åtgärdsplan 2025",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
        acting_user=samordnare,
    )
    assert plan.level == Level.OPPEN and plan.status == ActionPlan.Status.UTKAST
    with pytest.raises(ValidationError) as error:
        plan_save(
            collaboration=world.a,
            title="Baklänges",
            start_date=dt.date(2025, 12, 31),
            end_date=dt.date(2025, 1, 1),
            acting_user=samordnare,
        )
    assert "end_date" in error.value.message_dict
    assert not ActionPlan.objects.filter(title="Baklänges").exists()


@pytest.mark.parametrize("persona", ["polis", "ledamot", "lasare"])
def test_only_the_samordnare_writes_the_plan(world, persona):
    with pytest.raises(PermissionDenied):
        plan_save(
            collaboration=world.a,
            title="x",
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2025, 2, 1),
            acting_user=world.users[persona],
        )


def test_plan_with_an_agreement_of_another_collaboration_is_refused(world):
    with pytest.raises(ValidationError) as error:
        plan_save(
            collaboration=world.a,
            title="x",
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2025, 2, 1),
            agreement=world.agreements["B"]["agreement"],
            acting_user=world.users["samordnare"],
        )
    assert "agreement" in error.value.message_dict


def test_plan_pages_create_and_show_actions_by_focus_area(world):
    client = world.client("samordnare")
    response = client.post(
        _plan_url(world, "plan_create"),
        {"title": "Plan 2025", "start_date": "2025-01-01", "end_date": "2025-12-31", "level": "oppen"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = ActionPlan.objects.get(title="Plan 2025")
    agreement = world.agreements["A"]["agreement"]
    narcotics = FocusAreaFactory(agreement=agreement, title="Narkotika", order=1, level=Level.OPPEN)
    secret = FocusAreaFactory(agreement=agreement, title="Hemligt område", order=2, level=Level.BEGRANSAD)
    cause = make_cause(world.a)
    for title, area in (("Trygghetsvandring", narcotics), ("Spaning", secret), ("Utan område", None)):
        action_save(
            plan=plan,
            title=title,
            responsible=world.org_a,
            causes=[cause],
            focus_area=area,
            acting_user=world.users["samordnare"],
        )
    url = _plan_url(world, "plan_detail", plan_id=plan.pk)
    page = client.get(url).content.decode()
    assert page.index("Narkotika") < page.index("Trygghetsvandring") < page.index("Hemligt område")
    assert page.index("Hemligt område") < page.index("Spaning") < page.index("Utan fokusområde")
    # A ledamot sees the action under "no area": the begränsad area is not named.
    ledamot_page = world.client("ledamot").get(url).content.decode()
    assert "Hemligt område" not in ledamot_page and "Spaning" in ledamot_page


def test_plan_edit_conflict_answers_409_with_both_texts(world, samordnare2):
    plan = world.cycle["A"]["plan"]
    url = _plan_url(world, "plan_edit", plan_id=plan.pk)
    first, second = world.client("samordnare"), world.client("samordnare2")
    form_first, form_second = page_form(first, url), page_form(second, url)
    assert first.post(url, posted(form_first, title="Första titeln")).status_code == 302
    response = second.post(url, posted(form_second, title="Andra titeln"))
    assert response.status_code == 409
    assert "Första titeln" in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Första titeln"


def _decidable_plan(world):
    plan = make_plan(world.a)
    cause = make_cause(world.a, level=Level.BEGRANSAD, text="KANARIE-A-BEGRANSAD orsak i plan")
    action = action_save(
        plan=plan,
        title="Belysning",
        responsible=world.org_a,
        causes=[cause],
        level=Level.OPPEN,
        acting_user=world.users["samordnare"],
    )
    action_indicator_save(
        action=action,
        name="Skadegörelse",
        baseline=12,
        target=6,
        direction=ActionIndicator.Direction.MINSKA,
        acting_user=world.users["samordnare"],
    )
    return plan, action, cause


def test_deciding_freezes_every_part_at_its_own_level(world):
    plan, action, cause = _decidable_plan(world)
    version = plan_decide(
        plan=plan,
        decided_on=dt.date(2025, 2, 1),
        decided_by="Kommunstyrelsen § 12",
        acting_user=world.users["samordnare"],
    )
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.FASTSTALLD
    items = {item.kind: item for item in version.items.all()}
    assert set(items) == {"problem", "orsak", "atgard", "indikator"}
    assert items["orsak"].level == Level.BEGRANSAD and items["atgard"].level == Level.OPPEN
    assert items["atgard"].data["causes"] == [cause.pk] and items["atgard"].data["number"] == action.number
    assert items["indikator"].data["target"] == "6"
    # Later edits make the next version; the decided one stays as it was.
    action_save(
        plan=plan,
        action=action,
        title="Belysning och röjning",
        responsible=world.org_a,
        causes=[cause],
        acting_user=world.users["samordnare"],
    )
    second = plan_decide(
        plan=plan,
        decided_on=dt.date(2025, 6, 1),
        decided_by="Styrgruppen",
        acting_user=world.users["samordnare"],
    )
    assert second.number == 2
    assert version.items.get(kind="atgard").data["title"] == "Belysning"
    assert second.items.get(kind="atgard").data["title"] == "Belysning och röjning"


def test_deciding_refuses_a_part_that_holds_a_personnummer_and_writes_nothing(world):
    plan, action, _cause = _decidable_plan(world)
    # Written around the guard (before it existed, say): the decided record must not copy it.
    type(action).objects.filter(pk=action.pk).update(description="Kontakt 19811218-9876")
    with pytest.raises(ValidationError) as error:
        plan_decide(
            plan=plan, decided_on=dt.date(2025, 2, 1), decided_by="KS", acting_user=world.users["samordnare"]
        )
    assert "Belysning" in " ".join(error.value.messages)
    assert not PlanVersion.objects.filter(plan=plan).exists()
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.UTKAST


@pytest.mark.parametrize(
    ("decided_by", "field"),
    [("", "decided_by"), ("x" * 301, "decided_by"), ("ring 070-123 45 67", "decided_by")],
)
def test_deciding_needs_who_decided(world, decided_by, field):
    plan, _action, _cause = _decidable_plan(world)
    with pytest.raises(ValidationError) as error:
        plan_decide(
            plan=plan,
            decided_on=dt.date(2025, 2, 1),
            decided_by=decided_by,
            acting_user=world.users["samordnare"],
        )
    assert field in error.value.message_dict
    assert not PlanVersion.objects.filter(plan=plan).exists()


def test_decide_page_then_version_page_by_level(world):
    plan, _action, _cause = _decidable_plan(world)
    client = world.client("samordnare")
    response = client.post(
        _plan_url(world, "plan_decide", plan_id=plan.pk),
        {"decided_on": "2025-02-01", "decided_by": "KS § 12"},
    )
    assert response.status_code == 302
    version = PlanVersion.objects.get(plan=plan)
    url = _plan_url(world, "plan_version_detail", plan_id=plan.pk, plan_version_id=version.pk)
    assert "KANARIE-A-BEGRANSAD orsak i plan" in client.get(url).content.decode()
    ledamot_page = world.client("ledamot").get(url)
    assert ledamot_page.status_code == 200
    assert "KANARIE-A-BEGRANSAD" not in ledamot_page.content.decode()
    assert "Belysning" in ledamot_page.content.decode()
    listing = (
        world.client("lasare").get(_plan_url(world, "plan_version_list", plan_id=plan.pk)).content.decode()
    )
    assert "KS § 12" in listing


def test_decide_page_is_the_samordnares(world):
    plan = world.cycle["A"]["plan"]
    assert world.client("ledamot").get(_plan_url(world, "plan_decide", plan_id=plan.pk)).status_code == 403
    assert world.client("outsider").get(_plan_url(world, "plan_decide", plan_id=plan.pk)).status_code == 404


def test_plan_version_of_another_plan_is_404(world):
    other = make_plan(world.a, title="Annan plan")
    version = world.cycle["A"]["version"]
    url = _plan_url(world, "plan_version_detail", plan_id=other.pk, plan_version_id=version.pk)
    assert world.client("samordnare").get(url).status_code == 404


def test_version_items_keep_roles_of_their_source(world):
    plan, _action, cause = _decidable_plan(world)
    type(cause).objects.filter(pk=cause.pk).update(restricted_to="polis")
    version = plan_decide(
        plan=plan, decided_on=dt.date(2025, 2, 1), decided_by="KS", acting_user=world.users["samordnare"]
    )
    item = version.items.get(kind=PlanVersionItem.Kind.ORSAK)
    assert item.restricted_to == "polis"
    assert not PlanVersionItem.objects.visible_to(world.users["samordnare"]).filter(pk=item.pk).exists()
    assert PlanVersionItem.objects.visible_to(world.users["polis"]).filter(pk=item.pk).exists()
