"""The action plan of an agreement period: its text and period, and deciding it (fastställa) as a version.

Deciding freezes the plan as the group decided it: every problem, cause, action and indicator the plan's
actions point to is copied into ``PlanVersionItem`` rows that keep the level and roles of what they were
copied from, so a decided version is read through the same ``visible_to`` as the live plan. Later edits
change the live plan only; deciding again makes the next version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from samverkan.actions.models import Action, ActionIndicator, ActionPlan, PlanVersion, PlanVersionItem
from samverkan.agreements.models import Agreement
from samverkan.analysis.models import Cause, Problem
from samverkan.core.audit import audit_change, snapshot
from samverkan.core.content import apply_level, content_save, guard_public_text
from samverkan.core.models import AuditEntry, Collaboration
from samverkan.core.permissions import can_edit_action_plan

DECIDED_BY_MAX = 300


def require_plan_editor(user: Any, collaboration: Collaboration) -> None:
    if not can_edit_action_plan(user, collaboration):
        raise PermissionDenied


@transaction.atomic
def plan_save(
    *,
    collaboration: Collaboration,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    description: str = "",
    agreement: Agreement | None = None,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    plan: ActionPlan | None = None,
    acting_user: Any,
    version: int | None = None,
) -> ActionPlan:
    """Create a plan, or change ``plan`` from its ``version`` (EditConflict if someone saved since)."""
    require_plan_editor(acting_user, collaboration)
    if agreement is not None and agreement.collaboration_id != collaboration.pk:
        raise ValidationError({"agreement": _("Överenskommelsen hör till en annan samverkan.")})
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})
    before = snapshot(plan) if plan else None
    row = plan or ActionPlan(collaboration=collaboration)
    row.title, row.description, row.start_date, row.end_date = title, description, start_date, end_date
    row.agreement = agreement
    apply_level(row, user=acting_user, collaboration=collaboration, level=level, restricted_to=restricted_to)
    content_save(row, acting_user=acting_user, before=before, expected_version=version)
    return row


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value.normalize())


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def freeze_items(plan: ActionPlan, version: PlanVersion) -> list[PlanVersionItem]:
    """Every part of the plan as it is now, one item each with its source's level (unsaved)."""
    actions = list(
        Action.objects.filter(plan=plan)
        .select_related("responsible", "contact", "focus_area")
        .prefetch_related("causes", "problems", "partners")
        .order_by("number")
    )
    cause_ids = {c.pk for a in actions for c in a.causes.all()}
    problem_ids = {p.pk for a in actions for p in a.problems.all()}
    causes = list(Cause.objects.filter(pk__in=cause_ids).order_by("problem_id", "order", "pk"))
    problem_ids |= {c.problem_id for c in causes}
    problems = list(Problem.objects.filter(pk__in=problem_ids).order_by("title", "pk"))
    indicators = list(
        ActionIndicator.objects.filter(action__plan=plan)
        .select_related("indicator", "kommun")
        .order_by("action__number", "order", "pk")
    )
    items: list[PlanVersionItem] = []

    def add(source: Any, kind: str, data: dict[str, Any]) -> None:
        items.append(
            PlanVersionItem(
                collaboration_id=plan.collaboration_id,
                version=version,
                kind=kind,
                source_id=source.pk,
                order=len(items),
                level=source.level,
                restricted_to=source.restricted_to,
                data=data,
            )
        )

    for problem in problems:
        add(
            problem,
            PlanVersionItem.Kind.PROBLEM,
            {
                "title": problem.title,
                "description": problem.description,
                "area_code": problem.area_code,
                "priority": problem.priority,
            },
        )
    for cause in causes:
        add(
            cause,
            PlanVersionItem.Kind.ORSAK,
            {
                "text": cause.text,
                "bone": cause.bone,
                "problem": cause.problem_id,
                "parent": cause.parent_id,
            },
        )
    for action in actions:
        add(
            action,
            PlanVersionItem.Kind.ATGARD,
            {
                "number": action.number,
                "title": action.title,
                "description": action.description,
                "kind": action.kind,
                "horizon": action.horizon,
                "focus_area": action.focus_area_id,
                "causes": sorted(c.pk for c in action.causes.all()),
                "problems": sorted(p.pk for p in action.problems.all()),
                "no_analysis_reason": action.no_analysis_reason,
                "responsible": action.responsible.name,
                "partners": sorted(o.name for o in action.partners.all()),
                "start_date": _day(action.start_date),
                "end_date": _day(action.end_date),
                "expected_effect": action.expected_effect,
                "planned_hours": _number(action.planned_hours),
                "planned_cost": _number(action.planned_cost),
                "status": action.status,
            },
        )
    for indicator in indicators:
        add(
            indicator,
            PlanVersionItem.Kind.INDIKATOR,
            {
                "action": indicator.action_id,
                "name": indicator.name,
                "unit": indicator.unit,
                "source": indicator.source,
                "indicator": indicator.indicator.code if indicator.indicator else None,
                "kommun": indicator.kommun_id,
                "baseline": _number(indicator.baseline),
                "baseline_on": _day(indicator.baseline_on),
                "target": _number(indicator.target),
                "target_on": _day(indicator.target_on),
                "direction": indicator.direction,
            },
        )
    return items


