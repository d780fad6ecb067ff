"""The foundation's API: reference data and the account, collaborations, aktörer and notices.

Field names are English; Swedish domain words stay where English would blur them. Reads go through
``core.selectors``; writes through ``core.services``.
"""

# No ``from __future__ import annotations``: ninja builds the query schema of a paginated view from its
# annotations, and cannot resolve a string such as "Level | None" there.

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from samverkan.core import permissions, selectors, services
from samverkan.core.apikit import (
    Code,
    ContractRouter,
    Id,
    InSchema,
    Pagination,
    Roles,
    level_changes,
    patch_fields,
    restricted_to_of,
    take_version,
    version_in,
    version_out,
)
from samverkan.core.models import Collaboration, Kommun, Lan, Level, Notice, Organisation

# --- Schemas -------------------------------------------------------------------------------------------


class LanOut(Schema):
    kod: str
    namn: str
    kortnamn: str
    polisregion: str = Field(..., alias="polisregion.namn")


class KommunOut(Schema):
    kod: str
    namn: str
    officiellt_namn: str
    lan: str = Field(..., alias="lan_id")
    folkmangd: int | None
    folkmangd_ar: int | None


class MembershipOut(Schema):
    collaboration: int = Field(..., alias="collaboration_id")
    role: str
    organisation: int | None = Field(None, alias="organisation_id")


class MeOut(Schema):
    id: int
    email: str
    name: str
    memberships: list[MembershipOut]


class CollaborationOut(Schema):
    id: int
    name: str
    description: str
    kommuner: list[str]
    police_areas: list[str]
    mfa_required_roles: list[str]
    role: str | None
    created_at: dt.datetime


class CollaborationPatch(InSchema):
    description: str | None = Field(None, max_length=5000)
    mfa_required_roles: Roles | None = None


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    home_kommun: str | None = Field(None, alias="home_kommun_id")
    police_area: str | None = Field(None, alias="police_area.namn")
    org_number: str


class OrganisationIn(InSchema):
    collaboration: Id
    name: str = Field(..., min_length=1, max_length=200)
    kind: Code
    home_kommun: str | None = Field(None, pattern=r"^\d{4}$")


class OrganisationPatch(InSchema):
    collaboration: Id
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: Code | None = None
    org_number: str | None = Field(None, max_length=11)


class NoticeOut(Schema):
    id: int
    collaboration: int = Field(..., alias="collaboration_id")
    title: str
    body: str
    level: str
    restricted_to: list[str]
    author: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = version_out()

    @staticmethod
    def resolve_restricted_to(obj: Any) -> list[str]:
        return restricted_to_of(obj)

    @staticmethod
    def resolve_author(obj: Any) -> str | None:
        return (obj.author.get_full_name() or obj.author.email) if obj.author else None


class NoticeIn(InSchema):
    collaboration: Id
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=10_000)
    level: Code = "intern"
    restricted_to: Roles = ["polis", "samordnare"]


class NoticePatch(InSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = Field(None, min_length=1, max_length=10_000)
    level: Code | None = None
    restricted_to: Roles | None = None
    version: int | None = version_in()


# --- Reference data: län and kommuner (readable by every authenticated client) ------------------------

reference_router = ContractRouter(tags=["Referensdata"], operation_ids="samverkan_api_routers_reference")


@reference_router.get("/me", response=MeOut, tags=["Konto"])
def me(request: HttpRequest) -> dict:
    user = request.auth  # type: ignore[attr-defined]
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.get_full_name(),
        "memberships": list(selectors.memberships_of(user=user)),
    }


@reference_router.get("/lan", response=list[LanOut])
@paginate(Pagination)
def lan_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.lan_list()


@reference_router.get("/lan/{kod}", response=LanOut)
def lan_detail(request: HttpRequest, kod: Code) -> Lan:
    return selectors.get_lan(kod)


@reference_router.get("/kommuner", response=list[KommunOut])
@paginate(Pagination)
def kommun_list(request: HttpRequest, lan: Code | None = None):  # type: ignore[no-untyped-def]
    return selectors.kommun_list(lan=lan)


@reference_router.get("/kommuner/{kod}", response=KommunOut)
def kommun_detail(request: HttpRequest, kod: Code) -> Kommun:
    return selectors.get_kommun(kod)


# --- Collaborations ----------------------------------------------------------------------------------

collaboration_router = ContractRouter(
    tags=["Samverkan"], operation_ids="samverkan_api_routers_collaborations"
)


def _collaboration_out(request: HttpRequest, c: Collaboration) -> dict[str, Any]:
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


@collaboration_router.get("/collaborations", response=list[CollaborationOut])
@paginate(Pagination)
def collaboration_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    qs = selectors.collaboration_list(user=request.user).prefetch_related("police_areas")
    return [_collaboration_out(request, c) for c in qs]


