"""Planning a group's meetings: the year from its rhythm, ad hoc meetings, edits, cancellation and the
operative group's meetings linked before/after the strategic one.

Times come in as Europe/Stockholm wall-clock times and are stored in UTC; a meeting keeps its calendar
UID for life and raises ``ics_sequence`` on every material change (time, place, cancellation), and a
meeting whose invitations have gone out gets them again (the calendar replaces the old one).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.agreements.models import Group
from samverkan.agreements.selectors.document import meeting_months
from samverkan.core import permissions
from samverkan.core.audit import audit_change, snapshot
from samverkan.core.content import apply_level, claim_version, guard_public_text
from samverkan.core.models import AuditEntry, Collaboration, Membership
from samverkan.core.models.visibility import can_read
from samverkan.meetings.models import Meeting

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Fields whose change makes the calendar entry a new one (SEQUENCE + 1, invitations re-sent).
MATERIAL_FIELDS = ("starts_at", "ends_at", "place")
# How far before/after the strategic meeting the operative group meets, unless the planner says otherwise.
LINKED_DAYS_APART = 7
MAX_DURATION = dt.timedelta(hours=24)


def stockholm_moment(day: dt.date, time: dt.time) -> dt.datetime:
    """A wall-clock time in Stockholm on ``day`` as an aware datetime (UTC-comparable)."""
    return dt.datetime.combine(day, time).replace(tzinfo=STOCKHOLM)


def require_meeting_manager(user: Any, collaboration: Collaboration) -> None:
    if not permissions.can_manage_meetings(user, collaboration):
        raise PermissionDenied


def _member_ids(collaboration: Collaboration) -> set[int]:
    return set(Membership.objects.filter(collaboration=collaboration).values_list("user_id", flat=True))


def _validate(
    *,
    collaboration: Collaboration,
    group: Group | None,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    people: dict[str, Any],
    justerare: list[Any],
    linked_meeting: Meeting | None,
    link_relation: str,
    acting_user: Any,
) -> None:
    errors: dict[str, str] = {}
    if group is None:
        errors["group"] = _("Ange vilken grupp mötet hör till.")
    elif group.collaboration_id != collaboration.pk or not can_read(acting_user, group):
        errors["group"] = _("Gruppen finns inte i samverkan.")
    if starts_at is None:
        errors["starts_at"] = _("Ange när mötet börjar.")
    if ends_at is None:
        errors["ends_at"] = _("Ange när mötet slutar.")
    if starts_at and ends_at:
        if ends_at <= starts_at:
            errors["ends_at"] = _("Mötet måste sluta efter att det börjar.")
        elif ends_at - starts_at > MAX_DURATION:
            errors["ends_at"] = _("Ett möte kan vara högst ett dygn.")
    members = _member_ids(collaboration)
    for name, user in people.items():
        if user is not None and user.pk not in members:
            errors[name] = _("Personen är inte medlem i samverkan.")
    if any(user.pk not in members for user in justerare):
        errors["justerare"] = _("Justerare måste vara medlemmar i samverkan.")
    if linked_meeting is not None:
        if linked_meeting.collaboration_id != collaboration.pk or not can_read(acting_user, linked_meeting):
            errors["linked_meeting"] = _("Det kopplade mötet finns inte i samverkan.")
        elif link_relation not in Meeting.Relation.values:
            errors["link_relation"] = _("Ange om mötet hålls före eller efter det kopplade mötet.")
    elif link_relation:
        errors["link_relation"] = _("Ange vilket möte det här mötet hålls före eller efter.")
    if errors:
        raise ValidationError(errors)


def _audit(meeting: Meeting, *, acting_user: Any, before: dict[str, Any] | None) -> None:
    audit_change(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE if before is not None else AuditEntry.Action.CREATE,
        obj=meeting,
        before=before,
        after=_with_links(meeting),
    )


def _with_links(meeting: Meeting) -> dict[str, Any]:
    """The meeting as the audit log keeps it (its justerare included: ``snapshot`` lists many-to-many;
    the calendar UID as text, which the audit's JSON cannot hold as a UUID)."""
    state = snapshot(meeting)
    state["ics_uid"] = str(meeting.ics_uid)
    return state


@transaction.atomic
def meeting_create(
    *,
    collaboration: Collaboration,
    group: Group | None,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    place: str = "",
    title: str = "",
    kind: str = Meeting.Kind.PLANERAT,
    convener: Any = None,
    chair: Any = None,
    secretary: Any = None,
    justerare: Iterable[Any] = (),
    linked_meeting: Meeting | None = None,
    link_relation: str = "",
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    acting_user: Any,
) -> Meeting:
    """Plan a meeting of ``group`` (samordnare): planned from the rhythm or an extra (ad hoc) one."""
    require_meeting_manager(acting_user, collaboration)
    justerare = list(justerare)
    people = {"convener": convener, "chair": chair, "secretary": secretary}
    _validate(
        collaboration=collaboration,
        group=group,
        starts_at=starts_at,
        ends_at=ends_at,
        people=people,
        justerare=justerare,
        linked_meeting=linked_meeting,
        link_relation=link_relation,
        acting_user=acting_user,
    )
    if kind not in Meeting.Kind.values:
        raise ValidationError({"kind": _("Okänd typ av möte.")})
    assert starts_at is not None and ends_at is not None  # _validate refused missing times
    meeting = Meeting(
        collaboration=collaboration,
        group=group,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        title=title.strip(),
        kind=kind,
        convener=convener,
        chair=chair,
        secretary=secretary,
        linked_meeting=linked_meeting,
        link_relation=link_relation if linked_meeting else "",
        created_by=acting_user,
    )
    apply_level(
        meeting, user=acting_user, collaboration=collaboration, level=level, restricted_to=restricted_to
    )
    guard_public_text(meeting)
    meeting.full_clean()
    meeting.save()
    meeting.justerare.set(justerare)
    _audit(meeting, acting_user=acting_user, before=None)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    place: str,
    title: str,
    convener: Any,
    chair: Any,
    secretary: Any,
    justerare: Iterable[Any],
    acting_user: Any,
    version: int | None = None,
) -> Meeting:
    """Change a planned meeting from its ``version`` (EditConflict if someone saved since). A change of
    time or place raises the calendar SEQUENCE and re-sends invitations already sent."""
    collaboration = meeting.collaboration
    require_meeting_manager(acting_user, collaboration)
    if meeting.status == Meeting.Status.INSTALLT:
        raise ValidationError(_("Mötet är inställt och kan inte ändras."))
    justerare = list(justerare)
    people = {"convener": convener, "chair": chair, "secretary": secretary}
    _validate(
        collaboration=collaboration,
        group=meeting.group,
        starts_at=starts_at,
        ends_at=ends_at,
        people=people,
        justerare=justerare,
        linked_meeting=meeting.linked_meeting,
        link_relation=meeting.link_relation,
        acting_user=acting_user,
    )
    assert starts_at is not None and ends_at is not None  # _validate refused missing times
    before = _with_links(meeting)
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.place, meeting.title = place.strip(), title.strip()
    meeting.convener, meeting.chair, meeting.secretary = convener, chair, secretary
    after = _with_links(meeting)
    material = any(before[name] != after[name] for name in MATERIAL_FIELDS)
    if material:
        meeting.ics_sequence += 1
    guard_public_text(meeting)
    meeting.full_clean()
    claim_version(meeting, before=before, expected_version=version)
    meeting.save()
    meeting.justerare.set(justerare)
    _audit(meeting, acting_user=acting_user, before=before)
    if material and meeting.invitations_sent_at:
        queue_invitations(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, acting_user: Any, version: int | None = None) -> Meeting:
    """Cancel a meeting with a reason: the calendar entry is cancelled (METHOD:CANCEL, higher SEQUENCE)
    for those who were invited; the meeting stays, marked inställt."""
    require_meeting_manager(acting_user, meeting.collaboration)
    if meeting.status == Meeting.Status.INSTALLT:
        raise ValidationError(_("Mötet är redan inställt."))
    if meeting.status == Meeting.Status.GENOMFORT:
        raise ValidationError(_("Mötet är redan genomfört och kan inte ställas in."))
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv varför mötet ställs in.")})
    before = _with_links(meeting)
    meeting.status = Meeting.Status.INSTALLT
    meeting.cancelled_at = timezone.now()
    meeting.cancel_reason = reason.strip()
    meeting.ics_sequence += 1
    guard_public_text(meeting)
    meeting.full_clean()
    claim_version(meeting, before=before, expected_version=version)
    meeting.save()
    _audit(meeting, acting_user=acting_user, before=before)
    if meeting.invitations_sent_at:
        queue_invitations(meeting)
    return meeting


