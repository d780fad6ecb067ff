"""Reads for calendars: a meeting as a calendar entry, and the meetings a secret feed address shows.

A feed shows what its owner may read *now* (the same visibility rule as the pages): a membership that
ends empties a personal feed, and a group feed whose maker can no longer read the group is gone (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.agreements.models import Group
from samverkan.core.exports.ics import CalendarEntry
from samverkan.core.models import Level
from samverkan.core.models.visibility import can_read, membership_roles
from samverkan.core.visibility import record_reads
from samverkan.meetings.models import CalendarFeed, Meeting, hash_feed_token
from samverkan.meetings.selectors.meetings import meeting_queryset

# A feed carries the past year and everything ahead: calendars keep what they already fetched.
FEED_PAST_DAYS = 366


def meeting_url(meeting: Meeting) -> str:
    """The meeting page as an absolute address (the base URL e-mails use)."""
    path = reverse(
        "meetings:meeting_detail",
        kwargs={"collaboration_id": meeting.collaboration_id, "meeting_id": meeting.pk},
    )
    return settings.SAMVERKAN_BASE_URL.rstrip("/") + path


def meeting_summary(meeting: Meeting) -> str:
    group = meeting.group.name
    if meeting.title:
        return f"{meeting.title} ({group})"
    return _("Möte: %(group)s") % {"group": group}


def is_discreet(meeting: Meeting) -> bool:
    """A begränsad meeting leaves the system (mail, calendars) without its title or place: the reader
    follows the link and logs in, as the work order digest does for begränsad orders."""
    return meeting.level == Level.BEGRANSAD


def calendar_entry(meeting: Meeting) -> CalendarEntry:
    """One meeting as calendars see it: stable UID, current SEQUENCE, cancelled or not, a link back."""
    url = meeting_url(meeting)
    if is_discreet(meeting):
        return CalendarEntry(
            uid=f"{meeting.ics_uid}@samverkan",
            sequence=meeting.ics_sequence,
            start=meeting.starts_at,
            end=meeting.ends_at,
            summary=str(_("Möte med begränsad läsrätt")),
            description=url,
            url=url,
            cancelled=meeting.status == Meeting.Status.INSTALLT,
            last_modified=meeting.updated_at,
        )
    lines = []
    if meeting.status == Meeting.Status.INSTALLT and meeting.cancel_reason:
        lines.append(_("Inställt: %(reason)s") % {"reason": meeting.cancel_reason})
    lines.append(url)
    return CalendarEntry(
        uid=f"{meeting.ics_uid}@samverkan",
        sequence=meeting.ics_sequence,
        start=meeting.starts_at,
        end=meeting.ends_at,
        summary=meeting_summary(meeting),
        location=meeting.place,
        description="\n".join(lines),
        url=url,
        cancelled=meeting.status == Meeting.Status.INSTALLT,
        last_modified=meeting.updated_at,
    )


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed behind a secret address, or None (wrong, revoked, or its owner gone)."""
    if not token or len(token) > 200:
        return None
    feed = (
        CalendarFeed.objects.select_related("user", "group", "created_by")
        .filter(token_hash=hash_feed_token(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.created_by.is_active:
        return None
    if feed.group is not None and not can_read(feed.created_by, feed.group):
        return None
    return feed


def feed_meetings(feed: CalendarFeed, *, now: dt.datetime | None = None) -> list[Meeting]:
    """The meetings a feed lists: its owner's readable meetings (all their collaborations, or one group).
    A begränsad meeting goes out without title or place, but its time is read: logged for the owner."""
    now = now or timezone.now()
    owner = feed.user or feed.created_by
    queryset = meeting_queryset(owner).filter(starts_at__gte=now - dt.timedelta(days=FEED_PAST_DAYS))
    if feed.group_id is not None:
        queryset = queryset.filter(group_id=feed.group_id)
    meetings = list(queryset.select_related("group").order_by("starts_at", "pk"))
    record_reads(owner, meetings)
    return meetings


def feed_name(feed: CalendarFeed) -> str:
    if feed.group is not None:
        return _("Möten: %(group)s") % {"group": feed.group.name}
    return _("Mina möten")


def feed_list(*, user: Any) -> QuerySet[CalendarFeed]:
    """The user's own feeds (personal and the group feeds they made), newest first."""
    from django.db.models import Q

    return (
        CalendarFeed.objects.filter(Q(user=user) | Q(group__isnull=False, created_by=user))
        .select_related("group")
        .order_by("revoked_at", "-created_at")
    )


def feed_group_choices(*, user: Any) -> QuerySet[Group]:
    """Groups the user may make a feed for: active ones they may read in their collaborations."""
    return (
        Group.objects.visible_to(user)  # type: ignore[attr-defined, no-any-return]
        .filter(collaboration_id__in=list(membership_roles(user)), is_active=True)
        .select_related("collaboration")
        .order_by("collaboration__name", "name")
    )


def get_feed_for_user(user: Any, pk: Any) -> CalendarFeed:
    from django.http import Http404

    from samverkan.core.selectors import parse_id

    number = parse_id(pk)
    feed = feed_list(user=user).filter(pk=number).first() if number else None
    if feed is None:
        raise Http404
    return feed
