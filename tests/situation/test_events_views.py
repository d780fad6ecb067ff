"""Event and place pages per role: list with filters and map, report, edit, delete; places for the samordnare."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.core.models import AuditEntry, Level
from samverkan.situation.models import Event, EventCategory, Place
from samverkan.situation.services.events import event_create

MALA = (65.1833, 18.7422)
MORA = (61.0047, 14.5373)


def url(name, world, **kwargs):
    return reverse(f"situation:{name}", kwargs={"collaboration_id": world.a.pk, **kwargs})


def form_data(**overrides):
    category = EventCategory.objects.get(collaboration=None, name="Skadegörelse och klotter")
    data = {
        "category": str(category.pk),
        "occurred_at": (timezone.localtime() - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "kommun": "2418",
        "place_name": "Busskuren vid skolan",
        "latitude": str(MALA[0]),
        "longitude": str(MALA[1]),
        "description": "Krossad ruta i busskuren.",
        "level": "intern",
    }
    data.update(overrides)
    return data


def ledamot_event(world):
    return event_create(
        collaboration=world.a,
        acting_user=world.users["ledamot"],
        category=EventCategory.objects.get(collaboration=None, name="Hot"),
        occurred_at=timezone.now() - dt.timedelta(days=1),
        kommun="2418",
        description="Hot mot personal i affären.",
    )


# --- List ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["samordnare", "polis", "ledamot", "lasare"])
def test_members_see_the_list_with_map_and_table(world, persona):
    response = world.client(persona).get(url("event_list", world))
    assert response.status_code == 200
    body = response.content.decode()
    assert "KANARIE-A-INTERN händelse" in body
    assert 'data-event-map="show"' in body and "handelsekarta-data" in body
    assert ("Rapportera händelse" in body) == (persona != "lasare")


def test_outsider_gets_404(world):
    assert world.client("outsider").get(url("event_list", world)).status_code == 404
    event = world.situation["A"]["events"][Level.INTERN]
    assert world.client("outsider").get(url("event_detail", world, event_id=event.pk)).status_code == 404


@pytest.mark.parametrize("persona", ["ledamot", "lasare"])
def test_begransad_event_never_listed_for_members_without_the_role(world, persona):
    client = world.client(persona)
    body = client.get(url("event_list", world)).content.decode()
    assert "KANARIE-A-BEGRANSAD" not in body
    event = world.situation["A"]["events"][Level.BEGRANSAD]
    assert client.get(url("event_detail", world, event_id=event.pk)).status_code == 404


def test_begransad_events_shown_to_polis_are_audit_logged(world):
    event = world.situation["A"]["events"][Level.BEGRANSAD]
    body = world.client("polis").get(url("event_list", world)).content.decode()
    assert "KANARIE-A-BEGRANSAD händelse" in body
    assert AuditEntry.objects.filter(
        action="read", target_type="situation.event", target_id=str(event.pk), actor=world.users["polis"]
    ).exists()


def test_map_data_holds_the_points_and_no_markup(world):
    event = ledamot_event(world)
    Event.objects.filter(pk=event.pk).update(
        latitude=MALA[0], longitude=MALA[1], description="<script>alert(1)</script>"
    )
    body = world.client("ledamot").get(url("event_list", world)).content.decode()
    data = body[body.index('id="handelsekarta-data"') :]
    data = data[: data.index("</ul>")]
    assert f'data-latitude="{MALA[0]}" data-longitude="{MALA[1]}" data-area="vald"' in data
    assert f'data-url="{url("event_detail", world, event_id=event.pk)}"' in data
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in data  # escaped; the script draws it as text
    assert "<script>alert(1)" not in body


def test_the_map_partial_takes_plain_dicts_with_objects(world):
    """The joint picture may pass its own dicts (objects as values, no area): they print as text."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    event = world.situation["A"]["events"][Level.INTERN]
    rows = [
        {
            "latitude": 65.18,
            "longitude": 18.74,
            "label": event.description,
            "category": event.category,
            "occurred_at": event.occurred_at,
            "place": event.place,
        },
        {
            "latitude": None,
            "longitude": None,
            "label": "utan punkt",
            "category": "Hot",
            "occurred_at": event.occurred_at,
            "place": None,
        },
    ]
    html = render_to_string(
        "situation/_event_map.html",
        {"collaboration": world.a, "map_events": rows, "map_kommun_codes": ["2418"]},
        request=RequestFactory().get("/"),
    )
    assert 'data-latitude="65.18" data-longitude="18.74"' in html
    assert '<span data-key="category">Hot</span>' in html and "Torget A" in html
    assert "utan punkt" in html  # in the table, not on the map
    assert "kommungranser.json?kod=2418" in html


