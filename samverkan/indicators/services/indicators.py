"""Indicator data points computed from other rows: the monthly police event counts per kommun."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from samverkan.indicators.bulk import insert_values
from samverkan.indicators.defaults import (
    POLICE_EVENTS,
    ensure_police_indicators,
    ensure_type_mappings,
)
from samverkan.indicators.models import (
    DataPoint,
    ImportRun,
    Indicator,
    PoliceEvent,
    PoliceEventTypeMapping,
)
from samverkan.indicators.revision import DATA_POINTS, bump_data_revision


def last_complete_month(latest: dt.datetime | None) -> dt.date | None:
    """The last month the data covers in full: an archive ending on 22 August covers July, not August.

    Counting a partial month as covered would compare it with whole months and report a drop that is
    only the end of the file.
    """
    if latest is None:
        return None
    day = timezone.localtime(latest).date()
    if (day + dt.timedelta(days=1)).month != day.month:
        return day.replace(day=1)
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@dataclass
class CountedEvents:
    """The events of ``months`` counted by the import that wrote every one of them (the months held no
    other event): per (kommun code, month, type), events without a kommun left out."""

    months: set[dt.date] = field(default_factory=set)
    counts: dict[tuple[str, dt.date, str], int] = field(default_factory=dict)


@transaction.atomic
def police_indicators_recompute(
    *,
    months: Iterable[dt.date] | None = None,
    import_run: ImportRun | None = None,
    counted: CountedEvents | None = None,
) -> int:
    """Recount "polisen.handelser" and "polisen.handelser.<area>" per kommun for ``months`` (None = all).

    Only kommun-months with events get a data point (the indicators are counts: inside the covered range a
    missing month is zero). Returns the number of data points created, changed or removed.

    Set-based: the counts are made by one ``INSERT … SELECT … GROUP BY`` into a temporary table (the event
    type reaches its area's indicator through a join with the type mapping), and the data points are brought
    in line with it by three statements (delete the gone, update the changed, insert the new). Reading the
    events and points into Python cost more than the rest of a first import's recount together.

    ``counted``: months among ``months`` whose events the caller has counted itself while writing all of
    them (a first import, a new period); their counts go into the temporary table as they are, and the
    events are read again only for the other months. When that is every month and none has a point yet,
    the counts are inserted as the points directly (nothing to compare them with: no temporary table).
    """
    indicators = ensure_police_indicators()
    mapping = ensure_type_mappings()
    total_id = indicators[POLICE_EVENTS].pk
    area_ids = {code.rsplit(".", 1)[1]: ind.pk for code, ind in indicators.items() if code != POLICE_EVENTS}
    month_list = None if months is None else sorted(set(months))
    if month_list is not None and not month_list:
        return 0
    in_scope: set[dt.date] = set()
    given: list[tuple[int, str, dt.date, int]] = []
    if counted is not None and month_list is not None:
        in_scope = counted.months.intersection(month_list)
        given = _counts_as_points(counted, in_scope, total_id, area_ids, mapping)
    run_id = import_run.pk if import_run else None
    if (
        month_list is not None
        and len(in_scope) == len(month_list)
        and not _points_exist(indicators, month_list)
    ):
        # Every month counted by the caller and none with a point yet (a first import): the counts are
        # the new points, with nothing to compare them with.
        _insert_counts(
            DataPoint._meta.db_table,
            "indicator_id, kommun_id, period_start, value, import_run_id",
            [(*point, run_id) for point in given],
        )
        changed = len(given)
    else:
        changed = _recount_in_sql(
            total_id, area_ids, month_list, run_id, counted_months=in_scope, given=given
        )
    if changed:
        bump_data_revision(DATA_POINTS)

    first, latest = _police_span()
    Indicator.objects.filter(pk__in=[i.pk for i in indicators.values()]).update(
        covered_from=first, covered_to=last_complete_month(latest)
    )
    return changed


def _points_exist(indicators: dict[str, Indicator], months: list[dt.date]) -> bool:
    """Whether any kommun has a point of these indicators in ``months`` (what a recount compares with)."""
    return DataPoint.objects.filter(
        indicator__in=[i.pk for i in indicators.values()], kommun__isnull=False, period_start__in=months
    ).exists()


def _police_span() -> tuple[dt.date | None, dt.datetime | None]:
    """The first month with events and the latest event's moment.

    Each read through the (month, kommun) index: the latest event is in the last month (a month follows
    from the moment), so only that month's rows are read, not the whole table as one MIN/MAX would.
    """
    events = PoliceEvent.objects.order_by()
    first = events.aggregate(first=Min("month"))["first"]
    last_month = events.aggregate(last=Max("month"))["last"]
    if last_month is None:
        return first, None
    return first, events.filter(month=last_month).aggregate(latest=Max("datetime"))["latest"]


def _counts_as_points(
    counted: CountedEvents,
    months: set[dt.date],
    total_id: int,
    area_ids: dict[str, int],
    mapping: dict[str, str],
) -> list[tuple[int, str, dt.date, int]]:
    """(indicator, kommun, month, count) from the caller's counts, as the SQL below makes them from the
    events: every event in the total, and in its type's area when that area has an indicator."""
    points: dict[tuple[int, str, dt.date], int] = defaultdict(int)
    for (kommun, month, type_), n in counted.counts.items():
        if month not in months:
            continue
        points[(total_id, kommun, month)] += n
        area_id = area_ids.get(mapping.get(type_, ""))
        if area_id is not None:
            points[(area_id, kommun, month)] += n
    return [(*key, n) for key, n in points.items()]


_COUNTS_TABLE = "samverkan_police_recount"


def _recount_in_sql(
    total_id: int,
    area_ids: dict[str, int],
    month_list: list[dt.date] | None,
    run_id: int | None,
    *,
    counted_months: set[dt.date] | frozenset[dt.date] = frozenset(),
    given: list[tuple[int, str, dt.date, int]] | None = None,
) -> int:
    """Count the events per indicator, kommun and month in SQL and make the data points of ``month_list``
    match the counts; the events of ``counted_months`` are not read, their counts are ``given``."""
    event_months = None if month_list is None else [m for m in month_list if m not in counted_months]
    qn = connection.ops.quote_name
    event = PoliceEvent._meta
    point = DataPoint._meta
    mapping = PoliceEventTypeMapping._meta
    ev_table, dp_table, map_table = qn(event.db_table), qn(point.db_table), qn(mapping.db_table)
    adapt_date = connection.ops.adapt_datefield_value
    month_params = [adapt_date(m) for m in month_list] if month_list is not None else []
    in_months = ", ".join(["%s"] * len(month_params))
    event_month_params = [adapt_date(m) for m in event_months] if event_months is not None else []
    in_event_months = ", ".join(["%s"] * len(event_month_params))
    event_scope = "e.kommun_id IS NOT NULL" + (
        f" AND e.month IN ({in_event_months})" if event_months is not None else ""
    )
    indicator_ids = [total_id, *area_ids.values()]
    point_scope = (
        f"{dp_table}.indicator_id IN ({', '.join(['%s'] * len(indicator_ids))})"
        f" AND {dp_table}.kommun_id IS NOT NULL"
        + (f" AND {dp_table}.period_start IN ({in_months})" if month_list else "")
    )
    point_params = [*indicator_ids, *month_params]
    # The area's indicator of each mapped type; a type mapped to no area (or an unknown one) counts only in
    # the total.
    area_case = " ".join("WHEN %s THEN %s" for _ in area_ids)
    area_params: list[Any] = [v for item in area_ids.items() for v in item]
    # One scan of the events, grouped by type too; the total and the areas are summed from that.
    # Without area indicators only the total is counted (an empty CASE or IN () is not SQL).
    per_area = (
        f"""
        UNION ALL
        SELECT CASE m.area_code {area_case} END, p.kommun_id, p.month, SUM(p.n)
        FROM per_type p JOIN {map_table} m ON m.type = p.type
        WHERE m.area_code IN ({", ".join(["%s"] * len(area_ids))})
        GROUP BY m.area_code, p.kommun_id, p.month"""  # noqa: S608 (names from the models, values are parameters)
        if area_ids
        else ""
    )
    counted = f"""
        WITH per_type AS (
            SELECT e.kommun_id, e.month, e.type, COUNT(*) AS n FROM {ev_table} e
            WHERE {event_scope} GROUP BY e.kommun_id, e.month, e.type
        )
        SELECT %s, p.kommun_id, p.month, SUM(p.n) FROM per_type p GROUP BY p.kommun_id, p.month{per_area}
    """  # noqa: S608 (names come from the models, values are parameters)
    counted_params = [*event_month_params, total_id, *area_params, *area_ids]
    same_point = (
        f"c.indicator_id = {dp_table}.indicator_id AND c.kommun_id = {dp_table}.kommun_id"
        f" AND c.period_start = {dp_table}.period_start"
    )
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_COUNTS_TABLE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_COUNTS_TABLE} "
            "(indicator_id integer, kommun_id varchar(4), period_start date, n integer, "
            # The key the data points are matched on: without its index every lookup scanned the table
            # (a recount over existing points took seconds per thousand on SQLite).
            "PRIMARY KEY (indicator_id, kommun_id, period_start))"
        )
        if event_months is None or event_months:
            cursor.execute(f"INSERT INTO {_COUNTS_TABLE} {counted}", counted_params)
        if given:
            _insert_counts(_COUNTS_TABLE, "indicator_id, kommun_id, period_start, n", given)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {_COUNTS_TABLE}")  # a temporary table has no statistics otherwise
        cursor.execute(
            f"DELETE FROM {dp_table} WHERE {point_scope} AND NOT EXISTS "  # noqa: S608
            f"(SELECT 1 FROM {_COUNTS_TABLE} c WHERE {same_point})",
            point_params,
        )
        changed += cursor.rowcount
        cursor.execute(
            f"UPDATE {dp_table} SET value = c.n, import_run_id = %s FROM {_COUNTS_TABLE} c "  # noqa: S608
            f"WHERE {point_scope} AND {same_point} AND {dp_table}.value <> c.n",
            [run_id, *point_params],
        )
        changed += cursor.rowcount
        cursor.execute(
            f"INSERT INTO {dp_table} (indicator_id, kommun_id, period_start, value, import_run_id) "  # noqa: S608
            f"SELECT c.indicator_id, c.kommun_id, c.period_start, c.n, %s FROM {_COUNTS_TABLE} c "
            f"WHERE NOT EXISTS (SELECT 1 FROM {dp_table} WHERE {point_scope} AND {same_point})",
            [run_id, *point_params],
        )
        changed += cursor.rowcount
        cursor.execute(f"DROP TABLE {_COUNTS_TABLE}")
    return changed


def _insert_counts(table: str, columns: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """(indicator, kommun, month, count[, import run]) rows into ``table``'s ``columns``: COPY on
    PostgreSQL, ``insert_values`` elsewhere."""
    table = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    stored = {month: connection.ops.adapt_datefield_value(month) for month in {row[2] for row in rows}}
    insert_values(
        table,
        columns,
        [(indicator, kommun, stored[month], *rest) for indicator, kommun, month, *rest in rows],
    )
