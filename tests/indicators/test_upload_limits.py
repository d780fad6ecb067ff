"""Files from outside stay bounded: size limits per kind of upload, XLSX checked before it is read (zip
bombs, declared dimension, rows, columns, cells), CSV and police events read as streams with line and
field limits, a bounded preview, rejected uploads removed at once, and the commands exiting cleanly.

The bombs are built here with zipfile/gzip from a few repeated bytes; the limits are lowered in settings
where a test needs a file past them, so nothing large is ever written.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from samverkan.indicators.limits import ImportFileError
from samverkan.indicators.models import DataPoint, ImportRun, Indicator, PoliceEvent
from samverkan.indicators.services import import_police_events
from samverkan.indicators.tables import preview_table, read_table
from tests.factories import UserFactory
from tests.indicators.factories import police_jsonl

IMPORTS = "/statistik/importer/"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SERIES_HEADER = b'<row r="1"><c r="A1" t="inlineStr"><is><t>kommun</t></is></c><c r="B1" t="inlineStr"><is><t>period</t></is></c><c r="C1" t="inlineStr"><is><t>varde</t></is></c></row>'


def series_row(n: int) -> bytes:
    return (
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Malå</t></is></c><c r="B{n}"><v>2024</v></c>'
        f'<c r="C{n}"><v>{n}</v></c></row>'
    ).encode()


SERIES_ROW = series_row(2)
SERIES_CSV = "kommun;period;varde\nMalå;2023;120000\nMalå;2024;95500,5\n".encode()


# --- building files ---------------------------------------------------------------------------------


def xlsx(
    sheet: bytes | Iterable[bytes], *, shared: bytes | None = None, extra: dict[str, bytes] | None = None
) -> bytes:
    """A minimal valid XLSX whose first sheet is ``sheet`` (its chunks streamed into the zip)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, sheet, shared=shared, extra=extra)
    return buffer.getvalue()


def write_xlsx(
    target: io.BytesIO | Path,
    sheet: bytes | Iterable[bytes],
    *,
    shared: bytes | None = None,
    extra: dict[str, bytes] | None = None,
) -> None:
    overrides = (
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    )
    rels = (
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/>'
    )
    if shared is not None:
        overrides += (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        rels += (
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/sharedStrings" Target="sharedStrings.xml"/>'
        )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships">{rels}</Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            for chunk in [sheet] if isinstance(sheet, bytes) else sheet:
                handle.write(chunk)
        if shared is not None:
            archive.writestr("xl/sharedStrings.xml", shared)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)


def sheet_xml(*rows: bytes, dimension: str | None = None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode()
        + dim
        + b"<sheetData>"
        + b"".join(rows)
        + b"</sheetData></worksheet>"
    )