@collaboration_router.get("/collaborations/{collaboration_id}", response=CollaborationOut)
def collaboration_detail(request: HttpRequest, collaboration_id: Id) -> dict[str, Any]:
    return _collaboration_out(request, selectors.get_collaboration_for_user(request.user, collaboration_id))


@collaboration_router.patch("/collaborations/{collaboration_id}", response=CollaborationOut)
def collaboration_update(
    request: HttpRequest, collaboration_id: Id, payload: CollaborationPatch
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
    return _collaboration_out(request, c)


# --- Organisations (aktörer) ------------------------------------------------------------------------

organisation_router = ContractRouter(tags=["Aktörer"], operation_ids="samverkan_api_routers_organisations")


@organisation_router.get("/organisations", response=list[OrganisationOut])
@paginate(Pagination)
def organisation_list(request: HttpRequest, collaboration: Id | None = None):  # type: ignore[no-untyped-def]
    qs = selectors.organisation_list(user=request.user)
    if collaboration is not None:
        qs = qs.filter(participations__collaboration_id=collaboration)
    return qs


@organisation_router.get("/organisations/{organisation_id}", response=OrganisationOut)
def organisation_detail(request: HttpRequest, organisation_id: Id) -> Organisation:
    return selectors.get_organisation_for_user(request.user, organisation_id)


@organisation_router.post("/organisations", response={201: OrganisationOut})
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Status:
    collaboration = selectors.get_collaboration_for_user(
        request.user, payload.collaboration, require=permissions.can_manage_collaboration
    )
    kommun = None
    if payload.home_kommun:
        kommun = selectors.kommun_list().filter(kod=payload.home_kommun).first()
        if kommun is None:
            raise ValidationError({"home_kommun": gettext("Okänd kommunkod.")})
    org = services.organisation_create(
        collaboration=collaboration,
        name=payload.name,
        kind=payload.kind,
        home_kommun=kommun,
        acting_user=request.user,
    )
    return Status(201, org)


@organisation_router.patch("/organisations/{organisation_id}", response=OrganisationOut)
def organisation_update(
    request: HttpRequest, organisation_id: Id, payload: OrganisationPatch
) -> Organisation:
    org = selectors.get_organisation_for_user(request.user, organisation_id)
    collaboration = selectors.get_collaboration_for_user(request.user, payload.collaboration)
    # null empties nothing here: every field of an organisation is required or blank ("").
    fields = patch_fields(payload)
    fields.pop("collaboration")
    if "kind" in fields and fields["kind"] not in Organisation.Kind.values:
        raise ValidationError({"kind": gettext("Okänd typ av aktör.")})
    return services.organisation_update(
        organisation=org, collaboration=collaboration, acting_user=request.user, **fields
    )


# --- Notices -------------------------------------------------------------------------------------------

notice_router = ContractRouter(tags=["Meddelanden"], operation_ids="samverkan_api_routers_notices")


@notice_router.get("/notices", response=list[NoticeOut])
@paginate(Pagination)
def notice_list(request: HttpRequest, collaboration: Id | None = None, level: Level | None = None):  # type: ignore[no-untyped-def]
    qs = selectors.notice_list(user=request.user)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if level:
        qs = qs.filter(level=level)
    return qs


@notice_router.get("/notices/{notice_id}", response=NoticeOut)
def notice_detail(request: HttpRequest, notice_id: Id) -> Notice:
    return selectors.get_notice_for_user(request.user, None, notice_id)


@notice_router.post("/notices", response={201: NoticeOut})
def notice_create(request: HttpRequest, payload: NoticeIn) -> Status:
    collaboration = selectors.get_collaboration_for_user(
        request.user, payload.collaboration, require=permissions.can_write_content
    )
    notice = services.notice_create(
        collaboration=collaboration,
        title=payload.title,
        body=payload.body,
        level=payload.level,
        restricted_to=payload.restricted_to,
        acting_user=request.user,
    )
    return Status(201, notice)


@notice_router.patch("/notices/{notice_id}", response=NoticeOut)
def notice_update(request: HttpRequest, notice_id: Id, payload: NoticePatch) -> Notice:
    notice = selectors.get_notice_for_user(request.user, None, notice_id)
    data = payload.dict(exclude_unset=True)
    return services.notice_update(
        notice=notice,
        title=data.get("title", notice.title),
        body=data.get("body", notice.body),
        acting_user=request.user,
        version=take_version(data),
        **level_changes(data, notice),
    )


@notice_router.delete("/notices/{notice_id}", response={204: None})
def notice_delete(request: HttpRequest, notice_id: Id) -> Status:
    notice = selectors.get_notice_for_user(request.user, None, notice_id)
    services.notice_delete(notice=notice, acting_user=request.user)
    return Status(204, None)


# Mounted in this order (it is the order of the paths in the OpenAPI document).
router = Router()
router.add_router("", reference_router)
router.add_router("", collaboration_router)
router.add_router("", organisation_router)
router.add_router("", notice_router)
