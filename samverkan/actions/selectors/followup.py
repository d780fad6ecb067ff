"""Follow-ups as readers see them: one row, an action's history, the plan's grid of recent ratings, and the
latest readings of the actions' indicators."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from samverkan.actions.models import Action, ActionIndicator, ActionPlan, FollowUp, IndicatorValue
from samverkan.actions.selectors.cache import cached_for_reader
from samverkan.core.models import Collaboration, Level
from samverkan.core.selectors import get_for_user, parse_id
from samverkan.core.visibility import record_reads
from samverkan.indicators.selectors import SeriesPoint, kommun_series

# How many follow-ups the dots beside an action and the plan's grid show.
HISTORY_LENGTH = 12


def followup_queryset(user: Any) -> QuerySet[FollowUp]:
    """Follow-ups the user may read, with the values they may read."""
    return (
        FollowUp.objects.visible_to(user)
        .select_related("action", "recorded_by")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.visible_to(user).select_related("indicator"),
                to_attr="visible_values",
            )
        )
    )


def get_followup(user: Any, pk: Any, *, shown: bool = True) -> FollowUp:
    """One follow-up the user may read (else 404); shown begränsad rows and their values are logged."""
    if shown:
        row: FollowUp = get_for_user(followup_queryset(user), user, pk)
        record_reads(user, row.visible_values)  # type: ignore[attr-defined]
        return row
    number = parse_id(pk)
    found = (
        FollowUp.objects.visible_to(user).select_related("action").filter(pk=number).first()
        if number
        else None
    )
    if found is None:
        raise Http404
    return found


def get_action(user: Any, collaboration: Collaboration | None, pk: Any, *, shown: bool = True) -> Action:
    """An action the user may read (else 404), to be followed up or to show its history."""
    queryset = Action.objects.select_related("plan", "responsible", "collaboration")
    if collaboration is not None:
        queryset = queryset.filter(collaboration=collaboration)
    if shown:
        return get_for_user(queryset, user, pk)
    number = parse_id(pk)
    found = queryset.visible_to(user).filter(pk=number).first() if number else None  # type: ignore[attr-defined]
    if found is None:
        raise Http404
    return found


def get_plan(user: Any, collaboration: Collaboration, pk: Any) -> ActionPlan:
    return get_for_user(ActionPlan.objects.filter(collaboration=collaboration), user, pk)


def followups_by_action(
    user: Any,
    actions: Iterable[Action],
    *,
    limit: int | None = HISTORY_LENGTH,
    until: dt.date | None = None,
) -> dict[int, list[FollowUp]]:
    """The follow-ups of each action the user may read, oldest first (the latest ``limit``, up to the day
    ``until`` if given); one query. Not logged: the caller logs what it shows."""
    ids = [a.pk for a in actions]
    history: dict[int, list[FollowUp]] = defaultdict(list)
    if not ids:
        return history
    rows = FollowUp.objects.visible_to(user).filter(action_id__in=ids)
    if until is not None:
        rows = rows.filter(followed_up_on__lte=until)
    rows = rows.order_by("action_id", "-followed_up_on", "-id").only(
        "id",
        "collaboration_id",  # the audit entry of a begränsad row names it (else a query per row)
        "action_id",
        "followed_up_on",
        "rating",
        "reason",
        "occasion",
        "level",
        "restricted_to",
        "version",
    )
    for row in rows:
        bucket = history[row.action_id]
        if limit is None or len(bucket) < limit:
            bucket.append(row)
    for bucket in history.values():
        bucket.reverse()
    return history


def day_has_followup(action: Action, day: Any) -> bool:
    """Whether the action has a follow-up that day (the API answers 200 for an update, 201 for a new one;
    one the writer may not read is refused by the service before this matters)."""
    return FollowUp.objects.filter(action=action, followed_up_on=day).exists()


def action_history(user: Any, action: Action) -> list[FollowUp]:
    """Every follow-up of one action the user may read, newest first, with values; logged."""
    rows = list(followup_queryset(user).filter(action=action).order_by("-followed_up_on", "-id"))
    record_reads(user, rows)
    record_reads(user, [v for r in rows for v in r.visible_values])  # type: ignore[attr-defined]
    return rows


@dataclass(frozen=True)
class RatingOn:
    """A rating on a day, as the grid and the traceability page draw it (plain values: hundreds a page)."""

    rating: str
    followed_up_on: dt.date


@dataclass
class GridRow:
    action: Action
    cells: list[RatingOn | None]


@dataclass
class PlanGrid:
    """The last follow-up dates of a plan (columns) × a page of its actions (rows)."""

    plan: ActionPlan
    dates: list[Any]
    rows: list[GridRow]
    page: Page  # of the plan's actions the reader may see


# Rows of the grid on one page.
GRID_PAGE_SIZE = 25


def plan_grid(
    user: Any,
    plan: ActionPlan,
    *,
    columns: int = HISTORY_LENGTH,
    page: Any = 1,
    per_page: int = GRID_PAGE_SIZE,
) -> PlanGrid:
    """The plan's last ``columns`` follow-up dates (of the follow-ups the user may read), and a page of
    the actions the user may read, each with its rating at those dates; what is shown is logged.

    The plan's columns and each page's rows are shared by the readers of one standing until the
    collaboration changes (``selectors.cache``); the log is written on every call."""
    action_ids, dates = cached_for_reader(
        "grid",
        user,
        plan.collaboration_id,
        (plan.pk, columns),
        lambda: _grid_columns(user, plan, columns),
        memo=True,
    )
    actions_page = Paginator(action_ids, per_page).get_page(page)
    page_ids = list(actions_page.object_list)
    rows, restricted = cached_for_reader(
        "grid-rows",
        user,
        plan.collaboration_id,
        (plan.pk, columns, per_page, actions_page.number),
        lambda: _grid_rows(user, page_ids, dates),
        memo=True,
    )
    record_reads(user, [row.action for row in rows])
    record_reads(user, restricted)
    return PlanGrid(plan=plan, dates=dates, rows=rows, page=actions_page)


def _grid_columns(user: Any, plan: ActionPlan, columns: int) -> tuple[list[int], list[dt.date]]:
    """The ids of every action of the plan the reader may see, and the last ``columns`` dates of their
    follow-ups the reader may see."""
    # The ids first: the dates are of their follow-ups, and a filter on ids is planned well where a join
    # to the plan through a subquery was not (PostgreSQL took 300 ms).
    action_ids = list(
        Action.objects.visible_to(user)
        .filter(plan=plan)
        .order_by("number", "pk")
        .values_list("id", flat=True)
    )
    dates = sorted(
        FollowUp.objects.visible_to(user)
        .filter(action_id__in=action_ids)
        .order_by("-followed_up_on")
        .values_list("followed_up_on", flat=True)
        .distinct()[:columns]
    )
    return action_ids, dates


def _grid_rows(user: Any, ids: list[int], dates: list[dt.date]) -> tuple[list[GridRow], list[FollowUp]]:
    """The rows of the actions ``ids`` (in order) at ``dates``, and the begränsad follow-ups among their
    cells (read whole for the audit log). Not logged."""
    actions = list(Action.objects.filter(pk__in=ids).select_related("responsible").order_by("number", "pk"))
    cells = (
        FollowUp.objects.visible_to(user)
        .order_by()
        .filter(action_id__in=[a.pk for a in actions], followed_up_on__in=dates)
        .values_list("id", "action_id", "followed_up_on", "rating", "level")
        if dates and actions
        else []
    )
    by_cell: dict[tuple[int, dt.date], RatingOn] = {}
    restricted = []
    for pk, action_id, day, rating, level in cells:
        by_cell[(action_id, day)] = RatingOn(rating, day)
        if level == Level.BEGRANSAD:
            restricted.append(pk)
    rows = [GridRow(action=a, cells=[by_cell.get((a.pk, d)) for d in dates]) for a in actions]
    return rows, list(FollowUp.objects.filter(pk__in=restricted)) if restricted else []


def followup_list(user: Any, collaboration: Collaboration) -> QuerySet[FollowUp]:
    """The API's list: the collaboration's follow-ups the user may read (the paginator logs each page)."""
    return (
        followup_queryset(user)
        .filter(collaboration=collaboration)
        .order_by("-followed_up_on", "action_id", "id")
    )


@dataclass
class LatestReadings:
    """What is known of a set of action indicators now: the latest value measured at a follow-up (entered by
    hand) and the kommun's series (from the statistics). One reading for the sheet's suggestions and the
    traceability page alike."""

    measured: dict[int, IndicatorValue]  # action indicator → its latest measured value
    series: dict[int, list[SeriesPoint]]  # statistics action indicator → its kommun's series, oldest first

    def latest(self, indicator: ActionIndicator) -> tuple[Decimal | None, dt.date | None]:
        """The latest value and the day (or period) it is of, or (None, None)."""
        if indicator.source == ActionIndicator.Source.STATISTIK:
            series = self.series.get(indicator.pk)
            return (series[-1].value, series[-1].period_start) if series else (None, None)
        measured = self.measured.get(indicator.pk)
        return (measured.value, measured.measured_on) if measured else (None, None)


def latest_readings(
    indicators: Iterable[ActionIndicator],
    *,
    values: QuerySet[IndicatorValue],
    measured: dict[int, IndicatorValue] | None = None,
) -> LatestReadings:
    """The readings of ``indicators`` (with ``indicator`` and ``kommun`` selected), from ``values`` (the
    reader's scope: ``visible_to(user)`` or ``public()``): the latest value per hand-entered indicator in
    one query (none if the caller has read them from the same scope: ``measured``), and one series per
    statistics indicator and kommun however many actions share it."""
    indicators = list(indicators)
    manual = [i.pk for i in indicators if i.source != ActionIndicator.Source.STATISTIK]
    if measured is not None:
        measured = {pk: measured[pk] for pk in manual if pk in measured}
    elif not manual:
        measured = {}
    else:
        latest = (
            values.filter(indicator_id__in=manual)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("indicator_id")],
                    order_by=[F("measured_on").desc(nulls_last=True), F("id").desc()],
                )
            )
            .filter(rank=1)
            .order_by()
        )
        measured = {v.indicator_id: v for v in latest}
    series: dict[int, list[SeriesPoint]] = {}
    shared: dict[tuple[int, str], list[SeriesPoint]] = {}
    for indicator in indicators:
        if indicator.source != ActionIndicator.Source.STATISTIK:
            continue
        if indicator.indicator is None or indicator.kommun is None:
            continue
        key = (indicator.indicator.pk, indicator.kommun.pk)
        if key not in shared:
            shared[key] = kommun_series(indicator=indicator.indicator, kommun=indicator.kommun)
        series[indicator.pk] = shared[key]
    return LatestReadings(measured=measured, series=series)
