"""Read-side helpers for the statistics pages: a kommun's overview and one indicator's chart and table.

Indicators and data points are public open data, so nothing here is scoped to a user: the views decide
which kommuner a reader may pick (those of the collaboration) before calling in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, Sum
from django.utils.translation import gettext as _

from samverkan.core.models import Kommun
from samverkan.core.shipped import shipped
from samverkan.indicators.models import DataPoint, Indicator, Target
from samverkan.indicators.periods import add_months
from samverkan.indicators.selectors import kommun_series, rate_per_10000

# --- periods ---------------------------------------------------------------------------------------------

_PERIOD_MONTHS: dict[str, int] = {
    Indicator.Period.MONTH: 1,
    Indicator.Period.QUARTER: 3,
    Indicator.Period.YEAR: 12,
}


def previous_period(indicator: Indicator, start: dt.date) -> dt.date:
    return add_months(start, -_PERIOD_MONTHS.get(indicator.period_type, 1))


def period_label(indicator: Indicator, start: dt.date) -> str:
    """How a period is written in tables and on the chart's axis: 2024-03, 2024 kv. 1, 2024."""
    if indicator.period_type == Indicator.Period.YEAR:
        return f"{start.year}"
    if indicator.period_type == Indicator.Period.QUARTER:
        return _("%(year)d kv. %(quarter)d") % {"year": start.year, "quarter": (start.month - 1) // 3 + 1}
    return f"{start:%Y-%m}"


def tidy(value: Decimal | None) -> Decimal | None:
    """Without trailing zeros (values are stored with six decimals): 12.500000 is shown as 12,5."""
    return None if value is None else value.normalize()


def _value_or_zero(indicator: Indicator, values: dict[dt.date, Decimal], day: dt.date) -> Decimal | None:
    """The stored value, or zero for a count inside its covered range (a missing month had no events)."""
    if day in values:
        return values[day]
    covered = indicator.is_count and indicator.covered_from and indicator.covered_to
    if covered and indicator.covered_from <= day <= indicator.covered_to:  # type: ignore[operator]
        return Decimal(0)
    return None


def latest_period(indicator: Indicator, last_stored: dt.date) -> dt.date:
    """The latest period with a value: for a monthly count, the last month of its covered range when
    that is later than the last stored point (the months between had no events: zero, not missing)."""
    covered_to = indicator.covered_to
    if (
        indicator.is_count
        and indicator.period_type == Indicator.Period.MONTH
        and indicator.covered_from
        and covered_to
    ):
        return max(last_stored, covered_to.replace(day=1))
    return last_stored


# --- the overview of one kommun --------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """The difference from an earlier period; ``percent`` is None when the earlier value is zero."""

    earlier: Decimal
    difference: Decimal
    percent: Decimal | None


def _change(latest: Decimal, earlier: Decimal | None) -> Change | None:
    if earlier is None:
        return None
    percent = None if earlier == 0 else ((latest - earlier) * 100 / abs(earlier)).quantize(Decimal("0.1"))
    return Change(earlier=earlier.normalize(), difference=(latest - earlier).normalize(), percent=percent)


@dataclass(frozen=True)
class OverviewRow:
    indicator: Indicator
    period: dt.date
    period_label: str
    value: Decimal
    per_10000: Decimal | None
    vs_previous: Change | None
    vs_last_year: Change | None


@dataclass
class OverviewGroup:
    code: str
    title: str
    rows: list[OverviewRow] = field(default_factory=list)


def kommun_overview(*, kommun: Kommun) -> list[OverviewGroup]:
    """The indicators with data for ``kommun``, grouped by lägesbild area (then "Övrigt"), each with its
    latest value and the change from the previous period and from the same period a year earlier.

    Three queries whatever the number of indicators: the latest period per indicator, the indicators, and
    the values of those latest, previous and year-earlier periods.
    """
    from samverkan.core.areas import SIX_AREAS, area_title

    own_points = DataPoint.objects.filter(kommun=kommun, deso__isnull=True)
    latest = dict(
        own_points.values_list("indicator_id").annotate(latest=Max("period_start")).order_by("indicator_id")
    )
    if not latest:
        return []
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=latest)}
    wanted: dict[int, tuple[dt.date, dt.date, dt.date]] = {}
    for pk, last_stored in latest.items():
        indicator = indicators[pk]
        last = latest_period(indicator, last_stored)
        wanted[pk] = (last, previous_period(indicator, last), add_months(last, -12))
    dates = {day for days in wanted.values() for day in days}
    values: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    for pk, day, value in own_points.filter(indicator_id__in=latest, period_start__in=dates).values_list(
        "indicator_id", "period_start", "value"
    ):
        values[pk][day] = value

    groups = {code: OverviewGroup(code, area_title(code)) for code, _title, _question in SIX_AREAS}
    other = OverviewGroup("", _("Övrigt"))
    for pk, (last, previous, year_before) in wanted.items():
        indicator = indicators[pk]
        # The last stored period, or a later month of the covered range without a point: zero.
        value = values[pk].get(last, Decimal(0))
        yearly = indicator.period_type == Indicator.Period.YEAR
        row = OverviewRow(
            indicator=indicator,
            period=last,
            period_label=period_label(indicator, last),
            value=value.normalize(),
            per_10000=tidy(rate_per_10000(value, kommun.folkmangd)) if indicator.is_count else None,
            vs_previous=_change(value, _value_or_zero(indicator, values[pk], previous)),
            # For a yearly indicator the previous period is the same period last year: shown once.
            vs_last_year=None
            if yearly
            else _change(value, _value_or_zero(indicator, values[pk], year_before)),
        )
        groups.get(indicator.area_code, other).rows.append(row)
    result = [*groups.values(), other]
    for group in result:
        group.rows.sort(key=lambda r: shipped(r.indicator.name).casefold())
    return [group for group in result if group.rows]


