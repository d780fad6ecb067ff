"""Actions (åtgärder) of the action plan: list and create per collaboration, read, change and remove one.

Every member reads what their role may; the samordnare writes (permissions.can_edit_action_plan). A link
to a row the reader may not read (a cause, a problem, a focus area, the plan) is left out or null.
"""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Status
from ninja.pagination import paginate

from samverkan.actions.models import Action, ActionIndicator
from samverkan.actions.selectors import actions as action_selectors
from samverkan.actions.selectors import plan as plan_selectors
from samverkan.actions.services import actions as action_services
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.apikit import (
    DEFAULT_ROLES,
    Amount,
    ConfidentialOut,
    ContractRouter,
    Day,
    Id,
    IdList,
    InSchema,
    Pagination,
    Roles,
    Text,
    Version,
    level_changes,
    named_choices,
    organisation_ref,
    patch_fields,
    plain,
    require,
    take_version,
    version_in,
    version_out,
)
from samverkan.core.models import Collaboration, Level, Organisation

if TYPE_CHECKING:
    ActionKind = Action.Kind
    ActionHorizon = Action.Horizon
    ActionStatus = Action.Status
else:
    ActionKind = named_choices("ActionKind", Action.Kind)
    ActionHorizon = named_choices("ActionHorizon", Action.Horizon)
    ActionStatus = named_choices("ActionStatus", Action.Status)


class ActionIndicatorOut(ConfidentialOut):
    id: int
    name: str
    unit: str
    source: str
    indicator: str | None = Field(
        None, description="Koden för indikatorn i statistiken, om den hämtas därifrån."
    )
    kommun: str | None = Field(None, alias="kommun_id")
    baseline: Decimal | None
    baseline_on: dt.date | None
    target: Decimal | None
    target_on: dt.date | None
    direction: str
    version: int = version_out()

    @staticmethod
    def resolve_indicator(obj: ActionIndicator) -> str | None:
        return obj.indicator.code if obj.indicator else None


class ActionOut(ConfidentialOut):
    id: int
    collaboration: int = Field(..., alias="collaboration_id")
    plan: int | None = Field(..., description="Planen, om du får läsa den.")
    number: int
    title: str
    description: str
    kind: str
    horizon: str
    focus_area: int | None
    causes: list[int] = Field(..., description="Orsakerna du får läsa.")
    problems: list[int] = Field(..., description="Problemen du får läsa.")
    no_analysis_reason: str
    responsible: int = Field(..., alias="responsible_id")
    responsible_name: str
    contact: int | None = Field(None, alias="contact_id")
    partners: list[int]
    start_date: dt.date | None
    end_date: dt.date | None
    expected_effect: str
    planned_hours: Decimal | None
    planned_cost: Decimal | None
    status: str
    indicators: list[ActionIndicatorOut]
    version: int = version_out()

    @staticmethod
    def resolve_plan(obj: Action) -> int | None:
        return obj.plan_id if getattr(obj, "plan_visible", False) else None

    @staticmethod
    def resolve_focus_area(obj: Action) -> int | None:
        return obj.focus_area_id if getattr(obj, "focus_area_visible", False) else None

    @staticmethod
    def resolve_causes(obj: Action) -> list[int]:
        return [c.pk for c in obj.shown_causes]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_problems(obj: Action) -> list[int]:
        return [p.pk for p in obj.shown_problems]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_responsible_name(obj: Action) -> str:
        return obj.responsible.name

    @staticmethod
    def resolve_partners(obj: Action) -> list[int]:
        return sorted(o.pk for o in obj.partners.all())

    @staticmethod
    def resolve_indicators(obj: Action) -> list[ActionIndicator]:
        return list(obj.shown_indicators)  # type: ignore[attr-defined]


