"""Actions (åtgärder) of a plan: what is done, by whom, when, against which causes, with what effect.

Brå's standing criticism is that actions are not tied to the problems found; so an action names at least
one cause from the collaboration's analysis, or says openly why there is no analysis yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from samverkan.actions.models import Action, ActionPlan
from samverkan.actions.services.indicators import refresh_target_labels
from samverkan.actions.services.plan import require_plan_editor
from samverkan.agreements.models import FocusArea
from samverkan.analysis.models import Cause, Problem
from samverkan.core.audit import audit_change, snapshot
from samverkan.core.conflicts import check_version
from samverkan.core.content import apply_level, claim_version, content_delete, guard_public_text
from samverkan.core.models import AuditEntry, Collaboration, Organisation, Person

# Bounds a plan's figures must keep within: a year of a full-time team is ~100 000 hours.
MAX_HOURS = Decimal("100000")
MAX_COST = Decimal("1000000000")
MAX_LINKS = 200


def _participants(collaboration: Collaboration) -> set[int]:
    return set(collaboration.participations.values_list("organisation_id", flat=True))


def _check_amount(errors: dict[str, str], name: str, value: Decimal | None, maximum: Decimal) -> None:
    if value is None:
        return
    if value < 0:
        errors[name] = _("Ange ett värde som är noll eller mer.")
    elif value > maximum:
        errors[name] = _("Högst %(max)s.") % {"max": f"{maximum:,.0f}".replace(",", " ")}


def _validate(
    *,
    collaboration: Collaboration,
    plan: ActionPlan,
    responsible: Organisation | None,
    partners: list[Organisation],
    contact: Person | None,
    causes: list[Cause],
    problems: list[Problem],
    focus_area: FocusArea | None,
    no_analysis_reason: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    planned_hours: Decimal | None,
    planned_cost: Decimal | None,
    participants: set[int] | None = None,
    contact_ok: dict[int, bool] | None = None,
) -> None:
    """Raise ValidationError naming each field at fault. ``participants`` and ``contact_ok`` (a contact's id
    → whether they belong to a participant) are read once by a caller that validates many actions."""
    errors: dict[str, str] = {}
    if plan.collaboration_id != collaboration.pk:
        errors["plan"] = _("Planen hör till en annan samverkan.")
    if participants is None:
        participants = _participants(collaboration)
    if responsible is None:
        errors["responsible"] = _("Ange vilken organisation som ansvarar för åtgärden.")
    elif responsible.pk not in participants:
        errors["responsible"] = _("Den ansvariga organisationen är inte aktör i samverkan.")
    if any(org.pk not in participants for org in partners):
        errors["partners"] = _("Alla övriga organisationer måste vara aktörer i samverkan.")
    for name, links in (("causes", causes), ("problems", problems), ("partners", partners)):
        if len(links) > MAX_LINKS:
            errors[name] = _("För många kopplingar (högst %(max)s).") % {"max": MAX_LINKS}
    if contact is not None and not _contact_belongs(contact, participants, contact_ok):
        errors["contact"] = _("Kontaktpersonen hör inte till någon av samverkans aktörer.")
    if any(cause.collaboration_id != collaboration.pk for cause in causes):
        errors["causes"] = _("En orsak hör till en annan samverkan.")
    if any(problem.collaboration_id != collaboration.pk for problem in problems):
        errors["problems"] = _("Ett problem hör till en annan samverkan.")
    if focus_area is not None and focus_area.collaboration_id != collaboration.pk:
        errors["focus_area"] = _("Fokusområdet hör till en annan samverkan.")
    if not causes and not no_analysis_reason.strip() and "causes" not in errors:
        errors["causes"] = _(
            "Koppla åtgärden till minst en orsak, eller skriv varför orsaksanalys saknas ännu."
        )
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = _("Slutdatum kan inte vara före startdatum.")
    _check_amount(errors, "planned_hours", planned_hours, MAX_HOURS)
    _check_amount(errors, "planned_cost", planned_cost, MAX_COST)
    if errors:
        raise ValidationError(errors)


def _contact_belongs(contact: Person, participants: set[int], known: dict[int, bool] | None) -> bool:
    if known is not None and contact.pk in known:
        return known[contact.pk]
    belongs = contact.organisations.filter(pk__in=participants).exists()
    if known is not None:
        known[contact.pk] = belongs
    return belongs


def _next_number(plan: ActionPlan) -> int:
    # The plan row is locked first, so two actions added at once get different numbers.
    ActionPlan.objects.select_for_update().filter(pk=plan.pk).first()
    return (Action.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def action_save(
    *,
    plan: ActionPlan,
    title: str,
    responsible: Organisation | None,
    description: str = "",
    kind: str = Action.Kind.SITUATIONELL,
    horizon: str = Action.Horizon.KORT,
    focus_area: FocusArea | None = None,
    causes: Iterable[Cause] = (),
    problems: Iterable[Problem] = (),
    no_analysis_reason: str = "",
    contact: Person | None = None,
    partners: Iterable[Organisation] = (),
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    expected_effect: str = "",
    planned_hours: Decimal | None = None,
    planned_cost: Decimal | None = None,
    status: str = Action.Status.PLANERAD,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    action: Action | None = None,
    acting_user: Any,
    version: int | None = None,
) -> Action:
    """Create an action in ``plan`` (numbered n+1, never renumbered) or change ``action`` from its
    ``version`` (EditConflict if someone saved since). The problems it addresses are those named and
    those of its causes."""
    collaboration = plan.collaboration
    require_plan_editor(acting_user, collaboration)
    causes, partners, problems = list(causes), list(partners), list(problems)
    _validate(
        collaboration=collaboration,
        plan=plan,
        responsible=responsible,
        partners=partners,
        contact=contact,
        causes=causes,
        problems=problems,
        focus_area=focus_area,
        no_analysis_reason=no_analysis_reason,
        start_date=start_date,
        end_date=end_date,
        planned_hours=planned_hours,
        planned_cost=planned_cost,
    )
    assert responsible is not None  # _validate refused a missing one
    before = _with_links(action) if action else None
    row = action or Action(collaboration=collaboration, plan=plan)
    row.title, row.description, row.kind, row.horizon = title, description, kind, horizon
    row.focus_area, row.no_analysis_reason, row.responsible, row.contact = (
        focus_area,
        no_analysis_reason,
        responsible,
        contact,
    )
    row.start_date, row.end_date, row.expected_effect = start_date, end_date, expected_effect
    row.planned_hours, row.planned_cost, row.status = planned_hours, planned_cost, status
    apply_level(row, user=acting_user, collaboration=collaboration, level=level, restricted_to=restricted_to)
    guard_public_text(row)
    if row.pk is None:
        row.number = _next_number(plan)
    row.full_clean(exclude=["number"] if row.pk is None else None)
    claim_version(row, before=before, expected_version=version)
    row.save()
    row.causes.set(causes)
    row.problems.set({*problems, *(cause.problem for cause in causes)})
    row.partners.set(partners)
    if before is not None:
        refresh_target_labels(row)
    audit_change(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE if before is not None else AuditEntry.Action.CREATE,
        obj=row,
        before=before,
        after=_with_links(row),
    )
    return row


def claim_delete(row: Any, expected_version: int | None) -> None:
    """Lock a versioned row before removing it; someone saved it after the writer loaded it: 409 and
    nothing removed (the saved text is shown beside an empty one, as removing it would leave)."""
    check_version(row, expected_version, {"title": ""})


def _with_links(action: Action) -> dict[str, Any]:
    state = snapshot(action)
    state["causes"] = sorted(action.causes.values_list("pk", flat=True))
    state["problems"] = sorted(action.problems.values_list("pk", flat=True))
    state["partners"] = sorted(action.partners.values_list("pk", flat=True))
    return state


@transaction.atomic
def action_delete(*, action: Action, acting_user: Any, version: int | None = None) -> None:
    """Remove an action (its indicators, follow-ups and work orders go with it); its number is not reused
    while a later one exists."""
    require_plan_editor(acting_user, action.collaboration)
    claim_delete(action, version)
    target_lines = [row.target_line for row in action.indicators.exclude(target_line=None)]
    content_delete(action, acting_user=acting_user)
    for line in target_lines:
        if line is not None:
            line.delete()
