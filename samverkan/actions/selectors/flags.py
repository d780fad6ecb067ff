"""Flags for the next meeting: actions overdue, never followed up, red, or escalated.

``flags_for_collaboration`` is what the "Inför nästa möte" page, the collaboration home and (later) the
meeting agenda read. Everything is read through the one visibility rule: a follow-up the reader may not
see does not count for them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.actions.models import Action, ActionPlan, FollowUp, Rating
from samverkan.actions.selectors.followup import HISTORY_LENGTH, followups_by_action
from samverkan.core.models import Collaboration, Level
from samverkan.core.visibility import record_reads

# An action started this many days ago without any follow-up is flagged "never followed up".
NEVER_FOLLOWED_UP_DAYS = 90

# Statuses of an action that is still being carried out.
OPEN_STATUSES = (Action.Status.PLANERAD, Action.Status.PAGAR)
WARNING_RATINGS = (Rating.ROD, Rating.GUL)


@dataclass
class ActionFlags:
    """One action and why it needs the group's attention (or not)."""

    action: Action
    history: list[FollowUp] = field(default_factory=list)  # oldest first
    overdue: bool = False
    never_followed_up: bool = False
    red: bool = False
    escalated: bool = False

    @property
    def latest(self) -> FollowUp | None:
        return self.history[-1] if self.history else None

    @property
    def flagged(self) -> bool:
        return self.overdue or self.never_followed_up or self.red or self.escalated

    @property
    def labels(self) -> list[str]:
        """The flags in words, most serious first (the page shows text, not just a colour)."""
        return flag_labels(self.escalated, self.red, self.overdue, self.never_followed_up)

    @property
    def urgency(self) -> int:
        """Sort key: escalated first, then red, overdue, never followed up, the rest."""
        return urgency(self.escalated, self.red, self.overdue, self.never_followed_up)


def flag_labels(escalated: bool, red: bool, overdue: bool, never_followed_up: bool) -> list[str]:
    """An action's flags in words, most serious first."""
    labels = []
    if escalated:
        labels.append(_("Eskalerad: röd eller gul två gånger i rad"))
    if red:
        labels.append(_("Röd vid senaste uppföljningen"))
    if overdue:
        labels.append(_("Försenad: slutdatum passerat"))
    if never_followed_up:
        labels.append(_("Aldrig uppföljd"))
    return labels


def urgency(escalated: bool, red: bool, overdue: bool, never_followed_up: bool) -> int:
    """Sort key of an action's flags: escalated first, then red, overdue, never followed up, the rest."""
    for rank, flag in enumerate((escalated, red, overdue, never_followed_up)):
        if flag:
            return rank
    return 4


def flag_state(
    *,
    status: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    ratings: list[str],
    as_of: dt.date,
) -> tuple[bool, bool, bool, bool]:
    """(overdue, never followed up, red, escalated) of an action from its status, its dates and the ratings
    of its follow-ups up to ``as_of``, oldest first (the last two are enough). The rule, in one place."""
    still_open = status in OPEN_STATUSES
    overdue = still_open and end_date is not None and end_date < as_of
    started = start_date is not None and start_date <= as_of - dt.timedelta(days=NEVER_FOLLOWED_UP_DAYS)
    never_followed_up = still_open and started and not ratings
    red = bool(ratings) and ratings[-1] == Rating.ROD
    escalated = len(ratings) >= 2 and all(r in WARNING_RATINGS for r in ratings[-2:])
    return overdue, never_followed_up, red, escalated


def action_flags(action: Action, history: list[FollowUp], as_of: dt.date) -> ActionFlags:
    """The flags of one action from its follow-ups (oldest first) as of a day."""
    past = [f for f in history if f.followed_up_on <= as_of]
    flags = ActionFlags(action=action, history=past)
    flags.overdue, flags.never_followed_up, flags.red, flags.escalated = flag_state(
        status=action.status,
        start_date=action.start_date,
        end_date=action.end_date,
        ratings=[f.rating for f in past],
        as_of=as_of,
    )
    return flags


def current_action_queryset(user: Any, collaboration: Collaboration, as_of: dt.date) -> QuerySet[Action]:
    """The actions being carried out: in a plan in force on ``as_of`` (not closed), not done or cancelled."""
    return (
        Action.objects.visible_to(user)
        .filter(collaboration=collaboration, status__in=OPEN_STATUSES)
        .filter(plan__start_date__lte=as_of, plan__end_date__gte=as_of)
        .exclude(plan__status=ActionPlan.Status.AVSLUTAD)
        .order_by("plan__start_date", "plan_id", "number")
    )


def current_actions(user: Any, collaboration: Collaboration, as_of: dt.date) -> list[Action]:
    """The actions being carried out (``current_action_queryset``), with their plan and organisation."""
    return list(current_action_queryset(user, collaboration, as_of).select_related("plan", "responsible"))