def streamed_sheet(repeated: bytes, total_bytes: int, *, head: bytes = SERIES_HEADER) -> Iterable[bytes]:
    """A sheet whose cell data is ``repeated`` until ``total_bytes``: megabytes in, a few kB packed."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode() + head
    block = repeated * max(1, (1 << 20) // len(repeated))
    written = 0
    while written < total_bytes:
        yield block
        written += len(block)
    yield b"</sheetData></worksheet>"


def dimension_bomb() -> bytes:
    """The probe's file: a few bytes of cells in a sheet that declares all of Excel's 17 billion."""
    return xlsx(sheet_xml(SERIES_HEADER, SERIES_ROW, dimension="A1:XFD1048576"))


def deflate_bomb(megabytes: int) -> bytes:
    """A sheet of ``megabytes`` MB of identical rows, a thousandfold packed."""
    row = b'<row><c t="inlineStr"><is><t>Mal\xc3\xa5</t></is></c><c><v>2024</v></c><c><v>1</v></c></row>'
    return xlsx(streamed_sheet(row, megabytes << 20))


def write_string_bomb(target: io.BytesIO | Path, megabytes: int) -> None:
    """One cell whose inline text is ``megabytes`` MB of "A" (the old reader held it whole, twice)."""
    chunks = [
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
        + SERIES_HEADER
        + b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    ]
    chunks += [b"A" * (1 << 20)] * megabytes
    chunks.append(b"</t></is></c></row></sheetData></worksheet>")
    write_xlsx(target, chunks)


def valid_xlsx(*rows: list[object]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_all(data: bytes, name: str) -> int:
    """Read every row (what the preview and the import do); the number of data rows."""
    with read_table(data, name) as table:
        return sum(1 for _row in table.rows)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# --- fixtures and shared assertions -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def steward(db):
    return UserFactory(username="forvaltare", is_superuser=True, is_staff=True)


def uploads_left(settings) -> list[str]:
    folder = Path(settings.VAR_DIR) / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def assert_nothing_written(settings) -> None:
    assert not ImportRun.objects.exists()
    assert not DataPoint.objects.exists()
    assert not PoliceEvent.objects.exists()
    assert not Indicator.objects.filter(code__startswith="kommun.").exists()
    assert uploads_left(settings) == []


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def series_url(world, tail=""):
    return f"/samverkan/{world.a.pk}/statistik/importera/{tail}"


# --- the reader: refusals with their Swedish message ----------------------------------------------------


def encrypted_xlsx() -> bytes:
    """A valid XLSX whose parts are flagged as encrypted in the zip's directory (zipfile then refuses)."""
    data = bytearray(xlsx(sheet_xml(SERIES_HEADER, SERIES_ROW)))
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + 8] |= 0x01  # general purpose flag: encrypted
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def rows_before_the_cell_data(megabytes: int) -> bytes:
    """Rows placed before <sheetData>: openpyxl keeps all of a sheet's opening while it looks for the size."""
    rows = b"".join(
        f'<row r="{n}"><c r="A{n}"><v>{n * 7919 % 1_000_003}</v></c></row>'.encode()
        for n in range(2, 2 + megabytes * 28_000)
    )
    return sheet_xml(SERIES_HEADER).replace(b"<sheetData>", rows + b"<sheetData>")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


