"""The police's open events format (polisen.se/api/events): reading files and the format's quirks.

Pure functions, no database: the import service (``services.police_events``) builds on them.
Quirks handled here (see SOURCES.md of the shared data): the hour is not zero-padded
("2024-01-05 9:03:00 +01:00"); ``url`` is a path on polisen.se; ``location.name`` is a kommun or a län
(since early 2026 always the län, the kommun then being the last part of ``name``); ``location.gps`` is
the centre of that kommun or län; a few kommun names differ from SCB's in case.
"""

from __future__ import annotations

import codecs
import datetime as dt
import gzip
import hashlib
import io
import json
import re
import tempfile
import zlib
from collections.abc import Container, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import orjson
from django.utils.translation import gettext as _

from samverkan.indicators.limits import (
    LINE_BYTES,
    BoundedReader,
    ImportFileError,
    limits,
    megabytes,
    too_large_message,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
POLISEN_BASE_URL = "https://polisen.se"
GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 16


# --- dates -----------------------------------------------------------------------------------------

_DATETIME = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(?:(Z)|([+-])(\d{2}):?(\d{2}))?\s*$"
)
_OFFSETS: dict[str, dt.tzinfo] = {}


def parse_datetime(value: str) -> dt.datetime:
    """An aware datetime from the API's format; ValueError for text that is not one or an impossible date.

    Accepts an hour without leading zero, an optional "T", seconds and offset; without an offset the time is
    Swedish local time.
    """
    fast = _fast_datetime(value)
    if fast is not None:
        return _within_years(fast, value)
    match = _DATETIME.match(value)
    if match is None:
        raise ValueError(value)
    year, month, day, hour, minute, second, zulu, sign, off_h, off_m = match.groups()
    if zulu:
        tz: dt.tzinfo = dt.UTC
    elif sign:
        key = f"{sign}{off_h}{off_m}"
        tz = _OFFSETS.get(key)  # type: ignore[assignment]
        if tz is None:
            minutes = int(off_h) * 60 + int(off_m)
            if minutes >= 24 * 60:
                raise ValueError(value)
            tz = dt.timezone(dt.timedelta(minutes=-minutes if sign == "-" else minutes))
            _OFFSETS[key] = tz
    else:
        tz = STOCKHOLM
    moment = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=tz)
    return _within_years(moment, value)


def _within_years(moment: dt.datetime, value: str) -> dt.datetime:
    """ValueError for a year the importer's fast path does not take either (before 1001, after 9998): at
    the ends of the calendar a moment with an offset has no UTC or Swedish time to store or count it in
    (year 1 at +01:00 is before the first moment Python can hold), which aborted the whole import."""
    if not 1000 < moment.year < 9999:
        raise ValueError(value)
    return moment


def _fast_datetime(value: str) -> dt.datetime | None:
    """The API's exact shape "YYYY-MM-DD H:MM:SS +HH:MM" (most rows) through the C ISO parser, without the
    regular expression; None leaves the text to the full parser (which decides, and names any error)."""
    date, _sep, rest = value.partition(" ")
    time, _sep, offset = rest.partition(" ")
    if len(date) != 10 or date[4] != "-" or date[7] != "-" or offset not in _OFFSETS:
        return None
    if len(time) == 7:
        time = "0" + time
    elif len(time) != 8:
        return None
    try:
        return dt.datetime.fromisoformat(f"{date}T{time}{offset}")
    except ValueError:
        return None


_OFFSETS.update(
    {
        f"{sign}{h:02d}:00": dt.timezone(dt.timedelta(hours=h if sign == "+" else -h))
        for sign in "+-"
        for h in range(0, 15)
    }
)
# The offsets as the API writes them ("+01:00", "+02:00", any whole hour) → their distance from UTC:
# with one of these, ``parse_datetime`` of "YYYY-MM-DD H:MM:SS <offset>" is ``datetime.fromisoformat`` of
# the text with a "T" and the hour zero-padded (its fast case, which the importer repeats inline).
API_OFFSETS: dict[str, dt.timedelta] = {key: tz.utcoffset(None) for key, tz in _OFFSETS.items()}  # type: ignore[misc]


def month_of(when: dt.datetime) -> dt.date:
    """The first day of the month ``when`` falls in, in Swedish time (``when`` is aware)."""
    if 3 <= when.day <= 26:
        # Any UTC offset is less than a day from Swedish time's, so mid-month the month is the same
        # whatever the offset: no time zone conversion for most events.
        return dt.date(when.year, when.month, 1)
    local = when.astimezone(STOCKHOLM)
    return dt.date(local.year, local.month, 1)


# --- other fields ----------------------------------------------------------------------------------


