"""A colour suggested from the data, with the reason in a sentence; the group decides.

For an indicator from the statistics, the latest period's significance-tested trend
(``indicators.trends``) is read against the action's target and direction; for a hand-entered one, the
latest value measured at a follow-up against the baseline and target. Several indicators: the least
favourable colour, with every reason. Never pre-selected on a form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from samverkan.actions.models import Action, ActionIndicator, IndicatorValue, Rating
from samverkan.actions.selectors.followup import latest_readings
from samverkan.indicators.selectors import SeriesPoint
from samverkan.indicators.trends import Comparison, format_number, period_label, series_trend

Direction = ActionIndicator.Direction

# Holding a level (bibehålla): the value may stray this share from the reference and still count as held.
HOLD_TOLERANCE = Decimal("0.10")

ORDER = {Rating.ROD: 0, Rating.GUL: 1, Rating.GRON: 2}


@dataclass(frozen=True)
class Suggestion:
    rating: str
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return str(Rating(self.rating).label)


def _reached(value: Decimal, target: Decimal, direction: str) -> bool:
    if direction == Direction.MINSKA:
        return value <= target
    if direction == Direction.OKA:
        return value >= target
    return _held(value, target)


def _held(value: Decimal, reference: Decimal) -> bool:
    if reference == 0:
        return value == 0
    return abs(value - reference) <= abs(reference) * HOLD_TOLERANCE


def _wanted(direction: str) -> int:
    wanted: dict[str, int] = {Direction.MINSKA: -1, Direction.OKA: 1}
    return wanted.get(direction, 0)


def suggest_from_trend(
    indicator: ActionIndicator, comparison: Comparison | None, value: Decimal, when: str
) -> Suggestion | None:
    """A colour from the latest value and its tested change against the action's target and direction."""
    direction = indicator.direction
    if not direction:
        return None
    values = {"name": indicator.name, "value": format_number(value), "when": when}
    if indicator.target is not None:
        values["target"] = format_number(indicator.target)
        if _reached(value, indicator.target, direction):
            return Suggestion(
                Rating.GRON, (_("%(name)s: %(value)s (%(when)s) når målet %(target)s.") % values,)
            )
    target_text = _(" Målet %(target)s är inte nått.") % values if indicator.target is not None else ""
    if comparison is None:
        return None
    wanted = _wanted(direction)
    if wanted == 0:
        # Holding a level: a significant change either way is a warning.
        if comparison.significant:
            return Suggestion(
                Rating.GUL,
                (_("%(name)s har förändrats statistiskt säkerställt (%(when)s), men ska hållas.") % values,),
            )
        return Suggestion(
            Rating.GRON, (_("%(name)s: ingen säkerställd förändring (%(when)s); nivån hålls.") % values,)
        )
    if comparison.significant and comparison.direction == wanted:
        return Suggestion(
            Rating.GUL if indicator.target is not None else Rating.GRON,
            (
                _("%(name)s går åt rätt håll och förändringen är statistiskt säkerställd (%(when)s).")
                % values
                + target_text,
            ),
        )
    if comparison.significant and comparison.direction == -wanted:
        return Suggestion(
            Rating.ROD,
            (
                _("%(name)s går åt fel håll och förändringen är statistiskt säkerställd (%(when)s).") % values
                + target_text,
            ),
        )
    return Suggestion(
        Rating.GUL,
        (
            _("%(name)s: ingen statistiskt säkerställd förändring (%(when)s); den kan bero på slumpen.")
            % values
            + target_text,
        ),
    )


def suggest_from_statistics(indicator: ActionIndicator, series: list[SeriesPoint]) -> Suggestion | None:
    """The latest period of the statistics indicator in the action's kommun (its ``series``), tested
    against the one before it and a year before (``series_trend``)."""
    if indicator.indicator is None or not series:
        return None
    latest = series[-1]
    trend = series_trend(
        indicator.indicator,
        series,  # type: ignore[arg-type]  # SeriesPoint is frozen: read-only attributes satisfy the protocol
        latest.period_start,
        subject=indicator.name,
    )
    if trend is None:
        return None
    headline = trend.headline
    when = period_label(trend.period_kind, latest.period_start)
    suggestion = suggest_from_trend(indicator, headline[0] if headline else None, latest.value, when)
    if suggestion is None:
        return None
    return Suggestion(suggestion.rating, (*suggestion.reasons, trend.sentence))


