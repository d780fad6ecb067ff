"""The follow-up sheet of a meeting: the actions due for follow-up, most urgent first, a page at a time,
narrowed to a focus area or a responsible organisation.

A plan can hold 200 actions with twelve follow-ups each; a meeting goes through them a focus area or an
actor at a time. So the urgency of every due action is read from its last two follow-ups only (one
query), and the rows of the page shown get the rest: history, the day's follow-up, indicators and the
suggestion. Only what is shown is logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from samverkan.actions.models import Action, ActionIndicator, FollowUp, IndicatorValue
from samverkan.actions.selectors.cache import cached_for_reader
from samverkan.actions.selectors.flags import (
    ActionFlags,
    action_flags,
    current_action_queryset,
    flag_state,
    urgency,
)
from samverkan.actions.selectors.followup import followup_queryset, followups_by_action, latest_readings
from samverkan.actions.selectors.suggest import Suggestion, suggestions_for
from samverkan.agreements.models import FocusArea
from samverkan.core.models import Collaboration
from samverkan.core.permissions import can_follow_up
from samverkan.core.selectors import parse_id
from samverkan.core.visibility import record_reads

# Rows on one page of the sheet: what a meeting goes through in one sitting, and a page that stays light.
SHEET_PAGE_SIZE = 25


@dataclass
class SheetRow:
    flags: ActionFlags
    indicators: list[ActionIndicator]
    current: FollowUp | None  # the follow-up of the sheet's day, if any
    suggestion: Suggestion | None
    can_edit: bool

    @property
    def action(self) -> Action:
        return self.flags.action


@dataclass
class SheetFilter:
    """What the sheet is narrowed to (from the query string; ``None``: all)."""

    focus_area: int | None = None
    responsible: int | None = None
    page: str = "1"
    action: int | None = None  # without a page: the page this action is on (back from its saved row)

    @classmethod
    def from_query(cls, query: Any) -> SheetFilter:
        """From ``fokusomrade``, ``ansvarig``, ``sida`` and ``atgard``; a value that is not a number is a
        404."""

        def number(name: str) -> int | None:
            raw = query.get(name, "")
            if raw == "":
                return None
            value = parse_id(raw)
            if value is None:
                raise Http404
            return value

        return cls(
            focus_area=number("fokusomrade"),
            responsible=number("ansvarig"),
            page=query.get("sida", ""),
            action=number("atgard"),
        )


@dataclass(frozen=True)
class _Due:
    pk: int
    focus_area_id: int | None
    responsible_id: int
    responsible: str
    urgency: int


@dataclass(frozen=True)
class Choice:
    pk: int
    name: str


@dataclass
class SheetPage:
    rows: list[SheetRow]
    page: Page  # of the ids of the filtered due actions
    due: int  # every action due, before the filter
    focus_areas: list[FocusArea]  # to narrow to: those of due actions the reader may see
    organisations: list[Choice]  # responsible for due actions
    chosen: SheetFilter

    @property
    def total(self) -> int:
        return self.page.paginator.count


def _due(user: Any, due_actions: QuerySet[Action], day: dt.date) -> list[_Due]:
    """Every due action as plain values, ranked by the ratings of its last two follow-ups up to ``day``
    (enough for its flags): the sheet ranks them all but reads only a page of them whole."""
    rows = list(
        due_actions.values_list(
            "id", "status", "start_date", "end_date", "focus_area_id", "responsible_id", "responsible__name"
        )
    )
    latest = (
        FollowUp.objects.visible_to(user)
        .filter(action_id__in=[r[0] for r in rows], followed_up_on__lte=day)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("action_id")],
                order_by=[F("followed_up_on").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=2)
        .order_by()  # the model's ordering joins the plan; only the rank matters here
        .values_list("action_id", "rating", "rank")
    )
    ratings: dict[int, list[str]] = defaultdict(list)
    for action_id, rating, _rank in sorted(latest, key=lambda r: -r[2]):
        ratings[action_id].append(rating)  # oldest first
    due = []
    for pk, status, start, end, focus_area_id, responsible_id, responsible in rows:
        overdue, never, red, escalated = flag_state(
            status=status, start_date=start, end_date=end, ratings=ratings.get(pk, []), as_of=day
        )
        due.append(
            _Due(pk, focus_area_id, responsible_id, responsible, urgency(escalated, red, overdue, never))
        )
    return due


def _due_and_areas(
    user: Any, due_actions: QuerySet[Action], day: dt.date
) -> tuple[list[_Due], list[FocusArea]]:
    """The due actions ranked (``_due``) and the focus areas among them that the reader may read."""
    due = _due(user, due_actions, day)
    area_ids = {d.focus_area_id for d in due if d.focus_area_id}
    areas = FocusArea.objects.visible_to(user).filter(pk__in=area_ids).order_by("order", "title", "pk")
    return due, list(areas) if area_ids else []


def _rows_unlogged(user: Any, flags: list[ActionFlags], day: dt.date) -> list[SheetRow]:
    """Indicators, the day's follow-up and the suggestion of each action; not logged, and nobody's to
    rate yet (``can_edit`` False: the caller sets it for its reader)."""
    actions = [f.action for f in flags]
    indicators: dict[int, list[ActionIndicator]] = {}
    for indicator in (
        ActionIndicator.objects.visible_to(user)
        .filter(action__in=actions)
        .select_related("indicator", "kommun")
    ):
        indicators.setdefault(indicator.action_id, []).append(indicator)
    current = {f.action_id: f for f in followup_queryset(user).filter(action__in=actions, followed_up_on=day)}
    return [
        SheetRow(
            flags=f,
            indicators=indicators.get(f.action.pk, []),
            current=current.get(f.action.pk),
            suggestion=None,
            can_edit=False,
        )
        for f in flags
    ]


def _log_rows(user: Any, rows: list[SheetRow], *, actions: bool = True) -> None:
    """Log the begränsad rows shown: the actions (unless the caller's lookup logged them), their history,
    the day's values and the indicators."""
    if actions:
        record_reads(user, [r.action for r in rows])
    record_reads(user, [h for r in rows for h in r.flags.history])
    record_reads(user, [v for r in rows if r.current for v in r.current.visible_values])  # type: ignore[attr-defined]
    record_reads(user, [i for r in rows for i in r.indicators])


def _with_rights(
    user: Any, rows: list[SheetRow], measured: dict[int, IndicatorValue] | None = None
) -> list[SheetRow]:
    """The rows with the suggestions (the statistics indicators' read afresh: imported data, which the
    collaboration's revision does not count; ``measured``: the hand-entered ones' latest values, if read
    already) and whether the user may rate each: new rows, as the cached ones are shared."""
    suggestions = suggestions_for(
        user,
        [r.action for r in rows],
        indicators={r.action.pk: r.indicators for r in rows},
        measured=measured,
    )
    return [
        replace(row, suggestion=suggestions.get(row.action.pk), can_edit=can_follow_up(user, row.action))
        for row in rows
    ]


def _page_rows(
    user: Any, due_actions: QuerySet[Action], ids: list[int], day: dt.date
) -> tuple[list[SheetRow], dict[int, IndicatorValue]]:
    """The rows of one page (``ids``, in order), read whole: the action, its history up to the day (the
    dots), the day's follow-up and indicators; and the latest value of each hand-entered indicator (for
    the suggestions). Not logged."""
    actions = {a.pk: a for a in due_actions.filter(pk__in=ids).select_related("plan", "responsible")}
    shown = [actions[pk] for pk in ids if pk in actions]
    history = followups_by_action(user, shown, until=day)
    flags = [action_flags(action, history.get(action.pk, []), day) for action in shown]
    rows = _rows_unlogged(user, flags, day)
    manual = [i for r in rows for i in r.indicators if i.source != ActionIndicator.Source.STATISTIK]
    measured = latest_readings(manual, values=IndicatorValue.objects.visible_to(user)).measured
    return rows, measured


def _digest(ids: list[int]) -> str:
    """A short key part for a page's ids (25 numbers)."""
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:32]


