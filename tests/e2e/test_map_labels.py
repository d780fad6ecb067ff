"""Maps a reader can read: the kommun's border in view, place names, hexagon counts where they fit, and no two
labels overlapping, at desktop (1,280 px) and phone (375 px) width; axe on every state. The label placement
itself (map_labels.js) is tested on a dense case without a server."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samverkan.core.models import Level
from samverkan.situation.models import Event, EventCategory

pytestmark = pytest.mark.e2e

LABELS_JS = (
    Path(__file__).resolve().parents[2]
    / "samverkan"
    / "indicators"
    / "static"
    / "indicators"
    / "map_labels.js"
)
MALA = (65.2388, 18.7293)

# Every label on the map that is shown, with its box in page pixels.
VISIBLE_LABEL_BOXES = """(box) => Array.from(box.querySelectorAll('.map-label'))
    .filter((node) => !node.hidden && getComputedStyle(node).display !== 'none')
    .map((node) => { const r = node.getBoundingClientRect();
                     return {text: node.textContent, x: r.left, y: r.top, w: r.width, h: r.height,
                             kind: node.className}; })"""


def _overlapping(boxes):
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if (
                a["x"] < b["x"] + b["w"]
                and b["x"] < a["x"] + a["w"]
                and a["y"] < b["y"] + b["h"]
                and b["y"] < a["y"] + a["h"]
            ):
                pairs.append((a["text"], b["text"]))
    return pairs


def _dense_events(world):
    """A knot of events in and around Malå town: many hexagons close together, each above the threshold."""
    category = EventCategory.objects.filter(collaboration=None, area_code="ordning").first()
    when = timezone.now() - dt.timedelta(days=10)
    rng = random.Random(11)
    for cluster in range(14):
        lat = MALA[0] + rng.uniform(-0.12, 0.12)
        lon = MALA[1] + rng.uniform(-0.3, 0.3)
        for i in range(5 + cluster % 4):
            Event.objects.create(
                collaboration=world.a,
                level=Level.INTERN,
                category=category,
                occurred_at=when - dt.timedelta(hours=cluster * 10 + i),
                kommun_id="2418",
                latitude=lat + i * 0.00002,
                longitude=lon,
                description=f"Händelse {cluster}-{i}",
            )


@pytest.mark.parametrize("width", [1280, 375])
def test_the_map_shows_border_places_and_labels_that_never_overlap(ui, world, width):
    world.a.kommuner.add("2417")  # a two-kommun collaboration: both named on the map
    _dense_events(world)
    ui.page.set_viewport_size({"width": width, "height": 900})
    ui.login(world.users["samordnare"])
    ui.goto(f"/samverkan/{world.a.pk}/statistik/karta/")
    box = ui.page.locator('[data-stat-map][data-ready="true"]')
    expect(box).to_be_visible()
    ui.check()  # again, with the map drawn

    # The border of each kommun, the neighbours and the legend saying which is which.
    expect(box.locator("path.map-kommun")).to_have_count(2)
    expect(box.locator("path.map-neighbour")).not_to_have_count(0)
    expect(box.locator(".stat-map__legend")).to_contain_text("Kommungräns")

    # The view is fitted to the kommuner: their border fills most of the canvas and stays inside it.
    canvas = box.locator(".event-map__canvas").bounding_box()
    borders = [p.bounding_box() for p in box.locator("path.map-kommun").all()]
    left, top = min(b["x"] for b in borders), min(b["y"] for b in borders)
    right = max(b["x"] + b["width"] for b in borders)
    bottom = max(b["y"] + b["height"] for b in borders)
    assert left >= canvas["x"] - 1 and right <= canvas["x"] + canvas["width"] + 1
    assert top >= canvas["y"] - 1 and bottom <= canvas["y"] + canvas["height"] + 1
    assert max((right - left) / canvas["width"], (bottom - top) / canvas["height"]) > 0.8

    def check_labels():
        labels = box.evaluate(VISIBLE_LABEL_BOXES)
        texts = [label["text"] for label in labels]
        assert _overlapping(labels) == []
        for label in labels:  # inside the map
            assert (
                canvas["x"] - 1 <= label["x"] and label["x"] + label["w"] <= canvas["x"] + canvas["width"] + 1
            )
        return texts

    texts = check_labels()
    # Towns and villages are named around the data; the statistics' numbers come first, so in Malå's knot
    # its own name may give way, but the other kommun is named.
    assert "Norsjö" in texts
    places = [label for label in box.evaluate(VISIBLE_LABEL_BOXES) if "map-label--place" in label["kind"]]
    assert len(places) >= 3, texts

    # Zoomed in on the knot, the hexagons show their numbers, still without overlap.
    box.evaluate(f"(b) => b.statMap.setView([{MALA[0]}, {MALA[1]}], 10, {{animate: false}})")
    ui.page.wait_for_timeout(200)
    texts = check_labels()
    numbers = [t for t in texts if t.isdigit()]
    assert numbers, texts
    assert all(int(n) >= 5 for n in numbers)  # small counts stay hidden on the map too
    ui.check()


def test_label_placement_never_overlaps_on_a_dense_case(browser):
    """map_labels.js on its own: 400 labels thrown into a phone-sized view."""
    page = browser.new_page()
    page.set_content("<!doctype html><title>labels</title>")
    page.add_script_tag(path=str(LABELS_JS))
    result = page.evaluate(
        """() => {
            let seed = 7;
            const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
            const positions = ['right', 'left', 'above', 'below'];
            const candidates = [];
            for (let i = 0; i < 400; i++) {
              candidates.push({id: i, x: rnd() * 375, y: rnd() * 420, w: 20 + rnd() * 80, h: 14,
                               priority: i % 5, positions: i % 5 === 0 ? ['center'] : positions, offset: 6});
            }
            const obstacles = [{x: 0, y: 0, w: 34, h: 70}];
            const placed = SamverkanMapLabels.place(candidates, {width: 375, height: 420}, {obstacles});
            return {placed, obstacles, candidates};
        }"""
    )
    page.close()
    placed = result["placed"]
    boxes = [dict(p["box"], text=str(p["id"])) for p in placed]
    assert 20 < len(placed) < 400  # some shown, many dropped
    assert _overlapping(boxes) == []
    assert _overlapping([*boxes, dict(result["obstacles"][0], text="zoom")]) == []
    for p in placed:
        b = p["box"]
        assert b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["w"] <= 375 and b["y"] + b["h"] <= 420
    # Higher priority first: the first label of priority 0 that fits the view is always placed.
    first = next(
        c
        for c in result["candidates"]
        if c["priority"] == 0 and c["x"] - c["w"] / 2 > 34 and c["x"] + c["w"] / 2 < 375 and 7 < c["y"] < 413
    )
    assert first["id"] in {p["id"] for p in placed}


def test_a_colliding_label_moves_to_its_next_position_or_is_dropped(browser):
    page = browser.new_page()
    page.set_content("<!doctype html><title>labels</title>")
    page.add_script_tag(path=str(LABELS_JS))
    placed = page.evaluate(
        """() => SamverkanMapLabels.place([
            {id: 'b', x: 100, y: 100, w: 40, h: 14, priority: 2, positions: ['right', 'left'], offset: 6},
            {id: 'a', x: 100, y: 100, w: 40, h: 14, priority: 1, positions: ['right', 'left'], offset: 6},
            {id: 'c', x: 100, y: 100, w: 40, h: 14, priority: 3, positions: ['right', 'left'], offset: 6},
        ], {width: 300, height: 200})"""
    )
    page.close()
    assert [(p["id"], p["position"]) for p in placed] == [("a", "right"), ("b", "left")]


def test_a_label_never_covers_the_dot_of_another_place(browser):
    page = browser.new_page()
    page.set_content("<!doctype html><title>labels</title>")
    page.add_script_tag(path=str(LABELS_JS))
    placed = page.evaluate(
        """() => SamverkanMapLabels.place([
            {id: 'town', x: 100, y: 100, w: 40, h: 14, priority: 1, positions: ['right', 'left'], offset: 6, mark: 8},
            {id: 'village', x: 125, y: 100, w: 40, h: 14, priority: 2, positions: ['left', 'right'], offset: 6, mark: 8},
            {id: 'on-the-dot', x: 100, y: 100, w: 30, h: 14, priority: 3, positions: ['below'], offset: 6, mark: 8},
        ], {width: 300, height: 200})"""
    )
    page.close()
    # The village's dot would lie under the town's label, and a place whose dot falls on the town's dot has
    # nowhere to stand: both are dropped rather than drawn over the town.
    assert [(p["id"], p["position"]) for p in placed] == [("town", "right")]


@pytest.mark.parametrize("width", [1280, 375])
def test_the_event_map_names_places_without_overlap(ui, world, width):
    ui.page.set_viewport_size({"width": width, "height": 900})
    ui.login(world.users["ledamot"])
    ui.goto(f"/samverkan/{world.a.pk}/lagesbild/handelser/")
    box = ui.page.locator('[data-event-map][data-ready="true"]')
    expect(box).to_be_visible()
    expect(box.locator("path.map-kommun")).to_have_count(1)
    expect(box.locator("path.map-neighbour")).not_to_have_count(0)
    labels = box.evaluate(VISIBLE_LABEL_BOXES)
    assert "Malå" in [label["text"] for label in labels]
    assert _overlapping(labels) == []
    ui.check()


def test_the_deso_layer_shows_its_numbers_inside_the_areas_without_overlap(ui, world):
    from samverkan.indicators.models import CrimeCode, Deso, ImportRun, RegisteredCrime
    from tests.indicators.factories import ImportRunFactory

    run = ImportRunFactory(kind=ImportRun.Kind.CRIME_STATISTICS)
    CrimeCode.objects.create(code="9001", text="Skadegörelse", area_code="ordning")
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=40)).replace(day=1)
    for n in range(12):  # a grid of small areas around Malå, some below the threshold
        lat, lon = 65.10 + (n // 4) * 0.08, 18.45 + (n % 4) * 0.15
        square = [[lon, lat], [lon + 0.15, lat], [lon + 0.15, lat + 0.08], [lon, lat + 0.08], [lon, lat]]
        code = f"2418A{n:04d}"
        Deso.objects.create(
            code=code,
            kommun_id="2418",
            regso=f"Del {n}",
            geometry={"type": "Polygon", "coordinates": [square]},
        )
        RegisteredCrime.objects.create(
            kommun_id="2418", deso_id=code, month=month, crime_code="9001", count=3 + n * 2, import_run=run
        )
    ui.page.set_viewport_size({"width": 375, "height": 800})
    ui.login(world.users["ledamot"])
    ui.goto(f"/samverkan/{world.a.pk}/statistik/karta/?layer=deso")
    box = ui.page.locator('[data-stat-map][data-ready="true"]')
    expect(box).to_be_visible()
    box.evaluate("(b) => b.statMap.setView([65.22, 18.75], 10, {animate: false})")
    ui.page.wait_for_timeout(200)
    labels = box.evaluate(VISIBLE_LABEL_BOXES)
    numbers = [label["text"] for label in labels if "map-label--count" in label["kind"]]
    assert numbers and _overlapping(labels) == []
    assert "3" not in numbers  # 3 is below the threshold: the area says "färre än 5" or nothing
    ui.check()
