"""Vendored kommun boundaries: every kommun present, known points inside the right kommun, sea in none."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from samverkan.situation import geo

KOMMUNER_CSV = Path(geo.__file__).resolve().parent.parent / "core" / "data" / "kommuner.csv"

ALVDALEN_CENTRE = (61.2266, 14.0395)
MALA_TOWN = (65.1833, 18.7422)
MORA_TOWN = (61.0047, 14.5373)
BALTIC_SEA = (56.0, 17.5)  # between Öland and Gotland


def _csv_codes() -> set[str]:
    with KOMMUNER_CSV.open(encoding="utf-8") as f:
        return {row["kommunkod"] for row in csv.DictReader(f)}


def test_all_290_kommuner_have_a_boundary():
    codes = set(geo.kommun_codes())
    assert len(codes) == 290
    assert codes == _csv_codes()


def test_the_vendored_file_is_small_and_says_where_it_comes_from():
    assert geo.BOUNDARIES_PATH.stat().st_size < 1_500_000
    document = json.loads(geo.BOUNDARIES_PATH.read_text(encoding="utf-8"))
    assert "okfse/sweden-geojson" in document["source"]


def test_alvdalen_centre_is_in_alvdalen():
    assert geo.point_in_kommun("2039", *ALVDALEN_CENTRE)
    assert geo.kommun_at(*ALVDALEN_CENTRE) == "2039"


def test_mala_town_is_in_mala():
    assert geo.point_in_kommun("2418", *MALA_TOWN)
    assert geo.kommun_at(*MALA_TOWN) == "2418"


def test_a_point_in_mora_is_not_in_alvdalen():
    assert geo.kommun_at(*MORA_TOWN) == "2062"
    assert geo.point_in_kommun("2062", *MORA_TOWN)
    assert not geo.point_in_kommun("2039", *MORA_TOWN)


def test_a_sea_point_is_in_no_kommun():
    assert geo.kommun_at(*BALTIC_SEA) is None
    assert not any(geo.point_in_kommun(kod, *BALTIC_SEA) for kod in ("0980", "0882", "0885", "0840"))


def test_every_kommun_centroid_lies_inside_its_own_boundary():
    """The reference centroids (kommuner.csv) survive the simplification."""
    with KOMMUNER_CSV.open(encoding="utf-8") as f:
        outside = [
            row["kommunkod"]
            for row in csv.DictReader(f)
            if not geo.point_in_kommun(
                row["kommunkod"], float(row["centroid_lat"]), float(row["centroid_lon"])
            )
        ]
    assert outside == []


def test_tolerance_accepts_a_point_just_outside_the_drawn_border_only():
    """A point ~100 m outside the simplified border counts (simplification moves borders); 2 km does not."""
    from shapely import Point
    from shapely.ops import nearest_points

    shape = geo.kommun_shape("2418")
    assert shape is not None
    # Walk north from Malå town until just outside the boundary.
    lat, lon = MALA_TOWN
    while geo.point_in_kommun("2418", lat, lon, tolerance=0):
        lat += 0.0005
    border = nearest_points(shape, Point(lon, lat))[0]
    assert geo.distance_metres(lat, lon, border.y, border.x) < geo.POINT_TOLERANCE_METRES
    assert geo.point_in_kommun("2418", lat, lon)
    assert not geo.point_in_kommun("2418", lat + 0.02, lon)


def test_unknown_kommun():
    assert geo.kommun_shape("9999") is None
    assert geo.bbox("9999") is None
    assert geo.kommun_geojson("9999") is None
    assert not geo.point_in_kommun("9999", *MALA_TOWN)


def test_geojson_and_bbox_for_the_map():
    feature = geo.kommun_geojson("2418")
    assert feature is not None
    assert feature["properties"] == {"kod": "2418", "name": "Malå"}
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    min_lon, min_lat, max_lon, max_lat = geo.bbox("2418")  # type: ignore[misc]
    assert min_lat < MALA_TOWN[0] < max_lat and min_lon < MALA_TOWN[1] < max_lon
    collection = geo.kommuner_geojson(["2418", "2039", "9999"])
    assert [f["properties"]["kod"] for f in collection["features"]] == ["2418", "2039"]


@pytest.mark.django_db
def test_vendor_boundaries_command_writes_a_keyed_simplified_file(tmp_path):
    from django.core.management import call_command

    source = tmp_path / "src.geojson"
    square = [[[18.0, 65.0], [18.0010001, 65.0], [18.5, 65.0], [18.5, 65.3], [18.0, 65.3], [18.0, 65.0]]]
    source.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"id": "2418", "kom_namn": "Malå"},
                        "geometry": {"type": "Polygon", "coordinates": square},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    output = tmp_path / "out.json"
    call_command("vendor_boundaries", str(source), output=str(output))
    written = json.loads(output.read_text(encoding="utf-8"))
    geometry = written["kommuner"]["2418"]["geometry"]
    assert written["kommuner"]["2418"]["name"] == "Malå"
    ring = geometry["coordinates"][0]
    assert [18.0010001, 65.0] not in ring and len(ring) == 5  # the near-collinear vertex is gone
    assert all(len(str(c).split(".")[-1]) <= 5 for point in ring for c in point)
