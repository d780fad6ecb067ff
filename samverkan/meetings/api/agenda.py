"""The agenda, attendance and decisions: list and write agenda items (version → 409), draft the agenda,
set the attendance (PUT), and `/decisions` (list with filters; POST for those who write the minutes).

Writes are for the samordnare or the meeting's secretary while the minutes are a draft
(``permissions.can_write_minutes``): anyone else who may read the meeting gets 403, everyone else 404.
"""

from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from samverkan.core import permissions
from samverkan.core.apikit import (
    DEFAULT_ROLES,
    MAX_INT,
    Code,
    ConfidentialOut,
    ContractRouter,
    Id,
    InSchema,
    Pagination,
    Roles,
    Text,
    Version,
    named_choices,
    patch_fields,
    require,
    take_version,
    version_in,
    version_out,
)
from samverkan.core.models import Level
from samverkan.core.selectors import parse_id
from samverkan.meetings.models import AgendaItem, Attendance, Decision, Meeting
from samverkan.meetings.selectors import agenda as agenda_selectors
from samverkan.meetings.selectors.meetings import meeting_queryset
from samverkan.meetings.services import agenda as agenda_services
from samverkan.meetings.services import meeting_mode as mode_services
from samverkan.meetings.services.decisions import record_decision

if TYPE_CHECKING:
    ItemKind = AgendaItem.Kind
    AttendanceStatus = Attendance.Status
else:
    ItemKind = named_choices("AgendaItemKind", AgendaItem.Kind)
    AttendanceStatus = named_choices("AttendanceStatus", Attendance.Status)

# People in one meeting's attendance: far past any group (the seeds' largest has about twenty).
MAX_ROWS = 200

router = ContractRouter(tags=["Möten: dagordning och beslut"], operation_ids="samverkan_api_routers_agenda")


def _meeting(request: HttpRequest, pk: Any) -> Meeting:
    """A meeting the user may read (else 404, the same for one in another collaboration)."""
    number = parse_id(pk)
    meeting = (
        meeting_queryset(request.user).select_related("collaboration").filter(pk=number).first()
        if number
        else None
    )
    if meeting is None:
        raise Http404
    return meeting


def _writable(request: HttpRequest, pk: Any) -> Meeting:
    meeting = _meeting(request, pk)
    require(permissions.can_write_minutes(request.user, meeting))
    return meeting


def _item(request: HttpRequest, pk: Any, *, shown: bool) -> AgendaItem:
    return agenda_selectors.get_api_item(request.user, pk, shown=shown)


class AgendaItemOut(ConfidentialOut):
    id: int
    meeting: int = Field(..., alias="meeting_id")
    order: int
    kind: str
    title: str
    prepared_text: str
    notes: str
    proposal: str
    reservations: str
    handled: bool
    carried_from: int | None = Field(None, alias="carried_from_id")
    version: int = version_out()


class AgendaItemIn(InSchema):
    title: str = Field(..., min_length=1, max_length=300)
    kind: ItemKind = ItemKind.OVRIGT
    prepared_text: Text = ""
    level: Level | None = Field(None, description="Standard: intern; polisens information begränsad.")
    restricted_to: Roles = DEFAULT_ROLES


class AgendaItemPatch(InSchema):
    title: str | None = Field(None, min_length=1, max_length=300)
    prepared_text: Text | None = None
    notes: Text | None = None
    proposal: Text | None = None
    reservations: Text | None = None
    handled: bool | None = None
    level: Level | None = None
    restricted_to: Roles | None = None
    version: int | None = version_in()


class DraftOut(Schema):
    created: int
    refreshed: int
    kept: int
    carried: int


class AttendanceIn(InSchema):
    id: Id | None = Field(None, description="En befintlig rad; utan id läggs en ny till.")
    name: str | None = Field(None, max_length=200)
    role: str | None = Field(None, max_length=100)
    organisation: Id | None = None
    status: AttendanceStatus = AttendanceStatus.NARVARANDE
    substitute_for: str = Field("", max_length=200)


class AttendancePut(InSchema):
    rows: list[AttendanceIn] = Field(..., max_length=MAX_ROWS, description="Mötets hela närvarolista.")


class AttendanceOut(Schema):
    id: int
    name: str
    role: str
    organisation: int | None = Field(None, alias="organisation_id")
    status: str
    substitute_for: str


class DecisionOut(ConfidentialOut):
    id: int
    meeting: int = Field(..., alias="meeting_id")
    item: int | None = Field(None, alias="item_id")
    group: int = Field(..., alias="group_id")
    year: int
    number: int
    label: str
    text: str


class DecisionIn(InSchema):
    meeting: Id
    item: Id | None = None
    text: Text = Field(..., min_length=1)
    number: int | None = Field(None, ge=1, le=MAX_INT, description="Utan nummer: gruppens nästa för året.")
    level: Level | None = Field(None, description="Standard: punktens nivå (annars intern).")
    restricted_to: Roles | None = None


@router.get("/meetings/{meeting_id}/agenda-items", response=list[AgendaItemOut])
@paginate(Pagination)
def agenda_item_list(request: HttpRequest, meeting_id: Id):  # type: ignore[no-untyped-def]
    """Mötets dagordningspunkter som du får läsa, i ordning."""
    meeting = _meeting(request, meeting_id)
    return agenda_selectors.item_queryset(request.user, meeting).order_by("order", "pk")