def absolute_url(url: str) -> str:
    """The API gives a path on polisen.se; anything but http(s) or a path is dropped."""
    url = url.strip()
    if not url:
        return ""
    if url.startswith(("https://", "http://")):
        return url
    if url.startswith("/"):
        return POLISEN_BASE_URL + url
    if "://" in url or url.lower().startswith(("javascript:", "data:", "mailto:")):
        return ""
    return f"{POLISEN_BASE_URL}/{url}"


def parse_gps(value: str) -> tuple[float, float] | None:
    """ "lat,lon" → (lat, lon); None if it is not two numbers in range."""
    try:
        lat_s, lon_s = value.split(",")
        lat, lon = float(lat_s), float(lon_s)
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def name_tail(name: str) -> str:
    """The last comma-separated part of a title: "05 januari 09.03, Trafikolycka, Malå" → "Malå"."""
    if "," not in name:
        return ""
    return name.rsplit(",", 1)[1].strip()


def normalise_place(name: str) -> str:
    """Case, hyphens and spacing do not tell places apart ("Dals-ed" = "Dals-Ed", "Upplands väsby")."""
    return " ".join(name.replace("-", " ").split()).casefold()


CACHED_MATCHES = 10_000


@dataclass(frozen=True)
class PlaceMatch:
    kommun_id: str | None
    lan_id: str | None
    matched_by: str  # PoliceEvent.MatchedBy values
    flagged: bool


class PlaceMatcher:
    """Finds the kommun (or at least the län) of an event from its location name and title.

    ``kommuner``: (kod, namn, officiellt namn, länskod); ``lan``: (kod, namn, kortnamn). Kommun names win
    over län short names (Gotland, Uppsala…). Results are cached per (location, title tail), and per
    location alone when it names a kommun (the title is then not read), up to CACHED_MATCHES of each (a
    crafted file cannot grow them past it).
    """

    def __init__(self, kommuner: list[tuple[str, str, str, str]], lan: list[tuple[str, str, str]]) -> None:
        self._kommun: dict[str, tuple[str, str]] = {}
        for kod, namn, officiellt, lanskod in kommuner:
            for variant in (officiellt, namn):
                if variant:
                    self._kommun[normalise_place(variant)] = (kod, lanskod)
        self._lan: dict[str, str] = {}
        for kod, namn, kortnamn in lan:
            self._lan[normalise_place(namn)] = kod
            self._lan[normalise_place(f"{kortnamn} län")] = kod
            self._lan.setdefault(normalise_place(kortnamn), kod)
        self._cache: dict[tuple[str, str], PlaceMatch] = {}
        self._by_location: dict[str, PlaceMatch] = {}

    def kommun(self, name: str) -> tuple[str, str] | None:
        """(kommunkod, länskod) for a kommun name, also "Malå kommun", "Falu kommun", "Malås kommun"."""
        key = normalise_place(name)
        found = self._kommun.get(key)
        if found is None and key.endswith(" kommun"):
            base = key.removesuffix(" kommun")
            found = self._kommun.get(base)
            if found is None and base.endswith("s"):
                found = self._kommun.get(base[:-1])
        return found

    def lan(self, name: str) -> str | None:
        return self._lan.get(normalise_place(name))

    def match(self, location_name: str, title: str) -> PlaceMatch:
        found = self._by_location.get(location_name)
        if found is not None:
            return found
        tail = name_tail(title)
        key = (location_name, tail)
        found = self._cache.get(key)
        if found is not None:
            return found
        found = self._match(location_name, tail)
        if found.matched_by == "location":  # a kommun by its location, whatever the title says
            if len(self._by_location) < CACHED_MATCHES:
                self._by_location[location_name] = found
        elif len(self._cache) < CACHED_MATCHES:
            self._cache[key] = found
        return found

    def _match(self, location_name: str, tail: str) -> PlaceMatch:
        kommun = self.kommun(location_name) if location_name else None
        if kommun is not None:
            return PlaceMatch(kommun[0], kommun[1], "location", False)
        from_title = self.kommun(tail) if tail else None
        lan = self.lan(location_name) if location_name else None
        if lan is not None:
            # A title naming a kommun of another län is not trusted over the location.
            if from_title is not None and from_title[1] == lan:
                return PlaceMatch(from_title[0], lan, "name", False)
            return PlaceMatch(None, lan, "lan_only", False)
        if from_title is not None:
            return PlaceMatch(from_title[0], from_title[1], "name", True)
        return PlaceMatch(None, None, "unknown", True)


# --- reading files ---------------------------------------------------------------------------------


