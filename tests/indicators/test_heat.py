"""Hexagon heat: binning, merging small cells into their parent, and GeoJSON that never holds a small count."""

from __future__ import annotations

import h3
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.indicators.heat import exact_hexes, feature_collection, hex_counts, suppressed_hexes

MALA = (65.1833, 18.7422)
RES = 7


def _neighbour_cells(n: int) -> list[str]:
    """n distinct resolution-7 cells around Malå."""
    centre = h3.latlng_to_cell(*MALA, RES)
    return sorted(h3.grid_disk(centre, 3))[:n]


def test_points_are_binned_by_cell():
    counts = hex_counts([MALA, MALA, (MALA[0] + 0.0001, MALA[1]), (61.0047, 14.5373)], RES)
    assert counts[h3.latlng_to_cell(*MALA, RES)] == 3
    assert sum(counts.values()) == 4 and len(counts) == 2


def test_large_cells_stay_and_small_ones_are_hidden_when_their_parent_stays_small():
    big, small = _siblings_and_other()
    result = suppressed_hexes({big: 6, small: 2}, 5, RES)
    assert [(c.cell, c.count, c.merged) for c in result.cells] == [(big, 6, False)]
    assert (result.hidden_total, result.hidden_cells) == (2, 1)


def test_small_siblings_are_merged_into_their_parent_when_they_reach_the_threshold():
    children = sorted(h3.cell_to_children(h3.latlng_to_cell(*MALA, RES - 1), RES))
    counts = {children[0]: 3, children[1]: 2, children[2]: 9}
    result = suppressed_hexes(counts, 5, RES)
    parent = h3.cell_to_parent(children[0], RES - 1)
    assert {(c.cell, c.count, c.merged) for c in result.cells} == {(children[2], 9, False), (parent, 5, True)}
    assert (result.hidden_total, result.hidden_cells) == (0, 0)


def test_exact_view_keeps_every_cell():
    cells = _neighbour_cells(3)
    result = exact_hexes({cells[0]: 1, cells[1]: 2, cells[2]: 0})
    assert sorted(c.count for c in result.cells) == [1, 2] and result.exact


def test_geojson_polygons_are_closed_rings_in_lon_lat():
    cell = h3.latlng_to_cell(*MALA, RES)
    collection = exact_hexes({cell: 7}).geojson()
    feature = collection["features"][0]
    ring = feature["geometry"]["coordinates"][0]
    assert collection["type"] == "FeatureCollection" and feature["geometry"]["type"] == "Polygon"
    assert ring[0] == ring[-1] and len(ring) == 7
    lon, lat = ring[0]
    assert abs(lat - MALA[0]) < 0.1 and abs(lon - MALA[1]) < 0.1
    assert feature["properties"] == {"cell": cell, "count": 7, "merged": False, "resolution": RES}


points = st.lists(
    st.tuples(st.floats(min_value=65.1, max_value=65.3), st.floats(min_value=18.5, max_value=19.0)),
    max_size=80,
)


@settings(max_examples=60, deadline=None)
@given(points=points, limit=st.integers(min_value=2, max_value=8), res=st.sampled_from([6, 7, 8]))
def test_suppressed_geojson_never_holds_a_count_below_threshold(points, limit, res):
    counts = hex_counts(points, res)
    result = suppressed_hexes(counts, limit, res)
    features = feature_collection(result.cells)["features"]
    assert all(f["properties"]["count"] >= limit for f in features)
    # Nothing is lost: what is drawn plus what is hidden is every point.
    assert sum(c.count for c in result.cells) + result.hidden_total == len(points)


def _siblings_and_other() -> tuple[str, str]:
    """Two resolution-7 cells with different parents."""
    first = h3.latlng_to_cell(*MALA, RES)
    for other in sorted(h3.grid_disk(first, 4)):
        if h3.cell_to_parent(other, RES - 1) != h3.cell_to_parent(first, RES - 1):
            return first, other
    raise AssertionError("no cell with another parent nearby")
