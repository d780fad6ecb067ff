"""Reads of the indicators app. Police events and indicators are public open data: no tenant scoping.

The exception is a small DeSO count, which ``data_points`` hides from users who may not see it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from samverkan.core import permissions
from samverkan.core.models import Collaboration, Kommun
from samverkan.core.selectors import parse_id
from samverkan.core.visibility import membership_roles
from samverkan.indicators import suppression
from samverkan.indicators.models import DataPoint, ImportRun, Indicator, PoliceEvent, Target
from samverkan.indicators.periods import months_between
from samverkan.indicators.population import kommun_population_by_year


def rate_per_10000(value: Decimal | int | float | None, population: int | None) -> Decimal | None:
    """``value`` per 10,000 inhabitants (2 decimals); None without a value or a population."""
    if value is None or not population:
        return None
    rate = Decimal(value) * 10000 / Decimal(population)
    return rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SeriesPoint:
    period_start: dt.date
    value: Decimal
    per_10000: Decimal | None


def kommun_series(*, indicator: Indicator, kommun: Kommun, fill_zeros: bool = True) -> list[SeriesPoint]:
    """The indicator's values for one kommun, oldest first, with the rate per 10,000 inhabitants.

    For a monthly count (``is_count``) the months without a data point inside the covered range are zero,
    provided the kommun has any data point at all: a source may cover only some kommuner (the DeSO crime
    statistics cover Dalarna), and elsewhere "no data" must not read as "no crimes".
    The rate divides by the population of the period's year when SCB's figure for it is known, else by
    the kommun's latest known population.
    """
    values = dict(
        DataPoint.objects.filter(indicator=indicator, kommun=kommun, deso__isnull=True).values_list(
            "period_start", "value"
        )
    )
    periods = sorted(values)
    if (
        fill_zeros
        and values
        and indicator.is_count
        and indicator.period_type == Indicator.Period.MONTH
        and indicator.covered_from
        and indicator.covered_to
    ):
        # Months past the covered range (a partial last month) keep their own points.
        periods = sorted(set(months_between(indicator.covered_from, indicator.covered_to)) | set(values))
    population_of_year = kommun_population_by_year([kommun.kod])
    return [
        SeriesPoint(
            p,
            values.get(p, Decimal(0)),
            rate_per_10000(
                values.get(p, Decimal(0)), population_of_year.get((kommun.kod, p.year), kommun.folkmangd)
            ),
        )
        for p in periods
    ]


def police_events_for_kommun(
    *, kommun: Kommun, start: dt.datetime, end: dt.datetime
) -> QuerySet[PoliceEvent]:
    """Police events placed in ``kommun`` with ``start <= datetime < end``, newest first."""
    return PoliceEvent.objects.filter(kommun=kommun, datetime__gte=start, datetime__lt=end).order_by(
        "-datetime"
    )


# --- The catalogue and its data points -------------------------------------------------------------------


def get_indicator(pk: Any) -> Indicator:
    """Any indicator (public open data), else 404."""
    number = parse_id(pk)
    indicator = Indicator.objects.filter(pk=number).first() if number is not None else None
    if indicator is None:
        raise Http404
    return indicator


def points_filter(*, kommun: str | None, lan: str | None, start: dt.date | None, end: dt.date | None) -> Q:
    """Data points of the kommun, of the län (and its kommuner), from ``start`` to ``end`` inclusive."""
    q = Q()
    if kommun:
        q &= Q(kommun_id=kommun)
    if lan:
        q &= Q(lan_id=lan) | Q(kommun__lan_id=lan)
    if start:
        q &= Q(period_start__gte=start)
    if end:
        q &= Q(period_start__lte=end)
    return q


def indicator_list(
    *, area: str | None, level: str | None, source: str | None, points: Q
) -> QuerySet[Indicator]:
    """The catalogue, narrowed to an area, a level, a source and to indicators with points matching ``points``."""
    qs: QuerySet[Indicator] = Indicator.objects.all()
    if area:
        qs = qs.filter(area_code=area.strip())
    if level:
        qs = qs.filter(level=level)
    if source:
        qs = qs.filter(source__icontains=source.strip())
    if points:
        qs = qs.filter(Exists(DataPoint.objects.filter(points, indicator=OuterRef("pk"))))
    return qs.order_by("code", "id")


def population_of(*, kommun: str | None, lan: str | None) -> dict[str, int | None]:
    """kommun code → its latest known population, for the kommun or the län's kommuner (none without)."""
    if not (kommun or lan):
        return {}
    return dict(
        Kommun.objects.filter(Q(kod=kommun) if kommun else Q(lan_id=lan)).values_list("kod", "folkmangd")
    )


