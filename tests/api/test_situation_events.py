"""The events API (händelserapporter): the map list with its filters, reading per role, writes through the
events services with source=api, and validation named by field in Swedish."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from samverkan.core.models import AuditEntry, Level
from samverkan.situation.models import Event, EventCategory
from tests.api.conftest import validation_errors
from tests.situation.factories import EventFactory

A_SECRET = "KANARIE-A-BEGRANSAD"
INSIDE_MALA = (65.18, 18.74)  # latitude, longitude in Malå (2418)
STOCKHOLM = (59.33, 18.06)


def _events(world, tag="A"):
    return world.situation[tag]["events"]


def _category(code="vald"):
    return EventCategory.objects.filter(collaboration=None, area_code=code).first()


def _when(days_ago=1):
    return (timezone.now() - dt.timedelta(days=days_ago)).replace(microsecond=0)


def _payload(world, **change):
    return {
        "collaboration": world.a.pk,
        "category": _category().pk,
        "occurred_at": _when().isoformat(),
        "kommun": "2418",
        "description": "Slagsmål utanför busstationen.",
        **change,
    }


def _ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


# --- Reading ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["samordnare", "polis", "ledamot", "lasare", "outsider"])
def test_event_list_and_detail_per_role(api, world, persona):
    events = _events(world)
    listed = api(persona, "get", f"/events?collaboration={world.a.pk}")
    body = listed.content.decode()
    if persona == "outsider":
        assert listed.json()["count"] == 0
        for event in events.values():
            assert api(persona, "get", f"/events/{event.pk}").status_code == 404
        return
    entitled = persona in ("samordnare", "polis")
    assert (A_SECRET in body) is entitled
    assert listed.json()["count"] == (3 if entitled else 2)
    secret = api(persona, "get", f"/events/{events[Level.BEGRANSAD].pk}")
    assert secret.status_code == (200 if entitled else 404)
    intern = api(persona, "get", f"/events/{events[Level.INTERN].pk}").json()
    assert intern["kommun"] == "2418" and intern["area_code"] == "vald"
    assert intern["place"] == world.situation["A"]["place"].pk and intern["place_name"] == "Torget A"
    assert intern["latitude"] is None and intern["longitude"] is None
    assert intern["category_name"] == _category().name and intern["restricted_to"] == []


def test_begransad_events_read_through_the_list_are_audit_logged(api, world):
    secret = _events(world)[Level.BEGRANSAD]
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ, target_id=str(secret.pk))
    api("polis", "get", "/events?kommun=2418")
    assert reads.filter(actor=world.users["polis"]).count() == 1
    api("ledamot", "get", "/events?kommun=2418")
    assert not reads.filter(actor=world.users["ledamot"]).exists()


@pytest.fixture
def spread(world):
    """Events of A across time, categories and points (all intern)."""
    ant = _category("ant")
    rows = {}
    for name, when, category, point in (
        ("jan", dt.datetime(2026, 1, 15, 12), _category(), INSIDE_MALA),
        ("feb", dt.datetime(2026, 2, 28, 23, 30), ant, None),
        ("mar", dt.datetime(2026, 3, 1, 0, 15), ant, (65.30, 19.20)),
    ):
        rows[name] = EventFactory(
            collaboration=world.a,
            category=category,
            occurred_at=timezone.make_aware(when),
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            description=f"Händelse {name}",
            source=Event.Source.API if name == "mar" else Event.Source.MEMBER,
        )
    return rows


def test_event_filters(api, world, spread):
    get = lambda query: set(_ids(api("ledamot", "get", f"/events?{query}")))  # noqa: E731
    jan, feb, mar = spread["jan"].pk, spread["feb"].pk, spread["mar"].pk
    assert get("from=2026-01-01&to=2026-02-28") == {jan, feb}  # a date "to" includes the whole day
    assert get("from=2026-02-01&to=2026-03-01T00:00:00") == {feb}
    assert get("from=2026-03-01T00:00:00%2B01:00&to=2026-03-31") == {mar}
    assert get("kommun=2418&from=2026-01-01&to=2026-12-31") == {jan, feb, mar} | {
        e.pk for level, e in _events(world).items() if level != Level.BEGRANSAD
    }
    assert get("kommun=2039") == set()
    assert get("area=ant") == {feb, mar}
    assert get(f"category={_category('ant').pk}&to=2026-02-28") == {feb}
    assert get("bbox=18.5,65.0,19.0,65.25") == {jan}
    assert get("bbox=18.1,64.9,19.4,65.6") == {jan, mar}
    assert get("source=api") == {mar}
    assert mar in get("source=member") and jan in get("source=member")
    assert get("source=police") == set()
    assert get(f"collaboration={world.b.pk}") == set()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=igår", "from"),
        ("to=2026-13-01", "to"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=19,65,18,66", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("source=grannar", "source"),
    ],
)
def test_bad_filters_are_422_naming_the_parameter(api, world, query, field):
    response = api("ledamot", "get", f"/events?{query}")
    assert response.status_code == 422
    assert any(field in err["loc"] for err in response.json()["detail"])


def test_event_list_is_newest_first_and_paginated(api, world, spread):
    first = api("ledamot", "get", "/events?kommun=2418&limit=2").json()
    assert first["count"] == 5 and len(first["items"]) == 2
    rest = api("ledamot", "get", "/events?kommun=2418&limit=2&offset=2").json()
    moments = [e["occurred_at"] for e in first["items"] + rest["items"]]
    assert moments == sorted(moments, reverse=True)
    assert first["items"][0]["id"] == max(e.pk for e in _events(world).values() if e.level != Level.BEGRANSAD)


def test_event_list_query_count_does_not_grow_with_rows(api, world, django_assert_max_num_queries):
    category = _category()
    Event.objects.bulk_create(
        Event(
            collaboration=world.a,
            level=level,
            category=category,
            occurred_at=_when(days_ago=n % 300 + 1),
            kommun_id="2418",
            description=f"Händelse {n}",
            latitude=INSIDE_MALA[0],
            longitude=INSIDE_MALA[1],
        )
        for n in range(60)
        for level in (Level.INTERN, Level.BEGRANSAD)
    )
    api("polis", "get", "/events?limit=1")  # the token and role caches outside the counted block
    with django_assert_max_num_queries(8):
        response = api("polis", "get", "/events?kommun=2418&from=2025-01-01&to=2026-12-31&limit=1000")
    assert response.json()["count"] == 123


def test_event_list_loads_only_the_columns_it_shows(world):
    from samverkan.situation.selectors.events import api_events as event_queryset

    sql = str(event_queryset(world.users["polis"]).query)
    assert "reported_by_id" not in sql
    assert "situation_eventcategory" in sql  # one join, no per-row category query


# --- Writing ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["samordnare", "polis", "ledamot"])
def test_members_report_events_through_the_api(api, world, persona):
    response = api(
        persona, "post", "/events", _payload(world, latitude=INSIDE_MALA[0], longitude=INSIDE_MALA[1])
    )
    assert response.status_code == 201, response.content
    data = response.json()
    event = Event.objects.get(pk=data["id"])
    assert event.source == Event.Source.API and data["source"] == "api"
    assert event.reported_by == world.users[persona] and event.organisation == world.org_a
    assert (data["latitude"], data["longitude"]) == INSIDE_MALA
    # Police events default to begränsad, everyone else's to intern.
    assert data["level"] == ("begransad" if persona == "polis" else "intern")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, target_id=str(event.pk)).exists()


def test_event_with_a_named_place_and_a_level(api, world):
    place = world.situation["A"]["place"]
    payload = _payload(world, place=place.pk, level="begransad", restricted_to=["ledamot", "samordnare"])
    response = api("ledamot", "post", "/events", payload)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["place"] == place.pk and data["place_name"] == place.name
    assert data["restricted_to"] == ["ledamot", "samordnare"]
    assert api("polis", "get", f"/events/{data['id']}").status_code == 404  # polis is not named


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"latitude": STOCKHOLM[0], "longitude": STOCKHOLM[1]}, "latitude", "utanför"),
        ({"latitude": INSIDE_MALA[0]}, "latitude", "både"),
        ({"description": "x" * 2_001}, "description", "2 000"),
        ({"description": "  "}, "description", "Beskriv"),
        ({"description": "Ring 070-123 45 67", "level": "oppen"}, "description", "telefonnummer"),
        ({"description": "Gäller 19121212-1212", "level": "oppen"}, "description", "personnummer"),
        ({"kommun": "2039"}, "kommun", "kommuner"),
        ({"kommun": "9999"}, "kommun", "kommuner"),
        ({"category": 999999}, "category", "kategori"),
        ({"place": 999999}, "place", "plats"),
        ({"organisation": 999999}, "organisation", "organisation"),
        ({"occurred_at": "2099-01-01T00:00:00+01:00"}, "occurred_at", "fram i tiden"),
        ({"level": "begransad", "restricted_to": ["polis"]}, "restricted_to", "roll"),
    ],
)
def test_event_validation_names_the_field_in_swedish(api, world, change, field, words):
    before = Event.objects.count()
    errors = validation_errors(api("ledamot", "post", "/events", _payload(world, **change)))
    assert field in errors, errors
    assert words in errors[field], errors
    assert Event.objects.count() == before


def test_event_with_another_collaborations_place_or_category(api, world):
    b_place = world.situation["B"]["place"]
    b_category = EventCategory.objects.create(collaboration=world.b, name="B:s egen", area_code="vald")
    assert "place" in validation_errors(
        api("samordnare", "post", "/events", _payload(world, place=b_place.pk))
    )
    assert "category" in validation_errors(
        api("samordnare", "post", "/events", _payload(world, category=b_category.pk))
    )


@pytest.mark.parametrize(("persona", "status"), [("lasare", 403), ("outsider", 404)])
def test_who_may_not_report_events(api, world, persona, status):
    before = Event.objects.count()
    assert api(persona, "post", "/events", _payload(world)).status_code == status
    assert Event.objects.count() == before


def test_reporter_and_samordnare_change_and_delete_an_event(api, world):
    created = api("ledamot", "post", "/events", _payload(world)).json()
    path = f"/events/{created['id']}"
    changed = api(
        "ledamot",
        "patch",
        path,
        {
            "description": "Bråk vid stationen, två inblandade.",
            "latitude": INSIDE_MALA[0],
            "longitude": INSIDE_MALA[1],
        },
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["description"].startswith("Bråk") and changed.json()["latitude"] == INSIDE_MALA[0]
    cleared = api("samordnare", "patch", path, {"latitude": None, "longitude": None})
    assert cleared.status_code == 200 and cleared.json()["latitude"] is None
    assert api("polis", "patch", path, {"description": "Annat"}).status_code == 403  # not the reporter
    assert api("lasare", "delete", path).status_code == 403
    assert api("outsider", "delete", path).status_code == 404
    assert api("ledamot", "delete", path).status_code == 204
    assert not Event.objects.filter(pk=created["id"]).exists()
    assert api("ledamot", "get", path).status_code == 404


def test_patch_validation_keeps_the_event(api, world):
    created = api("ledamot", "post", "/events", _payload(world)).json()
    path = f"/events/{created['id']}"
    errors = validation_errors(
        api("ledamot", "patch", path, {"latitude": STOCKHOLM[0], "longitude": STOCKHOLM[1]})
    )
    assert "latitude" in errors
    assert "category" in validation_errors(api("ledamot", "patch", path, {"category": None}))
    event = Event.objects.get(pk=created["id"])
    assert event.latitude is None and event.description == "Slagsmål utanför busstationen."


@pytest.mark.parametrize("persona", ["ledamot", "lasare"])
def test_begransad_event_cannot_be_changed_by_who_cannot_see_it(api, world, persona):
    secret = _events(world)[Level.BEGRANSAD]
    assert api(persona, "patch", f"/events/{secret.pk}", {"description": "x"}).status_code == 404
    assert api(persona, "delete", f"/events/{secret.pk}").status_code == 404
    assert Event.objects.filter(pk=secret.pk, description__startswith=A_SECRET).exists()
