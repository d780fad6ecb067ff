"""Indicator data points computed from other rows: the monthly police event counts per kommun."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from samverkan.indicators.bulk import insert_rows
from samverkan.indicators.defaults import (
    POLICE_EVENTS,
    ensure_police_indicators,
    ensure_type_mappings,
)
from samverkan.indicators.models import DataPoint, ImportRun, Indicator, PoliceEvent


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


@transaction.atomic
def police_indicators_recompute(
    *, months: Iterable[dt.date] | None = None, import_run: ImportRun | None = None
) -> int:
    """Recount "polisen.handelser" and "polisen.handelser.<area>" per kommun for ``months`` (None = all).

    Only kommun-months with events get a data point (the indicators are counts: inside the covered range a
    missing month is zero). Returns the number of data points created, changed or removed.
    """
    indicators = ensure_police_indicators()
    mapping = ensure_type_mappings()
    total_id = indicators[POLICE_EVENTS].pk
    area_ids = {code.rsplit(".", 1)[1]: ind.pk for code, ind in indicators.items() if code != POLICE_EVENTS}
    indicator_of_type = {t: area_ids.get(a) for t, a in mapping.items()}
    month_set = None if months is None else set(months)
    if month_set is not None and not month_set:
        return 0

    events = PoliceEvent.objects.filter(kommun__isnull=False)
    if month_set is not None:
        events = events.filter(month__in=sorted(month_set))
    counts: dict[tuple[int, str, dt.date], int] = defaultdict(int)
    for month, kommun_id, type_, n in (
        events.values_list("month", "kommun_id", "type").annotate(n=Count("pk")).order_by().iterator()
    ):
        counts[(total_id, kommun_id, month)] += n
        area_indicator = indicator_of_type.get(type_)
        if area_indicator is not None:
            counts[(area_indicator, kommun_id, month)] += n

    points = DataPoint.objects.filter(indicator_id__in=[total_id, *area_ids.values()], kommun__isnull=False)
    if month_set is not None:
        points = points.filter(period_start__in=sorted(month_set))
    to_update: list[DataPoint] = []
    to_delete: list[int] = []
    for pk, indicator_id, kommun_id, period_start, value in points.values_list(
        "pk", "indicator_id", "kommun_id", "period_start", "value"
    ).iterator():
        new = counts.pop((indicator_id, kommun_id, period_start), None)
        if new is None:
            to_delete.append(pk)
        elif value != new:
            to_update.append(DataPoint(pk=pk, value=Decimal(new), import_run=import_run))
    run_id = import_run.pk if import_run is not None else None
    to_create = [(i, k, m, Decimal(n), run_id) for (i, k, m), n in counts.items()]
    insert_rows(DataPoint, ["indicator", "kommun", "period_start", "value", "import_run"], to_create)
    DataPoint.objects.bulk_update(to_update, ["value", "import_run"], batch_size=500)
    for start in range(0, len(to_delete), 2000):
        DataPoint.objects.filter(pk__in=to_delete[start : start + 2000]).delete()

    span = PoliceEvent.objects.aggregate(first=Min("month"), latest=Max("datetime"))
    Indicator.objects.filter(pk__in=[i.pk for i in indicators.values()]).update(
        covered_from=span["first"], covered_to=last_complete_month(span["latest"])
    )
    return len(to_create) + len(to_update) + len(to_delete)
