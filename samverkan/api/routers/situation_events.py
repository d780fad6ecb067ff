"""Events (händelserapporter) and named places.

Events are read through ``Event.objects.visible_to(user)``; the list is built for the map at national scale:
filter on (kommun, occurred_at), which is indexed, one join (the category), only the columns shown, and
begränsad rows on the page audit-logged by the pagination. Writes go through the events services with
``source=api``: the event is looked up the same way (404), then may the user change it (403), then the
service validates (422 naming the field).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from ninja import Query, Router, Status
from ninja.errors import ValidationError as RequestError
from ninja.pagination import paginate

from samverkan.api.routers.agreements import changes, find, organisation_ref, plain
from samverkan.api.schemas_situation import (
    EventIn,
    EventOut,
    EventPage,
    EventPatch,
    EventSource,
    LocationPrecision,
    PlaceOut,
)
from samverkan.core import permissions, selectors
from samverkan.core.apikit import Pagination
from samverkan.core.models import Collaboration
from samverkan.core.visibility import membership_roles, record_reads
from samverkan.indicators.models import PoliceEvent, PoliceEventTypeMapping
from samverkan.situation.models import Event, Place
from samverkan.situation.services import events

router = Router(tags=["Händelser och platser"])

# The columns EventOut shows: the list never loads more (reported_by stays in the database).
EVENT_COLUMNS = (
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


def query_error(field: str, message: str) -> RequestError:
    """A 422 naming a query parameter (``{"detail": [{"loc": ["query", field], "msg": …}]}``)."""
    return RequestError([{"loc": ["query", field], "msg": message, "type": "value_error"}])


def _moment(value: str, field: str) -> tuple[dt.datetime, bool]:
    """An ISO date (midnight, local time; True) or date-time (False); anything else is a 422."""
    value = value.strip()
    whole_day = len(value) == 10
    moment: dt.datetime | None = None
    try:
        if whole_day:
            day = parse_date(value)
            moment = dt.datetime.combine(day, dt.time()) if day else None
        else:
            moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise query_error(field, gettext("Ange ett datum (ÅÅÅÅ-MM-DD) eller en tidpunkt (ISO 8601)."))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment, whole_day


def _bbox(value: str) -> tuple[float, float, float, float]:
    message = gettext("Ange bbox som minlon,minlat,maxlon,maxlat (grader, WGS 84).")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in value.split(","))
    except ValueError:
        raise query_error("bbox", message) from None
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise query_error("bbox", message)
    return min_lon, min_lat, max_lon, max_lat


def _source_filter(source: EventSource) -> Q:
    if source == EventSource.API:
        return Q(source=Event.Source.API)
    if source == EventSource.MEMBER:
        return Q(source__in=[Event.Source.MEMBER, Event.Source.API])
    return Q(pk__in=[])  # police events are not Event rows: see police_events


def event_queryset(user: Any) -> QuerySet[Event]:
    return Event.objects.visible_to(user).select_related("category").only(*EVENT_COLUMNS)


def _find_event(request: HttpRequest, event_id: int) -> Event:
    event = find(event_queryset(request.user), event_id)
    record_reads(request.user, [event])
    return event


def _find_for_change(request: HttpRequest, event_id: int) -> Event:
    """The event with its collaboration (visible, else 404) that the user may change (else 403)."""
    event = find(Event.objects.visible_to(request.user).select_related("collaboration"), event_id)
    if not permissions.can_edit_event(request.user, event):
        raise PermissionDenied
    return event


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


def member_events(
    user: Any,
    *,
    collaboration: int | None,
    kommun: str | None,
    category: int | None,
    area: str | None,
    source: EventSource | None,
    period: Period,
) -> QuerySet[Event]:
    """The members' own events (reported in the product or through the API) the user may read, newest first."""
    qs = event_queryset(user)
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
            "location_precision": LocationPrecision.KOMMUN if kommun else LocationPrecision.LAN,
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


