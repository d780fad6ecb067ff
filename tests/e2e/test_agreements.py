"""A samordnare enters an agreement shaped like Malå 2020–2022 end to end; a ledamot reads it.

Every page the browser lands on is checked with axe (the `ui` fixture), including forms with errors.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from samverkan.core.models import Level, Organisation, PoliceArea
from tests.conftest import CANARIES_A
from tests.factories import OrganisationFactory, ParticipationFactory

pytestmark = pytest.mark.e2e


def _parties(world):
    """Malå's police area and a Region as parties of collaboration A."""
    world.a.police_areas.add(PoliceArea.objects.get(namn="LPO Skellefteå"))
    region = OrganisationFactory(
        name="Region Västerbotten", kind=Organisation.Kind.REGION, home_kommun_id=None
    )
    ParticipationFactory(collaboration=world.a, organisation=region)


def _add_focus_area(ui, title, *, parent=None, reason="", date=None):
    ui.click_link("Lägg till fokusområde", within=ui.main)
    ui.page.get_by_label("Fokusområde:", exact=True).fill(title)
    if parent:
        ui.page.get_by_label("Delprioritering till").select_option(label=parent)
    if date:
        ui.page.get_by_label("Datum för ändringen").fill(date)
    ui.page.get_by_label("Motivering").fill(reason)
    ui.press_button("Spara")


def _add_fact_source(ui, kind, rhythm, *, month=None, restricted=False):
    ui.click_link("Lägg till faktakälla", within=ui.main)
    ui.page.get_by_label("Källa:", exact=True).select_option(label=kind)
    ui.page.get_by_label("Hur ofta").select_option(label=rhythm)
    if month:
        ui.page.get_by_label("Månad:", exact=True).select_option(label=month)
    if restricted:
        ui.page.get_by_label("Begränsad", exact=True).check()
    ui.press_button("Spara")


def _add_signatory(ui, name, title, *, party=None, party_text="", date=""):
    ui.click_link("Lägg till undertecknare", within=ui.main)
    ui.page.get_by_label("Namn").fill(name)
    ui.page.get_by_label("Befattning").fill(title)
    if party:
        ui.page.get_by_label("Part:", exact=True).select_option(label=party)
    ui.page.get_by_label("Part (fritext)").fill(party_text)
    ui.page.get_by_label("Undertecknad:", exact=True).fill(date)
    ui.press_button("Spara")


