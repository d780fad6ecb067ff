"""Trends: exact tests for counts, interval comparison for estimates, and the sentences people read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from samverkan.indicators.selectors import SeriesPoint
from samverkan.indicators.trends import (
    Method,
    Observation,
    PeriodKind,
    compare_counts,
    compare_estimates,
    format_number,
    latest_complete_period,
    period_label,
    series_trend,
    trend_from_observations,
)


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


# --- compare_counts ------------------------------------------------------------------------------------


def test_12_against_31_is_significant_with_the_exact_p_value():
    comparison = compare_counts(31, 12)
    # P(X >= 31 or X <= 12 | n = 43, p = 1/2), computed independently of scipy:
    from math import comb

    tail = sum(comb(43, k) for k in range(31, 44)) / 2**43
    assert comparison.p_value == pytest.approx(2 * tail, rel=1e-9)
    assert comparison.p_value == pytest.approx(0.0054016, abs=1e-6)
    assert comparison.significant
    assert (comparison.change, comparison.current, comparison.reference) == (19, 31, 12)
    assert comparison.change_pct == pytest.approx(158.333, abs=1e-3)
    assert comparison.method == "exakt test för två Poissonfördelade antal (villkorat binomialtest)"
    assert comparison.test == Method.POISSON


def test_9_against_7_is_not_significant():
    comparison = compare_counts(7, 9)
    assert comparison.p_value == pytest.approx(0.8036194, abs=1e-6)
    assert not comparison.significant
    assert comparison.change == -2 and comparison.change_pct == pytest.approx(-22.222, abs=1e-3)


def test_nothing_in_either_period_is_not_tested():
    comparison = compare_counts(0, 0)
    assert comparison.p_value is None and not comparison.significant
    assert comparison.change == 0 and comparison.change_pct is None


@pytest.mark.parametrize(
    ("current", "reference", "p", "significant"),
    [
        (3, 0, 0.25, False),  # from nothing to three is still chance
        (5, 0, 0.0625, False),
        (6, 0, 0.03125, True),  # six against none is the smallest count that is not
        (1, 1, 1.0, False),
    ],
)
def test_tiny_counts(current, reference, p, significant):
    comparison = compare_counts(current, reference)
    assert comparison.p_value == pytest.approx(p)
    assert comparison.significant is significant
    if reference == 0:
        assert comparison.change_pct is None


def test_exposure_ratio_turns_counts_into_a_rate_comparison():
    # Twice the population, twice the count: the rate is the same.
    assert compare_counts(20, 10, exposure_ratio=2.0).p_value == pytest.approx(1.0)
    assert compare_counts(20, 10).significant is False
    assert compare_counts(40, 20).significant is True
    assert compare_counts(40, 20, exposure_ratio=2.0).significant is False


@pytest.mark.parametrize(("current", "reference", "ratio"), [(-1, 3, 1.0), (1, 3, 0.0)])
def test_impossible_input_is_refused(current, reference, ratio):
    with pytest.raises(ValueError):
        compare_counts(current, reference, exposure_ratio=ratio)


# --- compare_estimates ---------------------------------------------------------------------------------


def test_estimates_are_significant_only_when_the_intervals_do_not_overlap():
    apart = compare_estimates(30, (27, 33), 20, (17, 23))
    assert apart.significant and apart.p_value is None and apart.test == Method.INTERVALS
    assert "konservativt" in apart.method and "överlappar" in apart.method
    overlapping = compare_estimates(30, (25, 35), 22, (18, 26))
    assert not overlapping.significant
    assert overlapping.change == Decimal(8)


def test_estimates_without_intervals_are_shown_untested():
    comparison = compare_estimates(30, None, 20, (17, 23))
    assert comparison.test == Method.NONE and not comparison.significant


# --- Numbers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (4, "4"),
        (1234, "1\u202f234"),
        (1234567, "1\u202f234\u202f567"),
        (Decimal("12.50"), "12,5"),
        (Decimal("12.000000"), "12"),
        (Decimal("2.345"), "2,35"),
        (-1500, "-1\u202f500"),
        (0.5, "0,5"),
    ],
)
def test_numbers_are_written_the_swedish_way(value, text):
    assert format_number(value) == text


def test_numbers_follow_the_language():
    with translation.override("en"):
        assert format_number(Decimal("1234.5")) == "1,234.5"


# --- Sentences -----------------------------------------------------------------------------------------


def _trend(kind, value, previous=None, last_year=None, is_count=True, subject="Anmälda narkotikabrott"):
    def obs(v):
        return None if v is None else Observation(value=Decimal(v))

    return trend_from_observations(
        subject=subject,
        period_kind=kind,
        period_start=dt.date(2026, 4, 1),
        current=Observation(value=Decimal(value)),
        previous=obs(previous),
        last_year=obs(last_year),
        is_count=is_count,
    )


def test_a_significant_rise_against_the_same_quarter_last_year():
    trend = _trend(PeriodKind.QUARTER, 31, previous=28, last_year=12)
    assert trend.sentence == (
        "Anmälda narkotikabrott ökade från 12 till 31 jämfört med samma kvartal förra året; "
        "ökningen är statistiskt säkerställd."
    )
    assert trend.is_significant
    assert trend.sentences[0] == (
        "Anmälda narkotikabrott ökade från 28 till 31 jämfört med föregående kvartal; "
        "skillnaden kan bero på slumpen."
    )
    assert "villkorat binomialtest" in trend.method_note and "p < 0,05" in trend.method_note


def test_a_fall_that_may_be_chance_against_the_previous_month():
    trend = _trend(PeriodKind.MONTH, 7, previous=9, subject="Polisens händelser")
    assert trend.sentence == (
        "Polisens händelser minskade från 9 till 7 jämfört med föregående månad; skillnaden kan bero på slumpen."
    )
    assert not trend.is_significant


def test_a_significant_fall_says_the_fall_is_certain():
    trend = _trend(PeriodKind.MONTH, 10, previous=40, last_year=11)
    assert trend.sentence == (
        "Anmälda narkotikabrott minskade från 40 till 10 jämfört med föregående månad; "
        "minskningen är statistiskt säkerställd."
    )


def test_unchanged_and_zero_against_zero():
    assert _trend(PeriodKind.MONTH, 4, previous=4).sentence == (
        "Anmälda narkotikabrott: oförändrat (4) jämfört med föregående månad."
    )
    nothing = _trend(PeriodKind.MONTH, 0, previous=0, last_year=0)
    assert nothing.sentence == "Anmälda narkotikabrott: oförändrat (0) jämfört med samma månad förra året."
    assert nothing.vs_previous is not None and nothing.vs_previous.p_value is None


def test_a_year_is_compared_with_the_year_before_only():
    trend = _trend(PeriodKind.YEAR, 31, previous=12, last_year=99)
    assert trend.vs_last_year is None and trend.last_year is None
    assert trend.sentence.endswith("jämfört med föregående år; ökningen är statistiskt säkerställd.")


@pytest.mark.parametrize(
    ("kind", "previous", "last_year"),
    [
        (PeriodKind.MONTH, "föregående månad", "samma månad förra året"),
        (PeriodKind.QUARTER, "föregående kvartal", "samma kvartal förra året"),
        (PeriodKind.TERTIAL, "föregående tertial", "samma tertial förra året"),
        (PeriodKind.PERIOD, "föregående period", "samma period förra året"),
    ],
)
def test_period_words(kind, previous, last_year):
    sentences = _trend(kind, 5, previous=3, last_year=4).sentences
    assert f"jämfört med {previous};" in sentences[0]
    assert f"jämfört med {last_year};" in sentences[1]


def test_no_reference_says_there_is_nothing_to_compare_with():
    trend = _trend(PeriodKind.MONTH, 1234)
    assert trend.sentence == (
        "Anmälda narkotikabrott: 1\u202f234. Det finns ingen tidigare period att jämföra med."
    )
    assert trend.method_note == ""


def test_a_series_that_is_no_count_and_has_no_interval_is_shown_untested():
    trend = _trend(
        PeriodKind.YEAR, "1250.5", previous="1000", is_count=False, subject="Kostnad för skadegörelse"
    )
    assert trend.sentence == (
        "Kostnad för skadegörelse ökade från 1\u202f000 till 1\u202f250,5 jämfört med föregående år."
    )
    assert "inte prövade" in trend.method_note


def test_the_sentence_is_made_in_the_language_it_is_read_in():
    trend = _trend(PeriodKind.MONTH, 7, previous=9)
    swedish = trend.sentence
    with translation.override("en"):
        english = trend.sentence
    assert "minskade" in swedish
    # Until the lead translates the catalogue the English text may equal the Swedish; the number format
    # follows the language either way.
    assert english.startswith("Anmälda narkotikabrott")


# --- series_trend --------------------------------------------------------------------------------------


def _points(values: dict[dt.date, int]) -> list[SeriesPoint]:
    return [SeriesPoint(d, Decimal(v), None) for d, v in sorted(values.items())]


def test_series_trend_of_a_monthly_count():
    indicator = SimpleNamespace(name="Polisens händelser: Hot och våld", period_type="month", is_count=True)
    points = _points({dt.date(2025, 6, 1): 2, dt.date(2026, 5, 1): 3, dt.date(2026, 6, 1): 15})
    trend = series_trend(indicator, points, dt.date(2026, 6, 1))
    assert trend is not None
    assert (trend.value, trend.previous, trend.last_year) == (15, 3, 2)
    assert trend.vs_previous is not None and trend.vs_previous.significant
    assert trend.period_kind == PeriodKind.MONTH
    assert "jämfört med" in trend.sentence and "ökningen är statistiskt säkerställd" in trend.sentence


def test_series_trend_uses_the_length_of_the_months():
    # 28 events in February against 31 in January is the same daily rate: p = 1.
    indicator = SimpleNamespace(name="x", period_type="month", is_count=True)
    trend = series_trend(
        indicator, _points({dt.date(2026, 1, 1): 31, dt.date(2026, 2, 1): 28}), dt.date(2026, 2, 1)
    )
    assert trend is not None and trend.vs_previous is not None
    assert trend.vs_previous.p_value == pytest.approx(1.0)


def test_series_trend_of_a_quarter_and_missing_periods():
    indicator = SimpleNamespace(name="Anmälda narkotikabrott", period_type="quarter", is_count=True)
    points = _points({dt.date(2025, 4, 1): 12, dt.date(2026, 4, 1): 31})
    trend = series_trend(indicator, points, dt.date(2026, 4, 1))
    assert trend is not None and trend.vs_previous is None and trend.previous is None
    assert trend.sentence.startswith("Anmälda narkotikabrott ökade från 12 till 31 jämfört med samma kvartal")
    assert series_trend(indicator, points, dt.date(2026, 1, 1)) is None


@dataclass(frozen=True)
class _Estimate:
    period_start: dt.date
    value: Decimal
    ci_low: Decimal
    ci_high: Decimal


def test_series_trend_of_survey_estimates_uses_their_intervals():
    indicator = SimpleNamespace(name="Andel som känner sig otrygga", period_type="year", is_count=False)
    points = [
        _Estimate(dt.date(2024, 1, 1), Decimal("20.0"), Decimal("17.1"), Decimal("22.9")),
        _Estimate(dt.date(2025, 1, 1), Decimal("27.4"), Decimal("24.0"), Decimal("30.8")),
    ]
    trend = series_trend(indicator, points, dt.date(2025, 1, 1))
    assert trend is not None and trend.vs_previous is not None
    assert trend.vs_previous.test == Method.INTERVALS and trend.vs_previous.significant
    assert trend.sentence == (
        "Andel som känner sig otrygga ökade från 20 till 27,4 jämfört med föregående år; "
        "ökningen är statistiskt säkerställd."
    )


@pytest.mark.parametrize(
    ("kind", "as_of", "start"),
    [
        (PeriodKind.MONTH, dt.date(2026, 6, 30), dt.date(2026, 6, 1)),
        (PeriodKind.MONTH, dt.date(2026, 6, 29), dt.date(2026, 5, 1)),
        (PeriodKind.MONTH, dt.date(2026, 1, 15), dt.date(2025, 12, 1)),
        (PeriodKind.QUARTER, dt.date(2026, 6, 30), dt.date(2026, 4, 1)),
        (PeriodKind.QUARTER, dt.date(2026, 6, 1), dt.date(2026, 1, 1)),
        (PeriodKind.YEAR, dt.date(2026, 6, 30), dt.date(2025, 1, 1)),
        (PeriodKind.YEAR, dt.date(2025, 12, 31), dt.date(2025, 1, 1)),
    ],
)
def test_latest_complete_period(kind, as_of, start):
    assert latest_complete_period(kind, as_of) == start


@pytest.mark.parametrize(
    ("kind", "start", "label"),
    [
        (PeriodKind.MONTH, dt.date(2025, 12, 1), "december 2025"),
        (PeriodKind.QUARTER, dt.date(2025, 4, 1), "kvartal 2, 2025"),
        (PeriodKind.TERTIAL, dt.date(2025, 9, 1), "tertial 3, 2025"),
        (PeriodKind.YEAR, dt.date(2024, 1, 1), "2024"),
    ],
)
def test_period_labels(kind, start, label):
    assert period_label(kind, start) == label


def test_a_shipped_indicator_makes_a_sentence_wholly_in_the_readers_language():
    # Before: "Bostadsinbrott in Älvdalen decreased …" – the shipped name stayed Swedish in English.
    indicator = SimpleNamespace(name="Bostadsinbrott", period_type="year", is_count=True)
    trend = series_trend(
        indicator, _points({dt.date(2023, 1, 1): 28, dt.date(2024, 1, 1): 11}), dt.date(2024, 1, 1)
    )
    assert trend is not None
    assert trend.sentence.startswith("Bostadsinbrott minskade från 28 till 11 jämfört med föregående år")
    with translation.override("en"):
        # The same trend object, read later in English (as a cached one would be).
        assert trend.sentence.startswith(
            "Residential burglary decreased from 28 to 11 compared with the previous year"
        )