class Bad:
    """A record that is not JSON: its reason (the line number travels beside it)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


@dataclass
class OpenedSource:
    stream: IO[bytes]
    sha256: str
    gzipped: bool
    owned: list[IO[bytes]]
    size: int = 0  # the file's bytes (as given, gzip or not)

    def close(self) -> None:
        for handle in reversed(self.owned):
            handle.close()


def open_source(source: str | Path | IO[bytes]) -> OpenedSource:
    """Open a path or binary file object, hash its bytes (SHA-256) and undo gzip (by magic bytes).

    The file may be at most ``SAMVERKAN_UPLOAD_MAX_MB_POLICE``, and what gzip unpacks at most
    ``SAMVERKAN_UPLOAD_MAX_MB_UNPACKED`` (``ImportFileError`` past either, the latter while it is read).
    """
    owned: list[IO[bytes]] = []
    if isinstance(source, str | Path):
        try:
            raw: IO[bytes] = open(source, "rb")  # noqa: SIM115 (closed by OpenedSource.close)
        except OSError as exc:
            raise ImportFileError(_("Filen kunde inte öppnas: %(error)s") % {"error": exc.strerror}) from exc
        owned.append(raw)
    else:
        raw = source
    try:
        return _opened(raw, owned)
    except BaseException:
        for handle in reversed(owned):
            handle.close()
        raise


def _opened(raw: IO[bytes], owned: list[IO[bytes]]) -> OpenedSource:
    current = limits()
    digest = hashlib.sha256()
    size = 0
    if raw.seekable():
        raw.seek(0)
        while chunk := raw.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if size > current.police_bytes:
                raise ImportFileError(too_large_message(_file_size(raw, size), current.police_bytes))
        raw.seek(0)
    else:
        # Read once into a spooled copy, hashing on the way, so the file can be read again.
        copy = tempfile.SpooledTemporaryFile(max_size=32 << 20)  # noqa: SIM115
        owned.append(copy)  # type: ignore[arg-type]
        while chunk := raw.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if size > current.police_bytes:
                raise ImportFileError(
                    _("Filen är större än %(limit)s MB; högst %(limit)s MB tillåts.")
                    % {"limit": megabytes(current.police_bytes)}
                )
            copy.write(chunk)
        copy.seek(0)
        raw = copy  # type: ignore[assignment]
    head = raw.read(2)
    raw.seek(0)
    gzipped = head == GZIP_MAGIC
    stream: IO[bytes] = raw
    if gzipped:
        unpacked = gzip.GzipFile(fileobj=raw, mode="rb")
        owned.append(unpacked)  # type: ignore[arg-type]
        # Bounded as it is read: a few MB of gzip may claim gigabytes (the size in its trailer can lie).
        bounded = io.BufferedReader(BoundedReader(unpacked, current.unpacked_bytes), _CHUNK)
        stream = bounded  # type: ignore[assignment]
    return OpenedSource(stream=stream, sha256=digest.hexdigest(), gzipped=gzipped, owned=owned, size=size)


def _file_size(raw: IO[bytes], read_so_far: int) -> int:
    """The whole file's size for the message (a seekable file knows it without reading the rest)."""
    try:
        return max(raw.seek(0, io.SEEK_END), read_so_far)
    except OSError:
        return read_so_far


def _unreadable(exc: Exception) -> ImportFileError:
    return ImportFileError(
        _("Filen kunde inte läsas (trasig gzip eller fel kodning): %(error)s") % {"error": exc}
    )


KNOWN = object()  # stands for a JSON Lines record whose exact bytes are already stored (not decoded)


def line_hash(line: bytes) -> str:
    return hashlib.blake2b(line.strip(), digest_size=16).hexdigest()


def iter_records(
    stream: IO[bytes], *, known_lines: Container[str] = frozenset()
) -> Iterator[tuple[int, Any, str]]:
    """(line number, decoded JSON value or ``Bad``, line hash) for each record of a JSON array or JSON Lines.

    The format is told by the first character: "[" is an array (read element by element), "{" is JSON
    Lines. A JSON Lines record whose ``line_hash`` is in ``known_lines`` is not decoded: its value is
    ``KNOWN``. Array records have no line hash (""). Raises ``ImportFileError`` when the file as a whole is
    not one of the two.
    """
    try:
        head = stream.read(4096)
        stream.seek(0)
    except (OSError, EOFError, zlib.error) as exc:
        raise _unreadable(exc) from exc
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first == b"[":
        for line, value in _iter_array(stream):
            yield line, value, ""
    elif first == b"{":
        yield from _iter_lines(stream, known_lines)
    elif not first:
        raise ImportFileError(_("Filen är tom."))
    else:
        raise ImportFileError(
            _(
                "Filen är varken en JSON-lista eller JSON Lines (en händelse per rad): den börjar med %(start)r."
            )
            % {"start": head[:20].decode("utf-8", "replace")}
        )


