"""Indicator scenarios for ``samverkan bench`` (issue 5, point 9).

``indicators.import_archive``: the police's real events archive (../shared/data, 85,011 events) imported
into the bench database after emptying its police tables, then imported again with ``force`` (nothing to
write). The first call measures both once and prints events/s and their ratio (targets: ≥ 20,000 events/s
and re-import ≥ 3× faster) and the first import's ratio to a raw floor measured just before it (gunzip,
orjson, plain INSERT/COPY into the same table, COMMIT; issue 12's target ≥ 0.6×); every timed run is one
more re-import, so the table's median is the re-import.
The figures are also the response body (JSON). Skipped, with a message, when the archive is absent.

``indicators.api``: ``GET /api/v1/indicators/{id}?kommun=`` for 10 years of monthly data at national scale
(every kommun × 120 months × 7 indicators, made here once by bulk insert; target p95 ≤ 3× floor).
"""

from __future__ import annotations

import datetime as dt
import gzip
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponseBase, JsonResponse
from django.urls import reverse

from samverkan.core.bench import BenchContext, bench_collaborations, national_scale, scenario
from samverkan.core.dbstats import analyze_after_commit
from samverkan.indicators.bulk import insert_rows
from samverkan.indicators.defaults import POLICE_EVENTS
from samverkan.indicators.models import DataPoint, ImportRun, Indicator, PoliceEvent
from samverkan.indicators.services import import_police_events
from samverkan.indicators.shared_data import SharedDataMissing, shared_data_dir

ARCHIVE_NAME = "polisen_events_2022-09_to_2026-08.jsonl.gz"
# At a smaller bench scale (--small, --kommuner) the API's 500-event snapshot stands in for the archive.
SNAPSHOT_NAME = "api_snapshot_2025-06-15.json"
IMPORT_TARGET_EVENTS_PER_S = 20_000.0
REIMPORT_TARGET_RATIO = 3.0
SERIES_PREFIX = "bench.indikator."
SERIES_INDICATORS = 7
SERIES_MONTHS = 120


def archive_path(*, national: bool = True) -> Path:
    """The archive (or, below national scale, the snapshot) in the shared data folder.

    The folder is ``SAMVERKAN_SHARED_DATA``, else ../shared/data next to the project
    (``SharedDataMissing`` when the variable names a folder that does not exist).
    """
    base = shared_data_dir() or Path(settings.PACKAGE_DIR).parent.parent / "shared" / "data"
    return base / "police_events" / (ARCHIVE_NAME if national else SNAPSHOT_NAME)


def _bench_kommuner() -> list[str]:
    """The kommuner of the bench's collaborations: 290 at national scale."""
    return sorted(set(bench_collaborations().values_list("kommuner__kod", flat=True)) - {None})


def _national() -> bool:
    return national_scale()


def _empty_police_tables() -> None:
    """Remove the police events, their indicators' data points and their import runs (bench data only).

    On PostgreSQL the events table is truncated: a DELETE (or a rolled-back insert) leaves every row behind
    as a dead tuple until autovacuum comes, and a "first" import into a table holding the dead copies of
    the same ids checks each of them in the unique index and analyses a table several times its size.
    A first import meets an empty table, as the floor does. The data points (other indicators' too) are
    deleted and vacuumed for the same reason.
    """
    with transaction.atomic():
        DataPoint.objects.filter(indicator__code__startswith=POLICE_EVENTS).delete()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {connection.ops.quote_name(PoliceEvent._meta.db_table)}")
        else:
            PoliceEvent.objects.all().delete()  # SQLite empties a table at once for a DELETE without WHERE
        DataPoint.objects.filter(import_run__kind=ImportRun.Kind.POLICE_EVENTS).update(import_run=None)
        ImportRun.objects.filter(kind=ImportRun.Kind.POLICE_EVENTS).delete()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The police points deleted above stay in the data points' table and its unique index as dead
        # rows with the same keys until a VACUUM (autovacuum may be slow to come, or off): each run of the
        # bench left ~24,000 more for the next "first" import to step over in every lookup and insert.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {connection.ops.quote_name(DataPoint._meta.db_table)}")


def _import(path: Path) -> tuple[ImportRun, float]:
    started = time.perf_counter()
    run = import_police_events(path, file_name=path.name, allow_duplicate=True)
    return run, time.perf_counter() - started


FLOOR_BATCH = 5000
_FLOOR_COLUMNS = (
    "police_id, datetime, month, name, summary, url, type, location_name, matched_by, flagged, "
    "import_run_id, content_hash, source_hash"
)


def _floor_rows(path: Path) -> Any:
    """Each line of ``path`` decoded and cut to the table's columns, with nothing checked or derived but
    the month (the datetime stays text, which the database parses)."""
    with gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb") as stream:
        # The archive is JSON Lines; the small API snapshot that stands in below national scale is an array.
        array = stream.read(1) == b"["
        stream.seek(0)
        # orjson, as the import uses.
        records: Any = orjson.loads(stream.read()) if array else (orjson.loads(line) for line in stream)
        for record in records:
            when = record["datetime"]
            location = record.get("location") or {}
            yield (
                record["id"],
                when,
                when[:8] + "01",
                record.get("name", ""),
                record.get("summary", ""),
                record.get("url", ""),
                record.get("type", ""),
                location.get("name", ""),
                "",
                False,
                0,
                "",
                "",
            )


