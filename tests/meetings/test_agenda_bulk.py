"""Drafting writes its new points together (one insert, one insert of audit entries), held to every rule
``content_save`` holds a point to: the points are those the draft builds, each in its place and with the
audit entry ``content_save`` would record; a point the personal-data guard refuses writes nothing. The
follow-ups' histories are read as values, and what is begränsad of them is still logged as read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from samverkan.actions.models import WorkOrder
from samverkan.actions.selectors.flags import flag_rows_for_collaboration, flags_for_collaboration
from samverkan.core.audit import audit_entry, snapshot
from samverkan.core.models import AuditEntry, Level
from samverkan.meetings.models import AgendaItem
from samverkan.meetings.services.agenda import build_drafts, draft_agenda, meeting_day, text_hash
from tests.audit import logged_reads
from tests.meetings.test_agenda import items, new_meeting

pytestmark = pytest.mark.django_db


def _created_entries(meeting) -> dict[str, AuditEntry]:
    ids = [str(pk) for pk in AgendaItem.objects.filter(meeting=meeting).values_list("pk", flat=True)]
    return {
        e.target_id: e
        for e in AuditEntry.objects.filter(
            action=AuditEntry.Action.CREATE, target_type="meetings.agendaitem", target_id__in=ids
        )
    }


def test_the_drafted_points_are_the_drafts_in_order_each_audited_as_content_save_would(world):
    user = world.users["samordnare"]
    meeting = new_meeting(world, start=dt.datetime(2026, 12, 21, 8, 0, tzinfo=dt.UTC))  # work orders due
    drafts = build_drafts(user, meeting)
    result = draft_agenda(meeting, user)
    written = items(meeting)
    drafted = [item for item in written if item.carried_from_id is None]
    assert result.created == len(drafts) == len(drafted)
    assert [i.order for i in written] == list(range(1, len(written) + 1))
    for draft, item in zip(drafts, drafted, strict=True):
        text = draft.text()
        assert (item.kind, item.title, item.prepared_text) == (draft.kind, draft.title, text)
        assert (item.level, item.restricted_to) == (draft.level, draft.roles)
        assert item.source == {**draft.source(), "hash": text_hash(text)}
        assert (item.version, item.updated_by, item.collaboration_id) == (1, user, world.a.id)
    # Carried points after the drafted ones of their place, at their own levels.
    assert result.carried == len(written) - len(drafted) == 3
    # One CREATE entry per point, as content_save records it (the saved row's state).
    entries = _created_entries(meeting)
    assert len(entries) == len(written)
    for item in written:
        expected = audit_entry(actor=user, action=AuditEntry.Action.CREATE, obj=item, after=snapshot(item))
        entry = entries[str(item.pk)]
        assert (entry.actor, entry.collaboration_id, entry.target_repr) == (
            user,
            world.a.id,
            expected.target_repr,
        )
        assert entry.changes == expected.changes
    # A begränsad point is named by type and id alone, its texts redacted in the log.
    police = next(i for i in written if i.kind == AgendaItem.Kind.POLISINFORMATION)
    assert entries[str(police.pk)].target_repr.endswith(f"#{police.pk}")


def test_a_point_the_guard_refuses_writes_nothing(world):
    user = world.users["samordnare"]
    meeting = new_meeting(world)
    # A row written past the services (as an import bug might): its personnummer reaches a drafted point.
    WorkOrder.objects.create(
        collaboration=world.a,
        level=Level.INTERN,
        organisation=world.org_a,
        title="Ring 19811218-9876",
        due_on=dt.date(2026, 11, 1),
    )
    entries_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        draft_agenda(meeting, user)
    assert not AgendaItem.objects.filter(meeting=meeting).exists()
    assert AuditEntry.objects.count() == entries_before


@pytest.mark.parametrize("persona", ["samordnare", "ledamot", "polis"])
def test_the_flags_as_values_are_the_flags_of_the_action_plan(world, persona):
    user = world.users[persona]
    meeting = new_meeting(world)
    day = meeting_day(meeting)
    flags = flags_for_collaboration(user, world.a, day, only_flagged=False)
    rows = flag_rows_for_collaboration(user, world.a, day)
    assert [r.action_id for r in rows] == [f.action.pk for f in flags]
    for row, flag in zip(rows, flags, strict=True):
        assert (row.number, row.title, row.responsible) == (
            flag.action.number,
            flag.action.title,
            flag.action.responsible.name,
        )
        assert (row.level, row.restricted_to) == (flag.action.level, flag.action.restricted_to)
        assert [(h.rating, h.followed_up_on) for h in row.history] == [
            (h.rating, h.followed_up_on) for h in flag.history
        ]
        assert row.labels == flag.labels and row.urgency == flag.urgency


def test_drafting_logs_the_begransad_actions_and_follow_ups_it_read(world):
    polis = world.users["polis"]
    meeting = new_meeting(world)
    before = logged_reads(polis)
    flags = flags_for_collaboration(polis, world.a, meeting_day(meeting), only_flagged=False)
    by_flags = logged_reads(polis) - before
    assert ("actions.action", str(world.cycle["A"]["levels"][Level.BEGRANSAD]["action"].pk)) in by_flags
    assert any(label == "actions.followup" for label, _id in by_flags)
    assert flags
    AuditEntry.objects.filter(action=AuditEntry.Action.READ, actor=polis).delete()
    flag_rows_for_collaboration(polis, world.a, meeting_day(meeting))
    assert logged_reads(polis) == by_flags
