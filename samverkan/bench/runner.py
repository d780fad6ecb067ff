"""Timing core of ``samverkan bench``: a throwaway database, timed scenarios, statistics and the report.

The bench never runs against the configured database. ``bench_database`` creates a separate one
the way Django's test runner does (``connection.creation.create_test_db``): a file under VAR_DIR
on SQLite (``bench.sqlite3``; an in-memory database would distort the timings) or
``test_<name>_bench`` on PostgreSQL. With ``keep`` the database is reused if it exists and kept
afterwards; otherwise it is created fresh and destroyed at the end.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import os
import platform
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import connection
from django.http import HttpResponseBase

from samverkan.core.bench import FLOOR, BenchContext, Scenario


class BenchError(Exception):
    """A scenario failed (status other than 200, or an exception): the bench has no valid result."""


# --- Statistics ------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Stats:
    median: float
    p95: float
    min: float
    max: float
    mean: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        return cls(
            median=percentile(values, 50),
            p95=percentile(values, 95),
            min=min(values),
            max=max(values),
            mean=sum(values) / len(values),
        )


# --- Running scenarios -------------------------------------------------------------------------


@dataclass
class ScenarioResult:
    name: str
    description: str
    times_ms: list[float]
    queries: int
    response_bytes: int
    stats: Stats = field(init=False)

    def __post_init__(self) -> None:
        self.stats = Stats.of(self.times_ms)


def _check(scenario: Scenario, response: HttpResponseBase, run: str) -> None:
    if response.status_code != 200:
        where = response.get("Location", "")
        raise BenchError(
            f"Scenario {scenario.name!r} ({run}) answered HTTP {response.status_code}"
            + (f" → {where}" if where else "")
            + "; a failed request is an error, not a timing."
        )


def _before(scenario: Scenario, ctx: BenchContext, run: str) -> None:
    """The scenario's untimed preparation of one call (``Scenario.before``)."""
    if scenario.before is None:
        return
    try:
        scenario.before(ctx)
    except Exception as error:
        raise BenchError(
            f"Scenario {scenario.name!r} ({run}, before) raised {type(error).__name__}: {error}"
        ) from error


def _call(scenario: Scenario, ctx: BenchContext, run: str, *, prepare: bool = True) -> HttpResponseBase:
    """One untimed call (a warm-up, the query count), after its preparation unless the caller made it."""
    if prepare:
        _before(scenario, ctx, run)
    try:
        response = scenario.func(ctx)
    except BenchError:
        raise
    except Exception as error:
        raise BenchError(
            f"Scenario {scenario.name!r} ({run}) raised {type(error).__name__}: {error}"
        ) from error
    _check(scenario, response, run)
    return response


class _QueryCounter:
    """Counts the SQL a request runs. Not Django's query log: it keeps only the last 9,000 queries, so an
    import of a thousand rows counted 0 there, and so did every scenario after it."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


# With a time budget a scenario still gets this many timed runs (fewer only when fewer are asked for).
BUDGET_MIN_RUNS = 3


def run_scenario(
    scenario: Scenario, ctx: BenchContext, *, runs: int, warmup: int, budget_s: float | None = None
) -> ScenarioResult:
    """Warm-up runs, ``runs`` timed runs (perf_counter around the request only), one query-counting run.

    With ``budget_s`` the timed runs stop early once they have taken that long together (after at least
    ``BUDGET_MIN_RUNS``), so one slow page at a large scale cannot hold a whole curve up.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if budget_s is not None and budget_s <= 0:
        raise ValueError("budget_s must be positive")
    for i in range(warmup):
        _call(scenario, ctx, f"warm-up {i + 1}")
    gc.collect()
    times: list[float] = []
    response_bytes = 0
    for i in range(runs):
        _before(scenario, ctx, f"run {i + 1}")
        start = time.perf_counter()
        try:
            response = scenario.func(ctx)
        except Exception as error:
            raise BenchError(
                f"Scenario {scenario.name!r} (run {i + 1}) raised {type(error).__name__}: {error}"
            ) from error
        elapsed = time.perf_counter() - start
        _check(scenario, response, f"run {i + 1}")
        times.append(elapsed * 1000)
        response_bytes = len(getattr(response, "content", b""))
        if budget_s is not None and len(times) >= BUDGET_MIN_RUNS and sum(times) >= budget_s * 1000:
            break
    counter = _QueryCounter()
    _before(scenario, ctx, "query count")
    with connection.execute_wrapper(counter):
        _call(scenario, ctx, "query count", prepare=False)
    return ScenarioResult(
        name=scenario.name,
        description=scenario.description,
        times_ms=times,
        queries=counter.count,
        response_bytes=response_bytes,
    )


def run_all(
    scenarios: Iterable[Scenario],
    ctx: BenchContext,
    *,
    runs: int,
    warmup: int,
    progress: Any = None,
    budget_s: float | None = None,
) -> list[ScenarioResult]:
    results = []
    for s in scenarios:
        result = run_scenario(s, ctx, runs=runs, warmup=warmup, budget_s=budget_s)
        if progress is not None:
            progress(result)
        results.append(result)
    return results


# --- The throwaway database ----------------------------------------------------------------------


