"""The table formats: Brå, NTU, SCB population (kommun and DeSO) and a kommun's own series; the crime
statistics formats live in ``crime_statistics``. Each reads ``ImportContext`` rows into a plan and writes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _

from samverkan.core.models import Kommun
from samverkan.indicators.defaults import (
    POPULATION,
    IndicatorSpec,
    bra_indicator_spec,
    ntu_indicator_spec,
    population_indicator_spec,
)
from samverkan.indicators.models import Indicator, area_code_choices
from samverkan.indicators.population import latest_kommun_population
from samverkan.indicators.services.table_runs import (
    SIX_DECIMALS,
    ImportContext,
    PlannedPoint,
    PointKey,
    PointPlan,
    code_slug,
    deso_code_of,
    ensure_bare_desos,
    write_points,
)
from samverkan.indicators.tables import (
    YEAR,
    ValueProblem,
    parse_count,
    parse_number,
    parse_period,
    parse_year,
)

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
        slug = code_slug(variable)
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
        code = f"bra.{slug}.per100k" if per_100k else f"bra.{slug}"
        plan.specs.setdefault(code, bra_indicator_spec(variable, per_100k=per_100k, code=code))
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
        slug = code_slug(variable)
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
        plan.specs.setdefault(code, ntu_indicator_spec(variable, unit_text, code=code))
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
    code = f"kommun.{code_slug(name)}"
    if not code_slug(name):
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


def handlers() -> dict[str, Callable[[ImportContext], None]]:
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
