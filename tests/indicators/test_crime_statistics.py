"""The crime-code key and the police's registered crime per DeSO: import, replacement and indicators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from samverkan.indicators.models import CrimeCode, DataPoint, Deso, Indicator, RegisteredCrime
from samverkan.indicators.revision import DESO_AREAS, data_revision
from samverkan.indicators.services.crime_statistics import crime_indicators_recompute
from samverkan.indicators.services.table_import import TableImportError, import_table

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "polisen_brottsstatistik_dalarna"
KEY_FILE = DATA / "brottskod_kategorinyckel.csv"
CRIME_FILE = DATA / "polisen_brott_dalarna_deso_manad_2022-2025.csv"

KEY = (
    "brottskod,brottskod_text,niva1,niva2,niva3,niva4,niva5,fragaomrade\n"
    "9316,Misshandel utomhus,B1 Brott mot person,Våldsbrott,,,,Fråga 2 - Hot och våld\n"
    "1201,Skadegörelse,B1 Brott mot person,Skadegörelse,,,,Fråga 1 - Ordningsstörningar och otrygghet\n"
    '5011,Narkotika eget bruk,B2 Narkotika,,,,,"Fråga 5 - Alkohol, Narkotika, Doping och Tobak"\n'
    "7001,Bedrägeri,B3 Annan,,,,,Fråga 6 - Bedrägerier\n"
)
CRIME_HEADER = (
    "lpo,kommunkod,kommun,desokod,regso_namn,inskr_ar,inskr_armanad,brottskod,deso_undertryckt,antal_brott\n"
)


def crimes(*lines: str) -> bytes:
    return (CRIME_HEADER + "".join(line + "\n" for line in lines)).encode()


def value(code: str, kommun: str, month: dt.date, deso: str | None = None) -> Decimal | None:
    found = DataPoint.objects.filter(
        indicator__code=code, kommun_id=kommun, deso_id=deso, period_start=month
    ).values_list("value", flat=True)
    return found[0] if found else None


def test_crime_codes_get_areas_from_their_question_and_reimport_keeps_admin_areas():
    run = import_table(data=KEY.encode(), file_name="nyckel.csv", format_key="crime_codes")
    assert (run.kind, run.counts["lines"], run.counts["imported"]) == ("crime_codes", 4, 4)
    areas = dict(CrimeCode.objects.values_list("code", "area_code"))
    assert areas == {"9316": "vald", "1201": "ordning", "5011": "ant", "7001": ""}
    code = CrimeCode.objects.get(code="9316")
    assert code.hierarchy == ["B1 Brott mot person", "Våldsbrott"]
    assert code.question_area == "Fråga 2 - Hot och våld"

    CrimeCode.objects.filter(code="7001").update(area_code="tjansteman")  # an admin's choice
    changed = KEY.replace("Misshandel utomhus", '"Misshandel, utomhus"').replace(
        "Fråga 6 - Bedrägerier", "Fråga 1 - Ordning"
    )
    again = import_table(data=changed.encode(), file_name="nyckel2.csv", format_key="crime_codes")
    assert (again.counts["updated"], again.counts["unchanged"], again.counts["imported"]) == (2, 2, 0)
    assert CrimeCode.objects.get(code="9316").text == "Misshandel, utomhus"
    assert CrimeCode.objects.get(code="7001").area_code == "tjansteman"


def test_duplicate_crime_code_is_a_row_error():
    data = KEY + "9316,Igen,,,,,,\n"
    with pytest.raises(TableImportError, match="Rad 6, kolumn ”brottskod”: Brottskoden finns redan på rad 2"):
        import_table(data=data.encode(), file_name="x.csv", format_key="crime_codes")
    assert not CrimeCode.objects.exists()


def test_registered_crimes_become_counts_per_kommun_and_deso_and_area():
    import_table(data=KEY.encode(), file_name="nyckel.csv", format_key="crime_codes")
    Deso.objects.create(code="2039A0010", kommun_id="2039")
    data = crimes(
        "LPO Mora,2039,Älvdalen,2039A0010,Älvdalen,2024,202401,9316,False,2",
        "LPO Mora,2039,Älvdalen,2039A0010,Älvdalen,2024,202401,1201,False,3",
        "LPO Mora,2039,Älvdalen,,,2024,202401,9316,True,1",
        "LPO Mora,2039,Älvdalen,2039C1020,Idre,2024,202403,5011,False,4",
        "LPO Mora,2039,Älvdalen,2039A0010,Älvdalen,2024,202403,7001,False,1",
    )
    run = import_table(data=data, file_name="brott.csv", format_key="crime_statistics")
    counts = run.counts
    assert (counts["lines"], counts["imported"], counts["flagged"], counts["new_deso"]) == (5, 5, 1, 1)
    assert counts["flagged_rows"][0]["line"] == 5
    bare = Deso.objects.get(code="2039C1020")
    assert (bare.kommun_id, bare.regso, bare.geometry) == ("2039", "Idre", None)
    assert RegisteredCrime.objects.get(deso__isnull=True).count == 1

    jan, mar = dt.date(2024, 1, 1), dt.date(2024, 3, 1)
    assert value("polisen.brott", "2039", jan) == 6
    assert value("polisen.brott.vald", "2039", jan) == 3  # the suppressed row counts for the kommun
    assert value("polisen.brott.vald", "2039", jan, deso="2039A0010") == 2  # but not for the DeSO
    assert value("polisen.brott.ordning", "2039", jan, deso="2039A0010") == 3
    assert value("polisen.brott.ant", "2039", mar, deso="2039C1020") == 4
    assert value("polisen.brott", "2039", mar) == 5
    assert value("polisen.brott.vald", "2039", mar) is None  # a count: no point means zero
    indicator = Indicator.objects.get(code="polisen.brott.vald")
    assert (indicator.is_count, indicator.period_type, indicator.covered_from, indicator.covered_to) == (
        True,
        "month",
        jan,
        mar,
    )
    assert indicator.source == "Polisen, registrerade brott (via Region Dalarna)"


def test_reimport_replaces_the_covered_kommun_months_only():
    import_table(data=KEY.encode(), file_name="nyckel.csv", format_key="crime_codes")
    import_table(
        data=crimes(
            "LPO Mora,2039,Älvdalen,,,2024,202401,9316,True,2",
            "LPO Mora,2039,Älvdalen,,,2024,202401,1201,True,3",
            "LPO Mora,2039,Älvdalen,,,2024,202402,1201,True,7",
            "LPO Mora,2062,Mora,,,2024,202401,1201,True,5",
        ),
        file_name="a.csv",
        format_key="crime_statistics",
    )
    run = import_table(
        data=crimes(
            "LPO Mora,2039,Älvdalen,,,2024,202401,9316,True,2",
            "LPO Mora,2039,Älvdalen,,,2024,202401,5011,True,1",
            "LPO Mora,2039,Älvdalen,,,2024,202402,1201,True,8",
        ),
        file_name="b.csv",
        format_key="crime_statistics",
    )
    assert (
        run.counts["unchanged"],
        run.counts["imported"],
        run.counts["updated"],
        run.counts["removed"],
    ) == (1, 1, 1, 1)
    assert RegisteredCrime.objects.filter(kommun_id="2039").aggregate(n=Sum("count"))["n"] == 11
    assert RegisteredCrime.objects.get(kommun_id="2062").count == 5  # not covered by the file
    assert value("polisen.brott.ordning", "2039", dt.date(2024, 1, 1)) is None  # its point was removed
    assert value("polisen.brott.ordning", "2039", dt.date(2024, 2, 1)) == 8
    assert value("polisen.brott.ordning", "2062", dt.date(2024, 1, 1)) == 5


def test_remapping_a_code_moves_its_counts_on_recompute():
    import_table(data=KEY.encode(), file_name="nyckel.csv", format_key="crime_codes")
    import_table(
        data=crimes("LPO Mora,2039,Älvdalen,,,2024,202401,7001,True,2"),
        file_name="a.csv",
        format_key="crime_statistics",
    )
    assert value("polisen.brott.tjansteman", "2039", dt.date(2024, 1, 1)) is None
    CrimeCode.objects.filter(code="7001").update(area_code="tjansteman")
    assert crime_indicators_recompute() == 1
    assert value("polisen.brott.tjansteman", "2039", dt.date(2024, 1, 1)) == 2


def test_bad_crime_rows_are_row_errors_and_nothing_is_written():
    data = crimes(
        "LPO Mora,2039,Älvdalen,,,2024,202401,9316,True,2",
        "LPO Mora,2039,Älvdalen,2062A0010,,2024,202401,9316,False,2",
        "LPO Mora,9999,Okänd,,,2024,202401,9316,True,2",
        "LPO Mora,2039,Älvdalen,,,2024,202413,9316,True,2",
        "LPO Mora,2039,Älvdalen,,,2024,202401,9316,True,-1",
    )
    with pytest.raises(TableImportError) as caught:
        import_table(data=data, file_name="x.csv", format_key="crime_statistics")
    assert [(e.line, e.column) for e in caught.value.errors] == [
        (3, "desokod"),
        (4, "kommunkod"),
        (5, "inskr_armanad"),
        (6, "antal_brott"),
    ]
    assert not RegisteredCrime.objects.exists()


@pytest.mark.skipif(not CRIME_FILE.exists(), reason="the shared data folder is missing")
def test_real_crime_files_import_completely_with_the_known_totals():
    key = import_table(data=KEY_FILE.read_bytes(), file_name=KEY_FILE.name, format_key="crime_codes")
    assert key.counts["imported"] == 683
    run = import_table(data=CRIME_FILE.read_bytes(), file_name=CRIME_FILE.name, format_key="crime_statistics")
    c = run.counts
    assert c["lines"] == 78611
    assert c["imported"] + c["updated"] + c["unchanged"] + c["skipped"] == c["lines"] == c["imported"]
    assert RegisteredCrime.objects.aggregate(n=Sum("count"))["n"] == 115511
    totals = dict(
        DataPoint.objects.filter(
            indicator__code="polisen.brott", deso__isnull=True, kommun_id__in=["2039", "2062"]
        )
        .values("kommun_id")
        .annotate(n=Sum("value"))
        .values_list("kommun_id", "n")
    )
    assert totals == {"2039": 2982, "2062": 7792}
    deso_total = DataPoint.objects.filter(indicator__code="polisen.brott", deso__isnull=False).aggregate(
        n=Sum("value")
    )
    suppressed = RegisteredCrime.objects.filter(deso__isnull=True).aggregate(n=Sum("count"))["n"]
    assert deso_total["n"] == 115511 - suppressed
    assert DataPoint.objects.filter(indicator__code="polisen.brott.vald", kommun_id="2062").exists()


def test_a_deso_added_without_a_boundary_moves_the_deso_revision_on():
    import_table(data=KEY.encode(), file_name="nyckel.csv", format_key="crime_codes")
    before = data_revision(DESO_AREAS)
    import_table(
        data=crimes("LPO Mora,2039,Älvdalen,2039C1020,Idre,2024,202403,5011,False,4"),
        file_name="brott.csv",
        format_key="crime_statistics",
    )
    assert data_revision(DESO_AREAS) > before
