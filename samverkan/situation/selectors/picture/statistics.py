"""The police's statistics in the joint picture: events and registered crime per lägesbild area, with
trends and the collaboration's signals.

Public open data (indicators app), so the same for every reader: no visibility filter, and not part of
the role-keyed picture cache. Imports do not bump the situation revision, so this part is cached by a
statistics revision of its own (the data points' revision, moved on by every import that changes them). It is live only: agreeing a picture
does not freeze it (an agreed version shows what the members agreed, the statistics are a source).

The counts are monthly, so the period is the whole months the round touches; the previous period is as
many months just before, and the same period last year twelve months earlier. Summed over the
collaboration's kommuner. Queries: three per build (indicators, kommuner, data points) and the signals'
three; none when cached and the round carries its stamp (stamps.py), else two (the revision and the
kommuner).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samverkan.core.models import Kommun
from samverkan.indicators.models import DataPoint, Indicator, area_code_choices
from samverkan.indicators.periods import add_months, months_between
from samverkan.indicators.revision import DATA_POINTS, current_data_revision
from samverkan.indicators.signals import Signal, signals_for_collaboration
from samverkan.indicators.trends import (
    PeriodKind,
    Trend,
    format_number,
    period_days,
    sum_observation,
    trend_from_observations,
)
from samverkan.situation.models import Round
from samverkan.situation.selectors.picture.cache import cached_value
from samverkan.situation.selectors.picture.stamps import stamp_of

STATISTICS_CACHE_SECONDS = 600

EVENTS = "polisen.handelser"
CRIMES = "polisen.brott"


@dataclass(frozen=True)
class StatisticsRow:
    area_code: str  # "" for the total
    title: str
    trend: Trend | None  # None: the data does not cover the round's period

    @property
    def value_text(self) -> str:
        return _text(None if self.trend is None else self.trend.value)

    @property
    def previous_text(self) -> str:
        return _text(None if self.trend is None else self.trend.previous)

    @property
    def last_year_text(self) -> str:
        return _text(None if self.trend is None else self.trend.last_year)


def _text(value: Decimal | None) -> str:
    return "–" if value is None else format_number(value)


@dataclass(frozen=True)
class StatisticsTable:
    source: str  # EVENTS or CRIMES
    caption: str
    source_text: str
    rows: list[StatisticsRow]
    total: StatisticsRow | None

    @property
    def has_values(self) -> bool:
        return any(r.trend is not None for r in [*self.rows, *([self.total] if self.total else [])])


@dataclass(frozen=True)
class PictureStatistics:
    months: list[dt.date]  # the round's period in whole months
    previous_months: list[dt.date]
    last_year_months: list[dt.date]
    period_kind: PeriodKind
    kommun_names: list[str]
    data_until: dt.date | None  # the last month the police's statistics cover, if any
    tables: list[StatisticsTable] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.signals and not any(t.has_values for t in self.tables)

    @property
    def period_label(self) -> str:
        return _months_label(self.months)

    @property
    def data_ends_before_period(self) -> bool:
        """The round's period runs past the last month the statistics cover (its later months are unknown)."""
        return self.data_until is not None and self.data_until.replace(day=1) < self.months[-1]

    @property
    def previous_label(self) -> str:
        return _months_label(self.previous_months)

    @property
    def last_year_label(self) -> str:
        return _months_label(self.last_year_months)

    @property
    def method_note(self) -> str:
        for table in self.tables:
            for row in table.rows:
                if row.trend is not None and row.trend.method_note:
                    return row.trend.method_note
        return ""


def _months_label(months: list[dt.date]) -> str:
    """ "juni 2026", or "april 2026–juni 2026"."""
    first = formats.date_format(months[0], "F Y")
    if len(months) == 1:
        return str(first)
    return f"{first}–{formats.date_format(months[-1], 'F Y')}"


def statistics_period(round_: Round) -> tuple[list[dt.date], PeriodKind]:
    """The whole months the round touches, and what such a span is called."""
    months = months_between(round_.period_start, round_.period_end)
    first = months[0].month
    kind = {
        1: PeriodKind.MONTH,
        3: PeriodKind.QUARTER if first in (1, 4, 7, 10) else PeriodKind.PERIOD,
        4: PeriodKind.TERTIAL if first in (1, 5, 9) else PeriodKind.PERIOD,
        12: PeriodKind.YEAR if first == 1 else PeriodKind.PERIOD,
    }.get(len(months), PeriodKind.PERIOD)
    return months, kind


def statistics_revision() -> str:
    """Changes with every import that creates, changes or removes data points (indicators.revision)."""
    return str(current_data_revision(DATA_POINTS))


def statistics_key(round_: Round) -> str:
    """The cache key of a round's statistics: it names everything they are made from (the kommun codes
    and the statistics revision come from the round's stamp when it was fetched with one, stamps.py)."""
    stamp = stamp_of(round_)
    if stamp is not None:
        kommun_ids, revision = list(stamp.kommun_codes), stamp.statistics_revision
    else:
        kommun_ids = sorted(round_.collaboration.kommuner.values_list("kod", flat=True))
        revision = statistics_revision()
    return ":".join(
        [
            "situation:statistics:1",
            str(round_.pk),
            f"{round_.created_at.timestamp() if round_.created_at else 0:.6f}",
            f"{round_.period_start:%Y%m%d}-{round_.period_end:%Y%m%d}",
            ",".join(kommun_ids),
            revision,
            get_language() or "",
        ]
    )


