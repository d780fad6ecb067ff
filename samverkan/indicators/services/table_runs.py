"""What every table import shares: the run (duplicate check, start, finish with counts), the kommun and
län lookup, the rows with their line numbers and errors, and the planned data points written in bulk.

Used by the table formats, the crime statistics and the DeSO import.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_change, snapshot
from samverkan.core.dbstats import analyze_after_commit
from samverkan.core.models import Kommun, Lan
from samverkan.indicators.bulk import insert_rows, update_rows
from samverkan.indicators.defaults import (
    IndicatorSpec,
    ensure_indicators,
)
from samverkan.indicators.models import DataPoint, Deso, ImportRun, Indicator, RegisteredCrime
from samverkan.indicators.revision import DATA_POINTS, DESO_AREAS, bump_data_revision
from samverkan.indicators.services.police_events import DuplicateImportError
from samverkan.indicators.tables import (
    MAX_ERRORS,
    RowError,
    Table,
    TableImportError,
    ValueProblem,
)

ROWS_KEPT = 100  # skipped/flagged rows listed in the report (the counts are always complete)
SIX_DECIMALS = Decimal("0.000001")
DESO_CODE = re.compile(r"^\d{4}[A-Z]\d{4}$")
T = TypeVar("T")


# --- shared machinery (also used by crime_statistics and deso) --------------------------------------


def check_not_duplicate(*, kind: str, sha256: str, force: bool) -> None:
    previous = ImportRun.objects.filter(kind=kind, sha256=sha256).order_by("-started_at").first()
    if previous is not None and not force:
        raise DuplicateImportError(
            _("Filen har redan importerats (%(name)s, %(when)s) – samma innehåll, så ingenting har ändrats.")
            % {
                "name": previous.file_name,
                "when": timezone.localtime(previous.started_at).strftime("%Y-%m-%d %H:%M"),
            },
            previous,
        )


def start_run(*, kind: str, file_name: str, sha256: str, user: Any, options: dict[str, Any]) -> ImportRun:
    return ImportRun.objects.create(
        kind=kind,
        file_name=file_name[:255],
        sha256=sha256,
        started_at=timezone.now(),
        by_user=user if getattr(user, "is_authenticated", False) else None,
        options=options,
    )


def finish_run(run: ImportRun, counts: dict[str, Any], user: Any) -> ImportRun:
    run.counts = counts
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    audit_change(actor=user, action="create", obj=run, after=snapshot(run))
    # Every table import ends here; its rows (data points, crimes, DeSO areas) change the plans.
    analyze_after_commit(DataPoint, RegisteredCrime, Deso)
    return run


class Places:
    """Kommun by code or name (case-insensitive), län by code; restricted to ``allowed`` kommuner if given."""

    def __init__(self, allowed: set[str] | None) -> None:
        self.allowed = allowed
        self.kommun_codes: set[str] = set()
        self.kommun_names: dict[str, str] = {}
        for kod, namn, officiellt in Kommun.objects.values_list("kod", "namn", "officiellt_namn"):
            self.kommun_codes.add(kod)
            self.kommun_names[namn.lower()] = kod
            self.kommun_names[officiellt.lower()] = kod
        self.lan_codes = set(Lan.objects.values_list("kod", flat=True))

    def kommun(self, text: str) -> str:
        raw = text.strip()
        code = raw[:-2] if raw.endswith(".0") else raw
        if code.isdigit() and len(code) in (3, 4):  # Excel drops the leading zero of "0114"
            code = code.zfill(4)
            if code not in self.kommun_codes:
                raise ValueProblem(_("Kommunkoden ”%(value)s” finns inte.") % {"value": raw})
        else:
            code = self.kommun_names.get(raw.lower(), "")
            if not code:
                raise ValueProblem(_("Kommunen ”%(value)s” finns inte.") % {"value": raw[:60]})
        if self.allowed is not None and code not in self.allowed:
            raise ValueProblem(
                _("Du får inte importera uppgifter för kommun %(value)s.") % {"value": raw[:60]}
            )
        return code

    def region(self, text: str) -> tuple[str | None, str | None]:
        """(kommun, län): 4 digits = kommun, 2 digits = län, "00" = riket (both None)."""
        raw = text.strip()
        code = raw[:-2] if raw.endswith(".0") else raw
        if code.isdigit() and len(code) <= 2:
            code = code.zfill(2)
            if self.allowed is not None:
                raise ValueProblem(
                    _(
                        "Du får bara importera uppgifter för dina kommuner, inte för län eller riket (”%(value)s”)."
                    )
                    % {"value": raw}
                )
            if code == "00":
                return None, None
            if code not in self.lan_codes:
                raise ValueProblem(_("Länskoden ”%(value)s” finns inte.") % {"value": raw})
            return None, code
        return self.kommun(raw), None


class ImportContext:
    """What a format's reader needs: the rows, the column mapping, the options, errors and counts."""

    def __init__(
        self,
        *,
        run: ImportRun,
        table: Table,
        mapping: dict[str, str],
        options: dict[str, str],
        places: Places,
    ) -> None:
        self.run = run
        self.table = table
        self.mapping = mapping
        self.options = options
        self.places = places
        self.index = {key: table.columns.index(column) for key, column in mapping.items()}
        self.errors: list[RowError] = []
        self.counts: Counter[str] = Counter()
        self.skipped_reasons: Counter[str] = Counter()
        self.skipped_rows: list[dict[str, Any]] = []
        self.flagged_rows: list[dict[str, Any]] = []

    def rows(self) -> Iterator[Row]:
        for line, cells in self.table.rows:
            self.counts["lines"] += 1
            yield Row(self, line, cells)

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(line, column, message))
        if len(self.errors) >= MAX_ERRORS:
            raise TableImportError(self.errors)

    def raise_errors(self) -> None:
        if self.errors:
            raise TableImportError(self.errors)

    def skip(self, line: int, reason: str) -> None:
        self.counts["skipped"] += 1
        self.skipped_reasons[reason] += 1
        if len(self.skipped_rows) < ROWS_KEPT:
            self.skipped_rows.append({"line": line, "reason": reason})

    def flag(self, line: int, reason: str) -> None:
        self.counts["flagged"] += 1
        if len(self.flagged_rows) < ROWS_KEPT:
            self.flagged_rows.append({"line": line, "reason": reason})

    def result(self) -> dict[str, Any]:
        counts: dict[str, Any] = {
            key: self.counts[key]
            for key in ("lines", "imported", "updated", "unchanged", "skipped", "flagged")
        }
        counts.update({k: v for k, v in self.counts.items() if k not in counts})
        counts["skipped_reasons"] = dict(self.skipped_reasons.most_common())
        counts["skipped_rows"] = self.skipped_rows
        counts["flagged_rows"] = self.flagged_rows
        return counts


