"""Statistics tables (CSV or XLSX): the formats we import, reading a file, and the values in its cells.

No database here: ``services.table_import`` writes what these functions read. Swedish spreadsheets are the
norm, so numbers may have decimal commas and spaces as thousand separators, and CSV files may be UTF-8
(with or without BOM) or Windows-1252, separated by comma, semicolon or tab.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, cast

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.indicators import xlsx
from samverkan.indicators.limits import (
    FIELD_CHARS,
    HEADING_CHARS,
    LINE_BYTES,
    ImportFileError,
    Limits,
    check_size,
    limits,
    megabytes,
    too_long_field,
    too_many_columns,
    too_many_rows,
)
from samverkan.indicators.limits import TABLE as TABLE_UPLOAD

MAX_ERRORS = 50
SAMPLE_ROWS = 5
PREVIEW_COLUMNS = 30  # the preview shows at most this many columns…
PREVIEW_CHARS = 200  # …and this many characters of a cell


# --- the formats -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """A column the format reads; ``key`` is also the column name suggested first."""

    key: str
    label: str
    required: bool
    help_text: str = ""


@dataclass(frozen=True)
class Option:
    """A free-text value given with the file (not a column), e.g. the series' name."""

    key: str
    label: str
    required: bool
    help_text: str = ""


@dataclass(frozen=True)
class TableFormat:
    key: str
    label: str
    description: str
    fields: list[Field]
    options: list[Option]
    kind: str  # ImportRun.Kind value


@dataclass(frozen=True)
class RowError:
    """A problem in the file: ``line`` is 1-based (the header is line 1; 0 = an option, not the file)."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return self.message
        if self.column:
            return _("Rad %(line)d, kolumn ”%(column)s”: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("Rad %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class TableImportError(Exception):
    """The file has errors; nothing was written. ``errors`` lists up to ``MAX_ERRORS`` of them."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(str(self))

    def __str__(self) -> str:
        if len(self.errors) == 1:
            return _("Filen importerades inte: %(error)s") % {"error": self.errors[0]}
        more = _(" (eller fler)") if len(self.errors) >= MAX_ERRORS else ""
        return _("Filen importerades inte: %(n)d fel%(more)s. Första: %(error)s") % {
            "n": len(self.errors),
            "more": more,
            "error": self.errors[0],
        }


def _s(text: Any) -> str:
    """A lazy translation typed as ``str``: it renders in the language active where it is shown."""
    return cast(str, text)


def _f(key: str, label: Any, required: bool = True, help_text: Any = "") -> Field:
    return Field(key, _s(label), required, _s(help_text))


_YEAR_HELP = gettext_lazy("Årtal, t.ex. 2024.")
_KOMMUN_HELP = gettext_lazy("Kommunkod (fyra siffror) eller kommunens namn.")
_BRA_FIELDS = [
    _f(
        "regionkod",
        gettext_lazy("Regionkod"),
        help_text=gettext_lazy("Kommun (4 siffror), län (2), riket 00."),
    ),
    _f("ar", gettext_lazy("År"), help_text=_YEAR_HELP),
    _f("variabel", gettext_lazy("Variabel")),
    _f("enhet", gettext_lazy("Enhet")),
    _f("varde", gettext_lazy("Värde")),
]
TABLE, CRIME_STATISTICS, CRIME_CODES = "table", "crime_statistics", "crime_codes"  # ImportRun.Kind values