def test_samordnare_enters_prints_and_renews_an_agreement(ui, world):
    _parties(world)
    ui.login(world.users["samordnare"])
    ui.goto(f"/samverkan/{world.a.pk}/")
    ui.click_link("Överenskommelser", within=ui.sidebar)
    expect(ui.page.locator("h1")).to_have_text("Överenskommelser")
    ui.click_link("Ny överenskommelse", within=ui.main)

    # Bad input first: the end before the start is named on its field and nothing is saved.
    ui.page.get_by_label("Titel:", exact=True).fill("Samverkansavtal Malå 2020–2022")
    ui.page.get_by_label("Gäller från").fill("2020-01-01")
    ui.page.get_by_label("Gäller till").fill("2019-12-31")
    ui.press_button("Spara")
    expect(ui.page.get_by_role("alert")).to_contain_text("Slutdatum kan inte vara före startdatum")
    ui.page.get_by_label("Gäller till").fill("2022-12-31")
    expect(ui.page.get_by_label("Malå", exact=True)).to_be_checked()
    ui.page.get_by_label("LPO Skellefteå").check()
    ui.page.get_by_label("Region Västerbotten").check()
    ui.page.get_by_label("Syfte").fill("En välkomnande och trygg kommun där alla samverkar.")
    ui.page.get_by_label("Effekter som eftersträvas").fill("Ökad trygghet\nFärre narkotikabrott")
    ui.page.get_by_label("Kommunikationsplan").fill(
        "Avtalet publiceras på kommunens och polisens webbplatser."
    )
    ui.page.get_by_label("Månad för årlig utvärdering").select_option(label="Februari")
    ui.page.get_by_label("Undertecknad i (ort)").fill("Malå")
    ui.press_button("Spara")
    expect(ui.page.locator("h1")).to_have_text("Samverkansavtal Malå 2020–2022")
    expect(ui.main.locator(".status")).to_have_text("Utkast")

    # The draft: focus areas (one with a sub-priority), fact sources with their rhythm, signatories.
    _add_focus_area(ui, "Narkotika")
    _add_focus_area(ui, "Trafik och buskörning")
    _add_focus_area(ui, "Ungdomar och narkotika", parent="Narkotika")
    _add_fact_source(ui, "Polisens underrättelseinformation", "Vid varje möte", restricted=True)
    _add_fact_source(ui, "Medborgarenkät / trygghetsmätning", "En gång per år", month="Oktober")
    _add_signatory(
        ui, "Kim Kommunalråd", "Kommunstyrelsens ordförande", party="Malå kommun – test", date="2019-12-16"
    )
    _add_signatory(
        ui,
        "Robin Polischef",
        "Lokalpolisområdeschef",
        party_text="Polisen, LPO Skellefteå",
        date="2019-12-18",
    )
    fokus = ui.main.locator("#fokusomraden").locator("..")
    expect(fokus).to_contain_text("Ungdomar och narkotika")

    # In force: a change now needs a dated reason, and a retired area stays, marked as retired.
    ui.press_button("Sätt i kraft")
    expect(ui.main.locator(".status").first).to_have_text("Gällande")
    _add_focus_area(ui, "Bedrägerier", date="2021-03-01")
    expect(ui.page.get_by_role("alert")).to_contain_text("Motivering")
    ui.page.get_by_label("Motivering").fill("Fler bedrägerier mot äldre under 2020.")
    ui.press_button("Spara")
    ui.click(ui.main.get_by_role("link", name="Avsluta Trafik och buskörning"))
    ui.page.get_by_label("Avslutas från och med").fill("2022-06-01")
    ui.page.get_by_label("Motivering").fill("Buskörningen har minskat.")
    ui.press_button("Avsluta fokusområdet")
    expect(ui.main.get_by_role("heading", name="Avslutade fokusområden")).to_be_visible()
    ui.main.get_by_text("Ändringshistorik för Bedrägerier").click()
    expect(ui.main).to_contain_text("Fler bedrägerier mot äldre under 2020.")
    ui.check()  # the opened disclosure

    # Print view and PDF.
    ui.click_link("Utskriftsversion", within=ui.main)
    expect(ui.main.get_by_role("heading", name="Underskrifter")).to_be_visible()
    expect(ui.main).to_contain_text("Robin Polischef")
    pdf = ui.page.request.get(ui.url(ui.main.get_by_role("link", name="Ladda ner PDF").get_attribute("href")))
    assert pdf.headers["content-type"] == "application/pdf"
    assert ".pdf" in pdf.headers["content-disposition"]
    assert pdf.body().startswith(b"%PDF")
    ui.click_link("Tillbaka till överenskommelsen", within=ui.main)

    # Årshjul (a year chosen in the period) and the public version.
    ui.click_link("Årshjul", within=ui.main)
    expect(ui.page.locator("h1")).to_have_text("Årshjul 2022")  # today is after the period: its last year
    ui.click_link("2021", within=ui.main)
    expect(ui.main.get_by_role("heading", name="Oktober")).to_be_visible()
    ui.click_link("Samverkansavtal Malå 2020–2022", within=ui.main)
    ui.click_link("Offentlig version", within=ui.main)
    expect(ui.main).to_contain_text("Förhandsvisning av den offentliga versionen")
    expect(ui.main).not_to_contain_text("underrättelseinformation")
    ui.click_link("Tillbaka till överenskommelsen", within=ui.main)

    # Renewal: a draft successor; the old one is ersatt and links to it; renewing again is refused.
    ui.click_link("Förnya", within=ui.main)
    ui.page.get_by_label("Titel på den nya överenskommelsen").fill("Samverkansavtal Malå 2023")
    ui.page.get_by_label("Gäller från").fill("2023-01-01")
    ui.page.get_by_label("Gäller till").fill("2023-12-31")
    ui.press_button("Förnya")
    expect(ui.page.locator("h1")).to_have_text("Samverkansavtal Malå 2023")
    expect(ui.main.locator(".status").first).to_have_text("Utkast")
    expect(ui.main).to_contain_text("Bedrägerier")  # active areas carried over
    ui.click_link("Samverkansavtal Malå 2020–2022", within=ui.main)
    expect(ui.main).to_contain_text("Ersatt av")
    expect(ui.main.get_by_role("link", name="Förnya")).to_have_count(0)
    ui.goto(ui.path + "fornya/")
    expect(ui.page.get_by_role("alert")).to_contain_text("redan förnyad")