def test_filters_narrow_the_table(world):
    client = world.client("samordnare")
    ledamot_event(world)  # "Hot", area vald, yesterday
    threat = url("event_list", world) + "?area_code=vald"
    body = client.get(threat).content.decode()
    assert "Hot mot personal" in body
    body = client.get(url("event_list", world) + "?area_code=ordning").content.decode()
    assert "Hot mot personal" not in body
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    body = client.get(url("event_list", world) + f"?start={yesterday}&end={yesterday}").content.decode()
    assert "Hot mot personal" in body and "KANARIE-A-INTERN händelse" not in body
    category = EventCategory.objects.get(collaboration=None, name="Skadegörelse och klotter")
    body = client.get(url("event_list", world) + f"?category={category.pk}").content.decode()
    assert "Hot mot personal" not in body


def test_bad_filter_says_so_and_shows_everything(world):
    response = world.client("samordnare").get(url("event_list", world) + "?start=2026-11-10&end=2026-11-01")
    assert response.status_code == 200
    assert "Slutdatum kan inte vara före startdatum." in response.content.decode()


def test_pagination_keeps_the_filters(world):
    for _ in range(26):
        ledamot_event(world)
    body = world.client("ledamot").get(url("event_list", world) + "?area_code=vald").content.decode()
    assert "area_code=vald&amp;sida=2" in body


# --- Create ---------------------------------------------------------------------------------------------


def test_ledamot_reports_an_event(world):
    client = world.client("ledamot")
    page = client.get(url("event_create", world)).content.decode()
    assert '<optgroup label="Ordningsstörningar och otrygghet">' in page
    assert 'type="datetime-local"' in page and 'data-event-map="pick"' in page
    response = client.post(url("event_create", world), form_data())
    event = Event.objects.get(description="Krossad ruta i busskuren.")
    assert response.status_code == 302
    assert response["Location"] == url("event_detail", world, event_id=event.pk)
    assert (event.latitude, event.longitude, event.organisation) == (*MALA, world.org_a)
    assert event.level == Level.INTERN and event.reported_by == world.users["ledamot"]


def test_polis_form_starts_begransad(world):
    page = world.client("polis").get(url("event_create", world)).content.decode()
    assert 'value="begransad" required id="id_level_2" checked' in page


