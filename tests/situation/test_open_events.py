"""Öppen outputs never pinpoint an event: the day not the minute, the kommun not a point or a place, and
sensitive categories (EventCategory.sensitive) only as counts — in the öppen page, PDF, XLSX and API of an
agreed joint picture, all through one rule (situation/selectors/picture/generalise.py)."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from samverkan.core.models import Level
from samverkan.situation.defaults import EVENT_CATEGORIES, SENSITIVE_EVENT_CATEGORIES
from samverkan.situation.models import Event, EventCategory, PictureItem
from samverkan.situation.selectors.picture import (
    EventPart,
    SeriesPart,
    generalise_events,
    generalise_series,
    shown_version,
)
from samverkan.situation.services.picture import picture_agree
from tests.api import conftest as api_conftest
from tests.situation.test_exports_picture import _pdf, pdf_text, xlsx_text

api = api_conftest.api  # the API client fixture (tests/api/conftest.py), used here too

SENSITIVE_TEXT = "KANARIE-KANSLIG"
PLAIN_TEXT = "Klotter på busskuren"
PLACE = "Idre fjäll"
# A point inside Malå (2418), to five decimals as the issue saw it.
LATITUDE, LONGITUDE = 65.18372, 18.74215


def _at(day: int, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 10, day, hour, minute))


def _category(name: str) -> EventCategory:
    return EventCategory.objects.get(collaboration=None, name=name)


@pytest.fixture
def open_events(world):
    """In collaboration A's October round: three öppen events of violence in close relationships (one at
    02:08 at a point and a named place) and one öppen act of vandalism at 23:47 at the same point."""
    c = world.a
    for day, minute in ((8, 8), (15, 9), (22, 10)):
        Event.objects.create(
            collaboration=c,
            level=Level.OPPEN,
            category=_category("Våld i nära relation"),
            occurred_at=_at(day, 2, minute),
            kommun_id="2418",
            place_name=PLACE,
            latitude=LATITUDE,
            longitude=LONGITUDE,
            description=f"{SENSITIVE_TEXT} {day}",
            organisation=world.org_a,
        )
    Event.objects.create(
        collaboration=c,
        level=Level.OPPEN,
        category=_category("Skadegörelse och klotter"),
        occurred_at=_at(9, 23, 47),
        kommun_id="2418",
        place_name=PLACE,
        latitude=LATITUDE,
        longitude=LONGITUDE,
        description=PLAIN_TEXT,
        organisation=world.org_a,
    )
    return world


@pytest.fixture
def agreed(open_events):
    world = open_events
    return picture_agree(
        round_=world.situation["A"]["round"],
        acting_user=world.users["samordnare"],
        meeting="REK-gruppen",
        meeting_date=dt.date(2026, 11, 10),
    )


def _url(world, version, name):
    return reverse(
        f"situation:{name}",
        kwargs={
            "collaboration_id": world.a.pk,
            "round_id": world.situation["A"]["round"].pk,
            "version_id": version.pk,
        },
    )


def _without_bookkeeping_times(value: Any) -> Any:
    """``value`` without the records' own times (``agreed_at``, ``updated_at``, ``submitted_at``, …: when the
    test ran, which can read "…:02:08"); an event's ``occurred_at`` stays, for the check."""
    if isinstance(value, dict):
        return {
            k: _without_bookkeeping_times(v)
            for k, v in value.items()
            if not k.endswith("_at") or k == "occurred_at"
        }
    if isinstance(value, list):
        return [_without_bookkeeping_times(v) for v in value]
    return value


def _assert_generalised(text: str) -> None:
    """Nothing in ``text`` pinpoints an event; the sensitive ones are there as a count."""
    for minute in ("02:08", "02:09", "02:10", "23:47", "2:08"):
        assert minute not in text
    for coordinate in ("65.18", "18.74", "65,18", "18,74"):
        assert coordinate not in text
    assert PLACE not in text
    assert SENSITIVE_TEXT not in text
    assert "Våld i nära relation" in text
    assert PLAIN_TEXT in text
    assert "2026-10-09" in text


# --- The one rule -----------------------------------------------------------------------------------------


