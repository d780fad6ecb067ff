"""Reads for the meeting list and the planning forms: upcoming and past meetings per group, who may hold
a role at a meeting, and what the year's plan would add."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from samverkan.agreements.models import Group
from samverkan.core.models import Collaboration
from samverkan.meetings.models import Attendance, Meeting
from samverkan.meetings.selectors.meetings import meeting_queryset


@dataclass
class MeetingList:
    upcoming: list[Meeting] = field(default_factory=list)
    past: list[Meeting] = field(default_factory=list)


def meeting_list(
    *, user: Any, collaboration: Collaboration, group: Group | None = None, now: dt.datetime | None = None
) -> MeetingList:
    """The collaboration's meetings the user may read, upcoming (soonest first) and past (latest first)."""
    now = now or timezone.now()
    queryset = (
        meeting_queryset(user)
        .filter(collaboration=collaboration)
        .select_related("group", "linked_meeting", "linked_meeting__group")
    )
    if group is not None:
        queryset = queryset.filter(group=group)
    rows = list(queryset.order_by("starts_at", "pk"))
    result = MeetingList()
    for meeting in rows:
        if meeting.ends_at >= now:
            result.upcoming.append(meeting)
        else:
            result.past.append(meeting)
    result.past.reverse()
    return result


def readable_linked(user: Any, meeting: Meeting) -> list[Meeting]:
    """The meetings linked to this one either way (the one it prepares or reports back from, and those
    held before/after it) that the user may read, in time order."""
    queryset = meeting_queryset(user).filter(collaboration_id=meeting.collaboration_id)
    ids = set(queryset.filter(linked_meeting=meeting).values_list("pk", flat=True))
    if meeting.linked_meeting_id:
        ids |= set(queryset.filter(pk=meeting.linked_meeting_id).values_list("pk", flat=True))
    return list(queryset.filter(pk__in=ids).order_by("starts_at", "pk"))


def role_candidates(*, collaboration: Collaboration) -> QuerySet[Any]:
    """The users who may be convener, chair, secretary or justerare: the collaboration's members."""
    return (
        get_user_model()
        .objects.filter(memberships__collaboration=collaboration, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def plannable_groups(*, user: Any, collaboration: Collaboration) -> QuerySet[Group]:
    """Active groups of the collaboration the user may read, strategic first."""
    return Group.objects.visible_to(user).filter(collaboration=collaboration, is_active=True)  # type: ignore[attr-defined, no-any-return]


def meeting_attendance(meeting: Meeting) -> QuerySet[Attendance]:
    """Who took part (published with the meeting, so every reader of the meeting sees it), in order."""
    return Attendance.objects.filter(meeting=meeting).select_related("organisation").order_by("order", "pk")
