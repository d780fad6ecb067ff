"""Swedish localities (tätorter) for the maps: place names to read the map by, and the nearest place that
names a hexagon in the table beside the map.

The list is vendored in ``samverkan/core/data/orter.csv.gz`` (made by ``samverkan vendor_localities``; source
and licence in ``samverkan/core/data/SOURCES.md``), so the app needs nothing outside its package. Each row
carries the kommun whose boundary holds it, decided when vendoring from our own boundaries.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from samverkan.situation.geo import distance_metres

LOCALITIES_PATH = Path(__file__).resolve().parent.parent / "core" / "data" / "orter.csv.gz"
COLUMNS = ["namn", "kommunkod", "lat", "lon"]

# Closer than this to a locality, a hexagon is named by it alone ("Idre"); further away with a distance and a
# direction ("8 km SO om Idre"), so a reader is not told a cell in the forest is the village.
AT_PLACE_METRES = 1_000.0


@dataclass(frozen=True)
class Locality:
    name: str
    kommun: str
    lat: float
    lon: float


@cache
def all_localities() -> tuple[Locality, ...]:
    with gzip.open(LOCALITIES_PATH, "rt", encoding="utf-8", newline="") as handle:
        return tuple(
            Locality(name=row["namn"], kommun=row["kommunkod"], lat=float(row["lat"]), lon=float(row["lon"]))
            for row in csv.DictReader(handle)
        )


def localities_in(codes: list[str] | set[str]) -> list[Locality]:
    """The localities of the given kommuner, in the file's (alphabetical) order."""
    wanted = set(codes)
    return [place for place in all_localities() if place.kommun in wanted]


def nearest(lat: float, lon: float, places: list[Locality]) -> tuple[Locality, float] | None:
    """The nearest of ``places`` to (lat, lon) and its distance in metres, or None without places."""
    best: tuple[Locality, float] | None = None
    for place in places:
        metres = distance_metres(lat, lon, place.lat, place.lon)
        if best is None or metres < best[1]:
            best = (place, metres)
    return best


# Eight compass points, clockwise from north, as Swedish abbreviations (O for öster, V for väster).
_DIRECTIONS = [
    pgettext_lazy("väderstreck", "N"),
    pgettext_lazy("väderstreck", "NO"),
    pgettext_lazy("väderstreck", "O"),
    pgettext_lazy("väderstreck", "SO"),
    pgettext_lazy("väderstreck", "S"),
    pgettext_lazy("väderstreck", "SV"),
    pgettext_lazy("väderstreck", "V"),
    pgettext_lazy("väderstreck", "NV"),
]


def direction(from_lat: float, from_lon: float, to_lat: float, to_lon: float) -> str:
    """The compass point (of eight) from the first point towards the second."""
    dy = to_lat - from_lat
    dx = (to_lon - from_lon) * math.cos(math.radians((from_lat + to_lat) / 2))
    bearing = (math.degrees(math.atan2(dx, dy)) + 360) % 360
    return str(_DIRECTIONS[int((bearing + 22.5) // 45) % 8])


def describe(lat: float, lon: float, places: list[Locality], *, within: float = AT_PLACE_METRES) -> str:
    """A reader's name for a point: the nearest locality, with distance and direction when it is further than
    ``within`` metres (for an area's centre: the area's radius, when the area holds the locality)."""
    found = nearest(lat, lon, places)
    if found is None:
        return ""
    place, metres = found
    if metres <= within:
        return place.name
    km = max(1, round(metres / 1000))
    return _("%(km)s km %(direction)s om %(place)s") % {
        "km": km,
        "direction": direction(place.lat, place.lon, lat, lon),
        "place": place.name,
    }


def write(rows: list[Locality], path: Path = LOCALITIES_PATH) -> None:
    """Write the vendored file (sorted, 4 decimals ≈ 10 m, a fixed gzip mtime so reruns are identical)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in sorted(rows, key=lambda r: (r.kommun, r.name, r.lat, r.lon)):
        writer.writerow([row.name, row.kommun, f"{row.lat:.4f}", f"{row.lon:.4f}"])
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write(text.getvalue().encode("utf-8"))