def _decode_line(line: bytes, *, first: bool) -> Any:
    """One JSON Lines record: orjson (several times faster), and where it refuses, the standard library,
    so what is accepted and the message of what is not stay as they were (orjson is stricter: no NaN,
    no integer past 64 bits, no lone surrogate)."""
    if first and line.startswith(codecs.BOM_UTF8):
        line = line[len(codecs.BOM_UTF8) :]
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        # Decoding first spares json its encoding detection.
        return json.loads(line.decode("utf-8"))


def _iter_lines(stream: IO[bytes], known_lines: Container[str]) -> Iterator[tuple[int, Any, str]]:
    blake2b, loads, not_json = hashlib.blake2b, orjson.loads, orjson.JSONDecodeError
    seen_valid = False
    line_no = 0
    try:
        while line := stream.readline(LINE_BYTES + 1):
            line_no += 1
            if len(line) > LINE_BYTES and not line.endswith(b"\n"):
                # A line longer than any event: read past it in bounded pieces, never whole.
                while (rest := stream.readline(LINE_BYTES)) and not rest.endswith(b"\n"):
                    pass
                too_long = _("Raden är längre än %(limit)s MB.") % {"limit": megabytes(LINE_BYTES)}
                if not seen_valid:
                    raise ImportFileError(
                        _("Rad %(line)d: %(error)s Filen är inte JSON Lines.")
                        % {"line": line_no, "error": too_long}
                    )
                yield line_no, Bad(too_long), ""
                continue
            stripped = line.strip()
            if not stripped:
                continue
            digest = blake2b(stripped, digest_size=16).hexdigest()
            if digest in known_lines:
                seen_valid = True
                yield line_no, KNOWN, digest
                continue
            try:
                # orjson straight away for a line it takes (most); _decode_line decides the others.
                try:
                    value = loads(stripped)
                except not_json:
                    value = _decode_line(stripped, first=line_no == 1)
            except ValueError as exc:
                if not seen_valid:
                    raise ImportFileError(
                        _("Rad %(line)d är inte JSON (%(error)s); filen är inte JSON Lines.")
                        % {"line": line_no, "error": exc}
                    ) from exc
                yield line_no, Bad(_("Raden är inte giltig JSON.")), digest
                continue
            seen_valid = True
            yield line_no, value, digest
    except (OSError, EOFError, zlib.error) as exc:
        raise _unreadable(exc) from exc


def _iter_array(stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
    """Elements of a top-level JSON array, decoded one at a time (the file is never held whole)."""
    decoder = json.JSONDecoder()
    text = io.TextIOWrapper(stream, encoding="utf-8-sig")  # type: ignore[type-var]
    buf = ""
    pos = 0
    line = 1
    eof = False

    def fill() -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        try:
            chunk = text.read(_CHUNK)
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            raise _unreadable(exc) from exc
        if not chunk:
            eof = True
            return False
        buf = buf[pos:] + chunk
        pos = 0
        return True

    def skip_ws() -> str:
        """The next non-blank character (not consumed), "" at the end of the file."""
        nonlocal pos, line
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n":
                if buf[pos] == "\n":
                    line += 1
                pos += 1
            if pos < len(buf):
                return buf[pos]
            if not fill():
                return ""

    def broken(what: str) -> ImportFileError:
        return ImportFileError(
            _("Ogiltig JSON nära rad %(line)d: %(what)s. Ingenting importerades.")
            % {"line": line, "what": what}
        )

    skip_ws()
    pos += 1  # the "["
    if skip_ws() == "]":
        return
    while True:
        start_line = line
        while True:
            try:
                value, end = decoder.raw_decode(buf, pos)
                break
            except ValueError as exc:
                if len(buf) - pos > LINE_BYTES:
                    # No event is this long: the rest is not read into memory to find its end.
                    raise broken(
                        _("posten är längre än %(limit)s MB eller ogiltig (%(error)s)")
                        % {"limit": megabytes(LINE_BYTES), "error": exc}
                    ) from exc
                if not fill():
                    raise broken(str(exc)) from exc
        line += buf.count("\n", pos, end)
        pos = end
        yield start_line, value
        char = skip_ws()
        if char == ",":
            pos += 1
            skip_ws()
            continue
        if char == "]":
            pos += 1
            if skip_ws():
                raise broken(_("text efter listans slut"))
            return
        raise broken(_("väntade ”,” eller ”]”") if char else _("filen tar slut mitt i listan"))
