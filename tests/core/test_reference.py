"""Reference data shipped in the package, checked against the shared source files when present."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from samverkan.core.models import Kommun, Lan, PoliceArea, Polisregion
from samverkan.core.reference import load_reference

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.mark.django_db
def test_all_lan_kommuner_and_regions():
    assert Lan.objects.count() == 21
    assert Kommun.objects.count() == 290
    assert Polisregion.objects.count() == 7
    assert not Lan.objects.filter(polisregion__isnull=True).exists()
    mala = Kommun.objects.get(kod="2418")
    assert mala.namn == "Malå" and mala.lan.namn == "Västerbottens län"
    assert mala.lan.polisregion.namn == "Polisregion Nord"
    assert Kommun.objects.get(kod="2039").lan.polisregion.slug == "bergslagen"


@pytest.mark.django_db
def test_police_areas_cover_demo_kommuner():
    assert set(PoliceArea.objects.get(namn="LPO Mora").kommuner.values_list("kod", flat=True)) == {
        "2062",
        "2034",
        "2039",
    }
    lpo = PoliceArea.objects.get(namn="LPO Skellefteå")
    assert lpo.parent.namn == "Polisområde Västerbotten"
    assert "2418" in set(lpo.kommuner.values_list("kod", flat=True))


@pytest.mark.django_db
def test_reload_is_idempotent_and_keeps_admin_edits():
    area = PoliceArea.objects.get(namn="LPO Mora")
    area.kommuner.add("2021")  # an administrator widened the area
    counts = load_reference()
    assert counts.kommuner == 290 and counts.police_areas_created == 0
    assert area.kommuner.filter(kod="2021").exists()


@pytest.mark.django_db
@pytest.mark.skipif(not SHARED.exists(), reason="shared reference data not beside the repo")
def test_matches_shared_municipality_master():
    with (SHARED / "municipalities" / "municipalities_master.csv").open(encoding="utf-8") as handle:
        rows = {r["kommunkod"]: r for r in csv.DictReader(handle)}
    assert set(rows) == set(Kommun.objects.values_list("kod", flat=True))
    for kommun in Kommun.objects.all():
        row = rows[kommun.kod]
        assert (kommun.namn, kommun.lan_id, kommun.folkmangd) == (
            row["kommun"],
            row["lanskod"],
            int(row["folkmangd_2024"]),
        )
