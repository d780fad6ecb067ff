"""Import of the police's open events from a file (JSON array or JSON Lines, plain or gzip)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_change, snapshot
from samverkan.core.dbstats import analyze_after_commit
from samverkan.core.models import Kommun, Lan
from samverkan.indicators.bulk import (
    RowWriter,
    _sqlite_datetime,
    import_page_cache,
    indexes_built_after,
    update_rows,
    value_adapters,
)
from samverkan.indicators.defaults import ensure_type_mappings
from samverkan.indicators.models import DataPoint, ImportRun, PoliceEvent
from samverkan.indicators.polisen import (
    API_OFFSETS,
    KNOWN,
    POLISEN_BASE_URL,
    Bad,
    ImportFileError,
    OpenedSource,
    PlaceMatcher,
    absolute_url,
    iter_records,
    month_of,
    open_source,
    parse_datetime,
    parse_gps,
)
from samverkan.indicators.reader_process import can_read_in_process, read_in_process
from samverkan.indicators.services.indicators import CountedEvents, police_indicators_recompute

__all__ = ["DuplicateImportError", "ImportFileError", "import_police_events"]

ROWS_KEPT = 100  # skipped/flagged rows listed in the report (the counts are always complete)
CACHED_VALUES = 10_000  # distinct gps texts parsed once each (a crafted file cannot grow the cache past it)
_blake2b = hashlib.blake2b  # a module global: one lookup per row instead of two
EVENT_FIELDS = [
    "police_id",
    "datetime",
    "month",
    "name",
    "summary",
    "url",
    "type",
    "location_name",
    "latitude",
    "longitude",
    "kommun",
    "lan",
    "matched_by",
    "flagged",
    "import_run",
    "content_hash",
    "source_hash",
]
# The columns the event and statistics queries filter, join and sort on: the ones an import's ANALYZE
# samples (the texts and hashes are only shown or compared row by row).
PLANNER_COLUMNS: dict[type[Model], list[str]] = {
    PoliceEvent: ["police_id", "datetime", "month", "kommun", "lan", "type"],
    DataPoint: ["indicator", "kommun", "lan", "deso", "period_start", "import_run"],
}
_ID_LIMIT = 2**63  # an id must fit the bigint column
_URL_LIMIT = 480
_TEXT_LIMITS = {"name": 300, "type": 100, "url": _URL_LIMIT, "location.name": 100}
# A moment written with one of Sweden's offsets whose hour is neither 0 nor 23 falls on the same date in
# Swedish time: Stockholm is always between +01:00 and +02:00 (CET, CEST; before 1900 its mean time,
# +01:12 and +01:00:14), so the two differ by an hour at most, which moves 01:00–22:59 within its day.
# The importer then takes the month from the text also on the 1st, 2nd and 27th–31st (a fifth of the
# archive), without the time zone conversion ``month_of`` makes there.
_SWEDISH_OFFSETS = frozenset({"+01:00", "+02:00"})
_NEAR_MIDNIGHT = frozenset({"0", "00", "23"})  # the hour as the API writes it ("9:03:00", "23:15:00")


# A file of this many bytes or more (the archive's 85,000 events are 4.6 MB of gzip) is read in a second
# process while this one writes (``reader_process``); forking is not worth it for a smaller one.
READER_PROCESS_MIN_BYTES = 1 << 20
# The importer's state that ``consume`` makes and the steps after it read (``write_updates``, ``counted``,
# ``result``, the type mappings): what a reading process sends back.
READ_STATE = (
    "counts",
    "skipped_reasons",
    "skipped_rows",
    "flagged_rows",
    "to_update",
    "months",
    "types",
    "updated_months",
    "created_counts",
)


class DuplicateImportError(Exception):
    """The same file (same SHA-256) was imported before; nothing is written."""

    def __init__(self, message: str, previous: ImportRun) -> None:
        super().__init__(message)
        self.previous = previous


class _Skip(Exception):
    """A record that is left out: ``reason`` groups it in the report, ``detail`` names this one."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail or reason


def _text(record: dict[str, Any], key: str, label: str) -> str:
    value = record.get(key)
    if value.__class__ is str:
        return value  # type: ignore[no-any-return]
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Skip(
            _("Fel typ i ett fält (väntade text)."),
            _("Fältet %(field)s har fel typ (väntade text).") % {"field": label},
        )
    return value