FORMATS: dict[str, TableFormat] = {
    "bra": TableFormat(
        "bra",
        _s(gettext_lazy("Brå, anmälda brott")),
        _s(gettext_lazy("Brås kommunindikatorer: antal och antal per 100 000 invånare per år.")),
        _BRA_FIELDS,
        [],
        TABLE,
    ),
    "ntu": TableFormat(
        "ntu",
        _s(gettext_lazy("Brå, Nationella trygghetsundersökningen (NTU)")),
        _s(
            gettext_lazy(
                "Andelar per kommun och år med 95 % konfidensintervall (raderna ”KI (95 %) undre/övre "
                "gräns”) och antal svarande."
            )
        ),
        _BRA_FIELDS,
        [],
        TABLE,
    ),
    "population": TableFormat(
        "population",
        _s(gettext_lazy("SCB, folkmängd per kommun")),
        _s(gettext_lazy("Folkmängd per kommun och år. Saknar filen år anges det som inställning.")),
        [
            _f("kommun", gettext_lazy("Kommun"), help_text=_KOMMUN_HELP),
            _f("ar", gettext_lazy("År"), False, gettext_lazy("Kan utelämnas om året anges nedan.")),
            _f("folkmangd", gettext_lazy("Folkmängd")),
        ],
        [Option("year", _s(gettext_lazy("År")), False, _s(gettext_lazy("Om filen saknar årskolumn.")))],
        TABLE,
    ),
    "deso_population": TableFormat(
        "deso_population",
        _s(gettext_lazy("SCB, folkmängd per DeSO-område")),
        _s(gettext_lazy("Folkmängd per DeSO-område och år.")),
        [
            _f("desokod", gettext_lazy("DeSO-kod")),
            _f("kommunkod", gettext_lazy("Kommun"), False, _KOMMUN_HELP),
            _f("ar", gettext_lazy("År"), help_text=_YEAR_HELP),
            _f("folkmangd", gettext_lazy("Folkmängd")),
        ],
        [],
        TABLE,
    ),
    "series": TableFormat(
        "series",
        _s(gettext_lazy("Kommunens egen serie")),
        _s(
            gettext_lazy(
                "Ett värde per kommun och period, t.ex. kostnad för skadegörelse i kronor. Perioden "
                "är ett år (2024), en månad (2024-03) eller ett kvartal (2024-Q1, ”2024 kv 1”)."
            )
        ),
        [
            _f("kommun", gettext_lazy("Kommun"), help_text=_KOMMUN_HELP),
            _f("period", gettext_lazy("Period")),
            _f("varde", gettext_lazy("Värde")),
        ],
        [
            Option("indicator_name", _s(gettext_lazy("Seriens namn")), True),
            Option("unit", _s(gettext_lazy("Enhet")), True, _s(gettext_lazy("T.ex. kr eller antal."))),
            Option(
                "area_code",
                _s(gettext_lazy("Lägesbildsområde")),
                False,
                _s(gettext_lazy("ordning, vald, extremism, unga, ant eller tjansteman.")),
            ),
            Option(
                "better",
                _s(gettext_lazy("Vilket håll är bättre")),
                False,
                _s(gettext_lazy("higher (högre), lower (lägre) eller none.")),
            ),
            Option("description", _s(gettext_lazy("Beskrivning")), False),
            Option(
                "source",
                _s(gettext_lazy("Källa")),
                False,
                _s(gettext_lazy("Förval: kommunens egen statistik.")),
            ),
        ],
        TABLE,
    ),
    "crime_codes": TableFormat(
        "crime_codes",
        _s(gettext_lazy("Brottskodsnyckel")),
        _s(gettext_lazy("Brottskoder med hierarki och frågeområde (nyckeln från Region Dalarna).")),
        [
            _f("brottskod", gettext_lazy("Brottskod")),
            _f("brottskod_text", gettext_lazy("Benämning")),
            *[_f(f"niva{i}", format_lazy("{} {}", gettext_lazy("Nivå"), i), False) for i in range(1, 6)],
            _f("fragaomrade", gettext_lazy("Frågeområde"), False),
        ],
        [],
        CRIME_CODES,
    ),
    "crime_statistics": TableFormat(
        "crime_statistics",
        _s(gettext_lazy("Polisen, registrerade brott per DeSO och månad")),
        _s(
            gettext_lazy(
                "Antal registrerade brott per kommun, DeSO-område, månad och brottskod. Importen "
                "ersätter alla rader för de kommuner och månader som filen täcker."
            )
        ),
        [
            _f("kommunkod", gettext_lazy("Kommun"), help_text=_KOMMUN_HELP),
            _f("desokod", gettext_lazy("DeSO-kod"), False, gettext_lazy("Tom när DeSO är undertryckt.")),
            _f("regso_namn", gettext_lazy("RegSO-namn"), False),
            _f("inskr_armanad", gettext_lazy("Registreringsmånad"), help_text=gettext_lazy("ÅÅÅÅMM.")),
            _f("brottskod", gettext_lazy("Brottskod")),
            _f("antal_brott", gettext_lazy("Antal brott")),
        ],
        [],
        CRIME_STATISTICS,
    ),
}

