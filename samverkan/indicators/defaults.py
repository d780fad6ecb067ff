"""Shipped rows of the indicators app: the police event type → lägesbild area mapping, the police
event indicators and the indicators that statistics imports create. All are created when missing and never
rewritten, so admin edits stay.

Names, units, sources and descriptions are stored in Swedish whatever language the loading request has,
and shown through ``core.shipped``; ``indicators.shipped_text`` (generated from the specs below and the
demo's Brå and NTU tables by ``samverkan vendor_demo_data``) marks each for the English catalogue."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_noop

from samverkan.indicators.models import Indicator, PoliceEventTypeMapping

DATA_DIR = Path(__file__).resolve().parent / "data"

POLICE_EVENTS = "polisen.handelser"
POLICE_SOURCE = gettext_noop("Polisen, händelser (polisen.se/api/events)")
COUNT_UNIT = gettext_noop("antal")


def police_area_indicator_code(area_code: str) -> str:
    return f"{POLICE_EVENTS}.{area_code}"


def default_type_mapping() -> dict[str, str]:
    """Every event type seen in the police's archive 2022–2026 → area code ("" = no area)."""
    with (DATA_DIR / "police_event_types.csv").open(encoding="utf-8", newline="") as handle:
        return {row["type"]: row["area_code"] for row in csv.DictReader(handle)}


def ensure_type_mappings(extra_types: set[str] | frozenset[str] = frozenset()) -> dict[str, str]:
    """Create the shipped mappings (and blank ones for ``extra_types``) that are missing; the current map."""
    current = dict(PoliceEventTypeMapping.objects.values_list("type", "area_code"))
    wanted = default_type_mapping()
    for type_ in extra_types:
        wanted.setdefault(type_, "")
    missing = [PoliceEventTypeMapping(type=t, area_code=a) for t, a in wanted.items() if t not in current]
    if missing:
        PoliceEventTypeMapping.objects.bulk_create(missing, ignore_conflicts=True)
        current.update((m.type, m.area_code) for m in missing)
    return current


def police_indicator_specs() -> list[IndicatorSpec]:
    """The monthly police event counts per kommun: all events, and one per lägesbild area."""
    from samverkan.core.areas import SIX_AREAS

    description = gettext_noop(
        "Händelser som polisen publicerat på polisen.se, per kommun och månad. Händelsetyperna "
        "kopplas till lägesbildens områden i administrationen. Polisen publicerar ett urval, "
        "inte alla brott: jämför över tid snarare än mellan kommuner."
    )

    def spec(code: str, name: str, area_code: str = "", better: str = Indicator.Better.NONE) -> IndicatorSpec:
        return IndicatorSpec(
            code=code,
            name=name,
            unit=COUNT_UNIT,
            source=POLICE_SOURCE,
            level=Indicator.Level.KOMMUN,
            period_type=Indicator.Period.MONTH,
            better=better,
            area_code=area_code,
            is_count=True,
            description=description,
        )

    specs = [spec(POLICE_EVENTS, gettext_noop("Polisens händelser"))]
    for code, title, _question in SIX_AREAS:
        # A whole name, so the English catalogue has it whole (indicators.shipped_text).
        specs.append(
            spec(
                police_area_indicator_code(code), f"Polisens händelser: {title}", code, Indicator.Better.LOWER
            )
        )
    return specs


def ensure_police_indicators() -> dict[str, Indicator]:
    """The police event indicators by code, created when missing."""
    return ensure_indicators(police_indicator_specs())


# --- indicators from statistics tables ----------------------------------------------------------------

BRA_SOURCE = gettext_noop("Brå, anmälda brott")
NTU_SOURCE = gettext_noop("Brå, NTU")
SCB_SOURCE = gettext_noop("SCB")
CRIME_SOURCE = gettext_noop("Polisen, registrerade brott (via Region Dalarna)")
POPULATION = "scb.folkmangd"
CRIMES = "polisen.brott"


def crime_area_indicator_code(area_code: str) -> str:
    return f"{CRIMES}.{area_code}"


@dataclass(frozen=True)
class IndicatorSpec:
    """What an import creates when the indicator is missing; an existing one is left as the admin has it."""

    code: str
    name: str
    unit: str
    source: str
    level: str
    period_type: str
    better: str = Indicator.Better.NONE
    area_code: str = ""
    is_count: bool = False
    description: str = ""


def ensure_indicators(specs: Iterable[IndicatorSpec]) -> dict[str, Indicator]:
    """The indicators of ``specs`` by code, creating the missing ones (existing rows are never rewritten)."""
    wanted = {spec.code: spec for spec in specs}
    existing = {i.code: i for i in Indicator.objects.filter(code__in=list(wanted))}
    missing = [
        Indicator(
            code=spec.code,
            name=spec.name[:200],
            description=spec.description,
            unit=spec.unit[:40],
            source=spec.source[:200],
            area_code=spec.area_code,
            better=spec.better,
            level=spec.level,
            period_type=spec.period_type,
            is_count=spec.is_count,
        )
        for code, spec in wanted.items()
        if code not in existing
    ]
    if missing:
        Indicator.objects.bulk_create(missing)
        existing.update({i.code: i for i in Indicator.objects.filter(code__in=[i.code for i in missing])})
    return existing