def bench_database_name(settings_dict: dict[str, Any], suffix: str = "") -> str:
    """The bench database's name; ``suffix`` (letters, digits, ``_``) names one of several, as the curve's
    points each have their own."""
    if suffix and not suffix.replace("_", "").isalnum():
        raise ValueError(f"A bench database suffix is letters, digits and _, not {suffix!r}.")
    tail = f"_{suffix}" if suffix else ""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return str(Path(settings.VAR_DIR) / f"bench{tail}.sqlite3")
    return f"test_{settings_dict['NAME']}_bench{tail}"


def _remove_sqlite_sidecars(name: str) -> None:
    """A stale -wal/-shm next to a new database file would be replayed into it; remove them."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(name + suffix).unlink(missing_ok=True)


@contextmanager
def bench_database(
    *, keep: bool, verbosity: int = 1, suffix: str = "", reuse: bool | None = None
) -> Iterator[str]:
    """Switch the default connection to the bench database for the duration; yields its name.

    ``reuse`` (default: ``keep``) opens an existing database instead of creating it afresh; ``keep``
    leaves it behind afterwards (the curve visits a point's database several times in one run).
    """
    reuse = keep if reuse is None else reuse
    settings_dict = connection.settings_dict
    old_name = settings_dict["NAME"]
    test_settings = settings_dict.setdefault("TEST", {})
    old_test_name = test_settings.get("NAME")
    name = bench_database_name(settings_dict, suffix)
    test_settings["NAME"] = name
    is_sqlite = connection.vendor == "sqlite"
    if is_sqlite:
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        if not reuse:
            connection.close()
            Path(name).unlink(missing_ok=True)
            _remove_sqlite_sidecars(name)
    try:
        connection.creation.create_test_db(
            verbosity=verbosity, autoclobber=True, serialize=False, keepdb=reuse
        )
        try:
            yield name
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=verbosity, keepdb=keep)
            if is_sqlite and not keep:
                _remove_sqlite_sidecars(name)
    finally:
        test_settings["NAME"] = old_test_name


# --- Report ------------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def machine_info() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "django": django.get_version(),
    }


def database_info() -> dict[str, Any]:
    version: str
    if connection.vendor == "sqlite":
        import sqlite3

        version = sqlite3.sqlite_version
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = str(cursor.fetchone()[0])
    return {"vendor": connection.vendor, "version": version, "name": str(connection.settings_dict["NAME"])}


def build_report(
    results: Sequence[ScenarioResult],
    *,
    runs: int,
    warmup: int,
    scale: dict[str, int],
    counts: dict[str, int],
    generation: dict[str, Any],
    persona: dict[str, Any],
) -> dict[str, Any]:
    floor = next((r for r in results if r.name == FLOOR), None)
    if floor is None:
        raise BenchError("The floor scenario did not run.")
    scenarios = []
    for r in results:
        scenarios.append(
            {
                "name": r.name,
                "description": r.description,
                "runs": len(r.times_ms),
                **{f"{k}_ms": round(v, 3) for k, v in asdict(r.stats).items()},
                "median_vs_floor": round(r.stats.median / floor.stats.median, 2),
                "p95_vs_floor": round(r.stats.p95 / floor.stats.p95, 2),
                "queries": r.queries,
                "response_bytes": r.response_bytes,
                "times_ms": [round(t, 3) for t in r.times_ms],
            }
        )
    return {
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "database": database_info(),
        "scale": {"requested": scale, "counts": counts},
        "generation": generation,
        "persona": persona,
        "runs": runs,
        "warmup": warmup,
        "floor": FLOOR,
        "scenarios": scenarios,
    }


def format_table(report: dict[str, Any]) -> str:
    header = ("scenario", "median", "p95", "min", "max", "med×floor", "p95×floor", "queries")
    rows = [header]
    for s in report["scenarios"]:
        rows.append(
            (
                s["name"],
                f"{s['median_ms']:.2f}",
                f"{s['p95_ms']:.2f}",
                f"{s['min_ms']:.2f}",
                f"{s['max_ms']:.2f}",
                f"{s['median_vs_floor']:.2f}",
                f"{s['p95_vs_floor']:.2f}",
                str(s["queries"]),
            )
        )
    return "\n".join(text_table(rows))


def text_table(rows: Sequence[Sequence[str]]) -> list[str]:
    """The lines of a plain-text table: the first row a header underlined, the first column left-aligned,
    the others right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(widths[i]) for i, cell in enumerate(row) if i]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def format_summary(report: dict[str, Any]) -> str:
    m, db, counts, gen = (
        report["machine"],
        report["database"],
        report["scale"]["counts"],
        report["generation"],
    )
    generated = "reused existing bench data" if gen.get("reused") else f"generated in {gen['seconds']:.1f} s"
    return "\n".join(
        [
            f"Machine:  {m['cpu_count']} CPU ({m['cpu_model']}), Python {m['python']}, Django {m['django']}",
            f"Database: {db['vendor']} {db['version'].split(',')[0]} ({db['name']})"
            + (
                f", set up in {gen['database_setup_seconds']:.1f} s"
                if "database_setup_seconds" in gen
                else ""
            ),
            "Scale:    "
            + ", ".join(f"{counts[k]} {k}" for k in ("collaborations", "organisations", "users", "notices"))
            + f", {counts.get('audit_entries', 0)} audit entries; {generated}",
            f"Runs:     {report['runs']} timed after {report['warmup']} warm-up, times in ms; "
            f"persona: {report['persona']['role']} of {report['persona']['collaboration']}",
        ]
    )
