"""Reads of action plans: the list, one plan, and the plan as its page shows it (grouped by focus area)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from samverkan.actions.models import Action, ActionIndicator, ActionPlan
from samverkan.agreements.models import Agreement, FocusArea
from samverkan.core.models import Collaboration
from samverkan.core.selectors import get_for_user, parse_id
from samverkan.core.visibility import record_reads


def plan_list(*, user: Any, collaboration: Collaboration) -> list[ActionPlan]:
    """The collaboration's plans the user may read, newest period first, with their action counts."""
    plans = list(
        ActionPlan.objects.visible_to(user)
        .filter(collaboration=collaboration)
        .select_related("agreement")
        .annotate(
            action_count=Count(
                "actions", filter=Q(actions__in=Action.objects.visible_to(user)), distinct=True
            )
        )
    )
    record_reads(user, plans)
    return plans


def get_plan_for_user(user: Any, collaboration: Collaboration, pk: Any) -> ActionPlan:
    """One plan of the collaboration the user may read (else 404); a begränsad one shown is logged."""
    return get_for_user(ActionPlan.objects.filter(collaboration=collaboration), user, pk)


def get_plan(user: Any, pk: Any) -> ActionPlan:
    """A plan the user may read, looked up to add to it (not shown, so not logged)."""
    number = parse_id(pk)
    plan = (
        ActionPlan.objects.visible_to(user).select_related("collaboration").filter(pk=number).first()
        if number
        else None
    )
    if plan is None:
        raise Http404
    return plan


def readable_agreements(*, user: Any, collaboration: Collaboration) -> QuerySet[Agreement]:
    return Agreement.objects.visible_to(user).filter(collaboration=collaboration).order_by("-start_date")


def readable_focus_areas(*, user: Any, collaboration: Collaboration) -> QuerySet[FocusArea]:
    return (
        FocusArea.objects.visible_to(user)
        .filter(collaboration=collaboration)
        .select_related("agreement")
        .order_by("agreement__start_date", "order", "pk")
    )


@dataclass
class FocusGroup:
    """The actions of one focus area on the plan page (``focus_area`` None: no area, or one the reader
    may not read — its name is not shown)."""

    focus_area: FocusArea | None
    actions: list[Action] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.focus_area.title if self.focus_area else str(_("Utan fokusområde"))

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for action in self.actions:
            counts[action.get_status_display()] = counts.get(action.get_status_display(), 0) + 1
        return sorted(counts.items())


def plan_actions(*, user: Any, plan: ActionPlan) -> QuerySet[Action]:
    """The plan's actions the user may read, with what their rows show."""
    return (
        Action.objects.visible_to(user)
        .filter(plan=plan)
        .select_related("responsible", "focus_area")
        .prefetch_related(
            Prefetch(
                "indicators", queryset=ActionIndicator.objects.visible_to(user), to_attr="shown_indicators"
            )
        )
        .order_by("number")
    )


def plan_overview(*, user: Any, plan: ActionPlan) -> list[FocusGroup]:
    """The plan as its page shows it: actions grouped by focus area (in the agreement's order), each with
    status; an area the reader may not read is not named. Begränsad rows shown are logged."""
    actions = list(plan_actions(user=user, plan=plan))
    readable = {area.pk: area for area in readable_focus_areas(user=user, collaboration=plan.collaboration)}
    groups: dict[int | None, FocusGroup] = {}
    for action in actions:
        area = readable.get(action.focus_area_id) if action.focus_area_id else None
        key = area.pk if area else None
        groups.setdefault(key, FocusGroup(focus_area=area)).actions.append(action)
    order = list(readable)
    record_reads(user, [*actions, *(i for a in actions for i in a.shown_indicators)])  # type: ignore[attr-defined]
    return sorted(groups.values(), key=lambda g: order.index(g.focus_area.pk) if g.focus_area else len(order))
