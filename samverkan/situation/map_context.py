"""What a reader needs to tell where things are on a map: the collaboration's kommuner and their neighbours,
the DeSO areas, the names of towns and villages, and the view to fit.

All of it is open reference data shipped in the package (``core/data``) or imported (DeSO), never the
collaboration's content, so it carries no level and no count, and nothing here can reveal a suppressed cell.
The map scripts draw it under the statistics (``indicators/map.js``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import h3
from shapely.geometry import mapping, shape

from samverkan.core.models import Collaboration
from samverkan.indicators.heat import HexCell
from samverkan.indicators.models import Deso
from samverkan.indicators.revision import DESO_AREAS, data_revision
from samverkan.situation import geo, localities
from samverkan.situation.selectors.picture.cache import cached_value

# Beside a hexagon named by a place, another is "1 km NO om" it from this distance on.
DISTINCT_FROM_METRES = 500.0
# DeSO outlines only frame the picture: about 50 m of simplification is invisible at kommun scale and
# keeps the JSON small.
DESO_OUTLINE_TOLERANCE = 0.0005
# The shipped data only changes with a release, which may change the shape too: raise this with it.
CONTEXT_FORMAT = 1
MAP_CONTEXT_CACHE_SECONDS = 3600


def kommun_codes(collaboration: Collaboration) -> list[str]:
    return sorted(collaboration.kommuner.values_list("kod", flat=True))


def _kommun_feature(kod: str, *, own: bool) -> dict[str, Any] | None:
    feature = geo.kommun_geojson(kod)
    if feature is None:
        return None
    point = geo.label_point(kod)
    feature["properties"].update({"own": own, "label": list(point) if point else None})
    return feature


def _rounded(coords: Any) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        return [round(float(c), 4) for c in coords[:2]]
    return [_rounded(c) for c in coords]


def deso_outlines(codes: Iterable[str]) -> list[dict[str, Any]]:
    """The imported DeSO areas of the kommuner as simplified outlines (code and name only)."""
    features = []
    for deso in Deso.objects.filter(kommun_id__in=list(codes)).order_by("code"):
        if not deso.geometry:
            continue
        outline = shape(deso.geometry).simplify(DESO_OUTLINE_TOLERANCE, preserve_topology=True)
        data = mapping(outline)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": data["type"], "coordinates": _rounded(data["coordinates"])},
                "properties": {"code": deso.code, "name": deso.regso},
            }
        )
    return features


def _inside(bounds: tuple[tuple[float, float], tuple[float, float]], lat: float, lon: float) -> bool:
    (south, west), (north, east) = bounds
    return south <= lat <= north and west <= lon <= east


def map_context(own: list[str]) -> dict[str, Any]:
    """The context of the kommuner ``own`` (the collaboration's, or some of them) and the view to fit, as JSON
    for the map scripts.

    ``places`` carry a ``rank`` for the label placement: 1 the seat of one of the collaboration's kommuner,
    2 another locality in them, 3 a neighbour's seat, 4 another locality of a neighbour in view.

    Cached per kommun set and DeSO revision (the one thing in it that is not shipped with the package moves
    it on when imported), in this process's memo and Django's cache; a shared object: not to be changed.
    """
    key = f"situation:map-context:{CONTEXT_FORMAT}:{','.join(own)}:{data_revision(DESO_AREAS)}"
    context: dict[str, Any] = cached_value(key, lambda: build_map_context(own), MAP_CONTEXT_CACHE_SECONDS)
    return context


def build_map_context(own: list[str]) -> dict[str, Any]:
    """``map_context`` built afresh: a DeSO query and a simplification of every outline."""
    near = geo.neighbours(own)
    bounds = geo.fitted_bounds(own)
    kommuner = [f for f in (_kommun_feature(kod, own=True) for kod in own) if f is not None]
    neighbours = [f for f in (_kommun_feature(kod, own=False) for kod in near) if f is not None]
    names = {f["properties"]["kod"]: f["properties"]["name"] for f in kommuner + neighbours}
    places = []
    for place in localities.localities_in(set(own) | set(near)):
        if bounds is not None and not _inside(bounds, place.lat, place.lon):
            continue
        seat = place.name == names.get(place.kommun)
        rank = (1 if seat else 2) if place.kommun in own else (3 if seat else 4)
        places.append({"name": place.name, "lat": place.lat, "lon": place.lon, "rank": rank})
    places.sort(key=lambda p: (p["rank"], p["name"]))
    return {
        "bounds": [list(bounds[0]), list(bounds[1])] if bounds else None,
        "kommuner": {"type": "FeatureCollection", "features": kommuner},
        "neighbours": {"type": "FeatureCollection", "features": neighbours},
        "deso": {"type": "FeatureCollection", "features": deso_outlines(own)},
        "places": places,
    }


def hex_names(cells: Iterable[HexCell], codes: list[str]) -> dict[str, str]:
    """Each shown hexagon named by its nearest locality in the kommuner (their neighbours when they have
    none): "Särna" when the hexagon holds it, else "8 km NV om Idre"; only the cells given, so a hidden cell
    is never named."""
    places = localities.localities_in(codes) or localities.localities_in(geo.neighbours(codes))
    cells = list(cells)
    names = {}
    for item in cells:
        lat, lon = item.centre
        # The circumradius of a hexagon is its edge length: a locality that close lies in (or at) the hexagon.
        radius = h3.average_hexagon_edge_length(h3.get_resolution(item.cell), unit="m")
        within = max(radius, localities.AT_PLACE_METRES)
        names[item.cell] = localities.describe(lat, lon, places, within=within)
    # Two rows both called "Särna" tell the reader little: the one nearest the place keeps its name, the
    # others say how far and which way from it, from half a kilometre on.
    by_name: dict[str, list[HexCell]] = {}
    for item in cells:
        by_name.setdefault(names[item.cell], []).append(item)
    for same in by_name.values():
        if len(same) < 2:
            continue
        distances = {}
        for item in same:
            found = localities.nearest(item.centre[0], item.centre[1], places)
            distances[item.cell] = found[1] if found else 0.0
        same.sort(key=lambda item: distances[item.cell])
        for item in same[1:]:
            lat, lon = item.centre
            names[item.cell] = localities.describe(lat, lon, places, within=DISTINCT_FROM_METRES)
    return names
