"""Trends that mean something: a change, whether it is larger than chance, and a plain-Swedish sentence.

Pure functions and frozen dataclasses, no database: the signals list, the joint picture and (later) the
meeting agenda build their trends from values they have already read.

Counts (events, crimes) are compared with the exact conditional test for two Poisson counts: given the
total ``n = current + reference``, ``current`` is Binomial(n, r / (1 + r)) when nothing has changed, where
``r`` is the ratio of the exposures (days in the periods, or populations). Survey estimates (NTU shares
with 95 % confidence intervals) count as changed only when the intervals do not overlap, which is
conservative. Other values (a municipal series in SEK) are shown without a test.

Texts are made when they are read (properties), so a trend cached once reads in the request's language.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from scipy.stats import binomtest

from samverkan.core.shipped import shipped_lazy
from samverkan.indicators.periods import add_months

SIGNIFICANCE_LEVEL = 0.05

Number = Decimal | int | float


class Method(enum.StrEnum):
    """How a comparison was tested (the method text follows from it)."""

    POISSON = "poisson"
    INTERVALS = "intervals"
    NONE = "none"


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    TERTIAL = "tertial"
    YEAR = "year"
    PERIOD = "period"  # any other span: several months, a week


# --- Numbers ------------------------------------------------------------------------------------------


def format_number(value: Number) -> str:
    """A number as people write it: "1 234" (thin, non-breaking space), "12,5"; English: "1,234", "12.5".

    Whole numbers keep no decimals; others get one (two below 10), trailing zeros dropped.
    """
    decimal_sign, group_sign = (",", "\u202f") if (get_language() or "sv").startswith("sv") else (".", ",")
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    places = Decimal("0.1") if abs(number) >= 10 else Decimal("0.01")
    number = number.quantize(places, rounding=ROUND_HALF_UP)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    sign = "-" if number < 0 else ""
    whole, _dot, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    text = group_sign.join([whole, *groups])
    return f"{sign}{text}{decimal_sign}{fraction}" if fraction else f"{sign}{text}"


# --- Comparisons --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """``current`` against ``reference``: the change, and whether it is larger than chance."""

    current: Number
    reference: Number
    change: Number
    change_pct: float | None  # None when the reference is zero
    p_value: float | None  # None when no test applies (nothing to compare, or intervals)
    significant: bool
    test: Method

    @property
    def method(self) -> str:
        return method_text(self.test)

    @property
    def direction(self) -> int:
        """1 up, -1 down, 0 unchanged."""
        return (self.current > self.reference) - (self.current < self.reference)


def method_text(test: Method) -> str:
    if test == Method.POISSON:
        return _("exakt test för två Poissonfördelade antal (villkorat binomialtest)")
    if test == Method.INTERVALS:
        return _(
            "jämförelse av 95-procentiga konfidensintervall: säkerställd bara när intervallen inte "
            "överlappar (konservativt)"
        )
    return _("ingen prövning: värdena är varken antal eller skattningar med konfidensintervall")


def _change_pct(current: Number, reference: Number) -> float | None:
    if not reference:
        return None
    return float((Decimal(str(current)) - Decimal(str(reference))) / Decimal(str(reference)) * 100)


def compare_counts(current: int, reference: int, exposure_ratio: float = 1.0) -> Comparison:
    """Two Poisson counts, exactly: ``current ~ Binomial(n, r/(1+r))`` given ``n``, two-sided.

    ``exposure_ratio`` is the current exposure over the reference's (days, population): 1.0 compares
    the counts as they are. With no events in either period there is nothing to test (p_value None).
    """
    if current < 0 or reference < 0:
        raise ValueError("counts cannot be negative")
    if exposure_ratio <= 0:
        raise ValueError("exposure_ratio must be positive")
    total = current + reference
    p_value = None
    if total > 0:
        p_value = float(
            binomtest(current, total, exposure_ratio / (1 + exposure_ratio), alternative="two-sided").pvalue
        )
    return Comparison(
        current=current,
        reference=reference,
        change=current - reference,
        change_pct=_change_pct(current, reference),
        p_value=p_value,
        significant=p_value is not None and p_value < SIGNIFICANCE_LEVEL,
        test=Method.POISSON,
    )


def compare_estimates(
    current: Number,
    current_ci: tuple[Number, Number] | None,
    reference: Number,
    reference_ci: tuple[Number, Number] | None,
) -> Comparison:
    """Two survey estimates with 95 % confidence intervals: significant only when the intervals do not
    overlap (conservative: some real changes are not called significant). Without both intervals the
    change is shown untested."""
    current_d, reference_d = Decimal(str(current)), Decimal(str(reference))
    if current_ci is None or reference_ci is None:
        return _untested(current_d, reference_d)
    current_low, current_high = sorted(Decimal(str(v)) for v in current_ci)
    reference_low, reference_high = sorted(Decimal(str(v)) for v in reference_ci)
    apart = current_low > reference_high or current_high < reference_low
    return Comparison(
        current=current_d,
        reference=reference_d,
        change=current_d - reference_d,
        change_pct=_change_pct(current_d, reference_d),
        p_value=None,
        significant=apart,
        test=Method.INTERVALS,
    )


def _untested(current: Decimal, reference: Decimal) -> Comparison:
    return Comparison(
        current=current,
        reference=reference,
        change=current - reference,
        change_pct=_change_pct(current, reference),
        p_value=None,
        significant=False,
        test=Method.NONE,
    )


@dataclass(frozen=True)
class Observation:
    """A value for one period: a count, or an estimate with its interval; ``days`` for count exposure."""

    value: Decimal
    ci_low: Decimal | None = None
    ci_high: Decimal | None = None
    days: int | None = None

    @property
    def ci(self) -> tuple[Decimal, Decimal] | None:
        if self.ci_low is None or self.ci_high is None:
            return None
        return (self.ci_low, self.ci_high)


def compare(current: Observation, reference: Observation, *, is_count: bool) -> Comparison:
    """The right comparison for the kind of value: counts exactly, estimates by intervals, else none."""
    if is_count:
        ratio = current.days / reference.days if current.days and reference.days else 1.0
        return compare_counts(_as_count(current.value), _as_count(reference.value), exposure_ratio=ratio)
    if current.ci is not None and reference.ci is not None:
        return compare_estimates(current.value, current.ci, reference.value, reference.ci)
    return _untested(Decimal(current.value), Decimal(reference.value))


def _as_count(value: Number) -> int:
    return int(Decimal(str(value)).to_integral_value(rounding=ROUND_HALF_UP))


# --- Sentences ----------------------------------------------------------------------------------------


def previous_period_phrase(kind: PeriodKind) -> str:
    return {
        PeriodKind.MONTH: _("föregående månad"),
        PeriodKind.QUARTER: _("föregående kvartal"),
        PeriodKind.TERTIAL: _("föregående tertial"),
        PeriodKind.YEAR: _("föregående år"),
    }.get(kind, _("föregående period"))


def last_year_phrase(kind: PeriodKind) -> str:
    return {
        PeriodKind.MONTH: _("samma månad förra året"),
        PeriodKind.QUARTER: _("samma kvartal förra året"),
        PeriodKind.TERTIAL: _("samma tertial förra året"),
        PeriodKind.YEAR: _("föregående år"),
    }.get(kind, _("samma period förra året"))


def comparison_sentence(subject: str, comparison: Comparison, against: str) -> str:
    """One plain sentence: what changed, from what to what, against which period, and whether it is
    larger than chance."""
    values = {
        "subject": subject,
        "reference": format_number(comparison.reference),
        "current": format_number(comparison.current),
        "against": against,
    }
    if comparison.direction == 0:
        return _("%(subject)s: oförändrat (%(current)s) jämfört med %(against)s.") % values
    up = comparison.direction > 0
    if comparison.test == Method.NONE:
        if up:
            return (
                _("%(subject)s ökade från %(reference)s till %(current)s jämfört med %(against)s.") % values
            )
        return _("%(subject)s minskade från %(reference)s till %(current)s jämfört med %(against)s.") % values
    if comparison.significant and up:
        return (
            _(
                "%(subject)s ökade från %(reference)s till %(current)s jämfört med %(against)s; "
                "ökningen är statistiskt säkerställd."
            )
            % values
        )
    if comparison.significant:
        return (
            _(
                "%(subject)s minskade från %(reference)s till %(current)s jämfört med %(against)s; "
                "minskningen är statistiskt säkerställd."
            )
            % values
        )
    if up:
        return (
            _(
                "%(subject)s ökade från %(reference)s till %(current)s jämfört med %(against)s; "
                "skillnaden kan bero på slumpen."
            )
            % values
        )
    return (
        _(
            "%(subject)s minskade från %(reference)s till %(current)s jämfört med %(against)s; "
            "skillnaden kan bero på slumpen."
        )
        % values
    )


# --- Trends -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    """One indicator for one area and one period, against the previous period and a year earlier."""

    subject: str  # what the sentence is about: "Anmälda narkotikabrott"
    period_kind: PeriodKind
    period_start: dt.date
    value: Decimal
    previous: Decimal | None
    last_year: Decimal | None  # None for yearly periods (the previous period is the year before)
    vs_previous: Comparison | None
    vs_last_year: Comparison | None

    @property
    def comparisons(self) -> list[tuple[Comparison, str]]:
        """The comparisons made, each with the period it is against in words."""
        made = []
        if self.vs_previous is not None:
            made.append((self.vs_previous, previous_period_phrase(self.period_kind)))
        if self.vs_last_year is not None:
            made.append((self.vs_last_year, last_year_phrase(self.period_kind)))
        return made

    @property
    def headline(self) -> tuple[Comparison, str] | None:
        """The comparison worth a sentence: the most significant one, else the one a year back (no
        season in it), else the previous period."""
        made = self.comparisons
        significant = [c for c in made if c[0].significant]
        if significant:
            return min(significant, key=lambda c: (_p(c[0]), -abs(float(c[0].change))))
        return made[-1] if made else None

    @property
    def is_significant(self) -> bool:
        return any(c.significant for c, _against in self.comparisons)

    @property
    def sentence(self) -> str:
        headline = self.headline
        if headline is None:
            return _("%(subject)s: %(value)s. Det finns ingen tidigare period att jämföra med.") % {
                "subject": self.subject,
                "value": format_number(self.value),
            }
        return comparison_sentence(self.subject, *headline)

    @property
    def sentences(self) -> list[str]:
        """A sentence per comparison made (previous period first)."""
        return [comparison_sentence(self.subject, c, against) for c, against in self.comparisons]

    @property
    def method_note(self) -> str:
        tests = {c.test for c, _against in self.comparisons}
        if not tests:
            return ""
        if tests == {Method.NONE}:
            return _("Skillnaderna är inte prövade: %(method)s.") % {"method": method_text(Method.NONE)}
        test = Method.POISSON if Method.POISSON in tests else Method.INTERVALS
        return _(
            "Skillnaderna prövas med %(method)s; statistiskt säkerställd betyder att skillnaden sannolikt "
            "inte beror på slumpen (p < 0,05)."
        ) % {"method": method_text(test)}


def _p(comparison: Comparison) -> float:
    return comparison.p_value if comparison.p_value is not None else 1.0


def trend_from_observations(
    *,
    subject: str,
    period_kind: PeriodKind,
    period_start: dt.date,
    current: Observation,
    previous: Observation | None,
    last_year: Observation | None,
    is_count: bool,
) -> Trend:
    """A trend from values already read; a missing reference means no comparison with it."""
    if period_kind == PeriodKind.YEAR:
        last_year = None  # the same as the previous period
    return Trend(
        subject=subject,
        period_kind=period_kind,
        period_start=period_start,
        value=Decimal(current.value),
        previous=None if previous is None else Decimal(previous.value),
        last_year=None if last_year is None else Decimal(last_year.value),
        vs_previous=None if previous is None else compare(current, previous, is_count=is_count),
        vs_last_year=None if last_year is None else compare(current, last_year, is_count=is_count),
    )


# --- Periods ------------------------------------------------------------------------------------------


PERIOD_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.TERTIAL: 4, PeriodKind.YEAR: 12}


def period_label(kind: PeriodKind, start: dt.date) -> str:
    """The period in words: "december 2025", "kvartal 2, 2025", "tertial 1, 2025", "2024"."""
    if kind == PeriodKind.QUARTER:
        return _("kvartal %(n)s, %(year)s") % {"n": (start.month - 1) // 3 + 1, "year": start.year}
    if kind == PeriodKind.TERTIAL:
        return _("tertial %(n)s, %(year)s") % {"n": (start.month - 1) // 4 + 1, "year": start.year}
    if kind == PeriodKind.YEAR:
        return str(start.year)
    return str(formats.date_format(start, "F Y"))


def period_kind_of(indicator_period_type: str) -> PeriodKind:
    """Indicator.Period ("month", "quarter", "year") as a PeriodKind."""
    try:
        return PeriodKind(indicator_period_type)
    except ValueError:
        return PeriodKind.PERIOD


def period_days(start: dt.date, months: int) -> int:
    return (add_months(start, months) - start).days


def latest_complete_period(kind: PeriodKind, as_of: dt.date) -> dt.date:
    """The start of the latest month/quarter/year that has ended on or before ``as_of``."""
    length = PERIOD_MONTHS[kind]
    first_of_month = as_of.replace(day=1)
    # The period containing as_of, aligned to the calendar (quarters from January, years from January).
    start = add_months(first_of_month, -((as_of.month - 1) % length))
    if add_months(start, length) - dt.timedelta(days=1) > as_of:
        start = add_months(start, -length)
    return start


class _SeriesPointLike(Protocol):
    period_start: dt.date
    value: Decimal


def series_trend(
    indicator: Any, points: Sequence[_SeriesPointLike], period_start: dt.date, *, subject: str | None = None
) -> Trend | None:
    """The trend of one series (e.g. ``selectors.kommun_series``) at ``period_start``; None without a
    value there. Points may carry ``ci_low``/``ci_high`` (survey estimates)."""
    kind = period_kind_of(indicator.period_type)
    length = PERIOD_MONTHS.get(kind)
    if length is None:
        return None
    by_start = {p.period_start: p for p in points}
    if period_start not in by_start:
        return None

    def observation(start: dt.date) -> Observation | None:
        point = by_start.get(start)
        if point is None:
            return None
        return Observation(
            value=Decimal(point.value),
            ci_low=_decimal_or_none(getattr(point, "ci_low", None)),
            ci_high=_decimal_or_none(getattr(point, "ci_high", None)),
            days=period_days(start, length),
        )

    current = observation(period_start)
    assert current is not None
    return trend_from_observations(
        subject=subject or shipped_lazy(indicator.name),
        period_kind=kind,
        period_start=period_start,
        current=current,
        previous=observation(add_months(period_start, -length)),
        last_year=observation(add_months(period_start, -12)),
        is_count=bool(indicator.is_count),
    )


def _decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def sum_observation(values: Iterable[Decimal | None], days: int) -> Observation | None:
    """The sum of per-month counts as one observation; None when any month is unknown."""
    total = Decimal(0)
    for value in values:
        if value is None:
            return None
        total += value
    return Observation(value=total, days=days)
