"""Signals: a collaboration's significant changes, most certain first, read in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from samverkan.indicators.defaults import ensure_police_indicators
from samverkan.indicators.models import DataPoint, Indicator
from samverkan.indicators.signals import Direction, signals_for_collaboration
from tests.factories import CollaborationFactory
from tests.indicators.factories import CountFactory, IndicatorFactory

MALA, ALVDALEN, MORA = "2418", "2039", "2062"
JUNE = dt.date(2026, 6, 1)
END_OF_JUNE = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


@pytest.fixture
def police(db) -> dict[str, Indicator]:
    indicators = ensure_police_indicators()
    Indicator.objects.filter(code__startswith="polisen.handelser").update(
        covered_from=dt.date(2024, 1, 1), covered_to=dt.date(2026, 8, 1)
    )
    return {code.rsplit(".", 1)[-1]: Indicator.objects.get(pk=i.pk) for code, i in indicators.items()}


def _points(indicator: Indicator, kommun: str, values: dict[dt.date, int]) -> None:
    DataPoint.objects.bulk_create(
        DataPoint(indicator=indicator, kommun_id=kommun, period_start=d, value=Decimal(v))
        for d, v in values.items()
    )


def test_a_significant_rise_is_a_signal_and_chance_is_not(police):
    collaboration = CollaborationFactory(kommuner=[MALA, ALVDALEN])
    _points(police["vald"], MALA, {JUNE: 15, dt.date(2026, 5, 1): 3, dt.date(2025, 6, 1): 4})
    _points(police["ant"], ALVDALEN, {JUNE: 7, dt.date(2026, 5, 1): 9, dt.date(2025, 6, 1): 6})

    signals = signals_for_collaboration(collaboration, as_of=END_OF_JUNE)

    assert len(signals) == 1
    signal = signals[0]
    assert (signal.kommun_code, signal.area_code, signal.indicator_code) == (
        MALA,
        "vald",
        "polisen.handelser.vald",
    )
    assert signal.area_title == "Hot och våld"
    assert signal.direction == Direction.WORSE and signal.direction_label == "Sämre"
    # 15 against 3 (p ≈ 0.005, the month before) is more certain than 15 against 4 a year back.
    assert not signal.against_last_year
    assert signal.sentence == (
        "Polisens händelser: Hot och våld i Malå ökade från 3 till 15 jämfört med föregående månad; "
        "ökningen är statistiskt säkerställd."
    )


def test_signals_are_ranked_by_certainty_then_size_and_limited(police):
    collaboration = CollaborationFactory(kommuner=[MALA, ALVDALEN, MORA])
    _points(police["vald"], MALA, {JUNE: 40, dt.date(2026, 5, 1): 10})  # most certain
    _points(police["ordning"], ALVDALEN, {JUNE: 2, dt.date(2026, 5, 1): 14})  # a fall: better
    _points(police["unga"], MORA, {JUNE: 9, dt.date(2026, 5, 1): 1})
    signals = signals_for_collaboration(collaboration, as_of=END_OF_JUNE)
    p_values = [s.comparison.p_value for s in signals]
    assert p_values == sorted(p_values)
    assert signals[0].kommun_code == MALA
    falling = next(s for s in signals if s.kommun_code == ALVDALEN)
    assert (
        falling.direction == Direction.BETTER and "minskningen är statistiskt säkerställd" in falling.sentence
    )
    assert len(signals_for_collaboration(collaboration, as_of=END_OF_JUNE, limit=2)) == 2


def test_a_month_without_a_data_point_inside_the_coverage_is_zero(police):
    collaboration = CollaborationFactory(kommuner=[MALA])
    _points(police["extremism"], MALA, {JUNE: 8})  # May and June last year: nothing
    [signal] = signals_for_collaboration(collaboration, as_of=END_OF_JUNE)
    assert signal.trend.previous == 0 and signal.trend.last_year == 0
    # Against May: all 8 in June, with June one day shorter (exposure 30/31): p = (30/61)^8, one tail
    # only since no count in the other tail is as unlikely. Against June last year: 2 · (1/2)^8.
    assert not signal.against_last_year
    assert signal.comparison.p_value == pytest.approx((30 / 61) ** 8)
    assert signal.trend.vs_last_year is not None
    assert signal.trend.vs_last_year.p_value == pytest.approx(2 / 2**8)


def test_periods_outside_the_coverage_are_not_compared(police):
    collaboration = CollaborationFactory(kommuner=[MALA])
    Indicator.objects.filter(pk=police["vald"].pk).update(covered_from=JUNE)
    _points(police["vald"], MALA, {JUNE: 12})
    assert signals_for_collaboration(collaboration, as_of=END_OF_JUNE) == []


def test_the_latest_complete_month_at_or_before_as_of(police):
    collaboration = CollaborationFactory(kommuner=[MALA])
    _points(police["vald"], MALA, {dt.date(2026, 5, 1): 20, dt.date(2026, 4, 1): 2, JUNE: 1})
    # On 29 June, June is not over: May against April.
    [signal] = signals_for_collaboration(collaboration, as_of=dt.date(2026, 6, 29))
    assert signal.trend.period_start == dt.date(2026, 5, 1) and signal.direction == Direction.WORSE
    # On 30 June, June (1) against May (20): a fall.
    [signal] = signals_for_collaboration(collaboration, as_of=END_OF_JUNE)
    assert signal.trend.period_start == JUNE and signal.direction == Direction.BETTER


def test_no_month_after_the_data_ends(police):
    collaboration = CollaborationFactory(kommuner=[MALA])
    Indicator.objects.filter(pk=police["vald"].pk).update(covered_to=dt.date(2026, 3, 1))
    _points(police["vald"], MALA, {dt.date(2026, 3, 1): 25, dt.date(2026, 2, 1): 5})
    # The data ends in March: a meeting in June hears about March, not a June of zeros.
    [signal] = signals_for_collaboration(collaboration, as_of=END_OF_JUNE)
    assert signal.trend.period_start == dt.date(2026, 3, 1)


def test_other_kommuner_and_the_total_are_left_out(police):
    collaboration = CollaborationFactory(kommuner=[MALA])
    _points(police["vald"], MORA, {JUNE: 40, dt.date(2026, 5, 1): 2})
    _points(police["handelser"], MALA, {JUNE: 40, dt.date(2026, 5, 1): 2})  # no area: no signal
    assert signals_for_collaboration(collaboration, as_of=END_OF_JUNE) == []


def test_registered_crime_and_yearly_bra_counts_without_a_recorded_coverage(db):
    collaboration = CollaborationFactory(kommuner=[MORA])
    crime = CountFactory(
        code="polisen.brott.ant",
        name="Registrerade brott: Alkohol, narkotika, dopning och tobak",
        source="Polisen",
        area_code="ant",
    )
    bra = CountFactory(
        code="bra.narkotikabrott",
        name="Anmälda narkotikabrott",
        source="Brå",
        area_code="ant",
        period_type=Indicator.Period.YEAR,
    )
    rate = IndicatorFactory(
        code="bra.narkotikabrott.per100k",
        name="Anmälda narkotikabrott per 100 000 invånare",
        unit="per 100 000",
        source="Brå",
        area_code="ant",
        period_type=Indicator.Period.YEAR,
    )
    _points(crime, MORA, {JUNE: 30, dt.date(2026, 5, 1): 10})
    _points(bra, MORA, {dt.date(2024, 1, 1): 31, dt.date(2023, 1, 1): 12})
    _points(rate, MORA, {dt.date(2024, 1, 1): 150, dt.date(2023, 1, 1): 60})

    signals = signals_for_collaboration(collaboration, as_of=END_OF_JUNE)

    assert {s.indicator_code for s in signals} == {"polisen.brott.ant", "bra.narkotikabrott"}
    yearly = next(s for s in signals if s.indicator_code == "bra.narkotikabrott")
    assert yearly.trend.period_start == dt.date(2024, 1, 1)
    assert yearly.period_label == "2024"  # older than the meeting: the list says which period
    monthly = next(s for s in signals if s.indicator_code == "polisen.brott.ant")
    assert monthly.period_label == "juni 2026"
    assert yearly.sentence == (
        "Anmälda narkotikabrott i Mora ökade från 12 till 31 jämfört med föregående år; "
        "ökningen är statistiskt säkerställd."
    )


def test_higher_is_better_turns_a_rise_into_better(db):
    collaboration = CollaborationFactory(kommuner=[MALA])
    indicator = CountFactory(
        code="bra.uppklarade",
        name="Uppklarade brott",
        source="Brå",
        area_code="ordning",
        better=Indicator.Better.HIGHER,
        period_type=Indicator.Period.YEAR,
    )
    _points(indicator, MALA, {dt.date(2025, 1, 1): 50, dt.date(2024, 1, 1): 20})
    [signal] = signals_for_collaboration(collaboration, as_of=END_OF_JUNE)
    assert signal.direction == Direction.BETTER


def test_the_number_of_queries_does_not_grow_with_kommuner_or_indicators(police):
    small = CollaborationFactory(kommuner=[MALA])
    large = CollaborationFactory(kommuner=[MALA, ALVDALEN, MORA, "2080", "2021"])
    for kommun in (MALA, ALVDALEN, MORA, "2080", "2021"):
        for area in ("vald", "ordning", "ant", "unga"):
            _points(police[area], kommun, {JUNE: 20, dt.date(2026, 5, 1): 4})

    def queries(collaboration) -> int:
        with CaptureQueriesContext(connection) as captured:
            signals_for_collaboration(collaboration, as_of=END_OF_JUNE, limit=100)
        return len(captured.captured_queries)

    assert queries(small) == queries(large) == 3
    assert len(signals_for_collaboration(large, as_of=END_OF_JUNE, limit=100)) == 20


def test_a_collaboration_without_data_has_no_signals(db):
    assert signals_for_collaboration(CollaborationFactory(kommuner=[MALA]), as_of=END_OF_JUNE) == []