def sheet_page(
    user: Any, collaboration: Collaboration, day: dt.date, chosen: SheetFilter | None = None
) -> SheetPage:
    """One page of the actions due on ``day`` that the user may read (escalated and red first), narrowed
    by ``chosen``; each row with its dots, the day's follow-up, the suggestion and whether the user may
    rate it. A focus area or organisation that is not among the due actions' (for this reader) is a 404.
    Begränsad rows shown are logged."""
    chosen = chosen or SheetFilter()

    def due_actions() -> QuerySet[Action]:  # built only when a cached part is read afresh
        return current_action_queryset(user, collaboration, day)

    # The ranking reads every due action's last follow-ups: the same for every reader of one standing
    # until the collaboration changes (each rating saved at the meeting does), and so are the focus areas.
    due, focus_areas = cached_for_reader(
        "sheet-due",
        user,
        collaboration.pk,
        (day.isoformat(),),
        lambda: _due_and_areas(user, due_actions(), day),
        memo=True,
    )
    ranked = sorted(due, key=lambda d: d.urgency)  # stable: within one urgency, in plan order
    organisations = sorted(
        {Choice(d.responsible_id, d.responsible) for d in due}, key=lambda c: (c.name, c.pk)
    )
    if chosen.focus_area is not None:
        if chosen.focus_area not in {f.pk for f in focus_areas}:
            raise Http404
        ranked = [d for d in ranked if d.focus_area_id == chosen.focus_area]
    if chosen.responsible is not None:
        if chosen.responsible not in {o.pk for o in organisations}:
            raise Http404
        ranked = [d for d in ranked if d.responsible_id == chosen.responsible]
    ids = [d.pk for d in ranked]
    number: Any = chosen.page or 1
    if not chosen.page and chosen.action in ids:
        number = ids.index(chosen.action) // SHEET_PAGE_SIZE + 1
    page = Paginator(ids, SHEET_PAGE_SIZE).get_page(number)
    # Only the page's rows are read whole, shared like the ranking (the page's ids are in the key); the
    # log, the suggestions and the reader's rights are done afresh on every request.
    page_ids = list(page.object_list)
    rows, measured = cached_for_reader(
        "sheet-rows",
        user,
        collaboration.pk,
        (day.isoformat(), _digest(page_ids)),
        lambda: _page_rows(user, due_actions(), page_ids, day),
        memo=True,
    )
    _log_rows(user, rows)
    return SheetPage(
        rows=_with_rights(user, rows, measured),
        page=page,
        due=len(due),
        focus_areas=focus_areas,
        organisations=organisations,
        chosen=chosen,
    )


def sheet_row(user: Any, action: Action, day: dt.date) -> SheetRow:
    """One action's row, as the sheet re-renders it after a save (and its own page shows it)."""
    history = followups_by_action(user, [action], until=day).get(action.pk, [])
    rows = _rows_unlogged(user, [action_flags(action, history, day)], day)
    _log_rows(user, rows, actions=False)  # the action was logged when it was looked up
    return _with_rights(user, rows)[0]
