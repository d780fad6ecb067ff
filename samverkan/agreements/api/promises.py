"""Medborgarlöften (citizen promises) and their activities."""

from typing import Any

from django.http import HttpRequest
from ninja import Status
from ninja.pagination import paginate

from samverkan.agreements import selectors, services
from samverkan.agreements.api.agreements import agreement_refs
from samverkan.agreements.api.schemas import (
    PromiseActivityIn,
    PromiseActivityOut,
    PromiseActivityPatch,
    PromiseDetailOut,
    PromiseIn,
    PromiseOut,
    PromisePatch,
    PromiseStatus,
)
from samverkan.agreements.models import CitizenPromise, PromiseActivity
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.apikit import (
    ContractRouter,
    Id,
    Pagination,
    organisation_ref,
    patch_fields,
    plain,
    require,
)
from samverkan.core.models import Collaboration, Level

router = ContractRouter(tags=["Medborgarlöften"], operation_ids="samverkan_api_routers_promises")

AGREEMENT_REFS = ("agreement", "replaced_by")


def _find_promise(request: HttpRequest, promise_id: int, *, edit: bool = False) -> CitizenPromise:
    promise = selectors.get_promise(request.user, promise_id)
    if edit:
        require(permissions.can_edit_agreements(request.user, promise.collaboration))
    return promise


def _agreement_fields(user: Any, collaboration: Collaboration, data: dict[str, Any]) -> None:
    for name in AGREEMENT_REFS:
        if data.get(name) is not None:
            data[name] = agreement_refs(user, collaboration, [data[name]], name)[0]


@router.get("/promises", response=list[PromiseOut])
@paginate(Pagination)
def promise_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    collaboration: Id | None = None,
    agreement: Id | None = None,
    status: PromiseStatus | None = None,
):
    qs = selectors.promise_queryset(request.user)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if agreement is not None:
        qs = qs.filter(agreement_id=agreement)
    if status:
        qs = qs.filter(status=status.value)
    return qs


@router.get("/promises/{promise_id}", response=PromiseDetailOut)
def promise_detail(request: HttpRequest, promise_id: Id) -> CitizenPromise:
    return selectors.promise_detail(user=request.user, pk=promise_id)


@router.post("/promises", response={201: PromiseDetailOut})
def promise_create(request: HttpRequest, payload: PromiseIn) -> Status:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, payload.collaboration, require=permissions.can_edit_agreements
    )
    data = plain(payload.dict(exclude={"collaboration"}))
    _agreement_fields(request.user, collaboration, data)
    promise = services.promise_save(collaboration=collaboration, acting_user=request.user, **data)
    return Status(201, selectors.promise_detail(user=request.user, pk=promise.pk))


@router.patch("/promises/{promise_id}", response=PromiseDetailOut)
def promise_update(request: HttpRequest, promise_id: Id, payload: PromisePatch) -> CitizenPromise:
    promise = _find_promise(request, promise_id, edit=True)
    data = patch_fields(payload, nullable=AGREEMENT_REFS)
    _agreement_fields(request.user, promise.collaboration, data)
    current = {
        "title": promise.title,
        "text": promise.text,
        "start_date": promise.start_date,
        "end_date": promise.end_date,
        "status": promise.status,
        "agreement": promise.agreement,
        "replaced_by": promise.replaced_by,
        "is_public": promise.level == Level.OPPEN,
    }
    services.promise_save(
        collaboration=promise.collaboration,
        promise=promise,
        acting_user=request.user,
        **{**current, **data},
    )
    return selectors.promise_detail(user=request.user, pk=promise_id)


# --- Activities ----------------------------------------------------------------------------------------


def _find_activity(
    request: HttpRequest, promise_id: int, activity_id: int
) -> tuple[CitizenPromise, PromiseActivity]:
    """Promise and activity visible (else 404), then may the user change them (else 403)."""
    promise = _find_promise(request, promise_id)
    activity = selectors.get_promise_activity_for_user(request.user, promise, activity_id, shown=False)
    require(permissions.can_edit_agreements(request.user, promise.collaboration))
    return promise, activity


@router.post("/promises/{promise_id}/activities", response={201: PromiseActivityOut})
def promise_activity_create(request: HttpRequest, promise_id: Id, payload: PromiseActivityIn) -> Status:
    promise = _find_promise(request, promise_id, edit=True)
    data = plain(payload.dict())
    data["responsible"] = organisation_ref(
        request.user, promise.collaboration, data["responsible"], "responsible"
    )
    activity = services.promise_activity_save(promise=promise, acting_user=request.user, **data)
    return Status(201, selectors.get_promise_activity_for_user(request.user, promise, activity.pk))


@router.patch("/promises/{promise_id}/activities/{activity_id}", response=PromiseActivityOut)
def promise_activity_update(
    request: HttpRequest, promise_id: Id, activity_id: Id, payload: PromiseActivityPatch
) -> PromiseActivity:
    promise, activity = _find_activity(request, promise_id, activity_id)
    data = patch_fields(payload, nullable=("responsible", "due"))
    if "responsible" in data:
        data["responsible"] = organisation_ref(
            request.user, promise.collaboration, data["responsible"], "responsible"
        )
    current = {
        "description": activity.description,
        "responsible": activity.responsible,
        "status": activity.status,
        "due": activity.due,
    }
    services.promise_activity_save(
        promise=promise, activity=activity, acting_user=request.user, **{**current, **data}
    )
    return selectors.get_promise_activity_for_user(request.user, promise, activity_id)


@router.delete("/promises/{promise_id}/activities/{activity_id}", response={204: None})
def promise_activity_delete(request: HttpRequest, promise_id: Id, activity_id: Id) -> Status:
    _promise, activity = _find_activity(request, promise_id, activity_id)
    services.promise_activity_delete(activity=activity, acting_user=request.user)
    return Status(204, None)
