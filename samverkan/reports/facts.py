"""What the facts snapshot holds: its tables (titles and columns, translated when shown) and the process
check's steps. The snapshot itself stores keys and cell values only, so a stored version reads in the
reader's language while its numbers and names never change."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: Promise
    columns: tuple[Promise, ...]
    # Columns that hold hours or kronor: totalled over the rows a reader may read.
    summed: tuple[int, ...] = ()


TABLES: tuple[TableSpec, ...] = (
    TableSpec("agreement", _("Överenskommelse"), (_("Överenskommelse"), _("Period"), _("Status"))),
    TableSpec("focus_areas", _("Fokusområden"), (_("Fokusområde"), _("Status"))),
    TableSpec(
        "focus_changes",
        _("Ändringar av fokusområden under året"),
        (_("Datum"), _("Fokusområde"), _("Ändring"), _("Motivering")),
    ),
    TableSpec(
        "pictures",
        _("Gemensamma lägesbilder"),
        (_("Fastställd"), _("Område"), _("Läge"), _("Utveckling")),
    ),
    TableSpec("problems", _("Problem och orsaker"), (_("Problem"), _("Status"), _("Orsaker"))),
    TableSpec(
        "actions",
        _("Åtgärder och bedömningar"),
        (
            _("Nr"),
            _("Åtgärd"),
            _("Ansvarig"),
            _("Status"),
            _("Bedömningar under året"),
            _("Senaste bedömning"),
            _("Timmar planerade"),
            _("Timmar använda"),
            _("Kostnad planerad (kr)"),
            _("Kostnad använd (kr)"),
        ),
        summed=(6, 7, 8, 9),
    ),
    TableSpec(
        "indicators",
        _("Indikatorer mot mål"),
        (_("Åtgärd"), _("Indikator"), _("Utgångsvärde"), _("Mål"), _("Senaste värde"), _("Målet nått")),
    ),
    TableSpec(
        "meetings",
        _("Möten och närvaro per organisation"),
        (_("Organisation"), _("Kallad"), _("Närvarande"), _("Närvaro")),
    ),
    TableSpec(
        "reporting",
        _("Rapportering till lägesbilden per organisation"),
        (_("Organisation"), _("Omgångar"), _("Inskickade"), _("Andel")),
    ),
    TableSpec(
        "statistics",
        _("Statistik: polisens händelser i kommunen"),
        (_("Händelsetyp"), _("Året"), _("Året före"), _("Förändring")),
    ),
    TableSpec(
        "indicator_trends",
        _("Statistik och enkäter: året mot året före"),
        (_("Indikator"), _("Källa"), _("Året"), _("Året före"), _("Förändring")),
    ),
)
TABLE_BY_KEY = {spec.key: spec for spec in TABLES}

PROCESS_STEPS: dict[str, Promise] = {
    "lagesbild": _("Lägesbild över brottsligheten (lag 2023:196)"),
    "analys": _("Analys av orsakerna (lag 2023:196; Brå steg 3)"),
    "atgardsplan": _("Beslutad åtgärdsplan (lag 2023:196; Brå steg 4)"),
    "uppfoljning": _("Uppföljningar under året (Brå steg 6)"),
    "samordning": _("Samordnande funktion (lag 2023:196)"),
    "utvardering": _("Årlig utvärdering godkänd av gruppen (Brå steg 6)"),
}
