"""Events (händelserapporter) and named places.

Events are read through ``Event.objects.visible_to(user)``; the list is built for the map at national scale:
filter on (kommun, occurred_at), which is indexed, one join (the category), only the columns shown, and
begränsad rows on the page audit-logged by the pagination. Writes go through the events services with
``source=api``: the event is looked up the same way (404), then may the user change it (403), then the
service validates (422 naming the field).
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from ninja import Query, Router, Status
from ninja.errors import ValidationError as RequestError
from ninja.pagination import paginate

from samverkan.api.pagination import Pagination
from samverkan.api.routers.agreements import changes, find, organisation_ref, plain
from samverkan.api.schemas_situation import EventIn, EventOut, EventPatch, EventSource, PlaceOut
from samverkan.core import permissions, selectors
from samverkan.core.models import Collaboration
from samverkan.core.visibility import membership_roles, record_reads
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
    police = getattr(Event.Source, "POLICE", None)  # imported police events, once there are any
    return Q(source=police) if police is not None else Q(pk__in=[])


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


@router.get("/events", response=list[EventOut])
@paginate(Pagination)
def event_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    collaboration: int | None = None,
    kommun: str | None = None,
    category: int | None = None,
    area: str | None = None,
    source: EventSource | None = None,
    bbox: str | None = None,
    date_from: str | None = Query(None, alias="from", description="Datum eller tidpunkt (ISO 8601)."),
    date_to: str | None = Query(None, alias="to", description="Datum (hela dagen räknas) eller tidpunkt."),
):
    """Händelser, senaste först, med punkt (latitud/longitud, tom om ingen punkt angavs).

    Filter: ``?kommun=<kommunkod>``, ``?from=`` och ``?to=`` (datum eller tidpunkt; ett datum i ``to``
    räknas med hela dagen), ``?category=<id>``, ``?area=<områdeskod>``, ``?source=member|police|api``,
    ``?bbox=minlon,minlat,maxlon,maxlat``.
    """
    qs = event_queryset(request.user)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if kommun:
        qs = qs.filter(kommun_id=kommun)
    if date_from:
        qs = qs.filter(occurred_at__gte=_moment(date_from, "from")[0])
    if date_to:
        moment, whole_day = _moment(date_to, "to")
        qs = (
            qs.filter(occurred_at__lt=moment + dt.timedelta(days=1))
            if whole_day
            else qs.filter(occurred_at__lte=moment)
        )
    if category is not None:
        qs = qs.filter(category_id=category)
    if area:
        qs = qs.filter(category__area_code=area)
    if source:
        qs = qs.filter(_source_filter(source))
    if bbox:
        min_lon, min_lat, max_lon, max_lat = _bbox(bbox)
        qs = qs.filter(
            longitude__gte=min_lon, longitude__lte=max_lon, latitude__gte=min_lat, latitude__lte=max_lat
        )
    return qs.order_by("-occurred_at", "-id")


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
