"""The audit snapshot holds what a meeting's rows carry: a UUID (the calendar UID), a Decimal, a day."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest

from samverkan.core.audit import _json_value, audit_change, snapshot
from samverkan.core.models import AuditEntry
from samverkan.meetings.models import Meeting


def test_values_json_cannot_hold_become_text():
    uid = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert _json_value(uid) == "12345678-1234-5678-1234-567812345678"
    assert _json_value(Decimal("12.50")) == "12.50"
    assert _json_value(dt.date(2026, 3, 29)) == "2026-03-29"
    assert _json_value([uid, Decimal("1")]) == [str(uid), "1"]
    json.dumps(_json_value({uid, uuid.UUID(int=1)}))  # a set of UUIDs is sorted text


@pytest.mark.django_db
def test_a_meeting_is_audited_with_its_calendar_uid(world):
    meeting = world.cycle["A"]["meeting"]["meeting"]
    state = snapshot(meeting)
    assert state["ics_uid"] == str(meeting.ics_uid)
    json.dumps(state)
    before = dict(state)
    Meeting.objects.filter(pk=meeting.pk).update(ics_uid=uuid.uuid4())
    meeting.refresh_from_db()
    entry = audit_change(
        actor=world.users["samordnare"],
        action=AuditEntry.Action.UPDATE,
        obj=meeting,
        before=before,
        after=snapshot(meeting),
    )
    entry.refresh_from_db()
    assert entry.changes["ics_uid"] == [before["ics_uid"], str(meeting.ics_uid)]
