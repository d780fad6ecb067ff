"""On SQLite a large police file is read in a second process while the importing one writes (issue 12):
the same rows, counts and data points as when it is read in one process, errors raised where they were,
and no process left behind."""

from __future__ import annotations

import datetime as dt
import io
import json
import multiprocessing
import os
import threading
import time

import pytest
from django.db import connection

import samverkan.indicators.services.police_events as police_events
from samverkan.indicators import reader_process
from samverkan.indicators.bulk import RowWriter
from samverkan.indicators.models import DataPoint, ImportRun, PoliceEvent
from samverkan.indicators.reader_process import ReaderProcessDied, read_in_process
from samverkan.indicators.services import ImportFileError, import_police_events

pytestmark = pytest.mark.django_db
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="a reading process on SQLite only")

PLACES = [
    ("Malå", "65.18,18.74"),
    ("Dals-ed", ""),
    ("Västerbottens län", "65.3,17.5"),
    ("Stockholm", "59.33,18.07"),
    ("Atlantis", "x,y"),  # no such place: flagged
    ("Gotland", "57.5,18.5"),
]
MOMENTS = [
    "2024-01-05 9:03:00 +01:00",
    "2024-01-31 23:30:00 +01:00",  # the last hour of a month in Swedish time
    "2024-03-31 23:30:00 +00:00",  # April in Sweden
    "2024-06-01 0:15:00 +02:00",
    "2024-06-15 12:00:00 +02:00",
    "2024-12-31 22:59:59 -05:00",  # January 2025 in Sweden
    "2024-02-29T10:00:00+01:00",  # the full parser's shape
    "2024-07-02 1:00:00 Z",
]
TYPES = ["Trafikolycka", "Misshandel", "Stöld", "Brand", "Okänd typ"]


def _event(pid: int) -> dict:
    place, gps = PLACES[pid % len(PLACES)]
    kind = TYPES[pid % len(TYPES)]
    return {
        "id": pid,
        "datetime": MOMENTS[pid % len(MOMENTS)],
        "name": f"05 januari 09.03, {kind}, {'Malå' if pid % 4 == 0 else 'Skellefteå'}",
        "summary": f"Händelse {pid}.",
        "url": f"/aktuellt/handelser/{pid}/" if pid % 9 else f"https://polisen.se/h/{pid}/ ",
        "type": kind,
        "location": {"name": place, "gps": gps},
    }


def _file(pids: range, *, changed: bool = False) -> bytes:
    lines = []
    for pid in pids:
        record = _event(pid)
        if changed and pid % 5 == 0:
            record["summary"] = "Uppdaterad."
            record["datetime"] = "2024-08-01 12:00:00 +02:00"
        lines.append(json.dumps(record, ensure_ascii=False))
        if pid % 40 == 0:
            # Invalid records, another version of an event further down, an older one.
            lines.append(json.dumps({"id": "fel", "datetime": "2024-01-01 10:00:00 +01:00"}))
            lines.append(json.dumps(dict(record, datetime="2024-02-30 10:00:00 +01:00")))
            lines.append("{trasig json")
            lines.append(json.dumps(dict(record, summary="Nyare.", datetime="2025-01-01 10:00:00 +01:00")))
            lines.append(json.dumps(dict(record, summary="Äldre.", datetime="2020-01-01 10:00:00 +01:00")))
    return ("\n".join(lines) + "\n").encode()


def _stored() -> tuple:
    events = list(
        PoliceEvent.objects.order_by("pk").values_list(
            *(f.attname for f in PoliceEvent._meta.concrete_fields if f.name != "import_run")
        )
    )
    points = sorted(
        DataPoint.objects.values_list("indicator__code", "kommun_id", "period_start", "value").order_by()
    )
    return events, points


def _empty() -> None:
    DataPoint.objects.all().delete()
    PoliceEvent.objects.all().delete()
    ImportRun.objects.all().delete()


def _import_both_ways(monkeypatch, files: list[bytes], *, forks: int | None = None) -> dict[bool, tuple]:
    """Each file imported in turn, read here and then (from empty tables again) in a reading process where
    one is used (``forks``: how many of the files were read in one; every file by default)."""
    forked = []

    def spy(read, write_rows):
        forked.append(True)
        return read_in_process(read, write_rows)

    monkeypatch.setattr(police_events, "read_in_process", spy)
    results = {}
    for in_process, threshold in ((False, 1 << 60), (True, 0)):
        monkeypatch.setattr(police_events, "READER_PROCESS_MIN_BYTES", threshold)
        _empty()
        counts = [
            import_police_events(io.BytesIO(data), file_name=f"{n}.jsonl").counts
            for n, data in enumerate(files)
        ]
        results[in_process] = (counts, *_stored())
    assert len(forked) == (len(files) if forks is None else forks)
    return results


def _indexes() -> dict[str, tuple]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, PoliceEvent._meta.db_table)
    return {name: (tuple(c["columns"]), c["unique"]) for name, c in constraints.items() if c["index"]}


@on_sqlite
def test_a_first_import_read_in_a_second_process_stores_the_same_rows(monkeypatch):
    indexes = _indexes()
    results = _import_both_ways(monkeypatch, [_file(range(1, 400))])
    assert _indexes() == indexes  # kept up to date as the rows came, not dropped and built again
    counts, events, points = results[True]
    assert (counts, events, points) == results[False]
    assert counts[0]["imported"] == 399 and counts[0]["skipped"] and counts[0]["flagged"]
    assert counts[0]["updated"] and counts[0]["older_versions"] and points


