"""Groups (strategic and operative) with their members and relations."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Status
from ninja.pagination import paginate

from samverkan.agreements import selectors, services
from samverkan.agreements.api.agreements import agreement_refs
from samverkan.agreements.api.schemas import (
    GroupDetailOut,
    GroupIn,
    GroupMemberIn,
    GroupMemberOut,
    GroupMemberPatch,
    GroupOut,
    GroupPatch,
    GroupTier,
)
from samverkan.agreements.models import Group, GroupMember
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.apikit import (
    ContractRouter,
    Id,
    Pagination,
    level_changes,
    organisation_ref,
    patch_fields,
    plain,
    require,
)
from samverkan.core.models import Collaboration

router = ContractRouter(tags=["Grupper"], operation_ids="samverkan_api_routers_groups")

RELATIONS = ("reports_to", "meets_around")


def _find_group(request: HttpRequest, group_id: int, *, edit: bool = False) -> Group:
    group = selectors.get_group(request.user, group_id)
    if edit:
        require(permissions.can_edit_agreements(request.user, group.collaboration))
    return group


def _group_fields(user: Any, collaboration: Collaboration, data: dict[str, Any]) -> None:
    """Turn ids into rows in ``data``: related groups of the same collaboration that the user may see."""
    for name in RELATIONS:
        if data.get(name) is not None:
            other = selectors.group_ref(user=user, collaboration=collaboration, pk=data[name])
            if other is None:
                raise ValidationError({name: gettext("Okänd grupp.")})
            data[name] = other
    if "meets_around_relation" in data and data["meets_around_relation"] is None:
        data["meets_around_relation"] = ""
    if "agreements" in data:
        data["agreements"] = agreement_refs(user, collaboration, data["agreements"] or [], "agreements")


@router.get("/groups", response=list[GroupOut])
@paginate(Pagination)
def group_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    collaboration: Id | None = None,
    agreement: Id | None = None,
    tier: GroupTier | None = None,
    is_active: bool | None = None,
):
    qs = selectors.group_queryset(request.user)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if agreement is not None:
        qs = qs.filter(agreements=agreement)
    if tier:
        qs = qs.filter(tier=tier.value)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs


@router.get("/groups/{group_id}", response=GroupDetailOut)
def group_detail(request: HttpRequest, group_id: Id) -> Group:
    return selectors.group_detail(user=request.user, pk=group_id)


@router.post("/groups", response={201: GroupDetailOut})
def group_create(request: HttpRequest, payload: GroupIn) -> Status:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, payload.collaboration, require=permissions.can_edit_agreements
    )
    data = plain(payload.dict(exclude={"collaboration"}))
    _group_fields(request.user, collaboration, data)
    group = services.group_save(collaboration=collaboration, acting_user=request.user, **data)
    return Status(201, selectors.group_detail(user=request.user, pk=group.pk))


@router.patch("/groups/{group_id}", response=GroupDetailOut)
def group_update(request: HttpRequest, group_id: Id, payload: GroupPatch) -> Group:
    """Ändra gruppen; `agreements` ersätter kopplingarna (en tom lista tar bort dem)."""
    group = _find_group(request, group_id, edit=True)
    data = patch_fields(
        payload, nullable=(*RELATIONS, "meets_around_relation", "meetings_per_year", "agreements")
    )
    level = level_changes(data, group)
    _group_fields(request.user, group.collaboration, data)
    services.group_save(
        collaboration=group.collaboration, group=group, acting_user=request.user, **level, **data
    )
    return selectors.group_detail(user=request.user, pk=group_id)


# --- Members -------------------------------------------------------------------------------------------


def _find_member(request: HttpRequest, group: Group, member_id: int) -> GroupMember:
    """Group and member visible (else 404), then may the user change them (else 403)."""
    member = selectors.get_group_member_for_user(request.user, group, member_id, shown=False)
    require(permissions.can_edit_agreements(request.user, group.collaboration))
    return member


@router.post("/groups/{group_id}/members", response={201: GroupMemberOut})
def group_member_create(request: HttpRequest, group_id: Id, payload: GroupMemberIn) -> Status:
    """En organisation, en person eller ett intresse (fritext). Den som inte är aktör i samverkan kan
    bara vara inbjuden."""
    group = _find_group(request, group_id, edit=True)
    data = plain(payload.dict())
    data["organisation"] = organisation_ref(
        request.user, group.collaboration, data["organisation"], "organisation", candidates=True
    )
    member = services.group_member_save(group=group, acting_user=request.user, **data)
    return Status(201, selectors.get_group_member_for_user(request.user, group, member.pk))


@router.patch("/groups/{group_id}/members/{member_id}", response=GroupMemberOut)
def group_member_update(
    request: HttpRequest, group_id: Id, member_id: Id, payload: GroupMemberPatch
) -> GroupMember:
    group = _find_group(request, group_id)
    member = _find_member(request, group, member_id)
    data = patch_fields(payload, nullable=("organisation",))
    if "organisation" in data:
        data["organisation"] = organisation_ref(
            request.user, group.collaboration, data["organisation"], "organisation", candidates=True
        )
    current = {
        "organisation": member.organisation,
        "person_name": member.person.name if member.person else "",
        "representing": member.representing,
        "standing": member.standing,
        "role": member.role,
    }
    level = level_changes(data, member)
    services.group_member_save(
        group=group, member=member, acting_user=request.user, **{**current, **data, **level}
    )
    return selectors.get_group_member_for_user(request.user, group, member_id)


@router.delete("/groups/{group_id}/members/{member_id}", response={204: None})
def group_member_delete(request: HttpRequest, group_id: Id, member_id: Id) -> Status:
    group = _find_group(request, group_id)
    member = _find_member(request, group, member_id)
    services.group_member_remove(member=member, acting_user=request.user)
    return Status(204, None)
