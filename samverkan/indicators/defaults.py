"""Shipped rows of the indicators app: the police event type → lägesbild area mapping, the police
event indicators and the indicators that statistics imports create. All are created when missing and never
rewritten, so admin edits stay."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from samverkan.indicators.models import Indicator, PoliceEventTypeMapping

DATA_DIR = Path(__file__).resolve().parent / "data"

POLICE_EVENTS = "polisen.handelser"
POLICE_SOURCE = "Polisen, händelser (polisen.se/api/events)"


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


def ensure_police_indicators() -> dict[str, Indicator]:
    """The monthly police event counts per kommun: all events, and one per lägesbild area."""
    from samverkan.core.areas import SIX_AREAS

    specs = [
        (
            POLICE_EVENTS,
            str(_("Polisens händelser")),
            "",
            Indicator.Better.NONE,
        )
    ]
    for code, title, _question in SIX_AREAS:
        specs.append(
            (
                police_area_indicator_code(code),
                str(_("Polisens händelser: %(area)s") % {"area": title}),
                code,
                Indicator.Better.LOWER,
            )
        )
    existing = {i.code: i for i in Indicator.objects.filter(code__in=[s[0] for s in specs])}
    missing = [
        Indicator(
            code=code,
            name=name,
            description=str(
                _(
                    "Händelser som polisen publicerat på polisen.se, per kommun och månad. Händelsetyperna "
                    "kopplas till lägesbildens områden i administrationen. Polisen publicerar ett urval, "
                    "inte alla brott: jämför över tid snarare än mellan kommuner."
                )
            ),
            unit=str(_("antal")),
            source=POLICE_SOURCE,
            area_code=area,
            better=better,
            level=Indicator.Level.KOMMUN,
            period_type=Indicator.Period.MONTH,
            is_count=True,
        )
        for code, name, area, better in specs
        if code not in existing
    ]
    if missing:
        Indicator.objects.bulk_create(missing)
        existing.update({i.code: i for i in Indicator.objects.filter(code__in=[i.code for i in missing])})
    return existing


# --- indicators from statistics tables ----------------------------------------------------------------

BRA_SOURCE = "Brå, anmälda brott"
NTU_SOURCE = "Brå, NTU"
SCB_SOURCE = "SCB"
CRIME_SOURCE = "Polisen, registrerade brott (via Region Dalarna)"
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
        name=str(_("Folkmängd")),
        unit=str(_("invånare")),
        source=SCB_SOURCE,
        level=Indicator.Level.KOMMUN,
        period_type=Indicator.Period.YEAR,
        description=str(
            _(
                "Folkmängden den 31 december, per kommun och DeSO-område. Används för antal per 10 000 invånare."
            )
        ),
    )


def crime_indicator_specs() -> list[IndicatorSpec]:
    """Registered crimes per kommun and DeSO and month: all codes, and one per lägesbild area."""
    from samverkan.core.areas import SIX_AREAS

    description = str(
        _(
            "Brott som polisen registrerat, per kommun och DeSO-område och registreringsmånad. Brottskoderna "
            "kopplas till lägesbildens områden i administrationen. Omfattar även registreringar som inte är "
            "brott (t.ex. viltolyckor), så summan är större än Brås anmälda brott."
        )
    )
    specs = [
        IndicatorSpec(
            code=CRIMES,
            name=str(_("Registrerade brott")),
            unit=str(_("antal")),
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
                name=str(_("Registrerade brott: %(area)s") % {"area": title}),
                unit=str(_("antal")),
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
