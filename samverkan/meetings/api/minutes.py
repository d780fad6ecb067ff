"""Minutes in the API: the minutes of a meeting at the reader's level, the secretary's item edits while a
draft (409 with both texts on a clash), justering (send, approve, decline), amendments, the public
version's approval by a second person, and publishing. Locked minutes refuse every edit (422)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status

from samverkan.core import permissions
from samverkan.core.apikit import (
    ConfidentialOut,
    ContractRouter,
    Id,
    InSchema,
    Text,
    require,
    version_in,
    version_out,
)
from samverkan.meetings.models import Meeting, Minutes
from samverkan.meetings.selectors import minutes as minutes_selectors
from samverkan.meetings.selectors.minutes import MinutesDocument, get_minutes_meeting, minutes_document
from samverkan.meetings.services import justering as justering_services
from samverkan.meetings.services import minutes as minutes_services
from samverkan.meetings.services import publishing as publishing_services


class MinutesDecisionOut(ConfidentialOut):
    id: int
    label: str = Field(..., description="Beslutets nummer, ”§ 12/2026”.")
    text: str


class AmendmentOut(ConfidentialOut):
    id: int
    item: int | None = Field(..., alias="item_id")
    text: str
    made_at: dt.datetime
    made_by: str

    @staticmethod
    def resolve_made_by(obj: Any) -> str:
        return str(obj.made_by.get_full_name() or obj.made_by.get_username())


class MinutesFollowUpOut(ConfidentialOut):
    id: int
    action: str
    rating: str
    outcome: str

    @staticmethod
    def resolve_action(obj: Any) -> str:
        return str(obj.action.title)


class MinutesItemOut(ConfidentialOut):
    id: int
    order: int
    kind: str
    title: str
    notes: str
    proposal: str
    reservations: str
    immediately_justerad: bool
    version: int = version_out()
    decisions: list[MinutesDecisionOut] = Field(..., alias="entry_decisions")
    followups: list[MinutesFollowUpOut] = Field(..., alias="entry_followups")
    amendments: list[AmendmentOut] = Field(..., alias="entry_amendments")
    justering_comments: list[str] = Field(..., alias="entry_comments")


class MinutesAttendanceOut(Schema):
    name: str
    organisation: str | None
    role: str
    status: str
    substitute_for: str


class ApprovalOut(Schema):
    justerare: str
    answered_at: dt.datetime
    content_sha256: str


class MinutesOut(Schema):
    meeting: int
    status: str
    justering_round: int
    justering_due_on: dt.date | None
    justerat_at: dt.datetime | None
    content_sha256: str = Field(
        ..., description="SHA-256 för det justerade innehållet (tomt före justering)."
    )
    current_content_sha256: str | None = Field(
        None,
        description="SHA-256 för innehållet nu, medan protokollet är ute för justering: skicka med det när du svarar.",
    )
    public_approved_at: dt.datetime | None
    published_at: dt.datetime | None
    version: int = version_out()
    hidden_items: int = Field(..., description="Punkter du inte får läsa (visas inte).")
    attendance: list[MinutesAttendanceOut]
    agenda_items: list[MinutesItemOut] = Field(..., description="Punkterna du får läsa, i ordning.")
    amendments: list[AmendmentOut] = Field(..., description="Rättelser av hela protokollet.")
    approvals: list[ApprovalOut]


class ItemPatch(InSchema):
    title: str | None = Field(None, min_length=1, max_length=300)
    notes: Text | None = None
    proposal: Text | None = None
    reservations: Text | None = None
    version: int | None = version_in()


class JusteringAnswerIn(InSchema):
    content_sha256: str | None = Field(
        None, max_length=64, description="Det innehåll du läste (från GET); har det ändrats blir svaret 422."
    )


class ItemCommentIn(InSchema):
    item: Id
    comment: Text = Field(..., min_length=1)


class DeclineIn(JusteringAnswerIn):
    comment: Text = ""
    item_comments: list[ItemCommentIn] = Field(default_factory=list, max_length=200)


class AmendmentIn(InSchema):
    text: Text = Field(..., min_length=1)
    item: Id | None = Field(
        None, description="Punkten rättelsen gäller (får punktens nivå); utan: hela protokollet."
    )


router = ContractRouter(tags=["Protokoll"], operation_ids="samverkan_api_routers_minutes")


def _out(document: MinutesDocument) -> dict[str, Any]:
    minutes = document.minutes
    items = []
    for entry in document.entries:
        item = entry.item
        if item is None:
            continue
        # What hangs off the item, as the reader may read it (the entry's lists), for MinutesItemOut.
        item.entry_decisions = entry.decisions  # type: ignore[attr-defined]
        item.entry_followups = entry.followups  # type: ignore[attr-defined]
        item.entry_amendments = entry.amendments  # type: ignore[attr-defined]
        item.entry_comments = [c.comment for c in entry.comments]  # type: ignore[attr-defined]
        items.append(item)
    return {
        "meeting": document.meeting.pk,
        "status": minutes.status,
        "justering_round": minutes.justering_round,
        "justering_due_on": minutes.justering_due_on,
        "justerat_at": minutes.justerat_at,
        "content_sha256": minutes.content_sha256,
        "current_content_sha256": minutes_services.content_sha256(document.meeting)
        if minutes.status == Minutes.Status.FOR_JUSTERING
        else None,
        "public_approved_at": minutes.public_approved_at,
        "published_at": minutes.published_at,
        "version": minutes.version,
        "hidden_items": document.hidden_count,
        "attendance": [
            {
                "name": row.name,
                "organisation": row.organisation.name if row.organisation else None,
                "role": row.role,
                "status": row.status,
                "substitute_for": row.substitute_for,
            }
            for row in document.attendance
        ],
        "agenda_items": items,
        "amendments": document.amendments,
        "approvals": [
            {
                "justerare": r.justerare.get_full_name() or r.justerare.get_username(),
                "answered_at": r.answered_at,
                "content_sha256": r.content_sha256,
            }
            for r in document.approvals
        ],
    }


def _answer(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    return _out(minutes_document(request.user, meeting))


@router.get("/meetings/{meeting_id}/minutes", response=MinutesOut)
def minutes_detail(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    """Mötets protokoll på din nivå: punkter du inte får läsa visas inte (bara hur många de är)."""
    return _answer(request, get_minutes_meeting(request.user, meeting_id))


@router.patch("/meetings/{meeting_id}/minutes/items/{item_id}", response=MinutesOut)
def minutes_item_update(
    request: HttpRequest, meeting_id: Id, item_id: Id, payload: ItemPatch
) -> dict[str, Any]:
    """Ändra en punkts text i protokollet medan det är ett utkast (samordnaren eller sekreteraren).
    Låst protokoll: 422. Skicka med `version` (409 med båda texterna vid krock)."""
    meeting = get_minutes_meeting(request.user, meeting_id)
    item = minutes_selectors.get_item(request.user, meeting, item_id)
    require(permissions.can_write_minutes(request.user, meeting))
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    texts = {name: value for name, value in data.items() if value is not None}
    minutes_services.item_update(item=item, acting_user=request.user, version=version, **texts)
    return _answer(request, meeting)


@router.post("/meetings/{meeting_id}/minutes/send-for-justering", response=MinutesOut)
def minutes_send_for_justering(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    """Skicka protokollet för justering (samordnaren eller sekreteraren); det låses."""
    meeting = get_minutes_meeting(request.user, meeting_id)
    require(permissions.can_write_minutes(request.user, meeting))
    justering_services.send_for_justering(meeting=meeting, acting_user=request.user)
    return _answer(request, meeting)


@router.post("/meetings/{meeting_id}/minutes/approve", response=MinutesOut)
def minutes_approve(request: HttpRequest, meeting_id: Id, payload: JusteringAnswerIn) -> dict[str, Any]:
    """Godkänn protokollet (en utsedd justerare)."""
    meeting = get_minutes_meeting(request.user, meeting_id)
    justering_services.approve(meeting=meeting, acting_user=request.user, seen_sha256=payload.content_sha256)
    return _answer(request, meeting)


@router.post("/meetings/{meeting_id}/minutes/decline", response=MinutesOut)
def minutes_decline(request: HttpRequest, meeting_id: Id, payload: DeclineIn) -> dict[str, Any]:
    """Godkänn inte (en utsedd justerare): en kommentar och/eller kommentarer per punkt; tillbaka till utkast."""
    meeting = get_minutes_meeting(request.user, meeting_id)
    visible = minutes_selectors.visible_item_ids(request.user, meeting)
    comments = {c.item: c.comment for c in payload.item_comments if c.item in visible}
    if len(comments) != len(payload.item_comments):
        raise ValidationError(
            {"item_comments": _("En kommentar gäller en punkt som inte finns i protokollet.")}
        )
    justering_services.decline(
        meeting=meeting,
        acting_user=request.user,
        comment=payload.comment,
        item_comments=comments,
        seen_sha256=payload.content_sha256,
    )
    return _answer(request, meeting)


@router.post("/meetings/{meeting_id}/minutes/amendments", response={201: MinutesOut})
def minutes_amend(request: HttpRequest, meeting_id: Id, payload: AmendmentIn) -> Status:
    """Rätta ett justerat protokoll (samordnaren eller sekreteraren): daterad och synlig, aldrig en tyst ändring."""
    meeting = get_minutes_meeting(request.user, meeting_id)
    require(permissions.can_write_minutes(request.user, meeting))
    item = None
    if payload.item is not None:
        item = minutes_selectors.get_item(request.user, meeting, payload.item)
    minutes_services.amend(meeting=meeting, acting_user=request.user, text=payload.text, item=item)
    return Status(201, _answer(request, meeting))


@router.post("/meetings/{meeting_id}/minutes/approve-public", response=MinutesOut)
def minutes_approve_public(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    """Godkänn den offentliga versionen (en andra person: samordnaren eller ordföranden, inte sekreteraren)."""
    meeting = get_minutes_meeting(request.user, meeting_id)
    publishing_services.approve_public_version(meeting=meeting, acting_user=request.user)
    return _answer(request, meeting)


@router.post("/meetings/{meeting_id}/minutes/publish", response=MinutesOut)
def minutes_publish(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    """Publicera den offentliga versionen (samordnaren), när protokollet är justerat och godkänt."""
    meeting = get_minutes_meeting(request.user, meeting_id)
    publishing_services.publish(meeting=meeting, acting_user=request.user)
    return _answer(request, meeting)