class ActionIn(InSchema):
    plan: Id
    title: str = Field(..., min_length=1, max_length=200)
    description: Text = ""
    kind: ActionKind = ActionKind.SITUATIONELL
    horizon: ActionHorizon = ActionHorizon.KORT
    focus_area: Id | None = None
    causes: IdList = Field(
        [], description="Orsaker som åtgärden riktar sig mot (minst en, eller no_analysis_reason)."
    )
    problems: IdList = []
    no_analysis_reason: Text = ""
    responsible: Id | None = Field(
        None, description="Den ansvariga organisationen (krävs; en aktör i samverkan)."
    )
    contact: Id | None = None
    partners: IdList = []
    start_date: Day | None = None
    end_date: Day | None = None
    expected_effect: Text = ""
    planned_hours: Amount | None = None
    planned_cost: Amount | None = None
    status: ActionStatus = ActionStatus.PLANERAD
    level: Level = Level.INTERN
    restricted_to: Roles = DEFAULT_ROLES


class ActionPatch(InSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: Text | None = None
    kind: ActionKind | None = None
    horizon: ActionHorizon | None = None
    focus_area: Id | None = None
    causes: IdList | None = Field(None, description="Ersätter kopplingarna.")
    problems: IdList | None = None
    no_analysis_reason: Text | None = None
    responsible: Id | None = None
    contact: Id | None = None
    partners: IdList | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    expected_effect: Text | None = None
    planned_hours: Amount | None = None
    planned_cost: Amount | None = None
    status: ActionStatus | None = None
    level: Level | None = None
    restricted_to: Roles | None = None
    version: int | None = version_in()


router = ContractRouter(tags=["Åtgärdsplan"], operation_ids="samverkan_api_routers_actions")


class ActionPagination(Pagination):
    """A page of actions; the begränsad causes, problems and indicators shown with them are logged too."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: Any, **params: Any) -> Any:
        result = super().paginate_queryset(queryset, pagination, request, **params)
        action_selectors.record_linked_reads(request.user, result["items"])
        return result


def _refs(user: Any, collaboration: Collaboration, data: dict[str, Any]) -> None:
    """Ids in the body as rows of the collaboration the user may read; anything else is a 422."""
    if "causes" in data:
        ids = set(data["causes"])
        found = list(
            action_selectors.cause_choices(user=user, collaboration=collaboration).filter(pk__in=ids)
        )
        if len(found) != len(ids):
            raise ValidationError({"causes": _("Orsaken finns inte bland samverkans orsaker.")})
        data["causes"] = found
    if "problems" in data:
        ids = set(data["problems"])
        found_problems = list(
            action_selectors.problem_choices(user=user, collaboration=collaboration).filter(pk__in=ids)
        )
        if len(found_problems) != len(ids):
            raise ValidationError({"problems": _("Problemet finns inte bland samverkans problem.")})
        data["problems"] = found_problems
    if "partners" in data:
        data["partners"] = _organisations(user, collaboration, data["partners"], "partners")
    if "responsible" in data:
        data["responsible"] = organisation_ref(user, collaboration, data["responsible"], "responsible")
    if data.get("contact") is not None:
        contact = (
            action_selectors.contact_choices(collaboration=collaboration).filter(pk=data["contact"]).first()
        )
        if contact is None:
            raise ValidationError(
                {"contact": _("Kontaktpersonen hör inte till någon av samverkans aktörer.")}
            )
        data["contact"] = contact
    if data.get("focus_area") is not None:
        area = (
            plan_selectors.readable_focus_areas(user=user, collaboration=collaboration)
            .filter(pk=data["focus_area"])
            .first()
        )
        if area is None:
            raise ValidationError({"focus_area": _("Fokusområdet finns inte i samverkan.")})
        data["focus_area"] = area


def _organisations(user: Any, collaboration: Collaboration, ids: list[int], field: str) -> list[Organisation]:
    """The organisations named by id, all taking part in the collaboration, read in one query."""
    wanted = set(ids)
    found = list(
        core_selectors.organisation_list(user=user, collaboration=collaboration).filter(pk__in=wanted)
    )
    if len(found) != len(wanted):
        raise ValidationError({field: _("Okänd organisation.")})
    return found


def _current(action: Action) -> dict[str, Any]:
    return {
        "title": action.title,
        "description": action.description,
        "kind": action.kind,
        "horizon": action.horizon,
        "focus_area": action.focus_area,
        "causes": list(action.causes.all()),
        "problems": list(action.problems.all()),
        "no_analysis_reason": action.no_analysis_reason,
        "responsible": action.responsible,
        "contact": action.contact,
        "partners": list(action.partners.all()),
        "start_date": action.start_date,
        "end_date": action.end_date,
        "expected_effect": action.expected_effect,
        "planned_hours": action.planned_hours,
        "planned_cost": action.planned_cost,
        "status": action.status,
    }


@router.get("/collaborations/{collaboration_id}/actions", response=list[ActionOut])
@paginate(ActionPagination)
def action_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    collaboration_id: Id,
    plan: Id | None = None,
    status: ActionStatus | None = None,
):
    """Samverkans åtgärder som du får läsa, i planens ordning."""
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    queryset = action_selectors.action_queryset(request.user).filter(collaboration=collaboration)
    if plan is not None:
        queryset = queryset.filter(plan_id=plan)
    if status:
        queryset = queryset.filter(status=status.value)
    return queryset


@router.post("/collaborations/{collaboration_id}/actions", response={201: ActionOut})
def action_create(request: HttpRequest, collaboration_id: Id, payload: ActionIn) -> Status:
    """Ny åtgärd i en plan (samordnare). Den numreras som nästa i planen."""
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_action_plan
    )
    data = plain(payload.dict())
    plan = plan_selectors.get_plan(request.user, data.pop("plan"))
    if plan.collaboration_id != collaboration.pk:
        raise ValidationError({"plan": _("Planen hör till en annan samverkan.")})
    _refs(request.user, collaboration, data)
    action = action_services.action_save(plan=plan, acting_user=request.user, **data)
    return Status(201, action_selectors.get_action(request.user, action.pk, shown=True))


@router.get("/actions/{action_id}", response=ActionOut)
def action_detail(request: HttpRequest, action_id: Id) -> Action:
    return action_selectors.get_action(request.user, action_id, shown=True)


@router.patch("/actions/{action_id}", response=ActionOut)
def action_update(request: HttpRequest, action_id: Id, payload: ActionPatch) -> Action:
    """Ändra åtgärden (samordnare). Skicka med `version` från GET: har någon annan sparat sedan dess blir
    svaret 409 och inget sparas. Listor (causes, problems, partners) ersätter kopplingarna."""
    action = action_selectors.get_action(request.user, action_id)
    require(permissions.can_edit_action_plan(request.user, action.collaboration))
    data = patch_fields(
        payload,
        nullable=(
            "focus_area",
            "contact",
            "start_date",
            "end_date",
            "planned_hours",
            "planned_cost",
            "responsible",
        ),
    )
    version = take_version(data)
    level = level_changes(data, action)
    _refs(request.user, action.collaboration, data)
    merged = {**_current(action), **data}
    # Causes and problems the writer may not read stay tied: a PATCH replaces only what the writer sees.
    hidden_causes, hidden_problems = action_selectors.hidden_links(user=request.user, action=action)
    if "causes" in data:
        merged["causes"] = [*data["causes"], *hidden_causes]
    if "problems" in data:
        merged["problems"] = [*data["problems"], *hidden_problems]
    action_services.action_save(
        plan=action.plan, action=action, acting_user=request.user, version=version, **level, **merged
    )
    return action_selectors.get_action(request.user, action_id, shown=True)


@router.delete("/actions/{action_id}", response={204: None})
def action_delete(request: HttpRequest, action_id: Id, version: Version | None = None) -> Status:
    """Ta bort åtgärden (samordnare), med dess indikatorer, uppföljningar och uppdrag. Med `?version=`
    tas den bara bort om ingen annan har ändrat den sedan dess (annars 409)."""
    action = action_selectors.get_action(request.user, action_id)
    require(permissions.can_edit_action_plan(request.user, action.collaboration))
    action_services.action_delete(action=action, acting_user=request.user, version=version)
    return Status(204, None)