def _check_length(value: str, label: str) -> None:
    limit = _TEXT_LIMITS[label]
    if len(value) > limit:
        raise _Skip(
            _("För lång text i ett fält."),
            _("Fältet %(field)s är längre än %(limit)d tecken.") % {"field": label, "limit": limit},
        )


class _Importer:
    """One pass over the records: counts, pending rows, affected months. Used only inside a transaction."""

    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.run_id = run.pk  # read once: Model.pk is a property lookup, per row it added up
        self.writer: RowWriter  # set while the file is read; no other query may run then (COPY)
        self.counts: Counter[str] = Counter()
        self.skipped_reasons: Counter[str] = Counter()
        self.skipped_rows: list[dict[str, Any]] = []
        self.flagged_rows: list[dict[str, Any]] = []
        # Every stored event's id → content hash, and its line hashes: one query, no per-row reads.
        self.known: dict[int, str] = {}
        self.known_lines: set[str] = set()
        for pid, content_hash, source_hash in PoliceEvent.objects.values_list(
            "pk", "content_hash", "source_hash"
        ).iterator(chunk_size=10000):
            self.known[pid] = content_hash
            if source_hash:
                self.known_lines.add(source_hash)
        # Events created by this import: police id → its datetime text, read again only when a later line
        # holds another version of it (which is rare).
        self.created: dict[int, str] = {}
        # Changed events, written when the file has been read: police id → (datetime, EVENT_FIELDS values).
        self.to_update: dict[int, tuple[dt.datetime, tuple[Any, ...]]] = {}
        self.months: set[dt.date] = set()
        self.types: set[str] = set()
        # The months that held events before, and those an update touched: the others hold only events
        # created here, which are counted as they are written (the recount need not read them again).
        self.months_before: set[dt.date] = (
            set(PoliceEvent.objects.order_by().values_list("month", flat=True).distinct())
            if self.known
            else set()
        )
        self.updated_months: set[dt.date] = set()
        self.created_counts: dict[tuple[str, dt.date, str], int] = {}
        # Rows are written as the database takes them (on SQLite as the text Django stores), each value
        # adapted as it is made rather than in a second pass over every row.
        adapters = value_adapters(PoliceEvent, EVENT_FIELDS)
        self.adapt_when = adapters[EVENT_FIELDS.index("datetime")]
        self.adapt_month = adapters[EVENT_FIELDS.index("month")]
        self.stored_months: dict[dt.date, Any] = {}
        # "YYYY-MM" of a datetime from the 3rd to the 26th → its month and the month's stored value.
        self.month_keys: dict[str, tuple[dt.date, Any]] = {}
        self.points: dict[str, tuple[float | None, float | None]] = {}
        self.matcher = PlaceMatcher(
            list(Kommun.objects.values_list("kod", "namn", "officiellt_namn", "lan_id")),
            list(Lan.objects.values_list("kod", "namn", "kortnamn")),
        )

    def read(self, opened: OpenedSource) -> None:
        """Read the file and write its new events: on SQLite a large file imported into an empty table in a
        second process (``read_in_process``) while this one writes (into a table that holds events most of
        an import is reading and comparing; a second process there only added the fork, 15–20 ms, to a
        re-import); a small one, or on PostgreSQL (whose server already
        stores the COPY's rows while Python reads: a third process on two cores made the archive's import
        slower, 34,000 events/s against 60,000), or where no process can be forked, here."""
        in_process = (
            connection.vendor == "sqlite"
            and not self.known  # a first import: an import over stored events is mostly reading
            and opened.size >= READER_PROCESS_MIN_BYTES
            and can_read_in_process()
        )
        # Into an empty table the indexes are built afterwards (``indexes_built_after``), unless a reading
        # process does the rest of the work meanwhile: keeping them up to date as the rows come then costs
        # this process more, but while it would be waiting for the reader anyway, and the build after the
        # reading is over (0.15 s for the archive) is spared.
        with (
            indexes_built_after(PoliceEvent, table_is_empty=not self.known and not in_process),
            RowWriter(PoliceEvent, EVENT_FIELDS, adapted=True) as writer,
        ):
            if in_process:
                state = read_in_process(partial(self._read_state, opened), writer.write_many)
                for name in READ_STATE:
                    setattr(self, name, state[name])
            else:
                self.writer = writer
                self.consume(iter_records(opened.stream, known_lines=self.known_lines))

    def _read_state(self, opened: OpenedSource, writer: Any) -> dict[str, Any]:
        """In the reading process: ``consume`` the file, rows to ``writer``; what the steps after the reading
        use of this importer's state (``READ_STATE``) is returned to the importing process."""
        self.writer = writer
        self.consume(iter_records(opened.stream, known_lines=self.known_lines))
        return {name: getattr(self, name) for name in READ_STATE}

    def skip(self, line: int, reason: str, detail: str) -> None:
        self.counts["skipped"] += 1
        self.skipped_reasons[reason] += 1
        if len(self.skipped_rows) < ROWS_KEPT:
            self.skipped_rows.append({"line": line, "reason": detail})

    def add(self, line: int, record: Any, source_hash: str) -> None:
        self.counts["lines"] += 1
        if record is KNOWN:
            self.counts["unchanged"] += 1
            return
        if isinstance(record, Bad):
            self.skip(line, record.reason, record.reason)
            return
        try:
            self._add(line, record, source_hash)
        except _Skip as skip:
            self.skip(line, skip.reason, skip.detail)

    def consume(self, records: Iterable[tuple[int, Any, str]]) -> None:
        """``add`` every record of the file, a new event in the API's own shape by a fast path.

        That shape is an object with a positive integer id, a datetime as the API writes it and text fields,
        its location an object of texts: it passes every check ``_add`` makes, so it goes straight to
        ``_store``; and when its id is new, its datetime in the API's exact format and its texts within
        their limits, ``_store``'s work is done here inline (the same values, without a call and the
        lookups each call repeats: this loop is most of an archive import's Python). Anything else takes
        ``add``'s careful path, which names what is wrong with it.
        """
        store, add, skip = self._store, self.add, self.skip
        known, created, created_counts = self.known, self.created, self.created_counts
        months, types, points = self.months, self.types, self.points
        match, write, month_keys = self.matcher.match, self.writer.write, self.month_keys
        run_id, utc_text = self.run_id, self.adapt_when is _sqlite_datetime
        blake2b, join, fromisoformat = _blake2b, "\x1f".join, dt.datetime.fromisoformat
        shifts, polisen_url, url_limit = API_OFFSETS, POLISEN_BASE_URL, _URL_LIMIT - len(POLISEN_BASE_URL)
        name_limit, type_limit, location_limit = (_TEXT_LIMITS[k] for k in ("name", "type", "location.name"))
        lines = imported = 0
        for line, record, source_hash in records:
            if record.__class__ is not dict:
                add(line, record, source_hash)
                continue
            get = record.get
            pid, when_text, name, summary, url, type_, location = (
                get("id"),
                get("datetime"),
                get("name"),
                get("summary"),
                get("url"),
                get("type"),
                get("location"),
            )
            if not (
                pid.__class__ is int  # not a bool, whose class is bool
                and 0 < pid < _ID_LIMIT
                and when_text
                and when_text.__class__ is name.__class__ is summary.__class__ is url.__class__ is str
                and type_.__class__ is str
                and location.__class__ is dict
            ):
                add(line, record, source_hash)
                continue
            location_name, gps = location.get("name"), location.get("gps")
            if not (location_name.__class__ is gps.__class__ is str):
                add(line, record, source_hash)
                continue
            lines += 1
            content_hash = blake2b(
                join((str(pid), when_text, name, summary, url, type_, location_name, gps)).encode(),
                digest_size=16,
            ).hexdigest()
            # parse_datetime's fast case, "YYYY-MM-DD H:MM:SS +HH:00" (a year of four digits), for a new
            # id whose texts are within their limits and whose url is a path; anything else, _store.
            date, _sep, rest = when_text.partition(" ")
            clock, _sep, offset = rest.partition(" ")
            title, event_type, place_name = name.strip(), type_.strip(), location_name.strip()
            if (
                pid in known
                or offset not in shifts
                or not "1000" < date < "9999"
                or len(date) != 10
                or date[4] != "-"
                or date[7] != "-"
                or not 7 <= len(clock) <= 8
                or clock[-3] != ":"
                or clock[-6] != ":"
                or url[:1] != "/"
                or url[-1:].isspace()
                or len(url) > url_limit
                or len(title) > name_limit
                or len(event_type) > type_limit
                or len(place_name) > location_limit
            ):
                try:
                    store(line, pid, when_text, name, summary, url, type_, location_name, gps, source_hash)
                except _Skip as skipped:
                    skip(line, skipped.reason, skipped.detail)
                continue
            local = f"{date}T{clock}" if len(clock) == 8 else f"{date}T0{clock}"
            try:
                # On SQLite the stored text, naive UTC (what _sqlite_datetime makes of the aware moment).
                when = (
                    str(fromisoformat(local) - shifts[offset]) if utc_text else fromisoformat(local + offset)
                )
            except ValueError:
                try:  # an impossible date: _store names it
                    store(line, pid, when_text, name, summary, url, type_, location_name, gps, source_hash)
                except _Skip as skipped:
                    skip(line, skipped.reason, skipped.detail)
                continue
            try:
                latitude, longitude = points[gps]
            except KeyError:
                latitude, longitude = self._point(gps)
            place = match(place_name, title)
            # The text's month is the Swedish one from the 3rd to the 26th whatever the offset (month_of), and
            # on the other days too with a Swedish offset away from midnight (_SWEDISH_OFFSETS).
            text_month_is_swedish = "03" <= date[8:] <= "26" or (
                offset in _SWEDISH_OFFSETS and clock[:-6] not in _NEAR_MIDNIGHT
            )
            known_month = month_keys.get(date[:7]) if text_month_is_swedish else None
            if known_month is None:
                known_month = self._month(fromisoformat(local + offset), date, cache=text_month_is_swedish)
            month, stored_month = known_month
            imported += 1
            created[pid] = when_text
            write(
                (
                    pid,
                    when,
                    stored_month,
                    title,
                    summary,
                    polisen_url + url,
                    event_type,
                    place_name,
                    latitude,
                    longitude,
                    place.kommun_id,
                    place.lan_id,
                    place.matched_by,
                    place.flagged,
                    run_id,
                    content_hash,
                    source_hash,
                )
            )
            if place.kommun_id is not None:
                key = (place.kommun_id, month, event_type)
                created_counts[key] = created_counts.get(key, 0) + 1
            if place.flagged:
                self._flagged(line, pid, place_name, title)
            months.add(month)
            types.add(event_type)
            known[pid] = content_hash
        self.counts["lines"] += lines
        self.counts["imported"] += imported

    def _add(self, line: int, record: Any, source_hash: str) -> None:
        if not isinstance(record, dict):
            raise _Skip(_("Posten är inte ett JSON-objekt."))
        pid = record.get("id")
        if pid is None or pid == "":
            raise _Skip(_("Id saknas."))
        if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0 or pid >= _ID_LIMIT:
            raise _Skip(
                _("Id är inte ett positivt heltal."),
                _("Id %(id)r är inte ett positivt heltal.") % {"id": pid},
            )
        when_text = record.get("datetime")
        if not when_text:
            raise _Skip(_("Tidpunkt saknas."))
        if not isinstance(when_text, str):
            raise _Skip(
                _("Fel typ i ett fält (väntade text)."), _("Fältet datetime har fel typ (väntade text).")
            )
        name = _text(record, "name", "name")
        summary = _text(record, "summary", "summary")
        url = _text(record, "url", "url")
        type_ = _text(record, "type", "type")
        location = record.get("location")
        if isinstance(location, dict):
            location_name = _text(location, "name", "location.name")
            gps = _text(location, "gps", "location.gps")
        elif location is None:
            location_name = gps = ""
        else:
            raise _Skip(
                _("Fel typ i ett fält (väntade text)."),
                _("Fältet location har fel typ (väntade ett objekt)."),
            )
        self._store(line, pid, when_text, name, summary, url, type_, location_name, gps, source_hash)

    def _store(
        self,
        line: int,
        pid: int,
        when_text: str,
        name: str,
        summary: str,
        url: str,
        type_: str,
        location_name: str,
        gps: str,
        source_hash: str,
    ) -> None:
        """One checked record: unchanged, created, or a changed version (``_Skip`` for an impossible
        datetime or an overlong text)."""
        content_hash = _blake2b(
            "\x1f".join((str(pid), when_text, name, summary, url, type_, location_name, gps)).encode(),
            digest_size=16,
        ).hexdigest()
        previous = self.known.get(pid)
        if previous == content_hash:
            self.counts["unchanged"] += 1
            return

        try:
            when = parse_datetime(when_text)
        except ValueError:
            raise _Skip(
                _("Omöjlig eller oläsbar tidpunkt."),
                _("Tidpunkten %(value)r är omöjlig eller oläsbar.") % {"value": when_text[:40]},
            ) from None
        name, type_, location_name = name.strip(), type_.strip(), location_name.strip()
        full_url = absolute_url(url)
        if len(name) > 300 or len(type_) > 100 or len(location_name) > 100 or len(full_url) > 480:
            for value, label in ((name, "name"), (type_, "type"), (location_name, "location.name")):
                _check_length(value, label)
            _check_length(full_url, "url")
        try:
            latitude, longitude = self.points[gps]
        except KeyError:
            latitude, longitude = self._point(gps)
        place = self.matcher.match(location_name, name)
        month = month_of(when)
        stored_month = self._stored_month(month)
        values = (
            pid,
            when if self.adapt_when is None else self.adapt_when(when),
            stored_month,
            name,
            summary,
            full_url,
            type_,
            location_name,
            latitude,
            longitude,
            place.kommun_id,
            place.lan_id,
            place.matched_by,
            place.flagged,
            self.run_id,
            content_hash,
            source_hash,
        )
        if previous is None:
            self.counts["imported"] += 1
            self.created[pid] = when_text
            self.writer.write(values)
            if place.kommun_id is not None:
                key = (place.kommun_id, month, type_)
                self.created_counts[key] = self.created_counts.get(key, 0) + 1
        else:
            earlier = self.to_update.get(pid)
            created_text = self.created.get(pid)
            created_when = None if created_text is None else parse_datetime(created_text)
            earlier_when = earlier[0] if earlier is not None else created_when
            if earlier_when is not None and when < earlier_when:
                self._older()  # the file holds a newer version of this event further up
                return
            self.counts["updated"] += 1
            self.to_update[pid] = (when, values)
            self.updated_months.add(month)
            if created_when is not None:
                # Created above in this file: what was counted for it is replaced.
                self.updated_months.add(month_of(created_when))
        if place.flagged:
            self._flagged(line, pid, location_name, name)
        self.months.add(month)
        self.types.add(type_)
        self.known[pid] = content_hash

    def _point(self, gps: str) -> tuple[float | None, float | None]:
        """The gps text as (latitude, longitude), (None, None) when it is not one. The gps is the centre of
        the kommun or län (a few hundred values): each is parsed once, up to CACHED_VALUES of them."""
        point = parse_gps(gps) if gps else None
        latitude, longitude = point if point else (None, None)
        if len(self.points) < CACHED_VALUES:
            self.points[gps] = (latitude, longitude)
        return latitude, longitude

    def _stored_month(self, month: dt.date) -> Any:
        """The month as the database takes it (adapted once per month)."""
        try:
            return self.stored_months[month]
        except KeyError:
            stored = self.stored_months[month] = (
                month if self.adapt_month is None else self.adapt_month(month)
            )
            return stored

    def _month(self, when: dt.datetime, date: str, *, cache: bool) -> tuple[dt.date, Any]:
        """The month of ``when`` (``date``: its text "YYYY-MM-DD") and its stored value, kept by
        ``month_keys`` when ``cache`` says the text's month is the Swedish one."""
        month = month_of(when)
        found = (month, self._stored_month(month))
        if cache and len(self.month_keys) < CACHED_VALUES:
            self.month_keys[date[:7]] = found
        return found

    def _flagged(self, line: int, pid: int, location_name: str, name: str) -> None:
        self.counts["flagged"] += 1
        if len(self.flagged_rows) < ROWS_KEPT:
            self.flagged_rows.append({"line": line, "id": pid, "location": location_name, "name": name})

    def _older(self) -> None:
        """A version older than the one held does not replace it: counted as unchanged."""
        self.counts["unchanged"] += 1
        self.counts["older_versions"] += 1

    def write_updates(self) -> None:
        """Replace the changed events (after the created ones are in: an event may be both)."""
        if self.to_update:
            rows = []
            ids = list(self.to_update)
            for start in range(0, len(ids), 1000):
                stored = PoliceEvent.objects.filter(pk__in=ids[start : start + 1000]).values_list(
                    "pk", "datetime", "content_hash"
                )
                for pid, stored_when, stored_hash in stored:
                    when, values = self.to_update[pid]
                    if when < stored_when:
                        # Counted as updated when read; it turns out older than the stored version.
                        self.counts["updated"] -= 1
                        self._older()
                        self.known[pid] = stored_hash
                        continue
                    self.months.add(month_of(stored_when))
                    rows.append((*values[1:], pid))
            update_rows(PoliceEvent, EVENT_FIELDS[1:], rows, adapted=True)
            self.to_update = {}

    def counted(self) -> CountedEvents:
        """The months whose every event this import created, with their counts (for the recount)."""
        return CountedEvents(
            months=self.months - self.months_before - self.updated_months, counts=self.created_counts
        )

    def result(self) -> dict[str, Any]:
        counts: dict[str, Any] = {
            key: self.counts[key]
            for key in ("lines", "imported", "updated", "unchanged", "skipped", "flagged")
        }
        counts["older_versions"] = self.counts["older_versions"]
        counts["skipped_reasons"] = dict(self.skipped_reasons.most_common())
        counts["skipped_rows"] = self.skipped_rows
        counts["flagged_rows"] = self.flagged_rows
        return counts


