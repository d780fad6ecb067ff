"""Import of statistics tables (Brå, NTU, SCB population, the kommun's own series, crime statistics).

One entry point, ``import_table``, for the command and the upload page. A file is read row by row into a
plan; any row error (up to ``MAX_ERRORS`` are collected) raises ``TableImportError`` and the transaction
leaves nothing behind. Counts are per data line: imported + updated + unchanged + skipped == lines.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_change, snapshot
from samverkan.core.models import Kommun, Lan
from samverkan.indicators.bulk import insert_rows, update_rows
from samverkan.indicators.defaults import (
    BRA_AREA_RULES,
    BRA_SOURCE,
    NTU_AREA_RULES,
    NTU_SOURCE,
    POPULATION,
    IndicatorSpec,
    area_for_name,
    ensure_indicators,
    population_indicator_spec,
)
from samverkan.indicators.models import DataPoint, Deso, ImportRun, Indicator, area_code_choices
from samverkan.indicators.polisen import ImportFileError
from samverkan.indicators.population import latest_kommun_population
from samverkan.indicators.services.police_events import DuplicateImportError
from samverkan.indicators.tables import (
    FORMATS,
    MAX_ERRORS,
    YEAR,
    RowError,
    Table,
    TableFormat,
    TableImportError,
    ValueProblem,
    parse_count,
    parse_number,
    parse_period,
    parse_year,
    read_table,
)

__all__ = ["DuplicateImportError", "ImportFileError", "TableImportError", "import_table"]

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
    counted = [indicator.pk for indicator in indicators.values() if indicator.is_count]
    for indicator_id in counted:
        span = DataPoint.objects.filter(indicator_id=indicator_id).aggregate(
            first=Min("period_start"), last=Max("period_start")
        )
        Indicator.objects.filter(pk=indicator_id).update(covered_from=span["first"], covered_to=span["last"])
    return indicators


def _slug(text: str) -> str:
    return slugify(text)[:80].strip("-")


# --- the formats -------------------------------------------------------------------------------------


def _import_bra(context: ImportContext) -> None:
    """Brå's reported crime: "Antal" → bra.<slug> (a yearly count), per 100,000 → bra.<slug>.per100k."""
    plan = PointPlan()
    for row in context.rows():
        kommun_lan = row.value("regionkod", context.places.region)
        year = row.value("ar", parse_year)
        variable = row.required("variabel")
        unit_text = row.required("enhet")
        value = row.value("varde", parse_number)
        slug = _slug(variable)
        if variable and not slug:
            row.error("variabel", _("”%(value)s” saknar bokstäver och siffror.") % {"value": variable[:60]})
        per_100k = unit_text.lower().startswith("antal per 100")
        if unit_text and not per_100k and unit_text.lower() != "antal":
            row.error(
                "enhet",
                _("Okänd enhet ”%(value)s” (väntade ”Antal” eller ”Antal per 100 000 inv”).")
                % {"value": unit_text[:60]},
            )
        if not row.ok or kommun_lan is None or year is None:
            continue
        if value is None:
            context.skip(row.line, _("Värdet saknas."))
            continue
        area = area_for_name(variable, BRA_AREA_RULES)
        code = f"bra.{slug}.per100k" if per_100k else f"bra.{slug}"
        plan.specs.setdefault(
            code,
            IndicatorSpec(
                code=code,
                name=_("%(name)s per 100 000 invånare") % {"name": variable} if per_100k else variable,
                unit=_("per 100 000 inv") if per_100k else _("antal"),
                source=BRA_SOURCE,
                level=Indicator.Level.KOMMUN,
                period_type=Indicator.Period.YEAR,
                better=Indicator.Better.LOWER,
                area_code=area,
                is_count=not per_100k,
                description=_("Anmälda brott enligt Brås kommunindikatorer."),
            ),
        )
        plan.add(row, (code, None, kommun_lan[0], kommun_lan[1], dt.date(year, 1, 1)), value)
    context.raise_errors()
    write_points(context, plan)


