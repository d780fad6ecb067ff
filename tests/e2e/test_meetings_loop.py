"""Issue 14's "done when", in the browser: the whole meeting loop. A samordnare plans the REK group's year,
invites (the mail goes with a calendar entry), drafts the agenda and runs the meeting in meeting mode
(attendance, a follow-up rating in place, notes, a decision "§ 1/<year>"); the minutes go out for
justering, one justerare declines with a comment on a point, the secretary corrects it, both justerare
approve; the chair (not the secretary) approves the public version beside the full minutes; the
samordnare publishes. Anonymous readers then find the öppen point and the neutral line for the others,
and no intern or begränsad canary in the public page, its Atom feed or its PDF. Every page goes through
axe (the `ui` fixture); meeting mode is also used with the keyboard alone, and the public page without
JavaScript."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import icalendar
import pytest
from django.db.models import Max
from django.utils import timezone
from playwright.sync_api import expect

from samverkan.actions.models import ActionPlan, FollowUp, Rating
from samverkan.core.models import Level
from samverkan.meetings.models import Decision, Meeting, MeetingFollowUp, Minutes
from tests.conftest import CANARIES_A, CANARY_A_POLIS_ONLY

pytestmark = pytest.mark.e2e

YEAR = 2027
INTERN_CANARY = "KANARIE-E2E-INTERN"
BEGRANSAD_CANARY = "KANARIE-E2E-BEGRANSAD"
NOT_PUBLIC = (
    INTERN_CANARY,
    BEGRANSAD_CANARY,
    CANARIES_A[Level.INTERN],
    CANARIES_A[Level.BEGRANSAD],
    CANARY_A_POLIS_ONLY,
)
NEUTRAL = "Punkten innehåller uppgifter som inte publiceras"
DECISION = "Kommunen sätter upp belysning vid busstationen."


def _point(ui, title: str) -> None:
    """Go to a point of meeting mode by its link in the list of points ("3. Beslut")."""
    nav = ui.page.get_by_role("navigation", name="Punkter")
    ui.click(nav.get_by_role("link", name=re.compile(rf"^\d+\. {re.escape(title)}$")))


def _tab_to(page, selector: str, limit: int = 200) -> None:
    """Move the focus with the Tab key alone until it is on ``selector``."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def _switch_user(ui, user) -> None:
    ui.press_button("Logga ut")
    ui.login(user)


