"""Kommun boundaries: point-in-kommun checks for events and the GeoJSON the event map draws.

The boundaries are vendored in ``samverkan/core/data/kommun_boundaries.json`` (made by
``samverkan vendor_boundaries``), so the app needs nothing outside its package. They are simplified,
so a point a little outside the drawn border still counts as inside (``POINT_TOLERANCE_METRES``).
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

from shapely import Point
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points
from shapely.prepared import PreparedGeometry, prep

BOUNDARIES_PATH = Path(__file__).resolve().parent.parent / "core" / "data" / "kommun_boundaries.json"

# Simplification (0.002°) moves borders by up to ~220 m north–south; a point that close to the border counts.
POINT_TOLERANCE_METRES = 250.0
_EARTH_RADIUS_METRES = 6_371_000.0
# Generous margin in degrees for the cheap bounding-box test before measuring the distance.
_BBOX_MARGIN_DEGREES = 0.01


@cache
def _document() -> dict[str, Any]:
    return json.loads(BOUNDARIES_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def kommun_codes() -> list[str]:
    """Every kommunkod with a boundary."""
    return list(_document()["kommuner"])


def boundaries_source() -> str:
    """Where the boundaries come from (for attribution on the map)."""
    return str(_document().get("source", ""))


@cache
def kommun_shape(kod: str) -> BaseGeometry | None:
    """The kommun's (simplified) polygon, or None for an unknown code."""
    entry = _document()["kommuner"].get(kod)
    return shape(entry["geometry"]) if entry else None


@cache
def _prepared(kod: str) -> PreparedGeometry | None:
    geometry = kommun_shape(kod)
    return prep(geometry) if geometry is not None else None


def bbox(kod: str) -> tuple[float, float, float, float] | None:
    """(min_lon, min_lat, max_lon, max_lat) of the kommun, or None for an unknown code."""
    geometry = kommun_shape(kod)
    return tuple(geometry.bounds) if geometry is not None else None  # type: ignore[return-value]


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_METRES * math.asin(math.sqrt(h))


def point_in_kommun(kod: str, lat: float, lon: float, *, tolerance: float = POINT_TOLERANCE_METRES) -> bool:
    """Whether (lat, lon) lies inside the kommun, or within ``tolerance`` metres of its drawn border."""
    prepared = _prepared(kod)
    if prepared is None:
        return False
    point = Point(lon, lat)
    if prepared.contains(point):
        return True
    if tolerance <= 0:
        return False
    min_lon, min_lat, max_lon, max_lat = bbox(kod)  # type: ignore[misc]
    margin = _BBOX_MARGIN_DEGREES
    if not (
        min_lon - margin * 3 <= lon <= max_lon + margin * 3 and min_lat - margin <= lat <= max_lat + margin
    ):
        return False
    nearest = nearest_points(kommun_shape(kod), point)[0]
    return distance_metres(lat, lon, nearest.y, nearest.x) <= tolerance


def kommun_at(lat: float, lon: float) -> str | None:
    """The kommunkod whose boundary contains (lat, lon), if any (no tolerance)."""
    point = Point(lon, lat)
    for kod in kommun_codes():
        min_lon, min_lat, max_lon, max_lat = bbox(kod)  # type: ignore[misc]
        if min_lon <= lon <= max_lon and min_lat <= lat <= max_lat and _prepared(kod).contains(point):  # type: ignore[union-attr]
            return kod
    return None


def kommun_geojson(kod: str) -> dict[str, Any] | None:
    """A GeoJSON Feature of the kommun for the map (properties: kod, name), or None."""
    entry = _document()["kommuner"].get(kod)
    if entry is None:
        return None
    return {
        "type": "Feature",
        "properties": {"kod": kod, "name": entry["name"]},
        "geometry": entry["geometry"],
    }


def kommuner_geojson(codes: list[str]) -> dict[str, Any]:
    """A FeatureCollection of the given kommuner (unknown codes are left out)."""
    features = [f for f in (kommun_geojson(kod) for kod in codes) if f is not None]
    return {"type": "FeatureCollection", "features": features}


# Around the kommun, so its border and a little of each neighbour show: a twentieth of its extent on each
# side, at least ~2 km (a small kommun would otherwise fill the map edge to edge).
FIT_MARGIN_SHARE = 0.05
FIT_MARGIN_MIN_DEGREES = 0.02
# Neighbours are kommuner within this distance of the border (the simplified borders do not always touch).
NEIGHBOUR_DEGREES = 0.01


def fitted_bounds(codes: list[str]) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """((south, west), (north, east)) of the kommuner with a margin, for the map to fit; None without any."""
    boxes = [box for box in (bbox(kod) for kod in codes) if box is not None]
    if not boxes:
        return None
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    lat_margin = max((north - south) * FIT_MARGIN_SHARE, FIT_MARGIN_MIN_DEGREES)
    # A degree of longitude is shorter in the north; the same ground distance is more degrees.
    lon_margin = max(
        (east - west) * FIT_MARGIN_SHARE, lat_margin / math.cos(math.radians((north + south) / 2))
    )
    return (
        (round(south - lat_margin, 5), round(west - lon_margin, 5)),
        (round(north + lat_margin, 5), round(east + lon_margin, 5)),
    )


def extent_km(codes: list[str]) -> float | None:
    """The longer side, in km, of the view fitted to the kommuner (None without any)."""
    bounds = fitted_bounds(codes)
    if bounds is None:
        return None
    (south, west), (north, east) = bounds
    middle = (south + north) / 2
    return max(distance_metres(south, west, north, west), distance_metres(middle, west, middle, east)) / 1000


def neighbours(codes: list[str]) -> list[str]:
    """The kommuner bordering the given ones (not themselves), by code."""
    own = [shape for shape in (kommun_shape(kod) for kod in codes) if shape is not None]
    if not own:
        return []
    found = []
    for kod in kommun_codes():
        if kod in codes:
            continue
        min_lon, min_lat, max_lon, max_lat = bbox(kod)  # type: ignore[misc]
        candidate = kommun_shape(kod)
        for mine in own:
            m_west, m_south, m_east, m_north = mine.bounds
            margin = NEIGHBOUR_DEGREES
            if max_lon < m_west - margin or min_lon > m_east + margin:
                continue
            if max_lat < m_south - margin or min_lat > m_north + margin:
                continue
            if candidate is not None and candidate.distance(mine) <= margin:
                found.append(kod)
                break
    return found


def label_point(kod: str) -> tuple[float, float] | None:
    """(lat, lon) inside the kommun where its name can stand (a point on its surface, not the centroid,
    which may fall outside a crescent-shaped kommun)."""
    geometry = kommun_shape(kod)
    if geometry is None:
        return None
    point = geometry.representative_point()
    return (round(point.y, 4), round(point.x, 4))