REFUSED_FILES = {
    "dimension": (dimension_bomb, "bomb.xlsx", "anger att det har 1 048 576 rader och 16 384 kolumner"),
    "deflate": (lambda: deflate_bomb(64), "bomb.xlsx", "packas upp orimligt mycket"),
    "renamed csv": (lambda: SERIES_CSV, "serie.xlsx", "ingen Excelfil (XLSX) som går att läsa"),
    "renamed png": (
        lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "bild.xlsx",
        "ingen Excelfil (XLSX) som går att läsa",
    ),
    "other zip": (
        lambda: _zip({"hej.txt": b"hej"}),
        "arkiv.xlsx",
        "ingen Excelfil (XLSX) som går att läsa",
    ),
    "docx-like zip": (
        lambda: _zip({"[Content_Types].xml": b'<?xml version="1.0"?><Types/>', "word/document.xml": b"<w/>"}),
        "brev.xlsx",
        "ingen Excelfil (XLSX) som går att läsa",
    ),
    "truncated zip": (
        lambda: valid_xlsx(["kommun", "period", "varde"], ["Malå", 2024, 5])[:900],
        "trasig.xlsx",
        "ingen Excelfil (XLSX) som går att läsa",
    ),
    "dtd": (
        lambda: xlsx(
            b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'
            + sheet_xml(SERIES_HEADER).split(b"?>", 1)[1]
        ),
        "dtd.xlsx",
        "innehåller en DTD",
    ),
    "encrypted parts": (encrypted_xlsx, "krypterad.xlsx", "ingen Excelfil (XLSX) som går att läsa"),
    "large opening": (
        lambda: xlsx(rows_before_the_cell_data(5)),
        "början.xlsx",
        "mer än 4 MB utanför sina rader",
    ),
    "one wide row": (
        lambda: xlsx(sheet_xml(SERIES_HEADER, b"<row>" + b"<c><v>1</v></c>" * 300 + b"</row>")),
        "bred.xlsx",
        "Rad 2 har fler än 200 kolumner",
    ),
    "far column": (
        lambda: xlsx(sheet_xml(SERIES_HEADER, b'<row r="2"><c r="XFD2"><v>1</v></c></row>')),
        "kolumn.xlsx",
        "Rad 2 har fler än 200 kolumner",
    ),
    "far row": (
        lambda: xlsx(sheet_xml(SERIES_HEADER, b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>')),
        "rad.xlsx",
        "fler än 1 000 000 rader",
    ),
    "long cell": (
        lambda: xlsx(
            sheet_xml(
                SERIES_HEADER,
                b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"x" * 140_000 + b"</t></is></c></row>",
            )
        ),
        "cell.xlsx",
        "Rad 2 har en cell med mer än 131 072 tecken",
    ),
    "long heading": (
        lambda: ("kommun;" + "p" * 300 + ";varde\nMalå;2024;1\n").encode(),
        "rubrik.csv",
        "Rubriken i kolumn 2 har mer än 200 tecken",
    ),
    "long csv line": (
        lambda: b"kommun;period;varde\n" + b"x" * ((1 << 20) + 10) + b"\n",
        "rad.csv",
        "Rad 2 är längre än 1 MB",
    ),
    "long csv field": (
        lambda: b'kommun;period;varde\n"' + b"x" * 140_000 + b'";2024;1\n',
        "fält.csv",
        "Rad 2 har en cell med mer än 131 072 tecken",
    ),
    "wide csv": (
        lambda: b"kommun;period;varde\n" + b";" * 300 + b"\n",
        "bred.csv",
        "Rad 2 har fler än 200 kolumner",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED_FILES))
def test_the_reader_refuses_with_a_swedish_message(case):
    build, name, message = REFUSED_FILES[case]
    with pytest.raises(ImportFileError, match=re.escape(message)):
        read_all(build(), name)


def test_the_unpacked_size_of_an_xlsx_is_limited(settings):
    settings.SAMVERKAN_UPLOAD_MAX_MB_UNPACKED = 1
    rows = b"".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{os.urandom(8).hex()}</t></is></c></row>'.encode()
        for n in range(2, 40_000)
    )
    data = xlsx(sheet_xml(SERIES_HEADER, rows))
    assert len(data) < (1 << 20) * 2  # not a bomb by its ratio: only its total is too large
    with pytest.raises(ImportFileError, match="blir större än 1 MB när den packas upp; högst 1 MB tillåts"):
        read_table(data, "stor.xlsx")


def test_a_shared_string_bomb_is_refused_before_openpyxl_reads_it():
    shared = (
        f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>'.encode() + b"A" * (40 << 20) + b"</t></si></sst>"
    )
    data = xlsx(sheet_xml(SERIES_HEADER), shared=shared)
    with pytest.raises(ImportFileError, match="packas upp orimligt mycket"):
        read_table(data, "delade.xlsx")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_rows_past_the_limit_stop_the_reading(settings, kind):
    settings.SAMVERKAN_UPLOAD_MAX_ROWS = 100
    lines = [["kommun", "period", "varde"]] + [["Malå", 2024, n] for n in range(150)]
    if kind == "csv":
        data = "\n".join(";".join(map(str, line)) for line in lines).encode()
    else:  # no declared dimension: the rows are counted as the sheet is scanned
        data = xlsx(sheet_xml(SERIES_HEADER, *(series_row(n) for n in range(2, 152))))
    with pytest.raises(ImportFileError, match="fler än 100 rader utöver rubrikraden; högst 100 tillåts"):
        read_all(data, f"t.{kind}")
    # At the limit the file is read whole.
    settings.SAMVERKAN_UPLOAD_MAX_ROWS = 150
    assert read_all(data, f"t.{kind}") == 150


def test_a_stale_declared_dimension_no_longer_loses_rows():
    # openpyxl stops at the declared last row; the reader checks the dimension and then reads every row.
    data = xlsx(sheet_xml(SERIES_HEADER, series_row(2), series_row(3), dimension="A1:C2"))
    with read_table(data, "t.xlsx") as table:
        assert [line for line, _cells in table.rows] == [2, 3]


def test_valid_xlsx_reads_as_before():
    data = valid_xlsx(
        ["kommun", "period", "varde"], ["Malå", 2024, 5.0], [None, None, None], ["Mora", "2024-Q1", 1.5]
    )
    with read_table(data, "t.xlsx") as table:
        assert table.columns == ["kommun", "period", "varde"]
        assert list(table.rows) == [(2, ["Malå", "2024", "5"]), (4, ["Mora", "2024-Q1", "1.5"])]


def test_the_preview_is_a_bounded_sample():
    header = ";".join(f"k{n}" for n in range(60))
    row = ";".join("x" * 1000 for _n in range(60))
    data = (header + "\n" + "\n".join([row] * 40)).encode()
    preview = preview_table(data, "bred.csv", "series")
    assert preview.row_count == 40
    assert len(preview.sample_rows) == 5
    assert all(len(cells) == 30 for cells in preview.sample_rows)
    assert all(len(cell) == 200 and cell.endswith("…") for cells in preview.sample_rows for cell in cells)
    assert preview.hidden_columns == 30 and len(preview.shown_columns) == 30


# --- the upload pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case", ["dimension", "deflate", "renamed csv", "truncated zip", "other zip", "far row"]
)
def test_series_upload_refuses_a_bad_xlsx_with_4xx_and_keeps_nothing(world, settings, case):
    build, name, message = REFUSED_FILES[case]
    response = world.client("samordnare").post(series_url(world), {"file": upload(name, build())})
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'role="alert"' in text_of(response)
    assert_nothing_written(settings)


