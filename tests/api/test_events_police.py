"""Police events in /events: imported open data next to the members' own, marked by source, filtered by
kommun, collaboration, period, type and area, merged newest first, and never changed through the API."""

from __future__ import annotations

import io
import json

import pytest

from samverkan.core.models import Level
from samverkan.indicators.models import PoliceEvent
from samverkan.indicators.services import import_police_events

A_SECRET = "KANARIE-A-BEGRANSAD"

# The API's own shape and quirks: hour without leading zero, relative url, a län as the location.
POLICE = [
    {
        "id": 9001,
        "datetime": "2026-10-20 9:05:00 +02:00",
        "name": "20 oktober 08.40, Misshandel, Malå",
        "summary": "En man misshandlad vid torget.",
        "url": "/aktuellt/handelser/2026/oktober/20/misshandel-mala/",
        "type": "Misshandel",
        "location": {"name": "Malå", "gps": "65.18,18.74"},
    },
    {
        "id": 9002,
        "datetime": "2026-10-18 22:10:00 +02:00",
        "name": "18 oktober 21.30, Rattfylleri, Malå",
        "summary": "Bilförare stoppad.",
        "url": "/aktuellt/handelser/2026/oktober/18/rattfylleri-mala/",
        "type": "Rattfylleri",
        "location": {"name": "Malå", "gps": "65.18,18.74"},
    },
    {
        "id": 9003,
        "datetime": "2026-10-19 12:00:00 +02:00",
        "name": "19 oktober 11.00, Trafikolycka, Västerbottens län",
        "summary": "Singelolycka på länsväg.",
        "url": "/aktuellt/handelser/2026/oktober/19/trafikolycka/",
        "type": "Trafikolycka",
        "location": {"name": "Västerbottens län", "gps": "64.75,17.5"},
    },
    {
        "id": 9004,
        "datetime": "2026-10-17 15:00:00 +02:00",
        "name": "17 oktober 14.00, Stöld, Älvdalen",
        "summary": "Stöld ur förråd.",
        "url": "/aktuellt/handelser/2026/oktober/17/stold-alvdalen/",
        "type": "Stöld",
        "location": {"name": "Älvdalen", "gps": "61.23,14.04"},
    },
]


@pytest.fixture
def police(world):
    run = import_police_events(io.BytesIO(json.dumps(POLICE).encode()), file_name="api.json")
    assert run.counts["imported"] == 4
    return run


def _page(api, persona, query):
    response = api(persona, "get", f"/events?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def _police_ids(body):
    return [item["police_id"] for item in body["items"] if item["source"] == "police"]


def test_police_events_by_kommun_newest_first_with_their_fields(api, police):
    body = _page(api, "lasare", "source=police&kommun=2418")
    assert body["count"] == 2 and _police_ids(body) == [9001, 9002]
    item = body["items"][0]
    assert item == {
        "source": "police",
        "police_id": 9001,
        "occurred_at": "2026-10-20T07:05:00Z",
        "type": "Misshandel",
        "area_code": "vald",
        "name": "20 oktober 08.40, Misshandel, Malå",
        "summary": "En man misshandlad vid torget.",
        "url": "https://polisen.se/aktuellt/handelser/2026/oktober/20/misshandel-mala/",
        "kommun": "2418",
        "lan": "24",
        "location_name": "Malå",
        "location_precision": "kommun",
        "latitude": 65.18,
        "longitude": 18.74,
    }


def test_a_lan_level_event_says_its_point_is_the_lan(api, police):
    body = _page(api, "lasare", "source=police&type=Trafikolycka")
    (item,) = body["items"]
    assert item["kommun"] is None and item["lan"] == "24" and item["location_precision"] == "lan"
    assert item["area_code"] == ""


@pytest.mark.parametrize("persona", ["samordnare", "polis", "ledamot", "lasare", "outsider"])
def test_police_events_are_public_to_every_member(api, police, persona):
    assert _page(api, persona, "source=police")["count"] == 4


def test_police_filters(api, police, world):
    ids = lambda query: set(_police_ids(_page(api, "ledamot", f"source=police&{query}")))  # noqa: E731
    assert ids("kommun=2039") == {9004}
    assert ids(f"collaboration={world.a.pk}") == {9001, 9002}  # Malå, not the län-level event
    assert ids("from=2026-10-19&to=2026-10-19") == {9003}  # a date "to" counts the whole day
    assert ids("from=2026-10-19T00:00:00%2B02:00") == {9001, 9003}
    assert ids("to=2026-10-18T22:10:00%2B02:00") == {9002, 9004}
    assert ids("type=Misshandel") == {9001}
    assert ids("area=ordning") == {9004}  # Stöld → ordning through the type mapping
    assert ids("area=ant&kommun=2418") == {9002}
    assert ids("bbox=18,65,19,66") == {9001, 9002}


def test_collaboration_filter_reveals_nothing_to_outsiders(api, police, world):
    assert _page(api, "outsider", f"source=police&collaboration={world.a.pk}")["count"] == 0
    assert _police_ids(_page(api, "outsider", f"source=police&collaboration={world.b.pk}")) == [9004]


def test_member_source_has_no_police_events(api, police, world):
    body = _page(api, "ledamot", "source=member&kommun=2418")
    assert body["count"] > 0 and {item["source"] for item in body["items"]} <= {"member", "api"}
    assert _page(api, "ledamot", "source=api&kommun=2418")["count"] == 0


def test_type_and_category_pick_one_kind_of_event(api, police, world):
    assert {i["source"] for i in _page(api, "ledamot", "type=Misshandel")["items"]} == {"police"}
    category = world.situation["A"]["events"][Level.INTERN].category_id
    assert {i["source"] for i in _page(api, "ledamot", f"category={category}")["items"]} == {"member"}


def test_without_source_both_are_merged_newest_first_and_paginated(api, police, world):
    members = _page(api, "polis", "source=member&kommun=2418")
    merged = _page(api, "polis", "kommun=2418")
    assert merged["count"] == members["count"] + 2
    key = lambda item: item["occurred_at"]  # noqa: E731
    assert [key(i) for i in merged["items"]] == sorted((key(i) for i in merged["items"]), reverse=True)
    assert A_SECRET in json.dumps(merged)  # the polis still sees begränsad member events in the merge
    assert A_SECRET not in json.dumps(_page(api, "ledamot", "kommun=2418"))

    pages = []
    for offset in range(0, merged["count"], 2):
        page = _page(api, "polis", f"kommun=2418&limit=2&offset={offset}")
        assert page["count"] == merged["count"] and len(page["items"]) <= 2
        pages.extend(page["items"])
    assert pages == merged["items"]


@pytest.mark.parametrize(("method", "data"), [("patch", {"description": "x"}), ("put", {}), ("delete", None)])
def test_police_events_never_change_through_the_api(api, police, method, data):
    # A police event's id is no member event's id: there is nothing the API could change.
    assert api("samordnare", method, "/events/9001", data).status_code in (404, 405)
    assert PoliceEvent.objects.get(pk=9001).summary == "En man misshandlad vid torget."


def test_a_bad_limit_is_422(api, police):
    response = api("lasare", "get", "/events?limit=0")
    assert response.status_code == 422
    assert any("limit" in err["loc"] for err in response.json()["detail"])
