"""Events (händelserapporter) and named places.

Events are read through the selectors (the visibility rule); the list is built for the map at national
scale (selectors/event_feed.py) and begränsad rows shown are audit-logged there. Writes go through the
events services with ``source=api``: the event is looked up the same way (404), then may the user change
it (403), then the service validates (422 naming the field).
"""

import datetime as dt
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from ninja import Query, Status
from ninja.pagination import paginate

from samverkan.core import permissions, selectors
from samverkan.core.apikit import (
    FILTER_YEARS,
    Code,
    ContractRouter,
    Id,
    Limit,
    Offset,
    Pagination,
    Search,
    check_years,
    organisation_ref,
    patch_fields,
    plain,
    query_error,
)
from samverkan.core.models import Collaboration
from samverkan.situation.api.schemas import (
    EventIn,
    EventOut,
    EventPage,
    EventPatch,
    EventSource,
    PlaceOut,
)
from samverkan.situation.models import Event, Place
from samverkan.situation.selectors import event_feed
from samverkan.situation.selectors import events as event_selectors
from samverkan.situation.services import events

router = ContractRouter(
    tags=["Händelser och platser"], operation_ids="samverkan_api_routers_situation_events"
)


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
    check_years(moment, field, years=FILTER_YEARS)
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


def _find_for_change(request: HttpRequest, event_id: int) -> Event:
    """The event with its collaboration (visible, else 404) that the user may change (else 403)."""
    event = event_selectors.get_event_to_change(request.user, event_id)
    if not permissions.can_edit_event(request.user, event):
        raise PermissionDenied
    return event


@router.get("/events", response=EventPage)
def event_list(
    request: HttpRequest,
    collaboration: Id | None = None,
    kommun: Code | None = None,
    category: Annotated[
        Id | None, Query(description="Medlemmarnas händelsekategori (bara deras händelser).")
    ] = None,
    area: Code | None = None,
    event_type: Annotated[
        Search | None, Query(alias="type", description="Polisens händelsetyp (bara polisens händelser).")
    ] = None,
    source: EventSource | None = None,
    bbox: Search | None = None,
    date_from: Annotated[
        Search | None, Query(alias="from", description="Datum eller tidpunkt (ISO 8601).")
    ] = None,
    date_to: Annotated[
        Search | None, Query(alias="to", description="Datum (hela dagen räknas) eller tidpunkt.")
    ] = None,
    limit: Limit = settings.NINJA_PAGINATION_PER_PAGE,
    offset: Offset = 0,
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
    items, count = event_feed.event_feed(
        request.user,
        collaboration=collaboration,
        kommun=kommun,
        category=category,
        area=area,
        event_type=event_type,
        source=source,
        period=event_feed.Period(start=start, end=end, end_inclusive=end_inclusive, box=box),
        offset=offset,
        limit=limit,
    )
    return {"items": items, "count": count}


@router.get("/events/{event_id}", response=EventOut)
def event_detail(request: HttpRequest, event_id: Id) -> Event:
    return event_selectors.get_api_event(request.user, event_id)


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
    return Status(201, event_selectors.get_api_event(request.user, event.pk))


@router.patch("/events/{event_id}", response=EventOut)
def event_update(request: HttpRequest, event_id: Id, payload: EventPatch) -> Event:
    """Ändra en händelse: den som rapporterade den, eller samordnaren."""
    event = _find_for_change(request, event_id)
    data = patch_fields(payload, nullable=("place", "latitude", "longitude", "organisation"))
    events.event_update(
        event=event, acting_user=request.user, **_organisation(request, event.collaboration, data)
    )
    return event_selectors.get_api_event(request.user, event_id)


@router.delete("/events/{event_id}", response={204: None})
def event_delete(request: HttpRequest, event_id: Id) -> Status:
    events.event_delete(event=_find_for_change(request, event_id), acting_user=request.user)
    return Status(204, None)


# --- Places --------------------------------------------------------------------------------------------


@router.get("/places", response=list[PlaceOut])
@paginate(Pagination)
def place_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, collaboration: Id | None = None, kommun: Code | None = None
):
    """Namngivna platser i samverkans kommuner (skolor, torg, hållplatser), med punkt om den är känd."""
    qs = event_selectors.places_for(request.user)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if kommun:
        qs = qs.filter(kommun_id=kommun)
    return qs.order_by("name", "id")


@router.get("/places/{place_id}", response=PlaceOut)
def place_detail(request: HttpRequest, place_id: Id) -> Place:
    return event_selectors.get_place_for_user(request.user, place_id)