# Other column names that mean the same field (compared after ``normalise_name``).
ALIASES: dict[str, tuple[str, ...]] = {
    "regionkod": ("region", "kod", "kommunkod", "lanskod"),
    "ar": ("år", "year", "artal", "årtal"),
    "varde": ("värde", "value", "antal"),
    "kommun": ("kommunkod", "kommun_kod", "kommunnamn", "kommun_namn", "kod", "municipality_code"),
    "kommunkod": ("kommun", "kommun_kod", "kod"),
    "folkmangd": ("folkmängd", "population", "befolkning", "invanare", "invånare"),
    "desokod": ("deso", "deso_kod"),
    "period": ("manad", "månad", "kvartal", "ar", "år", "datum"),
    "brottskod_text": ("text", "benamning", "benämning"),
    "inskr_armanad": ("manad", "månad", "armanad", "årmånad"),
    "antal_brott": ("antal",),
}


def normalise_name(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def suggest_mapping(format_: TableFormat, columns: list[str]) -> dict[str, str]:
    """Field key → the column that looks like it: its own name first, then a known alias."""
    by_name: dict[str, str] = {}
    for name in columns:
        by_name.setdefault(normalise_name(name), name)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for candidates_of in (lambda f: (f.key,), lambda f: ALIASES.get(f.key, ())):
        for field_ in format_.fields:
            if field_.key in mapping:
                continue
            for candidate in candidates_of(field_):
                found = by_name.get(normalise_name(candidate))
                if found is not None and found not in taken:
                    mapping[field_.key] = found
                    taken.add(found)
                    break
    return mapping


# --- reading a file ---------------------------------------------------------------------------------

# What a table is read from: its bytes, a path, or a binary file object (an upload).
TableSource = bytes | str | Path | IO[bytes]


@dataclass
class Table:
    """A file's header and its data rows as text; ``rows`` yields (line number, cells).

    The rows are read as they are asked for, so the file stays open until they are exhausted or the table
    is closed (``with read_table(...) as table``).
    """

    columns: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str
    delimiter: str
    closers: list[Callable[[], None]] = field(default_factory=list, repr=False)

    def close(self) -> None:
        close_rows = getattr(self.rows, "close", None)
        if close_rows is not None:
            close_rows()
        while self.closers:
            self.closers.pop()()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


@dataclass
class TablePreview:
    columns: list[str]
    sample_rows: list[list[str]]
    row_count: int
    encoding: str
    delimiter: str
    suggested_mapping: dict[str, str] = field(default_factory=dict)
    hidden_columns: int = 0  # columns beyond the PREVIEW_COLUMNS shown

    @property
    def shown_columns(self) -> list[str]:
        return self.columns[:PREVIEW_COLUMNS]


XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
_CHUNK = 1 << 16


def open_source(source: TableSource) -> tuple[IO[bytes], Callable[[], None]]:
    """A seekable binary stream of the source and what closes it (nothing for a caller's own stream)."""
    if isinstance(source, bytes):
        return io.BytesIO(source), lambda: None
    if isinstance(source, str | Path):
        try:
            handle = open(source, "rb")  # noqa: SIM115 (closed by the returned function)
        except OSError as exc:
            raise ImportFileError(_("Filen kunde inte öppnas: %(error)s") % {"error": exc.strerror}) from exc
        return handle, handle.close
    if not source.seekable():
        raise ImportFileError(_("Filen kunde inte läsas."))  # uploads and files are seekable
    source.seek(0)
    return source, lambda: None


def source_size(stream: IO[bytes]) -> int:
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    return size


def hash_source(source: TableSource) -> str:
    """The SHA-256 of the source's bytes, read in chunks; the size limit for tables is checked first."""
    stream, close = open_source(source)
    try:
        check_size(source_size(stream), TABLE_UPLOAD)
        digest = hashlib.sha256()
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
        return digest.hexdigest()
    finally:
        close()


def read_table(
    source: TableSource, file_name: str, *, sheet: str | None = None, refuse_merged: bool = False
) -> Table:
    """Open a CSV or XLSX file; ``ImportFileError`` when it cannot be read as a table at all.

    The file may be at most ``SAMVERKAN_UPLOAD_MAX_MB_TABLE``; an XLSX file is checked before it is read
    (``xlsx``), and the rows, columns and cells of either are bounded while they are read. Of an XLSX
    file the sheet named ``sheet`` is read (the first when None); ``refuse_merged`` refuses a sheet with
    merged cells, whose values openpyxl would leave in one cell and blank in the others.
    """
    stream, close = open_source(source)
    try:
        check_size(source_size(stream), TABLE_UPLOAD)
        head = stream.read(4096)
        stream.seek(0)
        if head.startswith(OLE_MAGIC) or file_name.lower().endswith(".xls"):
            raise ImportFileError(
                _(
                    "Filen är i det gamla Excel-formatet (.xls). Spara den som .xlsx eller CSV och försök igen."
                )
            )
        if head.startswith(XLSX_MAGIC) or file_name.lower().endswith(".xlsx"):
            table = _read_xlsx(stream, sheet=sheet, refuse_merged=refuse_merged)
        else:
            table = _read_csv(stream, head)
    except BaseException:
        close()
        raise
    table.closers.insert(0, close)
    return table


def _detect_encoding(stream: IO[bytes]) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as that, else Windows-1252; read in chunks."""
    bom = stream.read(3) == b"\xef\xbb\xbf"
    candidates = ["utf-8-sig"] if bom else ["utf-8", "cp1252"]
    for encoding in candidates:
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            while chunk := stream.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        stream.seek(0)
        return encoding
    stream.seek(0)
    raise ImportFileError(
        _("Filen är varken UTF-8 eller Windows-1252. Spara den som CSV (UTF-8) och försök igen.")
    )


def _bounded_lines(text: IO[str], first_line: int = 1) -> Iterator[str]:
    """The text's lines, none longer than ``LINE_BYTES`` characters (never read whole to find its end)."""
    line_number = first_line
    while line := text.readline(LINE_BYTES + 1):
        if len(line) > LINE_BYTES:
            raise ImportFileError(
                _("Rad %(line)d är längre än %(limit)s MB.")
                % {"line": line_number, "limit": megabytes(LINE_BYTES)}
            )
        line_number += 1
        yield line


def _first_line(stream: IO[bytes], encoding: str) -> str:
    """The first line that is not blank (for the delimiter), or "" when there is none."""
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        return next((line for line in _bounded_lines(text) if line.strip()), "")
    finally:
        text.detach()  # the binary stream stays open for the reader
        stream.seek(0)


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_error(line: int, exc: csv.Error) -> ImportFileError:
    if "field larger than field limit" in str(exc):
        return too_long_field(line)
    return ImportFileError(
        _("Rad %(line)d kunde inte läsas som CSV: %(error)s") % {"line": line, "error": exc}
    )


def _read_csv(stream: IO[bytes], head: bytes) -> Table:
    if b"\x00" in head:
        raise ImportFileError(_("Filen är ingen text- eller Excelfil (CSV eller XLSX)."))
    encoding = _detect_encoding(stream)
    first_line = _first_line(stream, encoding)
    if not first_line:
        raise ImportFileError(_("Filen är tom."))
    delimiter = _sniff_delimiter(first_line)
    current = limits()
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(_bounded_lines(text), delimiter=delimiter)

    def release() -> None:
        # Detached, the wrapper cannot close the stream when it is collected (an upload is the caller's).
        if text.buffer is not None:
            text.detach()

    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):
            header = next(reader)
        columns = _heading(header, reader.line_num, current)
    except StopIteration:
        release()
        raise ImportFileError(_("Filen är tom.")) from None
    except csv.Error as exc:
        release()
        raise _csv_error(reader.line_num, exc) from exc
    except BaseException:
        release()
        raise

    def rows() -> Iterator[tuple[int, list[str]]]:
        records = 0
        try:
            for cells in reader:
                records += 1
                if records > current.rows:
                    raise too_many_rows(current.rows)
                if len(cells) > current.columns:
                    raise too_many_columns(reader.line_num, current.columns)
                if any(cell.strip() for cell in cells):
                    yield reader.line_num, cells
        except csv.Error as exc:
            raise _csv_error(reader.line_num, exc) from exc
        finally:
            release()

    return Table(columns, rows(), encoding, delimiter, [release])


