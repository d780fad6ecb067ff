"""Meetings: list (filters ``collaboration``, ``group``, ``from``, ``to``), one meeting with its attendance
and the agenda items the reader may read, the meeting as a calendar file; plan, change, cancel and invite
(samordnare; a change sends ``version`` and gets 409 when someone saved since).

Times are ISO 8601 with their offset, given back in Swedish time; a time sent without an offset is read
as Swedish time.
"""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from samverkan.agreements.selectors.groups import group_ref
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.apikit import (
    DEFAULT_ROLES,
    ConfidentialOut,
    ContractRouter,
    Day,
    Id,
    IdList,
    InSchema,
    Moment,
    Pagination,
    Roles,
    named_choices,
    patch_fields,
    plain,
    require,
    take_version,
    version_in,
    version_out,
)
from samverkan.core.exports.ics import calendar_bytes, ics_response
from samverkan.core.models import Collaboration, Level, Membership
from samverkan.meetings.models import AgendaItem, Attendance, Meeting
from samverkan.meetings.selectors import meetings as meeting_selectors
from samverkan.meetings.selectors import planning as planning_selectors
from samverkan.meetings.selectors.calendar import calendar_entry, meeting_url
from samverkan.meetings.services import planning
from samverkan.meetings.services.planning import STOCKHOLM, stockholm_moment

if TYPE_CHECKING:
    MeetingKind = Meeting.Kind
    MeetingRelation = Meeting.Relation
else:
    MeetingKind = named_choices("MeetingKind", Meeting.Kind)
    MeetingRelation = named_choices("MeetingRelation", Meeting.Relation)

router = ContractRouter(tags=["Möten"], operation_ids="samverkan_api_routers_meetings")


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment, STOCKHOLM) if moment is not None else None


class MeetingOut(ConfidentialOut):
    id: int
    collaboration: int = Field(..., alias="collaboration_id")
    group: int = Field(..., alias="group_id")
    group_name: str
    title: str
    kind: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    convener: int | None = Field(..., alias="convener_id")
    chair: int | None = Field(..., alias="chair_id")
    secretary: int | None = Field(..., alias="secretary_id")
    justerare: list[int]
    linked_meeting: int | None = Field(..., description="Mötet det här hålls före/efter, om du får läsa det.")
    link_relation: str
    ics_uid: str
    ics_sequence: int
    cancelled_at: dt.datetime | None
    cancel_reason: str
    invitations_sent_at: dt.datetime | None
    reminder_sent_at: dt.datetime | None
    url: str
    version: int = version_out()

    @staticmethod
    def resolve_group_name(obj: Meeting) -> str:
        return obj.group.name

    @staticmethod
    def resolve_starts_at(obj: Meeting) -> dt.datetime | None:
        return _local(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj: Meeting) -> dt.datetime | None:
        return _local(obj.ends_at)

    @staticmethod
    def resolve_justerare(obj: Meeting) -> list[int]:
        return sorted(user.pk for user in obj.justerare.all())

    @staticmethod
    def resolve_linked_meeting(obj: Meeting) -> int | None:
        return obj.linked_meeting_id if getattr(obj, "linked_visible", False) else None

    @staticmethod
    def resolve_ics_uid(obj: Meeting) -> str:
        return str(obj.ics_uid)

    @staticmethod
    def resolve_url(obj: Meeting) -> str:
        return meeting_url(obj)


class MeetingAttendanceOut(Schema):
    id: int
    user: int | None = Field(..., alias="user_id")
    organisation: int | None = Field(..., alias="organisation_id")
    name: str
    role: str
    status: str
    substitute_for: str
    invited: bool


class MeetingItemOut(ConfidentialOut):
    id: int
    order: int
    kind: str
    title: str
    handled: bool


class MeetingDetailOut(MeetingOut):
    attendance: list[MeetingAttendanceOut]
    # Not "items": that key means a paginated list in this API.
    agenda: list[MeetingItemOut] = Field(..., description="Dagordningens punkter som du får läsa.")

    @staticmethod
    def resolve_attendance(obj: Meeting) -> list[Attendance]:
        return list(getattr(obj, "api_attendance", []))

    @staticmethod
    def resolve_agenda(obj: Meeting) -> list[AgendaItem]:
        return list(getattr(obj, "api_items", []))


