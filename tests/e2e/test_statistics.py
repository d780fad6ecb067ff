"""The data steward imports a Brå table (preview → confirm → report); a samordnare then reads the
indicator's chart and its table. Every page (and the drawn chart) is checked with axe through `ui`."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from samverkan.indicators.models import DataPoint, ImportRun, Target
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

# Brå's columns, semicolon-separated with decimal commas, the way Excel saves a Swedish CSV.
BRA_CSV = (
    "regionkod;geografi;ar;variabel;enhet;varde\n"
    "2418;Malå;2023;Skadegörelsebrott;Antal;41,5\n"
    "2418;Malå;2024;Skadegörelsebrott;Antal;37,0\n"
    "24;Västerbottens län;2024;Skadegörelsebrott;Antal;2417,0\n"
).encode()


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def test_steward_imports_bra_and_samordnare_reads_the_chart(ui, world):
    page = ui.page
    steward = UserFactory(
        username="forvaltare", email="forvaltare@example.org", is_superuser=True, is_staff=True
    )
    ui.login(steward)
    ui.goto("/statistik/importer/")
    page.get_by_label("Tabellens format").select_option(label="Brå, anmälda brott")
    page.get_by_label(re.compile(r"^Fil:?$")).set_input_files(
        files=[{"name": "bra_mala.csv", "mimeType": "text/csv", "buffer": BRA_CSV}]
    )
    ui.press_button("Förhandsgranska")

    expect(page.locator("h1")).to_have_text("Förhandsgranska import")
    expect(ui.main).to_contain_text("semikolon")
    expect(page.locator("table.import-preview")).to_contain_text("41,5")
    expect(page.get_by_label("Värde")).to_have_value("varde")
    assert not ImportRun.objects.exists()
    ui.press_button("Importera")

    expect(page.locator("h1")).to_contain_text("Importrapport: bra_mala.csv")
    expect(page.locator("table.import-counts")).to_contain_text("3")
    run = ImportRun.objects.get()
    assert run.by_user == steward and run.counts["lines"] == 3
    assert DataPoint.objects.filter(import_run=run).count() == 3

    # A target set for the collaboration is drawn as a dashed line and gets its own table column.
    indicator = DataPoint.objects.filter(import_run=run, kommun_id="2418").first().indicator
    Target.objects.create(
        indicator=indicator, collaboration=world.a, value=Decimal("30"), label="Färre brott"
    )

    page.context.clear_cookies()
    ui.login(world.users["samordnare"])
    ui.goto(f"/samverkan/{world.a.pk}/statistik/")
    ui.click_link("Skadegörelsebrott", within=ui.main)
    expect(page.locator("h1")).to_contain_text("Skadegörelsebrott")
    figure = page.locator('[data-indicator-chart][data-ready="true"]')
    expect(figure).to_be_visible()
    ui.check()  # again, with the chart drawn
    canvas = figure.locator("canvas")
    expect(canvas).to_have_attribute("role", "img")
    assert "Skadegörelsebrott i Malå" in (canvas.get_attribute("aria-label") or "")
    # A count starts per 10,000 inhabitants: the kommun and its län on one axis.
    assert "per 10 000 invånare" in (canvas.get_attribute("aria-label") or "")
    expect(page.get_by_role("radio", name="Per 10 000 invånare")).to_be_checked()

    # The count itself: the län gets an axis of its own, so Malå is not a flat line at the bottom.
    page.get_by_role("radio", name="Antal", exact=True).check()
    ui.press_button("Visa")
    figure = page.locator('[data-indicator-chart][data-ready="true"]')
    expect(figure).to_be_visible()
    ui.check()
    table = page.locator("details.indicator-table table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").nth(0)).to_contain_text("41,5")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("37")
    expect(table).to_contain_text("2\u202f417")  # the län's value beside the kommun's, grouped
    expect(table.locator("thead")).to_contain_text("Mål")
    chart = "document.querySelector('[data-indicator-chart]').chart"
    assert page.evaluate(f"{chart}.data.datasets.map(d => d.label)") == [
        "Malå",
        "Västerbottens län",
        "Mål: Färre brott",
    ]
    assert page.evaluate(f"{chart}.data.datasets.map(d => d.yAxisID || 'y')") == ["y", "y2", "y"]
    assert page.evaluate(f"{chart}.options.scales.y2.title.text") == "antal, Västerbottens län"
