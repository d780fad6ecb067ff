"""Reads of actions: one action with what hangs off it, the causes and problems it may be tied to, the
SMART hints beside its form, and the API's queryset."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samverkan.actions.models import Action, ActionIndicator, ActionPlan, WorkOrder
from samverkan.agreements.models import FocusArea
from samverkan.analysis.models import Cause, Problem
from samverkan.core.models import Collaboration, Person
from samverkan.core.selectors import get_for_user, parse_id
from samverkan.core.visibility import record_reads


def action_queryset(user: Any) -> QuerySet[Action]:
    """Actions the user may read, with their readable links prefetched (``shown_*``) and whether the
    focus area they name may be named."""
    return (
        Action.objects.visible_to(user)
        .select_related("plan", "responsible", "contact")
        .annotate(
            focus_area_visible=Exists(
                FocusArea.objects.visible_to(user).filter(pk=OuterRef("focus_area_id"))
            ),
            plan_visible=Exists(ActionPlan.objects.visible_to(user).filter(pk=OuterRef("plan_id"))),
        )
        .prefetch_related(
            Prefetch("causes", queryset=Cause.objects.visible_to(user), to_attr="shown_causes"),
            Prefetch("problems", queryset=Problem.objects.visible_to(user), to_attr="shown_problems"),
            "partners",
            Prefetch(
                "indicators",
                queryset=ActionIndicator.objects.visible_to(user).select_related("indicator", "kommun"),
                to_attr="shown_indicators",
            ),
        )
        .order_by("plan_id", "number")
    )


def record_linked_reads(user: Any, actions: list[Action]) -> None:
    """Log the begränsad causes, problems and indicators shown with actions (the actions themselves are
    logged by ``get_for_user`` or the API's paginator)."""
    record_reads(
        user,
        [
            row
            for action in actions
            for attr in ("shown_causes", "shown_problems", "shown_indicators")
            for row in getattr(action, attr, [])
        ],
    )


def _one(queryset: QuerySet[Action], user: Any, pk: Any, *, shown: bool) -> Action:
    if shown:
        action = get_for_user(queryset, user, pk)
        record_linked_reads(user, [action])
        return action
    number = parse_id(pk)
    row = queryset.filter(pk=number).first() if number else None
    if row is None:
        raise Http404
    return row


def get_action_for_user(user: Any, collaboration: Collaboration, pk: Any, *, shown: bool = True) -> Action:
    """One action of the collaboration the user may read (else 404), with its readable causes, problems
    and indicators; begränsad rows shown are logged (``shown=False``: looked up to be changed)."""
    return _one(action_queryset(user).filter(collaboration=collaboration), user, pk, shown=shown)


def get_action(user: Any, pk: Any, *, shown: bool = False) -> Action:
    """An action in any of the user's collaborations (the API's paths carry no collaboration)."""
    return _one(action_queryset(user).select_related("collaboration"), user, pk, shown=shown)


def action_work_orders(*, user: Any, action: Action) -> list[WorkOrder]:
    orders = list(
        WorkOrder.objects.visible_to(user)
        .filter(action=action)
        .select_related("organisation")
        .order_by("status", "due_on", "pk")
    )
    record_reads(user, orders)
    return orders


def cause_choices(*, user: Any, collaboration: Collaboration) -> QuerySet[Cause]:
    """The causes an action may address: those of the collaboration's problems the user may read."""
    return (
        Cause.objects.visible_to(user)
        .filter(collaboration=collaboration, problem__in=Problem.objects.visible_to(user))
        .select_related("problem")
        .order_by("problem__title", "problem_id", "order", "pk")
    )


def problem_choices(*, user: Any, collaboration: Collaboration) -> QuerySet[Problem]:
    return Problem.objects.visible_to(user).filter(collaboration=collaboration).order_by("title", "pk")


def contact_choices(*, collaboration: Collaboration) -> QuerySet[Person]:
    """People of the collaboration's aktörer (a contact person is named to members, not published)."""
    organisations = collaboration.participations.values("organisation_id")
    return Person.objects.filter(organisations__in=organisations).distinct().order_by("name")


# --- SMART: advice beside the form, never a gate ------------------------------------------------------


@dataclass(frozen=True)
class SmartHint:
    key: str
    title: Promise
    hint: Promise
    note: Promise | None = None


def smart_hints(action: Action | None, *, indicator_count: int | None = None) -> list[SmartHint]:
    """The five SMART questions with a one-line hint each and, where the action's data says so, a note
    (no end date, no indicator, no cause tied)."""
    if action is not None and indicator_count is None:
        indicator_count = len(getattr(action, "shown_indicators", None) or action.indicators.all())
    has_cause = action is not None and action.pk is not None and action.causes.exists()
    return [
        SmartHint(
            "specifik",
            _("Specifik"),
            _("Vad ska göras, var och för vem? Knyt åtgärden till en orsak i analysen."),
            _("ingen orsak kopplad") if action is not None and not has_cause else None,
        ),
        SmartHint(
            "matbar",
            _("Mätbar"),
            _("Hur märks det att åtgärden fungerar? Ange en indikator med utgångsvärde och mål."),
            _("ingen indikator") if action is not None and not indicator_count else None,
        ),
        SmartHint(
            "accepterad",
            _("Accepterad"),
            _("Står den ansvariga organisationen bakom åtgärden och har den en kontaktperson?"),
            _("ingen kontaktperson") if action is not None and action.contact_id is None else None,
        ),
        SmartHint(
            "realistisk",
            _("Realistisk"),
            _("Räcker timmarna och pengarna? Uppskatta planerad tid och kostnad."),
            _("ingen tid eller kostnad uppskattad")
            if action is not None and action.planned_hours is None and action.planned_cost is None
            else None,
        ),
        SmartHint(
            "tidsatt",
            _("Tidsatt"),
            _("När börjar åtgärden och när ska den vara klar?"),
            _("inget slutdatum") if action is not None and action.end_date is None else None,
        ),
    ]


def hidden_links(*, user: Any, action: Action) -> tuple[list[Cause], list[Problem]]:
    """The causes and problems the action is tied to that this editor may not read: an edit keeps them
    (the form offers only what the editor reads, and must not untie the rest)."""
    causes = list(action.causes.exclude(pk__in=Cause.objects.visible_to(user).values("pk")))
    problems = list(action.problems.exclude(pk__in=Problem.objects.visible_to(user).values("pk")))
    return causes, problems


def plan_action_choices(*, user: Any, collaboration: Collaboration) -> QuerySet[Action]:
    """Actions a work order may belong to: the collaboration's that the user may read."""
    return Action.objects.visible_to(user).filter(collaboration=collaboration).order_by("plan_id", "number")
