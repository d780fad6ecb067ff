"""A samordnare opens the statistics map: hexagons are drawn (small ones hidden), the tables beside the map
carry the same counts, and the begränsad view adds the points. Every page state is checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.situation.factories import events_at

pytestmark = pytest.mark.e2e

TOWN = (65.1833, 18.7422)
NORTH = (65.40, 18.60)


def _drawn(ui):
    box = ui.page.locator('[data-stat-map][data-ready="true"]')
    expect(box).to_be_visible()
    return box


def test_samordnare_sees_hexagons_with_a_table_alternative(ui, world):
    events_at(world.a, TOWN, 7)
    events_at(world.a, NORTH, 2)  # below the threshold: not drawn, not in the table
    ui.login(world.users["samordnare"])
    ui.goto(f"/samverkan/{world.a.pk}/statistik/karta/")
    box = _drawn(ui)
    assert box.get_attribute("data-features") == "1"
    expect(box.locator("path.leaflet-interactive")).to_have_count(1)
    # The number stands in the hexagon once it is large enough to hold it (zoomed in on the town).
    box.evaluate(f"(b) => b.statMap.setView([{TOWN[0]}, {TOWN[1]}], 11, {{animate: false}})")
    expect(box.locator(".map-label--count:not([hidden])")).to_have_text("7")
    expect(box.locator(".stat-map__legend li")).not_to_have_count(0)
    ui.check()  # again, with the map drawn

    table = ui.page.get_by_role("table", name="Sexhörningar på kartan, flest händelser först")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody td")).to_have_text("7")
    expect(ui.main).to_contain_text("Områden med färre än 5 händelser visas inte")
    expect(ui.page.get_by_role("table", name="Medlemmarnas händelser per veckodag och timme")).to_be_visible()

    # The begränsad view: both clusters with exact counts, and the nine points.
    ui.page.get_by_label("Begränsad vy: exakta tal och händelsernas punkter").check()
    ui.press_button("Visa")
    box = _drawn(ui)
    assert box.get_attribute("data-features") == "2"
    expect(box.locator("path.leaflet-interactive")).to_have_count(2 + 9)
    expect(
        ui.page.get_by_role("table", name="Händelsernas punkter (begränsad vy)").locator("tbody tr")
    ).to_have_count(9)
    ui.check()