def test_steward_table_upload_refuses_a_bomb(client, steward, settings):
    client.force_login(steward)
    response = client.post(
        IMPORTS + "tabell/", {"format": "bra", "file": upload("bomb.xlsx", dimension_bomb())}
    )
    assert response.status_code == 400 and "16 384 kolumner" in text_of(response)
    assert_nothing_written(settings)


def test_a_body_over_the_limit_is_refused_before_it_is_read(world, settings):
    settings.SAMVERKAN_UPLOAD_MAX_MB_TABLE = 1
    big = SERIES_CSV + b"Mal\xc3\xa5;2024;1\n" * 150_000  # ~2.3 MB, built in memory only
    client = world.client("samordnare")
    response = client.post(series_url(world), {"file": upload("stor.csv", big)})
    assert response.status_code == 413
    assert re.search(r"Filen är [23] MB; högst 1 MB tillåts\.", text_of(response))
    assert_nothing_written(settings)


def test_a_file_just_over_the_limit_is_refused_by_the_form(world, settings):
    settings.SAMVERKAN_UPLOAD_MAX_MB_TABLE = 1
    data = SERIES_CSV + b"x" * ((1 << 20) + 1000 - len(SERIES_CSV))
    response = world.client("samordnare").post(series_url(world), {"file": upload("stor.csv", data)})
    assert response.status_code == 400
    assert "Filen är 2 MB; högst 1 MB tillåts." in text_of(response)
    assert_nothing_written(settings)


def test_the_body_limit_still_checks_csrf(world, settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["samordnare"])
    response = client.post(series_url(world), {"file": upload("s.csv", SERIES_CSV)})
    assert response.status_code == 403
    assert_nothing_written(settings)


def test_preview_keeps_the_file_and_cancel_removes_it(world, settings):
    client = world.client("samordnare")
    response = client.post(series_url(world), {"file": upload("s.csv", SERIES_CSV)})
    assert response.status_code == 200
    sha256 = re.search(r'name="sha256" value="([0-9a-f]{64})"', response.content.decode()).group(1)
    assert uploads_left(settings) == [sha256]
    assert 'name="cancel"' in response.content.decode()
    response = client.post(
        series_url(world, "bekrafta/"), {"sha256": sha256, "file_name": "s.csv", "cancel": "1"}
    )
    assert response.status_code == 302 and response["Location"] == series_url(world)
    assert_nothing_written(settings)


def test_a_file_refused_at_confirmation_is_removed(world, settings):
    client = world.client("samordnare")
    response = client.post(series_url(world), {"file": upload("s.csv", SERIES_CSV)})
    sha256 = re.search(r'name="sha256" value="([0-9a-f]{64})"', response.content.decode()).group(1)
    settings.SAMVERKAN_UPLOAD_MAX_ROWS = 1  # the limit changed between preview and confirmation
    response = client.post(
        series_url(world, "bekrafta/"),
        {
            "sha256": sha256,
            "file_name": "s.csv",
            "map_kommun": "kommun",
            "map_period": "period",
            "map_varde": "varde",
            "opt_indicator_name": "Kostnad",
            "opt_unit": "kr",
        },
    )
    assert response.status_code == 400
    assert "fler än 1 rader" in text_of(response)
    assert_nothing_written(settings)


