"""The action plan's spreadsheet format: one list of columns per sheet, shared by export and import.

A column is matched on import by its key, its Swedish heading or its English heading (case and spacing
ignored), so a file exported in either language imports back, and a group's own sheet can be mapped to
these columns on the preview page. Choices are written as their labels in the reader's language and
read back from a label in either language or from the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from samverkan.actions.models import Action, Rating
from samverkan.core.models import Level

SHEET_ACTIONS = "Åtgärder"
SHEET_FOLLOWUPS = "Uppföljningar"
SHEET_INDICATORS = "Indikatorer"
# An action plan is tens of actions, a national bench plan 200; more rows than this is not a plan.
MAX_ROWS = 2_000
# Follow-ups are rows of their own: twelve (three years of quarterly meetings) for each action of the
# largest plan. A 200-action plan followed up twelve times exports 2,400 of them and must import back.
MAX_FOLLOWUP_ROWS = 12 * MAX_ROWS
# Cells that list several things (partners, causes) separate them so.
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    key: str
    heading: Any  # lazy: the reader's language
    width: int = 14
    imported: bool = True  # False: shown for reading (latest rating), ignored on import
    required: bool = False


ACTION_COLUMNS: tuple[Column, ...] = (
    Column("id", _("ID"), 8),
    Column("number", _("Nr"), 6),
    Column("title", _("Åtgärd"), 36, required=True),
    Column("description", _("Beskrivning"), 48),
    Column("focus_area", _("Fokusområde"), 24),
    Column("kind", _("Typ"), 14),
    Column("horizon", _("Tidsperspektiv"), 14),
    Column("responsible", _("Ansvarig organisation"), 28, required=True),
    Column("contact", _("Kontaktperson"), 22),
    Column("partners", _("Övriga organisationer"), 28),
    Column("start_date", _("Start"), 12),
    Column("end_date", _("Slut"), 12),
    Column("expected_effect", _("Förväntad effekt"), 36),
    Column("planned_hours", _("Planerade timmar"), 12),
    Column("planned_cost", _("Planerad kostnad (kr)"), 14),
    Column("status", _("Status"), 12),
    Column("level", _("Sekretessnivå"), 12),
    Column("causes", _("Orsaker (ID: orsak)"), 36),
    Column("no_analysis_reason", _("Skäl till att orsaksanalys saknas"), 30),
    Column("latest_rating", _("Senaste bedömning"), 14, imported=False),
    Column("latest_followup", _("Senast uppföljd"), 14, imported=False),
)

FOLLOWUP_COLUMNS: tuple[Column, ...] = (
    Column("id", _("ID"), 8),
    Column("action_id", _("Åtgärdens ID"), 10, required=True),
    Column("action_number", _("Nr"), 6, imported=False),
    Column("action_title", _("Åtgärd"), 30, imported=False),
    Column("followed_up_on", _("Datum"), 12, required=True),
    Column("occasion", _("Tillfälle"), 24),
    Column("rating", _("Bedömning"), 12, required=True),
    Column("done", _("Vad har gjorts"), 40),
    Column("outcome", _("Resultat"), 40),
    Column("reason", _("Skäl till ändrad bedömning"), 30),
    Column("hours_spent", _("Nedlagda timmar"), 12),
    Column("cost_spent", _("Kostnad (kr)"), 12),
    Column("level", _("Sekretessnivå"), 12),
)

INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("id", _("ID"), 8),
    Column("action_id", _("Åtgärdens ID"), 10),
    Column("action_number", _("Nr"), 6),
    Column("action_title", _("Åtgärd"), 30),
    Column("name", _("Indikator"), 30),
    Column("unit", _("Enhet"), 10),
    Column("source", _("Källa"), 18),
    Column("statistic", _("Indikator i statistiken"), 24),
    Column("kommun", _("Kommun"), 14),
    Column("baseline", _("Utgångsvärde"), 12),
    Column("baseline_on", _("Utgångsvärdet avser"), 12),
    Column("target", _("Målvärde"), 12),
    Column("target_on", _("Målet ska nås"), 12),
    Column("direction", _("Riktning"), 14),
    Column("level", _("Sekretessnivå"), 12),
)

CHOICES: dict[str, Any] = {
    "kind": Action.Kind,
    "horizon": Action.Horizon,
    "status": Action.Status,
    "level": Level,
    "rating": Rating,
}


def normalise(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text)).strip().casefold()


def headings_in(language: str, columns: tuple[Column, ...]) -> dict[str, str]:
    with translation.override(language):
        return {normalise(str(c.heading)): c.key for c in columns}


def column_lookup(columns: tuple[Column, ...]) -> dict[str, str]:
    """A normalised heading (either language) or key → the column's key."""
    found: dict[str, str] = {}
    for language in ("en", "sv"):  # Swedish last: it wins where the two languages share a word
        found.update(headings_in(language, columns))
    found.update({normalise(c.key): c.key for c in columns})
    return found


def choice_lookup(choices: Any) -> dict[str, str]:
    """Label (either language) or code, normalised → the code."""
    found: dict[str, str] = {}
    for language in ("en", "sv"):
        with translation.override(language):
            found.update({normalise(str(label)): value for value, label in choices.choices})
    found.update({normalise(value): value for value in choices.values})
    return found
