"""A samordnare sets up Älvsbyn-like groups and a medborgarlöfte; a ledamot reads them without edit buttons.

Every page goes through the `ui` fixture, so axe-core checks each one (forms with errors included).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.e2e


def test_samordnare_builds_groups_and_promise_ledamot_reads_them(ui, world):
    a = world.a.pk
    OrganisationFactory(name="Svenska kyrkan i Malå", home_kommun_id="2418")  # not an aktör of A
    page = ui.page
    ui.login(world.users["samordnare"])

    # The strategic group.
    ui.goto(f"/samverkan/{a}/")
    ui.click_link("Grupper", within=ui.sidebar)
    expect(page.locator("h1")).to_have_text("Grupper")
    ui.click_link("Ny grupp", within=ui.main)
    page.get_by_label("Namn").fill("Folkhälsorådet")
    page.get_by_label("Typ av grupp").select_option(label="Folkhälsoråd")
    page.get_by_label("Strategisk", exact=True).check()
    page.get_by_label("Möten per år").fill("4")
    page.get_by_label("Mötesrytm").fill("en per kvartal")
    page.get_by_label("Mötesplats").fill("polisstationen i Malå")
    ui.press_button("Spara")
    expect(page.locator("h1")).to_have_text("Folkhälsorådet")
    expect(ui.main).to_contain_text("4 möten per år · en per kvartal · polisstationen i Malå")

    # The operative group: first without saying when it meets (an error), then right.
    ui.click_link("Grupper", within=ui.sidebar)
    ui.click_link("Ny grupp", within=ui.main)
    page.get_by_label("Namn").fill("Brottsförebyggande rådet")
    page.get_by_label("Typ av grupp").select_option(label="Brottsförebyggande råd (BRÅ)")
    page.get_by_label("Rapporterar till").select_option(label="Folkhälsorådet")
    page.get_by_label("Möts i anslutning till").select_option(label="Folkhälsorådet")
    ui.press_button("Spara")
    expect(page.get_by_role("alert")).to_contain_text("Möts före eller efter")
    page.get_by_label("Möts före eller efter").select_option(label="före och efter")
    ui.press_button("Spara")
    expect(page.locator("h1")).to_have_text("Brottsförebyggande rådet")
    expect(ui.main).to_contain_text("Möts före och efter Folkhälsorådet")
    expect(ui.main).to_contain_text("Rapporterar till Folkhälsorådet")

    # Members of the strategic group: a party as standing chair, an outsider only as invited.
    ui.click(ui.main.get_by_role("link", name="Folkhälsorådet").first)
    ui.click_link("Lägg till medlem", within=ui.main)
    page.get_by_label("Organisation").select_option(label="Malå kommun – test")
    page.get_by_label("Roll i gruppen").select_option(label="Ordförande")
    ui.press_button("Spara")
    expect(page.get_by_role("status")).to_contain_text("Malå kommun – test")
    ui.click_link("Lägg till medlem", within=ui.main)
    page.get_by_label("Organisation").select_option(label="Svenska kyrkan i Malå")
    ui.press_button("Spara")  # standing is the default: refused
    expect(page.get_by_role("alert")).to_contain_text("kan bara delta som inbjuden")
    page.get_by_label("Inbjuden").check()
    ui.press_button("Spara")
    invited = ui.main.get_by_role("region", name="Inbjudna")
    expect(invited).to_contain_text("Svenska kyrkan i Malå")
    expect(ui.main.get_by_role("region", name="Ständiga medlemmar")).to_contain_text("Ordförande")

    # A medborgarlöfte with two activities.
    ui.click_link("Medborgarlöften", within=ui.sidebar)
    ui.click_link("Nytt medborgarlöfte", within=ui.main)
    page.get_by_label("Rubrik").fill("Medborgarlöften 2025")
    page.get_by_label("Löftet").fill("Polisen och kommunen ökar närvaron i centrum på kvällarna.")
    page.get_by_label("Gäller från").fill("2025-01-01")
    page.get_by_label("Gäller till").fill("2025-12-31")
    page.get_by_label("Ingår i överenskommelse").select_option(label="KANARIE-A-OPPEN överenskommelse")
    ui.press_button("Spara")
    expect(page.locator("h1")).to_have_text("Medborgarlöften 2025")
    for description in ("Trygghetsvandring i centrum", "Kvällsnärvaro vid busstationen"):
        ui.click_link("Lägg till aktivitet", within=ui.main)
        page.get_by_label("Aktivitet").fill(description)
        page.get_by_label("Ansvarig").select_option(label="Malå kommun – test")
        ui.press_button("Spara")
        expect(ui.main.get_by_role("cell", name=description, exact=True)).to_be_visible()

    # The ledamot reads all of it, without a single edit button.
    ui.press_button("Logga ut")
    ui.login(world.users["ledamot"])
    ui.goto(f"/samverkan/{a}/grupper/")
    expect(ui.main).to_contain_text("Möts före och efter Folkhälsorådet")
    ui.click_link("Folkhälsorådet", within=ui.main.get_by_role("heading", name="Folkhälsorådet"))
    expect(ui.main.get_by_role("region", name="Inbjudna")).to_contain_text("Svenska kyrkan i Malå")
    expect(ui.main.get_by_role("link", name="Ändra", exact=False)).to_have_count(0)
    expect(ui.main.get_by_role("link", name="Lägg till medlem")).to_have_count(0)
    ui.click_link("Medborgarlöften", within=ui.sidebar)
    expect(ui.main.get_by_role("link", name="Nytt medborgarlöfte")).to_have_count(0)
    ui.click_link("Medborgarlöften 2025", within=ui.main)
    expect(ui.main.get_by_role("cell", name="Kvällsnärvaro vid busstationen", exact=True)).to_be_visible()
    expect(ui.main.get_by_role("link", name="Ändra", exact=False)).to_have_count(0)
    expect(ui.main.get_by_role("link", name="Lägg till aktivitet")).to_have_count(0)
