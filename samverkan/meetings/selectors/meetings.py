"""Reads of meetings and their items, through the one visibility rule; begränsad items shown are logged."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from samverkan.core.models import Collaboration
from samverkan.core.selectors import get_for_user, parse_id
from samverkan.core.visibility import record_reads
from samverkan.meetings.models import AgendaItem, Decision, Meeting


def meeting_queryset(user: Any) -> QuerySet[Meeting]:
    """Meetings the user may read, in groups the user may read."""
    from samverkan.core.models.visibility import visibility_q

    return Meeting.objects.visible_to(user).filter(visibility_q(user, "group__")).select_related("group")  # type: ignore[attr-defined, no-any-return]


def get_meeting(user: Any, collaboration: Collaboration, pk: Any, *, shown: bool = False) -> Meeting:
    """A meeting of the collaboration the user may read, else 404 (the same for missing and forbidden).
    ``shown``: the page shows the meeting itself, so a begränsad one is logged. Its collaboration and the
    people a meeting page names (convener, chair, secretary) come in the same query."""
    queryset = (
        meeting_queryset(user)
        .filter(collaboration=collaboration)
        .select_related("collaboration", "convener", "chair", "secretary")
    )
    return _one_meeting(queryset, user, pk, shown=shown)


def _one_meeting(queryset: QuerySet[Meeting], user: Any, pk: Any, *, shown: bool) -> Meeting:
    if shown:
        return get_for_user(queryset, user, pk)
    number = parse_id(pk)
    meeting = queryset.filter(pk=number).first() if number else None
    if meeting is None:
        raise Http404
    return meeting


def visible_items(user: Any, meeting: Meeting, *, logged: bool = True) -> list[AgendaItem]:
    """The meeting's agenda items the user may read, in order; the begränsad ones shown are logged."""
    items = list(AgendaItem.objects.visible_to(user).filter(meeting=meeting).order_by("order", "pk"))  # type: ignore[attr-defined]
    if logged:
        record_reads(user, items)
    return items


def visible_decisions(user: Any, meeting: Meeting, *, logged: bool = True) -> list[Decision]:
    """The meeting's decisions the user may read, by number; the begränsad ones shown are logged."""
    decisions = list(Decision.objects.visible_to(user).filter(meeting=meeting).order_by("year", "number"))  # type: ignore[attr-defined]
    if logged:
        record_reads(user, decisions)
    return decisions


def get_meeting_by_id(user: Any, pk: Any, *, shown: bool = False) -> Meeting:
    """A meeting the user may read, named by id alone (the API's ``/meetings/{id}``), else 404;
    ``shown`` as in ``get_meeting``."""
    return _one_meeting(meeting_queryset(user).select_related("collaboration"), user, pk, shown=shown)