# --- one indicator's series ------------------------------------------------------------------------------

# The page's choice of unit for a count (?per=): per 10,000 inhabitants or the count itself.
PER_10000 = "10000"
PER_COUNT = "antal"


def shows_per_10000(indicator: Indicator, kommun: Kommun, choice: str | None) -> bool:
    """Whether a count is shown per 10,000 inhabitants: as chosen, else whenever the population is
    known, since only rates put a kommun beside its län and riket on one axis."""
    if not indicator.is_count:
        return False
    if choice == PER_10000:
        return True
    if choice == PER_COUNT:
        return False
    return bool(kommun.folkmangd)


@dataclass(frozen=True)
class SeriesRow:
    """One period of the indicator page's table (and chart): the kommun, its län and riket, and targets."""

    period: dt.date
    label: str
    value: Decimal | None
    ci_low: Decimal | None
    ci_high: Decimal | None
    lan: Decimal | None
    riket: Decimal | None
    target: Decimal | None


@dataclass(frozen=True)
class TargetLine:
    label: str
    value: Decimal  # in the unit shown (per 10,000 inhabitants or not)
    valid_from: dt.date | None
    valid_to: dt.date | None

    def applies(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass
class IndicatorSeries:
    indicator: Indicator
    kommun: Kommun
    per_10000: bool
    rows: list[SeriesRow]
    targets: list[TargetLine]
    has_ci: bool
    has_lan: bool
    has_riket: bool
    lan_name: str

    @property
    def has_target(self) -> bool:
        return any(row.target is not None for row in self.rows)

    @property
    def compare_axis(self) -> bool:
        """Counts of the län and riket against a kommun's count: drawn on an axis of their own, since on
        the kommun's axis the kommun would be a flat line at the bottom."""
        return self.indicator.is_count and not self.per_10000 and (self.has_lan or self.has_riket)

    def chart_data(self) -> dict[str, Any]:
        """What the chart script draws, as plain JSON (numbers as floats, missing values as null)."""

        def numbers(values: list[Decimal | None]) -> list[float | None]:
            return [None if v is None else float(v) for v in values]

        rows = self.rows
        return {
            "labels": [row.label for row in rows],
            "kommun": {"label": self.kommun.namn, "values": numbers([r.value for r in rows])},
            "ci": (
                {
                    "label": _("95 %% konfidensintervall"),
                    "low": numbers([r.ci_low for r in rows]),
                    "high": numbers([r.ci_high for r in rows]),
                }
                if self.has_ci
                else None
            ),
            "lan": (
                {"label": self.lan_name, "values": numbers([r.lan for r in rows])} if self.has_lan else None
            ),
            "riket": (
                {"label": _("Riket"), "values": numbers([r.riket for r in rows])} if self.has_riket else None
            ),
            "targets": [
                {
                    "label": _target_legend(target),
                    "values": numbers([target.value if target.applies(r.period) else None for r in rows]),
                }
                for target in self.targets
            ],
            "unit": (
                _("%(unit)s, %(places)s") % {"unit": self.unit_label, "places": self.kommun.namn}
                if self.compare_axis
                else self.unit_label
            ),
            "compare_unit": self.compare_unit_label if self.compare_axis else None,
        }

    @property
    def compare_unit_label(self) -> str:
        places = [
            name for name, shown in ((self.lan_name, self.has_lan), (_("riket"), self.has_riket)) if shown
        ]
        return _("%(unit)s, %(places)s") % {
            "unit": shipped(self.indicator.unit),
            "places": _(" och ").join(places),
        }

    @property
    def unit_label(self) -> str:
        if self.per_10000:
            return _("%(unit)s per 10 000 invånare") % {"unit": shipped(self.indicator.unit)}
        return shipped(self.indicator.unit)


def _target_legend(target: TargetLine) -> str:
    return _("Mål: %(label)s") % {"label": target.label} if target.label else _("Mål")


def _population_by_lan_and_riket(lan_id: str) -> tuple[int | None, int | None]:
    totals = Kommun.objects.aggregate(lan=Sum("folkmangd", filter=Q(lan_id=lan_id)), riket=Sum("folkmangd"))
    return totals["lan"], totals["riket"]


def _scaled(
    value: Decimal | None, population: int | None, per_10000: bool
) -> Decimal | None:  # a rate, or the value as it is
    if value is None or not per_10000:
        return value
    return rate_per_10000(value, population)


def indicator_series(
    *, indicator: Indicator, kommun: Kommun, collaboration_id: int, per_10000: bool = False
) -> IndicatorSeries:
    """The kommun's series with its confidence intervals, the län's and riket's where they exist, and the
    targets set for it (for the kommun or for every kommun, by this collaboration or for everyone).

    ``per_10000`` applies to counts only; comparison lines are scaled with their own population.
    """
    per_10000 = per_10000 and indicator.is_count
    series = kommun_series(indicator=indicator, kommun=kommun)
    ci = {
        day: (low, high)
        for day, low, high in DataPoint.objects.filter(
            indicator=indicator, kommun=kommun, deso__isnull=True, ci_low__isnull=False
        ).values_list("period_start", "ci_low", "ci_high")
    }
    lan_values: dict[dt.date, Decimal] = {}
    riket_values: dict[dt.date, Decimal] = {}
    for lan_id, day, value in DataPoint.objects.filter(
        Q(lan_id=kommun.lan_id) | Q(lan__isnull=True), indicator=indicator, kommun__isnull=True
    ).values_list("lan_id", "period_start", "value"):
        (lan_values if lan_id else riket_values)[day] = value
    lan_population = riket_population = None
    if per_10000 and (lan_values or riket_values):
        lan_population, riket_population = _population_by_lan_and_riket(kommun.lan_id)

    targets = [
        line
        for target in Target.objects.filter(
            Q(kommun=kommun) | Q(kommun__isnull=True),
            Q(collaboration_id=collaboration_id) | Q(collaboration__isnull=True),
            indicator=indicator,
        ).order_by("valid_from", "pk")
        if (line := _target_line(target, kommun, per_10000)) is not None
    ]

    periods = sorted({p.period_start for p in series} | set(lan_values) | set(riket_values))
    own = {p.period_start: (p.per_10000 if per_10000 else p.value) for p in series}
    rows = []
    for day in periods:
        low, high = ci.get(day, (None, None))
        rows.append(
            SeriesRow(
                period=day,
                label=period_label(indicator, day),
                value=tidy(own.get(day)),
                ci_low=tidy(_scaled(low, kommun.folkmangd, per_10000)),
                ci_high=tidy(_scaled(high, kommun.folkmangd, per_10000)),
                lan=tidy(_scaled(lan_values.get(day), lan_population, per_10000)),
                riket=tidy(_scaled(riket_values.get(day), riket_population, per_10000)),
                target=tidy(next((t.value for t in targets if t.applies(day)), None)),
            )
        )
    return IndicatorSeries(
        indicator=indicator,
        kommun=kommun,
        per_10000=per_10000,
        rows=rows,
        targets=targets,
        has_ci=bool(ci),
        has_lan=bool(lan_values),
        has_riket=bool(riket_values),
        lan_name=kommun.lan.namn,
    )


def _target_line(target: Target, kommun: Kommun, per_10000: bool) -> TargetLine | None:
    """The target in the unit shown; None when it cannot be converted (no population known)."""
    value: Decimal | None = target.value
    if target.per_10000 and not per_10000:
        value = (
            None
            if not kommun.folkmangd
            else (target.value * kommun.folkmangd / 10000).quantize(Decimal("0.01"))
        )
    elif per_10000 and not target.per_10000:
        value = rate_per_10000(target.value, kommun.folkmangd)
    if value is None:
        return None
    return TargetLine(
        label=target.label, value=value.normalize(), valid_from=target.valid_from, valid_to=target.valid_to
    )


def export_rows(data: IndicatorSeries) -> tuple[list[str], list[list[Any]]]:
    """The table as header and rows for CSV and XLSX (built once, rendered twice)."""
    header = [_("Period"), f"{data.kommun.namn} ({data.unit_label})"]
    if data.has_ci:
        header += [_("Konfidensintervall, undre"), _("Konfidensintervall, övre")]
    if data.has_lan:
        header.append(data.lan_name)
    if data.has_riket:
        header.append(_("Riket"))
    if data.has_target:
        header.append(_("Mål"))
    rows = []
    for row in data.rows:
        line: list[Any] = [row.label, row.value]
        if data.has_ci:
            line += [row.ci_low, row.ci_high]
        if data.has_lan:
            line.append(row.lan)
        if data.has_riket:
            line.append(row.riket)
        if data.has_target:
            line.append(row.target)
        rows.append(line)
    return header, rows