def test_plan_invite_draft_run_justera_approve_and_publish(ui, world, mailoutbox):
    a = world.a
    page = ui.page
    group = world.agreements["A"]["group"]
    samordnare, ledamot, lasare = (world.users[p] for p in ("samordnare", "ledamot", "lasare"))
    # The world's action plan ends in 2026; extended, so the meeting follows its actions up.
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    ActionPlan.objects.filter(pk=action.plan_id).update(end_date=dt.date(YEAR, 12, 31))
    ui.login(samordnare)

    # 1. Plan the year from the group's rhythm.
    ui.goto(f"/samverkan/{a.pk}/")
    ui.click_link("Möten", within=ui.sidebar)
    ui.click_link("Planera året")
    page.locator("#id_group").select_option(str(group.pk))
    page.locator("#id_year").fill(str(YEAR))
    page.locator("#id_weekday").select_option(label="tisdag")
    page.locator("#id_start").fill("09:00")
    ui.press_button("Planera")
    expect(page.locator(".messages")).to_contain_text("4 möten är planerade")
    meeting = Meeting.objects.filter(group=group, starts_at__year=YEAR).order_by("starts_at").first()
    base = f"/samverkan/{a.pk}/moten/{meeting.pk}/"

    # 2. The year's first meeting is brought forward to today (a follow-up is never dated in the future),
    # with a chair, a secretary and two justerare; then the invitation, mailed with its calendar entry.
    today = timezone.localdate()
    ui.goto(base)
    ui.click_link("Ändra mötet")
    page.locator("#id_day").fill(today.isoformat())
    page.locator("#id_chair").select_option(str(ledamot.pk))
    page.locator("#id_secretary").select_option(str(samordnare.pk))
    for justerare in (ledamot, lasare):
        page.locator(f"input[name=justerare][value='{justerare.pk}']").check()
    ui.press_button("Spara")
    ui.press_button("Skicka kallelse")
    expect(page.locator(".messages")).to_contain_text("Kallelsen skickas")
    invited = sorted(m.to[0] for m in mailoutbox)
    assert invited == sorted(u.email for u in (samordnare, ledamot, lasare))
    name, content, mimetype = mailoutbox[0].attachments[0]
    assert name.endswith(".ics") and "method=REQUEST" in mimetype
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["METHOD"] == "REQUEST" and calendar.walk("VTIMEZONE")
    event = calendar.walk("VEVENT")[0]
    starts = event.decoded("DTSTART")
    assert str(event["UID"]) == f"{meeting.ics_uid}@samverkan"
    assert (starts.date(), starts.hour, starts.minute) == (today, 9, 0)
    assert str(starts.tzinfo) == "Europe/Stockholm"
    assert f"/moten/{meeting.pk}/" in str(event["URL"])

    # 3. The agenda drafts itself; the decisions point is made öppen (published as written).
    ui.click_link("Dagordning", within=ui.main)
    ui.press_button("Gör ett utkast till dagordning")
    expect(page.locator(".messages")).to_contain_text("Dagordningen är uppdaterad")
    expect(ui.main).to_contain_text("Polisens information")
    ui.click_link("Ändra Beslut")
    page.locator("input[name=level][value=oppen]").check()
    ui.press_button("Spara")

    # 4. Meeting mode: attendance, a rating in place, notes at three levels, a decision.
    ui.click_link("Mötesläge", within=ui.main)
    attendance = page.locator("#narvaro")
    attendance.get_by_label("Namn", exact=True).fill("Ada Andersson")
    attendance.get_by_label("Roll", exact=True).fill("Ordförande i REK-gruppen")
    attendance.get_by_role("button", name="Spara närvaron").click()
    expect(page.locator("#narvaro")).to_contain_text("Närvaron är sparad.")
    expect(page.locator("#narvaro")).to_contain_text("Ada Andersson")
    ui.check()

    _point(ui, "Uppföljning av åtgärder")
    row = page.locator(f"#atgard-{action.pk}")
    row.locator("input[type=radio][value=gron]").check()
    row.get_by_label("Skäl", exact=False).fill(f"{INTERN_CANARY} skäl: klart enligt plan")
    row.get_by_role("button", name="Spara bedömningen", exact=False).click()
    expect(page.locator(f"#atgard-{action.pk}")).to_contain_text("är sparad")
    ui.check()
    followup = FollowUp.objects.get(action=action, followed_up_on=today)
    assert followup.rating == Rating.GRON and MeetingFollowUp.objects.filter(followup=followup).exists()
    page.locator("#id-notes").fill(f"{INTERN_CANARY} anteckning")
    page.keyboard.press("Tab")
    expect(page.locator("#falt-notes")).to_contain_text("Sparad.")
    ui.check()

    _point(ui, "Polisens information")
    page.locator("#id-notes").fill(f"{BEGRANSAD_CANARY} underrättelse")
    page.keyboard.press("Tab")
    expect(page.locator("#falt-notes")).to_contain_text("Sparad.")
    ui.check()

    # The decisions point with the keyboard alone: a note saved on leaving it, a decision by Enter.
    _point(ui, "Beslut")
    # Numbered per group and year: after the world's meeting's decisions when that is this year.
    taken = Decision.objects.filter(group=group, year=today.year).aggregate(n=Max("number"))["n"] or 0
    label = f"§ {taken + 1}/{today.year}"
    _tab_to(page, "#id-notes")
    page.keyboard.type("Gruppen gick igenom belysningen vid busstationen.")
    page.keyboard.press("Tab")
    expect(page.locator("#falt-notes")).to_contain_text("Sparad.")
    _tab_to(page, "#beslut textarea[name=text]")
    page.keyboard.type(DECISION)
    _tab_to(page, "#beslut button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#beslut")).to_contain_text(label)
    ui.check()
    decision = Decision.objects.get(meeting=meeting)
    assert (decision.label, decision.level, decision.text) == (label, Level.OPPEN, DECISION)

    # 5. Justering: sent out; the ledamot declines with a comment on the decisions point.
    ui.goto(base + "protokoll/")
    ui.click_link("Justering", within=ui.main)
    ui.press_button("Skicka för justering")
    expect(page.locator(".messages")).to_contain_text("skickat för justering")
    _switch_user(ui, ledamot)
    ui.goto(base + "justering/")
    ui.main.get_by_text("Godkänn inte: skriv vad som ska ändras").click()
    ui.main.get_by_label(re.compile(r"^Kommentar till punkt \d+: Beslut\b")).fill(
        "Skriv vilket år beslutet gäller."
    )
    ui.press_button("Skicka tillbaka till sekreteraren")
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.UTKAST

    # The secretary corrects the point and sends the minutes out again.
    _switch_user(ui, samordnare)
    ui.goto(base + "protokoll/")
    expect(ui.main).to_contain_text("Skriv vilket år beslutet gäller.")
    ui.click_link("Ändra punkten Beslut")
    page.locator("#id_notes").fill(f"Gruppen gick igenom belysningen vid busstationen under {today.year}.")
    ui.press_button("Spara")
    ui.click_link("Justering", within=ui.main)
    ui.press_button("Skicka för justering")

    # Both justerare approve; the last approval makes the minutes justerade.
    _switch_user(ui, lasare)
    ui.goto(base + "justering/")
    ui.press_button("Godkänn protokollet")
    _switch_user(ui, ledamot)
    ui.goto(base + "justering/")
    ui.press_button("Godkänn protokollet")
    expect(page.locator(".messages")).to_contain_text("protokollet är justerat")
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.JUSTERAT and minutes.justering_round == 2

    # 6. The chair, not the secretary, approves the public version read beside the full minutes.
    ui.click_link("Publicering", within=ui.main)
    full = ui.main.get_by_role("region", name="Hela protokollet")
    public = ui.main.get_by_role("region", name="Offentlig version")
    expect(full).to_contain_text(INTERN_CANARY)
    expect(public).to_contain_text(DECISION)
    expect(public).to_contain_text(NEUTRAL)
    expect(public).not_to_contain_text(INTERN_CANARY)
    ui.press_button("Godkänn den offentliga versionen")
    _switch_user(ui, samordnare)
    ui.goto(base + "publicering/")
    ui.press_button("Publicera protokollet")
    expect(page.locator(".messages")).to_contain_text("publicerat")

    # 7. Anonymous: the public page, its feed and PDF carry the öppen point and no other.
    ui.press_button("Logga ut")
    portal = f"/offentlig/samverkan/{a.pk}/protokoll/"
    ui.goto(portal + f"{meeting.pk}/")
    expect(ui.main).to_contain_text(DECISION)
    expect(ui.main).to_contain_text(label)
    expect(ui.main).to_contain_text("Gruppen gick igenom belysningen")
    expect(ui.main).to_contain_text("Ada Andersson")
    expect(ui.main).to_contain_text(NEUTRAL)
    withheld = Meeting.objects.get(pk=meeting.pk).items.exclude(level=Level.OPPEN).count()
    expect(ui.main).to_contain_text(f"{withheld} punkter innehåller uppgifter som inte publiceras")
    texts = {"page": page.content()}
    feed = page.request.get(ui.url(portal + "atom/"))
    assert feed.status == 200 and f"protokoll/{meeting.pk}/" in feed.text()
    texts["feed"] = feed.text()
    pdf = page.request.get(ui.url(portal + f"{meeting.pk}/pdf/"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    texts["pdf"] = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.body(), capture_output=True, check=True
    ).stdout.decode()
    assert DECISION in texts["pdf"] and NEUTRAL in texts["pdf"]
    for where, text in texts.items():
        for canary in NOT_PUBLIC:
            assert canary not in text, f"{canary} in the public {where}"


def test_the_public_minutes_read_without_javascript(browser, live_server, world):
    from samverkan.meetings.services import publishing

    meeting = world.cycle["A"]["meeting"]["meeting"]
    minutes = meeting.minutes
    minutes.public_approved_at = minutes.justerat_at = meeting.starts_at
    minutes.save()
    publishing.publish(meeting=meeting, acting_user=world.users["samordnare"])
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    try:
        page = context.new_page()
        response = page.goto(f"{live_server.url}/offentlig/samverkan/{world.a.pk}/protokoll/{meeting.pk}/")
        assert response is not None and response.status == 200
        main = page.locator("main")
        expect(main).to_contain_text(f"{CANARIES_A[Level.OPPEN]} anteckning")
        expect(main.get_by_role("heading", name=re.compile(NEUTRAL))).to_have_count(2)
        expect(main.get_by_role("link", name="Ladda ner som PDF")).to_be_visible()
        for canary in NOT_PUBLIC:
            expect(main).not_to_contain_text(canary)
    finally:
        context.close()
