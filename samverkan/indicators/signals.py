"""Signals: the biggest changes in a collaboration's statistics that are larger than chance.

``signals_for_collaboration`` is a plain selector (no request, no user): the statistics are public open
data. The joint picture shows it, and the meeting agenda (a later issue) will show the same list.
Three queries whatever the number of kommuner and indicators: the indicators, the kommuner and one read
of the data points; a fourth, for indicators without a recorded coverage, finds their first and last
periods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Min, Q
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from samverkan.core.models import Collaboration, Kommun
from samverkan.core.shipped import shipped
from samverkan.indicators.models import DataPoint, Indicator, area_code_choices
from samverkan.indicators.periods import add_months
from samverkan.indicators.trends import (
    PERIOD_MONTHS,
    Comparison,
    Observation,
    PeriodKind,
    Trend,
    comparison_sentence,
    last_year_phrase,
    latest_complete_period,
    period_days,
    period_kind_of,
    period_label,
    previous_period_phrase,
    trend_from_observations,
)

# Counts per lägesbild area from these sources: police events, registered crime, Brå's reported crime.
# Only counts: a change in a count can be tested exactly (trends.compare_counts).
SIGNAL_CODE_PREFIXES = ("polisen.handelser.", "polisen.brott.", "bra.")


class Direction:
    WORSE = "worse"
    BETTER = "better"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Signal:
    """One significant change: an indicator in one kommun, against the previous period or a year back."""

    kommun_code: str
    kommun_name: str
    indicator_code: str
    indicator_name: str
    area_code: str
    area_title: str
    better: str  # Indicator.Better
    trend: Trend
    against_last_year: bool

    @property
    def comparison(self) -> Comparison:
        comparison = self.trend.vs_last_year if self.against_last_year else self.trend.vs_previous
        assert comparison is not None
        return comparison

    @property
    def against(self) -> str:
        kind = self.trend.period_kind
        return last_year_phrase(kind) if self.against_last_year else previous_period_phrase(kind)

    @property
    def sentence(self) -> str:
        return comparison_sentence(self.trend.subject, self.comparison, self.against)

    @property
    def period_label(self) -> str:
        """Which period the change is in: signals come from the latest data, which may be older."""
        return period_label(self.trend.period_kind, self.trend.period_start)

    @property
    def direction(self) -> str:
        """worse/better by the indicator's better direction; neutral when it has none."""
        up = self.comparison.direction > 0
        if self.better == Indicator.Better.LOWER:
            return Direction.WORSE if up else Direction.BETTER
        if self.better == Indicator.Better.HIGHER:
            return Direction.BETTER if up else Direction.WORSE
        return Direction.NEUTRAL

    @property
    def direction_label(self) -> str:
        return {
            Direction.WORSE: _("Sämre"),
            Direction.BETTER: _("Bättre"),
        }.get(self.direction, _("Förändring"))


@dataclass(frozen=True)
class _Plan:
    """Which periods one indicator is read for, and where a missing count means zero."""

    indicator: Indicator
    kind: PeriodKind
    current: dt.date
    previous: dt.date
    last_year: dt.date
    covered: tuple[dt.date, dt.date] | None  # a count inside it with no data point is zero


def signals_for_collaboration(
    collaboration: Collaboration, *, as_of: dt.date, limit: int = 8
) -> list[Signal]:
    """The significant changes in the collaboration's kommuner in the latest complete period at or
    before ``as_of`` (and inside what the data covers), most certain first, then the largest."""
    indicators = list(
        Indicator.objects.filter(
            Q(code__startswith=SIGNAL_CODE_PREFIXES[0])
            | Q(code__startswith=SIGNAL_CODE_PREFIXES[1])
            | Q(code__startswith=SIGNAL_CODE_PREFIXES[2]),
            is_count=True,
            level=Indicator.Level.KOMMUN,
        ).exclude(area_code="")
    )
    kommuner = {
        k.kod: k.namn for k in Kommun.objects.filter(collaborations=collaboration).only("kod", "namn")
    }
    if not indicators or not kommuner:
        return []
    plans = _plans(indicators, kommuner=list(kommuner), as_of=as_of)
    if not plans:
        return []

    wanted = {p.indicator.pk: {p.current, p.previous, p.last_year} for p in plans}
    values: dict[tuple[int, str, dt.date], Decimal] = {}
    for indicator_id, kommun_id, period_start, value in DataPoint.objects.filter(
        indicator_id__in=list(wanted),
        kommun_id__in=list(kommuner),
        deso__isnull=True,
        period_start__in=sorted(set().union(*wanted.values())),
    ).values_list("indicator_id", "kommun_id", "period_start", "value"):
        if period_start in wanted[indicator_id]:
            values[(indicator_id, kommun_id, period_start)] = value

    titles = dict(area_code_choices())
    signals = []
    for plan in plans:
        for kommun_code, kommun_name in kommuner.items():
            signal = _signal(plan, kommun_code, kommun_name, values, titles)
            if signal is not None:
                signals.append(signal)
    signals.sort(key=lambda s: (_p(s.comparison), -abs(float(s.comparison.change)), s.kommun_name))
    return signals[:limit]


