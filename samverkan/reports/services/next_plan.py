"""Start next year's plan from an approved evaluation: the loop closes (domain.md, step 6 → step 4).

The new plan is a draft made through the actions app's services, so every rule of plans and actions
(levels, personal data, numbering, audit) holds: it carries the proposals as its introduction and every
action of the year that is still open or was last rated röd or gul, with its causes, problems and level.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.actions.models import Action, ActionPlan, FollowUp, Rating
from samverkan.actions.services.actions import action_save
from samverkan.actions.services.plan import plan_save
from samverkan.core.levels import strictest
from samverkan.core.models import Level
from samverkan.reports.models import EvaluationVersion
from samverkan.reports.services.evaluation import _require_editor, next_year_start
from samverkan.reports.services.facts import agreements_of_year, year_bounds

OPEN_STATUSES = (Action.Status.PLANERAD, Action.Status.PAGAR)


def actions_to_carry(version: EvaluationVersion) -> list[Action]:
    """The year's actions that are still open or whose last rating in the year was röd or gul."""
    year = version.evaluation.year
    first, last = year_bounds(year)
    actions = (
        Action.objects.filter(
            collaboration_id=version.collaboration_id, plan__start_date__lte=last, plan__end_date__gte=first
        )
        .select_related("responsible", "focus_area")
        .prefetch_related("causes", "problems", "partners")
        .order_by("plan__start_date", "number")
    )
    latest: dict[int, str] = {}
    for followup in FollowUp.objects.filter(action__in=actions, followed_up_on__lte=last).order_by(
        "followed_up_on", "pk"
    ):
        latest[followup.action_id] = followup.rating
    return [
        action
        for action in actions
        if action.status in OPEN_STATUSES or latest.get(action.pk) in (Rating.ROD, Rating.GUL)
    ]


@transaction.atomic
def next_plan_start(*, version: EvaluationVersion, acting_user: Any) -> ActionPlan:
    """A draft plan for the year after the evaluated one (only from an approved evaluation)."""
    evaluation = version.evaluation
    collaboration = evaluation.collaboration
    _require_editor(acting_user, collaboration)
    if not version.locked:
        raise ValidationError(_("Nästa års plan startas från en godkänd utvärdering."), code="state")
    start, end = next_year_start(evaluation.year)
    agreements = agreements_of_year(collaboration, evaluation.year + 1) or agreements_of_year(
        collaboration, evaluation.year
    )
    carried = actions_to_carry(version)
    previous = ActionPlan.objects.filter(pk__in={a.plan_id for a in carried}).order_by("-start_date").first()
    # The introduction carries the proposals; the plan is as closed as its strictest part.
    level, roles = strictest([(version.proposals_level, version.section_roles)])
    plan = plan_save(
        collaboration=collaboration,
        title=_("Åtgärdsplan %(year)s") % {"year": evaluation.year + 1},
        start_date=start,
        end_date=end,
        description=version.proposals,
        agreement=agreements[-1] if agreements else None,
        level=level if version.proposals.strip() else Level.INTERN,
        restricted_to=sorted(roles),
        acting_user=acting_user,
    )
    if previous is not None:
        ActionPlan.objects.filter(pk=plan.pk).update(predecessor=previous)
        plan.predecessor = previous
    for action in carried:
        causes = list(action.causes.all())
        action_save(
            plan=plan,
            title=action.title,
            responsible=action.responsible,
            description=action.description,
            kind=action.kind,
            horizon=action.horizon,
            focus_area=action.focus_area,
            causes=causes,
            problems=list(action.problems.all()),
            no_analysis_reason=action.no_analysis_reason
            or ("" if causes else _("Förd vidare från årets utvärdering.")),
            partners=list(action.partners.all()),
            expected_effect=action.expected_effect,
            planned_hours=action.planned_hours,
            planned_cost=action.planned_cost,
            level=action.level,
            restricted_to=sorted(action.restricted_roles),
            acting_user=acting_user,
        )
    return plan
