"""The measured values of an action's indicators: from the statistics imports for a statistics indicator
(the kommun's series), from follow-ups for one entered by hand. Used by the action page, the follow-up
and the traceability page: ``indicator_readings`` reads many indicators in two queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from samverkan.actions.models import ActionIndicator, IndicatorValue
from samverkan.core.visibility import record_reads
from samverkan.indicators.models import DataPoint


@dataclass
class Reading:
    """An indicator's values over time (oldest first) and where they came from."""

    indicator: ActionIndicator
    series: list[tuple[dt.date, Decimal]] = field(default_factory=list)

    @property
    def latest(self) -> tuple[dt.date, Decimal] | None:
        return self.series[-1] if self.series else None

    @property
    def latest_value(self) -> Decimal | None:
        return self.series[-1][1] if self.series else None

    @property
    def from_statistics(self) -> bool:
        return self.indicator.source == ActionIndicator.Source.STATISTIK

    @property
    def reached(self) -> bool | None:
        """Whether the latest value meets the target in the indicator's direction (None: cannot say)."""
        row, latest = self.indicator, self.latest_value
        if latest is None or row.target is None or not row.direction:
            return None
        if row.direction == ActionIndicator.Direction.MINSKA:
            return latest <= row.target
        if row.direction == ActionIndicator.Direction.OKA:
            return latest >= row.target
        return None  # "to be kept" has no tolerance stated; the group judges it


def indicator_readings(rows: Iterable[ActionIndicator], *, user: Any) -> dict[int, Reading]:
    """A reading per indicator row (keyed by its id). A statistics indicator's series is its kommun's
    (every data point, public open data); a hand-entered one's are the values recorded at follow-ups
    the user may read (begränsad ones read are logged)."""
    rows = list(rows)
    readings = {row.pk: Reading(indicator=row) for row in rows}
    statistical = [
        row
        for row in rows
        if row.source == ActionIndicator.Source.STATISTIK and row.indicator_id and row.kommun_id
    ]
    if statistical:
        wanted = Q(pk__in=[])
        for row in statistical:
            wanted |= Q(indicator_id=row.indicator_id, kommun_id=row.kommun_id)
        points: dict[tuple[int, str], list[tuple[dt.date, Decimal]]] = defaultdict(list)
        for indicator_id, kommun_id, day, value in (
            DataPoint.objects.filter(wanted, deso__isnull=True)
            .order_by("period_start")
            .values_list("indicator_id", "kommun_id", "period_start", "value")
        ):
            points[(indicator_id, kommun_id)].append((day, value))
        for row in statistical:
            readings[row.pk].series = points.get((row.indicator_id, row.kommun_id), [])  # type: ignore[arg-type]
    manual = [row.pk for row in rows if row.source == ActionIndicator.Source.MANUELL]
    if manual:
        values = list(
            IndicatorValue.objects.visible_to(user)  # type: ignore[attr-defined]
            .filter(indicator_id__in=manual)
            .select_related("followup")
            .order_by("measured_on", "followup__followed_up_on", "pk")
        )
        record_reads(user, values)
        by_row: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
        for value in values:
            by_row[value.indicator_id].append(
                (value.measured_on or value.followup.followed_up_on, value.value)
            )
        for pk, series in by_row.items():
            readings[pk].series = sorted(series, key=lambda point: point[0])
    return readings


def indicator_reading(row: ActionIndicator, *, user: Any) -> Reading:
    return indicator_readings([row], user=user)[row.pk]


def indicator_choices(*, collaboration: Any) -> Any:
    """Statistics indicators with values for one of the collaboration's kommuner (the form's choices):
    the same the analysis offers as evidence."""
    from samverkan.analysis.selectors import indicator_choices as collaboration_indicators

    return collaboration_indicators(collaboration=collaboration)


def get_indicator_row_for_user(user: Any, action: Any, pk: Any) -> ActionIndicator:
    """One indicator of the action the user may read (else 404; a begränsad one shown is logged)."""
    from samverkan.core.selectors import get_for_user

    return get_for_user(
        ActionIndicator.objects.filter(action=action).select_related("indicator", "kommun", "target_line"),
        user,
        pk,
    )


def indicator_rows(user: Any, action: Any) -> Any:
    """The action's indicators the user may read, in order (the API's list; its paginator logs them)."""
    return (
        ActionIndicator.objects.visible_to(user)  # type: ignore[attr-defined]
        .filter(action=action)
        .select_related("indicator", "kommun", "target_line")
        .order_by("order", "id")
    )


def get_indicator_row_to_change(user: Any, action: Any, pk: Any) -> ActionIndicator:
    """One indicator of the action the user may read, looked up to be changed (else 404; not logged)."""
    from django.http import Http404

    from samverkan.core.selectors import parse_id

    number = parse_id(pk)
    row = indicator_rows(user, action).filter(pk=number).first() if number else None
    if row is None:
        raise Http404
    return row