def test_police_upload_too_large_is_413(client, steward, settings):
    settings.SAMVERKAN_UPLOAD_MAX_MB_POLICE = 1
    client.force_login(steward)
    response = client.post(IMPORTS + "polisens-handelser/", {"file": upload("h.jsonl", b"{}\n" * 400_000)})
    assert response.status_code == 413
    assert "högst 1 MB tillåts" in text_of(response)
    assert_nothing_written(settings)


# --- police events: gzip and lines ------------------------------------------------------------------------


def gzip_bomb(unpacked_mb: int) -> bytes:
    """Valid events, then blank space up to ``unpacked_mb`` MB: a few kB of gzip."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb") as handle:
        handle.write(police_jsonl(1))
        blank = b" " * 1023 + b"\n"
        for _n in range(unpacked_mb * 1024):
            handle.write(blank)
    return buffer.getvalue()


@pytest.mark.django_db
def test_gzip_is_bounded_while_it_unpacks(settings):
    settings.SAMVERKAN_UPLOAD_MAX_MB_UNPACKED = 2
    data = gzip_bomb(3)
    assert len(data) < 100_000
    with pytest.raises(ImportFileError, match="blir större än 2 MB när den packas upp; högst 2 MB tillåts"):
        import_police_events(io.BytesIO(data), file_name="bomb.jsonl.gz")
    assert not ImportRun.objects.exists() and not PoliceEvent.objects.exists()
    settings.SAMVERKAN_UPLOAD_MAX_MB_UNPACKED = 4
    assert import_police_events(io.BytesIO(data), file_name="bomb.jsonl.gz").counts["imported"] == 1


def test_gzip_bomb_upload_is_400_and_writes_nothing(client, steward, settings):
    settings.SAMVERKAN_UPLOAD_MAX_MB_UNPACKED = 1
    client.force_login(steward)
    response = client.post(IMPORTS + "polisens-handelser/", {"file": upload("h.jsonl.gz", gzip_bomb(2))})
    assert response.status_code == 400
    assert "blir större än 1 MB när den packas upp" in text_of(response)
    assert_nothing_written(settings)


@pytest.mark.django_db
def test_an_overlong_line_is_skipped_and_never_read_whole():
    data = police_jsonl(1) + b'{"id": 2, "name": "' + b"x" * (3 << 20) + b'"}\n' + police_jsonl(3)
    run = import_police_events(io.BytesIO(data), file_name="h.jsonl")
    assert (run.counts["imported"], run.counts["skipped"]) == (2, 1)
    assert run.counts["skipped_rows"] == [{"line": 2, "reason": "Raden är längre än 1 MB."}]


@pytest.mark.django_db
def test_an_overlong_first_line_refuses_the_file():
    with pytest.raises(ImportFileError, match="Rad 1: Raden är längre än 1 MB"):
        import_police_events(io.BytesIO(b"{" + b" " * (2 << 20) + b"}\n"), file_name="h.jsonl")


@pytest.mark.django_db
def test_an_overlong_array_element_refuses_the_file():
    data = b'[{"id": 1, "name": "' + b"x" * (2 << 20) + b'"}]'
    with pytest.raises(ImportFileError, match="posten är längre än 1 MB"):
        import_police_events(io.BytesIO(data), file_name="h.json")


# --- the commands -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["dimension", "deflate", "renamed csv", "truncated zip", "long csv line"])
def test_import_statistics_exits_with_the_message(tmp_path, settings, case):
    build, name, message = REFUSED_FILES[case]
    path = tmp_path / name
    path.write_bytes(build())
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command(
            "import_statistics", "series", str(path), "--option", "indicator_name=X", "--option", "unit=kr"
        )
    assert_nothing_written(settings)


@pytest.mark.django_db
def test_import_statistics_refuses_a_file_over_the_limit(tmp_path, settings):
    settings.SAMVERKAN_UPLOAD_MAX_MB_TABLE = 1
    path = tmp_path / "stor.csv"
    with path.open("wb") as handle:
        handle.write(SERIES_CSV)
        for _n in range(2100):
            handle.write(b"x" * 1023 + b"\n")
    with pytest.raises(CommandError, match=r"Filen är 3 MB; högst 1 MB tillåts\."):
        call_command("import_statistics", "series", str(path))
    assert_nothing_written(settings)


@pytest.mark.django_db
def test_import_police_events_exits_with_the_message(tmp_path, settings):
    settings.SAMVERKAN_UPLOAD_MAX_MB_UNPACKED = 1
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip_bomb(2))
    with pytest.raises(CommandError, match="blir större än 1 MB när den packas upp"):
        call_command("import_police_events", str(path))
    assert_nothing_written(settings)


# --- bounded memory -----------------------------------------------------------------------------------

MEMORY_CEILING = 1024 * 1024 * 1024  # address space for Python, Django and openpyxl, not for the bombs
READER = """
import os, resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, ({ceiling}, {ceiling}))
import django
django.setup()
from samverkan.indicators.limits import ImportFileError
from samverkan.indicators.tables import read_table
try:
    with read_table(Path(sys.argv[1]), sys.argv[2]) as table:
        rows = sum(1 for _row in table.rows)
    print("READ", rows)