def flags_for_collaboration(
    user: Any, collaboration: Collaboration, as_of: dt.date | None = None, *, only_flagged: bool = True
) -> list[ActionFlags]:
    """Per current action the user may read: overdue, never followed up, red, escalated; most urgent
    first. ``only_flagged=False`` returns every current action (the follow-up sheet). Begränsad actions
    and follow-ups returned are logged."""
    as_of = as_of or timezone.localdate()
    actions = current_actions(user, collaboration, as_of)
    history = followups_by_action(user, actions)
    result = [action_flags(action, history.get(action.pk, []), as_of) for action in actions]
    if only_flagged:
        result = [f for f in result if f.flagged]
    result.sort(key=lambda f: f.urgency)
    record_reads(user, [f.action for f in result])
    record_reads(user, [h for f in result for h in f.history])
    return result


# --- The same flags as plain values (the agenda's draft) ------------------------------------------------


@dataclass(frozen=True)
class PastRating:
    """One follow-up of an action's history as values: its colour and day."""

    rating: str
    followed_up_on: dt.date


@dataclass
class FlagRow:
    """``ActionFlags`` as plain values: what the agenda's draft writes of an action, read without making
    a model instance per action and per follow-up (a plan of 200 actions has thousands of follow-ups)."""

    action_id: int
    number: int
    title: str
    responsible: str
    level: str
    restricted_to: str
    history: list[PastRating]
    overdue: bool = False
    never_followed_up: bool = False
    red: bool = False
    escalated: bool = False
    # The flags in words (``flag_labels``), made once per combination of flags.
    labels: list[str] = field(default_factory=list)

    @property
    def urgency(self) -> int:
        return urgency(self.escalated, self.red, self.overdue, self.never_followed_up)


def flag_rows_for_collaboration(user: Any, collaboration: Collaboration, as_of: dt.date) -> list[FlagRow]:
    """Every current action the user may read with its flags and history (``flags_for_collaboration``
    with ``only_flagged=False``: the same actions, history, flags and order) as values. The begränsad
    actions and follow-ups returned are logged as that function logs them."""
    actions = list(
        current_action_queryset(user, collaboration, as_of).values_list(
            "id",
            "number",
            "title",
            "responsible__name",
            "level",
            "restricted_to",
            "status",
            "start_date",
            "end_date",
            "collaboration_id",
        )
    )
    # The latest HISTORY_LENGTH follow-ups of each action the user may read (``followups_by_action``).
    latest: dict[int, list[tuple[int, str, dt.date, str, int]]] = defaultdict(list)
    if actions:
        for row in (
            FollowUp.objects.visible_to(user)  # type: ignore[attr-defined]
            .filter(action_id__in=[a[0] for a in actions])
            .order_by("action_id", "-followed_up_on", "-id")
            .values_list("action_id", "id", "rating", "followed_up_on", "level", "collaboration_id")
        ):
            bucket = latest[row[0]]
            if len(bucket) < HISTORY_LENGTH:
                bucket.append(row[1:])
    result = []
    shown_followups = []
    # The flags' words translated once per combination, not four times per action.
    words: dict[tuple[bool, bool, bool, bool], list[str]] = {}
    for pk, number, title, responsible, level, restricted_to, status, start, end, _c in actions:
        past = [f for f in reversed(latest.get(pk, [])) if f[2] <= as_of]
        shown_followups += [f for f in past if f[3] == Level.BEGRANSAD]
        row = FlagRow(
            action_id=pk,
            number=number,
            title=title,
            responsible=responsible,
            level=level,
            restricted_to=restricted_to,
            history=[PastRating(rating, day) for _id, rating, day, _l, _c2 in past],
        )
        row.overdue, row.never_followed_up, row.red, row.escalated = flag_state(
            status=status, start_date=start, end_date=end, ratings=[f[1] for f in past], as_of=as_of
        )
        flags = (row.escalated, row.red, row.overdue, row.never_followed_up)
        if flags not in words:
            words[flags] = flag_labels(*flags)
        row.labels = words[flags]
        result.append(row)
    result.sort(key=lambda f: f.urgency)
    # Logged as ``flags_for_collaboration`` logs them: the actions, then their follow-ups (stand-ins
    # carrying what the audit entry names: type, id, collaboration and level).
    record_reads(
        user,
        [
            Action(pk=pk, collaboration_id=c, level=level)
            for pk, _n, _t, _r, level, _rt, _s, _sd, _ed, c in actions
            if level == Level.BEGRANSAD
        ],
    )
    record_reads(
        user, [FollowUp(pk=pk, collaboration_id=c, level=level) for pk, _r, _d, level, c in shown_followups]
    )
    return result