class MeetingIn(InSchema):
    collaboration: Id
    group: Id
    starts_at: Moment
    ends_at: Moment
    place: str = Field("", max_length=200)
    title: str = Field("", max_length=200)
    kind: MeetingKind = MeetingKind.EXTRA
    convener: Id | None = None
    chair: Id | None = None
    secretary: Id | None = None
    justerare: IdList = []
    linked_meeting: Id | None = None
    link_relation: MeetingRelation | None = None
    level: Level = Level.OPPEN
    restricted_to: Roles = DEFAULT_ROLES


class MeetingPatch(InSchema):
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    place: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=200)
    convener: Id | None = None
    chair: Id | None = None
    secretary: Id | None = None
    justerare: IdList | None = None
    version: int | None = version_in()


class CancelIn(InSchema):
    reason: str = Field(..., min_length=1, max_length=500)
    version: int | None = version_in()


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return moment.replace(tzinfo=STOCKHOLM)
    return moment


def _user_ref(collaboration: Collaboration, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    if not Membership.objects.filter(collaboration=collaboration, user_id=pk).exists():
        raise ValidationError({field: _("Personen är inte medlem i samverkan.")})
    return get_user_model().objects.get(pk=pk)


def _users_ref(collaboration: Collaboration, ids: list[int]) -> list[Any]:
    members = set(
        Membership.objects.filter(collaboration=collaboration, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    if set(ids) - members:
        raise ValidationError({"justerare": _("Justerare måste vara medlemmar i samverkan.")})
    return list(get_user_model().objects.filter(pk__in=members))


def _people(collaboration: Collaboration, data: dict[str, Any]) -> None:
    for name in ("convener", "chair", "secretary"):
        if name in data:
            data[name] = _user_ref(collaboration, data[name], name)
    if "justerare" in data:
        data["justerare"] = _users_ref(collaboration, data["justerare"])


def _readable_links(user: Any, queryset: Any) -> Any:
    """Meetings that know whether the reader may read the meeting each is linked to."""
    readable = meeting_selectors.meeting_queryset(user).filter(pk=OuterRef("linked_meeting_id"))
    return queryset.annotate(linked_visible=Exists(readable))


def _detail(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = meeting_selectors.get_meeting_by_id(request.user, meeting_id, shown=True)
    meeting.linked_visible = (  # type: ignore[attr-defined]
        meeting.linked_meeting_id is not None
        and meeting_selectors.meeting_queryset(request.user).filter(pk=meeting.linked_meeting_id).exists()
    )
    meeting.api_attendance = list(planning_selectors.meeting_attendance(meeting))  # type: ignore[attr-defined]
    meeting.api_items = meeting_selectors.visible_items(request.user, meeting)  # type: ignore[attr-defined]
    return meeting


@router.get("/meetings", response=list[MeetingOut])
@paginate(Pagination)
def meeting_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    collaboration: Id | None = None,
    group: Id | None = None,
    date_from: Annotated[
        Day | None, Query(alias="from", description="Möten som börjar den dagen eller senare.")
    ] = None,
    date_to: Annotated[
        Day | None, Query(alias="to", description="Möten som börjar den dagen eller tidigare.")
    ] = None,
):
    """Möten du får läsa, i tidsordning. Filter: ``?collaboration=``, ``?group=``, ``?from=`` och ``?to=``
    (datum, svensk tid; ``to`` räknar med hela dagen)."""
    queryset = meeting_selectors.meeting_queryset(request.user).prefetch_related("justerare")
    if collaboration is not None:
        queryset = queryset.filter(collaboration_id=collaboration)
    if group is not None:
        queryset = queryset.filter(group_id=group)
    if date_from is not None:
        queryset = queryset.filter(starts_at__gte=stockholm_moment(date_from, dt.time(0)))
    if date_to is not None:
        queryset = queryset.filter(starts_at__lt=stockholm_moment(date_to + dt.timedelta(days=1), dt.time(0)))
    return _readable_links(request.user, queryset).order_by("starts_at", "pk")


# Before the detail route: its {meeting_id} would otherwise take "5.ics" and answer 422.
@router.get(
    "/meetings/{meeting_id}.ics",
    response={200: None},
    openapi_extra={
        "responses": {"200": {"description": "iCalendar (RFC 5545)", "content": {"text/calendar": {}}}}
    },
)
def meeting_ics(request: HttpRequest, meeting_id: Id) -> HttpResponse:
    """Mötet som kalenderfil (samma UID och SEQUENCE som kallelsen)."""
    meeting = meeting_selectors.get_meeting_by_id(request.user, meeting_id, shown=True)
    method = "CANCEL" if meeting.status == Meeting.Status.INSTALLT else "PUBLISH"
    return ics_response(calendar_bytes([calendar_entry(meeting)], method=method), f"mote-{meeting.pk}.ics")


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut)
def meeting_detail(request: HttpRequest, meeting_id: Id) -> Meeting:
    """Mötet med närvaro och de dagordningspunkter du får läsa (var och en med sin sekretessnivå)."""
    return _detail(request, meeting_id)


@router.post("/meetings", response={201: MeetingDetailOut})
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status:
    """Planera ett möte (samordnare). Gruppen och personerna ska höra till samverkan."""
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, payload.collaboration, require=permissions.can_manage_meetings
    )
    data = plain(payload.dict())
    data.pop("collaboration")
    group = group_ref(user=request.user, collaboration=collaboration, pk=data.pop("group"))
    if group is None:
        raise ValidationError({"group": _("Gruppen finns inte i samverkan.")})
    linked_id = data.pop("linked_meeting")
    linked = None
    if linked_id is not None:
        linked = (
            meeting_selectors.meeting_queryset(request.user)
            .filter(collaboration=collaboration, pk=linked_id)
            .first()
        )
        if linked is None:
            raise ValidationError({"linked_meeting": _("Det kopplade mötet finns inte i samverkan.")})
    _people(collaboration, data)
    meeting = planning.meeting_create(
        collaboration=collaboration,
        group=group,
        linked_meeting=linked,
        starts_at=_aware(data.pop("starts_at")),
        ends_at=_aware(data.pop("ends_at")),
        link_relation=data.pop("link_relation") or "",
        acting_user=request.user,
        **data,
    )
    return Status(201, _detail(request, meeting.pk))


@router.patch("/meetings/{meeting_id}", response=MeetingDetailOut)
def meeting_update(request: HttpRequest, meeting_id: Id, payload: MeetingPatch) -> Meeting:
    """Ändra tid, plats, rubrik eller roller (samordnare). Ändrad tid eller plats höjer kalenderns SEQUENCE
    och skickar om en kallelse som redan gått ut. Skicka med ``version`` (409 vid krock)."""
    meeting = meeting_selectors.get_meeting_by_id(request.user, meeting_id)
    require(permissions.can_manage_meetings(request.user, meeting.collaboration))
    data = patch_fields(payload, nullable=("convener", "chair", "secretary"))
    version = take_version(data)
    _people(meeting.collaboration, data)
    current = {
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "title": meeting.title,
        "convener": meeting.convener,
        "chair": meeting.chair,
        "secretary": meeting.secretary,
        "justerare": list(meeting.justerare.all()),
    }
    merged = {**current, **data}
    merged["starts_at"], merged["ends_at"] = _aware(merged["starts_at"]), _aware(merged["ends_at"])
    planning.meeting_update(meeting=meeting, acting_user=request.user, version=version, **merged)
    return _detail(request, meeting.pk)


@router.post("/meetings/{meeting_id}/cancel", response=MeetingDetailOut)
def meeting_cancel(request: HttpRequest, meeting_id: Id, payload: CancelIn) -> Meeting:
    """Ställ in mötet med ett skäl (samordnare); de kallade får METHOD:CANCEL med högre SEQUENCE."""
    meeting = meeting_selectors.get_meeting_by_id(request.user, meeting_id)
    require(permissions.can_manage_meetings(request.user, meeting.collaboration))
    planning.meeting_cancel(
        meeting=meeting, reason=payload.reason, acting_user=request.user, version=payload.version
    )
    return _detail(request, meeting.pk)


@router.post("/meetings/{meeting_id}/invitations", response={202: MeetingDetailOut})
def meeting_invite(request: HttpRequest, meeting_id: Id) -> Status:
    """Skicka kallelsen (samordnare) till gruppens medlemmar med konto; e-posten går i bakgrunden."""
    meeting = meeting_selectors.get_meeting_by_id(request.user, meeting_id)
    require(permissions.can_manage_meetings(request.user, meeting.collaboration))
    planning.meeting_invite(meeting=meeting, acting_user=request.user)
    return Status(202, _detail(request, meeting.pk))
