"""Vendor the kommun boundaries the event map and the point-in-kommun check use.

Reads a GeoJSON FeatureCollection of Sweden's 290 kommuner (properties ``id`` = kommunkod, ``kom_namn``),
simplifies each polygon (topology preserved), rounds coordinates and writes
``samverkan/core/data/kommun_boundaries.json`` keyed by kommunkod. Run again when the source changes:

    samverkan vendor_boundaries path/to/swedish_municipalities.geojson
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from samverkan.situation.geo import BOUNDARIES_PATH

DEFAULT_TOLERANCE = 0.002  # degrees: about 100–200 m, well inside geo.POINT_TOLERANCE_METRES
DECIMALS = 5  # about 1 m

SOURCE_NOTE = (
    "okfse/sweden-geojson swedish_municipalities.geojson (commit ff67bcb0), from Valmyndigheten/Opendatasoft "
    "data; the repository says 'Feel free to reuse'. Simplified with shapely by `samverkan vendor_boundaries`."
)


def _rounded(coords: Any) -> Any:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), DECIMALS) for c in coords[:2]]
    return [_rounded(c) for c in coords]


def simplified(geometry: BaseGeometry, tolerance: float) -> dict[str, Any]:
    """The geometry simplified (topology preserved), as GeoJSON with rounded coordinates."""
    small = geometry.simplify(tolerance, preserve_topology=True)
    if not small.is_valid:
        small = small.buffer(0)
    data = mapping(small)
    return {"type": data["type"], "coordinates": _rounded(data["coordinates"])}


class Command(BaseCommand):
    help = "Simplify a GeoJSON of Sweden's kommuner into samverkan/core/data/kommun_boundaries.json."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", help="GeoJSON FeatureCollection with properties id (kommunkod)")
        parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE, help="degrees")
        parser.add_argument("--output", default=str(BOUNDARIES_PATH))

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        try:
            collection = json.loads(source.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Kan inte läsa {source}: {exc}") from exc
        kommuner: dict[str, dict[str, Any]] = {}
        for feature in collection.get("features", []):
            props = feature.get("properties") or {}
            code = str(props.get("id", "")).zfill(4)
            if not code.isdigit() or len(code) != 4:
                raise CommandError(f"Okänd kommunkod i källan: {props.get('id')!r}")
            geometry = shape(feature["geometry"])
            kommuner[code] = {
                "name": props.get("kom_namn", ""),
                "geometry": simplified(geometry, options["tolerance"]),
            }
        if not kommuner:
            raise CommandError("Källan innehåller inga kommuner.")
        output = Path(options["output"])
        document = {"source": SOURCE_NOTE, "kommuner": dict(sorted(kommuner.items()))}
        output.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        self.stdout.write(f"{len(kommuner)} kommuner → {output} ({output.stat().st_size // 1024} kB)")
