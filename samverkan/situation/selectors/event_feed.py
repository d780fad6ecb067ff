"""The API's /events list: the members' own events merged with the imported police events, newest first.

Built for the map at national scale: filter on (kommun, occurred_at), which is indexed, one join (the
category), only the columns shown. The page's begränsad rows are audit-logged here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from samverkan.core.visibility import membership_roles, record_reads
from samverkan.indicators.models import PoliceEvent, PoliceEventTypeMapping
from samverkan.situation.models import Event
from samverkan.situation.selectors.events import api_events

# The API's source words (``?source=``): the members' own reports (in the product or through the API),
# the API's alone, or the imported police events.
MEMBER, POLICE, API = "member", "police", "api"
# How exactly a police event is placed: the police give the centre of a kommun or of a län.
PRECISION_KOMMUN, PRECISION_LAN = "kommun", "lan"

# The columns PoliceEventOut shows, in the order police_items unpacks them.
POLICE_COLUMNS = (
    "police_id",
    "datetime",
    "type",
    "name",
    "summary",
    "url",
    "kommun_id",
    "lan_id",
    "location_name",
    "latitude",
    "longitude",
)


@dataclass(frozen=True)
class Period:
    """The ``from``/``to``/``bbox`` filters both kinds of event share."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None
    end_inclusive: bool = False
    box: tuple[float, float, float, float] | None = None

    def q(self, moment_field: str) -> Q:
        """The filters as one condition on ``moment_field`` and the row's latitude/longitude."""
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{moment_field}__gte": self.start})
        if self.end is not None:
            q &= Q(**{f"{moment_field}__{'lte' if self.end_inclusive else 'lt'}": self.end})
        if self.box is not None:
            min_lon, min_lat, max_lon, max_lat = self.box
            q &= Q(
                longitude__gte=min_lon, longitude__lte=max_lon, latitude__gte=min_lat, latitude__lte=max_lat
            )
        return q


def _source_filter(source: str) -> Q:
    if source == API:
        return Q(source=Event.Source.API)
    if source == MEMBER:
        return Q(source__in=[Event.Source.MEMBER, Event.Source.API])
    return Q(pk__in=[])  # police events are not Event rows: see police_events


def member_events(
    user: Any,
    *,
    collaboration: int | None,
    kommun: str | None,
    category: int | None,
    area: str | None,
    source: str | None,
    period: Period,
) -> QuerySet[Event]:
    """The members' own events (reported in the product or through the API) the user may read, newest first."""
    qs = api_events(user)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if kommun:
        qs = qs.filter(kommun_id=kommun)
    qs = qs.filter(period.q("occurred_at"))
    if category is not None:
        qs = qs.filter(category_id=category)
    if area:
        qs = qs.filter(category__area_code=area)
    if source:
        qs = qs.filter(_source_filter(source))
    return qs.order_by("-occurred_at", "-id")


def police_events(
    user: Any,
    *,
    collaboration: int | None,
    kommun: str | None,
    event_type: str | None,
    area: str | None,
    period: Period,
) -> QuerySet[PoliceEvent]:
    """Imported police events (public), newest first.

    ``collaboration`` stands for its kommuner only for its members: to anyone else it is no collaboration
    at all, so the filter must not reveal which kommuner it covers.
    """
    qs = PoliceEvent.objects.all()
    if collaboration is not None:
        if collaboration not in membership_roles(user):
            return qs.none()
        qs = qs.filter(kommun__collaborations__pk=collaboration)
    if kommun:
        qs = qs.filter(kommun_id=kommun)
    qs = qs.filter(period.q("datetime"))
    if event_type:
        qs = qs.filter(type=event_type)
    if area:
        qs = qs.filter(type__in=PoliceEventTypeMapping.objects.filter(area_code=area).values("type"))
    return qs.order_by("-datetime", "-police_id")


def police_items(events: QuerySet[PoliceEvent]) -> list[dict[str, Any]]:
    """The rows as ``PoliceEventOut`` reads them, each with its lägesbild area from the type mapping."""
    rows = list(events.values_list(*POLICE_COLUMNS))
    areas = (
        dict(
            PoliceEventTypeMapping.objects.filter(type__in={r[2] for r in rows}).values_list(
                "type", "area_code"
            )
        )
        if rows
        else {}
    )
    return [
        {
            "police_id": pid,
            "occurred_at": when,
            "type": type_,
            "area_code": areas.get(type_, ""),
            "name": name,
            "summary": summary,
            "url": url,
            "kommun": kommun,
            "lan": lan,
            "location_name": location_name,
            "location_precision": PRECISION_KOMMUN if kommun else PRECISION_LAN,
            "latitude": latitude,
            "longitude": longitude,
        }
        for pid, when, type_, name, summary, url, kommun, lan, location_name, latitude, longitude in rows
    ]


def merged_page(
    members: QuerySet[Event] | None, police: QuerySet[PoliceEvent] | None, *, offset: int, limit: int
) -> tuple[list[Any], int]:
    """One page of both lists merged newest first, and the total count.

    When both have rows, only the sort keys of the first ``offset + limit`` rows of each are read to find
    the page; then the page's rows are loaded by id. Equal moments put the member's event first.
    """
    member_count = members.count() if members is not None else 0
    police_count = police.count() if police is not None else 0
    end = offset + limit
    if not police_count:
        return (list(members[offset:end]) if members is not None and member_count else []), member_count
    assert police is not None  # it has rows
    if members is None or not member_count:
        return police_items(police[offset:end]), police_count
    keys = [(when, 1, pk) for when, pk in members.values_list("occurred_at", "id")[:end]]
    keys += [(when, 0, pid) for when, pid in police.values_list("datetime", "police_id")[:end]]
    window = sorted(keys, reverse=True)[offset:end]
    member_rows = {e.pk: e for e in members.filter(pk__in=[k[2] for k in window if k[1]])}
    police_rows = {
        item["police_id"]: item
        for item in police_items(police.filter(pk__in=[k[2] for k in window if not k[1]]))
    }
    items = [member_rows[pk] if is_member else police_rows[pk] for _when, is_member, pk in window]
    return items, member_count + police_count


def event_feed(
    user: Any,
    *,
    collaboration: int | None,
    kommun: str | None,
    category: int | None,
    area: str | None,
    event_type: str | None,
    source: str | None,
    period: Period,
    offset: int,
    limit: int,
) -> tuple[list[Any], int]:
    """One page of the events the user may read, members' and the police's merged newest first, and the
    total; the begränsad rows on the page are audit-logged.

    A category names members' events only, a police event type the police's only.
    """
    members = None
    if source != POLICE and event_type is None:
        members = member_events(
            user,
            collaboration=collaboration,
            kommun=kommun,
            category=category,
            area=area,
            source=source,
            period=period,
        )
    police = None
    if source in (None, POLICE) and category is None:
        police = police_events(
            user,
            collaboration=collaboration,
            kommun=kommun,
            event_type=event_type,
            area=area,
            period=period,
        )
    items, count = merged_page(members, police, offset=offset, limit=limit)
    record_reads(user, items)
    return items, count
