"""DeSO boundaries from GeoJSON: simplified, with centroids; bad features are errors, nothing half-written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from samverkan.indicators.models import Deso
from samverkan.indicators.polisen import ImportFileError
from samverkan.indicators.revision import DESO_AREAS, data_revision
from samverkan.indicators.services.deso import import_deso_areas
from samverkan.indicators.services.table_import import DuplicateImportError, TableImportError

pytestmark = pytest.mark.django_db

GEO_FILE = Path(__file__).resolve().parents[3] / "shared" / "data" / "geo" / "deso_dalarna_2025.geojson"


def feature(code: str, kommun: str, ring: list[list[float]] | None = None) -> dict:
    ring = ring or [[14.0, 61.0], [14.01, 61.0], [14.01, 61.01], [14.0, 61.01], [14.0, 61.0]]
    return {
        "type": "Feature",
        "properties": {
            "desokod": code,
            "regsokod": f"{kommun}R001",
            "kommunkod": kommun,
            "version": "2025_v1",
        },
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def collection(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def test_areas_are_created_with_centroid_and_updated_on_change():
    run = import_deso_areas(data=collection(feature("2039A0010", "2039")), file_name="deso.geojson")
    assert (run.kind, run.counts["lines"], run.counts["imported"]) == ("deso_areas", 1, 1)
    deso = Deso.objects.get(code="2039A0010")
    assert (deso.kommun_id, deso.regso, deso.version) == ("2039", "2039R001", "2025_v1")
    assert deso.centroid_lat == pytest.approx(61.005)
    assert deso.centroid_lon == pytest.approx(14.005)
    assert deso.geometry["type"] == "Polygon"

    moved = feature(
        "2039A0010", "2039", [[14.0, 61.0], [14.02, 61.0], [14.02, 61.01], [14.0, 61.01], [14.0, 61.0]]
    )
    again = import_deso_areas(data=collection(moved, feature("2039A0020", "2039")), file_name="deso2.geojson")
    assert (again.counts["updated"], again.counts["imported"], again.counts["unchanged"]) == (1, 1, 0)
    deso.refresh_from_db()
    assert deso.centroid_lon == pytest.approx(14.01)


def test_a_regso_name_from_crime_statistics_is_kept():
    Deso.objects.create(code="2039A0010", kommun_id="2039", regso="Älvdalen")
    import_deso_areas(data=collection(feature("2039A0010", "2039")), file_name="deso.geojson")
    assert Deso.objects.get(code="2039A0010").regso == "Älvdalen"


def test_bad_features_are_errors_and_nothing_is_written():
    good = feature("2039A0010", "2039")
    wrong_kommun = feature("2039A0020", "2062")
    bad_code = feature("XYZ", "2039")
    no_polygon = {**feature("2039A0030", "2039"), "geometry": {"type": "Point", "coordinates": [14, 61]}}
    with pytest.raises(TableImportError) as caught:
        import_deso_areas(data=collection(good, wrong_kommun, bad_code, no_polygon), file_name="x.geojson")
    assert [(e.line, e.column) for e in caught.value.errors] == [
        (2, "kommunkod"),
        (3, "desokod"),
        (4, "geometry"),
    ]
    assert not Deso.objects.exists()


@pytest.mark.parametrize("data", [b"not json", b'{"type": "Feature"}', b'{"type": "FeatureCollection"}'])
def test_unreadable_geojson_is_a_file_error(data):
    with pytest.raises(ImportFileError):
        import_deso_areas(data=data, file_name="x.geojson")


def test_same_file_twice_is_a_duplicate():
    data = collection(feature("2039A0010", "2039"))
    import_deso_areas(data=data, file_name="a.geojson")
    with pytest.raises(DuplicateImportError):
        import_deso_areas(data=data, file_name="a.geojson")
    assert import_deso_areas(data=data, file_name="a.geojson", force=True).counts["unchanged"] == 1


@pytest.mark.skipif(not GEO_FILE.exists(), reason="the shared data folder is missing")
def test_real_dalarna_deso_file(capsys):
    call_command("import_deso_areas", str(GEO_FILE))
    assert "Nya:              175" in capsys.readouterr().out
    assert Deso.objects.count() == 175
    assert Deso.objects.filter(kommun_id="2039").count() > 0
    raw = json.loads(GEO_FILE.read_bytes())
    vertices_before = sum(
        len(f["geometry"]["coordinates"][0]) for f in raw["features"] if f["geometry"]["type"] == "Polygon"
    )
    vertices_after = sum(
        len(d.geometry["coordinates"][0]) for d in Deso.objects.all() if d.geometry["type"] == "Polygon"
    )
    assert vertices_after < vertices_before
    assert all(d.centroid_lat and 59 < d.centroid_lat < 63 for d in Deso.objects.all())


def test_an_import_that_changes_areas_moves_the_deso_revision_on():
    """The maps' DeSO outlines are cached under this revision (situation/map_context.py)."""
    before = data_revision(DESO_AREAS)
    data = collection(feature("2039A0010", "2039"))
    import_deso_areas(data=data, file_name="deso.geojson")
    after = data_revision(DESO_AREAS)
    assert after > before
    import_deso_areas(data=data, file_name="deso.geojson", force=True)  # nothing changed
    assert data_revision(DESO_AREAS) == after
