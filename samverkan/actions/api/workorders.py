"""Work orders (arbetsorder): list and give per collaboration, read, change, mark done, remove.

The samordnare writes; a writer acting for the organisation a work order is given to may PATCH its status
to klar (or back to oppen) — nothing else (permissions.can_complete_work_order).
"""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Status
from ninja.pagination import paginate

from samverkan.actions.models import WorkOrder
from samverkan.actions.selectors import actions as action_selectors
from samverkan.actions.selectors import workorders as workorder_selectors
from samverkan.actions.services import workorders as workorder_services
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.apikit import (
    DEFAULT_ROLES,
    ConfidentialOut,
    ContractRouter,
    Day,
    Id,
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
from samverkan.core.models import Collaboration, Level

if TYPE_CHECKING:
    WorkOrderStatus = WorkOrder.Status
else:
    WorkOrderStatus = named_choices("WorkOrderStatus", WorkOrder.Status)

# What a writer of the organisation may change by PATCH (besides the version it edited).
COMPLETION_FIELDS = {"status"}


class WorkOrderOut(ConfidentialOut):
    id: int
    collaboration: int = Field(..., alias="collaboration_id")
    organisation: int = Field(..., alias="organisation_id")
    organisation_name: str
    title: str
    description: str
    due_on: dt.date | None
    due_next_meeting: bool
    action: int | None = Field(..., description="Åtgärden, om du får läsa den.")
    status: str
    done_on: dt.date | None
    version: int = version_out()

    @staticmethod
    def resolve_organisation_name(obj: WorkOrder) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_action(obj: WorkOrder) -> int | None:
        return obj.action_id if getattr(obj, "action_visible", False) else None


class WorkOrderIn(InSchema):
    title: str = Field(..., min_length=1, max_length=200)
    organisation: Id | None = Field(None, description="Organisationen uppdraget ges till (krävs).")
    description: Text = ""
    due_on: Day | None = None
    due_next_meeting: bool = False
    action: Id | None = None
    status: WorkOrderStatus = WorkOrderStatus.OPPEN
    level: Level = Level.INTERN
    restricted_to: Roles = DEFAULT_ROLES


class WorkOrderPatch(InSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    organisation: Id | None = None
    description: Text | None = None
    due_on: Day | None = None
    due_next_meeting: bool | None = None
    action: Id | None = None
    status: WorkOrderStatus | None = None
    level: Level | None = None
    restricted_to: Roles | None = None
    version: int | None = version_in()


router = ContractRouter(tags=["Uppdrag"], operation_ids="samverkan_api_routers_workorders")


def _refs(user: Any, collaboration: Collaboration, data: dict[str, Any]) -> None:
    if "organisation" in data:
        data["organisation"] = organisation_ref(user, collaboration, data["organisation"], "organisation")
    if data.get("action") is not None:
        action = (
            action_selectors.plan_action_choices(user=user, collaboration=collaboration)
            .filter(pk=data["action"])
            .first()
        )
        if action is None:
            raise ValidationError({"action": _("Åtgärden finns inte i samverkan.")})
        data["action"] = action


@router.get("/collaborations/{collaboration_id}/work-orders", response=list[WorkOrderOut])
@paginate(Pagination)
def work_order_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    collaboration_id: Id,
    status: WorkOrderStatus | None = None,
    organisation: Id | None = None,
):
    """Samverkans uppdrag som du får läsa: öppna först, det som brådskar först."""
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    queryset = workorder_selectors.work_order_queryset(request.user).filter(collaboration=collaboration)
    if status:
        queryset = queryset.filter(status=status.value)
    if organisation is not None:
        queryset = queryset.filter(organisation_id=organisation)
    return queryset.order_by("status", "due_next_meeting", "due_on", "pk")


@router.post("/collaborations/{collaboration_id}/work-orders", response={201: WorkOrderOut})
def work_order_create(request: HttpRequest, collaboration_id: Id, payload: WorkOrderIn) -> Status:
    """Ge en organisation ett uppdrag (samordnare), till ett datum eller till nästa möte."""
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_action_plan
    )
    data = plain(payload.dict())
    _refs(request.user, collaboration, data)
    order = workorder_services.work_order_save(collaboration=collaboration, acting_user=request.user, **data)
    return Status(201, workorder_selectors.get_work_order(request.user, order.pk, shown=True))


@router.get("/work-orders/{work_order_id}", response=WorkOrderOut)
def work_order_detail(request: HttpRequest, work_order_id: Id) -> WorkOrder:
    return workorder_selectors.get_work_order(request.user, work_order_id, shown=True)


@router.patch("/work-orders/{work_order_id}", response=WorkOrderOut)
def work_order_update(request: HttpRequest, work_order_id: Id, payload: WorkOrderPatch) -> WorkOrder:
    """Ändra uppdraget (samordnare). Den som företräder organisationen får sätta `status` till `klar`
    (eller tillbaka till `oppen`) och inget annat. Skicka med `version` från GET (409 vid krock)."""
    order = workorder_selectors.get_work_order(request.user, work_order_id)
    data = patch_fields(payload, nullable=("due_on", "action"))
    version = take_version(data)
    if set(data) <= COMPLETION_FIELDS and data.get("status") in (
        WorkOrder.Status.KLAR,
        WorkOrder.Status.OPPEN,
    ):
        workorder_services.work_order_complete(
            work_order=order,
            acting_user=request.user,
            version=version,
            done=data["status"] == WorkOrder.Status.KLAR,
        )
        return workorder_selectors.get_work_order(request.user, work_order_id, shown=True)
    require(permissions.can_edit_action_plan(request.user, order.collaboration))
    level = level_changes(data, order)
    _refs(request.user, order.collaboration, data)
    current = {
        "title": order.title,
        "organisation": order.organisation,
        "description": order.description,
        "due_on": order.due_on,
        "due_next_meeting": order.due_next_meeting,
        "action": order.action,
        "status": order.status,
    }
    workorder_services.work_order_save(
        collaboration=order.collaboration,
        work_order=order,
        acting_user=request.user,
        version=version,
        **level,
        **{**current, **data},
    )
    return workorder_selectors.get_work_order(request.user, work_order_id, shown=True)


@router.delete("/work-orders/{work_order_id}", response={204: None})
def work_order_delete(request: HttpRequest, work_order_id: Id, version: Version | None = None) -> Status:
    order = workorder_selectors.get_work_order(request.user, work_order_id)
    require(permissions.can_edit_action_plan(request.user, order.collaboration))
    workorder_services.work_order_delete(work_order=order, acting_user=request.user, version=version)
    return Status(204, None)