except ImportFileError as error:
    print("REFUSED", error)
# The peak resident size of this process image (VmHWM): getrusage's ru_maxrss would also count the
# forked copy of the test process before exec.
status = Path("/proc/self/status").read_text()
print("PEAK_KB", status.split("VmHWM:")[1].split()[0])
"""


def run_reader(path: Path, name: str, tmp_path: Path) -> tuple[str, int]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samverkan.settings",
        "SAMVERKAN_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "test-only",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", READER.format(ceiling=MEMORY_CEILING), str(path), name],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    return lines[0], int(lines[-1].split()[1])


@pytest.mark.slow
@pytest.mark.parametrize("bomb", ["string", "dimension"])
def test_a_bomb_is_refused_within_bounded_memory(tmp_path, bomb):
    path = tmp_path / "bomb.xlsx"
    if bomb == "string":
        # 480 MB of text in one cell (~0.5 MB packed): the old reader held it whole and ran out of memory.
        write_string_bomb(path, 480)
        expected = "packas upp orimligt mycket"
    else:
        path.write_bytes(dimension_bomb())
        expected = "anger att det har 1 048 576 rader och 16 384 kolumner"
    outcome, peak_kb = run_reader(path, "bomb.xlsx", tmp_path)
    assert outcome.startswith("REFUSED") and expected in outcome, outcome
    assert peak_kb < 300 * 1024, f"peak {peak_kb} kB"
    print(f"{bomb} bomb: refused at a peak of {peak_kb // 1024} MB under a {MEMORY_CEILING >> 20} MB ceiling")


@pytest.mark.slow
def test_a_large_valid_xlsx_streams_within_bounded_memory(tmp_path):
    # 200,000 rows (~25 MB of sheet XML): read row by row, the peak stays far below the ceiling.
    path = tmp_path / "stor.xlsx"

    def rows() -> Iterable[bytes]:
        yield sheet_xml(SERIES_HEADER).split(b"</sheetData>")[0]
        for start in range(2, 200_002, 10_000):
            yield b"".join(
                f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Malå</t></is></c><c r="B{n}"><v>2024</v></c>'
                f'<c r="C{n}"><v>{n * 7919 % 100_003}</v></c></row>'.encode()
                for n in range(start, start + 10_000)
            )
        yield b"</sheetData></worksheet>"

    write_xlsx(path, rows())
    outcome, peak_kb = run_reader(path, "stor.xlsx", tmp_path)
    assert outcome == "READ 200000", outcome
    assert peak_kb < 400 * 1024, f"peak {peak_kb} kB"
    print(f"valid 25 MB sheet ({outcome}): peak {peak_kb // 1024} MB")
