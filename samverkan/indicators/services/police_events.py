"""Import of the police's open events from a file (JSON array or JSON Lines, plain or gzip)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_change, snapshot
from samverkan.core.dbstats import analyze_after_commit
from samverkan.core.models import Kommun, Lan
from samverkan.indicators.bulk import RowWriter, update_rows, value_adapters
from samverkan.indicators.defaults import ensure_type_mappings
from samverkan.indicators.models import DataPoint, ImportRun, PoliceEvent
from samverkan.indicators.polisen import (
    KNOWN,
    Bad,
    ImportFileError,
    PlaceMatcher,
    absolute_url,
    iter_records,
    month_of,
    open_source,
    parse_datetime,
    parse_gps,
)
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
_TEXT_LIMITS = {"name": 300, "type": 100, "url": 480, "location.name": 100}


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
        # Events created by this import: police id → datetime (a later line may hold a newer version).
        self.created: dict[int, dt.datetime] = {}
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
        self.points: dict[str, tuple[float | None, float | None]] = {}
        self.matcher = PlaceMatcher(
            list(Kommun.objects.values_list("kod", "namn", "officiellt_namn", "lan_id")),
            list(Lan.objects.values_list("kod", "namn", "kortnamn")),
        )

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

    def _add(self, line: int, record: Any, source_hash: str) -> None:
        if not isinstance(record, dict):
            raise _Skip(_("Posten är inte ett JSON-objekt."))
        pid = record.get("id")
        if pid is None or pid == "":
            raise _Skip(_("Id saknas."))
        if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0 or pid >= 2**63:
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
        # The text fields are nearly always text: _text (None → "", a wrong type skipped) only otherwise.
        name, summary, url, type_ = (
            record.get("name"),
            record.get("summary"),
            record.get("url"),
            record.get("type"),
        )
        if not (name.__class__ is summary.__class__ is url.__class__ is type_.__class__ is str):
            name = _text(record, "name", "name")
            summary = _text(record, "summary", "summary")
            url = _text(record, "url", "url")
            type_ = _text(record, "type", "type")
        location = record.get("location")
        if isinstance(location, dict):
            location_name, gps = location.get("name"), location.get("gps")
            if not (location_name.__class__ is gps.__class__ is str):
                location_name = _text(location, "name", "location.name")
                gps = _text(location, "gps", "location.gps")
        elif location is None:
            location_name = gps = ""
        else:
            raise _Skip(
                _("Fel typ i ett fält (väntade text)."),
                _("Fältet location har fel typ (väntade ett objekt)."),
            )

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
        # The gps is the centre of the kommun or län (a few hundred values): parsed once each.
        try:
            latitude, longitude = self.points[gps]
        except KeyError:
            point = parse_gps(gps) if gps else None
            latitude, longitude = point if point else (None, None)
            if len(self.points) < CACHED_VALUES:
                self.points[gps] = (latitude, longitude)
        place = self.matcher.match(location_name, name)
        month = month_of(when)
        try:
            stored_month = self.stored_months[month]
        except KeyError:
            stored_month = self.stored_months[month] = (
                month if self.adapt_month is None else self.adapt_month(month)
            )
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
            self.created[pid] = when
            self.writer.write(values)
            if place.kommun_id is not None:
                key = (place.kommun_id, month, type_)
                self.created_counts[key] = self.created_counts.get(key, 0) + 1
        else:
            earlier = self.to_update.get(pid)
            created_when = self.created.get(pid)
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
            self.counts["flagged"] += 1
            if len(self.flagged_rows) < ROWS_KEPT:
                self.flagged_rows.append({"line": line, "id": pid, "location": location_name, "name": name})
        self.months.add(month)
        self.types.add(type_)
        self.known[pid] = content_hash

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
        with transaction.atomic():
            run = ImportRun.objects.create(
                kind=ImportRun.Kind.POLICE_EVENTS,
                file_name=file_name[:255],
                sha256=opened.sha256,
                started_at=timezone.now(),
                by_user=acting_user if getattr(acting_user, "is_authenticated", False) else None,
            )
            importer = _Importer(run)
            with RowWriter(PoliceEvent, EVENT_FIELDS, adapted=True) as importer.writer:
                for line, record, source_hash in iter_records(
                    opened.stream, known_lines=importer.known_lines
                ):
                    importer.add(line, record, source_hash)
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
