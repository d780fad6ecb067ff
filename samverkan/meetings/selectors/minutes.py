"""Reads of the minutes: the document at the reader's level, the public version rendered from the
structured minutes, and the published minutes the portal shows.

A reader sees only the items their level allows, through the one visibility rule; an item they may not
read is not rendered at all, not even its title. The number of items left out is shown: every member
knows from the public version how many items are withheld, so the count tells nothing more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from samverkan.actions.models import FollowUp
from samverkan.core import permissions
from samverkan.core.models import Collaboration, Level
from samverkan.core.selectors import parse_id
from samverkan.core.visibility import ShownRow, record_reads, shown_rows
from samverkan.meetings.models import (
    AgendaItem,
    Amendment,
    Attendance,
    Decision,
    JusteringItemComment,
    JusteringResponse,
    Meeting,
    MeetingFollowUp,
    Minutes,
)
from samverkan.meetings.selectors.meetings import visible_decisions, visible_items


@dataclass
class ItemEntry:
    """One item of the minutes as shown: the item (None when withheld from the public version)."""

    order: int
    item: AgendaItem | None
    decisions: list[Decision] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)
    comments: list[JusteringItemComment] = field(default_factory=list)

    @property
    def withheld(self) -> bool:
        return self.item is None


@dataclass
class MinutesDocument:
    meeting: Meeting
    minutes: Minutes
    attendance: list[Attendance]
    entries: list[ItemEntry]
    # Amendments of the whole minutes (no item).
    amendments: list[Amendment]
    public: bool = False
    # Items the reader may not read (not shown), or in the public version: items replaced by the neutral line.
    hidden_count: int = 0
    approvals: list[JusteringResponse] = field(default_factory=list)
    declines: list[JusteringResponse] = field(default_factory=list)
    # Every levelled row read for the document (what ``minutes_document`` logs when shown).
    read: list[Any] = field(default_factory=list)

    @property
    def withheld_count(self) -> int:
        return sum(1 for entry in self.entries if entry.withheld)


def _by_item(rows: Iterable[Any]) -> defaultdict[int | None, list[Any]]:
    """Rows grouped by their item, in their order: one pass, where a filter per item went through every
    row once for each of a busy meeting's 60 points."""
    grouped: defaultdict[int | None, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.item_id].append(row)
    return grouped


def _minutes(meeting: Meeting) -> Minutes:
    """The meeting's minutes; an unsaved draft when none is kept yet (a read writes nothing)."""
    return Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)


def _attendance(meeting: Meeting) -> list[Attendance]:
    return list(
        Attendance.objects.filter(meeting=meeting).select_related("organisation").order_by("order", "pk")
    )


def _approvals(minutes: Minutes) -> list[JusteringResponse]:
    if minutes.status != Minutes.Status.JUSTERAT:
        return []
    return list(
        JusteringResponse.objects.filter(
            minutes=minutes, round=minutes.justering_round, answer=JusteringResponse.Answer.GODKAND
        )
        .select_related("justerare")
        .order_by("answered_at", "pk")
    )


def _last_declines(minutes: Minutes) -> list[JusteringResponse]:
    """The answers that sent the draft back (the latest round's declines), for the secretary."""
    if minutes.status != Minutes.Status.UTKAST or not minutes.justering_round:
        return []
    return list(
        JusteringResponse.objects.filter(
            minutes=minutes, round=minutes.justering_round, answer=JusteringResponse.Answer.AVBOJD
        )
        .select_related("justerare")
        .prefetch_related("item_comments")
    )


def minutes_document(user: Any, meeting: Meeting, *, logged: bool = True) -> MinutesDocument:
    """The minutes as ``user`` may read them; the begränsad rows shown are logged (``logged=False``: the
    caller logs them, ``restricted_rows``)."""
    minutes = _minutes(meeting)
    items = visible_items(user, meeting, logged=logged)
    all_count = AgendaItem.objects.filter(meeting=meeting).count()
    decisions = visible_decisions(user, meeting, logged=logged)
    amendments = list(
        Amendment.objects.visible_to(user).filter(minutes_id=minutes.pk).select_related("made_by")  # type: ignore[attr-defined]
    )
    followup_links = list(MeetingFollowUp.objects.filter(meeting=meeting))
    followups = {
        f.pk: f
        for f in FollowUp.objects.visible_to(user)  # type: ignore[attr-defined]
        .filter(pk__in=[link.followup_id for link in followup_links])
        .select_related("action")
    }
    if logged:
        record_reads(user, amendments)
        record_reads(user, followups.values())
    # Justerare's comments are working notes for whoever writes the minutes; a general comment has no level
    # of its own (it may quote any item), so other readers see only their own.
    declines = _last_declines(minutes)
    if not permissions.can_write_minutes(user, meeting):
        declines = [d for d in declines if d.justerare_id == getattr(user, "pk", None)]
    comments = _by_item(c for response in declines for c in response.item_comments.all())
    decisions_by_item = _by_item(decisions)
    amendments_by_item = _by_item(amendments)
    links_by_item = _by_item(link for link in followup_links if link.followup_id in followups)
    entries = [
        ItemEntry(
            order=item.order,
            item=item,
            decisions=decisions_by_item.get(item.pk, []),
            amendments=amendments_by_item.get(item.pk, []),
            followups=[followups[link.followup_id] for link in links_by_item.get(item.pk, [])],
            comments=comments.get(item.pk, []),
        )
        for item in items
    ]
    return MinutesDocument(
        meeting=meeting,
        minutes=minutes,
        attendance=_attendance(meeting),
        entries=entries,
        amendments=amendments_by_item.get(None, []),
        hidden_count=all_count - len(items),
        approvals=_approvals(minutes),
        declines=declines,
        read=[*items, *decisions, *amendments, *followups.values()],
    )