def test_point_outside_gives_the_swedish_error_and_keeps_the_input(world):
    response = world.client("ledamot").post(
        url("event_create", world), form_data(latitude=str(MORA[0]), longitude=str(MORA[1]))
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Punkten ligger utanför Malå." in body
    assert f'value="{MORA[0]}"' in body and "Krossad ruta i busskuren." in body
    assert not Event.objects.filter(description="Krossad ruta i busskuren.").exists()


def test_personal_data_warns_before_saving_intern_text(world):
    client = world.client("ledamot")
    data = form_data(description="Anmälare på 070-123 45 67 hörde av sig.")
    response = client.post(url("event_create", world), data)
    assert response.status_code == 200
    assert "telefonnummer" in response.content.decode()
    assert not Event.objects.filter(description__startswith="Anmälare").exists()
    response = client.post(url("event_create", world), {**data, "acknowledge_personal_data": "on"})
    assert response.status_code == 302


def test_a_personnummer_is_refused_in_intern_text_whatever_is_ticked(world):
    # Changed by issue 11 item 3 (the test above used a personnummer, which the tick box let through).
    client = world.client("ledamot")
    data = {**form_data(description="Anmälare 121212-1212 hörde av sig."), "acknowledge_personal_data": "on"}
    response = client.post(url("event_create", world), data)
    assert response.status_code == 200
    assert "aldrig finnas i fritext" in response.content.decode()
    assert not Event.objects.filter(description__startswith="Anmälare").exists()


def test_reader_gets_403(world):
    client = world.client("lasare")
    assert client.get(url("event_create", world)).status_code == 403
    assert client.post(url("event_create", world), form_data()).status_code == 403
    assert not Event.objects.filter(description="Krossad ruta i busskuren.").exists()


# --- Edit and delete -----------------------------------------------------------------------------------------


def test_ledamot_cannot_edit_or_delete_another_members_event(world):
    event = world.situation["A"]["events"][Level.INTERN]  # reported by the samordnare
    client = world.client("ledamot")
    assert client.get(url("event_edit", world, event_id=event.pk)).status_code == 403
    assert client.post(url("event_edit", world, event_id=event.pk), form_data()).status_code == 403
    assert client.post(url("event_delete", world, event_id=event.pk)).status_code == 403
    assert Event.objects.filter(pk=event.pk, description="KANARIE-A-INTERN händelse").exists()
    detail = client.get(url("event_detail", world, event_id=event.pk)).content.decode()
    assert "Ta bort händelsen" not in detail


def test_ledamot_edits_own_event(world):
    event = ledamot_event(world)
    client = world.client("ledamot")
    page = client.get(url("event_edit", world, event_id=event.pk)).content.decode()
    assert "Hot mot personal i affären." in page
    category = EventCategory.objects.get(collaboration=None, name="Hot")
    response = client.post(
        url("event_edit", world, event_id=event.pk),
        form_data(category=str(category.pk), description="Ändrad text."),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.description == "Ändrad text." and event.latitude == MALA[0]


def test_samordnare_edits_and_deletes_a_members_event(world):
    event = ledamot_event(world)
    client = world.client("samordnare")
    response = client.post(
        url("event_edit", world, event_id=event.pk), form_data(description="Samordnarens rättelse.")
    )
    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).description == "Samordnarens rättelse."
    assert client.get(url("event_delete", world, event_id=event.pk)).status_code == 405
    response = client.post(url("event_delete", world, event_id=event.pk))
    assert response.status_code == 302 and response["Location"] == url("event_list", world)
    assert not Event.objects.filter(pk=event.pk).exists()


# --- Boundaries --------------------------------------------------------------------------------------------


def test_boundaries_are_the_collaborations_kommuner_only(world):
    client = world.client("ledamot")
    data = client.get(url("kommun_boundaries", world)).json()
    assert [f["properties"]["kod"] for f in data["features"]] == ["2418"]
    assert client.get(url("kommun_boundaries", world) + "?kod=2039").json()["features"] == []
    assert world.client("outsider").get(url("kommun_boundaries", world)).status_code == 404


# --- Places ---------------------------------------------------------------------------------------------------


def test_samordnare_manages_places(world):
    client = world.client("samordnare")
    response = client.post(
        url("place_create", world),
        {"name": "Malå skola", "kommun": "2418", "latitude": MALA[0], "longitude": MALA[1]},
    )
    assert response.status_code == 302
    place = Place.objects.get(name="Malå skola")
    response = client.post(url("place_create", world), {"name": "malå skola", "kommun": "2418"})
    assert "Det finns redan en plats med det namnet i Malå." in response.content.decode()
    response = client.post(
        url("place_edit", world, place_id=place.pk), {"name": "Malå centralskola", "kommun": "2418"}
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.name == "Malå centralskola" and place.latitude is None
    assert client.get(url("place_delete", world, place_id=place.pk)).status_code == 200
    assert client.post(url("place_delete", world, place_id=place.pk)).status_code == 302
    assert not Place.objects.filter(pk=place.pk).exists()


def test_places_appear_in_the_event_form(world):
    page = world.client("ledamot").get(url("event_create", world)).content.decode()
    assert "Torget A" in page and "Torget B" not in page


@pytest.mark.parametrize("persona", ["polis", "ledamot", "lasare"])
def test_only_samordnare_changes_places(world, persona):
    client = world.client(persona)
    place = world.situation["A"]["place"]
    assert client.get(url("place_list", world)).status_code == 200
    assert client.get(url("place_create", world)).status_code == 403
    assert client.post(url("place_create", world), {"name": "X", "kommun": "2418"}).status_code == 403
    assert (
        client.post(url("place_edit", world, place_id=place.pk), {"name": "X", "kommun": "2418"}).status_code
        == 403
    )
    assert client.post(url("place_delete", world, place_id=place.pk)).status_code == 403
    assert Place.objects.filter(pk=place.pk, name="Torget A").exists()


def test_outsider_gets_404_for_places(world):
    client = world.client("outsider")
    place = world.situation["A"]["place"]
    assert client.get(url("place_list", world)).status_code == 404
    assert client.post(url("place_delete", world, place_id=place.pk)).status_code == 404


def test_boundaries_carry_the_context_the_event_map_draws(world):
    data = world.client("lasare").get(url("kommun_boundaries", world)).json()
    context = data["context"]
    assert [f["properties"]["name"] for f in context["kommuner"]["features"]] == ["Malå"]
    assert {"Norsjö", "Sorsele"} <= {f["properties"]["name"] for f in context["neighbours"]["features"]}
    assert {"name": "Malå", "lat": 65.2388, "lon": 18.7293, "rank": 1} in context["places"]
    assert context["bounds"][0][0] < 65.0 < context["bounds"][1][0]
    # Narrowed to a kommun outside the collaboration: nothing, not even its context.
    other = world.client("lasare").get(url("kommun_boundaries", world) + "?kod=2039").json()["context"]
    assert other["kommuner"]["features"] == [] and other["places"] == [] and other["bounds"] is None
