"""axe-core on the pages the other browser tests do not reach, in both languages, and keyboard basics.

Every navigation through the `ui` fixture is checked with axe (see conftest.py); these tests exist to
bring the browser to the remaining pages and states: forms with errors, pages with data in them.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from samverkan.core.models import ApiToken, Level, Role, hash_token
from tests.factories import MembershipFactory, NoticeFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_password_reset_and_anonymous_pages_in_english(ui, world):
    ui.goto("/konto/login/")
    ui.click_link("Glömt lösenordet?", within=ui.main)  # allauth puts it in the password help text
    assert ui.path == "/konto/password/reset/"
    ui.press_button("English")
    assert ui.page.locator("html").get_attribute("lang") == "en"
    ui.goto("/")
    ui.goto("/offentlig/")
    ui.goto("/konto/login/")
    ui.navigate(lambda: ui.main.locator("button[type=submit]").click())  # empty form: the error state
    expect(ui.page.get_by_role("alert")).to_be_visible()


def test_collaboration_pages_with_content_and_errors(ui, world):
    a = world.a.pk
    OrganisationFactory(name="Malå församling", home_kommun_id="2418")  # may be added as aktör
    NoticeFactory.create_batch(25, collaboration=world.a, level=Level.INTERN)  # two pages of notices
    ui.login(world.users["samordnare"])

    # Members: invite with errors, then for real; edit a membership.
    ui.goto(f"/samverkan/{a}/medlemmar/")
    ui.click_link("Bjud in medlem", within=ui.main)
    ui.page.get_by_label("E-post").fill("inte-en-adress")
    ui.press_button("Bjud in")
    expect(ui.page.get_by_role("alert")).to_contain_text("Namn")
    ui.page.get_by_label("Namn").fill("Ny Ledamot")
    ui.page.get_by_label("E-post").fill("ny.ledamot@example.org")
    ui.page.get_by_label("Företräder organisation").select_option(label="Malå kommun – test")
    ui.press_button("Bjud in")
    expect(ui.page.get_by_role("status")).to_contain_text("ny.ledamot@example.org")
    ui.click_link("Ändra ledamot@example.org", within=ui.main)
    expect(ui.page.locator("h1")).to_contain_text("ledamot@example.org")
    ui.press_button("Spara")
    ui.click_link("Ändra ny.ledamot@example.org", within=ui.main)
    ui.press_button("Ta bort ur samverkan")
    expect(ui.main.get_by_text("ny.ledamot@example.org")).to_have_count(0)

    # Aktörer: new organisation with errors, then for real; add an existing one.
    ui.click_link("Aktörer", within=ui.sidebar)
    ui.click_link("Ny organisation", within=ui.main)
    ui.press_button("Spara")
    expect(ui.page.get_by_role("alert")).to_contain_text("Namn")
    ui.page.get_by_label("Namn").fill("Fritidsgården Malå")
    ui.press_button("Spara")
    expect(ui.main.get_by_role("cell", name="Fritidsgården Malå", exact=True)).to_be_visible()
    ui.page.get_by_label("Lägg till befintlig organisation").select_option(label="Malå församling")
    ui.press_button("Lägg till")
    expect(ui.main.get_by_role("cell", name="Malå församling", exact=True)).to_be_visible()

    # A begränsad notice read by the samordnare (logged), an edit, then the log with entries and a filter.
    ui.click_link("Meddelanden", within=ui.sidebar)
    ui.click_link("Nästa", within=ui.main)
    expect(ui.main.get_by_role("navigation", name="Sidor")).to_contain_text("Sida 2 av 2")
    ui.click_link(world.notices[Level.BEGRANSAD].title, within=ui.main)
    ui.click_link("Ändra", within=ui.main)
    ui.page.get_by_label("Rubrik").fill("")
    ui.press_button("Spara")
    expect(ui.page.get_by_role("alert")).to_contain_text("Rubrik")
    ui.page.get_by_label("Rubrik").fill("Ändrad rubrik")
    ui.press_button("Spara")
    ui.click_link("Logg", within=ui.sidebar)
    expect(ui.main.get_by_text("Inga loggposter.")).to_have_count(0)
    ui.page.get_by_label("Händelse").select_option(index=1)
    ui.press_button("Visa")

    # Settings: save with a description, which the home page then shows.
    ui.click_link("Inställningar", within=ui.sidebar)
    ui.page.get_by_label("Beskrivning").fill("Vi möts varannan tisdag.")
    ui.press_button("Spara")
    expect(ui.main).to_contain_text("Vi möts varannan tisdag.")


def test_profile_and_api_token_pages(ui, world):
    user = world.users["samordnare"]
    ui.login(user)
    ui.click_link("Min profil")
    assert ui.path == "/profil/"
    ui.page.get_by_label("Förnamn").fill("Sara")
    ui.press_button("Spara")
    expect(ui.page.get_by_role("status")).to_contain_text("Profilen är sparad.")

    ui.press_button("Skapa API-nyckel")  # no name: the error page
    assert ui.path == "/profil/api-nycklar/ny/"
    expect(ui.page.get_by_role("alert")).to_contain_text("Namn på nyckeln")
    ui.page.get_by_label("Namn på nyckeln").fill("Statistikexport")
    ui.press_button("Skapa")
    expect(ui.page.locator("h1")).to_have_text("Ny API-nyckel")
    raw = ui.page.get_by_label("API-nyckel").input_value()
    assert hash_token(raw) == ApiToken.objects.get(user=user).key_hash
    ui.click_link("Tillbaka till profilen", within=ui.main)
    ui.press_button("Återkalla Statistikexport")
    expect(ui.main).to_contain_text("Återkallad")

    ui.click_link("Hantera tvåstegsverifiering", within=ui.main)
    ui.goto("/konto/password/change/")


# Elements sticking out of the viewport or out of <main>, except inside a table's own scroll region.
OVERFLOW_JS = """() => {
    const width = document.documentElement.clientWidth;
    const main = document.querySelector('main');
    const mainRight = main ? main.getBoundingClientRect().right : width;
    const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
        (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
    const out = [];
    for (const e of document.body.querySelectorAll('*')) {
        if (e.closest('.table-scroll, .visually-hidden, .skip-link, script, style')) continue;
        const r = e.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        const limit = main && main.contains(e) ? mainRight : width;
        if (r.right > limit + 0.5) out.push(`${name(e)} (right edge ${Math.round(r.right)} > ${Math.round(limit)})`);
        else if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible' && e.clientWidth)
            out.push(`${name(e)} (content ${e.scrollWidth} px wide in a ${e.clientWidth} px box)`);
    }
    return {scrollWidth: document.documentElement.scrollWidth, width, overflowing: out.slice(0, 10)};
}"""


def assert_reflows(ui):
    result = ui.page.evaluate(OVERFLOW_JS)
    assert result["scrollWidth"] <= result["width"] and not result["overflowing"], (
        f"{ui.path} does not fit {result['width']} CSS px (page is {result['scrollWidth']} wide): "
        + "; ".join(result["overflowing"])
    )


def test_pages_reflow_at_320_css_pixels(ui, world):
    """WCAG 1.4.10: at 320 CSS px nothing needs sideways scrolling, except inside a data table's region.

    One page of each layout: text, forms (with errors), lists, tables, a long Swedish heading.
    """
    a = world.a.pk
    ui.page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/", "/konto/login/"):
        ui.goto(path)
        assert_reflows(ui)
    ui.login(world.users["samordnare"])
    assert_reflows(ui)
    for path in (
        f"/samverkan/{a}/",
        f"/samverkan/{a}/meddelanden/",
        f"/samverkan/{a}/meddelanden/{world.notices[Level.BEGRANSAD].pk}/",
        f"/samverkan/{a}/medlemmar/",
        f"/samverkan/{a}/aktorer/",
        f"/samverkan/{a}/logg/",
        "/profil/",
    ):
        ui.goto(path)
        assert_reflows(ui)
    ui.goto(f"/samverkan/{a}/meddelanden/nytt/")
    ui.press_button("Spara")
    assert_reflows(ui)
    ui.press_button("Logga ut")

    newcomer = UserFactory(username="nypolis", email="nypolis@example.org")
    MembershipFactory(user=newcomer, collaboration=world.a, role=Role.POLIS)
    ui.login_expecting(newcomer, "/konto/tvastegsverifiering-kravs/")
    assert_reflows(ui)


def test_skip_link_moves_focus_to_main_content(ui, world):
    ui.login(world.users["ledamot"])
    ui.goto(f"/samverkan/{world.a.pk}/")
    ui.page.keyboard.press("Tab")
    skip = ui.page.get_by_role("link", name="Hoppa till huvudinnehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    ui.page.keyboard.press("Enter")
    expect(ui.page.locator("main")).to_be_focused()
    ui.check()  # after the in-page jump, with the skip link shown
