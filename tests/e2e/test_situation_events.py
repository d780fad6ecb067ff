"""A ledamot reports an event by clicking on the map inside Malå and finds it in the list and on the map.

A click outside the kommun gives the Swedish error and keeps what was typed and picked. Every page (and
the drawn maps) is checked with axe through the `ui` fixture.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from samverkan.situation.models import Event

pytestmark = pytest.mark.e2e

MALA_TOWN = (65.1833, 18.7422)


def _wait_for_map(ui, mode):
    box = ui.page.locator(f'[data-event-map="{mode}"][data-ready="true"]')
    expect(box).to_be_visible()
    return box


def _pixel(ui, lat, lon):
    return ui.page.evaluate(
        """([lat, lon]) => {
            const map = document.querySelector('[data-event-map]').eventMap;
            const p = map.latLngToContainerPoint([lat, lon]);
            return {x: p.x, y: p.y};
        }""",
        [lat, lon],
    )


def test_ledamot_reports_an_event_by_clicking_the_map(ui, world):
    page = ui.page
    ui.login(world.users["ledamot"])
    ui.goto(f"/samverkan/{world.a.pk}/lagesbild/handelser/")
    _wait_for_map(ui, "show")
    ui.check()  # again, with the map drawn
    ui.click_link("Rapportera händelse", within=ui.main)

    page.get_by_label("Kategori").select_option(label="Skadegörelse och klotter")
    page.get_by_label("Annan plats").fill("Busskuren vid Malå skola")
    page.get_by_label("Vad hände?").fill("Krossad ruta i busskuren under natten.")
    box = _wait_for_map(ui, "pick")
    ui.check()
    canvas = box.locator(".event-map__canvas")
    latitude, longitude = page.get_by_label("Latitud"), page.get_by_label("Longitud")

    # Outside the kommun: the top right corner, beyond Malå's bounding box.
    size = canvas.bounding_box()
    assert size is not None
    canvas.click(position={"x": size["width"] - 8, "y": 8})
    outside = (latitude.input_value(), longitude.input_value())
    assert outside[0] and outside[1]
    expect(box.get_by_role("status")).to_contain_text("Vald punkt")
    ui.press_button("Spara")
    expect(page.get_by_role("alert")).to_contain_text("Punkten ligger utanför Malå.")
    expect(latitude).to_have_value(outside[0])
    expect(longitude).to_have_value(outside[1])
    expect(page.get_by_label("Vad hände?")).to_have_value("Krossad ruta i busskuren under natten.")
    assert not Event.objects.filter(description__startswith="Krossad ruta").exists()

    # Inside: Malå town.
    _wait_for_map(ui, "pick")
    ui.check()
    canvas.click(position=_pixel(ui, *MALA_TOWN))
    lat, lon = float(latitude.input_value()), float(longitude.input_value())
    assert abs(lat - MALA_TOWN[0]) < 0.01 and abs(lon - MALA_TOWN[1]) < 0.01
    ui.press_button("Spara")
    expect(page.get_by_role("status").first).to_contain_text("Händelsen är sparad.")
    expect(page.locator("h1")).to_have_text("Skadegörelse och klotter")
    event = Event.objects.get(description="Krossad ruta i busskuren under natten.")
    assert event.reported_by == world.users["ledamot"] and event.kommun_id == "2418"
    assert abs(event.latitude - MALA_TOWN[0]) < 0.01
    _wait_for_map(ui, "show")
    ui.check()

    # In the list and on the map.
    ui.click_link("Alla händelser", within=ui.main)
    table = ui.main.locator("table")
    expect(table).to_contain_text("Krossad ruta i busskuren under natten.")
    expect(table).to_contain_text("Busskuren vid Malå skola")
    _wait_for_map(ui, "show")
    markers = page.locator('[data-event-map="show"] path.leaflet-interactive')
    expect(markers).to_have_count(1)
    markers.first.click(force=True)
    popup = page.locator(".leaflet-popup")
    expect(popup).to_contain_text("Skadegörelse och klotter")
    expect(popup).to_contain_text("Krossad ruta i busskuren under natten.")
    page.wait_for_function("() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    ui.check()


def test_samordnare_names_a_place_that_the_event_form_then_offers(ui, world):
    """Places are managed by the samordnare (with a point picked on the map) and offered to reporters."""
    from samverkan.situation.models import Place

    ui.login(world.users["samordnare"])
    a = world.a.pk
    ui.goto(f"/samverkan/{a}/lagesbild/platser/")
    ui.click_link("Ny plats", within=ui.main)
    _wait_for_map(ui, "pick")
    ui.page.locator("#id_name").fill("Malå skola")
    ui.page.locator("#id_latitude").fill(str(MALA_TOWN[0]))
    ui.page.locator("#id_longitude").fill(str(MALA_TOWN[1]))
    ui.navigate(lambda: ui.main.get_by_role("button", name="Spara").first.click())
    expect(ui.main).to_contain_text("Malå skola")
    place = Place.objects.get(collaboration=world.a, name="Malå skola")
    assert place.latitude == pytest.approx(MALA_TOWN[0])

    ui.goto(f"/samverkan/{a}/lagesbild/handelser/ny/")
    expect(ui.page.get_by_label("Plats i listan")).to_contain_text("Malå skola")


def test_marking_a_sensitive_event_open_warns_and_needs_the_checkbox(ui, world):
    """The warning appears only for a sensitive category at level öppen, and saving needs its checkbox."""
    page = ui.page
    ui.login(world.users["ledamot"])
    ui.goto(f"/samverkan/{world.a.pk}/lagesbild/handelser/ny/")
    warning = page.locator("[data-sensitive-warning]")
    expect(warning).to_be_hidden()
    page.get_by_label("Kategori").select_option(label="Våld i nära relation")
    page.get_by_label("Vad hände?").fill("Grannar hörde bråk i lägenheten.")
    expect(warning).to_be_hidden()  # intern: nothing to warn about
    page.get_by_label("Öppen", exact=True).check()
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("antal per kommun och period")
    ui.check()  # axe, with the warning shown
    ui.press_button("Spara")
    expect(page.get_by_role("alert")).to_contain_text("Bekräfta att den ska vara öppen")
    assert not Event.objects.filter(description__startswith="Grannar hörde").exists()
    expect(warning).to_be_visible()
    page.get_by_label("Jag har läst varningen och vill ändå att händelsen ska vara öppen").check()
    ui.press_button("Spara")
    expect(page.get_by_role("status").first).to_contain_text("Händelsen är sparad.")
    assert Event.objects.get(description__startswith="Grannar hörde").level == "oppen"
