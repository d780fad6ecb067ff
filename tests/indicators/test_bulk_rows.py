"""The plain INSERT/UPDATE helpers of imports store what the ORM would (aware datetimes, dates, decimals,
NULLs), whatever way their values are adapted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from samverkan.indicators.bulk import insert_rows, update_rows, value_adapters
from samverkan.indicators.defaults import ensure_police_indicators
from samverkan.indicators.models import DataPoint, ImportRun, PoliceEvent

pytestmark = pytest.mark.django_db

STOCKHOLM_WINTER = dt.timezone(dt.timedelta(hours=1))


def test_insert_and_update_rows_round_trip():
    run = ImportRun.objects.create(
        kind=ImportRun.Kind.POLICE_EVENTS, file_name="f", sha256="s", started_at=timezone.now()
    )
    fields = ["police_id", "datetime", "month", "name", "type", "latitude", "kommun", "matched_by"]
    fields += ["import_run", "content_hash", "summary", "url", "location_name", "flagged", "source_hash"]
    rows = [
        (
            1,
            dt.datetime(2024, 1, 1, 0, 30, tzinfo=STOCKHOLM_WINTER),
            dt.date(2024, 1, 1),
            "A",
            "T",
            1.5,
            "2418",
            "location",
            run.pk,
            "h1",
            "",
            "",
            "",
            False,
            "",
        ),
        (
            2,
            dt.datetime(2024, 2, 5, 12, 0, tzinfo=dt.UTC),
            dt.date(2024, 2, 1),
            "B",
            "T",
            None,
            None,
            "unknown",
            run.pk,
            "h2",
            "",
            "",
            "",
            True,
            "",
        ),
    ]
    insert_rows(PoliceEvent, fields, rows)
    insert_rows(PoliceEvent, fields, [])  # nothing to write is no statement
    stored = {e.pk: e for e in PoliceEvent.objects.all()}
    assert stored[1].datetime == dt.datetime(2023, 12, 31, 23, 30, tzinfo=dt.UTC)
    assert (stored[1].month, stored[1].latitude, stored[1].kommun_id) == (dt.date(2024, 1, 1), 1.5, "2418")
    assert (stored[2].latitude, stored[2].kommun_id, stored[2].month) == (None, None, dt.date(2024, 2, 1))

    update_rows(PoliceEvent, ["month", "latitude", "name"], [(dt.date(2024, 3, 1), None, "C", 1)])
    changed = PoliceEvent.objects.get(pk=1)
    assert (changed.month, changed.latitude, changed.name) == (dt.date(2024, 3, 1), None, "C")

    indicator = next(iter(ensure_police_indicators().values()))
    insert_rows(
        DataPoint,
        ["indicator", "kommun", "period_start", "value", "import_run"],
        [(indicator.pk, "2418", dt.date(2024, 1, 1), Decimal("2.5"), None)],
    )
    point = DataPoint.objects.get(indicator=indicator)
    assert (point.value, point.period_start, point.import_run_id) == (
        Decimal("2.5"),
        dt.date(2024, 1, 1),
        None,
    )


def test_rows_adapted_by_their_writer_are_stored_as_the_plain_ones():
    run = ImportRun.objects.create(
        kind=ImportRun.Kind.POLICE_EVENTS, file_name="f", sha256="s", started_at=timezone.now()
    )
    fields = ["police_id", "datetime", "month", "name", "type", "matched_by", "import_run", "content_hash"]
    fields += ["summary", "url", "location_name", "flagged", "source_hash"]
    when = dt.datetime(2024, 1, 1, 0, 30, tzinfo=STOCKHOLM_WINTER)
    adapters = value_adapters(PoliceEvent, fields)
    # SQLite takes text for the datetime and the date; PostgreSQL's COPY the Python values.
    assert (adapters[1] is None) == (adapters[2] is None) == (connection.vendor == "postgresql")

    def adapted(row: tuple) -> tuple:
        return tuple(v if a is None else a(v) for a, v in zip(adapters, row, strict=True))

    insert_rows(
        PoliceEvent,
        fields,
        [adapted((1, when, dt.date(2024, 1, 1), "A", "T", "x", run.pk, "h", "", "", "", False, ""))],
        adapted=True,
    )
    update_rows(
        PoliceEvent,
        ["datetime", "month"],
        [(*adapted((1, when + dt.timedelta(days=40), dt.date(2024, 2, 1), *[""] * 10))[1:3], 1)],
        adapted=True,
    )
    stored = PoliceEvent.objects.get(pk=1)
    assert stored.datetime == dt.datetime(2024, 2, 9, 23, 30, tzinfo=dt.UTC)
    assert stored.month == dt.date(2024, 2, 1)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a page cache of SQLite's")
def test_import_page_cache_is_the_import_s_only():
    from samverkan.indicators.bulk import import_page_cache

    def cache_size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return int(cursor.fetchone()[0])

    before = cache_size()
    with import_page_cache(8):
        assert cache_size() == -8 * 1024
    assert cache_size() == before
    with pytest.raises(RuntimeError), import_page_cache(8):
        raise RuntimeError
    assert cache_size() == before


def _event_indexes() -> dict[str, tuple]:
    """The police events' indexes by name: their columns, uniqueness and kind (as the database has them)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, PoliceEvent._meta.db_table)
    return {
        name: (tuple(c["columns"]), c["unique"], c["primary_key"])
        for name, c in constraints.items()
        if c["index"] or c["primary_key"]
    }


