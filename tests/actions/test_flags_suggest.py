"""The colour suggested from the data: a statistics indicator's tested trend against the target, and a
hand-entered value against baseline and target."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from samverkan.actions.models import ActionIndicator, Rating
from samverkan.actions.selectors.suggest import (
    combine,
    suggest_from_trend,
    suggest_from_value,
    suggestions_for,
)
from samverkan.core.models import Kommun, Level
from samverkan.indicators.models import DataPoint, Indicator
from samverkan.indicators.trends import compare_counts
from tests.actions.factories_followup import make_action, make_followup, make_indicator, make_plan, make_value


def _indicator(direction=ActionIndicator.Direction.MINSKA, target=Decimal(30), baseline=Decimal(40)):
    return ActionIndicator(name="Skadegörelse", direction=direction, target=target, baseline=baseline)


def test_a_significant_fall_towards_a_lower_target_is_yellow():
    falling = compare_counts(40, 80)
    assert falling.significant and falling.direction == -1
    made = suggest_from_trend(_indicator(), falling, Decimal(40), "2025")
    assert made.rating == Rating.GUL
    assert "rätt håll" in made.reasons[0] and "Målet 30 är inte nått" in made.reasons[0]


def test_a_significant_rise_against_a_lower_target_is_red():
    rising = compare_counts(80, 40)
    made = suggest_from_trend(_indicator(), rising, Decimal(80), "2025")
    assert made.rating == Rating.ROD and "fel håll" in made.reasons[0]


def test_an_insignificant_change_is_yellow_and_says_so():
    noise = compare_counts(42, 40)
    assert not noise.significant
    made = suggest_from_trend(_indicator(), noise, Decimal(42), "2025")
    assert made.rating == Rating.GUL and "slumpen" in made.reasons[0]


def test_a_reached_target_is_green_whatever_the_trend():
    made = suggest_from_trend(_indicator(), compare_counts(29, 28), Decimal(29), "2025")
    assert made.rating == Rating.GRON and "når målet" in made.reasons[0]


def test_a_rise_wanted_is_read_the_other_way():
    rising = compare_counts(80, 40)
    made = suggest_from_trend(
        _indicator(direction=ActionIndicator.Direction.OKA, target=Decimal(100)), rising, Decimal(80), "2025"
    )
    assert made.rating == Rating.GUL


def test_holding_a_level():
    hold = _indicator(direction=ActionIndicator.Direction.BIBEHALLA, target=None)
    assert suggest_from_trend(hold, compare_counts(41, 40), Decimal(41), "2025").rating == Rating.GRON
    assert suggest_from_trend(hold, compare_counts(120, 40), Decimal(120), "2025").rating == Rating.GUL


def test_a_hand_entered_value_against_baseline_and_target():
    class Measured:
        def __init__(self, value):
            self.value, self.measured_on = Decimal(value), dt.date(2026, 3, 1)

    indicator = _indicator()
    assert suggest_from_value(indicator, Measured(28)).rating == Rating.GRON
    assert suggest_from_value(indicator, Measured(35)).rating == Rating.GUL
    assert suggest_from_value(indicator, Measured(45)).rating == Rating.ROD
    assert suggest_from_value(indicator, None) is None
    assert suggest_from_value(_indicator(direction=""), Measured(28)) is None


def test_several_indicators_take_the_least_favourable_with_every_reason():
    green = suggest_from_trend(_indicator(), compare_counts(29, 28), Decimal(29), "2025")
    red = suggest_from_trend(_indicator(), compare_counts(80, 40), Decimal(80), "2025")
    combined = combine([green, None, red])
    assert combined.rating == Rating.ROD and len(combined.reasons) == 2


@pytest.mark.django_db
def test_suggestions_from_the_statistics_and_from_follow_ups(world):
    plan = make_plan(world.a)
    statistics_action = make_action(plan, world.org_a, title="Mindre skadegörelse")
    indicator = Indicator.objects.create(
        code="test.skadegorelse",
        name="Skadegörelse",
        unit="antal",
        source="test",
        period_type="year",
        is_count=True,
    )
    kommun = Kommun.objects.get(kod="2418")
    DataPoint.objects.create(indicator=indicator, kommun=kommun, period_start=dt.date(2024, 1, 1), value=90)
    DataPoint.objects.create(indicator=indicator, kommun=kommun, period_start=dt.date(2025, 1, 1), value=40)
    make_indicator(
        statistics_action, source=ActionIndicator.Source.STATISTIK, indicator=indicator, kommun=kommun
    )
    manual_action = make_action(plan, world.org_a, title="Fler trygghetsvandringar")
    manual = make_indicator(
        manual_action, name="Vandringar", baseline=2, target=12, direction=ActionIndicator.Direction.OKA
    )
    followup = make_followup(manual_action, dt.date(2026, 3, 1), Rating.GUL)
    make_value(followup, manual, 6)
    hidden_action = make_action(
        plan, world.org_a, title="Begränsad", level=Level.BEGRANSAD, restricted_to="samordnare"
    )
    make_indicator(hidden_action, level=Level.BEGRANSAD, restricted_to="samordnare")

    made = suggestions_for(world.users["ledamot"], [statistics_action, manual_action, hidden_action])
    assert made[statistics_action.pk].rating == Rating.GUL
    assert any("statistiskt säkerställd" in r for r in made[statistics_action.pk].reasons)
    assert made[manual_action.pk].rating == Rating.GUL
    assert hidden_action.pk not in made
