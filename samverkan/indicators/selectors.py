"""Reads of the indicators app. Police events and indicators are public open data: no tenant scoping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from samverkan.core.models import Kommun
from samverkan.indicators.models import DataPoint, Indicator, PoliceEvent
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