def queue_invitations(meeting: Meeting) -> None:
    """Send (or re-send) the meeting's invitations once the current transaction commits."""
    from samverkan.meetings.tasks import send_meeting_invitations

    meeting_id = meeting.pk
    transaction.on_commit(lambda: send_meeting_invitations(meeting_id))


@transaction.atomic
def meeting_invite(*, meeting: Meeting, acting_user: Any) -> Meeting:
    """Send the invitations (e-mail with the calendar entry) to the group's members who are users."""
    require_meeting_manager(acting_user, meeting.collaboration)
    if meeting.status != Meeting.Status.PLANERAT:
        raise ValidationError(_("Bara planerade möten kan kallas till."))
    before = _with_links(meeting)
    meeting.invitations_sent_at = timezone.now()
    meeting.save(update_fields=["invitations_sent_at"])
    _audit(meeting, acting_user=acting_user, before=before)
    queue_invitations(meeting)
    return meeting


# --- The year from the rhythm --------------------------------------------------------------------------


def nth_weekday(year: int, month: int, weekday: int, week: int) -> dt.date:
    """The ``week``-th ``weekday`` (0 = Monday) of the month; week 5 means the last one."""
    days = [
        dt.date(year, month, day)
        for day in range(1, calendar.monthrange(year, month)[1] + 1)
        if dt.date(year, month, day).weekday() == weekday
    ]
    return days[min(week, len(days)) - 1]


