"""An XLSX file from outside: checked before openpyxl reads it, so that reading it stays bounded.

openpyxl (read-only) streams a sheet row by row, but it parses some things whole: the workbook's other
parts (shared strings, styles…), each sheet's XML before and after its cells, and every row; and a zip
member may unpack to a thousand times its packed size. So, before openpyxl opens the file, from the zip's
directory (whose sizes Python's zipfile holds every member to): the total unpacked size, each part's size
and compression ratio; then a streaming scan (expat, nothing kept) of each sheet's opening and of the whole
first sheet: its declared dimension, row and column numbers, cells per row and bytes per row. Every
refusal is an ``ImportFileError`` with a Swedish message.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext as _

from samverkan.indicators.limits import (
    MB,
    ImportFileError,
    Limits,
    megabytes,
    number,
    too_many_columns,
    too_many_rows,
    unpacked_message,
)

CONTENT_TYPES = "[Content_Types].xml"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
# openpyxl parses these whole; the sizes keep the worst case (measured: 32 MB of shared strings ~0.3 GB,
# 16 MB of styles ~0.25 GB, 4 MB of merged cells ~0.1 GB of memory) well under a gigabyte together.
SHARED_STRINGS_BYTES = 32 * MB  # the shared strings part
PART_BYTES = 16 * MB  # any other part but a worksheet
OUTSIDE_ROWS_BYTES = 4 * MB  # a sheet's XML outside its rows (views, widths, merged cells…)
ROW_BYTES = 4 * MB  # one row's XML (a real one is a few kB), parsed whole
MAX_RATIO = 200  # a part unpacking to more than this many times its packed size is a zip bomb…
RATIO_FROM = MB  # …when it unpacks to more than this (tiny parts compress absurdly well)
_CHUNK = 1 << 16
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?\d+")
_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?")


def not_xlsx() -> ImportFileError:
    return ImportFileError(
        _("Filen är ingen Excelfil (XLSX) som går att läsa. Spara den som .xlsx eller CSV och försök igen.")
    )


def column_number(letters: str) -> int:
    n = 0
    for letter in letters.upper():
        n = n * 26 + ord(letter) - 64
    return n


# --- the package ---------------------------------------------------------------------------------------


def check_package(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Check sizes, ratios, DTDs and the sheets' openings before openpyxl reads anything."""
    infos = archive.infolist()
    if CONTENT_TYPES not in {info.filename for info in infos}:
        raise not_xlsx()  # a zip, but not an Office file (a renamed .zip, a .docx has one but no sheet)
    total = sum(info.file_size for info in infos)
    if total > limits.unpacked_bytes:
        raise ImportFileError(unpacked_message(limits.unpacked_bytes))
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ImportFileError(
                _(
                    "Excelfilen packas upp orimligt mycket: delen ”%(part)s” blir %(ratio)s gånger större "
                    "än i filen. Den läses inte."
                )
                % {"part": info.filename[:80], "ratio": number(info.file_size // max(info.compress_size, 1))}
            )
    worksheets, shared_strings = _declared_parts(archive)
    for info in infos:
        limit = SHARED_STRINGS_BYTES if info.filename in shared_strings else PART_BYTES
        if info.filename in worksheets:
            SheetScan(limits, opening_only=True).run(archive, info.filename)
        elif info.file_size > limit:
            raise ImportFileError(
                _("Delen ”%(part)s” i Excelfilen är %(size)s MB; högst %(limit)s MB tillåts.")
                % {
                    "part": info.filename[:80],
                    "size": megabytes(info.file_size),
                    "limit": megabytes(limit),
                }
            )
        elif info.filename.endswith((".xml", ".rels")):
            _check_prologue(archive, info.filename)


def _declared_parts(archive: zipfile.ZipFile) -> tuple[set[str], set[str]]:
    """The worksheet and shared strings part names that ``[Content_Types].xml`` declares."""
    parts: dict[str, set[str]] = {WORKSHEET_TYPE: set(), SHARED_STRINGS_TYPE: set()}
    extensions: dict[str, set[str]] = {WORKSHEET_TYPE: set(), SHARED_STRINGS_TYPE: set()}

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        content_type = attributes.get("ContentType", "")
        if content_type not in parts:
            return
        if local == "Override" and attributes.get("PartName"):
            parts[content_type].add(attributes["PartName"].lstrip("/"))
        elif local == "Default" and attributes.get("Extension"):
            extensions[content_type].add("." + attributes["Extension"].lower())

    if archive.getinfo(CONTENT_TYPES).file_size > PART_BYTES:
        raise not_xlsx()
    _parse(archive, CONTENT_TYPES, start=start)  # its handler never stops early
    for content_type, endings in extensions.items():
        if endings:
            parts[content_type] |= {n for n in archive.namelist() if n.lower().endswith(tuple(endings))}
    return parts[WORKSHEET_TYPE], parts[SHARED_STRINGS_TYPE]


class _Stop(Exception):
    """Enough has been read."""


def _no_dtd(*_args: Any) -> None:
    # An Office part never has one; a DTD is how XML entity expansion attacks begin.
    raise ImportFileError(_("Excelfilen innehåller en DTD, vilket en riktig Excelfil aldrig gör."))


def _parser(start: Any = None, end: Any = None) -> Any:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    return parser


def _parse(archive: zipfile.ZipFile, name: str, *, start: Any) -> None:
    """Feed a part to expat in chunks (nothing is kept); a handler may raise ``_Stop`` to end early."""
    _feed(archive, name, _parser(start))


def _feed(archive: zipfile.ZipFile, name: str, parser: Any, each: Any = None) -> int:
    """Stream a part through ``parser``, calling ``each(bytes_fed)`` after every chunk; the bytes fed."""
    fed = 0
    try:
        with archive.open(name) as source:
            while chunk := source.read(_CHUNK):
                fed += len(chunk)
                parser.Parse(chunk, False)
                if each is not None:
                    each(fed)
            parser.Parse(b"", True)
    except (_Stop, ImportFileError):
        raise
    except expat.ExpatError as exc:
        raise ImportFileError(
            _("Excelfilen är trasig: delen ”%(part)s” är inte giltig XML.") % {"part": name[:80]}
        ) from exc
    except Exception as exc:  # a bad CRC, an encrypted part, an unknown compression…: never a 500
        raise not_xlsx() from exc
    return fed


def _check_prologue(archive: zipfile.ZipFile, name: str) -> None:
    """No DTD before the root element (the part itself is parsed by openpyxl, bounded by PART_BYTES)."""

    def start(_name: str, _attributes: dict[str, str]) -> None:
        raise _Stop

    with contextlib.suppress(_Stop):
        _parse(archive, name, start=start)


# --- a sheet -------------------------------------------------------------------------------------------


MERGED_KEPT = 5


class SheetScan:
    """One streaming pass over a sheet's XML: raises on what would make openpyxl's reading unbounded.

    ``opening_only`` stops at the cell data (what openpyxl reads of every sheet when it opens the file).
    After a full pass ``declared`` is the dimension's (rows, columns), or None when the sheet has none.
    """

    def __init__(self, limits: Limits, *, opening_only: bool = False) -> None:
        self.limits = limits
        self.opening_only = opening_only
        self.declared: tuple[int, int] | None = None
        self.depth = 0
        self.row_depth = 0  # depth of the open <row>, 0 outside one
        self.row = 0
        self.row_start = 0
        self.outside = 0  # bytes of XML outside rows so far
        self.outside_from = 0  # where the current stretch outside rows began
        self.column = 0
        self.cells = 0
        self.merged: list[str] = []  # the first MERGED_KEPT merged ranges (``mergeCell``), for messages
        self.merged_count = 0
        self.parser: Any = None

    def run(self, archive: zipfile.ZipFile, name: str) -> SheetScan:
        def each(fed: int) -> None:
            if self.opening_only and fed > OUTSIDE_ROWS_BYTES + _CHUNK:
                self._outside_too_large()  # openpyxl keeps all of a sheet's opening, rows included
            if not self.row_depth and self.outside + fed - self.outside_from > OUTSIDE_ROWS_BYTES:
                self._outside_too_large()
            if self.row_depth and fed - self.row_start > ROW_BYTES + _CHUNK:
                self._row_too_large()

        self.parser = _parser(self.start, self.end)
        try:
            fed = _feed(archive, name, self.parser, each)
        except _Stop:
            return self
        self.outside += fed - self.outside_from
        if self.outside > OUTSIDE_ROWS_BYTES:
            self._outside_too_large()
        return self

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        local = name.rsplit(" ", 1)[-1]
        if self.row_depth:
            if self.depth == self.row_depth + 1:
                self._cell(attributes)
            return
        if local == "row":
            self._row(attributes)
        elif local == "dimension" and self.declared is None:
            self._dimension(attributes.get("ref", ""))
        elif local == "mergeCell":
            self.merged_count += 1
            if len(self.merged) < MERGED_KEPT:
                self.merged.append(attributes.get("ref", "")[:20])
        elif local == "sheetData" and self.opening_only:
            raise _Stop

    def end(self, name: str) -> None:
        if self.row_depth and self.depth == self.row_depth:
            self.row_depth = 0
            here = self.parser.CurrentByteIndex
            if here - self.row_start > ROW_BYTES:
                self._row_too_large()
            self.outside_from = here
        self.depth -= 1

    def _dimension(self, ref: str) -> None:
        match = _RANGE.fullmatch(ref.strip())
        if match is None:
            return  # openpyxl refuses what it cannot read; nothing is padded by it here
        last_column, last_row = (match.group(3), match.group(4)) if match.group(3) else match.group(1, 2)
        rows, columns = int(last_row), column_number(last_column)
        self.declared = (rows, columns)
        if rows > self.limits.rows + 1 or columns > self.limits.columns:
            raise ImportFileError(
                _(
                    "Excelbladet anger att det har %(rows)s rader och %(columns)s kolumner; högst "
                    "%(max_rows)s rader och %(max_columns)s kolumner tillåts. Ta bort tomma rader och "
                    "kolumner eller spara bladet som CSV."
                )
                % {
                    "rows": number(rows),
                    "columns": number(columns),
                    "max_rows": number(self.limits.rows),
                    "max_columns": number(self.limits.columns),
                }
            )

    def _row(self, attributes: dict[str, str]) -> None:
        here = self.parser.CurrentByteIndex
        self.outside += here - self.outside_from
        if self.outside > OUTSIDE_ROWS_BYTES:
            self._outside_too_large()
        self.row_depth = self.depth
        self.row_start = here
        self.column = 0
        self.cells = 0
        number_text = attributes.get("r")
        try:
            self.row = int(float(number_text)) if number_text else self.row + 1
        except (ValueError, OverflowError):
            return  # openpyxl refuses it when it reads the row
        if self.row > self.limits.rows + 1:
            raise too_many_rows(self.limits.rows)

    def _cell(self, attributes: dict[str, str]) -> None:
        # openpyxl reads every child of a row as a cell, so every child is counted as one.
        self.cells += 1
        reference = _CELL_REF.fullmatch(attributes.get("r", ""))
        self.column = column_number(reference.group(1)) if reference else self.column + 1
        if self.column > self.limits.columns or self.cells > self.limits.columns:
            raise too_many_columns(self.row, self.limits.columns)

    def _row_too_large(self) -> None:
        raise ImportFileError(
            _("Rad %(line)d i Excelbladet är större än %(limit)s MB.")
            % {"line": self.row, "limit": megabytes(ROW_BYTES)}
        )

    def _outside_too_large(self) -> None:
        raise ImportFileError(
            _("Excelbladet har mer än %(limit)s MB utanför sina rader (format, sammanfogade celler…).")
            % {"limit": megabytes(OUTSIDE_ROWS_BYTES)}
        )


@dataclass
class OpenedSheet:
    workbook: Any
    sheet: Any
    width: int  # the declared number of columns (0 when the sheet declares none)
    merged: list[str]  # the first merged ranges of the sheet (its ``mergeCell`` refs)
    merged_count: int


def open_first_sheet(stream: IO[bytes], limits: Limits) -> tuple[Any, Any, int]:
    """(workbook, its first sheet, the declared width) after every check; ``ImportFileError`` otherwise."""
    opened = open_sheet(stream, limits)
    return opened.workbook, opened.sheet, opened.width


def open_sheet(stream: IO[bytes], limits: Limits, *, name: str | None = None) -> OpenedSheet:
    """The sheet called ``name`` (the first when None) after every check; ``ImportFileError`` otherwise,
    also when there is no sheet of that name."""
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise not_xlsx() from exc
    with archive:
        check_package(archive, limits)
        stream.seek(0)
        try:
            workbook = load_workbook(stream, read_only=True, data_only=True)
        except ImportFileError:
            raise
        except Exception as exc:  # hostile input may break the parser anywhere; it is never a 500
            raise not_xlsx() from exc
        try:
            if name is None:
                sheet = workbook.worksheets[0] if workbook.worksheets else None
                if sheet is None:
                    raise ImportFileError(_("Excelfilen har inget blad."))
            else:
                sheet = next((ws for ws in workbook.worksheets if ws.title == name), None)
                if sheet is None:
                    raise ImportFileError(
                        _("Excelfilen har inget blad som heter ”%(name)s”.") % {"name": name}
                    )
            path = sheet._worksheet_path  # openpyxl 3.1 (pinned); what the scan must cover
            # A sheet the content types do not name was held to PART_BYTES above, opening included.
            scan = SheetScan(limits).run(archive, path)
        except BaseException:
            workbook.close()
            raise
    # The declared size is checked; openpyxl would otherwise stop at a stale one and lose rows.
    sheet.reset_dimensions()
    return OpenedSheet(
        workbook=workbook,
        sheet=sheet,
        width=scan.declared[1] if scan.declared else 0,
        merged=scan.merged,
        merged_count=scan.merged_count,
    )


def sheet_titles(stream: IO[bytes], limits: Limits) -> list[str]:
    """The titles of the workbook's sheets, after the package checks; ``ImportFileError`` otherwise."""
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise not_xlsx() from exc
    with archive:
        check_package(archive, limits)
    stream.seek(0)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # hostile input may break the parser anywhere; it is never a 500
        raise not_xlsx() from exc
    try:
        return [sheet.title for sheet in workbook.worksheets]
    finally:
        workbook.close()
        stream.seek(0)
