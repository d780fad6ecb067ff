"""Vendor the localities (tätorter) the maps name places by.

Reads a CSV with columns ``Locality, Latitude, Longitude`` (sphrak/svenska-stader ``src/svenska-stader.csv``:
Sweden's tätorter with WGS84 coordinates), assigns each the kommun whose vendored boundary holds it (the
source's own kommun column is not reliable), and writes ``samverkan/core/data/orter.csv.gz``. Run again when
the source changes:

    samverkan vendor_localities path/to/svenska-stader.csv
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from shapely import Point

from samverkan.situation import geo
from samverkan.situation.localities import LOCALITIES_PATH, Locality, write

# A locality on the coast may fall just outside a simplified boundary; further out than this it is dropped.
MAX_OUTSIDE_DEGREES = 0.05


def kommun_for(lat: float, lon: float) -> str | None:
    """The kommun holding the point, or the nearest one within MAX_OUTSIDE_DEGREES (coasts, islands)."""
    inside = geo.kommun_at(lat, lon)
    if inside:
        return inside
    point = Point(lon, lat)
    best = min(geo.kommun_codes(), key=lambda kod: geo.kommun_shape(kod).distance(point))  # type: ignore[union-attr]
    return best if geo.kommun_shape(best).distance(point) <= MAX_OUTSIDE_DEGREES else None  # type: ignore[union-attr]


class Command(BaseCommand):
    help = "Write samverkan/core/data/orter.csv.gz from a CSV of Swedish localities with coordinates."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", help="CSV with the columns Locality, Latitude, Longitude")
        parser.add_argument("--output", default=str(LOCALITIES_PATH))

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        try:
            with source.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise CommandError(f"Kan inte läsa {source}: {exc}") from exc
        places: list[Locality] = []
        dropped = 0
        for row in rows:
            try:
                name, lat, lon = row["Locality"].strip(), float(row["Latitude"]), float(row["Longitude"])
            except (KeyError, TypeError, ValueError) as exc:
                raise CommandError(f"Rad utan namn eller koordinater: {row}") from exc
            kod = kommun_for(lat, lon)
            if not name or kod is None:
                dropped += 1
                continue
            places.append(Locality(name=name, kommun=kod, lat=lat, lon=lon))
        if not places:
            raise CommandError("Källan innehåller inga orter.")
        output = Path(options["output"])
        write(places, output)
        self.stdout.write(
            f"{len(places)} orter → {output} ({output.stat().st_size // 1024} kB); {dropped} utanför kommunerna"
        )
