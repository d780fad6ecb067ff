"""Population per kommun and DeSO and year, and rates per 10,000 inhabitants of the value's own year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from samverkan.core.models import Kommun
from samverkan.indicators.models import DataPoint, Deso, Indicator
from samverkan.indicators.population import deso_population_by_year, kommun_population_by_year
from samverkan.indicators.selectors import kommun_series
from samverkan.indicators.services.table_import import TableImportError, import_table

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
SCB_FILE = DATA / "municipalities/population_scb_2024.csv"
DESO_FILE = DATA / "polisen_brottsstatistik_dalarna/befolkning_deso_dalarna_2022-2025.csv"


def test_population_by_kommun_and_year_updates_the_kommun_for_the_latest_year():
    Kommun.objects.filter(kod="2418").update(folkmangd=3000, folkmangd_ar=2023)
    data = b'kommun;ar;folkmangd\n2418;2023;"3 010"\n2418;2024;2959\n'
    run = import_table(data=data, file_name="folk.csv", format_key="population")
    assert run.counts["imported"] == 2
    assert kommun_population_by_year(["2418"]) == {("2418", 2023): 3010, ("2418", 2024): 2959}
    kommun = Kommun.objects.get(kod="2418")
    assert (kommun.folkmangd, kommun.folkmangd_ar) == (2959, 2024)
    indicator = Indicator.objects.get(code="scb.folkmangd")
    assert (indicator.source, indicator.period_type, indicator.level) == ("SCB", "year", "kommun")

    import_table(
        data=b"kommun;ar;folkmangd\n2418;2020;2800\n", file_name="gammal.csv", format_key="population"
    )
    kommun.refresh_from_db()
    assert (kommun.folkmangd, kommun.folkmangd_ar) == (2959, 2024)  # an older year does not replace it


def test_year_from_the_option_when_the_file_has_none():
    run = import_table(
        data=b"kommun_kod,kommun_namn,population\n2418,Mal\xc3\xa5,2959\n",
        file_name="p.csv",
        format_key="population",
        options={"year": "2024"},
    )
    assert run.counts["imported"] == 1
    assert DataPoint.objects.get(indicator__code="scb.folkmangd").period_start == dt.date(2024, 1, 1)
    with pytest.raises(TableImportError, match="ange året"):
        import_table(data=b"kommun_kod,population\n2418,1\n", file_name="q.csv", format_key="population")


def test_negative_or_fractional_population_is_a_row_error():
    data = b"kommun;ar;folkmangd\n2418;2024;-5\n2062;2024;12,5\n"
    with pytest.raises(TableImportError) as caught:
        import_table(data=data, file_name="p.csv", format_key="population")
    assert [str(e) for e in caught.value.errors] == [
        "Rad 2, kolumn ”folkmangd”: ”-5” är negativt.",
        "Rad 3, kolumn ”folkmangd”: ”12,5” är inte ett heltal.",
    ]
    assert not DataPoint.objects.exists()


def test_deso_population_sets_deso_and_kommun_and_flags_unknown_areas():
    Deso.objects.create(code="2039A0010", kommun_id="2039")
    data = b"desokod,kommunkod,kommun,ar,folkmangd\n2039A0010,2039,Alvdalen,2024,1426.0\n2039C1020,2039,Alvdalen,2024,900\n"
    run = import_table(data=data, file_name="deso.csv", format_key="deso_population")
    assert (run.counts["imported"], run.counts["flagged"], run.counts["new_deso"]) == (2, 1, 1)
    assert deso_population_by_year(["2039A0010", "2039C1020"]) == {
        ("2039A0010", 2024): 1426,
        ("2039C1020", 2024): 900,
    }
    assert DataPoint.objects.get(deso_id="2039A0010").kommun_id == "2039"
    assert kommun_population_by_year(["2039"]) == {}  # DeSO points are not the kommun's


def test_deso_in_another_kommun_is_a_row_error():
    data = b"desokod,kommunkod,ar,folkmangd\n2039A0010,2062,2024,1\n"
    with pytest.raises(TableImportError, match="ligger inte i kommun 2062"):
        import_table(data=data, file_name="deso.csv", format_key="deso_population")


def test_rate_per_10000_uses_the_population_of_the_values_year():
    Kommun.objects.filter(kod="2418").update(folkmangd=2000, folkmangd_ar=2025)
    import_table(data=b"kommun,ar,folkmangd\n2418,2023,4000\n", file_name="p.csv", format_key="population")
    import_table(
        data=b"kommun,period,varde\n2418,2023,8\n2418,2024,8\n",
        file_name="s.csv",
        format_key="series",
        options={"indicator_name": "Klotter", "unit": "antal"},
    )
    series = kommun_series(
        indicator=Indicator.objects.get(code="kommun.klotter"), kommun=Kommun.objects.get(kod="2418")
    )
    assert [(p.period_start.year, p.per_10000) for p in series] == [
        (2023, Decimal("20.00")),  # 8 of 4,000 (the 2023 population)
        (2024, Decimal("40.00")),  # no 2024 figure: the kommun's latest known, 2,000
    ]


@pytest.mark.skipif(
    not SCB_FILE.exists() or not DESO_FILE.exists(), reason="the shared data folder is missing"
)
def test_real_population_files():
    run = import_table(
        data=SCB_FILE.read_bytes(), file_name=SCB_FILE.name, format_key="population", options={"year": "2024"}
    )
    assert (
        run.counts["lines"] == run.counts["imported"] + run.counts["unchanged"] + run.counts["updated"] == 290
    )
    total = sum(kommun_population_by_year(Kommun.objects.values_list("kod", flat=True)).values())
    assert total == 10587140
    deso = import_table(data=DESO_FILE.read_bytes(), file_name=DESO_FILE.name, format_key="deso_population")
    assert deso.counts["lines"] == deso.counts["imported"] == 700
    by_year = deso_population_by_year(Deso.objects.values_list("code", flat=True))
    assert sum(n for (_code, year), n in by_year.items() if year == 2024) == 286546