def _plans(indicators: list[Indicator], *, kommuner: list[str], as_of: dt.date) -> list[_Plan]:
    uncovered = [i.pk for i in indicators if i.covered_to is None]
    spans: dict[int, tuple[dt.date, dt.date]] = {}
    if uncovered:
        # Without a recorded coverage, what the data holds for these kommuner up to as_of is the coverage.
        for indicator_id, first, last in (
            DataPoint.objects.filter(
                indicator_id__in=uncovered, kommun_id__in=kommuner, deso__isnull=True, period_start__lte=as_of
            )
            .values("indicator_id")
            .annotate(first=Min("period_start"), last=Max("period_start"))
            .values_list("indicator_id", "first", "last")
            .order_by()
        ):
            spans[indicator_id] = (first, last)
    plans = []
    for indicator in indicators:
        kind = period_kind_of(indicator.period_type)
        length = PERIOD_MONTHS.get(kind)
        if length is None:
            continue
        if indicator.covered_to is not None:
            covered_from = indicator.covered_from or indicator.covered_to
            span = (covered_from, indicator.covered_to)
        elif indicator.pk in spans:
            span = spans[indicator.pk]
        else:
            continue
        current = min(latest_complete_period(kind, as_of), _period_start(kind, span[1]))
        if current < _period_start(kind, span[0]):
            continue
        plans.append(
            _Plan(
                indicator=indicator,
                kind=kind,
                current=current,
                previous=add_months(current, -length),
                last_year=add_months(current, -12),
                covered=span,
            )
        )
    return plans


def _period_start(kind: PeriodKind, day: dt.date) -> dt.date:
    """The start of the calendar period (month, quarter, tertial, year) that ``day`` falls in."""
    length = PERIOD_MONTHS[kind]
    return add_months(day.replace(day=1), -((day.month - 1) % length))


def _signal(
    plan: _Plan,
    kommun_code: str,
    kommun_name: str,
    values: dict[tuple[int, str, dt.date], Decimal],
    titles: dict[str, str],
) -> Signal | None:
    length = PERIOD_MONTHS[plan.kind]

    def observation(start: dt.date) -> Observation | None:
        value = values.get((plan.indicator.pk, kommun_code, start))
        if value is None:
            if plan.covered is None or not (
                _period_start(plan.kind, plan.covered[0]) <= start <= plan.covered[1]
            ):
                return None
            value = Decimal(0)
        return Observation(value=value, days=period_days(start, length))

    current = observation(plan.current)
    if current is None:
        return None
    trend = trend_from_observations(
        subject=signal_subject_lazy(plan.indicator.name, kommun_name),
        period_kind=plan.kind,
        period_start=plan.current,
        current=current,
        previous=observation(plan.previous),
        last_year=observation(plan.last_year),
        is_count=True,
    )
    best = _most_significant(
        [
            (c, against)
            for c, against in ((trend.vs_previous, False), (trend.vs_last_year, True))
            if c is not None
        ]
    )
    if best is None:
        return None
    return Signal(
        kommun_code=kommun_code,
        kommun_name=kommun_name,
        indicator_code=plan.indicator.code,
        indicator_name=plan.indicator.name,
        area_code=plan.indicator.area_code,
        area_title=titles.get(plan.indicator.area_code, plan.indicator.area_code),
        better=plan.indicator.better,
        trend=trend,
        against_last_year=best[1],
    )


def signal_subject(indicator_name: str, kommun_name: str) -> str:
    """ "Residential burglary in Älvdalen": the indicator's shipped name in the reader's language."""
    return _("%(indicator)s i %(kommun)s") % {"indicator": shipped(indicator_name), "kommun": kommun_name}


# The subject is read when the sentence is, so a signal made once reads in each reader's language.
signal_subject_lazy = lazy(signal_subject, str)


def _most_significant(made: Iterable[tuple[Comparison, bool]]) -> tuple[Comparison, bool] | None:
    significant = [m for m in made if m[0].significant]
    if not significant:
        return None
    return min(significant, key=lambda m: (_p(m[0]), -abs(float(m[0].change))))


def _p(comparison: Comparison) -> float:
    return comparison.p_value if comparison.p_value is not None else 1.0