def test_the_shipped_sensitive_set_names_shipped_categories_with_a_reason(db):
    shipped = {name for name, _code in EVENT_CATEGORIES}
    assert {"Våld i nära relation", "Sexualbrott"} <= set(SENSITIVE_EVENT_CATEGORIES)
    assert set(SENSITIVE_EVENT_CATEGORIES) <= shipped
    assert all(reason for reason in SENSITIVE_EVENT_CATEGORIES.values())


def test_shipped_categories_are_marked_sensitive_in_the_database(world):
    marked = set(
        EventCategory.objects.filter(collaboration=None, sensitive=True).values_list("name", flat=True)
    )
    assert marked == set(SENSITIVE_EVENT_CATEGORIES)


def test_generalise_keeps_the_day_and_kommun_and_counts_the_sensitive():
    moment = timezone.make_aware(dt.datetime(2026, 11, 8, 2, 8))
    located = {"place": PLACE, "latitude": LATITUDE, "longitude": LONGITUDE, "kommun": "Älvdalen"}
    events = [
        EventPart(
            occurred_at=moment,
            category="Våld i nära relation",
            area_code="vald",
            description="a",
            organisation="Socialtjänsten",
            sensitive=True,
            **located,
        ),
        EventPart(occurred_at=moment, category="Egen känslig", area_code="vald", description="b", kommun=""),
        EventPart(
            occurred_at=moment,
            category="Ordningsstörning",
            area_code="ordning",
            description="c",
            organisation="Skolan",
            **located,
        ),
    ]
    rows, counts = generalise_events(events, sensitive_categories={"Egen känslig"}, area="Älvdalen, Mora")
    assert len(rows) == 1
    row = rows[0]
    assert row.generalised and row.occurred_on == dt.date(2026, 11, 8)
    assert row.occurred_at is None and row.latitude is None and row.longitude is None
    assert row.place == "" and row.organisation == ""
    assert (row.category, row.kommun, row.description) == ("Ordningsstörning", "Älvdalen", "c")
    # One event each: below the small-count threshold, so the number is withheld, not just hidden.
    assert [(c.category, c.kommun, c.count, c.below_threshold, c.level) for c in counts] == [
        ("Egen känslig", "Älvdalen, Mora", None, True, Level.OPPEN),
        ("Våld i nära relation", "Älvdalen", None, True, Level.OPPEN),
    ]
    assert counts[0].shown == "färre än 5"


@pytest.mark.parametrize(("events", "shown"), [(1, None), (4, None), (5, 5), (9, 9)])
def test_a_sensitive_count_below_the_threshold_is_withheld(settings, events, shown):
    """The statistics' rule (indicators.suppression.is_small) decides, with the configured threshold."""
    settings.SAMVERKAN_SMALL_COUNT_THRESHOLD = 5
    parts = [EventPart(category="Sexualbrott", area_code="vald", kommun="Mora", sensitive=True)] * events
    _rows, [count] = generalise_events(parts)
    assert (count.count, count.below_threshold, count.threshold) == (shown, shown is None, 5)
    assert count.shown == ("färre än 5" if shown is None else str(shown))


def test_the_threshold_follows_the_setting(settings):
    settings.SAMVERKAN_SMALL_COUNT_THRESHOLD = 3
    parts = [EventPart(category="Sexualbrott", kommun="Mora", sensitive=True)] * 3
    assert generalise_events(parts)[1][0].count == 3
    assert generalise_events(parts[:2])[1][0].count is None


def test_the_open_series_leaves_the_sensitive_categories_out():
    october = dt.date(2026, 10, 1)
    parts = [
        SeriesPart(october, "vald", Level.OPPEN, frozenset(), 3, "Våld i nära relation", True),
        SeriesPart(october, "vald", Level.OPPEN, frozenset(), 2, "Egen känslig", False),
        SeriesPart(october, "vald", Level.OPPEN, frozenset(), 1, "Hot", False),
        # Frozen before the category was kept: only safe outside an area with a sensitive category.
        SeriesPart(october, "vald", Level.OPPEN, frozenset(), 7),
        SeriesPart(october, "ordning", Level.OPPEN, frozenset(), 4),
    ]
    kept = generalise_series(parts, sensitive_categories={"Egen känslig"}, sensitive_area_codes={"vald"})
    assert [(p.area_code, p.category, p.count) for p in kept] == [("vald", "Hot", 1), ("ordning", None, 4)]