def minutes_head(user: Any, meeting: Meeting) -> MinutesDocument:
    """The minutes without their body (no attendance, points or amendments): the meeting, the minutes'
    row and the justering answers, read on every request, around a body kept rendered (the minutes page).
    ``declines`` holds the answers whose comments the user would be shown at the points: with any, the
    body is not the same for every reader of a standing, and the caller reads the whole document."""
    minutes = _minutes(meeting)
    declines = _last_declines(minutes)
    if declines and not permissions.can_write_minutes(user, meeting):
        declines = [d for d in declines if d.justerare_id == getattr(user, "pk", None)]
    return MinutesDocument(
        meeting=meeting,
        minutes=minutes,
        attendance=[],
        entries=[],
        amendments=[],
        approvals=_approvals(minutes),
        declines=declines,
    )


def restricted_rows(document: MinutesDocument) -> list[ShownRow]:
    """The begränsad rows the document shows (points, decisions, amendments, follow-ups), as values:
    kept with a body rendered once and logged on every view (``cached_shown``)."""
    return shown_rows(document.read)


def public_document(meeting: Meeting, *, pending: bool = False) -> MinutesDocument:
    """The public version, rendered from the structured minutes: öppen items as written (with their öppen
    decisions, follow-ups and amendments), every other item replaced by the neutral line.

    Once published it is the version as published: an amendment made since waits for a second person's
    approval and a new publishing (``pending=True``: the version to approve, with those amendments)."""
    minutes = _minutes(meeting)
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "pk"))
    decisions = list(Decision.objects.filter(meeting=meeting, level=Level.OPPEN).order_by("year", "number"))
    shown_amendments = Amendment.objects.filter(minutes_id=minutes.pk, level=Level.OPPEN)
    if minutes.published_at is not None and not pending:
        shown_amendments = shown_amendments.filter(made_at__lte=minutes.published_at)
    amendments = list(shown_amendments.select_related("made_by").order_by("made_at"))
    links = list(MeetingFollowUp.objects.filter(meeting=meeting))
    followups = {
        f.pk: f
        for f in FollowUp.objects.filter(
            pk__in=[link.followup_id for link in links], level=Level.OPPEN
        ).select_related("action")
    }
    decisions_by_item = _by_item(decisions)
    amendments_by_item = _by_item(amendments)
    links_by_item = _by_item(
        link
        for link in links
        if link.followup_id in followups and followups[link.followup_id].action.level == Level.OPPEN
    )
    entries = []
    for item in items:
        if item.level != Level.OPPEN:
            entries.append(ItemEntry(order=item.order, item=None))
            continue
        entries.append(
            ItemEntry(
                order=item.order,
                item=item,
                decisions=decisions_by_item.get(item.pk, []),
                amendments=amendments_by_item.get(item.pk, []),
                followups=[followups[link.followup_id] for link in links_by_item.get(item.pk, [])],
            )
        )
    document = MinutesDocument(
        meeting=meeting,
        minutes=minutes,
        attendance=_attendance(meeting),
        entries=entries,
        amendments=[a for a in amendments if a.item_id is None],
        public=True,
        approvals=_approvals(minutes),
    )
    document.hidden_count = document.withheld_count
    return document


# --- The portal ---------------------------------------------------------------------------------------


def published_minutes(collaboration: Collaboration) -> QuerySet[Minutes]:
    """Published minutes of öppen meetings of the collaboration, newest meeting first."""
    return (
        Minutes.objects.filter(
            meeting__collaboration=collaboration,
            meeting__level=Level.OPPEN,
            status=Minutes.Status.JUSTERAT,
            published_at__isnull=False,
        )
        .select_related("meeting__group")
        .order_by("-meeting__starts_at", "-pk")
    )


def get_published_minutes(collaboration: Collaboration, meeting_id: Any) -> Minutes:
    """Published minutes of a meeting of the collaboration, else 404 (the same for every other case)."""
    number = parse_id(meeting_id)
    minutes = published_minutes(collaboration).filter(meeting_id=number).first() if number else None
    if minutes is None:
        raise Http404
    return minutes


def get_minutes_meeting(user: Any, meeting_id: Any) -> Meeting:
    """A meeting the user may read (any collaboration of theirs), for the API; else 404."""
    from samverkan.meetings.selectors.meetings import meeting_queryset

    number = parse_id(meeting_id)
    meeting = meeting_queryset(user).filter(pk=number).first() if number else None
    if meeting is None:
        raise Http404
    record_reads(user, [meeting])
    return meeting


def get_item(user: Any, meeting: Meeting, item_id: Any) -> AgendaItem:
    """An item of the meeting the user may read, else 404 (a begränsad one is logged)."""
    from samverkan.core.selectors import get_for_user

    return get_for_user(AgendaItem.objects.filter(meeting=meeting), user, item_id)


def visible_item_ids(user: Any, meeting: Meeting) -> set[int]:
    """Ids of the meeting's items the user may read (nothing shown, so nothing logged)."""
    return set(
        AgendaItem.objects.visible_to(user).filter(meeting=meeting).values_list("pk", flat=True)  # type: ignore[attr-defined]
    )
