"""Reads of work orders and "Mina uppdrag": what the user's organisation must do, soonest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from samverkan.actions.models import Action, WorkOrder
from samverkan.core.models import Collaboration, Membership
from samverkan.core.selectors import get_for_user, parse_id
from samverkan.core.visibility import record_reads

# An action in progress is due for follow-up when it has not been followed up for about a quarter (the
# groups in the seeds meet four times a year) or never since it started.
FOLLOW_UP_INTERVAL = dt.timedelta(days=91)


def work_order_queryset(user: Any) -> QuerySet[WorkOrder]:
    """Work orders the user may read, and whether the action they name may be named."""
    from django.db.models import Exists, OuterRef

    return (
        WorkOrder.objects.visible_to(user)  # type: ignore[attr-defined]
        .select_related("organisation", "collaboration")
        .annotate(action_visible=Exists(Action.objects.visible_to(user).filter(pk=OuterRef("action_id"))))
    )


def work_order_list(*, user: Any, collaboration: Collaboration, status: str | None = None) -> list[WorkOrder]:
    """The collaboration's work orders as the list shows them: open first, soonest first; logged."""
    queryset = work_order_queryset(user).filter(collaboration=collaboration).select_related("action")
    if status:
        queryset = queryset.filter(status=status)
    orders = list(queryset.order_by("status", "due_next_meeting", "due_on", "pk"))
    record_reads(user, orders)
    return orders


def get_work_order_for_user(
    user: Any, collaboration: Collaboration, pk: Any, *, shown: bool = True
) -> WorkOrder:
    queryset = work_order_queryset(user).filter(collaboration=collaboration).select_related("action")
    if shown:
        return get_for_user(queryset, user, pk)
    return _unlogged(queryset, pk)


def get_work_order(user: Any, pk: Any, *, shown: bool = False) -> WorkOrder:
    queryset = work_order_queryset(user).select_related("action")
    return get_for_user(queryset, user, pk) if shown else _unlogged(queryset, pk)


def _unlogged(queryset: QuerySet[WorkOrder], pk: Any) -> WorkOrder:
    number = parse_id(pk)
    row = queryset.filter(pk=number).first() if number else None
    if row is None:
        raise Http404
    return row


# --- Mina uppdrag ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One line of "Mina uppdrag": a work order, or an action the organisation is to follow up."""

    collaboration: Collaboration
    due_on: dt.date | None
    work_order: WorkOrder | None = None
    action: Action | None = None
    last_followed_up: dt.date | None = None

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def sort_key(self) -> tuple[int, dt.date, int]:
        # Dated tasks first, soonest first; "by the next meeting" after them (no date is known yet).
        return (0 if self.due_on else 1, self.due_on or dt.date.max, self.collaboration.pk)


def _organisation_scope(user: Any, collaboration: Collaboration | None) -> list[tuple[int, int]]:
    memberships = Membership.objects.filter(
        user=user, organisation__isnull=False, collaboration__is_active=True
    )
    if collaboration is not None:
        memberships = memberships.filter(collaboration=collaboration)
    return list(memberships.values_list("collaboration_id", "organisation_id"))


def _in_scope(scope: list[tuple[int, int]], organisation_field: str) -> Q:
    """Rows of the scope's (collaboration, organisation) pairs; nothing for an empty scope."""
    wanted = Q(pk__in=[])
    for collaboration_id, organisation_id in scope:
        wanted |= Q(collaboration_id=collaboration_id, **{organisation_field: organisation_id})
    return wanted


def open_work_orders_of_my_organisations(
    *, user: Any, collaboration: Collaboration | None = None
) -> QuerySet[WorkOrder]:
    """The open work orders of the organisations the user acts for (in one collaboration, or in all of
    the user's active ones), read as the user may read them: what "Mina uppdrag" lists and the weekly
    digest mails. Not logged here; the caller logs what it shows."""
    if not getattr(user, "is_authenticated", False):
        return WorkOrder.objects.none()
    scope = _organisation_scope(user, collaboration)
    return (
        work_order_queryset(user)
        .filter(_in_scope(scope, "organisation_id"), status=WorkOrder.Status.OPPEN)
        .select_related("action")
    )


def my_tasks(
    *, user: Any, collaboration: Collaboration | None = None, today: dt.date | None = None
) -> list[Task]:
    """Everything the user's organisation must do (in one collaboration, or in all of the user's): open
    work orders, and actions it is responsible for that are due for follow-up, soonest first. Read as
    the user may read it; begränsad rows shown are logged."""
    today = today or timezone.localdate()
    scope = _organisation_scope(user, collaboration)
    if not getattr(user, "is_authenticated", False) or not scope:
        return []
    actions_q = _in_scope(scope, "responsible_id")
    orders = list(open_work_orders_of_my_organisations(user=user, collaboration=collaboration))
    actions = list(
        Action.objects.visible_to(user)  # type: ignore[attr-defined]
        .filter(actions_q, status__in=[Action.Status.PLANERAD, Action.Status.PAGAR])
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
        .select_related("collaboration", "plan")
        .annotate(last_followed_up=Max("followups__followed_up_on"))
    )
    tasks = [Task(collaboration=o.collaboration, due_on=o.due_on, work_order=o) for o in orders]
    for action in actions:
        last = action.last_followed_up
        due = (last + FOLLOW_UP_INTERVAL) if last else (action.start_date or today)
        if due <= today + dt.timedelta(days=30):
            tasks.append(
                Task(collaboration=action.collaboration, due_on=due, action=action, last_followed_up=last)
            )
    record_reads(user, [*orders, *(t.action for t in tasks if t.action is not None)])
    return sorted(tasks, key=lambda task: task.sort_key)


def my_collaborations(*, user: Any) -> list[Collaboration]:
    """The active collaborations in which the user acts for an organisation."""
    ids = [collaboration_id for collaboration_id, _organisation in _organisation_scope(user, None)]
    return list(Collaboration.objects.filter(pk__in=ids).order_by("name"))
