"""Reads of action plans: the list, one plan, and the plan as its page shows it (grouped by focus area)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from samverkan.actions.models import Action, ActionIndicator, ActionPlan, PlanVersion
from samverkan.actions.selectors.cache import cached_shown
from samverkan.actions.selectors.versions import version_list
from samverkan.agreements.models import Agreement, FocusArea
from samverkan.core.models import Collaboration, Level
from samverkan.core.selectors import get_for_user, parse_id
from samverkan.core.visibility import ShownRow, record_reads, shown_rows


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


def readable_agreements(*, user: Any, collaboration: Collaboration | int) -> QuerySet[Agreement]:
    return Agreement.objects.visible_to(user).filter(collaboration=collaboration).order_by("-start_date")


def readable_focus_areas(*, user: Any, collaboration: Collaboration | int) -> QuerySet[FocusArea]:
    return (
        FocusArea.objects.visible_to(user)
        .filter(collaboration=collaboration)
        .select_related("agreement")
        .order_by("agreement__start_date", "order", "pk")
    )


@dataclass(frozen=True)
class PlanRow:
    """One action as the plan page lists it: plain values (a plan has up to 200 actions)."""

    pk: int
    number: int
    title: str
    kind: str
    horizon: str
    responsible: str
    start_date: dt.date | None
    end_date: dt.date | None
    status: str
    level: str
    restricted_to: str
    indicator_count: int
    focus_area_id: int | None


@dataclass
class FocusGroup:
    """The actions of one focus area on the plan page (``focus_area`` None: no area, or one the reader
    may not read — its name is not shown)."""

    focus_area: FocusArea | None
    actions: list[PlanRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.focus_area.title if self.focus_area else str(_("Utan fokusområde"))

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        by_status = Counter(action.status for action in self.actions)
        return sorted((str(Action.Status(status).label), n) for status, n in by_status.items())


def plan_rows(*, user: Any, plan: ActionPlan) -> list[PlanRow]:
    """The plan's actions the user may read as plain rows, with how many of their indicators the user may
    read; begränsad actions and indicators counted are logged (from ids kept with the rows) on every
    call, the rows themselves shared by readers of one standing until the collaboration changes."""
    return cached_shown(
        "plan-rows-shown",  # a new name for a new shape (a shared cache may hold the old)
        user,
        plan.collaboration_id,
        (plan.pk,),
        lambda: _rows_shown(plan, *_plan_rows(user, plan)),
        memo=True,
    )


def _rows_shown(
    plan: ActionPlan, rows: list[PlanRow], restricted_indicators: list[ShownRow]
) -> tuple[list[PlanRow], list[ShownRow]]:
    """The rows and the begränsad rows they show: their actions and the indicators counted."""
    actions = [(Action, r.pk, plan.collaboration_id) for r in rows if r.level == Level.BEGRANSAD]
    return rows, [*actions, *restricted_indicators]


def _plan_rows(user: Any, plan: ActionPlan) -> tuple[list[PlanRow], list[ShownRow]]:
    """The rows, and the begränsad indicators counted (as values: logged on every view of the rows)."""
    actions = Action.objects.visible_to(user).filter(plan=plan)
    counts: dict[int, int] = {}
    restricted_indicators = False
    for action_id, level, n in (
        ActionIndicator.objects.visible_to(user)
        .filter(action__in=actions)
        .order_by()
        .values_list("action_id", "level")
        .annotate(n=Count("id"))
    ):
        counts[action_id] = counts.get(action_id, 0) + n
        restricted_indicators = restricted_indicators or level == Level.BEGRANSAD
    counted: list[ShownRow] = []
    if restricted_indicators:
        counted = [
            (ActionIndicator, pk, collaboration_id)
            for pk, collaboration_id in ActionIndicator.objects.visible_to(user)
            .filter(action__in=actions, level=Level.BEGRANSAD)
            .values_list("pk", "collaboration_id")
        ]
    rows = [
        PlanRow(
            pk=pk,
            number=number,
            title=title,
            kind=kind,
            horizon=horizon,
            responsible=responsible,
            start_date=start_date,
            end_date=end_date,
            status=status,
            level=level,
            restricted_to=restricted_to,
            indicator_count=counts.get(pk, 0),
            focus_area_id=focus_area_id,
        )
        for (
            pk,
            number,
            title,
            kind,
            horizon,
            responsible,
            start_date,
            end_date,
            status,
            level,
            restricted_to,
            focus_area_id,
        ) in actions.order_by("number").values_list(
            "id",
            "number",
            "title",
            "kind",
            "horizon",
            "responsible__name",
            "start_date",
            "end_date",
            "status",
            "level",
            "restricted_to",
            "focus_area_id",
        )
    ]
    return rows, counted


def plan_overview(*, user: Any, plan: ActionPlan) -> list[FocusGroup]:
    """The plan as its page shows it: actions grouped by focus area (in the agreement's order), each with
    status; an area the reader may not read is not named. Begränsad rows shown are logged."""
    return _groups(user, plan, plan_rows(user=user, plan=plan))


def _groups(user: Any, plan: ActionPlan, rows: list[PlanRow]) -> list[FocusGroup]:
    # By the plan's collaboration id: the plan as read does not carry its collaboration (a query).
    areas = readable_focus_areas(user=user, collaboration=plan.collaboration_id)
    readable = {area.pk: area for area in areas}
    groups: dict[int | None, FocusGroup] = {}
    for row in rows:
        area = readable.get(row.focus_area_id) if row.focus_area_id else None
        key = area.pk if area else None
        groups.setdefault(key, FocusGroup(focus_area=area)).actions.append(row)
    order = list(readable)
    return sorted(groups.values(), key=lambda g: order.index(g.focus_area.pk) if g.focus_area else len(order))


@dataclass(frozen=True)
class PlanPage:
    """What the plan page shows of a plan beside its own row, for one reader's standing: the actions by
    focus area, the latest decided version, the agreement if the reader may read it, and the begränsad
    rows among them (actions, the indicators counted, the agreement), as values: the caller logs them on
    every view (``core.visibility``)."""

    groups: list[FocusGroup]
    latest_version: PlanVersion | None
    agreement: Agreement | None
    restricted: list[ShownRow]

    @property
    def action_count(self) -> int:
        return sum(len(group.actions) for group in self.groups)


def plan_page(*, user: Any, plan: ActionPlan) -> PlanPage:
    """The plan page's content for this reader, not logged (it is built to be cached per standing: the
    caller logs ``restricted`` whenever it is shown). Every row it reads is owned by the plan's
    collaboration, so the collaboration's revision moves with any of them (``selectors.cache``)."""
    rows, shown = _rows_shown(plan, *_plan_rows(user, plan))
    agreement = (
        readable_agreements(user=user, collaboration=plan.collaboration_id)
        .filter(pk=plan.agreement_id)
        .first()
        if plan.agreement_id
        else None
    )
    return PlanPage(
        groups=_groups(user, plan, rows),
        latest_version=version_list(user=user, plan=plan).first(),
        agreement=agreement,
        restricted=[*shown, *shown_rows([agreement] if agreement is not None else [])],
    )