def test_ledamot_reads_the_agreement_without_edit_buttons(ui, world):
    agreement = world.agreements["A"]["agreement"]
    ui.login(world.users["ledamot"])
    ui.goto(f"/samverkan/{world.a.pk}/overenskommelser/")
    ui.click_link(agreement.title, within=ui.main)
    expect(ui.page.locator("h1")).to_have_text(agreement.title)
    expect(ui.main).to_contain_text(CANARIES_A[Level.INTERN])
    expect(ui.main).not_to_contain_text(CANARIES_A[Level.BEGRANSAD])
    for name in ("Ändra uppgifter", "Förnya", "Lägg till fokusområde", "Lägg till undertecknare"):
        expect(ui.main.get_by_role("link", name=name)).to_have_count(0)
    expect(ui.main.get_by_role("button")).to_have_count(0)
    ui.click_link("Årshjul", within=ui.main)
    ui.goto(f"/offentlig/samverkan/{world.a.pk}/")
    ui.click_link(agreement.title, within=ui.main)
    expect(ui.main).not_to_contain_text(CANARIES_A[Level.INTERN])
    ui.goto(f"/samverkan/{world.a.pk}/overenskommelser/{agreement.pk}/andra/", status=403)


def test_five_kommun_network_across_two_counties(ui, world):
    """One agreement for five kommuner in Västerbotten and Norrbotten with three police areas."""
    from samverkan.core.models import Kommun

    codes = ["2418", "2417", "2422", "2505", "2506"]
    world.a.kommuner.set(Kommun.objects.filter(kod__in=codes))
    world.a.police_areas.set(
        PoliceArea.objects.filter(namn__in=["LPO Skellefteå", "LPO Lycksele", "LPO Piteå älvdal"])
    )
    for name in ("Länsstyrelsen Västerbotten", "Länsstyrelsen Norrbotten"):
        ParticipationFactory(
            collaboration=world.a,
            organisation=OrganisationFactory(
                name=name, kind=Organisation.Kind.LANSSTYRELSE, home_kommun_id=None
            ),
        )
    ui.login(world.users["samordnare"])
    ui.goto(f"/samverkan/{world.a.pk}/overenskommelser/ny/")
    ui.page.get_by_label("Titel:", exact=True).fill("Överenskommelse för fem inlandskommuner")
    ui.page.get_by_label("Gäller från").fill("2030-01-01")
    ui.page.get_by_label("Gäller till").fill("2032-12-31")
    for name in ("Malå", "Norsjö", "Sorsele", "Arvidsjaur", "Arjeplog"):
        ui.page.get_by_label(name, exact=True).check()
    for area in ("LPO Skellefteå", "LPO Lycksele", "LPO Piteå älvdal"):
        ui.page.get_by_label(area).check()
    ui.page.get_by_label("Länsstyrelsen Västerbotten").check()
    ui.page.get_by_label("Länsstyrelsen Norrbotten").check()
    ui.press_button("Spara")
    expect(ui.page.locator("h1")).to_have_text("Överenskommelse för fem inlandskommuner")
    parties = ui.main.locator("#parter").locator("..")
    for name in ("Arjeplogs kommun", "Sorsele kommun", "LPO Lycksele", "Länsstyrelsen Norrbotten"):
        expect(parties).to_contain_text(name)
