"""Reading statistics tables without the database: encodings, delimiters, XLSX, numbers and periods."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from samverkan.indicators.polisen import ImportFileError
from samverkan.indicators.tables import (
    FORMATS,
    RowError,
    TableImportError,
    ValueProblem,
    parse_count,
    parse_month,
    parse_number,
    parse_period,
    preview_table,
    read_table,
    suggest_mapping,
)


def rows(data: bytes, name: str = "t.csv") -> tuple[list[str], list[tuple[int, list[str]]]]:
    table = read_table(data, name)
    return table.columns, list(table.rows)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed_from_the_header(delimiter):
    data = delimiter.join(["kommun", "period", "varde"]).encode() + b"\n"
    data += delimiter.join(["2418", "2024", '"12,5"']).encode() + b"\n"  # quoted, as Excel writes it
    table = read_table(data, "t.csv")
    assert table.delimiter == delimiter
    assert table.columns == ["kommun", "period", "varde"]
    assert list(table.rows) == [(2, ["2418", "2024", "12,5"])]


def test_utf8_with_bom_and_cp1252_are_read():
    text = "kommun;värde\nÄlvdalen;1\n"
    bom = read_table(b"\xef\xbb\xbf" + text.encode("utf-8"), "t.csv")
    assert bom.encoding == "utf-8-sig"
    assert bom.columns == ["kommun", "värde"]
    cp = read_table(text.encode("cp1252"), "t.csv")
    assert cp.encoding == "cp1252"
    assert list(cp.rows) == [(2, ["Älvdalen", "1"])]


def test_blank_rows_are_not_data_and_line_numbers_stay_physical():
    columns, data = rows(b"a,b\n1,2\n\n,\n3,4\n")
    assert columns == ["a", "b"]
    assert data == [(2, ["1", "2"]), (5, ["3", "4"])]


def test_xlsx_first_sheet_is_read_with_numbers_as_text():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["kommun", "ar", "folkmangd"])
    sheet.append([2418, 2024, 2959.0])
    sheet.append(["Mora", 2024, 12.5])
    sheet.append([None, None, None])
    sheet.append([dt.datetime(2024, 3, 1), None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    columns, data = rows(buffer.getvalue(), "folk.xlsx")
    assert columns == ["kommun", "ar", "folkmangd"]
    assert data == [
        (2, ["2418", "2024", "2959"]),
        (3, ["Mora", "2024", "12.5"]),
        (5, ["2024-03-01", "", ""]),
    ]


@pytest.mark.parametrize(
    "data, name",
    [
        (b"", "t.csv"),
        (b"\xd0\xcf\x11\xe0rest", "old.xls"),
        (b"PK\x03\x04broken", "t.xlsx"),
        (b"\x00\x01\x02", "t.csv"),
    ],
)
def test_unreadable_files_raise_import_file_error(data, name):
    with pytest.raises(ImportFileError):
        read_table(data, name)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12,5", Decimal("12.5")),
        ("1 700", Decimal("1700")),
        ("1\u00a0700,25", Decimal("1700.25")),
        ("1.700,5", Decimal("1700.5")),
        ("1,700.5", Decimal("1700.5")),
        ("8277.0", Decimal("8277.0")),
        ("-3", Decimal("-3")),
        ("", None),
        ("  ", None),
    ],
)
def test_numbers_in_swedish_and_plain_notation(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "12,5,3", "1e", "12 %", "NaN", "inf"])
def test_text_is_not_a_number(text):
    with pytest.raises(ValueProblem, match="inte ett tal"):
        parse_number(text)


def test_counts_are_whole_and_not_negative():
    assert parse_count("1 426") == 1426
    assert parse_count("1426.0") == 1426
    with pytest.raises(ValueProblem, match="negativt"):
        parse_count("-5")
    with pytest.raises(ValueProblem, match="heltal"):
        parse_count("12,5")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024", ("year", dt.date(2024, 1, 1))),
        ("2024-03", ("month", dt.date(2024, 3, 1))),
        ("2024-Q2", ("quarter", dt.date(2024, 4, 1))),
        ("2024 kv 3", ("quarter", dt.date(2024, 7, 1))),
        ("Q4 2024", ("quarter", dt.date(2024, 10, 1))),
    ],
)
def test_periods(text, expected):
    assert parse_period(text) == expected


def test_bad_periods_and_months():
    with pytest.raises(ValueProblem):
        parse_period("2024-13")
    with pytest.raises(ValueProblem):
        parse_period("förra året")
    assert parse_month("202201") == dt.date(2022, 1, 1)
    assert parse_month("2022-12") == dt.date(2022, 12, 1)
    with pytest.raises(ValueProblem):
        parse_month("202213")


def test_suggested_mapping_uses_names_then_aliases():
    mapping = suggest_mapping(FORMATS["population"], ["kommun_kod", "kommun_namn", "population"])
    assert mapping == {"kommun": "kommun_kod", "folkmangd": "population"}
    bra = suggest_mapping(FORMATS["bra"], ["regionkod", "geografi", "ar", "variabel", "enhet", "varde"])
    assert bra == {
        "regionkod": "regionkod",
        "ar": "ar",
        "variabel": "variabel",
        "enhet": "enhet",
        "varde": "varde",
    }


def test_preview_counts_rows_and_shows_the_first():
    data = b"kommun;period;varde\n" + b"".join(f"2418;2024-{m:02d};{m},5\n".encode() for m in range(1, 13))
    preview = preview_table(data, "serie.csv", "series")
    assert preview.row_count == 12
    assert preview.sample_rows[0] == ["2418", "2024-01", "1,5"]
    assert len(preview.sample_rows) == 5
    assert preview.delimiter == ";"
    assert preview.suggested_mapping == {"kommun": "kommun", "period": "period", "varde": "varde"}


def test_every_format_names_its_import_kind_and_fields():
    assert set(FORMATS) == {
        "bra",
        "ntu",
        "population",
        "deso_population",
        "series",
        "crime_codes",
        "crime_statistics",
    }
    for format_ in FORMATS.values():
        assert format_.kind in {"table", "crime_codes", "crime_statistics"}
        assert any(f.required for f in format_.fields)


def test_row_error_text_names_line_and_column():
    error = RowError(14, "varde", "”abc” är inte ett tal.")
    assert str(error) == "Rad 14, kolumn ”varde”: ”abc” är inte ett tal."
    assert "Rad 14" in str(TableImportError([error]))
