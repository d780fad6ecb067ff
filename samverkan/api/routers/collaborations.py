from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from samverkan.api.pagination import Pagination
from samverkan.api.schemas import CollaborationOut, CollaborationPatch
from samverkan.core import permissions, selectors, services
from samverkan.core.models import Collaboration

router = Router(tags=["Samverkan"])


def _out(request: HttpRequest, c: Collaboration) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "description": c.description,
        "kommuner": [k.kod for k in c.kommuner.all()],
        "police_areas": [p.namn for p in c.police_areas.all()],
        "mfa_required_roles": sorted(c.mfa_roles),
        "role": permissions.role_in(request.user, c),
        "created_at": c.created_at,
    }


@router.get("/collaborations", response=list[CollaborationOut])
@paginate(Pagination)
def collaboration_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    qs = selectors.collaboration_list(user=request.user).prefetch_related("police_areas")
    return [_out(request, c) for c in qs]


@router.get("/collaborations/{collaboration_id}", response=CollaborationOut)
def collaboration_detail(request: HttpRequest, collaboration_id: int) -> dict[str, Any]:
    return _out(request, selectors.get_collaboration_for_user(request.user, collaboration_id))


@router.patch("/collaborations/{collaboration_id}", response=CollaborationOut)
def collaboration_update(
    request: HttpRequest, collaboration_id: int, payload: CollaborationPatch
) -> dict[str, Any]:
    c = selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_manage_collaboration
    )
    services.collaboration_update_settings(
        collaboration=c,
        description=payload.description if payload.description is not None else c.description,
        mfa_required_roles=payload.mfa_required_roles
        if payload.mfa_required_roles is not None
        else c.mfa_roles,
        acting_user=request.user,
    )
    return _out(request, c)