@on_sqlite
def test_only_a_first_import_is_read_in_a_second_process_and_the_next_stores_the_same_rows(monkeypatch):
    # Unchanged lines, changed events (updates and their months), new ones: an import over stored events is
    # mostly reading and comparing, and reads here (a re-import would pay for the fork and gain nothing).
    results = _import_both_ways(
        monkeypatch, [_file(range(1, 300)), _file(range(100, 450), changed=True)], forks=1
    )
    assert results[True] == results[False]
    second = results[True][0][1]
    assert second["unchanged"] and second["updated"] and second["imported"]


@on_sqlite
def test_a_file_that_is_not_json_lines_is_refused_from_the_reading_process(monkeypatch):
    data = b"{trasig\n" + _file(range(1, 50))
    with pytest.raises(ImportFileError) as here:
        import_police_events(io.BytesIO(data), file_name="a.jsonl")
    monkeypatch.setattr(police_events, "READER_PROCESS_MIN_BYTES", 0)
    with pytest.raises(ImportFileError) as there:
        import_police_events(io.BytesIO(data), file_name="a.jsonl")
    assert str(there.value) == str(here.value) and "Rad 1" in str(there.value)
    assert not PoliceEvent.objects.exists() and not ImportRun.objects.exists()
    assert not multiprocessing.active_children()


@on_sqlite
def test_a_failed_write_stops_the_reading_process_and_writes_nothing(monkeypatch):
    monkeypatch.setattr(police_events, "READER_PROCESS_MIN_BYTES", 0)

    def broken(self, rows):
        raise RuntimeError("disken är full")

    monkeypatch.setattr(RowWriter, "write_many", broken)
    with pytest.raises(RuntimeError, match="disken är full"):
        import_police_events(io.BytesIO(_file(range(1, 3000))), file_name="a.jsonl")
    assert not multiprocessing.active_children()
    assert not PoliceEvent.objects.exists() and not ImportRun.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's way")
def test_on_postgresql_a_large_file_is_read_here(monkeypatch):
    monkeypatch.setattr(police_events, "READER_PROCESS_MIN_BYTES", 0)
    monkeypatch.setattr(police_events, "read_in_process", None)  # would fail if called
    run = import_police_events(io.BytesIO(_file(range(1, 20))), file_name="a.jsonl")
    assert run.counts["imported"] == 19


def test_where_no_process_can_be_forked_the_file_is_read_here(monkeypatch):
    monkeypatch.setattr(police_events, "READER_PROCESS_MIN_BYTES", 0)
    monkeypatch.setattr(police_events, "can_read_in_process", lambda: False)
    monkeypatch.setattr(police_events, "read_in_process", None)  # would fail if called
    run = import_police_events(io.BytesIO(_file(range(1, 20))), file_name="a.jsonl")
    assert run.counts["imported"] == 19


def test_a_process_running_other_threads_does_not_fork_a_reader():
    assert reader_process.can_read_in_process()  # the test process runs one thread
    release = threading.Event()
    other = threading.Thread(target=release.wait, name="en annan tråd")
    other.start()
    try:
        assert not reader_process.can_read_in_process()
    finally:
        release.set()
        other.join()


def test_rows_reach_the_writer_in_order_marshalled_or_pickled(monkeypatch):
    monkeypatch.setattr(reader_process, "ROWS_PER_MESSAGE", 7)
    for value in ("text", dt.date(2024, 1, 1)):  # a date is pickled (marshal does not take it)

        def read(writer, value=value):
            for n in range(50):
                writer.write((n, value, None, 1.5, True))
            return {"rows": 50}

        batches: list[list] = []
        assert read_in_process(read, batches.append) == {"rows": 50}
        assert [len(batch) for batch in batches] == [7] * 7 + [1]
        assert [tuple(row) for batch in batches for row in batch] == [
            (n, value, None, 1.5, True) for n in range(50)
        ]
    assert not multiprocessing.active_children()


def test_an_error_in_the_reading_process_is_raised_here_with_its_traceback():
    class Unpicklable(Exception):
        def __init__(self, a, b):
            super().__init__(f"{a} {b}")

    def fails(writer):
        raise ImportFileError("Filen är tom.")

    def fails_oddly(writer):
        raise Unpicklable("inte", "picklingsbar")

    with pytest.raises(ImportFileError, match="Filen är tom") as error:
        read_in_process(fails, lambda rows: None)
    assert "In the reading process" in error.value.__notes__[0]
    with pytest.raises(RuntimeError, match="Unpicklable: inte picklingsbar"):
        read_in_process(fails_oddly, lambda rows: None)


def test_a_reading_process_that_goes_silent_is_stopped_and_an_error(monkeypatch):
    monkeypatch.setattr(reader_process, "SILENCE_SECONDS", 0.5)

    def stuck(writer):
        time.sleep(30)

    started = time.monotonic()
    with pytest.raises(reader_process.ReaderProcessDied, match="sent nothing"):
        read_in_process(stuck, lambda rows: None)
    assert time.monotonic() - started < 10
    assert not multiprocessing.active_children()


def test_a_reading_process_that_dies_is_an_error_not_an_empty_file():
    def dies(writer):
        writer.write((1,))
        os._exit(3)

    with pytest.raises(ReaderProcessDied, match="exit code 3"):
        read_in_process(dies, lambda rows: None)
    assert not multiprocessing.active_children()
