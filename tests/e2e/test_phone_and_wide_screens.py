"""Phone (375 px) and wide (1,280 px) screens: the collaboration menu folds behind a button on a phone, and
the joint picture's matrix of every organisation reads on both without sideways scrolling of the page.
Every page goes through axe (the `ui` fixture)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samverkan.core.models import Level, Organisation
from samverkan.situation.defaults import ensure_default_template
from samverkan.situation.models import PictureVersion, Question, Round
from samverkan.situation.services.rounds import (
    report_get_or_create,
    report_save,
    report_submit,
    round_create,
)
from tests.factories import OrganisationFactory, ParticipationFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}
WIDE = {"width": 1280, "height": 900}

# Long names, as real ones are: the matrix measured 1,251 px with the demo's seven.
ORGANISATIONS = [
    "Hälsocentralen i Malå, Region Västerbotten",
    "Malå kommun – fritidsgården",
    "Malå kommun – kommunledningen",
    "Malå kommun – skolan",
    "Malå kommun – socialtjänsten",
    "Malå räddningstjänst",
    "Polisen, LPO Skellefteå",
]
NOT_REPORTING = "Malå kommun – skolan"

PAGE_WIDTH_JS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"


def assert_no_page_scroll(ui) -> None:
    scroll_width, inner_width = ui.page.evaluate(PAGE_WIDTH_JS)
    assert scroll_width <= inner_width, f"{ui.path}: the page is {scroll_width} px wide in {inner_width} px"


def _round_with_seven_organisations(world) -> Round:
    """This month's round of collaboration A; six organisations report (the police's cells begränsad)."""
    samordnare = world.users["samordnare"]
    organisations = []
    for name in ORGANISATIONS:
        organisation = OrganisationFactory(name=name, home_kommun_id="2418")
        ParticipationFactory(collaboration=world.a, organisation=organisation)
        organisations.append(organisation)
    round_ = round_create(
        collaboration=world.a,
        template=ensure_default_template(),
        period=Round.Period.MONTH,
        period_start=timezone.localdate().replace(day=1),
        organisations=organisations,
        acting_user=samordnare,
    )
    questions = list(Question.objects.filter(section__template=round_.template, required=True))
    for i, organisation in enumerate(organisations):
        if organisation.name == NOT_REPORTING:
            continue
        police = organisation.name.startswith("Polisen")
        level = {"level": Level.BEGRANSAD, "restricted_to": ["polis", "samordnare"]} if police else {}
        answers = {
            q.pk: (
                {"status": ("gron", "gul", "orange", "rod")[i % 4], **level}
                if q.kind == Question.Kind.STATUS
                else {"trend": ("okar", "minskar", "oforandrat")[i % 3], **level}
            )
            for q in questions
        }
        report = report_get_or_create(round_=round_, organisation=organisation, acting_user=samordnare)
        report_save(report=report, answers=answers, acting_user=samordnare)
        report_submit(report=report, acting_user=samordnare)
    return round_


def test_the_menu_folds_behind_a_button_on_a_phone_and_shows_in_full_on_a_wide_screen(ui, world):
    ui.page.set_viewport_size(PHONE)
    ui.login(world.users["samordnare"])
    ui.goto(f"/samverkan/{world.a.pk}/")
    menu = ui.sidebar.locator("#sidebar-menu")
    button = ui.sidebar.get_by_role("button", name="Meny")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "sidebar-menu")
    expect(menu).to_be_hidden()
    # The page's own heading is on the first screen, not below the menu.
    expect(ui.page.locator("h1")).to_be_in_viewport()
    assert_no_page_scroll(ui)

    # The skip link is still the first thing to tab to; then the button opens the menu from the keyboard.
    ui.page.keyboard.press("Tab")
    expect(ui.page.get_by_role("link", name="Hoppa till huvudinnehållet")).to_be_focused()
    button.focus()
    ui.page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Meddelanden")).to_be_visible()
    ui.check()  # the open menu passes axe too
    ui.page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()

    button.click()
    ui.click_link("Meddelanden", within=ui.sidebar)
    expect(ui.page.locator("h1")).to_have_text("Meddelanden")
    expect(ui.sidebar.locator("#sidebar-menu")).to_be_hidden()  # folded again on the next page

    ui.page.set_viewport_size(WIDE)
    expect(ui.sidebar.get_by_role("button", name="Meny")).to_be_hidden()
    expect(ui.sidebar.get_by_role("link", name="Meddelanden")).to_be_visible()
    ui.check()


def test_without_javascript_the_menu_is_open_and_the_button_absent(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="sv-SE")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/konto/login/")
        page.get_by_label("E-post").fill(world.users["ledamot"].email)
        page.get_by_label("Lösenord").fill("losenord-for-test-1")
        page.locator("main").get_by_role("button", name="Logga in").click()
        page.goto(f"{live_server.url}/samverkan/{world.a.pk}/")
        expect(page.get_by_role("button", name="Meny")).to_have_count(0)
        expect(page.locator("nav.sidebar").get_by_role("link", name="Meddelanden")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["375px", "1280px"])
def test_every_organisation_s_assessment_reads_without_sideways_scrolling(ui, world, viewport):
    round_ = _round_with_seven_organisations(world)
    ui.page.set_viewport_size(viewport)
    ui.login(world.users["samordnare"])
    ui.goto(f"/samverkan/{world.a.pk}/lagesbild/omgangar/{round_.pk}/lagesbild/")
    assert_no_page_scroll(ui)
    matrix = ui.page.locator("#picture-matrix")
    expect(matrix).to_contain_text("6 av 7 tillfrågade aktörer har skickat in")
    areas = list(round_.template.sections.order_by("order").values_list("title", flat=True))

    if viewport is WIDE:
        table = matrix.get_by_role("table", name="Läge och utveckling per område och aktör")
        expect(table).to_be_visible()
        # The whole table is in view: no column hides behind the region's own scrollbar either.
        region = matrix.get_by_role("region", name="Läge och utveckling per område och aktör")
        overflow = region.evaluate("e => e.scrollWidth - e.clientWidth")
        assert overflow <= 0, f"the table is {overflow} px wider than its region"
        for name in ORGANISATIONS:
            header = table.get_by_role("columnheader", name=name)
            expect(header).to_be_in_viewport()
        first_row = table.get_by_role("row").nth(1)
        expect(first_row.get_by_role("rowheader")).to_contain_text(areas[0])
        expect(first_row.get_by_role("cell")).to_have_count(len(ORGANISATIONS))
        expect(first_row).to_contain_text("Ej rapporterat")
        # The police's begränsad cell shows its level; its details open on demand.
        police = first_row.get_by_role("cell").nth(ORGANISATIONS.index("Polisen, LPO Skellefteå"))
        expect(police).to_contain_text("Begränsad")
        police.get_by_text("Jämför").click()
        expect(police.locator("details[open]")).to_contain_text("Samordnare")  # who may read it
        ui.check()
        expect(matrix.locator(".picture-cards")).to_be_hidden()
    else:
        expect(matrix.get_by_role("table")).to_be_hidden()
        for title in areas:
            card = matrix.get_by_role("region", name=title, exact=True)
            expect(card).to_be_visible()
            for name in ORGANISATIONS:
                entry = card.locator("dt", has_text=name)
                expect(entry).to_be_visible()
            expect(card.locator("dd", has_text="Ej rapporterat")).to_have_count(1)
            expect(card.get_by_text("Begränsad")).to_be_visible()
        ui.check()


def test_agreeing_without_the_police_s_report_warns_and_asks_for_an_acknowledgement(ui, world):
    """On a phone, as the samordnare at the meeting would: the warning first, the checkbox required."""
    police = OrganisationFactory(name="Polisen, LPO Skellefteå", kind=Organisation.Kind.POLIS)
    ParticipationFactory(collaboration=world.a, organisation=police)
    samordnare = world.users["samordnare"]
    round_ = round_create(
        collaboration=world.a,
        template=ensure_default_template(),
        period=Round.Period.MONTH,
        period_start=timezone.localdate().replace(day=1),
        organisations=[world.org_a, police],
        acting_user=samordnare,
    )
    report = report_get_or_create(round_=round_, organisation=world.org_a, acting_user=samordnare)
    report_save(
        report=report,
        answers={
            q.pk: {"status": "gul"} if q.kind == Question.Kind.STATUS else {"trend": "okar"}
            for q in Question.objects.filter(section__template=round_.template, required=True)
        },
        acting_user=samordnare,
    )
    report_submit(report=report, acting_user=samordnare)

    ui.page.set_viewport_size(PHONE)
    ui.login(samordnare)
    ui.goto(f"/samverkan/{world.a.pk}/lagesbild/omgangar/{round_.pk}/lagesbild/")
    ui.page.locator("#id_meeting").fill("REK-gruppen")
    ui.press_button("Granska och fastställ")
    warning = ui.main.get_by_role("region", name="Alla har inte rapporterat")
    expect(warning).to_be_in_viewport()
    expect(warning).to_contain_text("Polisen har inte rapporterat (Polisen, LPO Skellefteå).")
    expect(ui.main.get_by_role("table", name="Områden i den fastställda versionen")).to_be_visible()
    assert_no_page_scroll(ui)

    ui.press_button("Fastställ lägesbilden")
    expect(ui.page.get_by_role("alert")).to_contain_text("Bekräfta att gruppen vet vilka aktörer")
    assert not PictureVersion.objects.filter(picture__round=round_).exists()
    ui.page.get_by_label("Jag vet att Polisen, LPO Skellefteå inte har rapporterat", exact=False).check()
    ui.press_button("Fastställ lägesbilden")
    expect(ui.main).to_contain_text("Version 1")
    assert PictureVersion.objects.filter(picture__round=round_).count() == 1


def _sweep(ui, start: list[str], *, limit: int) -> list[str]:
    """Visit the pages linked from ``start`` (main content and menus, GET only) at the present width; return
    those the page scrolls sideways on. Every page is checked with axe on the way."""
    skip = ("pdf", "xlsx", "ics", "csv", "/konto/", "/admin", "/api/", "sida=", "/static/", "oppen=")
    seen: set[str] = set()
    queue, too_wide = list(start), []
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or any(part in path for part in skip):
            continue
        seen.add(path)
        ui.goto(path)
        scroll_width, inner_width = ui.page.evaluate(PAGE_WIDTH_JS)
        if scroll_width > inner_width:
            too_wide.append(f"{path} ({scroll_width} px)")
        for href in ui.page.eval_on_selector_all(
            "main a[href], nav a[href]", "links => links.map(a => a.getAttribute('href'))"
        ):
            if href.startswith("/") and href.split("#")[0] not in seen:
                queue.append(href.split("#")[0])
    return too_wide


def test_no_page_of_a_collaboration_scrolls_sideways_on_a_phone(ui, world):
    """Every page a samordnare reaches from the collaboration's menu and their links, at 375 px. The
    participants page offered existing organisations in a select as wide as the longest name (411 px)."""
    OrganisationFactory(name="Region Västerbotten – Hälsocentralen i Malå och ungdomsmottagningen")
    ui.page.set_viewport_size(PHONE)
    ui.login(world.users["samordnare"])
    too_wide = _sweep(ui, [f"/samverkan/{world.a.pk}/", f"/samverkan/{world.a.pk}/aktorer/"], limit=45)
    assert not too_wide, f"pages wider than 375 px: {too_wide}"


def test_the_import_report_fits_a_phone(ui, world):
    """The report's 64-digit SHA-256 had nowhere to wrap and made the page 501 px wide."""
    from tests.factories import UserFactory
    from tests.indicators.factories import ImportRunFactory

    admin = UserFactory(username="driften", email="driften@example.org", is_superuser=True, is_staff=True)
    run = ImportRunFactory(file_name="polisen_handelser.jsonl.gz", by_user=admin, counts={"imported": 3})
    ui.page.set_viewport_size(PHONE)
    ui.login(admin)
    ui.goto(f"/statistik/importer/{run.pk}/")
    assert_no_page_scroll(ui)