def _heading(header: list[str], line: int, current: Limits) -> list[str]:
    """The stripped column names; too many or too long ones are refused (they are echoed on the page)."""
    if len(header) > current.columns:
        raise too_many_columns(line, current.columns)
    columns = [c.strip() for c in header]
    for number_, name in enumerate(columns, start=1):
        if len(name) > HEADING_CHARS:
            raise ImportFileError(
                _("Rubriken i kolumn %(column)d har mer än %(max)d tecken; högst %(max)d tillåts.")
                % {"column": number_, "max": HEADING_CHARS}
            )
    return columns


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_xlsx(stream: IO[bytes], *, sheet: str | None = None, refuse_merged: bool = False) -> Table:
    current = limits()
    opened = xlsx.open_sheet(stream, current, name=sheet)
    workbook, width = opened.workbook, opened.width
    if refuse_merged and opened.merged_count:
        workbook.close()
        raise ImportFileError(
            _(
                "Bladet ”%(sheet)s” har %(count)d sammanfogade cellområden (till exempel %(ranges)s). "
                "Dela upp de sammanfogade cellerna så att varje värde står i sin egen cell, och försök igen."
            )
            % {"sheet": opened.sheet.title, "count": opened.merged_count, "ranges": ", ".join(opened.merged)}
        )
    values = opened.sheet.iter_rows(values_only=True)
    line = 0

    def texts_of(cells: Any) -> list[str]:
        texts = [_cell_text(c) for c in cells]
        if len(texts) < width:  # as wide as the declared dimension, like openpyxl pads a sized sheet
            texts += [""] * (width - len(texts))
        if any(len(t) > FIELD_CHARS for t in texts):
            raise too_long_field(line)
        return texts

    def next_row() -> list[str] | None:
        nonlocal line
        try:
            cells = next(values)
        except StopIteration:
            return None
        except ImportFileError:
            raise
        except Exception as exc:  # hostile input may break openpyxl's reading anywhere; never a 500
            raise ImportFileError(
                _("Excelfilen kunde inte läsas efter rad %(line)d.") % {"line": line}
            ) from exc
        line += 1
        if line > current.rows + 1:
            raise too_many_rows(current.rows)
        return texts_of(cells)

    try:
        header: list[str] = []
        while (found := next_row()) is not None:
            header = [t.strip() for t in found]
            if any(header):
                break
        if not any(header):
            raise ImportFileError(_("Filen är tom."))
        while header and not header[-1]:
            header.pop()
        columns = _heading(header, line, current)
    except BaseException:
        workbook.close()
        raise

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            while (texts := next_row()) is not None:
                if any(t.strip() for t in texts):
                    yield line, texts
        finally:
            workbook.close()

    return Table(columns, rows(), "xlsx", "", [workbook.close])


