"""What one reader may see of an action plan, gathered once for the spreadsheet (and its CSV)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from samverkan.actions.models import Action, ActionIndicator, ActionPlan, FollowUp
from samverkan.agreements.models import FocusArea
from samverkan.analysis.models import Cause
from samverkan.core.models import Collaboration
from samverkan.core.visibility import record_reads


@dataclass
class PlanSheet:
    """The plan's actions with their follow-ups and indicators, each list already read through the rule."""

    plan: ActionPlan
    actions: list[Action] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)
    indicators: list[ActionIndicator] = field(default_factory=list)
    # action id → the causes this reader may read
    causes: dict[int, list[Cause]] = field(default_factory=dict)
    focus_area_ids: set[int] = field(default_factory=set)  # the focus areas this reader may read

    def focus_area_title(self, action: Action) -> str:
        readable = action.focus_area_id in self.focus_area_ids and action.focus_area is not None
        return action.focus_area.title if readable and action.focus_area else ""


def plan_sheet(plan: ActionPlan, *, user: Any) -> PlanSheet:
    """Everything of ``plan`` that ``user`` may read: the actions, and of those the follow-ups, indicators and
    causes the user may read too. One audit entry names every begränsad row included."""
    # The level (and roles) too: the audit log reads them, and a deferred field is one query per cause.
    causes = Cause.objects.visible_to(user).only("id", "text", "problem_id", "level", "restricted_to")
    actions = list(
        Action.objects.visible_to(user)
        .filter(plan=plan)
        .select_related("responsible", "contact", "focus_area")
        .prefetch_related("partners", Prefetch("causes", queryset=causes, to_attr="readable_causes"))
        .order_by("number")
    )
    by_id = {a.pk: a for a in actions}
    followups = list(
        FollowUp.objects.visible_to(user)
        .filter(action_id__in=list(by_id))
        .order_by("action__number", "followed_up_on", "id")
    )
    indicators = list(
        ActionIndicator.objects.visible_to(user)
        .filter(action_id__in=list(by_id))
        .select_related("indicator", "kommun")
        .order_by("action__number", "order", "id")
    )
    # Each row's action is one already read, not a copy joined onto every follow-up (2,400 of them).
    for row in (*followups, *indicators):
        row.action = by_id[row.action_id]
    readable_causes = {a.pk: list(a.readable_causes) for a in actions}
    area_ids = {a.focus_area_id for a in actions if a.focus_area_id}
    readable_areas = set(
        FocusArea.objects.visible_to(user).filter(pk__in=area_ids).values_list("pk", flat=True)
    )
    record_reads(
        user,
        [*actions, *followups, *indicators, *(c for cs in readable_causes.values() for c in cs)],
    )
    return PlanSheet(
        plan=plan,
        actions=actions,
        followups=followups,
        indicators=indicators,
        causes=readable_causes,
        focus_area_ids=readable_areas,
    )


def current_plan(user: Any, collaboration: Collaboration) -> ActionPlan:
    """The plan in force today, else the latest one; only plans the user may read (404 without one)."""
    plans = ActionPlan.objects.visible_to(user).filter(collaboration=collaboration)
    today = timezone.localdate()
    plan = (
        plans.filter(start_date__lte=today, end_date__gte=today).order_by("-start_date", "-pk").first()
        or plans.order_by("-start_date", "-pk").first()
    )
    if plan is None:
        raise Http404
    record_reads(user, [plan])
    return plan