def _guarded(items: list[PlanVersionItem]) -> list[PlanVersionItem]:
    """The frozen parts, refused (each offending part named) if one holds what the guard refuses now.

    As agreeing a joint picture does: a row written before a rule existed may still hold a personnummer,
    and the decided record is refused rather than masked, so the text is changed where it was written.
    """
    problems = []
    for item in items:
        try:
            guard_public_text(item)
        except ValidationError as error:
            name = next((str(item.data[k]) for k in ("title", "text", "name") if item.data.get(k)), "")
            if item.kind == PlanVersionItem.Kind.ATGARD:
                name = f"{item.data['number']}. {name}"
            part = f"{item.get_kind_display()} ”{name[:80]}”"
            problems.append(_("%(part)s: %(problem)s") % {"part": part, "problem": " ".join(error.messages)})
    if problems:
        raise ValidationError(
            [_("Åtgärdsplanen kan inte fastställas förrän texten är ändrad där den skrevs."), *problems]
        )
    return items


@transaction.atomic
def plan_decide(*, plan: ActionPlan, decided_on: dt.date, decided_by: str, acting_user: Any) -> PlanVersion:
    """Decide (fastställ) the plan: freeze every part at its own level as version n+1; status fastställd."""
    require_plan_editor(acting_user, plan.collaboration)
    decided_by = (decided_by or "").strip()
    errors = {}
    if not decided_by:
        errors["decided_by"] = _("Ange vem som fastställde planen, till exempel ”Kommunstyrelsen, § 45”.")
    elif len(decided_by) > DECIDED_BY_MAX:
        errors["decided_by"] = _("Högst %(max)s tecken.") % {"max": DECIDED_BY_MAX}
    if not isinstance(decided_on, dt.date):
        errors["decided_on"] = _("Ange datum för beslutet.")
    if errors:
        raise ValidationError(errors)
    # Locks the plan so two samordnare deciding at once get numbers n+1 and n+2.
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.actions.exists():
        raise ValidationError(_("Planen har inga åtgärder att fastställa."))
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PlanVersion(
        collaboration_id=plan.collaboration_id,
        plan=plan,
        number=number,
        decided_on=decided_on,
        decided_by=decided_by,
        recorded_by=acting_user,
    )
    guard_public_text(version)
    version.full_clean()
    version.save()
    items = PlanVersionItem.objects.bulk_create(_guarded(freeze_items(plan, version)))
    if plan.status != ActionPlan.Status.FASTSTALLD:
        before = snapshot(plan)
        plan.status = ActionPlan.Status.FASTSTALLD
        plan.save(update_fields=["status", "updated_at"])
        audit_change(
            actor=acting_user, action=AuditEntry.Action.UPDATE, obj=plan, before=before, after=snapshot(plan)
        )
    after = snapshot(version)
    after["items"] = len(items)
    audit_change(actor=acting_user, action=AuditEntry.Action.CREATE, obj=version, after=after)
    return version