def population_indicator_spec() -> IndicatorSpec:
    return IndicatorSpec(
        code=POPULATION,
        name=gettext_noop("Folkmängd"),
        unit=gettext_noop("invånare"),
        source=SCB_SOURCE,
        level=Indicator.Level.KOMMUN,
        period_type=Indicator.Period.YEAR,
        description=gettext_noop(
            "Folkmängden den 31 december, per kommun och DeSO-område. Används för antal per 10 000 invånare."
        ),
    )


def crime_indicator_specs() -> list[IndicatorSpec]:
    """Registered crimes per kommun and DeSO and month: all codes, and one per lägesbild area."""
    from samverkan.core.areas import SIX_AREAS

    description = gettext_noop(
        "Brott som polisen registrerat, per kommun och DeSO-område och registreringsmånad. Brottskoderna "
        "kopplas till lägesbildens områden i administrationen. Omfattar även registreringar som inte är "
        "brott (t.ex. viltolyckor), så summan är större än Brås anmälda brott."
    )
    specs = [
        IndicatorSpec(
            code=CRIMES,
            name=gettext_noop("Registrerade brott"),
            unit=COUNT_UNIT,
            source=CRIME_SOURCE,
            level=Indicator.Level.KOMMUN,
            period_type=Indicator.Period.MONTH,
            is_count=True,
            description=description,
        )
    ]
    for code, title, _question in SIX_AREAS:
        specs.append(
            IndicatorSpec(
                code=crime_area_indicator_code(code),
                name=f"Registrerade brott: {title}",
                unit=COUNT_UNIT,
                source=CRIME_SOURCE,
                level=Indicator.Level.KOMMUN,
                period_type=Indicator.Period.MONTH,
                better=Indicator.Better.LOWER,
                area_code=code,
                is_count=True,
                description=description,
            )
        )
    return specs


BRA_DESCRIPTION = gettext_noop("Anmälda brott enligt Brås kommunindikatorer.")
PER_100K_UNIT = gettext_noop("per 100 000 inv")


def bra_indicator_spec(variable: str, *, per_100k: bool, code: str) -> IndicatorSpec:
    """What a Brå row creates: the yearly count, or the count per 100,000 inhabitants."""
    return IndicatorSpec(
        code=code,
        name=f"{variable} per 100 000 invånare" if per_100k else variable,
        unit=PER_100K_UNIT if per_100k else COUNT_UNIT,
        source=BRA_SOURCE,
        level=Indicator.Level.KOMMUN,
        period_type=Indicator.Period.YEAR,
        better=Indicator.Better.LOWER,
        area_code=area_for_name(variable, BRA_AREA_RULES),
        is_count=not per_100k,
        description=BRA_DESCRIPTION,
    )


def ntu_indicator_spec(variable: str, unit_text: str, *, code: str) -> IndicatorSpec:
    """What an NTU row creates: a share (%) with its interval, or a number of respondents."""
    share = "%" in unit_text or unit_text.lower().startswith("andel")
    respondents = not unit_text and variable.lower().startswith("antal")
    return IndicatorSpec(
        code=code,
        name=variable.rstrip("."),
        unit="%" if share else COUNT_UNIT if respondents else unit_text,
        source=NTU_SOURCE,
        level=Indicator.Level.KOMMUN,
        period_type=Indicator.Period.YEAR,
        better=Indicator.Better.LOWER if share else Indicator.Better.NONE,
        area_code=area_for_name(variable, NTU_AREA_RULES) if share else "",
        description=unit_text,
    )


# Brå's categories and NTU's questions → lägesbild area: the first rule whose pattern is found in the
# (lower-cased) name wins; no match = no area. Patterns are regular expressions ("från" is not a rån).
BRA_AREA_RULES: list[tuple[str, str]] = [
    (r"narkotika", "ant"),
    (r"skadegörelse", "ordning"),
    (r"bostadsinbrott", "ordning"),
    (r"\brån mot privatperson, unga", "unga"),
    (r"offentlig miljö mot barn och unga", "unga"),
    (r"våld", "vald"),
]
NTU_AREA_RULES: list[tuple[str, str]] = [
    (r"narkotika", "ant"),
    (r"alkohol eller droger", "ant"),
    (r"\bgäng\b", "extremism"),
    (r"skadegörelse", "ordning"),
    (r"klotter", "ordning"),
    (r"körning", "ordning"),
    (r"otrygghet", "ordning"),
    (r"inbrott", "ordning"),
    (r"misshandel", "vald"),
    (r"våldtäkt", "vald"),
    (r"sexualbrott", "vald"),
    (r"\brån\b", "vald"),
]

# The crime-code key's question areas ("Fråga 2 - Hot och våld") → lägesbild area; others have none.
QUESTION_AREA_CODES = {"1": "ordning", "2": "vald", "3": "extremism", "5": "ant"}


def area_for_name(name: str, rules: list[tuple[str, str]]) -> str:
    lowered = name.lower()
    return next((area for pattern, area in rules if re.search(pattern, lowered)), "")


def area_for_question(question_area: str) -> str:
    """ "Fråga 2 - Hot och våld" → "vald"; "Övriga" or blank → ""."""
    match = re.match(r"\s*fråga\s*(\d+)", question_area.lower())
    return QUESTION_AREA_CODES.get(match.group(1), "") if match else ""
