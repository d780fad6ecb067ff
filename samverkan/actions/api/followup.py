"""Follow-ups (uppföljningar): read by every member, written by the samordnare and, for their own
organisation's actions, a polis or ledamot (``permissions.can_follow_up``), through ``followup_record``."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from samverkan.actions.models import FollowUp
from samverkan.actions.selectors import followup as selectors
from samverkan.actions.services.followup import followup_record
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.apikit import (
    Amount,
    Code,
    ConfidentialOut,
    ContractRouter,
    Day,
    Id,
    InSchema,
    Pagination,
    Roles,
    check_years,
    patch_fields,
    plain,
    require,
    version_in,
    version_out,
)
from samverkan.core.models import Level

router = ContractRouter(tags=["Uppföljning"], operation_ids="samverkan_api_routers_followups")


class ValueIn(Schema):
    indicator: Id = Field(..., description="Åtgärdens indikator (som matas in för hand).")
    value: Amount | None = Field(..., ge=-(10**15), le=10**15, description="null tar bort dagens värde.")


class ValueOut(Schema):
    indicator: int = Field(..., alias="indicator_id")
    name: str
    value: Decimal
    measured_on: dt.date | None

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.indicator.name)


class FollowUpOut(ConfidentialOut):
    id: int
    collaboration: int = Field(..., alias="collaboration_id")
    action: int = Field(..., alias="action_id")
    followed_up_on: dt.date
    occasion: str
    rating: str = Field(..., description="rod, gul eller gron.")
    reason: str
    done: str
    outcome: str
    hours_spent: Decimal | None
    cost_spent: Decimal | None
    values: list[ValueOut]
    version: int = version_out()

    @staticmethod
    def resolve_values(obj: Any) -> list[Any]:
        return list(getattr(obj, "visible_values", []))


class FollowUpIn(InSchema):
    followed_up_on: Day
    rating: Code = Field(..., description="rod, gul eller gron.")
    reason: str = Field("", max_length=2_000, description="Krävs när bedömningen skiljer sig från förra.")
    done: str = Field("", max_length=5_000)
    outcome: str = Field("", max_length=5_000)
    occasion: str = Field("", max_length=200)
    hours_spent: Amount | None = Field(None, ge=0, le=99_999_999)
    cost_spent: Amount | None = Field(None, ge=0, le=999_999_999_999)
    values: list[ValueIn] = Field([], max_length=50)
    level: Level | None = Field(None, description="Standard: åtgärdens nivå; aldrig lägre än den.")
    restricted_to: Roles | None = None
    acknowledge_personal_data: bool = Field(
        False,
        description=(
            "Bekräftar att telefonnummer eller e-postadresser i texterna behövs (bara i intern eller "
            "begränsad uppföljning; i öppen nekas de, personnummer alltid). Utan bekräftelse blir svaret 422."
        ),
    )
    version: int | None = Field(
        None,
        ge=0,
        le=2**31 - 1,
        description="0: du såg ingen uppföljning den dagen. Har någon sparat en sedan dess blir svaret 409.",
    )


class FollowUpPatch(InSchema):
    rating: Code | None = None
    reason: str | None = Field(None, max_length=2_000)
    done: str | None = Field(None, max_length=5_000)
    outcome: str | None = Field(None, max_length=5_000)
    occasion: str | None = Field(None, max_length=200)
    hours_spent: Amount | None = Field(None, ge=0, le=99_999_999)
    cost_spent: Amount | None = Field(None, ge=0, le=999_999_999_999)
    values: list[ValueIn] | None = Field(None, max_length=50)
    level: Level | None = None
    restricted_to: Roles | None = None
    acknowledge_personal_data: bool = Field(
        False,
        description=(
            "Bekräftar att telefonnummer eller e-postadresser i texterna behövs (bara i intern eller "
            "begränsad uppföljning; i öppen nekas de, personnummer alltid). Utan bekräftelse blir svaret 422."
        ),
    )
    version: int | None = version_in()


def _values(items: list[dict[str, Any]] | None) -> dict[int, Decimal | None]:
    return {item["indicator"]: item["value"] for item in items or []}


@router.get("/collaborations/{collaboration_id}/follow-ups", response=list[FollowUpOut])
@paginate(Pagination)
def followup_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    collaboration_id: Id,
    action: Id | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    check_years(date_from, "date_from")
    check_years(date_to, "date_to")
    qs = selectors.followup_list(request.user, collaboration)
    if action is not None:
        qs = qs.filter(action_id=action)
    if date_from is not None:
        qs = qs.filter(followed_up_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(followed_up_on__lte=date_to)
    return qs


@router.post("/actions/{action_id}/follow-ups", response={200: FollowUpOut, 201: FollowUpOut})
def followup_create(request: HttpRequest, action_id: Id, payload: FollowUpIn) -> Status:
    """Record the action's follow-up of a day: created (201), or that day's follow-up updated (200)."""
    action = selectors.get_action(request.user, None, action_id, shown=False)
    require(permissions.can_follow_up(request.user, action))
    data = plain(payload.dict())
    data["values"] = _values(data["values"])
    existed = selectors.day_has_followup(action, payload.followed_up_on)
    saved = followup_record(action=action, acting_user=request.user, **data)
    return Status(200 if existed else 201, selectors.get_followup(request.user, saved.pk))


@router.get("/follow-ups/{followup_id}", response=FollowUpOut)
def followup_detail(request: HttpRequest, followup_id: Id) -> FollowUp:
    return selectors.get_followup(request.user, followup_id)


@router.patch("/follow-ups/{followup_id}", response=FollowUpOut)
def followup_update(request: HttpRequest, followup_id: Id, payload: FollowUpPatch) -> FollowUp:
    row = selectors.get_followup(request.user, followup_id, shown=False)
    require(permissions.can_follow_up(request.user, row.action))
    data = patch_fields(payload, nullable=("hours_spent", "cost_spent", "restricted_to"))
    current: dict[str, Any] = {
        "followed_up_on": row.followed_up_on,
        "rating": row.rating,
        "reason": row.reason,
        "done": row.done,
        "outcome": row.outcome,
        "occasion": row.occasion,
        "hours_spent": row.hours_spent,
        "cost_spent": row.cost_spent,
        "level": row.level,
        "restricted_to": sorted(row.restricted_roles) if row.level == Level.BEGRANSAD else None,
    }
    if "values" in data:
        data["values"] = _values(data["values"])
    data["acknowledge_personal_data"] = bool(data.get("acknowledge_personal_data"))
    followup_record(action=row.action, acting_user=request.user, **{**current, **data})
    return selectors.get_followup(request.user, followup_id)
