"""Importing statistics tables: Brå, NTU and the kommun's own series; validation and all-or-nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from samverkan.indicators.models import DataPoint, ImportRun, Indicator
from samverkan.indicators.services.table_import import (
    DuplicateImportError,
    TableImportError,
    import_table,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
BRA_FILE = DATA / "bra_ntu/bra_anmalda_brott_dalarna_kommuner_2017-2024.csv"
NTU_FILE = DATA / "bra_ntu/ntu_trygghet_dalarna_kommuner_2016-2025.csv"
BRA_HEADER = "regionkod,geografi,ar,variabel,enhet,varde\n"


def bra(*lines: str) -> bytes:
    return (BRA_HEADER + "".join(line + "\n" for line in lines)).encode()


def point(code: str, kommun: str | None, year: int, lan: str | None = None) -> DataPoint:
    return DataPoint.objects.get(
        indicator__code=code,
        kommun_id=kommun,
        lan_id=lan,
        deso__isnull=True,
        period_start=dt.date(year, 1, 1),
    )


def assert_counts_add_up(run: ImportRun) -> None:
    c = run.counts
    assert c["imported"] + c["updated"] + c["unchanged"] + c["skipped"] == c["lines"]


def test_bra_counts_and_rates_become_yearly_indicators_at_every_level():
    data = bra(
        '2062,Mora,2024,Totalt antal anmälda brott,Antal,"1 700"',
        '2062,Mora,2024,Totalt antal anmälda brott,Antal per 100 000 inv,"8277,0"',
        "20,Dalarnas län,2024,Narkotikabrott,Antal,1500.0",
        "00,Hela landet,2024,Narkotikabrott,Antal,90000",
        "2039,Älvdalen,2024,Narkotikabrott,Antal,",
    )
    user = UserFactory()
    run = import_table(data=data, file_name="bra.csv", format_key="bra", user=user)
    assert run.counts["lines"] == 5
    assert run.counts["imported"] == 4
    assert run.counts["skipped"] == 1
    assert run.counts["skipped_rows"] == [{"line": 6, "reason": "Värdet saknas."}]
    assert_counts_add_up(run)
    assert run.kind == ImportRun.Kind.TABLE
    assert run.by_user == user
    assert run.options["format"] == "bra"
    assert run.options["mapping"]["varde"] == "varde"
    assert point("bra.totalt-antal-anmalda-brott", "2062", 2024).value == Decimal(1700)
    assert point("bra.totalt-antal-anmalda-brott.per100k", "2062", 2024).value == Decimal("8277")
    assert point("bra.narkotikabrott", None, 2024, lan="20").value == Decimal(1500)
    assert point("bra.narkotikabrott", None, 2024).value == Decimal(90000)  # riket
    count = Indicator.objects.get(code="bra.narkotikabrott")
    assert (count.is_count, count.better, count.area_code, count.source) == (
        True,
        "lower",
        "ant",
        "Brå, anmälda brott",
    )
    assert (count.level, count.period_type) == ("kommun", "year")
    rate = Indicator.objects.get(code="bra.totalt-antal-anmalda-brott.per100k")
    assert (rate.is_count, rate.area_code) == (False, "")


def test_bra_reimport_counts_unchanged_and_updated_and_keeps_admin_edits():
    import_table(
        data=bra("2062,Mora,2024,Skadegörelsebrott,Antal,100", "2062,Mora,2023,Skadegörelsebrott,Antal,90"),
        file_name="a.csv",
        format_key="bra",
    )
    indicator = Indicator.objects.get(code="bra.skadegorelsebrott")
    assert indicator.area_code == "ordning"
    Indicator.objects.filter(pk=indicator.pk).update(name="Skadegörelse (eget namn)", area_code="")
    run = import_table(
        data=bra("2062,Mora,2024,Skadegörelsebrott,Antal,100", "2062,Mora,2023,Skadegörelsebrott,Antal,95"),
        file_name="b.csv",
        format_key="bra",
    )
    assert (run.counts["unchanged"], run.counts["updated"], run.counts["imported"]) == (1, 1, 0)
    assert point("bra.skadegorelsebrott", "2062", 2023).value == Decimal(95)
    assert point("bra.skadegorelsebrott", "2062", 2023).import_run == run
    indicator.refresh_from_db()
    assert (indicator.name, indicator.area_code) == ("Skadegörelse (eget namn)", "")


def test_the_same_file_twice_is_a_duplicate_unless_forced():
    data = bra("2062,Mora,2024,Bilbrott,Antal,10")
    first = import_table(data=data, file_name="bra.csv", format_key="bra")
    with pytest.raises(DuplicateImportError) as caught:
        import_table(data=data, file_name="bra-igen.csv", format_key="bra")
    assert caught.value.previous == first
    again = import_table(data=data, file_name="bra-igen.csv", format_key="bra", force=True)
    assert again.counts["unchanged"] == 1


def test_wrong_columns_name_the_missing_and_the_found():
    data = b"kod;namn;antal\n2062;Mora;3\n"
    with pytest.raises(TableImportError) as caught:
        import_table(
            data=data,
            file_name="fel.csv",
            format_key="bra",
            mapping={
                "regionkod": "kod",
                "ar": "år",
                "variabel": "variabel",
                "enhet": "enhet",
                "varde": "antal",
            },
        )
    message = str(caught.value.errors[0])
    assert "”variabel”" in message and "”år”" in message
    assert "Filen har kolumnerna: ”kod”, ”namn”, ”antal”" in message
    assert not ImportRun.objects.exists()


def test_a_suggested_mapping_that_lacks_a_required_field_is_an_error():
    with pytest.raises(TableImportError, match="Ingen kolumn vald för"):
        import_table(
            data=b"kommun;period\n2418;2024\n",
            file_name="x.csv",
            format_key="series",
            options={"indicator_name": "X", "unit": "kr"},
        )


def test_row_errors_name_line_and_column_and_nothing_is_written():
    lines = [f"2062,Mora,{2000 + i % 20},Bilbrott {i},Antal,{i}" for i in range(300)]
    lines.append("2062,Mora,2024,Bilbrott,Antal,abc")  # the last line, line 302
    with pytest.raises(TableImportError) as caught:
        import_table(data=bra(*lines), file_name="sen.csv", format_key="bra")
    assert [str(e) for e in caught.value.errors] == ["Rad 302, kolumn ”varde”: ”abc” är inte ett tal."]
    assert not DataPoint.objects.exists()
    assert not Indicator.objects.filter(code__startswith="bra.").exists()
    assert not ImportRun.objects.exists()


def test_errors_are_collected_up_to_fifty():
    data = bra(*[f"9999,Okänd,2024,Bilbrott,Antal,{i}" for i in range(80)])
    with pytest.raises(TableImportError) as caught:
        import_table(data=data, file_name="x.csv", format_key="bra")
    assert len(caught.value.errors) == 50
    assert str(caught.value.errors[0]) == "Rad 2, kolumn ”regionkod”: Kommunkoden ”9999” finns inte."


def test_unknown_unit_and_duplicate_rows_are_errors():
    data = bra(
        "2062,Mora,2024,Bilbrott,Procent,10",
        "2062,Mora,2023,Bilbrott,Antal,10",
        "2062,Mora,2023,Bilbrott,Antal,11",
    )
    with pytest.raises(TableImportError) as caught:
        import_table(data=data, file_name="x.csv", format_key="bra")
    messages = [str(e) for e in caught.value.errors]
    assert messages[0].startswith("Rad 2, kolumn ”enhet”: Okänd enhet ”Procent”")
    assert messages[1] == "Rad 4, kolumn ”varde”: Samma värde finns redan på rad 3."


def test_allowed_kommuner_makes_other_kommuner_row_errors():
    data = bra(
        "2062,Mora,2024,Bilbrott,Antal,10",
        "2039,Älvdalen,2024,Bilbrott,Antal,3",
        "20,Dalarnas län,2024,Bilbrott,Antal,99",
    )
    with pytest.raises(TableImportError) as caught:
        import_table(data=data, file_name="x.csv", format_key="bra", allowed_kommuner={"2062"})
    assert [e.line for e in caught.value.errors] == [3, 4]
    run = import_table(
        data=bra("2062,Mora,2024,Bilbrott,Antal,10"),
        file_name="y.csv",
        format_key="bra",
        allowed_kommuner={"2062"},
    )
    assert run.counts["imported"] == 1


NTU_HEADER = "regionkod,geografi,ar,variabel,enhet,varde\n"
OTRYGG = "Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet"
SHARE = "Andel (%) i befolkningen (16–84 år) som känner sig ganska/mycket otrygga"


def test_ntu_shares_carry_their_confidence_interval_and_respondents_are_their_own_indicator():
    data = (
        NTU_HEADER
        + f"2062,Mora,2025,{OTRYGG},KI (95 %) undre gräns,10.2\n"  # before its share row: order does not matter
        + f'2062,Mora,2025,{OTRYGG},{SHARE},"14,0"\n'
        + f"2062,Mora,2025,{OTRYGG},KI (95 %) övre gräns,18\n"
        + '2062,Mora,2025,Antal svarande i NTU.,,"1 203"\n'
    ).encode()
    run = import_table(data=data, file_name="ntu.csv", format_key="ntu")
    assert run.counts["lines"] == 4 and run.counts["imported"] == 4
    share = point("ntu.otrygghet-vid-utevistelse-sent-pa-kvallen-i-det-egna-bostadsomradet", "2062", 2025)
    assert (share.value, share.ci_low, share.ci_high) == (Decimal(14), Decimal("10.2"), Decimal(18))
    indicator = share.indicator
    assert (indicator.unit, indicator.source, indicator.better, indicator.area_code) == (
        "%",
        "Brå, NTU",
        "lower",
        "ordning",
    )
    respondents = point("ntu.antal-svarande-i-ntu", "2062", 2025)
    assert respondents.value == Decimal(1203)
    assert respondents.indicator.unit == "antal"
    assert respondents.indicator.name == "Antal svarande i NTU"

    changed = data.replace(b"KI (95 %) \xc3\xb6vre gr\xc3\xa4ns,18", b"KI (95 %) \xc3\xb6vre gr\xc3\xa4ns,19")
    again = import_table(data=changed, file_name="ntu2.csv", format_key="ntu")
    assert (again.counts["updated"], again.counts["unchanged"]) == (3, 1)  # the share's three lines
    share.refresh_from_db()
    assert share.ci_high == Decimal(19)


def test_ntu_interval_without_its_share_is_a_row_error():
    data = (
        NTU_HEADER
        + f"2062,Mora,2025,{OTRYGG},KI (95 %) undre gräns,10\n"
        + f"2062,Mora,2024,{OTRYGG},{SHARE},12\n"
    ).encode()
    with pytest.raises(TableImportError) as caught:
        import_table(data=data, file_name="ntu.csv", format_key="ntu")
    assert [str(e) for e in caught.value.errors] == [
        "Rad 2, kolumn ”enhet”: Konfidensintervall utan andel: ingen rad med värdet för samma område, år och variabel."
    ]
    assert not DataPoint.objects.exists()


SERIES_OPTIONS = {
    "indicator_name": "Kostnad för skadegörelse",
    "unit": "kr",
    "area_code": "ordning",
    "better": "lower",
}


def test_series_by_kommun_name_or_code_with_quarters():
    data = b'kommun;period;varde\nMORA;2024 kv 1;"12 500,50"\n2062;2024-Q2;9 000\nmora kommun;Q3 2024;0\n'
    run = import_table(data=data, file_name="kostnad.csv", format_key="series", options=SERIES_OPTIONS)
    assert run.counts["imported"] == 3
    indicator = Indicator.objects.get(code="kommun.kostnad-for-skadegorelse")
    assert (indicator.period_type, indicator.unit, indicator.area_code, indicator.better) == (
        "quarter",
        "kr",
        "ordning",
        "lower",
    )
    assert indicator.source == "Kommunens egen statistik"
    values = dict(DataPoint.objects.filter(indicator=indicator).values_list("period_start", "value"))
    assert values == {
        dt.date(2024, 1, 1): Decimal("12500.5"),
        dt.date(2024, 4, 1): Decimal(9000),
        dt.date(2024, 7, 1): Decimal(0),
    }
    assert run.options["options"]["unit"] == "kr"


def test_series_with_mixed_periods_is_an_error():
    data = b"kommun,period,varde\n2062,2024,1\n2062,2024-03,2\n"
    with pytest.raises(TableImportError) as caught:
        import_table(data=data, file_name="x.csv", format_key="series", options=SERIES_OPTIONS)
    assert (
        str(caught.value.errors[0])
        == "Rad 3, kolumn ”period”: Perioderna blandas: rad 2 har År, den här raden Månad."
    )


def test_series_options_are_validated():
    data = b"kommun,period,varde\n2062,2024,1\n"
    with pytest.raises(TableImportError, match="Seriens namn"):
        import_table(data=data, file_name="x.csv", format_key="series", options={"unit": "kr"})
    with pytest.raises(TableImportError) as caught:
        import_table(
            data=data,
            file_name="x.csv",
            format_key="series",
            options={**SERIES_OPTIONS, "better": "bättre", "area_code": "x"},
        )
    assert {e.column for e in caught.value.errors} == {"better", "area_code"}
    with pytest.raises(TableImportError, match="Okänd inställning"):
        import_table(
            data=data, file_name="x.csv", format_key="series", options={**SERIES_OPTIONS, "colour": "red"}
        )


def test_series_of_another_period_type_than_the_held_indicator_is_an_error():
    import_table(
        data=b"kommun,period,varde\n2062,2024,1\n",
        file_name="a.csv",
        format_key="series",
        options=SERIES_OPTIONS,
    )
    with pytest.raises(TableImportError, match="finns redan med perioden År"):
        import_table(
            data=b"kommun,period,varde\n2062,2024-01,1\n",
            file_name="b.csv",
            format_key="series",
            options=SERIES_OPTIONS,
        )


def test_unknown_kommun_in_a_series_is_a_row_error():
    with pytest.raises(TableImportError, match="Rad 2, kolumn ”kommun”: Kommunen ”Gotham” finns inte"):
        import_table(
            data=b"kommun,period,varde\nGotham,2024,1\n",
            file_name="x.csv",
            format_key="series",
            options=SERIES_OPTIONS,
        )


def test_command_reports_counts_and_fails_on_errors(tmp_path, capsys):
    good = tmp_path / "bra.csv"
    good.write_bytes(bra("2062,Mora,2024,Bilbrott,Antal,10", "2062,Mora,2023,Bilbrott,Antal,"))
    call_command("import_statistics", "bra", str(good))
    out = capsys.readouterr().out
    assert "Rader i filen:    2" in out and "Nya:              1" in out and "Värdet saknas." in out
    bad = tmp_path / "serie.csv"
    bad.write_bytes(b"kod;tid;belopp\n2062;2024;abc\n")
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_statistics",
            "series",
            str(bad),
            "--map",
            "kommun=kod",
            "--map",
            "period=tid",
            "--map",
            "varde=belopp",
            "--option",
            "indicator_name=Kostnad",
            "--option",
            "unit=kr",
        )
    assert "Rad 2, kolumn ”belopp”: ”abc” är inte ett tal." in str(caught.value)
    assert "Ingenting har importerats." in str(caught.value)


@pytest.mark.skipif(not BRA_FILE.exists(), reason="the shared data folder is missing")
def test_real_bra_file_imports_completely():
    run = import_table(data=BRA_FILE.read_bytes(), file_name=BRA_FILE.name, format_key="bra")
    assert run.counts["lines"] == 4080
    assert run.counts["imported"] == 4080
    assert_counts_add_up(run)
    assert Indicator.objects.filter(code__startswith="bra.").count() == 30
    assert point("bra.totalt-antal-anmalda-brott", "2062", 2024).value == Decimal(1700)
    assert point("bra.totalt-antal-anmalda-brott.per100k", "2062", 2024).value.quantize(
        Decimal(1)
    ) == Decimal(8277)
    assert point("bra.totalt-antal-anmalda-brott", "2039", 2024).value == Decimal(527)


@pytest.mark.skipif(not NTU_FILE.exists(), reason="the shared data folder is missing")
def test_real_ntu_file_imports_completely_with_intervals():
    run = import_table(data=NTU_FILE.read_bytes(), file_name=NTU_FILE.name, format_key="ntu")
    assert run.counts["lines"] == 9129
    assert run.counts["imported"] == 9129
    assert_counts_add_up(run)
    otrygg = point("ntu.otrygghet-vid-utevistelse-sent-pa-kvallen-i-det-egna-bostadsomradet", "2062", 2025)
    assert (round(otrygg.value), round(otrygg.ci_low), round(otrygg.ci_high)) == (14, 10, 18)
    assert (
        round(
            point(
                "ntu.otrygghet-vid-utevistelse-sent-pa-kvallen-i-det-egna-bostadsomradet", "2039", 2025
            ).value
        )
        == 11
    )
    assert DataPoint.objects.filter(indicator__code__startswith="ntu.", ci_low__isnull=False).count() == 2992
