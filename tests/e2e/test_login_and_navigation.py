"""Logging in through the real form and moving around a collaboration as the personas do."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from samverkan.core.cycle import STEPS
from samverkan.core.models import Level, Notice
from tests.conftest import CANARIES_A, CANARIES_B, CANARY_A_POLIS_ONLY

pytestmark = pytest.mark.e2e


def test_landing_page_leads_to_login_and_public_portal(ui, world):
    ui.goto("/")
    expect(ui.page.locator("h1")).to_contain_text("Samverkan mot brott")
    ui.click_link("Läs om samverkan i din kommun")
    assert ui.path == "/offentlig/"
    expect(ui.main.get_by_role("heading", name="Malå testsamverkan")).to_be_visible()
    # Only öppen content is public; nothing of a collaboration's notices shows here.
    for canary in (*CANARIES_A.values(), *CANARIES_B):
        expect(ui.page.get_by_text(canary)).to_have_count(0)
    ui.goto("/")
    ui.click_link("Logga in", within=ui.main)
    assert ui.path == "/konto/login/"
    expect(ui.page.get_by_role("heading", name="Logga in", level=1)).to_be_visible()


def test_wrong_password_shows_a_clear_message(ui, world):
    ui.submit_login("samordnare@example.org", "fel-losenord-123")
    assert ui.path == "/konto/login/"
    summary = ui.page.get_by_role("alert")
    expect(summary).to_contain_text("Det finns fel i formuläret")
    expect(summary).to_contain_text("lösenordet är felaktigt")
    expect(ui.page.get_by_role("button", name="Logga ut")).to_have_count(0)
    # The typed address stays, so correcting the password is enough.
    expect(ui.page.get_by_label("E-post")).to_have_value("samordnare@example.org")
    ui.page.get_by_label("Lösenord").fill("losenord-for-test-1")
    ui.navigate(lambda: ui.main.get_by_role("button", name="Logga in").click())
    assert ui.path == "/"
    expect(ui.page.get_by_role("button", name="Logga ut")).to_be_visible()


def test_samordnare_navigates_collaboration_by_sidebar(ui, world):
    ui.login(world.users["samordnare"])
    expect(ui.page.locator("h1")).to_have_text("Mina samverkansområden")
    expect(ui.main.get_by_role("link", name="Malå testsamverkan")).to_be_visible()
    expect(ui.main.get_by_text("Älvdalen testsamverkan")).to_have_count(0)

    ui.click_link("Malå testsamverkan", within=ui.main)
    assert ui.path == f"/samverkan/{world.a.pk}/"
    expect(ui.page.locator("h1")).to_have_text("Malå testsamverkan")
    expect(ui.main).to_contain_text("Din roll: Samordnare")

    # Steps the tool does lead to their pages; the others to the step's explanation.
    tool_pages = {
        "fakta": "Insamlingsomgångar",
        "lagesbild": "Gemensamma lägesbilder",
        "orsaksanalys": "Prioriterade problem",
        "atgardsplan": "Åtgärdsplan",
        "genomforande": "Uppdrag",
        "uppfoljning": re.compile(r"^Uppföljning \d{4}-\d{2}-\d{2}$"),
    }
    for step in STEPS:
        ui.click_link(str(step.title), within=ui.sidebar)
        if step.url_name:
            assert ui.path == reverse(step.url_name, args=[world.a.pk])
            expect(ui.page.locator("h1")).to_have_text(tool_pages[step.slug])
        else:
            assert ui.path == f"/samverkan/{world.a.pk}/steg/{step.slug}/"
            expect(ui.page.locator("h1")).to_have_text(str(step.title))
            expect(ui.main).to_contain_text(f"Steg {step.number} av 6")
        expect(ui.sidebar.locator("[aria-current=page]")).to_have_text(str(step.title))
    ui.click_link("Händelser", within=ui.sidebar)
    expect(ui.page.locator("h1")).to_have_text("Händelser")

    for name, path, heading in [
        ("Meddelanden", "meddelanden/", "Meddelanden"),
        ("Aktörer", "aktorer/", "Aktörer"),
        ("Medlemmar", "medlemmar/", "Medlemmar"),
        ("Logg", "logg/", "Logg"),
        ("Inställningar", "installningar/", "Inställningar"),
        ("Översikt", "", "Malå testsamverkan"),
    ]:
        ui.click_link(name, within=ui.sidebar)
        assert ui.path == f"/samverkan/{world.a.pk}/{path}"
        expect(ui.page.locator("h1")).to_have_text(heading)
        expect(ui.sidebar.locator("[aria-current=page]")).to_have_text(name)

    ui.click_link("Medlemmar", within=ui.sidebar)
    for persona in ("samordnare", "polis", "ledamot", "lasare"):
        expect(ui.main.get_by_role("cell", name=f"{persona}@example.org", exact=True)).to_be_visible()
    expect(ui.main.get_by_text("outsider@example.org")).to_have_count(0)


def test_samordnare_creates_a_notice(ui, world):
    before = Notice.objects.filter(collaboration=world.a).count()
    ui.login(world.users["samordnare"])
    ui.goto(f"/samverkan/{world.a.pk}/meddelanden/")
    ui.click_link("Nytt meddelande", within=ui.main)
    expect(ui.page.locator("h1")).to_have_text("Nytt meddelande")

    # Title left empty: the error summary names the field and links to it; nothing is saved.
    ui.page.get_by_label("Text").fill("Skadegörelse vid skolan under helgen.")
    ui.press_button("Spara")
    assert ui.path == f"/samverkan/{world.a.pk}/meddelanden/nytt/"
    summary = ui.page.get_by_role("alert")
    expect(summary).to_contain_text("Det finns fel i formuläret")
    error_link = summary.get_by_role("link", name=re.compile(r"^Rubrik: "))
    expect(error_link).to_have_attribute("href", "#id_title")
    title = ui.page.get_by_label("Rubrik")
    expect(title).to_have_attribute("aria-invalid", "true")
    assert Notice.objects.filter(collaboration=world.a).count() == before
    error_link.click()
    expect(title).to_be_focused()

    title.fill("Helgens skadegörelse")
    expect(ui.page.get_by_label("Text")).to_have_value("Skadegörelse vid skolan under helgen.")
    ui.page.get_by_label("Öppen").check()
    ui.press_button("Spara")
    expect(ui.page.get_by_role("status")).to_contain_text("Meddelandet är publicerat i samverkan.")
    expect(ui.page.locator("h1")).to_have_text("Helgens skadegörelse")
    notice = Notice.objects.get(collaboration=world.a, title="Helgens skadegörelse")
    assert notice.level == Level.OPPEN
    assert ui.path == f"/samverkan/{world.a.pk}/meddelanden/{notice.pk}/"

    ui.click_link("Alla meddelanden", within=ui.main)
    expect(ui.main.get_by_role("link", name="Helgens skadegörelse")).to_be_visible()
    ui.click_link("Helgens skadegörelse", within=ui.main)
    ui.click_link("Ändra", within=ui.main)
    expect(ui.page.locator("h1")).to_have_text("Ändra meddelande")
    expect(ui.page.get_by_label("Rubrik")).to_have_value("Helgens skadegörelse")


def test_switch_language_to_english(ui, world):
    ui.goto("/konto/login/")
    assert ui.page.locator("html").get_attribute("lang") == "sv"
    ui.press_button("English")
    assert ui.path == "/konto/login/"
    assert ui.page.locator("html").get_attribute("lang") == "en"
    expect(ui.page.get_by_label("Password")).to_be_visible()  # allauth's own, already translated
    expect(ui.page.get_by_role("button", name="Svenska")).to_have_attribute("lang", "sv")

    ui.page.get_by_label("Email").fill("samordnare@example.org")
    ui.page.get_by_label("Password").fill("losenord-for-test-1")
    ui.navigate(lambda: ui.main.locator("button[type=submit]").click())
    assert ui.path == "/"
    assert ui.page.locator("html").get_attribute("lang") == "en"
    # Our own strings come from the compiled English catalogue.
    expect(ui.page.locator("h1")).to_have_text("My collaborations")
    expect(ui.page.get_by_role("link", name="Skip to main content")).to_be_attached()
    # A few pages in English (each checked with axe like every page).
    ui.click_link("Malå testsamverkan", within=ui.main)
    assert ui.page.locator("html").get_attribute("lang") == "en"
    expect(ui.sidebar.get_by_role("link", name="Cause analysis")).to_be_visible()
    ui.goto(f"/samverkan/{world.a.pk}/meddelanden/")
    ui.goto(f"/samverkan/{world.a.pk}/meddelanden/nytt/")
    ui.navigate(lambda: ui.main.locator("button[type=submit]").first.click())
    expect(ui.page.get_by_role("alert")).to_contain_text("This field is required.")  # Django's own
    ui.goto("/profil/")
    assert ui.page.locator("html").get_attribute("lang") == "en"

    ui.press_button("Svenska")
    assert ui.page.locator("html").get_attribute("lang") == "sv"


def test_ledamot_does_not_see_begransad_content(ui, world):
    ui.login(world.users["ledamot"])
    ui.click_link("Malå testsamverkan", within=ui.main)
    ui.click_link("Meddelanden", within=ui.sidebar)
    expect(ui.main.get_by_role("link", name=CANARIES_A[Level.OPPEN])).to_be_visible()
    expect(ui.main.get_by_role("link", name=CANARIES_A[Level.INTERN])).to_be_visible()
    for hidden in (CANARIES_A[Level.BEGRANSAD], CANARY_A_POLIS_ONLY, *CANARIES_B):
        expect(ui.page.get_by_text(hidden)).to_have_count(0)
    # Not even by address.
    notice = world.notices[Level.BEGRANSAD]
    ui.goto(f"/samverkan/{world.a.pk}/meddelanden/{notice.pk}/", status=404)
    expect(ui.page.get_by_text(CANARIES_A[Level.BEGRANSAD])).to_have_count(0)
    # A ledamot does not manage the collaboration: no log or settings in the sidebar.
    ui.goto(f"/samverkan/{world.a.pk}/")
    expect(ui.sidebar.get_by_role("link", name="Logg")).to_have_count(0)
    expect(ui.sidebar.get_by_role("link", name="Inställningar")).to_have_count(0)


def test_lasare_cannot_write(ui, world):
    ui.login(world.users["lasare"])
    ui.goto(f"/samverkan/{world.a.pk}/meddelanden/")
    expect(ui.main.get_by_role("link", name=CANARIES_A[Level.INTERN])).to_be_visible()
    expect(ui.page.get_by_role("link", name="Nytt meddelande")).to_have_count(0)
    expect(ui.page.get_by_role("button", name="Nytt meddelande")).to_have_count(0)
    ui.goto(f"/samverkan/{world.a.pk}/meddelanden/nytt/", status=403)