def preview_table(source: TableSource, file_name: str, format_key: str) -> TablePreview:
    """The header, the first rows and the suggested column mapping, for the upload page's mapping step.

    The sample is bounded (``SAMPLE_ROWS`` rows, ``PREVIEW_COLUMNS`` columns, ``PREVIEW_CHARS`` characters
    a cell) however large the file is; every row is still read, so the count is true and the file checked.
    """
    format_ = FORMATS.get(format_key)
    if format_ is None:
        raise ImportFileError(_("Okänt tabellformat: %(key)s") % {"key": format_key})
    with read_table(source, file_name) as table:
        shown = min(len(table.columns), PREVIEW_COLUMNS)
        sample: list[list[str]] = []
        count = 0
        for _line, cells in table.rows:
            count += 1
            if len(sample) < SAMPLE_ROWS:
                sample.append([_shorten(cell) for cell in cells[:shown]])
        return TablePreview(
            columns=table.columns,
            sample_rows=sample,
            row_count=count,
            encoding=table.encoding,
            delimiter=table.delimiter,
            suggested_mapping=suggest_mapping(format_, table.columns),
            hidden_columns=len(table.columns) - shown,
        )


def _shorten(text: str) -> str:
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


# --- values in cells --------------------------------------------------------------------------------


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is Swedish and names the value."""


_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")


def parse_number(text: str) -> Decimal | None:
    """ "12,5", "1 700", "1.700,5", "8277.0" → Decimal; empty → None; anything else → ``ValueProblem``."""
    raw = text.strip()
    if not raw:
        return None
    cleaned = raw.translate(_SPACES).replace("\u2212", "-")
    if "," in cleaned and "." in cleaned:
        # The later one is the decimal mark: "1.700,5" (Swedish/German) or "1,700.5" (English).
        thousands = "." if cleaned.rfind(",") > cleaned.rfind(".") else ","
        cleaned = cleaned.replace(thousands, "")
    cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", cleaned):
        raise ValueProblem(_("”%(value)s” är inte ett tal.") % {"value": raw[:40]})
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueProblem(_("”%(value)s” är inte ett tal.") % {"value": raw[:40]}) from None
    if abs(value) >= Decimal(10) ** 14:
        raise ValueProblem(_("”%(value)s” är för stort.") % {"value": raw[:40]})
    return value


def parse_count(text: str) -> int | None:
    """A whole number ≥ 0 ("1 426", "1426.0"); empty → None."""
    if text.isdigit():  # the common case, a hundred thousand times per file
        return int(text)
    value = parse_number(text)
    if value is None:
        return None
    if value < 0:
        raise ValueProblem(_("”%(value)s” är negativt.") % {"value": text.strip()[:40]})
    if value != value.to_integral_value():
        raise ValueProblem(_("”%(value)s” är inte ett heltal.") % {"value": text.strip()[:40]})
    return int(value)


def parse_year(text: str) -> int:
    raw = text.strip()
    match = re.fullmatch(r"(\d{4})(?:\.0+)?", raw)
    if not match or not 1900 <= int(match.group(1)) <= 2100:
        raise ValueProblem(_("”%(value)s” är inte ett årtal.") % {"value": raw[:40]})
    return int(match.group(1))


@lru_cache(maxsize=1024)
def parse_month(text: str) -> dt.date:
    """ "202201", "2022-01", "2022-01-01" → the month's first day."""
    raw = text.strip()
    match = re.fullmatch(r"(\d{4})-?(\d{1,2})(?:-01)?(?:\.0+)?", raw)
    if match and 1 <= int(match.group(2)) <= 12 and 1900 <= int(match.group(1)) <= 2100:
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    raise ValueProblem(_("”%(value)s” är inte en månad (ÅÅÅÅMM eller ÅÅÅÅ-MM).") % {"value": raw[:40]})


