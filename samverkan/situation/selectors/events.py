"""Reads for händelserapporter and places, scoped by the visibility rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from samverkan.core.areas import AREA_TITLES, SIX_AREAS, area_title
from samverkan.core.models import Collaboration, Kommun
from samverkan.core.selectors import get_for_user, parse_id
from samverkan.core.visibility import membership_roles, record_reads
from samverkan.situation.models import Event, EventCategory, Place

MAP_LABEL_CHARS = 300
# The columns the API's EventOut shows: its reads never load more (reported_by stays in the database).
API_COLUMNS = (
    "id",
    "collaboration",
    "level",
    "restricted_to",
    "category__id",
    "category__name",
    "category__area_code",
    "occurred_at",
    "kommun",
    "place",
    "place_name",
    "latitude",
    "longitude",
    "description",
    "organisation",
    "source",
    "created_at",
    "updated_at",
)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def events_for(
    user: Any,
    collaboration: Collaboration,
    *,
    start: dt.date | dt.datetime | None = None,
    end: dt.date | dt.datetime | None = None,
    kommun: Kommun | str | None = None,
    category: EventCategory | int | None = None,
    area_code: str | None = None,
) -> QuerySet[Event]:
    """The collaboration's events the user may read, newest first.

    ``start``/``end`` are inclusive; a date means the whole day (local time), a datetime that instant.
    """
    qs = (
        Event.objects.visible_to(user)
        .filter(collaboration=collaboration)
        .select_related("category", "kommun", "place", "organisation")
    )
    if start is not None:
        qs = qs.filter(occurred_at__gte=start if isinstance(start, dt.datetime) else _start_of(start))
    if end is not None:
        if isinstance(end, dt.datetime):
            qs = qs.filter(occurred_at__lte=end)
        else:
            qs = qs.filter(occurred_at__lt=_start_of(end + dt.timedelta(days=1)))
    if kommun is not None:
        qs = qs.filter(kommun_id=kommun.pk if isinstance(kommun, Kommun) else kommun)
    if category is not None:
        qs = qs.filter(category_id=category.pk if isinstance(category, EventCategory) else category)
    if area_code:
        qs = qs.filter(category__area_code=area_code)
    return qs


def get_event_for_user(user: Any, collaboration: Collaboration, pk: Any) -> Event:
    """One event of the collaboration the user may read (else 404); a begränsad read is audit-logged."""
    return get_for_user(
        Event.objects.filter(collaboration=collaboration).select_related(
            "category", "kommun", "place", "organisation"
        ),
        user,
        pk,
    )


def event_page(
    user: Any,
    collaboration: Collaboration,
    *,
    filters: dict[str, Any],
    number: Any,
    per_page: int,
    map_limit: int,
) -> tuple[Page, list[Event]]:
    """One page of the filtered events and the newest ``map_limit`` of them for the map; the begränsad
    rows of both are audit-logged (once each)."""
    rows = events_for(user, collaboration, **filters)
    page = Paginator(rows, per_page).get_page(number)
    on_map = list(rows[:map_limit])
    record_reads(user, {e.pk: e for e in [*page.object_list, *on_map]}.values())
    return page, on_map


def _member_collaborations(user: Any) -> list[int]:
    """The collaborations whose events the user may read one by one: those the user is a member of.

    A county reader (Länsstyrelsen) may read a collaboration's öppen content, but only in aggregate: one
    event with its moment, point and place can name the person it happened to, and the API's time and
    bbox filters would find the moment and the point again even if a row were generalised. So members'
    events go out one by one only to members; öppen outputs count them (selectors/picture/generalise.py).
    """
    return list(membership_roles(user))


def api_events(user: Any) -> QuerySet[Event]:
    """Every event the user may read as a member, with its category and only the API's columns; the
    caller shows them through a pagination that audit-logs its page."""
    return (
        Event.objects.visible_to(user)
        .filter(collaboration_id__in=_member_collaborations(user))
        .select_related("category")
        .only(*API_COLUMNS)
    )


def get_api_event(user: Any, pk: Any) -> Event:
    """One event the user may read as a member, with the API's columns (else 404); a begränsad read is
    audit-logged."""
    return get_for_user(
        Event.objects.filter(collaboration_id__in=_member_collaborations(user))
        .select_related("category")
        .only(*API_COLUMNS),
        user,
        pk,
    )


def get_event_to_change(user: Any, pk: Any) -> Event:
    """An event the user may read, with its collaboration, for a write (else 404); not shown, so not
    audit-logged as a read."""
    number = parse_id(pk)
    event = (
        Event.objects.visible_to(user)
        .filter(collaboration_id__in=_member_collaborations(user), pk=number)
        .select_related("collaboration")
        .first()
        if number is not None
        else None
    )
    if event is None:
        raise Http404
    return event  # type: ignore[no-any-return]


def map_events(rows: Iterable[Event]) -> list[dict[str, Any]]:
    """Events as the map partial (situation/_event_map.html) takes them.

    Keys of the contract: latitude, longitude, label, category, occurred_at, place; also area (code) and
    area_title for the colours and legend, and url (the event's page). Events without a point are kept (they show in the table).
    The caller records begränsad reads for the rows it shows.
    """
    result = []
    for event in rows:
        category = event.category
        result.append(
            {
                "latitude": event.latitude,
                "longitude": event.longitude,
                "label": Truncator(event.description).chars(MAP_LABEL_CHARS),
                "category": category.name,
                "occurred_at": timezone.localtime(event.occurred_at),
                "place": event.place_name or (event.place.name if event.place is not None else ""),
                "area": category.area_code,
                # Stored (Swedish) texts: the live picture caches these rows for every reader, so the
                # template shows them through |shipped in the reader's language.
                "area_title": AREA_TITLES.get(category.area_code, category.area_code),
                "url": reverse("situation:event_detail", args=[event.collaboration_id, event.pk]),
            }
        )
    return result


def categories_for(
    collaboration: Collaboration, *, include: EventCategory | None = None
) -> list[EventCategory]:
    """Active categories the collaboration may use (shipped and its own), plus ``include`` if retired."""
    qs = EventCategory.objects.filter(active=True).filter(
        collaboration__isnull=True
    ) | EventCategory.objects.filter(active=True, collaboration=collaboration)
    categories = list(qs.order_by("order", "name"))
    if include is not None and include not in categories:
        categories.append(include)
    return categories


def sensitive_categories(collaboration: Collaboration) -> set[tuple[str, str]]:
    """(name, area code) of the sensitive categories (``EventCategory.sensitive``) the collaboration's
    events may have."""
    return set(
        (
            EventCategory.objects.filter(sensitive=True, collaboration__isnull=True)
            | EventCategory.objects.filter(sensitive=True, collaboration=collaboration)
        ).values_list("name", "area_code")
    )


def categories_by_area(categories: Iterable[EventCategory]) -> list[tuple[str, list[EventCategory]]]:
    """Categories grouped under the default template's area titles, in the template's order."""
    order = {code: n for n, (code, _title, _q) in enumerate(SIX_AREAS)}
    groups: dict[str, list[EventCategory]] = {}
    for category in categories:
        groups.setdefault(category.area_code, []).append(category)
    return [
        (area_title(code), groups[code])
        for code in sorted(groups, key=lambda c: (order.get(c, len(order)), c))
    ]


def place_list(collaboration: Collaboration, *, kommun: Kommun | str | None = None) -> QuerySet[Place]:
    """The collaboration's named places (not confidential: every member may read them)."""
    qs = Place.objects.filter(collaboration=collaboration).select_related("kommun")
    if kommun is not None:
        qs = qs.filter(kommun_id=kommun.pk if isinstance(kommun, Kommun) else kommun)
    return qs.order_by("kommun__namn", "name")


def get_place(user: Any, collaboration: Collaboration, pk: Any) -> Place:
    """A named place of the collaboration (the user a member), else 404."""
    return get_for_user(place_list(collaboration), user, pk)


def places_for(user: Any) -> QuerySet[Place]:
    """Named places of every collaboration the user is a member of."""
    return Place.objects.of_member(user)


def get_place_for_user(user: Any, pk: Any) -> Place:
    return get_for_user(Place.objects.all(), user, pk)
