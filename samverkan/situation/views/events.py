"""Händelserapporter (events on a map and in a table) and the collaboration's named places.

Each view: scoped fetch (selectors, the visibility rule) → form → service → redirect/render. Every member
reads; writers report events (permissions.can_report_situation); the reporter or the samordnare edits
them (permissions.can_edit_event); the samordnare keeps the places.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.situation import geo, map_context
from samverkan.situation.forms.events import EventFilterForm, EventForm, PlaceForm
from samverkan.situation.models import Event, Place
from samverkan.situation.selectors import events as selectors
from samverkan.situation.services import events as services
from samverkan.situation.services.rounds import default_answer_level

PER_PAGE = 25
# The map shows at most this many of the filtered events (newest first); the table pages through all.
MAP_LIMIT = 500


def _map_context(collaboration: Collaboration, rows: list[Event]) -> dict[str, Any]:
    return {
        "map_events": selectors.map_events(rows),
        "map_kommun_codes": [k.pk for k in collaboration.kommuner.all()],
        "map_tile_url": settings.SAMVERKAN_MAP_TILE_URL,
    }


@login_required
def event_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    categories = selectors.categories_for(collaboration)
    filters = EventFilterForm(request.GET or None, collaboration=collaboration, categories=categories)
    page, on_map = selectors.event_page(
        request.user,
        collaboration,
        filters=filters.filters(),
        number=request.GET.get("sida"),
        per_page=PER_PAGE,
        map_limit=MAP_LIMIT,
    )
    return render(
        request,
        "situation/event_list.html",
        {
            "collaboration": collaboration,
            "filters": filters,
            "page": page,
            "map_capped": page.paginator.count > MAP_LIMIT,
            "map_limit": MAP_LIMIT,
            "several_kommuner": collaboration.kommuner.count() > 1,
            "can_report": permissions.can_report_situation(request.user, collaboration),
            "can_manage_places": permissions.can_manage_collaboration(request.user, collaboration),
            **_map_context(collaboration, on_map),
        },
    )


@login_required
def event_detail(request: AuthenticatedRequest, collaboration_id: int, event_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    event = selectors.get_event_for_user(request.user, collaboration, event_id)
    return render(
        request,
        "situation/event_detail.html",
        {
            "collaboration": collaboration,
            "event": event,
            "can_edit": permissions.can_edit_event(request.user, event),
            **_map_context(collaboration, [event]),
        },
    )


@login_required
def event_create(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_report_situation
    )
    return _event_form(request, collaboration, event=None)


@login_required
def event_edit(request: AuthenticatedRequest, collaboration_id: int, event_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    event = selectors.get_event_for_user(request.user, collaboration, event_id)
    if not permissions.can_edit_event(request.user, event):
        raise PermissionDenied
    return _event_form(request, collaboration, event=event)


def _event_form(
    request: AuthenticatedRequest, collaboration: Collaboration, event: Event | None
) -> HttpResponse:
    level, roles = default_answer_level(request.user, collaboration)
    form = EventForm(
        request.POST or None,
        initial=EventForm.initial_for(event, level=level, restricted_to=roles),
        collaboration=collaboration,
        categories=selectors.categories_for(collaboration, include=event.category if event else None),
        places=selectors.place_list(collaboration),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if event is None:
                saved = services.event_create(
                    collaboration=collaboration, acting_user=request.user, **form.cleaned_data
                )
            else:
                saved = services.event_update(event=event, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Händelsen är sparad."))
            return redirect("situation:event_detail", collaboration_id=collaboration.pk, event_id=saved.pk)
    return render(
        request,
        "situation/event_form.html",
        {
            "collaboration": collaboration,
            "form": form,
            "event": event,
            "map_kommun_codes": [k.pk for k in collaboration.kommuner.all()],
            "map_tile_url": settings.SAMVERKAN_MAP_TILE_URL,
        },
    )


@require_POST
@login_required
def event_delete(request: AuthenticatedRequest, collaboration_id: int, event_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    event = selectors.get_event_for_user(request.user, collaboration, event_id)
    if not permissions.can_edit_event(request.user, event):
        raise PermissionDenied
    services.event_delete(event=event, acting_user=request.user)
    messages.success(request, _("Händelsen är borttagen."))
    return redirect("situation:event_list", collaboration_id=collaboration.pk)


@require_GET
@login_required
def kommun_boundaries(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    """GeoJSON of the collaboration's kommuner (``?kod=`` narrows to some of them) for the map script, with
    their context (neighbours, localities, the view to fit) as a foreign member ``context``."""
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    codes = [k.pk for k in collaboration.kommuner.all()]
    asked = request.GET.getlist("kod")
    if asked:
        codes = [code for code in codes if code in asked]
    document = geo.kommuner_geojson(codes)
    document["context"] = map_context.map_context(sorted(codes))
    response = JsonResponse(document)
    response["Cache-Control"] = "private, max-age=86400"
    return response


# --- Places ----------------------------------------------------------------------------------------


@login_required
def place_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    return render(
        request,
        "situation/place_list.html",
        {
            "collaboration": collaboration,
            "places": selectors.place_list(collaboration),
            "can_edit": permissions.can_manage_collaboration(request.user, collaboration),
        },
    )


@login_required
def place_create(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_manage_collaboration
    )
    return _place_form(request, collaboration, place=None)


@login_required
def place_edit(request: AuthenticatedRequest, collaboration_id: int, place_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_manage_collaboration
    )
    return _place_form(
        request, collaboration, place=selectors.get_place(request.user, collaboration, place_id)
    )


def _place_form(
    request: AuthenticatedRequest, collaboration: Collaboration, place: Place | None
) -> HttpResponse:
    form = PlaceForm(request.POST or None, initial=PlaceForm.initial_for(place), collaboration=collaboration)
    if request.method == "POST" and form.is_valid():
        try:
            if place is None:
                saved = services.place_create(
                    collaboration=collaboration, acting_user=request.user, **form.cleaned_data
                )
            else:
                saved = services.place_update(place=place, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Platsen %(name)s är sparad.") % {"name": saved.name})
            return redirect("situation:place_list", collaboration_id=collaboration.pk)
    return render(
        request,
        "situation/place_form.html",
        {
            "collaboration": collaboration,
            "form": form,
            "place": place,
            "map_kommun_codes": [k.pk for k in collaboration.kommuner.all()],
            "map_tile_url": settings.SAMVERKAN_MAP_TILE_URL,
        },
    )


@login_required
def place_delete(request: AuthenticatedRequest, collaboration_id: int, place_id: int) -> HttpResponse:
    """GET asks for confirmation; POST removes the place (its events keep the name as text)."""
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_manage_collaboration
    )
    place = selectors.get_place(request.user, collaboration, place_id)
    if request.method == "POST":
        services.place_delete(place=place, acting_user=request.user)
        messages.success(request, _("Platsen %(name)s är borttagen.") % {"name": place.name})
        return redirect("situation:place_list", collaboration_id=collaboration.pk)
    return render(
        request,
        "situation/place_delete.html",
        {"collaboration": collaboration, "place": place, "event_count": place.events.count()},
    )


BASE = "samverkan/<int:collaboration_id>/lagesbild/"
EVENTS = BASE + "handelser/"
EVENT = EVENTS + "<int:event_id>/"
PLACES = BASE + "platser/"
PLACE = PLACES + "<int:place_id>/"

urlpatterns: list[URLPattern] = [
    path(EVENTS, event_list, name="event_list"),
    path(EVENTS + "ny/", event_create, name="event_create"),
    path(EVENT, event_detail, name="event_detail"),
    path(EVENT + "andra/", event_edit, name="event_edit"),
    path(EVENT + "ta-bort/", event_delete, name="event_delete"),
    path(BASE + "kommungranser.json", kommun_boundaries, name="kommun_boundaries"),
    path(PLACES, place_list, name="place_list"),
    path(PLACES + "ny/", place_create, name="place_create"),
    path(PLACE + "andra/", place_edit, name="place_edit"),
    path(PLACE + "ta-bort/", place_delete, name="place_delete"),
]