def test_the_day_is_the_local_day():
    # 23:30 UTC on 8 November is 00:30 on 9 November in Sweden.
    late = dt.datetime(2026, 11, 8, 23, 30, tzinfo=dt.UTC)
    rows, _counts = generalise_events([EventPart(occurred_at=late, category="Ordningsstörning")])
    assert rows[0].occurred_on == dt.date(2026, 11, 9)


# --- The öppen outputs of an agreed picture ----------------------------------------------------------------


def test_open_version_pdf_is_generalised(agreed, open_events):
    text = pdf_text(
        _pdf(open_events.client("lasare"), _url(open_events, agreed, "picture_version_pdf") + "?oppen=1")
    )
    words = " ".join(text.split())
    _assert_generalised(words)
    assert "färre än 5" in words
    assert "3 händelser" not in words


def test_open_version_xlsx_is_generalised(agreed, open_events):
    response = open_events.client("lasare").get(
        _url(open_events, agreed, "picture_version_xlsx") + "?oppen=1"
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    text = xlsx_text(response.content)
    _assert_generalised(text)
    values = [value for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row]
    # No moment at all: the events sheet holds days (openpyxl reads a date back as midnight).
    assert not any(isinstance(v, dt.datetime) and (v.hour, v.minute) != (0, 0) for v in values)
    assert not any(isinstance(v, float) for v in values)
    counts = list(workbook["Känsliga händelser, antal"].iter_rows(values_only=True))
    assert counts[1:] == [("Hot och våld", "Våld i nära relation", "Malå", "färre än 5")]
    # The matrix sheet's events column counts the listed event of the area (Hot), not the three withheld.
    matrix = {row[0]: row[-1] for row in workbook["Översikt"].iter_rows(values_only=True)}
    assert (matrix["Hot och våld"], matrix["Ordningsstörningar och otrygghet"]) == (1, 1)
    events = list(workbook["Händelser"].iter_rows(values_only=True))
    # The world's öppen event of 12 October (category Hot) is not sensitive: listed, by its day.
    assert [(row[0].date(), row[2]) for row in events[1:]] == [
        (dt.date(2026, 10, 9), "Skadegörelse och klotter"),
        (dt.date(2026, 10, 12), "Hot"),
    ]


def test_open_version_page_is_generalised(agreed, open_events):
    response = open_events.client("ledamot").get(_url(open_events, agreed, "picture_version") + "?oppen=1")
    assert response.status_code == 200
    html = response.content.decode()
    _assert_generalised(html)
    assert "data-latitude" not in html
    assert "<td>Våld i nära relation</td><td>Malå</td><td>färre än 5</td>" in html
    assert "3 händelser" not in html
    # Neither the area's count nor the series' October gives the three back (1 = the listed Hot).
    assert "4 händelser" not in html and "1 händelse under perioden" in html
    # Both tables scroll sideways on a phone: each wrapper is a named, focusable region like every other.
    for caption in ("open-events-caption", "open-event-counts-caption"):
        assert f'role="region" aria-labelledby="{caption}" tabindex="0"' in html
        assert f'<caption id="{caption}">' in html


def test_open_version_through_the_api_is_generalised(agreed, open_events, api):
    round_ = open_events.situation["A"]["round"]
    response = api("lasare", "get", f"/joint-pictures/{round_.pk}/versions/{agreed.pk}?oppen=true")
    assert response.status_code == 200
    data = response.json()
    _assert_generalised(json.dumps(_without_bookkeeping_times(data), ensure_ascii=False))
    assert data["events_generalised"] is True
    assert [(e["category"], e["occurred_at"], e["occurred_on"], e["kommun"]) for e in data["events"]] == [
        ("Skadegörelse och klotter", None, "2026-10-09", "Malå"),
        ("Hot", None, "2026-10-12", "Malå"),
    ]
    assert all(e["latitude"] is None and e["place"] == "" and e["organisation"] == "" for e in data["events"])
    assert [
        (c["category"], c["kommun"], c["count"], c["below_threshold"], c["threshold"])
        for c in data["event_counts"]
    ] == [("Våld i nära relation", "Malå", None, True, 5)]
    # No total gives the three back: the area counts only its listed event, the series leaves them out.
    assert {a["area_code"]: a["event_count"] for a in data["areas"]}["vald"] == 1
    assert data["series"][-1]["counts"] == {"ordning": 1, "vald": 1}
    assert data["series"][-1]["total"] == 2


def test_the_full_version_stays_as_reported_for_members(agreed, open_events, api):
    round_ = open_events.situation["A"]["round"]
    data = api("lasare", "get", f"/joint-pictures/{round_.pk}/versions/{agreed.pk}").json()
    assert data["events_generalised"] is False and data["event_counts"] == []
    sensitive = [e for e in data["events"] if e["category"] == "Våld i nära relation"]
    assert len(sensitive) == 3
    assert sensitive[0]["latitude"] == LATITUDE and sensitive[0]["place"] == PLACE
    response = open_events.client("lasare").get(_url(open_events, agreed, "picture_version_xlsx"))
    assert "02:08" in xlsx_text(response.content) or any(
        isinstance(v, dt.datetime) and (v.hour, v.minute) == (2, 8)
        for sheet in load_workbook(io.BytesIO(response.content))
        for row in sheet.iter_rows(values_only=True)
        for v in row
    )


def test_a_version_frozen_before_the_rule_is_generalised_by_category_name(agreed, open_events):
    """Versions agreed before the kommun and the sensitive mark were frozen with each event."""
    for item in PictureItem.objects.filter(version=agreed, kind=PictureItem.Kind.EVENT):
        item.payload.pop("kommun")
        item.payload.pop("sensitive")
        item.save()
    data = shown_version(version=agreed, user=open_events.users["lasare"], public_only=True)
    assert [e.category for e in data.events] == ["Skadegörelse och klotter", "Hot"]
    assert data.events[0].kommun == "Malå"
    assert [(c.category, c.kommun, c.count, c.below_threshold) for c in data.event_counts] == [
        ("Våld i nära relation", "Malå", None, True)
    ]


def test_a_series_frozen_without_categories_leaves_sensitive_areas_out_of_the_open_version(
    agreed, open_events
):
    """Versions agreed before each monthly count kept its category: the vald column (which holds the
    sensitive events) cannot be split, so the öppen series leaves that area out rather than show it."""
    for item in PictureItem.objects.filter(version=agreed, kind=PictureItem.Kind.NUMBER):
        if item.payload.get("part") == "series":
            item.payload.pop("category")
            item.payload.pop("sensitive")
            item.save()
    data = shown_version(version=agreed, user=open_events.users["lasare"], public_only=True)
    assert "vald" not in {code for code, _title in data.series_columns}
    assert all("vald" not in month.counts for month in data.series)
    assert data.series[-1].counts == {"ordning": 1}
    full = shown_version(version=agreed, user=open_events.users["lasare"])
    assert full.series[-1].counts == {"ordning": 1, "vald": 5}  # the members still see every month


def test_a_sensitive_count_at_the_threshold_is_shown_and_counted(open_events):
    world = open_events
    for day in (23, 24):
        Event.objects.create(
            collaboration=world.a,
            level=Level.OPPEN,
            category=_category("Våld i nära relation"),
            occurred_at=_at(day, 12, 0),
            kommun_id="2418",
            description="två till",
            organisation=world.org_a,
        )
    version = picture_agree(
        round_=world.situation["A"]["round"],
        acting_user=world.users["samordnare"],
        meeting="REK-gruppen",
        meeting_date=dt.date(2026, 11, 10),
    )
    data = shown_version(version=version, user=world.users["lasare"], public_only=True)
    assert [(c.count, c.below_threshold) for c in data.event_counts] == [(5, False)]
    assert {a.area_code: a.event_count for a in data.areas}["vald"] == 6
    assert data.series[-1].counts["vald"] == 1  # still only the listed event: the series is never split


def test_a_category_marked_sensitive_later_is_counted_in_older_open_versions(agreed, open_events):
    EventCategory.objects.filter(name="Skadegörelse och klotter").update(sensitive=True)
    data = shown_version(version=agreed, user=open_events.users["lasare"], public_only=True)
    assert [e.category for e in data.events] == ["Hot"]
    assert {(c.category, c.count) for c in data.event_counts} == {
        ("Våld i nära relation", None),
        ("Skadegörelse och klotter", None),
    }
    # Its monthly count leaves the öppen series too, though it was frozen as not sensitive.
    assert data.series[-1].counts == {"vald": 1}
