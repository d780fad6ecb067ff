"""Plans that do not depend on statistics, and fresh statistics after the large imports (issue 12)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.db import connection

from samverkan.core import dbstats
from samverkan.core.tasks import refresh_planner_statistics
from samverkan.indicators.models import DataPoint, PoliceEvent
from samverkan.indicators.services import import_police_events
from tests.indicators.factories import MALA, DataPointFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def _kommun_level_values_plan() -> str:
    """The plan of the overview's values query (``overview.kommun_overview``): kommun-level rows only."""
    # As the bench's overview: seven indicators (with one, SQLite happened to plan well).
    indicators = [IndicatorFactory() for _ in range(7)]
    for indicator in indicators:
        for month in range(1, 13):
            DataPointFactory(indicator=indicator, period_start=dt.date(2024, month, 1))
    return (
        DataPoint.objects.filter(
            kommun_id=MALA,
            deso__isnull=True,
            indicator_id__in=[i.pk for i in indicators],
            period_start__in=[dt.date(2024, 12, 1), dt.date(2024, 11, 1), dt.date(2023, 12, 1)],
        )
        .values_list("indicator_id", "period_start", "value")
        .explain()
    )


def test_kommun_level_query_never_plans_with_a_deso_index():
    # Without statistics SQLite took the plain deso index for "deso IS NULL" (46-77 ms at national
    # scale): the index now covers only rows with a DeSO, so no planner can pick it for these.
    plan = _kommun_level_values_plan()
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, DataPoint._meta.db_table)
    deso_indexes = [name for name, c in constraints.items() if c["index"] and c["columns"] == ["deso_id"]]
    assert deso_indexes  # the index exists (for rows with a DeSO) ...
    assert not [name for name in deso_indexes if name in plan], plan  # ... and is not used here


def _has_statistics(table: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return False
            cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            # Written by ANALYZE in the same transaction (the statistics views lag behind).
            cursor.execute("SELECT 1 FROM pg_stats WHERE tablename = %s", [table])
        return cursor.fetchone() is not None


def test_police_import_refreshes_the_statistics_once_committed(django_capture_on_commit_callbacks):
    line = {
        "id": 1,
        "datetime": "2024-01-05 9:03:00 +01:00",
        "name": "05 januari 09.03, Trafikolycka, Malå",
        "summary": "",
        "url": "/aktuellt/handelser/2024/januari/5/1/",
        "type": "Trafikolycka",
        "location": {"name": "Malå", "gps": "65.23696,18.72629"},
    }
    table = PoliceEvent._meta.db_table
    assert not _has_statistics(table)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_police_events(io.BytesIO(json.dumps(line).encode() + b"\n"), file_name="h.jsonl")
    assert len(callbacks) == 1
    assert _has_statistics(table) and _has_statistics(DataPoint._meta.db_table)


def test_nightly_task_analyses_sqlite(monkeypatch):
    calls = []
    monkeypatch.setattr(dbstats, "analyze_tables", lambda *models: calls.append(models))
    refresh_planner_statistics.call_local()
    assert calls == ([()] if connection.vendor == "sqlite" else [])


def _analysed(monkeypatch) -> list[tuple[tuple[type, ...], dict]]:
    calls: list[tuple[tuple[type, ...], dict]] = []
    monkeypatch.setattr(
        dbstats, "analyze_tables", lambda *models, columns=None: calls.append((models, dict(columns or {})))
    )
    return calls


def test_a_table_changed_by_less_than_a_tenth_of_its_known_rows_is_left_to_autovacuum(monkeypatch):
    known = {DataPoint: 10_000.0, PoliceEvent: -1.0}
    monkeypatch.setattr(dbstats, "_known_rows", known.__getitem__)
    stale = dbstats.stale_tables({DataPoint: 999, PoliceEvent: 1})
    if connection.vendor == "postgresql":
        # A table never analysed is analysed for any change; another only for a tenth of its rows.
        assert stale == [PoliceEvent]
        assert dbstats.stale_tables({DataPoint: 1000}) == [DataPoint]
        known[DataPoint] = 0.0  # analysed while empty
        assert dbstats.stale_tables({DataPoint: 1}) == [DataPoint]
    else:
        # SQLite has no autovacuum and analyses in milliseconds: every changed table.
        assert stale == [DataPoint, PoliceEvent]
    assert dbstats.stale_tables({DataPoint: 0, PoliceEvent: 0}) == []


def test_nothing_stale_analyses_nothing(monkeypatch, django_capture_on_commit_callbacks):
    # analyze_tables() without tables would analyse the whole database.
    calls = _analysed(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        dbstats.analyze_after_commit(changed_rows={PoliceEvent: 0})
    assert calls == []


def test_only_the_named_columns_are_sampled_on_postgresql():
    PoliceEvent.objects.create(
        police_id=1,
        datetime=dt.datetime(2024, 1, 5, 9, 3, tzinfo=dt.UTC),
        month=dt.date(2024, 1, 1),
        name="05 januari 09.03, Trafikolycka, Malå",
        type="Trafikolycka",
        kommun_id=MALA,
        matched_by="location",
        import_run_id=0,
        content_hash="x",
    )
    dbstats.analyze_tables(PoliceEvent, columns={PoliceEvent: ["month", "kommun"]})
    table = PoliceEvent._meta.db_table
    assert _has_statistics(table)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT attname FROM pg_stats WHERE tablename = %s", [table])
            assert {row[0] for row in cursor.fetchall()} == {"month", "kommun_id"}


def test_police_import_analyses_the_events_by_their_queried_columns(
    monkeypatch, django_capture_on_commit_callbacks
):
    calls = _analysed(monkeypatch)
    line = {"id": 7, "datetime": "2024-01-05 9:03:00 +01:00", "name": "x, Malå", "type": "Stöld"}
    line["location"] = {"name": "Malå", "gps": ""}
    with django_capture_on_commit_callbacks(execute=True):
        import_police_events(io.BytesIO(json.dumps(line).encode()), file_name="h.jsonl")
    (models, columns), *_rest = calls
    assert PoliceEvent in models
    assert set(columns[PoliceEvent]) >= {"datetime", "month", "kommun", "lan", "type"}
    assert "summary" not in columns[PoliceEvent]
    calls.clear()
    # The same events again: nothing changed, nothing analysed.
    with django_capture_on_commit_callbacks(execute=True):
        import_police_events(io.BytesIO(json.dumps(line).encode()), file_name="h.jsonl", allow_duplicate=True)
    assert calls == []