class Row:
    """One data line; ``value`` parses a cell and records a row error (``ok`` turns False) on failure."""

    def __init__(self, context: ImportContext, line: int, cells: list[str]) -> None:
        self.context = context
        self.line = line
        self.cells = cells
        self.ok = True

    def text(self, key: str) -> str:
        i = self.context.index.get(key)
        return self.cells[i].strip() if i is not None and i < len(self.cells) else ""

    def error(self, key: str, message: str) -> None:
        self.ok = False
        self.context.error(self.line, self.context.mapping.get(key, key), message)

    def value(self, key: str, parse: Callable[[str], T]) -> T | None:
        try:
            return parse(self.text(key))
        except ValueProblem as problem:
            self.error(key, str(problem))
            return None

    def required(self, key: str) -> str:
        text = self.text(key)
        if not text:
            self.error(key, _("Värdet saknas."))
        return text


# --- data points: plan, then write ------------------------------------------------------------------

PointKey = tuple[str, str | None, str | None, str | None, dt.date]  # code, deso, kommun, län, period


@dataclass
class PlannedPoint:
    value: Decimal | None
    lines: list[int]
    ci_low: Decimal | None = None
    ci_high: Decimal | None = None


@dataclass
class PointPlan:
    specs: dict[str, IndicatorSpec] = field(default_factory=dict)
    points: dict[PointKey, PlannedPoint] = field(default_factory=dict)

    def add(self, row: Row, key: PointKey, value: Decimal, *, column: str = "varde") -> PlannedPoint | None:
        point = self.points.get(key)
        if point is not None and point.value is not None:
            row.error(column, _("Samma värde finns redan på rad %(line)d.") % {"line": point.lines[0]})
            return None
        if point is None:
            point = self.points[key] = PlannedPoint(None, [])
        point.value = value.quantize(SIX_DECIMALS)
        point.lines.insert(0, row.line)
        return point