@router.get("/events", response=EventPage)
def event_list(
    request: HttpRequest,
    collaboration: int | None = None,
    kommun: str | None = None,
    category: int | None = Query(None, description="Medlemmarnas händelsekategori (bara deras händelser)."),
    area: str | None = None,
    event_type: str | None = Query(
        None, alias="type", description="Polisens händelsetyp (bara polisens händelser)."
    ),
    source: EventSource | None = None,
    bbox: str | None = None,
    date_from: str | None = Query(None, alias="from", description="Datum eller tidpunkt (ISO 8601)."),
    date_to: str | None = Query(None, alias="to", description="Datum (hela dagen räknas) eller tidpunkt."),
    limit: int = Query(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    """Händelser, senaste först: medlemmarnas egna (``source`` member eller api) och polisens (police).

    Filter: ``?kommun=<kommunkod>``, ``?collaboration=<id>`` (dess kommuner för polisens händelser),
    ``?from=`` och ``?to=`` (datum eller tidpunkt; ett datum i ``to`` räknas med hela dagen),
    ``?area=<områdeskod>``, ``?category=<id>`` (bara medlemmarnas), ``?type=<händelsetyp>`` (bara
    polisens), ``?source=member|police|api`` (utan: båda, sorterade tillsammans),
    ``?bbox=minlon,minlat,maxlon,maxlat``. Polisens händelser har punkten i kommunens eller länets mitt
    (``location_precision``), inte platsen för händelsen.
    """
    start = _moment(date_from, "from")[0] if date_from else None
    end, end_inclusive = None, False
    if date_to:
        end, whole_day = _moment(date_to, "to")
        end, end_inclusive = (end + dt.timedelta(days=1), False) if whole_day else (end, True)
    box = _bbox(bbox) if bbox else None
    period = Period(start=start, end=end, end_inclusive=end_inclusive, box=box)
    members = None
    if source != EventSource.POLICE and event_type is None:
        members = member_events(
            request.user,
            collaboration=collaboration,
            kommun=kommun,
            category=category,
            area=area,
            source=source,
            period=period,
        )
    police = None
    if source in (None, EventSource.POLICE) and category is None:
        police = police_events(
            request.user,
            collaboration=collaboration,
            kommun=kommun,
            event_type=event_type,
            area=area,
            period=period,
        )
    items, count = merged_page(members, police, offset=offset, limit=limit)
    record_reads(request.user, items)
    return {"items": items, "count": count}


@router.get("/events/{event_id}", response=EventOut)
def event_detail(request: HttpRequest, event_id: int) -> Event:
    return _find_event(request, event_id)


def _organisation(request: HttpRequest, collaboration: Collaboration, data: dict[str, Any]) -> dict[str, Any]:
    """The organisation id in ``data`` as a row taking part in the collaboration (else a 422).

    Category, place and kommun go to the service as ids and kommunkod; it checks they are the
    collaboration's and names the field otherwise.
    """
    if data.get("organisation") is not None:
        data["organisation"] = organisation_ref(
            request.user, collaboration, data["organisation"], "organisation"
        )
    return data


@router.post("/events", response={201: EventOut})
def event_create(request: HttpRequest, payload: EventIn) -> Status:
    """Rapportera en händelse (alla roller utom läsare). En punkt måste ligga i den angivna kommunen."""
    collaboration = selectors.get_collaboration_for_user(
        request.user, payload.collaboration, require=permissions.can_report_situation
    )
    data = _organisation(request, collaboration, plain(payload.dict(exclude={"collaboration"})))
    event = events.event_create(
        collaboration=collaboration, acting_user=request.user, source=Event.Source.API, **data
    )
    return Status(201, _find_event(request, event.pk))


@router.patch("/events/{event_id}", response=EventOut)
def event_update(request: HttpRequest, event_id: int, payload: EventPatch) -> Event:
    """Ändra en händelse: den som rapporterade den, eller samordnaren."""
    event = _find_for_change(request, event_id)
    data = changes(payload, nullable=("place", "latitude", "longitude", "organisation"))
    events.event_update(
        event=event, acting_user=request.user, **_organisation(request, event.collaboration, data)
    )
    return _find_event(request, event_id)


@router.delete("/events/{event_id}", response={204: None})
def event_delete(request: HttpRequest, event_id: int) -> Status:
    events.event_delete(event=_find_for_change(request, event_id), acting_user=request.user)
    return Status(204, None)


# --- Places --------------------------------------------------------------------------------------------


def place_queryset(user: Any) -> QuerySet[Place]:
    """Named places of the user's collaborations."""
    return Place.objects.filter(collaboration_id__in=list(membership_roles(user)))


@router.get("/places", response=list[PlaceOut])
@paginate(Pagination)
def place_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, collaboration: int | None = None, kommun: str | None = None
):
    """Namngivna platser i samverkans kommuner (skolor, torg, hållplatser), med punkt om den är känd."""
    qs = place_queryset(request.user)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if kommun:
        qs = qs.filter(kommun_id=kommun)
    return qs.order_by("name", "id")


@router.get("/places/{place_id}", response=PlaceOut)
def place_detail(request: HttpRequest, place_id: int) -> Place:
    return find(place_queryset(request.user), place_id)