@router.post("/meetings/{meeting_id}/agenda-items", response={201: AgendaItemOut})
def agenda_item_create(request: HttpRequest, meeting_id: Id, payload: AgendaItemIn) -> Status:
    """Lägg till en punkt (samordnare eller mötets sekreterare, medan protokollet är ett utkast)."""
    meeting = _writable(request, meeting_id)
    data = payload.dict()
    item = agenda_services.agenda_item_create(
        meeting=meeting,
        title=data["title"],
        kind=data["kind"].value,
        prepared_text=data["prepared_text"],
        level=data["level"].value if data["level"] else None,
        restricted_to=data["restricted_to"],
        acting_user=request.user,
    )
    return Status(201, item)


@router.post("/meetings/{meeting_id}/agenda/draft", response=DraftOut)
def agenda_draft(request: HttpRequest, meeting_id: Id) -> Any:
    """Gör (eller uppdatera) utkastet till dagordning från läget i arbetet. Ändrade punkter behålls."""
    meeting = _writable(request, meeting_id)
    return agenda_services.draft_agenda(meeting, request.user)


@router.get("/agenda-items/{item_id}", response=AgendaItemOut)
def agenda_item_detail(request: HttpRequest, item_id: Id) -> AgendaItem:
    return _item(request, item_id, shown=True)


@router.patch("/agenda-items/{item_id}", response=AgendaItemOut)
def agenda_item_update(request: HttpRequest, item_id: Id, payload: AgendaItemPatch) -> AgendaItem:
    """Ändra punkten. Skicka med `version` från GET: har någon annan sparat sedan dess blir svaret 409
    med båda texterna och inget sparas. Låst protokoll: 422."""
    item = _item(request, item_id, shown=False)
    require(permissions.can_write_minutes(request.user, item.meeting))
    data = patch_fields(payload)
    version = take_version(data)
    level = data.pop("level", None)
    restricted_to = data.pop("restricted_to", None)
    if level is not None and restricted_to is None:
        restricted_to = sorted(item.restricted_roles) if level == Level.BEGRANSAD else []
    agenda_services.agenda_item_update(
        item=item, acting_user=request.user, version=version, level=level, restricted_to=restricted_to, **data
    )
    return _item(request, item_id, shown=True)


@router.delete("/agenda-items/{item_id}", response={204: None})
def agenda_item_delete(request: HttpRequest, item_id: Id, version: Version | None = None) -> Status:
    item = _item(request, item_id, shown=False)
    require(permissions.can_write_minutes(request.user, item.meeting))
    agenda_services.agenda_item_delete(item=item, acting_user=request.user, version=version)
    return Status(204, None)


@router.put("/meetings/{meeting_id}/attendance", response=list[AttendanceOut])
def attendance_put(request: HttpRequest, meeting_id: Id, payload: AttendancePut) -> list[Attendance]:
    """Sätt mötets närvaro: raderna som skickas (med id: ändras, utan: nya); övriga tas bort."""
    meeting = _writable(request, meeting_id)
    entries = []
    for entry in payload.rows:
        row = entry.dict(exclude_unset=True)
        row["status"] = entry.status.value
        entries.append(row)
    return mode_services.attendance_set(meeting=meeting, entries=entries, acting_user=request.user)


@router.get("/decisions", response=list[DecisionOut])
@paginate(Pagination)
def decision_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    collaboration: Id | None = None,
    meeting: Id | None = None,
    group: Id | None = None,
    year: Annotated[int, Field(ge=1900, le=2200)] | None = None,
    level: Code | None = None,
):
    """Beslut som du får läsa, senaste först; filter: samverkan, möte, grupp, år, nivå."""
    queryset = agenda_selectors.decision_list(request.user)
    if collaboration is not None:
        queryset = queryset.filter(collaboration_id=collaboration)
    if meeting is not None:
        queryset = queryset.filter(meeting_id=meeting)
    if group is not None:
        queryset = queryset.filter(group_id=group)
    if year is not None:
        queryset = queryset.filter(year=year)
    if level:
        queryset = queryset.filter(level=level)
    return queryset


@router.post("/decisions", response={201: DecisionOut})
def decision_create(request: HttpRequest, payload: DecisionIn) -> Status:
    """Fatta ett beslut på ett möte (samordnare eller mötets sekreterare). Numret blir gruppens nästa för
    året; ett nummer som redan finns ger 422 med ett tydligt besked."""
    meeting = _writable(request, payload.meeting)
    item = None
    if payload.item is not None:
        item = agenda_selectors.item_of_meeting(request.user, meeting, payload.item)
        if item is None:
            raise ValidationError({"item": _("Punkten finns inte på mötet.")})
    decision: Decision = record_decision(
        meeting=meeting,
        item=item,
        text=payload.text,
        number=payload.number,
        level=payload.level.value if payload.level else None,
        restricted_to=payload.restricted_to,
        acting_user=request.user,
    )
    return Status(201, agenda_selectors.get_decision(request.user, decision.pk))