def _q(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(SIX_DECIMALS)


def write_points(context: ImportContext, plan: PointPlan) -> dict[str, Indicator]:
    """Create the missing indicators, then insert new points and update changed ones; counts per line."""
    indicators = ensure_indicators(plan.specs.values())
    ids = {code: indicator.pk for code, indicator in indicators.items()}
    code_of = {pk: code for code, pk in ids.items()}
    existing: dict[PointKey, tuple[int, Decimal, Decimal | None, Decimal | None]] = {}
    for pk, indicator_id, deso_id, kommun_id, lan_id, start, value, low, high in DataPoint.objects.filter(
        indicator_id__in=list(ids.values())
    ).values_list(
        "pk", "indicator_id", "deso_id", "kommun_id", "lan_id", "period_start", "value", "ci_low", "ci_high"
    ):
        existing[(code_of[indicator_id], deso_id, kommun_id, lan_id, start)] = (pk, value, low, high)
    run_id = context.run.pk
    to_insert: list[tuple[Any, ...]] = []
    to_update: list[tuple[Any, ...]] = []
    for key, point in plan.points.items():
        code, deso, kommun, lan, period = key
        held = existing.get(key)
        if held is None:
            outcome = "imported"
            to_insert.append(
                (
                    ids[code],
                    deso,
                    kommun,
                    lan,
                    period,
                    point.value,
                    point.ci_low,
                    point.ci_high,
                    run_id,
                )
            )
        elif (_q(held[1]), _q(held[2]), _q(held[3])) == (point.value, _q(point.ci_low), _q(point.ci_high)):
            outcome = "unchanged"
        else:
            outcome = "updated"
            to_update.append((point.value, point.ci_low, point.ci_high, run_id, held[0]))
        context.counts[outcome] += len(point.lines)
    insert_rows(
        DataPoint,
        ["indicator", "deso", "kommun", "lan", "period_start", "value", "ci_low", "ci_high", "import_run"],
        to_insert,
    )
    update_rows(DataPoint, ["value", "ci_low", "ci_high", "import_run"], to_update)
    if to_insert or to_update:
        bump_data_revision(DATA_POINTS)
    counted = [indicator.pk for indicator in indicators.values() if indicator.is_count]
    for indicator_id in counted:
        span = DataPoint.objects.filter(indicator_id=indicator_id).aggregate(
            first=Min("period_start"), last=Max("period_start")
        )
        Indicator.objects.filter(pk=indicator_id).update(covered_from=span["first"], covered_to=span["last"])
    return indicators


def code_slug(text: str) -> str:
    return slugify(text)[:80].strip("-")


def ensure_bare_desos(
    context: ImportContext, wanted: dict[str, tuple[str, str]], lines_of: dict[str, list[int]]
) -> None:
    """Create DeSO rows (no boundary) for codes not held yet (code → kommun, RegSO name) and flag their lines."""
    known = set(Deso.objects.filter(code__in=list(wanted)).values_list("code", flat=True))
    missing = {code: spec for code, spec in wanted.items() if code not in known}
    Deso.objects.bulk_create(
        [Deso(code=code, kommun_id=kommun, regso=regso[:200]) for code, (kommun, regso) in missing.items()]
    )
    if missing:
        bump_data_revision(DESO_AREAS)
    context.counts["new_deso"] += len(missing)
    for line, deso in sorted((line, code) for code in missing for line in lines_of[code]):
        context.flag(
            line, _("DeSO-området %(code)s fanns inte och har lagts till utan gräns.") % {"code": deso}
        )


def deso_code_of(row: Row, key: str, kommun: str | None) -> str | None:
    code = row.text(key).upper()
    if not code:
        return None
    if not DESO_CODE.match(code):
        row.error(key, _("”%(value)s” är ingen DeSO-kod (t.ex. 2039A0010).") % {"value": code[:20]})
        return None
    if kommun is not None and code[:4] != kommun:
        row.error(
            key,
            _("DeSO-området %(deso)s ligger inte i kommun %(kommun)s.") % {"deso": code, "kommun": kommun},
        )
        return None
    return code