def _import_ntu(context: ImportContext) -> None:
    """NTU: shares (%) with their 95 % interval from the "KI (95 %) undre/övre gräns" rows; respondents."""
    plan = PointPlan()
    interval_lines: dict[PointKey, int] = {}
    for row in context.rows():
        kommun_lan = row.value("regionkod", context.places.region)
        year = row.value("ar", parse_year)
        variable = row.required("variabel")
        unit_text = row.text("enhet")
        value = row.value("varde", parse_number)
        slug = _slug(variable)
        if variable and not slug:
            row.error("variabel", _("”%(value)s” saknar bokstäver och siffror.") % {"value": variable[:60]})
        if not row.ok or kommun_lan is None or year is None:
            continue
        if value is None:
            context.skip(row.line, _("Värdet saknas."))
            continue
        code = f"ntu.{slug}"
        key: PointKey = (code, None, kommun_lan[0], kommun_lan[1], dt.date(year, 1, 1))
        lowered = unit_text.lower()
        bound = "low" if "undre" in lowered else "high" if "övre" in lowered else ""
        if lowered.startswith("ki") and bound:
            point = plan.points.setdefault(key, PlannedPoint(None, []))
            held = point.ci_low if bound == "low" else point.ci_high
            if held is not None:
                row.error("enhet", _("Gränsen finns redan för samma område, år och variabel."))
                continue
            setattr(point, f"ci_{bound}", value.quantize(SIX_DECIMALS))
            point.lines.append(row.line)
            interval_lines.setdefault(key, row.line)
            continue
        share = "%" in unit_text or lowered.startswith("andel")
        respondents = not unit_text and variable.lower().startswith("antal")
        plan.specs.setdefault(
            code,
            IndicatorSpec(
                code=code,
                name=variable.rstrip("."),
                unit="%" if share else _("antal") if respondents else unit_text,
                source=NTU_SOURCE,
                level=Indicator.Level.KOMMUN,
                period_type=Indicator.Period.YEAR,
                better=Indicator.Better.LOWER if share else Indicator.Better.NONE,
                area_code=area_for_name(variable, NTU_AREA_RULES) if share else "",
                description=unit_text,
            ),
        )
        plan.add(row, key, value)
    for key, line in interval_lines.items():
        if plan.points[key].value is None:
            context.error(
                line,
                context.mapping["enhet"],
                _("Konfidensintervall utan andel: ingen rad med värdet för samma område, år och variabel."),
            )
    context.raise_errors()
    write_points(context, plan)


def _import_population(context: ImportContext) -> None:
    """SCB population per kommun and year → "scb.folkmangd"; Kommun.folkmangd follows the latest year."""
    plan = PointPlan(specs={POPULATION: population_indicator_spec()})
    option_year = None
    if context.options.get("year"):
        try:
            option_year = parse_year(context.options["year"])
        except ValueProblem as problem:
            context.error(0, "year", _("Inställningen år: %(problem)s") % {"problem": problem})
    elif "ar" not in context.mapping:
        context.error(0, "year", _("Filen har ingen kolumn för år: ange året som inställning."))
    context.raise_errors()
    for row in context.rows():
        kommun = row.value("kommun", context.places.kommun)
        year = row.value("ar", parse_year) if row.text("ar") else option_year
        if year is None and row.ok:
            row.error("ar", _("Året saknas."))
        population = row.value("folkmangd", parse_count)
        if not row.ok or kommun is None or year is None:
            continue
        if population is None:
            context.skip(row.line, _("Folkmängden saknas."))
            continue
        plan.add(
            row,
            (POPULATION, None, kommun, None, dt.date(year, 1, 1)),
            Decimal(population),
            column="folkmangd",
        )
    context.raise_errors()
    write_points(context, plan)
    latest = latest_kommun_population({key[2] for key in plan.points if key[2]})
    for kod, held_year in Kommun.objects.filter(kod__in=list(latest)).values_list("kod", "folkmangd_ar"):
        year, population = latest[kod]
        if held_year is None or year >= held_year:
            Kommun.objects.filter(kod=kod).update(folkmangd=population, folkmangd_ar=year)


def ensure_bare_desos(
    context: ImportContext, wanted: dict[str, tuple[str, str]], lines_of: dict[str, list[int]]
) -> None:
    """Create DeSO rows (no boundary) for codes not held yet (code → kommun, RegSO name) and flag their lines."""
    known = set(Deso.objects.filter(code__in=list(wanted)).values_list("code", flat=True))
    missing = {code: spec for code, spec in wanted.items() if code not in known}
    Deso.objects.bulk_create(
        [Deso(code=code, kommun_id=kommun, regso=regso[:200]) for code, (kommun, regso) in missing.items()]
    )
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