def cached_picture_statistics(*, round_: Round, key: str | None = None) -> PictureStatistics:
    """``picture_statistics`` from the cache while no import has changed the data points (``key``: the
    round's ``statistics_key``, when the caller has it)."""
    # The key names everything the statistics are made from, so what it holds never changes: the
    # process's memo in front of the cache may keep the unpickled object.
    data: PictureStatistics = cached_value(
        key or statistics_key(round_), lambda: picture_statistics(round_=round_), STATISTICS_CACHE_SECONDS
    )
    return data


def picture_statistics(*, round_: Round) -> PictureStatistics:
    """Events and registered crime per area in the round's months, the two comparison periods, and
    the collaboration's signals as of the round's last day."""
    months, kind = statistics_period(round_)
    length = len(months)
    windows = {
        "current": months,
        "previous": [add_months(m, -length) for m in months],
        "last_year": [add_months(m, -12) for m in months],
    }
    kommuner = dict(Kommun.objects.filter(collaborations=round_.collaboration_id).values_list("kod", "namn"))
    titles = dict(area_code_choices())
    codes = [EVENTS, CRIMES, *(f"{base}.{area}" for base in (EVENTS, CRIMES) for area in titles)]
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes, level=Indicator.Level.KOMMUN)}

    sums: dict[tuple[int, dt.date], Decimal] = {}
    wanted = sorted({m for window in windows.values() for m in window})
    if indicators and kommuner:
        for indicator_id, period_start, value in DataPoint.objects.filter(
            indicator_id__in=[i.pk for i in indicators.values()],
            kommun_id__in=list(kommuner),
            deso__isnull=True,
            period_start__in=wanted,
        ).values_list("indicator_id", "period_start", "value"):
            sums[(indicator_id, period_start)] = sums.get((indicator_id, period_start), Decimal(0)) + value

    def row(code: str, area_code: str, title: str, subject: str) -> StatisticsRow:
        indicator = indicators.get(code)
        if indicator is None or not kommuner:
            return StatisticsRow(area_code=area_code, title=title, trend=None)
        observed = {
            name: sum_observation(
                (_monthly_count(indicator, m, sums) for m in window), period_days(window[0], length)
            )
            for name, window in windows.items()
        }
        current = observed["current"]
        trend = None
        if current is not None:
            trend = trend_from_observations(
                subject=subject,
                period_kind=kind,
                period_start=months[0],
                current=current,
                previous=observed["previous"],
                last_year=observed["last_year"],
                is_count=True,
            )
        return StatisticsRow(area_code=area_code, title=title, trend=trend)

    tables = []
    for base, caption, source_text, total_subject, area_subject in (
        (
            EVENTS,
            _("Polisens publicerade händelser per område"),
            _(
                "Händelser som polisen publicerat på polisen.se, kopplade till områdena genom "
                "händelsetypen. Polisen publicerar ett urval, inte alla brott."
            ),
            _("Polisens händelser"),
            _("Polisens händelser inom %(area)s"),
        ),
        (
            CRIMES,
            _("Registrerade brott per område"),
            _("Brott som polisen registrerat, kopplade till områdena genom brottskoden."),
            _("Registrerade brott"),
            _("Registrerade brott inom %(area)s"),
        ),
    ):
        if not any(code == base or code.startswith(f"{base}.") for code in indicators):
            continue
        rows = [
            row(f"{base}.{area}", area, title, area_subject % {"area": title.lower()})
            for area, title in titles.items()
        ]
        total = row(base, "", _("Alla händelser") if base == EVENTS else _("Alla brott"), total_subject)
        tables.append(
            StatisticsTable(source=base, caption=caption, source_text=source_text, rows=rows, total=total)
        )
    tables = [t for t in tables if t.source == EVENTS or t.has_values]  # crimes only where imported

    signals = signals_for_collaboration(round_.collaboration, as_of=round_.period_end) if kommuner else []
    return PictureStatistics(
        months=months,
        previous_months=windows["previous"],
        last_year_months=windows["last_year"],
        period_kind=kind,
        kommun_names=sorted(kommuner.values()),
        data_until=max((i.covered_to for i in indicators.values() if i.covered_to), default=None),
        tables=tables,
        signals=signals,
    )


def _monthly_count(
    indicator: Indicator, month: dt.date, sums: dict[tuple[int, dt.date], Decimal]
) -> Decimal | None:
    """The summed count of a month; zero inside the indicator's coverage, unknown outside it."""
    value = sums.get((indicator.pk, month))
    if value is not None:
        return value
    first, last = indicator.covered_from, indicator.covered_to
    if indicator.is_count and first and last and first.replace(day=1) <= month <= last:
        return Decimal(0)
    return None