def measure_import_floor(path: Path, *, copy: bool | None = None) -> float:
    """Seconds for the least any import of ``path`` must do: gunzip, decode each JSON line (with orjson,
    as the import) and write its fields into the empty police table, with its indexes, by the fastest plain
    path of the database: ``COPY`` on PostgreSQL (which the import uses too), ``executemany`` in batches of
    FLOOR_BATCH on SQLite; then COMMIT, which any import must wait for too (on PostgreSQL the WAL's flush).
    ``copy=False`` on PostgreSQL: ``executemany`` there too, the floor issue 12 was written against.

    No validation, no place matching, no hashing, no recount: a raw floor the real import is compared with
    in the same run. The rows are removed afterwards (``_empty_police_tables``), so the import meets the
    same empty table.
    """
    copy = connection.vendor == "postgresql" if copy is None else copy
    if copy and connection.vendor != "postgresql":
        raise ValueError("COPY is PostgreSQL's.")
    table = connection.ops.quote_name(PoliceEvent._meta.db_table)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if copy:
            with cursor.cursor.copy(f"COPY {table} ({_FLOOR_COLUMNS}) FROM STDIN") as writer:
                for row in _floor_rows(path):
                    writer.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({_FLOOR_COLUMNS}) VALUES ({', '.join(['%s'] * 13)})"  # noqa: S608
            batch: list[tuple[Any, ...]] = []
            for row in _floor_rows(path):
                batch.append(row)
                if len(batch) >= FLOOR_BATCH:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
    seconds = time.perf_counter() - started
    _empty_police_tables()
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # The floor's rows and their removal are in the WAL: written back to the database now, so the
        # import does not pay for the floor's checkpoint (it starts with an empty WAL, as the floor did).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return seconds


def measure_archive_import(path: Path) -> dict[str, Any]:
    """Import ``path`` into empty police tables, then again (nothing to write); throughput and ratios,
    the first import's also to the raw floor (``measure_import_floor``) measured just before it."""
    _empty_police_tables()
    # On PostgreSQL also the floor the issue set its target against (executemany, as on SQLite); the
    # default floor there is COPY, the import's own way of writing, and the stricter of the two.
    plain_floor_s = measure_import_floor(path, copy=False) if connection.vendor == "postgresql" else None
    floor_s = measure_import_floor(path)
    first, first_s = _import(path)
    again, again_s = _import(path)
    lines = first.counts["lines"]
    if again.counts["imported"] or again.counts["updated"]:
        raise ValueError("The re-import wrote rows; it should find every event unchanged.")
    first_rate, again_rate = lines / first_s, lines / again_s
    ratio = first_s / again_s
    return {
        "file": path.name,
        "events": lines,
        "imported": first.counts["imported"],
        "first_import_s": round(first_s, 3),
        "first_import_events_per_s": round(first_rate),
        "floor_s": round(floor_s, 3),
        "floor_events_per_s": round(lines / floor_s),
        "first_import_to_floor": round(floor_s / first_s, 2),
        **(
            {
                "executemany_floor_events_per_s": round(lines / plain_floor_s),
                "first_import_to_executemany_floor": round(plain_floor_s / first_s, 2),
            }
            if plain_floor_s is not None
            else {}
        ),
        "reimport_s": round(again_s, 3),
        "reimport_events_per_s": round(again_rate),
        "reimport_speedup": round(ratio, 2),
        "targets": {"events_per_s": IMPORT_TARGET_EVENTS_PER_S, "reimport_speedup": REIMPORT_TARGET_RATIO},
        "meets_targets": first_rate >= IMPORT_TARGET_EVENTS_PER_S and ratio >= REIMPORT_TARGET_RATIO,
    }


def _report(line: str) -> None:
    # The runner's table holds timings only; the throughput figures go to the operator directly.
    sys.stderr.write(line + "\n")