def _import_deso_population(context: ImportContext) -> None:
    """SCB population per DeSO and year → "scb.folkmangd" with the DeSO (and its kommun) set."""
    plan = PointPlan(specs={POPULATION: population_indicator_spec()})
    lines_of: dict[str, list[int]] = {}
    areas: dict[str, tuple[str, str]] = {}
    for row in context.rows():
        kommun = row.value("kommunkod", context.places.kommun) if row.text("kommunkod") else None
        deso = deso_code_of(row, "desokod", kommun) if row.required("desokod") else None
        if deso is not None and kommun is None:  # no kommun column: the DeSO code begins with it
            try:
                kommun = context.places.kommun(deso[:4])
            except ValueProblem as problem:
                row.error("desokod", str(problem))
        year = row.value("ar", parse_year)
        population = row.value("folkmangd", parse_count)
        if not row.ok or deso is None or kommun is None or year is None:
            continue
        if population is None:
            context.skip(row.line, _("Folkmängden saknas."))
            continue
        areas.setdefault(deso, (kommun, ""))
        lines_of.setdefault(deso, []).append(row.line)
        plan.add(
            row,
            (POPULATION, deso, kommun, None, dt.date(year, 1, 1)),
            Decimal(population),
            column="folkmangd",
        )
    context.raise_errors()
    ensure_bare_desos(context, areas, lines_of)
    write_points(context, plan)


BETTER_WORDS = {
    "higher": Indicator.Better.HIGHER,
    "högre": Indicator.Better.HIGHER,
    "lower": Indicator.Better.LOWER,
    "lägre": Indicator.Better.LOWER,
    "none": Indicator.Better.NONE,
    "ingen": Indicator.Better.NONE,
    "": Indicator.Better.NONE,
}


def _import_series(context: ImportContext) -> None:
    """The kommun's own series: one indicator "kommun.<slug>" whose period type the file's periods decide."""
    options = context.options
    name = options.get("indicator_name", "")
    better = BETTER_WORDS.get(options.get("better", "").lower())
    area_code = options.get("area_code", "")
    if better is None:
        context.error(
            0, "better", _("Inställningen ”vilket håll är bättre” ska vara higher, lower eller none.")
        )
    if area_code and area_code not in {code for code, _title in area_code_choices()}:
        context.error(0, "area_code", _("Okänt lägesbildsområde ”%(value)s”.") % {"value": area_code[:40]})
    code = f"kommun.{_slug(name)}"
    if not _slug(name):
        context.error(0, "indicator_name", _("Seriens namn måste innehålla bokstäver eller siffror."))
    context.raise_errors()
    plan = PointPlan()
    period_type, first_line = "", 0
    for row in context.rows():
        kommun = row.value("kommun", context.places.kommun)
        period = row.value("period", parse_period)
        value = row.value("varde", parse_number)
        if period is not None:
            if not period_type:
                period_type, first_line = period[0], row.line
            elif period[0] != period_type:
                row.error(
                    "period",
                    _("Perioderna blandas: rad %(line)d har %(first)s, den här raden %(this)s.")
                    % {
                        "line": first_line,
                        "first": Indicator.Period(period_type).label,
                        "this": Indicator.Period(period[0]).label,
                    },
                )
        if not row.ok or kommun is None or period is None:
            continue
        if value is None:
            context.skip(row.line, _("Värdet saknas."))
            continue
        plan.add(row, (code, None, kommun, None, period[1]), value)
    held = Indicator.objects.filter(code=code).values_list("period_type", flat=True).first()
    if held and period_type and held != period_type:
        context.error(
            0,
            "indicator_name",
            _("Serien ”%(name)s” finns redan med perioden %(held)s; filen har %(this)s.")
            % {
                "name": name,
                "held": Indicator.Period(held).label,
                "this": Indicator.Period(period_type).label,
            },
        )
    context.raise_errors()
    plan.specs[code] = IndicatorSpec(
        code=code,
        name=name,
        unit=options["unit"],
        source=options.get("source") or _("Kommunens egen statistik"),
        level=Indicator.Level.KOMMUN,
        period_type=period_type or YEAR,
        better=better or Indicator.Better.NONE,
        area_code=area_code,
        description=options.get("description", ""),
    )
    write_points(context, plan)


