"""Invitations and reminders by e-mail, each with the meeting as a calendar entry.

Invited are the group's members who have an account and a membership in the collaboration, and the
meeting's convener, chair, secretary and justerare — each only if they may read the meeting. One mail per
person (no one sees the others' addresses). The invitation carries METHOD:REQUEST with the meeting's
current SEQUENCE, a cancellation METHOD:CANCEL; a reminder goes once (``reminder_sent_at``), however often
the job runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation

from samverkan.core.exports.ics import calendar_bytes
from samverkan.core.models import Membership
from samverkan.meetings.models import Meeting
from samverkan.meetings.selectors.calendar import calendar_entry, is_discreet, meeting_url
from samverkan.meetings.selectors.meetings import meeting_queryset
from samverkan.meetings.services.planning import STOCKHOLM


def reminder_days() -> int:
    return int(getattr(settings, "SAMVERKAN_MEETING_REMINDER_DAYS", 3))


def invitees(meeting: Meeting) -> list[Any]:
    """Users to invite: the group's members with accounts and the meeting's named roles, who are active,
    have an e-mail address, are members of the collaboration and may read the meeting."""
    ids = set(
        meeting.group.members.filter(person__user__isnull=False).values_list("person__user_id", flat=True)
    )
    ids |= {pk for pk in (meeting.convener_id, meeting.chair_id, meeting.secretary_id) if pk}
    ids |= set(meeting.justerare.values_list("pk", flat=True))
    members = set(
        Membership.objects.filter(collaboration_id=meeting.collaboration_id, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    users = get_user_model().objects.filter(pk__in=members, is_active=True).exclude(email="").order_by("pk")
    return [user for user in users if meeting_queryset(user).filter(pk=meeting.pk).exists()]


def _context(meeting: Meeting) -> dict[str, Any]:
    entry = calendar_entry(meeting)
    return {
        "summary": entry.summary,
        "place": entry.location,
        "reason": "" if is_discreet(meeting) else meeting.cancel_reason,
        "starts": timezone.localtime(meeting.starts_at, STOCKHOLM),
        "ends": timezone.localtime(meeting.ends_at, STOCKHOLM),
        "url": meeting_url(meeting),
        "site_name": settings.SAMVERKAN_SITE_NAME,
        "cancelled": meeting.status == Meeting.Status.INSTALLT,
        "updated": meeting.ics_sequence > 0,
    }


def _messages(meeting: Meeting, template: str, recipients: list[Any], *, ics: bool) -> list[EmailMessage]:
    method = "CANCEL" if meeting.status == Meeting.Status.INSTALLT else "REQUEST"
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(meeting)
        subject = " ".join(render_to_string(f"meetings/email/{template}_subject.txt", context).split())
        body = render_to_string(f"meetings/email/{template}.txt", context)
        attachment = calendar_bytes([calendar_entry(meeting)], method=method) if ics else b""
    messages = []
    for user in recipients:
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        if ics:
            message.attach("mote.ics", attachment, f"text/calendar; method={method}; charset=utf-8")
        messages.append(message)
    return messages


def send_invitations(meeting_id: int) -> int:
    """Mail the meeting's invitation (or its cancellation) as it stands now; returns the mails sent."""
    meeting = Meeting.objects.select_related("group", "collaboration").filter(pk=meeting_id).first()
    if meeting is None or meeting.invitations_sent_at is None:
        return 0
    messages = _messages(meeting, "invitation", invitees(meeting), ics=True)
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind the invitees of each planned meeting that starts within the reminder days, once: the
    meeting is marked before its mails go, so a repeated or doubled run sends nothing twice."""
    now = now or timezone.now()
    due = Meeting.objects.filter(
        status=Meeting.Status.PLANERAT,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(days=reminder_days()),
    ).select_related("group", "collaboration")
    sent = 0
    for meeting in due:
        claimed = Meeting.objects.filter(pk=meeting.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if not claimed:
            continue  # another run took this meeting meanwhile
        messages = _messages(meeting, "reminder", invitees(meeting), ics=True)
        if messages:
            get_connection().send_messages(messages)
        sent += len(messages)
    return sent
