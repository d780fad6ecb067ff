"""Invitations by e-mail with the calendar entry (REQUEST, CANCEL, raised SEQUENCE on re-send) and the
reminder job, once per meeting however often it runs."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from samverkan.agreements.models import GroupMember
from samverkan.core.models import Level, Person
from samverkan.meetings.models import Meeting
from samverkan.meetings.services import invitations, planning
from samverkan.meetings.tasks import send_meeting_reminders

pytestmark = pytest.mark.django_db


def _text(content):
    return content.decode() if isinstance(content, bytes) else content


def _ics(message):
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics")
    return mimetype, icalendar.Calendar.from_ical(content)


@pytest.fixture
def invited(world):
    """The world's meeting with the polis as a group member (via a person), the samordnare as secretary
    and the ledamot as justerare; the outsider is a group member too but no member of the collaboration."""
    meeting = world.cycle["A"]["meeting"]["meeting"]
    group = meeting.group
    for persona in ("polis", "outsider"):
        person = Person.objects.create(name=persona, user=world.users[persona])
        GroupMember.objects.create(collaboration=world.a, group=group, person=person, level=Level.OPPEN)
    meeting.secretary = world.users["samordnare"]
    meeting.save()
    meeting.justerare.set([world.users["ledamot"]])
    return meeting


def _update(world, meeting, **changes):
    kwargs = {
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "title": meeting.title,
        "convener": meeting.convener,
        "chair": meeting.chair,
        "secretary": meeting.secretary,
        "justerare": list(meeting.justerare.all()),
        **changes,
    }
    return planning.meeting_update(
        meeting=Meeting.objects.get(pk=meeting.pk), acting_user=world.users["samordnare"], **kwargs
    )


def test_invitees_are_members_who_may_read_the_meeting(world, invited):
    emails = sorted(u.email for u in invitations.invitees(invited))
    assert emails == ["ledamot@example.org", "polis@example.org", "samordnare@example.org"]


def test_invitation_change_and_cancellation_carry_method_and_sequence(
    world, invited, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        planning.meeting_invite(meeting=invited, acting_user=world.users["samordnare"])
    assert len(mailoutbox) == 3 and all(len(m.to) == 1 for m in mailoutbox)
    mimetype, calendar = _ics(mailoutbox[0])
    assert "method=REQUEST" in mimetype and calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 0 and str(event["UID"]) == f"{invited.ics_uid}@samverkan"
    assert "Kallelse" in mailoutbox[0].subject and "2026-03-10 10:00" in mailoutbox[0].subject
    assert f"/moten/{invited.pk}/" in mailoutbox[0].body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _update(world, invited, title="Nytt namn")  # not material: no new invitation
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        _update(
            world,
            invited,
            starts_at=invited.starts_at + dt.timedelta(hours=1),
            ends_at=invited.ends_at + dt.timedelta(hours=1),
        )
    assert len(mailoutbox) == 3 and "Ändrad kallelse" in mailoutbox[0].subject
    event = _ics(mailoutbox[0])[1].walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1 and event["DTSTART"].dt.hour == 11

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        planning.meeting_cancel(
            meeting=Meeting.objects.get(pk=invited.pk),
            reason="Lokalen är upptagen",
            acting_user=world.users["samordnare"],
        )
    mimetype, calendar = _ics(mailoutbox[0])
    assert "method=CANCEL" in mimetype and calendar["METHOD"] == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 2 and event["STATUS"] == "CANCELLED"
    assert "Inställt" in mailoutbox[0].subject and "Lokalen är upptagen" in mailoutbox[0].body


def test_a_meeting_never_invited_sends_nothing_on_change(
    world, invited, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _update(world, invited, place="Kommunhuset")
    assert mailoutbox == []


def test_a_begransad_meeting_leaves_without_title_or_place(
    world, invited, mailoutbox, django_capture_on_commit_callbacks
):
    Meeting.objects.filter(pk=invited.pk).update(
        level=Level.BEGRANSAD, title="KANARIE-A-BEGRANSAD möte", place="Hemligt ställe"
    )
    meeting = Meeting.objects.get(pk=invited.pk)
    with django_capture_on_commit_callbacks(execute=True):
        planning.meeting_invite(meeting=meeting, acting_user=world.users["samordnare"])
    assert sorted(m.to[0] for m in mailoutbox) == [
        "polis@example.org",
        "samordnare@example.org",
    ]  # not ledamot
    for message in mailoutbox:
        text = message.subject + message.body + _text(message.attachments[0][1])
        assert "KANARIE" not in text and "Hemligt" not in text


def test_reminders_go_once_within_the_window(world, invited, mailoutbox, settings):
    settings.SAMVERKAN_MEETING_REMINDER_DAYS = 3
    now = invited.starts_at - dt.timedelta(days=4)
    assert invitations.send_due_reminders(now=now) == 0
    now = invited.starts_at - dt.timedelta(days=2)
    assert invitations.send_due_reminders(now=now) == 3
    assert "Påminnelse" in mailoutbox[0].subject
    assert invitations.send_due_reminders(now=now) == 0
    assert invitations.send_due_reminders(now=now + dt.timedelta(hours=5)) == 0
    assert len(mailoutbox) == 3
    invited.refresh_from_db()
    assert invited.reminder_sent_at == now


def test_cancelled_meetings_get_no_reminder_and_the_job_runs(world, invited, mailoutbox):
    planning.meeting_cancel(meeting=invited, reason="Inställt", acting_user=world.users["samordnare"])
    assert invitations.send_due_reminders(now=invited.starts_at - dt.timedelta(days=1)) == 0
    send_meeting_reminders.call_local()
    assert mailoutbox == [] and timezone.now()
