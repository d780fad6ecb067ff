"""A kommun's portal in the browser (issue 15): the page, a search, the embed page and the accessibility
statement with 0 axe violations (the `ui` fixture checks every page), and the page with JavaScript off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.portal.test_portal_kommun import publish

pytestmark = pytest.mark.e2e

KOMMUN = "/offentlig/kommun/2418/"


def test_a_citizen_reads_searches_and_embeds_the_kommun_page(ui, world):
    publish(world)
    ui.goto(KOMMUN)
    expect(ui.main.get_by_role("heading", level=1)).to_have_text("Brottsförebyggande arbete i Malå")
    expect(ui.main.get_by_text("Vi arbetar med det just nu")).to_be_visible()
    ui.page.get_by_label("Sökord").fill("anteckning")
    ui.navigate(lambda: ui.page.get_by_role("button", name="Sök", exact=True).click())
    expect(ui.main.get_by_role("link", name="KANARIE-A-OPPEN punkt")).to_be_visible()
    ui.click_link("Sida att bädda in på kommunens webbplats")
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Brottsförebyggande arbete i Malå")
    ui.goto(KOMMUN)
    ui.click_link("Tillgänglighetsredogörelse")
    expect(ui.main.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsredogörelse")
    ui.page.get_by_label("Vad fungerar inte", exact=False).fill("Tabellen går inte att läsa i mobilen.")
    ui.press_button("Skicka")
    expect(ui.main.get_by_text("Tack! Vi har tagit emot ditt meddelande.")).to_be_visible()


def test_the_kommun_page_and_its_search_work_without_javascript(browser, live_server, world):
    publish(world)
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    try:
        page = context.new_page()
        response = page.goto(live_server.url + KOMMUN)
        assert response is not None and response.status == 200
        expect(page.get_by_text("Trygga kvällar i Malå")).to_be_visible()
        page.get_by_label("Sökord").fill("beslut")
        page.get_by_role("button", name="Sök", exact=True).click()
        page.wait_for_load_state("load")
        assert "q=beslut" in page.url
        expect(page.get_by_role("link", name="KANARIE-A-OPPEN punkt")).to_be_visible()
        page.get_by_role("link", name="KANARIE-A-OPPEN punkt").click()
        page.wait_for_load_state("load")
        assert "/protokoll/" in page.url
    finally:
        context.close()
