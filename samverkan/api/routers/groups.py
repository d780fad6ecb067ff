"""Groups (strategic and operative) with their members and relations."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Status
from ninja.pagination import paginate

from samverkan.agreements import services
from samverkan.agreements.models import Agreement, Group, GroupMember
from samverkan.api.routers.agreements import (
    agreement_refs,
    changes,
    find,
    level_changes,
    organisation_ref,
    plain,
    require_edit,
)
from samverkan.api.schemas_agreements import (
    GroupDetailOut,
    GroupIn,
    GroupMemberIn,
    GroupMemberOut,
    GroupMemberPatch,
    GroupOut,
    GroupPatch,
    GroupTier,
)
from samverkan.core import permissions, selectors
from samverkan.core.apikit import Pagination
from samverkan.core.models import Collaboration
from samverkan.core.visibility import record_reads

router = Router(tags=["Grupper"])

RELATIONS = ("reports_to", "meets_around")


def group_queryset(user: Any) -> QuerySet[Group]:
    visible = Group.objects.visible_to(user)
    return (
        Group.objects.visible_to(user)
        .annotate(
            reports_to_visible=Exists(visible.filter(pk=OuterRef("reports_to_id"))),
            meets_around_visible=Exists(visible.filter(pk=OuterRef("meets_around_id"))),
        )
        .prefetch_related(
            Prefetch(
                "agreements",
                queryset=Agreement.objects.visible_to(user).only("id"),
                to_attr="api_agreements",
            )
        )
    )


def _find_group(request: HttpRequest, group_id: int, *, edit: bool = False) -> Group:
    group = find(Group.objects.visible_to(request.user).select_related("collaboration"), group_id)
    if edit:
        require_edit(request.user, group.collaboration)
    return group


def _group_detail(request: HttpRequest, group_id: int) -> Group:
    user = request.user
    visible = Group.objects.visible_to(user).only("id", "reports_to_id", "meets_around_id")
    group = find(
        group_queryset(user).prefetch_related(
            Prefetch(
                "members",
                queryset=GroupMember.objects.visible_to(user).select_related("organisation", "person"),
                to_attr="api_members",
            ),
            Prefetch("reporting_groups", queryset=visible, to_attr="api_reporting_groups"),
            Prefetch("surrounding_groups", queryset=visible, to_attr="api_surrounding_groups"),
        ),
        group_id,
    )
    record_reads(user, [group, *group.api_members])  # type: ignore[attr-defined]
    return group


def _group_fields(user: Any, collaboration: Collaboration, data: dict[str, Any]) -> None:
    """Turn ids into rows in ``data``: related groups of the same collaboration that the user may see."""
    for name in RELATIONS:
        if data.get(name) is not None:
            other = Group.objects.visible_to(user).filter(collaboration=collaboration, pk=data[name]).first()
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
    collaboration: int | None = None,
    agreement: int | None = None,
    tier: GroupTier | None = None,
    is_active: bool | None = None,
):
    qs = group_queryset(request.user)
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
def group_detail(request: HttpRequest, group_id: int) -> Group:
    return _group_detail(request, group_id)


@router.post("/groups", response={201: GroupDetailOut})
def group_create(request: HttpRequest, payload: GroupIn) -> Status:
    collaboration = selectors.get_collaboration_for_user(
        request.user, payload.collaboration, require=permissions.can_edit_agreements
    )
    data = plain(payload.dict(exclude={"collaboration"}))
    _group_fields(request.user, collaboration, data)
    group = services.group_save(collaboration=collaboration, acting_user=request.user, **data)
    return Status(201, _group_detail(request, group.pk))


@router.patch("/groups/{group_id}", response=GroupDetailOut)
def group_update(request: HttpRequest, group_id: int, payload: GroupPatch) -> Group:
    """Ändra gruppen; `agreements` ersätter kopplingarna (en tom lista tar bort dem)."""
    group = _find_group(request, group_id, edit=True)
    data = changes(payload, nullable=(*RELATIONS, "meets_around_relation", "meetings_per_year", "agreements"))
    level = level_changes(data, group)
    _group_fields(request.user, group.collaboration, data)
    services.group_save(
        collaboration=group.collaboration, group=group, acting_user=request.user, **level, **data
    )
    return _group_detail(request, group_id)


# --- Members -------------------------------------------------------------------------------------------


def _find_member(request: HttpRequest, group: Group, member_id: int, *, edit: bool = False) -> GroupMember:
    """Group and member visible (else 404), then, with ``edit``, may the user change them (else 403)."""
    member = find(
        GroupMember.objects.visible_to(request.user)
        .filter(group=group)
        .select_related("organisation", "person"),
        member_id,
    )
    if edit:
        require_edit(request.user, group.collaboration)
    return member


@router.post("/groups/{group_id}/members", response={201: GroupMemberOut})
def group_member_create(request: HttpRequest, group_id: int, payload: GroupMemberIn) -> Status:
    """En organisation, en person eller ett intresse (fritext). Den som inte är aktör i samverkan kan
    bara vara inbjuden."""
    group = _find_group(request, group_id, edit=True)
    data = plain(payload.dict())
    data["organisation"] = organisation_ref(
        request.user, group.collaboration, data["organisation"], "organisation", candidates=True
    )
    member = services.group_member_save(group=group, acting_user=request.user, **data)
    record_reads(request.user, [member])
    return Status(201, _find_member(request, group, member.pk))


@router.patch("/groups/{group_id}/members/{member_id}", response=GroupMemberOut)
def group_member_update(
    request: HttpRequest, group_id: int, member_id: int, payload: GroupMemberPatch
) -> GroupMember:
    group = _find_group(request, group_id)
    member = _find_member(request, group, member_id, edit=True)
    data = changes(payload, nullable=("organisation",))
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
    saved = _find_member(request, group, member_id)
    record_reads(request.user, [saved])
    return saved


@router.delete("/groups/{group_id}/members/{member_id}", response={204: None})
def group_member_delete(request: HttpRequest, group_id: int, member_id: int) -> Status:
    group = _find_group(request, group_id)
    member = _find_member(request, group, member_id, edit=True)
    services.group_member_remove(member=member, acting_user=request.user)
    return Status(204, None)