@scenario("indicators.import_archive")
def import_archive(ctx: BenchContext) -> HttpResponseBase:
    """Re-import of the police archive (85k events); first import and ratio printed (≥ 20,000/s, ≥ 3×)."""
    if "indicators_import" not in ctx.extra:
        try:
            path = Path(ctx.extra.get("indicators_archive_path") or archive_path(national=_national()))
            skipped = None if path.exists() else f"{path} is missing"
        except SharedDataMissing as exc:
            skipped = str(exc)
        if skipped is not None:
            ctx.extra["indicators_import"] = {"skipped": f"{skipped}; scenario skipped"}
            _report(f"  indicators.import_archive: {skipped}; skipped")
        else:
            figures = measure_archive_import(path)
            ctx.extra["indicators_import"] = figures
            ctx.extra["indicators_archive"] = path
            _report(
                f"  indicators.import_archive: {figures['events']} events; first import "
                f"{figures['first_import_events_per_s']} events/s (target ≥ {IMPORT_TARGET_EVENTS_PER_S:.0f}), "
                f"{figures['first_import_to_floor']}× the raw floor ({figures['floor_events_per_s']} events/s), "
                + (
                    f"{figures['first_import_to_executemany_floor']}× the executemany floor "
                    f"({figures['executemany_floor_events_per_s']} events/s), "
                    if "executemany_floor_events_per_s" in figures
                    else ""
                )
                + f"re-import {figures['reimport_events_per_s']} events/s, {figures['reimport_speedup']}× "
                f"(target ≥ {REIMPORT_TARGET_RATIO:.0f}×): {'met' if figures['meets_targets'] else 'NOT met'}"
            )
    if "indicators_archive" in ctx.extra:
        _import(ctx.extra["indicators_archive"])
    return JsonResponse(ctx.extra["indicators_import"])


def ensure_indicator_series(
    *, kommuner: list[str] | None = None, months: int = SERIES_MONTHS, indicators: int = SERIES_INDICATORS
) -> list[Indicator]:
    """Monthly counts for ``kommuner`` × ``months`` × ``indicators``, made once (idempotent).

    ``kommuner`` defaults to the bench's: all 290 at national scale.

    The values are deterministic (a function of kommun, month and indicator); the series ends with the
    month before the current one.
    """
    kods = kommuner if kommuner is not None else _bench_kommuner()
    today = dt.date.today()
    last = dt.date(today.year, today.month, 1) - dt.timedelta(days=1)
    periods = []
    year, month = last.year, last.month
    for _ in range(months):
        periods.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    periods.reverse()
    wanted = len(kods) * months
    result = []
    for n in range(1, indicators + 1):
        indicator, _created = Indicator.objects.get_or_create(
            code=f"{SERIES_PREFIX}{n}",
            defaults={
                "name": f"Bänkindikator {n}",
                "unit": "antal",
                "source": "samverkan bench",
                "level": Indicator.Level.KOMMUN,
                "period_type": Indicator.Period.MONTH,
                "is_count": True,
                "covered_from": periods[0],
                "covered_to": periods[-1],
            },
        )
        points = DataPoint.objects.filter(indicator=indicator)
        if points.count() != wanted or (indicator.covered_from, indicator.covered_to) != (
            periods[0],
            periods[-1],
        ):
            with transaction.atomic():
                points.delete()
                insert_rows(
                    DataPoint,
                    ["indicator", "kommun", "period_start", "value"],
                    (
                        (indicator.pk, kod, period, Decimal((int(kod) * 7 + i * 13 + n * 31) % 97))
                        for kod in kods
                        for i, period in enumerate(periods)
                    ),
                )
                Indicator.objects.filter(pk=indicator.pk).update(
                    covered_from=periods[0], covered_to=periods[-1]
                )
            analyze_after_commit(DataPoint)  # as the table imports do
        result.append(indicator)
    return result


@scenario("indicators.api")
def indicators_api(ctx: BenchContext) -> HttpResponseBase:
    """GET /api/v1/indicators/{id}?kommun=<kod>: 120 months of a kommun at national scale (p95 ≤ 3× floor)."""
    if "indicators_api_path" not in ctx.extra:
        scale = ctx.extra.get("indicators_series_scale", {})
        indicators = ensure_indicator_series(**scale)
        kommun = ctx.collaboration.kommuner.order_by("kod").values_list("kod", flat=True).first()
        ctx.extra["indicators_api_path"] = (
            f"/api/v1/indicators/{indicators[len(indicators) // 2].pk}?kommun={kommun}"
        )
    return ctx.api_get(ctx.extra["indicators_api_path"])


def _series_page_kwargs(ctx: BenchContext) -> tuple[int, str]:
    if "indicators_page" not in ctx.extra:
        scale = ctx.extra.get("indicators_series_scale", {})
        indicators = ensure_indicator_series(**scale)
        kommun = ctx.collaboration.kommuner.order_by("kod").values_list("kod", flat=True).first()
        ctx.extra["indicators_page"] = (indicators[len(indicators) // 2].pk, kommun)
    return ctx.extra["indicators_page"]


@scenario("indicators.page")
def indicator_page(ctx: BenchContext) -> HttpResponseBase:
    """The indicator page (chart data, table, target line) for a kommun with 120 months (p95 ≤ 3× floor)."""
    indicator_id, kommun = _series_page_kwargs(ctx)
    url = reverse(
        "indicators:detail", kwargs={"collaboration_id": ctx.collaboration.pk, "indicator_id": indicator_id}
    )
    return ctx.get(f"{url}?kommun={kommun}")


@scenario("indicators.overview")
def indicator_overview(ctx: BenchContext) -> HttpResponseBase:
    """The statistics overview of a collaboration whose kommun has 7 indicators × 120 months (no target)."""
    _series_page_kwargs(ctx)
    return ctx.get(reverse("indicators:overview", kwargs={"collaboration_id": ctx.collaboration.pk}))