def _police_line(pid: int) -> bytes:
    return (
        f'{{"id": {pid}, "datetime": "2024-01-05 9:03:00 +01:00", "name": "05 januari 09.03, Brand, Malå", '
        f'"summary": "", "url": "/h/{pid}/", "type": "Brand", '
        '"location": {"name": "Malå", "gps": "65.23696,18.72629"}}\n'
    ).encode()


def test_first_import_builds_the_events_indexes_afterwards_and_leaves_them_as_they_were(monkeypatch):
    import io

    from samverkan.indicators.bulk import RowWriter
    from samverkan.indicators.services import import_police_events

    before = _event_indexes()
    assert any(columns == ("kommun_id", "datetime") for columns, *_ in before.values())
    during: list[dict[str, tuple]] = []
    enter = RowWriter.__enter__

    def watched(self):
        during.append(_event_indexes())  # as the rows are about to be written (before PostgreSQL's COPY)
        return enter(self)

    monkeypatch.setattr(RowWriter, "__enter__", watched)
    import_police_events(io.BytesIO(_police_line(1) + _police_line(2)), file_name="a.jsonl")
    import_police_events(io.BytesIO(_police_line(3)), file_name="b.jsonl")  # into a table with rows
    assert _event_indexes() == before
    secondary = {name for name, (_columns, unique, primary) in before.items() if not (unique or primary)}
    if connection.vendor == "sqlite":
        # Into the empty table without its secondary indexes, built once from the rows afterwards.
        assert secondary and not secondary & set(during[0])
    else:
        assert during[0] == before  # PostgreSQL keeps them (dropping one locks the table for readers)
    assert during[1] == before
    # The rebuilt indexes find the rows: the kommun's events.
    found = PoliceEvent.objects.filter(kommun_id="2418").order_by("pk").values_list("pk", flat=True)
    assert list(found) == [1, 2, 3]  # (ordered by id: the three share their moment)


def test_a_failed_first_import_leaves_the_indexes(monkeypatch):
    import io

    from samverkan.indicators.services import import_police_events
    from samverkan.indicators.services.police_events import _Importer

    before = _event_indexes()

    def broken(self, records):
        raise RuntimeError("mid-import")

    monkeypatch.setattr(_Importer, "consume", broken)
    with pytest.raises(RuntimeError):
        import_police_events(io.BytesIO(_police_line(1)), file_name="a.jsonl")
    assert _event_indexes() == before and not PoliceEvent.objects.exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the indexes are dropped on SQLite only")
@pytest.mark.django_db(transaction=True)
def test_indexes_are_dropped_only_inside_a_transaction():
    from samverkan.indicators.bulk import indexes_built_after

    # Outside one nothing would bring them back if the block failed.
    before = _event_indexes()
    with pytest.raises(RuntimeError), indexes_built_after(PoliceEvent, table_is_empty=True):
        pass
    assert _event_indexes() == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="several rows to a statement on SQLite")
def test_rows_are_inserted_several_to_a_statement_on_sqlite(monkeypatch):
    from django.db import IntegrityError

    from samverkan.indicators import bulk

    indicator = next(iter(ensure_police_indicators().values()))
    fields = ["indicator", "kommun", "period_start", "value", "import_run"]
    rows = [
        (indicator.pk, "2418", dt.date(2020 + n // 12, n % 12 + 1, 1), Decimal(n), None) for n in range(7)
    ]
    statements: list[str] = []
    connection.ensure_connection()
    connection.connection.set_trace_callback(statements.append)
    monkeypatch.setattr(bulk, "ROWS_PER_INSERT", 3)
    try:
        insert_rows(DataPoint, fields, rows)
    finally:
        connection.connection.set_trace_callback(None)
    inserts = [s for s in statements if s.startswith("INSERT")]
    assert len(inserts) == 3  # 3 + 3 + the remaining 1, not one statement a row
    stored = DataPoint.objects.filter(indicator=indicator).order_by("period_start")
    assert [(p.period_start, p.value) for p in stored] == [(r[2], r[3]) for r in rows]
    # A refused row is Django's IntegrityError, as through its own cursor.
    with pytest.raises(IntegrityError):
        insert_rows(DataPoint, fields, rows[:1])
