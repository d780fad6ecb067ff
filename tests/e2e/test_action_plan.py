"""Issue 13's "done when", in the browser: a samordnare goes from a part of an agreed joint picture, through
a cause analysis, to an action with an indicator, follows it up red → yellow → green over three meetings
and reads the traceability page; a ledamot follows up their own organisation's action on a phone-sized
page. Every page goes through axe (the `ui` fixture)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samverkan.actions.models import Action, FollowUp, Rating
from samverkan.analysis.models import Cause, Problem
from samverkan.core.models import Level
from samverkan.situation.models import PictureItem

pytestmark = pytest.mark.e2e

CAUSE = "Busstationen är mörk efter klockan 22"
ACTION = "Belysning och nattvandrare vid busstationen"


def _rate(ui, collaboration_id: int, action: Action, day: dt.date, colour: str, reason: str = "") -> None:
    """Rate the action on its own follow-up page (saved in place by htmx)."""
    page = ui.page
    ui.goto(f"/samverkan/{collaboration_id}/uppfoljning/atgard/{action.pk}/?datum={day.isoformat()}")
    row = page.locator(f"#atgard-{action.pk}")
    value = {"Röd": "rod", "Gul": "gul", "Grön": "gron"}[colour]
    choice = row.locator(f"input[type=radio][value={value}]")
    expect(row.locator(f"label[for='{choice.get_attribute('id')}']")).to_contain_text(colour)
    choice.check()
    if reason:
        row.locator("textarea[name$=reason], input[name$=reason]").fill(reason)
    row.get_by_role("button", name="Spara").click()
    expect(page.locator(f"#atgard-{action.pk}")).to_contain_text("Sparad.")
    ui.check()  # the row swapped in place is checked too


def test_from_the_joint_picture_to_a_followed_up_action(ui, world):
    a = world.a
    page = ui.page
    today = timezone.localdate()
    version = world.situation["A"]["version"]
    PictureItem.objects.create(
        collaboration=a,
        version=version,
        level=Level.OPPEN,
        kind=PictureItem.Kind.CELL,
        section_title="Ordningsstörningar och otrygghet",
        area_code="ordning",
        organisation_name=world.org_a.name,
        status="rod",
        text="Många upplever otrygghet vid busstationen kvällstid.",
    )
    ui.login(world.users["samordnare"])

    # 1. Raise a problem from a part of the agreed joint picture: one click carries the evidence link.
    ui.goto(f"/samverkan/{a.pk}/problem/lyft/")
    part = page.locator("li", has_text="Många upplever otrygghet vid busstationen")
    ui.click(part.get_by_role("button", name="Lyft som problem"))
    page.locator("#id_title").fill("Otrygghet vid busstationen kvällstid")
    ui.press_button("Spara")
    problem = Problem.objects.get(title="Otrygghet vid busstationen kvällstid")
    assert problem.evidence.filter(picture_item__isnull=False).exists()

    # 2. The cause analysis: a cause added in place, drawn and listed.
    if not page.url.endswith(f"/problem/{problem.pk}/"):
        ui.goto(f"/samverkan/{a.pk}/problem/{problem.pk}/")
    form = page.locator("#analysis-drawings form")
    form.get_by_role("button", name="Lägg till").click()  # nothing written: the refusal is shown in place
    expect(page.locator("#analysis-drawings .error-summary")).to_be_visible()
    ui.check()
    form = page.locator("#analysis-drawings form")
    form.locator("[name=text]").fill(CAUSE)
    form.locator("[name=bone]").select_option(label="Plats")
    form.get_by_role("button", name="Lägg till").click()
    expect(page.locator("#tree-heading ~ ul")).to_contain_text(CAUSE)
    ui.check()
    cause = Cause.objects.get(problem=problem, text=CAUSE)

    # 3. An action tied to the cause, with an indicator.
    plan = world.cycle["A"]["plan"]
    ui.goto(f"/samverkan/{a.pk}/atgardsplan/{plan.pk}/")
    ui.click_link("Ny åtgärd")
    page.locator("#id_title").fill(ACTION)
    page.get_by_label(f"{problem.title} – {CAUSE}").check()
    page.locator("#id_responsible").select_option(label=world.org_a.name)
    page.locator("#id_start_date").fill((today - dt.timedelta(days=90)).isoformat())
    page.locator("#id_end_date").fill((today + dt.timedelta(days=180)).isoformat())
    ui.press_button("Spara")
    action = Action.objects.get(title=ACTION)
    assert list(action.causes.all()) == [cause]
    ui.click_link("Lägg till indikator")
    page.locator("#id_name").fill("Andel som känner sig trygga vid busstationen")
    page.locator("#id_baseline").fill("55")
    page.locator("#id_target").fill("75")
    page.locator("#id_direction").select_option(label="Ska öka")
    ui.press_button("Spara")
    assert action.indicators.get().target == 75

    # 4. Three meetings: red, then yellow and green, each change with its reason.
    for days_ago, colour, reason in (
        (60, "Röd", ""),
        (30, "Gul", "Belysningen är på plats, nattvandringen har inte börjat."),
        (0, "Grön", "Nattvandrare varje helg sedan en månad."),
    ):
        _rate(ui, a.pk, action, today - dt.timedelta(days=days_ago), colour, reason)
    assert list(action.followups.order_by("followed_up_on").values_list("rating", flat=True)) == [
        Rating.ROD,
        Rating.GUL,
        Rating.GRON,
    ]

    # 5. The traceability page: problem → cause → action → indicator → latest rating.
    ui.goto(f"/samverkan/{a.pk}/atgardsplan/{plan.pk}/")
    ui.click_link("Spårbarhet: problem, orsaker, åtgärder och resultat")
    main = ui.main
    for text in (problem.title, CAUSE, ACTION, "Andel som känner sig trygga vid busstationen", "Grön"):
        expect(main).to_contain_text(text)


def test_a_ledamot_follows_up_their_own_action_on_a_phone(ui, world):
    a = world.a
    action = world.cycle["A"]["levels"][Level.OPPEN]["action"]  # the kommun's own (org_a)
    ui.login(world.users["ledamot"])
    ui.page.set_viewport_size({"width": 375, "height": 812})
    _rate(ui, a.pk, action, timezone.localdate(), "Grön", "Klart enligt plan.")
    assert FollowUp.objects.filter(
        action=action, rating=Rating.GRON, recorded_by=world.users["ledamot"]
    ).exists()
    assert ui.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
