"""A samordnare opens the statistics map: hexagons are drawn (small ones hidden), the tables beside the map
carry the same counts, and the begränsad view adds the points. Every page state is checked with axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samverkan.core.models import Level
from samverkan.situation.models import Event, EventCategory

pytestmark = pytest.mark.e2e

TOWN = (65.1833, 18.7422)
NORTH = (65.40, 18.60)


def _events(world, point, n, level=Level.INTERN):
    category = EventCategory.objects.filter(collaboration=None, area_code="ordning").first()
    when = timezone.now() - dt.timedelta(days=10)
    for i in range(n):
        Event.objects.create(
            collaboration=world.a,
            level=level,
            category=category,
            occurred_at=when - dt.timedelta(hours=i),
            kommun_id="2418",
            latitude=point[0] + i * 0.00002,
            longitude=point[1],
            description=f"Händelse {i}",
        )


def _drawn(ui):
    box = ui.page.locator('[data-stat-map][data-ready="true"]')
    expect(box).to_be_visible()
    return box


def test_samordnare_sees_hexagons_with_a_table_alternative(ui, world):
    _events(world, TOWN, 7)
    _events(world, NORTH, 2)  # below the threshold: not drawn, not in the table
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
