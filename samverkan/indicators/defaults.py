"""Shipped rows of the indicators app: the police event type → lägesbild area mapping and the police
event indicators. Both are created when missing and never rewritten, so admin edits stay."""

from __future__ import annotations

import csv
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
    from samverkan.situation.defaults import SIX_AREAS

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