def suggest_from_value(indicator: ActionIndicator, measured: IndicatorValue | None) -> Suggestion | None:
    """A hand-entered indicator: the latest measured value against baseline, target and direction."""
    if measured is None or not indicator.direction:
        return None
    value = measured.value
    values: dict[str, Any] = {
        "name": indicator.name,
        "value": format_number(value),
        "when": measured.measured_on.isoformat() if measured.measured_on else "",
    }
    if indicator.target is not None:
        values["target"] = format_number(indicator.target)
        if _reached(value, indicator.target, indicator.direction):
            return Suggestion(
                Rating.GRON, (_("%(name)s: %(value)s (%(when)s) når målet %(target)s.") % values,)
            )
    if indicator.baseline is None:
        return None
    values["baseline"] = format_number(indicator.baseline)
    wanted = _wanted(indicator.direction)
    change = (value > indicator.baseline) - (value < indicator.baseline)
    if wanted == 0:
        rating = Rating.GRON if _held(value, indicator.baseline) else Rating.GUL
        return Suggestion(
            rating, (_("%(name)s: %(value)s (%(when)s) mot utgångsvärdet %(baseline)s.") % values,)
        )
    if change == wanted:
        return Suggestion(
            Rating.GUL,
            (
                _(
                    "%(name)s: %(value)s (%(when)s), bättre än utgångsvärdet %(baseline)s men målet är inte nått."
                )
                % values,
            ),
        )
    return Suggestion(
        Rating.ROD,
        (_("%(name)s: %(value)s (%(when)s), inte bättre än utgångsvärdet %(baseline)s.") % values,),
    )


def combine(suggestions: Iterable[Suggestion | None]) -> Suggestion | None:
    """The least favourable colour, with every indicator's reason."""
    made = [s for s in suggestions if s is not None]
    if not made:
        return None
    worst = min(made, key=lambda s: ORDER[Rating(s.rating)])
    return Suggestion(worst.rating, tuple(r for s in made for r in s.reasons))


def suggestions_for(
    user: Any,
    actions: Iterable[Action],
    *,
    indicators: dict[int, list[ActionIndicator]] | None = None,
    measured: dict[int, IndicatorValue] | None = None,
) -> dict[int, Suggestion]:
    """A suggestion per action that has something to base it on, from what the user may read.
    ``indicators`` (action → the indicators the user may read) and ``measured`` (the latest value the
    user may read of each hand-entered one, ``latest_readings``) when the caller has read them already."""
    ids = [a.pk for a in actions]
    if not ids:
        return {}
    if indicators is None:
        rows = list(ActionIndicator.objects.visible_to(user).filter(action_id__in=ids))
    else:
        rows = [i for action_id in ids for i in indicators.get(action_id, [])]
    # The statistics indicators' catalogue rows and kommuner, read once for all (not one by one).
    prefetch_related_objects(rows, "indicator", "kommun")
    readings = latest_readings(rows, values=IndicatorValue.objects.visible_to(user), measured=measured)
    per_action: dict[int, list[Suggestion | None]] = {}
    for indicator in rows:
        if indicator.source == ActionIndicator.Source.STATISTIK:
            made = suggest_from_statistics(indicator, readings.series.get(indicator.pk, []))
        else:
            made = suggest_from_value(indicator, readings.measured.get(indicator.pk))
        per_action.setdefault(indicator.action_id, []).append(made)
    result = {}
    for action_id, made_list in per_action.items():
        combined = combine(made_list)
        if combined is not None:
            result[action_id] = combined
    return result
