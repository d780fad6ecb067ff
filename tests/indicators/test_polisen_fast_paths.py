"""The import's fast paths (issue 12) agree with the careful ones they stand in for."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.indicators.polisen import STOCKHOLM, iter_records, month_of, parse_datetime

OFFSETS = st.integers(min_value=-14, max_value=14).map(lambda h: dt.timezone(dt.timedelta(hours=h)))
MOMENTS = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2040, 12, 31), timezones=OFFSETS
)


@given(MOMENTS)
def test_month_of_is_the_swedish_month_for_any_offset(when):
    local = when.astimezone(STOCKHOLM)
    assert month_of(when) == dt.date(local.year, local.month, 1)


@given(MOMENTS.map(lambda w: w.replace(microsecond=0)))
def test_fast_datetime_reads_the_api_shape_as_the_full_parser_does(when):
    offset = when.strftime("%z")
    text = f"{when:%Y-%m-%d} {when.hour}:{when:%M:%S} {offset[:3]}:{offset[3:]}"
    parsed = parse_datetime(text)
    assert parsed == when and parsed.utcoffset() == when.utcoffset()


def test_impossible_dates_still_fail():
    for text in ("2024-02-30 10:00:00 +01:00", "2024-13-01 10:00:00 +01:00", "2024-01-01 25:00:00 +01:00"):
        try:
            parse_datetime(text)
        except ValueError:
            continue
        raise AssertionError(text)


def _records(data: bytes):
    return [value for _line, value, _hash in iter_records(io.BytesIO(data))]


def test_json_lines_decode_as_the_standard_library_does():
    # orjson refuses a 70-bit integer and NaN, json accepts them: what json accepts is still accepted
    # (the importer then judges the id), and a byte-order mark may open the file.
    lines = [b'{"id": 1180591620717411303424}', b'{"id": 2, "x": NaN}', b'{"id": 3, "name": "Mal\\u00e5"}']
    values = _records(b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n")
    assert values[0] == {"id": 2**70}
    assert values[1]["id"] == 2 and values[1]["x"] != values[1]["x"]  # NaN
    assert values[2] == json.loads(lines[2])


def test_a_broken_line_after_a_good_one_is_reported_as_before():
    values = _records(b'{"id": 1}\n{"id": \n')
    assert values[0] == {"id": 1} and "JSON" in values[1].reason


def _varied_events() -> list[dict]:
    """Events the importer's fast path takes and ones it leaves to the careful path, side by side: days at
    a month's edges (the Swedish month may differ from the text's), offsets, an unpadded hour, full and
    padded urls, texts at and past their limits, a missing location, wrong types, an impossible date, an
    id seen twice (newer and older), a county-level location with a kommun in the title."""

    def event(pid: int, **changes) -> dict:
        data = {
            "id": pid,
            "datetime": "2024-01-05 9:03:00 +01:00",
            "name": "05 januari 09.03, Trafikolycka, Malå",
            "summary": "Två bilar har kolliderat.",
            "url": f"/aktuellt/handelser/{pid}/",
            "type": "Trafikolycka",
            "location": {"name": "Malå", "gps": "65.23696,18.72629"},
        }
        data.update(changes)
        return data

    events = [event(1)]
    pid = 1
    for when in (
        "2024-06-15 12:00:00 +02:00",  # mid-June first: the month of the text is then known
        "2024-06-30 22:00:00 -05:00",  # 1 July in Sweden
        "2024-01-01 0:30:00 +01:00",
        "2024-03-31 23:30:00 +02:00",
        "2024-02-29 23:59:59 +01:00",
        "2024-12-31 23:00:00 +00:00",
        "2024-07-02 1:00:00 +02:00",
        # A month's first moment in the file at its edge, with Sweden's other offset: the text's month is
        # taken (and kept for the month) from 01:00 to 22:59, not at 0 or 23.
        "2024-11-01 1:00:00 +02:00",  # 00:00 in Sweden, still 1 November
        "2024-11-01 0:30:00 +02:00",  # 23:30 on 31 October in Sweden
        "2024-04-30 22:59:59 +01:00",  # 23:59:59 in Sweden, still April
        "2024-04-30 23:30:00 +01:00",  # 00:30 on 1 May in Sweden
        "2024-10-27 1:30:00 +01:00",  # the night summer time ends
        "2024-10-27 2:30:00 +02:00",
        "2024-08-31 22:30:00 +00:00",  # not a Swedish offset: 00:30 on 1 September
        "2024-09-28 12:00:00 +02:00",
        "2024-07-15 12:00:00 +14:00",
        "2024-07-15 12:00:00 Z",
        "2024-07-15T12:00:00+02:00",
        "2024-07-15 12:00 +02:00",
        "2024-07-15 12:00:00.5 +02:00",
        "2024-07-15 12:00:00",
        "0999-07-15 12:00:00 +02:00",
        "2024-02-30 10:00:00 +01:00",
        "2024-07-15 24:00:00 +02:00",
        "2024-7-15 12:00:00 +02:00",
        "",
    ):
        pid += 1
        events.append(event(pid, datetime=when))
    for url in (
        "https://polisen.se/x/",
        " /mellanslag/ ",
        "/slut-med-radbrytning\n",
        "relativ/",
        "",
        "/" + "u" * 470,
    ):
        pid += 1
        events.append(event(pid, url=url))
    for changes in (
        {"name": "n" * 300},
        {"name": "n" * 301},
        {"name": "  Inledande och avslutande blanksteg, Mora  "},
        {"type": "t" * 100},
        {"type": "t" * 101},
        {"location": {"name": "l" * 101, "gps": ""}},
        {"location": None},
        {"location": {"name": "Dalarnas län", "gps": "60.6,15.6"}, "name": "1 jan, Brand, Mora"},
        {"location": {"name": "Dalarnas län", "gps": "60.6,15.6"}, "name": "1 jan, Brand, Malå"},
        {"location": {"name": "Atlantis", "gps": "x"}},
        {"location": {"name": "malå", "gps": "65.23696,18.72629"}},
        {"location": "Malå"},
        {"summary": None},
        {"name": 5},
        {"id": True},
        {"id": 2**63},
        {"id": "7"},
    ):
        pid += 1
        events.append(event(pid, **changes))
    # Texts with blanks around them, again on a later line (the same content, taken by the careful path):
    # the content hash is of the fields as given.
    blanks = event(
        pid + 1, name="  Blanksteg runt, Mora  ", type=" Brand ", location={"name": " Mora ", "gps": ""}
    )
    events += [blanks, blanks, {**blanks, "url": " /mellanslag/ "}]
    events.append(event(1, summary="Ny version.", datetime="2024-01-05 10:00:00 +01:00"))
    events.append(event(1, summary="Äldre version.", datetime="2024-01-05 8:00:00 +01:00"))
    events.append(event(2, datetime="2024-06-29 23:30:00 +02:00"))  # newer, to the month's edge
    return events


def _stored() -> list[tuple]:
    """Every event and data point as stored (without the import run, which differs between imports)."""
    from samverkan.indicators.models import DataPoint, PoliceEvent
    from samverkan.indicators.services.police_events import EVENT_FIELDS

    fields = [f for f in EVENT_FIELDS if f != "import_run"]
    events = list(PoliceEvent.objects.order_by("pk").values_list(*fields))
    points = list(
        DataPoint.objects.order_by("indicator__code", "kommun", "period_start").values_list(
            "indicator__code", "kommun", "period_start", "value"
        )
    )
    return [*events, *points]


@pytest.mark.django_db(transaction=True)
def test_fast_path_stores_what_the_careful_path_stores(monkeypatch):
    """The importer's inline path for a new event in the API's shape is an optimisation only: every record
    taken through ``add`` one by one (the careful path) leaves the same rows, counts and report."""
    from samverkan.indicators.models import DataPoint, ImportRun, PoliceEvent
    from samverkan.indicators.services import import_police_events
    from samverkan.indicators.services.police_events import _Importer

    data = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in _varied_events()).encode()

    def stored_after_import() -> tuple[list, dict]:
        run = import_police_events(io.BytesIO(data), file_name="varied.jsonl", allow_duplicate=True)
        stored = _stored()
        DataPoint.objects.all().delete()
        PoliceEvent.objects.all().delete()
        ImportRun.objects.all().delete()
        return stored, run.counts

    fast = stored_after_import()

    def careful(self, records):
        for line, record, source_hash in records:
            self.add(line, record, source_hash)

    monkeypatch.setattr(_Importer, "consume", careful)
    assert stored_after_import() == fast
    counts = fast[1]
    assert counts["imported"] > 20 and counts["skipped"] > 5 and counts["unchanged"] >= 1
    assert counts["updated"] >= 1 and counts["older_versions"] >= 1 and counts["flagged"] >= 1
