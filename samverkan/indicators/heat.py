"""Hexagon heat (H3) with small-count suppression, as GeoJSON for the map.

Points are binned into H3 cells; outside begränsad views a cell below the threshold is first merged with
the other small cells of its parent (one resolution coarser) and shown as the parent when the merged count
reaches the threshold, otherwise hidden. The output never carries a count below the threshold unless it is
built with ``exact=True`` (the begränsad view). Pure functions without the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import h3

from samverkan.indicators.suppression import suppress_counts

# The user's choice of hexagon size → H3 resolution. Resolution 7 is about 5 km² a cell, 8 about 0.7 km²,
# 6 about 36 km²: fine enough to see a town centre in a kommun, coarse enough to gather counts.
RESOLUTIONS: dict[str, int] = {"fin": 8, "medel": 7, "grov": 6}
DEFAULT_RESOLUTION = "medel"
# A hexagon must stay visible as a hexagon when the map shows the whole kommun: with more than this many across
# the view, the default is the next larger size (the reader may still choose any).
MAX_HEXAGONS_ACROSS = 40


def default_resolution(extent_km: float) -> str:
    """The default hexagon size for a view ``extent_km`` across: "medel" unless its hexagons would be specks."""
    for name in (DEFAULT_RESOLUTION, "grov"):
        across = 2 * h3.average_hexagon_edge_length(RESOLUTIONS[name], unit="km")
        if extent_km / across <= MAX_HEXAGONS_ACROSS:
            return name
    return "grov"


def hex_counts(points: Iterable[tuple[float, float]], resolution: int) -> dict[str, int]:
    """Number of points per H3 cell (``(latitude, longitude)`` in WGS84)."""
    return dict(Counter(h3.latlng_to_cell(lat, lon, resolution) for lat, lon in points))


@dataclass(frozen=True)
class HexCell:
    """One hexagon on the map: its cell, count, and whether it gathers several small cells."""

    cell: str
    count: int
    merged: bool

    @property
    def centre(self) -> tuple[float, float]:
        lat, lon = h3.cell_to_latlng(self.cell)
        return (lat, lon)


@dataclass(frozen=True)
class HexHeat:
    """The cells to draw, sorted by count (largest first), and what was held back."""

    cells: list[HexCell]
    hidden_total: int
    hidden_cells: int
    threshold: int
    exact: bool

    def geojson(self) -> dict[str, Any]:
        return feature_collection(self.cells)


def exact_hexes(counts: Mapping[str, int]) -> HexHeat:
    """Every cell with its exact count: only for the begränsad view."""
    cells = [HexCell(cell=c, count=n, merged=False) for c, n in counts.items() if n > 0]
    return HexHeat(cells=_sorted(cells), hidden_total=0, hidden_cells=0, threshold=0, exact=True)


def suppressed_hexes(counts: Mapping[str, int], threshold: int, resolution: int) -> HexHeat:
    """Cells ≥ threshold as they are; smaller ones merged into their parent or hidden.

    A parent shows only the sum of its small children (its large children are drawn on their own), so no
    number can be recovered by subtraction.
    """
    first = suppress_counts(counts, threshold)
    cells = [HexCell(cell=c, count=n, merged=False) for c, n in first.visible.items()]
    if resolution > 0:
        parents: Counter[str] = Counter()
        for child in first.hidden_keys:
            parents[h3.cell_to_parent(child, resolution - 1)] += counts[child]
        second = suppress_counts(parents, threshold)
        cells += [HexCell(cell=c, count=n, merged=True) for c, n in second.visible.items()]
        hidden_total, hidden_cells = (
            second.hidden_total,
            _children_hidden(first.hidden_keys, second, resolution),
        )
    else:
        hidden_total, hidden_cells = first.hidden_total, first.hidden_cells
    return HexHeat(
        cells=_sorted(cells),
        hidden_total=hidden_total,
        hidden_cells=hidden_cells,
        threshold=threshold,
        exact=False,
    )


def _children_hidden(children: Iterable[str], merged: Any, resolution: int) -> int:
    """How many of the original small cells stay hidden after merging (their parent too small)."""
    return sum(1 for child in children if h3.cell_to_parent(child, resolution - 1) in merged.hidden_keys)


def _sorted(cells: list[HexCell]) -> list[HexCell]:
    return sorted(cells, key=lambda c: (-c.count, c.merged, c.cell))


def feature_collection(cells: Iterable[HexCell]) -> dict[str, Any]:
    """GeoJSON polygons (closed rings, [lon, lat]) with ``count``, ``merged`` and ``cell`` properties."""
    features = []
    for item in cells:
        ring = [[round(lon, 6), round(lat, 6)] for lat, lon in h3.cell_to_boundary(item.cell)]
        ring.append(ring[0])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    "cell": item.cell,
                    "count": item.count,
                    "merged": item.merged,
                    "resolution": h3.get_resolution(item.cell),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
