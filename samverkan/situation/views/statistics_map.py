"""The statistics map: hexagon heat of members' events or registered crimes per DeSO, police events per kommun
and area, and the hour × weekday tables. Every member reads it; small counts are hidden unless the user may
see exact locations (polis, samordnare) and asks for the begränsad view with ``?begransad=1``.

Served by situation (under statistik/karta/) because it shows the members' events beside the statistics.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from samverkan.core import selectors as core_selectors
from samverkan.core.areas import area_choices
from samverkan.core.forms import DateInput, DayField
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.core.permissions import can_see_exact_locations
from samverkan.core.years import FILTER_YEARS
from samverkan.indicators import heat, maps, suppression
from samverkan.situation import statistics_map

# A longer period would only make the page slow; ten years covers every series we import.
MAX_PERIOD_DAYS = 3660


class MapFilterForm(forms.Form):
    """The map's filters (GET). Kept beside its only view; every field optional with a default."""

    start = DayField(years=FILTER_YEARS, label=_("Från och med"), required=False, widget=DateInput())
    end = DayField(years=FILTER_YEARS, label=_("Till och med"), required=False, widget=DateInput())
    area_code = forms.ChoiceField(label=_("Område"), required=False)
    layer = forms.ChoiceField(label=_("Visa på kartan"), required=False)
    resolution = forms.ChoiceField(
        label=_("Storlek på sexhörningarna"),
        required=False,
        choices=[("fin", _("Små")), ("medel", _("Mellan")), ("grov", _("Stora"))],
    )
    begransad = forms.BooleanField(
        label=_("Begränsad vy: exakta tal och händelsernas punkter"),
        required=False,
        widget=forms.CheckboxInput(attrs={"value": "1"}),
    )

    def __init__(
        self,
        *args: Any,
        with_deso: bool,
        may_see_exact: bool,
        default_resolution: str = heat.DEFAULT_RESOLUTION,
        **kwargs: Any,
    ):
        default = maps.MapFilters.default()
        self.default_resolution = default_resolution
        kwargs.setdefault(
            "initial", {"start": default.start, "end": default.end, "resolution": default_resolution}
        )
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = [("", _("Alla områden")), *area_choices()]  # type: ignore[attr-defined]
        layers = [(maps.LAYER_EVENTS, maps.LAYERS[maps.LAYER_EVENTS])]
        if with_deso:
            layers.append((maps.LAYER_DESO, maps.LAYERS[maps.LAYER_DESO]))
        self.fields["layer"].choices = layers  # type: ignore[attr-defined]
        if not may_see_exact:
            del self.fields["begransad"]

    def clean_begransad(self) -> bool:
        # Only the exact value "1" asks for it ("0" and "false" must not), and the caller still checks the role.
        return self.data.get("begransad") == "1"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        default = maps.MapFilters.default()
        start, end = cleaned.get("start") or default.start, cleaned.get("end") or default.end
        if end < start:
            self.add_error("end", _("Slutdatum kan inte vara före startdatum."))
        elif (end - start).days > MAX_PERIOD_DAYS:
            self.add_error("start", _("Välj en period på högst tio år."))
        return cleaned

    def map_filters(self) -> maps.MapFilters:
        """The filters to use (defaults for what is empty, or everything default when invalid)."""
        default = maps.MapFilters.default()
        if not self.is_bound or not self.is_valid():
            return dataclasses.replace(default, resolution=self.default_resolution)
        data = self.cleaned_data
        return maps.MapFilters(
            start=data.get("start") or default.start,
            end=data.get("end") or default.end,
            area_code=data.get("area_code") or "",
            layer=data.get("layer") or maps.LAYER_EVENTS,
            resolution=data.get("resolution") or self.default_resolution,
        )

    def asks_begransad(self) -> bool:
        return bool(self.is_bound and self.is_valid() and self.cleaned_data.get("begransad"))


def _build(request: AuthenticatedRequest, collaboration_id: int) -> tuple[Collaboration, MapFilterForm, Any]:
    """Scoped fetch, filters and the page data (None when the filters are invalid)."""
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    form = MapFilterForm(
        request.GET or None,
        with_deso=maps.has_deso_data(collaboration),
        may_see_exact=can_see_exact_locations(request.user, collaboration),
        default_resolution=statistics_map.default_resolution(collaboration),
    )
    if form.is_bound and not form.is_valid():
        return collaboration, form, None
    exact = maps.begransad_view(request.user, collaboration, asked=form.asks_begransad())
    page = statistics_map.map_page(
        request.user, collaboration, form.map_filters(), exact=exact, threshold=suppression.threshold()
    )
    return collaboration, form, page


@require_GET
@login_required
def map_view(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration, form, page = _build(request, collaboration_id)
    return render(
        request,
        "situation/statistics_map.html",
        {
            "collaboration": collaboration,
            "form": form,
            "page": page,
            "threshold": suppression.threshold(),
            "fewer_than": suppression.fewer_than(suppression.threshold()),
            "map_tile_url": settings.SAMVERKAN_MAP_TILE_URL,
            "query": request.GET.urlencode(),
        },
        status=400 if page is None else 200,
    )


@require_GET
@login_required
def map_data(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    """The map layers as JSON for the map script (same filters as the page)."""
    _collaboration, form, page = _build(request, collaboration_id)
    if page is None:
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    response = JsonResponse(page.data())
    response["Cache-Control"] = "private, no-store"
    return response


BASE = "samverkan/<int:collaboration_id>/statistik/karta/"

urlpatterns: list[URLPattern] = [
    path(BASE, map_view, name="statistics_map"),
    path(BASE + "data/", map_data, name="statistics_map_data"),
]
