"""Reference data shipped inside the package: län, kommuner, polisregioner and police areas."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from samverkan.core.models import Kommun, Lan, PoliceArea, Polisregion

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class ReferenceCounts:
    polisregioner: int
    lan: int
    kommuner: int
    police_areas_created: int


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_reference() -> ReferenceCounts:
    """Create or update the official rows; police areas are only created, never overwritten (admins edit them)."""
    region_for_lan: dict[str, str] = {}
    for row in _rows("polisregioner.csv"):
        Polisregion.objects.update_or_create(slug=row["slug"], defaults={"namn": row["namn"]})
        for kod in row["lanskoder"].split():
            region_for_lan[kod] = row["slug"]
    for row in _rows("lan.csv"):
        Lan.objects.update_or_create(
            kod=row["county_code"],
            defaults={
                "namn": row["county_name"],
                "kortnamn": row["county_name_short"],
                "polisregion_id": region_for_lan[row["county_code"]],
            },
        )
    existing = set(Kommun.objects.values_list("kod", flat=True))
    to_create: list[Kommun] = []
    to_update: list[Kommun] = []
    for row in _rows("kommuner.csv"):
        kommun = Kommun(
            kod=row["kommunkod"],
            namn=row["kommun"],
            officiellt_namn=row["officiellt_namn"],
            lan_id=row["lanskod"],
            folkmangd=int(row["folkmangd"]) if row["folkmangd"] else None,
            folkmangd_ar=int(row["folkmangd_ar"]) if row["folkmangd_ar"] else None,
            centroid_lat=float(row["centroid_lat"]),
            centroid_lon=float(row["centroid_lon"]),
        )
        (to_update if kommun.kod in existing else to_create).append(kommun)
    Kommun.objects.bulk_create(to_create)
    Kommun.objects.bulk_update(
        to_update,
        ["namn", "officiellt_namn", "lan", "folkmangd", "folkmangd_ar", "centroid_lat", "centroid_lon"],
    )
    created = 0
    rows = _rows("polisomraden.csv")
    # Parents first, so an LPO can name the polisområde it belongs to.
    for row in sorted(rows, key=lambda r: r["typ"] != PoliceArea.Kind.POLISOMRADE):
        if PoliceArea.objects.filter(namn=row["namn"]).exists():
            continue
        area = PoliceArea.objects.create(
            namn=row["namn"],
            kind=row["typ"],
            polisregion_id=row["polisregion"],
            parent=PoliceArea.objects.filter(namn=row["ingar_i"]).first() if row["ingar_i"] else None,
        )
        area.kommuner.set(Kommun.objects.filter(kod__in=row["kommunkoder"].split()))
        created += 1
    return ReferenceCounts(
        polisregioner=Polisregion.objects.count(),
        lan=Lan.objects.count(),
        kommuner=Kommun.objects.count(),
        police_areas_created=created,
    )
