"""The statistics map page: the members' events as hexagons (or registered crimes per DeSO), police events
per kommun and area, and the hour × weekday tables.

It lives here, not in indicators, because it shows the members' events beside the statistics
(``indicators.maps``): situation may read indicators, never the other way round.
Outside the begränsad view every count below the threshold is hidden or merged (``suppression``, ``heat``).
The begränsad view (``exact=True``) is for users who may see exact locations *and* asked for it; the
caller decides that with ``maps.begransad_view``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from samverkan.core.models import Collaboration
from samverkan.core.shipped import shipped
from samverkan.core.visibility import record_reads
from samverkan.indicators import heat
from samverkan.indicators.maps import (
    LAYER_DESO,
    CountRow,
    DesoMap,
    MapFilters,
    WeekTable,
    deso_map,
    police_counts,
    police_events,
    police_week_counts,
    week_table,
)
from samverkan.indicators.suppression import Cell, cell
from samverkan.situation import geo, map_context
from samverkan.situation.models import Event
from samverkan.situation.selectors.events import events_for

# --- Members' events -------------------------------------------------------------------------------------


def member_events(user: Any, collaboration: Collaboration, filters: MapFilters) -> QuerySet[Event]:
    """The members' events of the period that the user may read (the visibility rule decides)."""
    return events_for(
        user, collaboration, start=filters.start, end=filters.end, area_code=filters.area_code or None
    )


def event_heat(events: Iterable[Event], *, resolution: int, threshold: int, exact: bool) -> heat.HexHeat:
    """Hexagons of the events that have a point."""
    counts = heat.hex_counts(
        ((e.latitude, e.longitude) for e in events if e.latitude is not None and e.longitude is not None),
        resolution,
    )
    return heat.exact_hexes(counts) if exact else heat.suppressed_hexes(counts, threshold, resolution)


def event_points(events: Iterable[Event]) -> dict[str, Any]:
    """Event points as GeoJSON (begränsad view only): category, area, time and link; no free text."""
    features = []
    for event in events:
        if event.latitude is None or event.longitude is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude]},
                "properties": {
                    "category": shipped(event.category.name),
                    "area": event.category.area_code,
                    "when": timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M"),
                    "url": reverse("situation:event_detail", args=[event.collaboration_id, event.pk]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def event_week_counts(events: Iterable[Event]) -> dict[tuple[int, int], int]:
    counter: Counter[tuple[int, int]] = Counter()
    for event in events:
        local = timezone.localtime(event.occurred_at)
        counter[(local.weekday(), local.hour)] += 1
    return dict(counter)


def default_resolution(collaboration: Collaboration) -> str:
    """The hexagon size shown until the reader chooses: larger for a large kommun (or network), so that at
    the fitted view the hexagons are visible as hexagons."""
    extent = geo.extent_km(map_context.kommun_codes(collaboration))
    return heat.DEFAULT_RESOLUTION if extent is None else heat.default_resolution(extent)


# --- The page ------------------------------------------------------------------------------------------


@dataclass
class MapPage:
    """Everything the map page and its JSON show, built once per request."""

    filters: MapFilters
    exact: bool
    threshold: int
    hexes: heat.HexHeat | None
    points: list[Event]
    deso: DesoMap | None
    police_by_kommun: list[CountRow]
    police_by_area: list[CountRow]
    police_total: Cell
    member_week: WeekTable
    police_week: WeekTable
    events_total: Cell
    events_without_point: Cell
    collaboration: Collaboration
    hex_names: dict[str, str]

    @property
    def hex_rows(self) -> list[tuple[heat.HexCell, str]]:
        """The drawn hexagons, each with the name of its nearest place, for the table beside the map."""
        cells = self.hexes.cells if self.hexes is not None else []
        return [(item, self.hex_names.get(item.cell, "")) for item in cells]

    def data(self) -> dict[str, Any]:
        """The map layers as JSON (GeoJSON FeatureCollections) and their geographic context; only the
        begränsad view carries points."""
        hexes = None
        if self.hexes is not None:
            hexes = self.hexes.geojson()
            for feature in hexes["features"]:
                feature["properties"]["place"] = self.hex_names.get(feature["properties"]["cell"], "")
        return {
            "begransad": self.exact,
            "threshold": self.threshold,
            "layer": self.filters.layer,
            "hexes": hexes,
            "deso": self.deso.geojson() if self.deso is not None else None,
            "points": event_points(self.points) if self.exact else None,
            "context": map_context.map_context(map_context.kommun_codes(self.collaboration)),
        }


def map_page(
    user: Any, collaboration: Collaboration, filters: MapFilters, *, exact: bool, threshold: int
) -> MapPage:
    """Build the page for one user, recording the reads of the event points it shows.

    ``exact`` must come from ``maps.begransad_view``.
    """
    events = list(member_events(user, collaboration, filters))
    with_point = [e for e in events if e.latitude is not None and e.longitude is not None]
    hexes = None
    deso = None
    if filters.layer == LAYER_DESO:
        deso = deso_map(collaboration, filters, threshold=threshold, exact=exact)
    else:
        hexes = event_heat(
            with_point, resolution=heat.RESOLUTIONS[filters.resolution], threshold=threshold, exact=exact
        )
    names = map_context.hex_names(hexes.cells, map_context.kommun_codes(collaboration)) if hexes else {}
    police = police_events(collaboration, filters)
    by_kommun, by_area = police_counts(police)
    police_week = week_table(police_week_counts(police), threshold=threshold, exact=exact)
    points = with_point if exact and hexes is not None else []
    if exact:
        record_reads(user, points)
    return MapPage(
        filters=filters,
        exact=exact,
        threshold=threshold,
        hexes=hexes,
        points=points,
        deso=deso,
        police_by_kommun=by_kommun,
        police_by_area=by_area,
        police_total=cell(police_week.total, threshold=1, exact=True),
        member_week=week_table(event_week_counts(events), threshold=threshold, exact=exact),
        police_week=police_week,
        events_total=cell(len(events), threshold=threshold, exact=exact),
        events_without_point=cell(len(events) - len(with_point), threshold=threshold, exact=exact),
        collaboration=collaboration,
        hex_names=names,
    )
