"""Reads for the agenda, meeting mode and the meeting pack: a point the reader may read, and the live
rows a point was drafted from, read again through their own apps' visibility."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from samverkan.actions.models import Action, FollowUp
from samverkan.actions.selectors.followup import followups_by_action
from samverkan.core.selectors import get_for_user, parse_id
from samverkan.core.visibility import record_reads
from samverkan.meetings.models import AgendaItem, Attendance, Decision, Meeting
from samverkan.situation.models import Round


def item_queryset(user: Any, meeting: Meeting) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.visible_to(user).filter(meeting=meeting)  # type: ignore[attr-defined, no-any-return]


def get_item(user: Any, meeting: Meeting, pk: Any, *, shown: bool = True) -> AgendaItem:
    """A point of the meeting the user may read, else 404 (the same for missing and forbidden);
    ``shown``: a begränsad one is logged."""
    queryset = AgendaItem.objects.filter(meeting=meeting).select_related("meeting")
    if shown:
        return get_for_user(queryset, user, pk)
    number = parse_id(pk)
    item = (
        item_queryset(user, meeting).filter(pk=number).select_related("meeting").first() if number else None
    )
    if item is None:
        raise Http404
    return item


def attendance(meeting: Meeting) -> list[Attendance]:
    """Who took part (published with the meeting: names, organisations, roles)."""
    return list(
        Attendance.objects.filter(meeting=meeting).select_related("organisation").order_by("order", "pk")
    )


def item_actions(user: Any, item: AgendaItem) -> list[tuple[Action, list[FollowUp]]]:
    """The actions a follow-up point was drafted from that the user may read now, with their history
    (oldest first); begränsad ones logged."""
    ids = [pk for pk in item.source.get("actions", []) if isinstance(pk, int)] if item.source else []
    if not ids:
        return []
    actions = list(
        Action.objects.visible_to(user)  # type: ignore[attr-defined]
        .filter(pk__in=ids, collaboration_id=item.collaboration_id)
        .select_related("responsible", "collaboration")
    )
    order = {pk: index for index, pk in enumerate(ids)}
    actions.sort(key=lambda a: order.get(a.pk, 0))
    history = followups_by_action(user, actions)
    record_reads(user, actions)
    record_reads(user, [f for rows in history.values() for f in rows])
    return [(action, history.get(action.pk, [])) for action in actions]


def item_round(item: AgendaItem) -> Round | None:
    """The round whose joint picture a point is to agree."""
    pk = item.source.get("round") if item.source else None
    if not isinstance(pk, int):
        return None
    return Round.objects.filter(pk=pk, collaboration_id=item.collaboration_id).first()


def item_decisions(user: Any, item: AgendaItem) -> list[Decision]:
    rows = list(Decision.objects.visible_to(user).filter(item=item).order_by("year", "number"))  # type: ignore[attr-defined]
    record_reads(user, rows)
    return rows


def decision_list(user: Any) -> QuerySet[Decision]:
    """Decisions the user may read, in meetings the user may read (the API's list)."""
    from samverkan.meetings.selectors.meetings import meeting_queryset

    return (
        Decision.objects.visible_to(user)  # type: ignore[attr-defined]
        .filter(meeting__in=meeting_queryset(user))
        .select_related("meeting", "group")
        .order_by("-year", "-number", "pk")
    )


def get_api_item(user: Any, pk: Any, *, shown: bool) -> AgendaItem:
    """A point of a meeting the user may read, that the user may read (else 404); ``shown``: logged."""
    from samverkan.meetings.selectors.meetings import meeting_queryset

    number = parse_id(pk)
    item = (
        item_queryset_for(user)
        .filter(pk=number, meeting__in=meeting_queryset(user))
        .select_related("meeting")
        .first()
        if number
        else None
    )
    if item is None:
        raise Http404
    if shown:
        record_reads(user, [item])
    return item


def item_queryset_for(user: Any) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.visible_to(user)  # type: ignore[attr-defined, no-any-return]


def item_of_meeting(user: Any, meeting: Meeting, pk: Any) -> AgendaItem | None:
    """A point of ``meeting`` the user may read, or None (a decision's item as the client named it)."""
    number = parse_id(pk)
    return item_queryset(user, meeting).filter(pk=number).first() if number else None


def get_decision(user: Any, pk: Any) -> Decision:
    """A decision the user may read (else 404), logged when begränsad."""
    return get_for_user(Decision.objects.select_related("meeting"), user, pk)


def followup_of_day(user: Any, action: Action, day: Any) -> FollowUp | None:
    """The action's follow-up on ``day`` that the user may read (the one a meeting's rating updates)."""
    return FollowUp.objects.visible_to(user).filter(action=action, followed_up_on=day).first()  # type: ignore[attr-defined, no-any-return]