def import_police_events(
    source: str | Path | IO[bytes],
    *,
    file_name: str,
    acting_user: Any = None,
    allow_duplicate: bool = False,
) -> ImportRun:
    """Import events from a JSON array or JSON Lines file (plain or gzip), idempotently by police id.

    One transaction: a file that cannot be read as a whole (``ImportFileError``) leaves nothing behind;
    records that fail validation are skipped and reported with their line number. An event already held
    with the same content is unchanged; a changed version replaces it (an older one does not). A file with
    the same SHA-256 as an earlier import raises ``DuplicateImportError`` unless ``allow_duplicate``.
    Afterwards the monthly count indicators are recomputed for the months that changed.
    """
    opened = open_source(source)
    try:
        previous = (
            ImportRun.objects.filter(kind=ImportRun.Kind.POLICE_EVENTS, sha256=opened.sha256)
            .order_by("-started_at")
            .first()
        )
        if previous is not None and not allow_duplicate:
            raise DuplicateImportError(
                _(
                    "Filen har redan importerats (%(name)s, %(when)s) – samma innehåll, så ingenting har "
                    "ändrats."
                )
                % {
                    "name": previous.file_name,
                    "when": timezone.localtime(previous.started_at).strftime("%Y-%m-%d %H:%M"),
                },
                previous,
            )
        with import_page_cache(), transaction.atomic():
            run = ImportRun.objects.create(
                kind=ImportRun.Kind.POLICE_EVENTS,
                file_name=file_name[:255],
                sha256=opened.sha256,
                started_at=timezone.now(),
                by_user=acting_user if getattr(acting_user, "is_authenticated", False) else None,
            )
            importer = _Importer(run)
            importer.read(opened)
            importer.write_updates()
            ensure_type_mappings(importer.types)
            points_changed = police_indicators_recompute(
                months=importer.months, import_run=run, counted=importer.counted()
            )
            run.counts = importer.result()
            run.finished_at = timezone.now()
            run.save(update_fields=["counts", "finished_at"])
            audit_change(actor=acting_user, action="create", obj=run, after=snapshot(run))
            analyze_after_commit(
                changed_rows={
                    PoliceEvent: importer.counts["imported"] + importer.counts["updated"],
                    DataPoint: points_changed,
                },
                columns=PLANNER_COLUMNS,
            )
        return run
    finally:
        opened.close()
