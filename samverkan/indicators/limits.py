"""How large a file from outside may be, and the error every import raises when a file cannot be read.

The limits come from the settings (``SAMVERKAN_UPLOAD_*``) and hold for the upload pages and the commands
alike: the file's own size is checked before it is read, what it unpacks to (XLSX, gzip) while it is read,
and a table's rows and columns as they come. Each refusal is an ``ImportFileError`` with a Swedish
message that names the limit, so a page answers 4xx and a command exits with that message.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _

MB = 1024 * 1024
TABLE, POLICE = "table", "police"  # the kinds of upload, each with its own size limit
# The csv module's own limit on one field (characters); XLSX cells are held to the same.
FIELD_CHARS = 131_072
# A column heading longer than this is no heading: it is refused rather than echoed on the preview page.
HEADING_CHARS = 200
# One physical line of a CSV file or one police event (a real event is under 1 kB).
LINE_BYTES = MB


class ImportFileError(Exception):
    """The file as a whole cannot be read (not JSON, broken gzip, too large…); nothing is imported."""


@dataclass(frozen=True)
class Limits:
    table_bytes: int
    police_bytes: int
    unpacked_bytes: int
    rows: int
    columns: int


def limits() -> Limits:
    """The limits in force (read on every call, so a test or a deployment may change them)."""
    return Limits(
        table_bytes=settings.SAMVERKAN_UPLOAD_MAX_MB_TABLE * MB,
        police_bytes=settings.SAMVERKAN_UPLOAD_MAX_MB_POLICE * MB,
        unpacked_bytes=settings.SAMVERKAN_UPLOAD_MAX_MB_UNPACKED * MB,
        rows=settings.SAMVERKAN_UPLOAD_MAX_ROWS,
        columns=settings.SAMVERKAN_UPLOAD_MAX_COLUMNS,
    )


def max_bytes(kind: str) -> int:
    current = limits()
    return current.police_bytes if kind == POLICE else current.table_bytes


def megabytes(size: int) -> str:
    """Bytes as whole MB, rounded up (a file just over the limit never reads as equal to it)."""
    return f"{math.ceil(size / MB):,}".replace(",", " ")


def number(n: int) -> str:
    """A count with a space between thousands, as Swedish writes it."""
    return f"{n:,}".replace(",", " ")


def too_large_message(size: int, limit: int) -> str:
    return _("Filen är %(size)s MB; högst %(limit)s MB tillåts.") % {
        "size": megabytes(size),
        "limit": megabytes(limit),
    }


def check_size(size: int, kind: str) -> None:
    """``ImportFileError`` when ``size`` bytes exceed the limit of this kind of upload."""
    limit = max_bytes(kind)
    if size > limit:
        raise ImportFileError(too_large_message(size, limit))


def unpacked_message(limit: int) -> str:
    return _("Filen blir större än %(limit)s MB när den packas upp; högst %(limit)s MB tillåts.") % {
        "limit": megabytes(limit)
    }


def too_many_rows(limit: int) -> ImportFileError:
    return ImportFileError(
        _("Filen har fler än %(max)s rader utöver rubrikraden; högst %(max)s tillåts. Dela upp den.")
        % {"max": number(limit)}
    )


def too_many_columns(line: int, limit: int) -> ImportFileError:
    return ImportFileError(
        _("Rad %(line)d har fler än %(max)s kolumner; högst %(max)s tillåts.")
        % {"line": line, "max": number(limit)}
    )


def too_long_field(line: int) -> ImportFileError:
    return ImportFileError(
        _("Rad %(line)d har en cell med mer än %(max)s tecken; högst %(max)s tillåts.")
        % {"line": line, "max": number(FIELD_CHARS)}
    )


class Seekable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = ..., /) -> int: ...


class BoundedReader(io.RawIOBase):
    """Reads through ``inner`` (e.g. a gzip stream) and raises ``ImportFileError`` past ``limit`` bytes.

    Seeking is passed on (gzip rewinds by reading again), so the count is always the position reached.
    """

    def __init__(self, inner: Seekable, limit: int) -> None:
        super().__init__()
        self.inner = inner
        self.limit = limit
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        # Never ask for more than one byte past the limit: that byte is enough to know.
        wanted = min(len(buffer), self.limit + 1 - self.position)
        if wanted <= 0:
            raise ImportFileError(unpacked_message(self.limit))
        data = self.inner.read(wanted)
        buffer[: len(data)] = data
        self.position += len(data)
        if self.position > self.limit:
            raise ImportFileError(unpacked_message(self.limit))
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = self.inner.seek(offset, whence)
        return self.position

    def tell(self) -> int:
        return self.position