YEAR, QUARTER, MONTH = "year", "quarter", "month"  # Indicator.Period values


def parse_period(text: str) -> tuple[str, dt.date]:
    """A period as (type, first day): "2024", "2024-03", "2024-Q1", "2024 kv 1", "Q1 2024"."""
    raw = text.strip()
    lowered = raw.lower()
    if re.fullmatch(r"\d{4}(\.0+)?", lowered):
        return YEAR, dt.date(parse_year(lowered), 1, 1)
    quarter = re.fullmatch(r"(\d{4})\s*[-/ ]?\s*(?:q|kv|kvartal)\s*([1-4])", lowered) or re.fullmatch(
        r"(?:q|kv|kvartal)\s*([1-4])\s*[-/ ]?\s*(\d{4})", lowered
    )
    if quarter:
        a, b = quarter.groups()
        year, n = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
        return QUARTER, dt.date(year, 3 * (n - 1) + 1, 1)
    month = re.fullmatch(r"(\d{4})[-/](\d{1,2})(?:-01)?", lowered)
    if month and 1 <= int(month.group(2)) <= 12:
        return MONTH, dt.date(int(month.group(1)), int(month.group(2)), 1)
    raise ValueProblem(
        _("”%(value)s” är ingen period (år 2024, månad 2024-03 eller kvartal 2024-Q1).") % {"value": raw[:40]}
    )