def planned_months(group: Group, year: int) -> tuple[list[int], list[int]]:
    """The months the group's rhythm places a meeting in ``year`` (the årshjul's months), split into
    those still free and those that already have a meeting of the group (cancelled ones do not count)."""
    months = meeting_months(group.meetings_per_year or 0) if group.meetings_per_year else []
    start = stockholm_moment(dt.date(year, 1, 1), dt.time(0))
    end = stockholm_moment(dt.date(year + 1, 1, 1), dt.time(0))
    taken = {
        timezone.localtime(moment, STOCKHOLM).month
        for moment in Meeting.objects.filter(group=group, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=Meeting.Status.INSTALLT)
        .values_list("starts_at", flat=True)
    }
    return [m for m in months if m not in taken], [m for m in months if m in taken]


@transaction.atomic
def plan_year(
    *,
    group: Group,
    year: int,
    weekday: int,
    week: int,
    start_time: dt.time,
    duration: dt.timedelta,
    place: str = "",
    convener: Any = None,
    with_linked: bool = False,
    acting_user: Any,
) -> list[Meeting]:
    """ "Planera året": one meeting of ``group`` in each month its rhythm names that has none yet, on the
    ``week``-th ``weekday`` at ``start_time`` (Stockholm). With ``with_linked``, the meetings of the
    groups that meet around it are created too, linked. Returns the group's new meetings."""
    collaboration = group.collaboration
    require_meeting_manager(acting_user, collaboration)
    errors: dict[str, str] = {}
    if not group.meetings_per_year:
        errors["group"] = _("Gruppen har ingen mötesrytm (möten per år) att planera efter.")
    if not 0 <= weekday <= 4:
        errors["weekday"] = _("Välj en veckodag måndag–fredag.")
    if not 1 <= week <= 5:
        errors["week"] = _("Välj vecka 1–4 eller sista.")
    if not dt.timedelta(minutes=15) <= duration <= dt.timedelta(hours=12):
        errors["duration"] = _("Ett möte är mellan en kvart och tolv timmar.")
    if errors:
        raise ValidationError(errors)
    free, _taken = planned_months(group, year)
    created = []
    for month in free:
        day = nth_weekday(year, month, weekday, week)
        starts_at = stockholm_moment(day, start_time)
        meeting = meeting_create(
            collaboration=collaboration,
            group=group,
            starts_at=starts_at,
            ends_at=starts_at + duration,
            place=place or group.place,
            convener=convener,
            acting_user=acting_user,
        )
        created.append(meeting)
        if with_linked:
            linked_meetings_create(meeting=meeting, acting_user=acting_user)
    return created


def surrounding_groups(group: Group, user: Any) -> list[Group]:
    """Active groups the user may read that meet before and/or after ``group`` (the operative council
    around the strategic one)."""
    return [
        other
        for other in Group.objects.filter(meets_around=group, is_active=True).exclude(
            meets_around_relation=""
        )
        if can_read(user, other)
    ]


def _relations(group: Group) -> list[str]:
    relation = group.meets_around_relation
    if relation == Group.Relation.FORE_OCH_EFTER:
        return [Meeting.Relation.FORE, Meeting.Relation.EFTER]
    return [relation] if relation in Meeting.Relation.values else []


@transaction.atomic
def linked_meetings_create(
    *, meeting: Meeting, acting_user: Any, days_apart: int = LINKED_DAYS_APART
) -> list[Meeting]:
    """For each group that meets around ``meeting``'s group, its meeting ``days_apart`` days before and/or
    after, at the same time of day, linked to this one; those already linked are not made twice."""
    require_meeting_manager(acting_user, meeting.collaboration)
    if meeting.status == Meeting.Status.INSTALLT:
        raise ValidationError(_("Mötet är inställt."))
    created = []
    duration = meeting.ends_at - meeting.starts_at
    local_start = timezone.localtime(meeting.starts_at, STOCKHOLM)
    for group in surrounding_groups(meeting.group, acting_user):
        for relation in _relations(group):
            if Meeting.objects.filter(group=group, linked_meeting=meeting, link_relation=relation).exists():
                continue
            offset = dt.timedelta(days=-days_apart if relation == Meeting.Relation.FORE else days_apart)
            starts_at = stockholm_moment(local_start.date() + offset, local_start.time())
            created.append(
                meeting_create(
                    collaboration=meeting.collaboration,
                    group=group,
                    starts_at=starts_at,
                    ends_at=starts_at + duration,
                    place=group.place,
                    linked_meeting=meeting,
                    link_relation=relation,
                    acting_user=acting_user,
                )
            )
    return created