def exact_count_kommuner(user: Any) -> set[str]:
    """Kommuner where ``user`` may see small counts: those of collaborations where they see exact places."""
    collaboration_ids = list(membership_roles(user))
    if not collaboration_ids:
        return set()
    kommuner: set[str] = set()
    for collaboration in Collaboration.objects.filter(pk__in=collaboration_ids).prefetch_related("kommuner"):
        if permissions.can_see_exact_locations(user, collaboration):
            kommuner.update(k.kod for k in collaboration.kommuner.all())
    return kommuner


def data_points(
    *, indicator: Indicator, user: Any, filters: Q, population: dict[str, int | None]
) -> list[dict[str, Any]]:
    """The indicator's points matching ``filters``, oldest first, as the API shows them to ``user``."""
    rows = (
        DataPoint.objects.filter(filters, indicator=indicator)
        .order_by("period_start", "lan_id", "kommun_id", "deso_id")
        .values_list(
            "period_start",
            "value",
            "ci_low",
            "ci_high",
            "kommun_id",
            "lan_id",
            "deso_id",
            "import_run_id",
            "import_run__file_name",
            "import_run__started_at",
        )
    )
    threshold = suppression.threshold()
    exact: set[str] | None = None  # looked up only when a small DeSO count is met
    points = []
    for period_start, value, ci_low, ci_high, kommun, lan, deso, run_id, file_name, imported_at in rows:
        suppressed = False
        if (
            deso is not None
            and indicator.is_count
            and value is not None
            and suppression.is_small(value, threshold)
        ):
            if exact is None:
                exact = exact_count_kommuner(user)
            suppressed = kommun not in exact
        per_10000 = None
        if indicator.is_count and kommun is not None and deso is None and not suppressed:
            per_10000 = rate_per_10000(value, population.get(kommun))
        points.append(
            {
                "period_start": period_start,
                "value": None if suppressed else value,
                "per_10000": per_10000,
                "ci_low": None if suppressed else ci_low,
                "ci_high": None if suppressed else ci_high,
                "kommun": kommun,
                "lan": lan,
                "deso": deso,
                "suppressed": suppressed,
                "import_run": (
                    {"id": run_id, "file_name": file_name, "imported_at": imported_at}
                    if run_id is not None
                    else None
                ),
            }
        )
    return points


def applicable_targets(*, indicator: Indicator, user: Any, kommun: str | None) -> QuerySet[Target]:
    """National targets and those of ``kommun``, set for everyone or by one of the user's collaborations."""
    targets = indicator.targets.filter(
        Q(collaboration__isnull=True) | Q(collaboration_id__in=list(membership_roles(user)))
    )
    targets = targets.filter(Q(kommun__isnull=True) | Q(kommun_id=kommun)) if kommun else targets
    return targets.order_by("valid_from", "id")


# --- Imports -------------------------------------------------------------------------------------------


def recent_import_runs(limit: int) -> QuerySet[ImportRun]:
    """The latest imports, newest first (the data steward's page)."""
    return ImportRun.objects.select_related("by_user").order_by("-started_at")[:limit]


def get_import_run(pk: Any, *, by_user: Any = None) -> ImportRun:
    """One import's report (only ``by_user``'s own when given), else 404."""
    number = parse_id(pk)
    runs = ImportRun.objects.select_related("by_user")
    if by_user is not None:
        runs = runs.filter(by_user=by_user)
    run = runs.filter(pk=number).first() if number is not None else None
    if run is None:
        raise Http404
    return run