def _handlers() -> dict[str, Callable[[ImportContext], None]]:
    from samverkan.indicators.services.crime_statistics import import_crime_codes_rows, import_crime_rows

    return {
        "bra": _import_bra,
        "ntu": _import_ntu,
        "population": _import_population,
        "deso_population": _import_deso_population,
        "series": _import_series,
        "crime_codes": import_crime_codes_rows,
        "crime_statistics": import_crime_rows,
    }


# --- the entry point ---------------------------------------------------------------------------------


def resolve_mapping(format_: TableFormat, columns: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """The mapping without blanks, checked against the format's fields and the file's header."""
    cleaned = {key: column.strip() for key, column in mapping.items() if column and column.strip()}
    errors: list[RowError] = []
    known = {f.key for f in format_.fields}
    for key in sorted(set(cleaned) - known):
        errors.append(RowError(1, key, _("Formatet har inget fält ”%(key)s”.") % {"key": key}))
    found = ", ".join(f"”{c}”" for c in columns if c) or _("(inga)")
    unmapped = [f.label for f in format_.fields if f.required and f.key not in cleaned]
    if unmapped:
        errors.append(
            RowError(
                1,
                "",
                _("Ingen kolumn vald för: %(fields)s. Filen har kolumnerna: %(found)s.")
                % {"fields": ", ".join(f"”{u}”" for u in unmapped), "found": found},
            )
        )
    missing = sorted({column for column in cleaned.values() if column not in columns})
    if missing:
        errors.append(
            RowError(
                1,
                "",
                _("Kolumnerna %(missing)s finns inte i filen. Filen har kolumnerna: %(found)s.")
                % {"missing": ", ".join(f"”{c}”" for c in missing), "found": found},
            )
        )
    if errors:
        raise TableImportError(errors)
    return {key: column for key, column in cleaned.items() if key in known}


def _clean_options(format_: TableFormat, options: dict[str, str]) -> dict[str, str]:
    cleaned = {key: str(value).strip() for key, value in options.items() if str(value).strip()}
    known = {o.key for o in format_.options}
    errors = [
        RowError(0, key, _("Okänd inställning ”%(key)s”.") % {"key": key})
        for key in sorted(set(cleaned) - known)
    ]
    errors += [
        RowError(0, o.key, _("Inställningen ”%(label)s” måste anges.") % {"label": o.label})
        for o in format_.options
        if o.required and o.key not in cleaned
    ]
    if errors:
        raise TableImportError(errors)
    return cleaned


def import_table(
    *,
    data: bytes,
    file_name: str,
    format_key: str,
    mapping: dict[str, str] | None = None,
    options: dict[str, str] | None = None,
    user: Any = None,
    allowed_kommuner: set[str] | None = None,
    force: bool = False,
) -> ImportRun:
    """Import a statistics table in one of ``FORMATS``; all or nothing (``TableImportError`` lists why)."""
    format_ = FORMATS.get(format_key)
    if format_ is None:
        raise ImportFileError(_("Okänt tabellformat: %(key)s") % {"key": format_key})
    sha256 = hashlib.sha256(data).hexdigest()
    check_not_duplicate(kind=format_.kind, sha256=sha256, force=force)
    table = read_table(data, file_name)
    from samverkan.indicators.tables import suggest_mapping

    chosen = resolve_mapping(
        format_, table.columns, suggest_mapping(format_, table.columns) if mapping is None else mapping
    )
    cleaned_options = _clean_options(format_, options or {})
    with transaction.atomic():
        run = start_run(
            kind=format_.kind,
            file_name=file_name,
            sha256=sha256,
            user=user,
            options={"format": format_key, "mapping": chosen, "options": cleaned_options},
        )
        context = ImportContext(
            run=run, table=table, mapping=chosen, options=cleaned_options, places=Places(allowed_kommuner)
        )
        _handlers()[format_key](context)
        return finish_run(run, context.result(), user)
