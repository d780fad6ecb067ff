"""The action plan as a spreadsheet (XLSX with three sheets, and CSV of the actions), from ``plan_sheet``.

What the groups keep in Excel today, so it is built for use in Excel: a frozen header, an autofilter, the
rating as a pick list (data validation) with its colour and its word in the cell (colour is never the only
signal), and a stable ID column that the import uses to update rows instead of duplicating them. Every text
passes ``safe_cell`` (a cell starting with = + - @ is not a formula). The export holds what the reader may
read, nothing more (the selector decided).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.actions.models import Action, ActionIndicator, FollowUp, Rating
from samverkan.actions.selectors.excel import PlanSheet
from samverkan.actions.sheet_format import (
    ACTION_COLUMNS,
    FOLLOWUP_COLUMNS,
    INDICATOR_COLUMNS,
    LIST_SEPARATOR,
    SHEET_ACTIONS,
    SHEET_FOLLOWUPS,
    SHEET_INDICATORS,
    Column,
)
from samverkan.core.exports.xlsx import add_sheet, new_workbook, safe_cell, workbook_bytes
from samverkan.core.models import Level

# Excel's own "good / neutral / bad" cell styles, which readers of municipal spreadsheets know.
RATING_FILLS = {
    Rating.ROD: ("FFC7CE", "9C0006"),
    Rating.GUL: ("FFEB9C", "9C5700"),
    Rating.GRON: ("C6EFCE", "006100"),
}


def _number(value: Decimal | None) -> Any:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _latest(followups: Iterable[FollowUp]) -> dict[int, FollowUp]:
    latest: dict[int, FollowUp] = {}
    for followup in followups:  # ordered by day
        latest[followup.action_id] = followup
    return latest


def _label(choices: Any) -> Callable[[str], str]:
    """A choice's label in the reader's language, looked up in a dict made once per sheet: Django's
    ``get_FOO_display`` rebuilds a hashable copy of the choices on every call (thousands of rows)."""
    labels = {value: str(label) for value, label in choices.choices}
    return lambda value: labels.get(value, value)


def action_rows(data: PlanSheet) -> list[list[Any]]:
    latest = _latest(data.followups)
    kind, horizon, status, level = (
        _label(Action.Kind),
        _label(Action.Horizon),
        _label(Action.Status),
        _label(Level),
    )
    rating = _label(Rating)
    rows = []
    for action in data.actions:
        last = latest.get(action.pk)
        causes = data.causes.get(action.pk, [])
        rows.append(
            [
                action.pk,
                action.number,
                action.title,
                action.description,
                data.focus_area_title(action),
                kind(action.kind),
                horizon(action.horizon),
                action.responsible.name,
                action.contact.name if action.contact else "",
                f"{LIST_SEPARATOR} ".join(sorted(o.name for o in action.partners.all())),
                action.start_date,
                action.end_date,
                action.expected_effect,
                _number(action.planned_hours),
                _number(action.planned_cost),
                status(action.status),
                level(action.level),
                f"{LIST_SEPARATOR} ".join(f"{c.pk}: {c.text}" for c in causes),
                action.no_analysis_reason,
                rating(last.rating) if last else "",
                last.followed_up_on if last else None,
            ]
        )
    return rows


def followup_rows(data: PlanSheet) -> list[list[Any]]:
    rating, level = _label(Rating), _label(Level)
    return [
        [
            f.pk,
            f.action_id,
            f.action.number,
            f.action.title,
            f.followed_up_on,
            f.occasion,
            rating(f.rating),
            f.done,
            f.outcome,
            f.reason,
            _number(f.hours_spent),
            _number(f.cost_spent),
            level(f.level),
        ]
        for f in data.followups
    ]


def indicator_rows(data: PlanSheet) -> list[list[Any]]:
    source, direction, level = (
        _label(ActionIndicator.Source),
        _label(ActionIndicator.Direction),
        _label(Level),
    )
    return [
        [
            i.pk,
            i.action_id,
            i.action.number,
            i.action.title,
            i.name,
            i.unit,
            source(i.source),
            i.indicator.code if i.indicator else "",
            i.kommun.namn if i.kommun else "",
            _number(i.baseline),
            i.baseline_on,
            _number(i.target),
            i.target_on,
            direction(i.direction) if i.direction else "",
            level(i.level),
        ]
        for i in data.indicators
    ]


def _headings(columns: tuple[Column, ...]) -> list[str]:
    return [str(c.heading) for c in columns]


def _filter(sheet: Any, columns: tuple[Column, ...], rows: int) -> None:
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows + 1}"


def _rating_styles(column_index: int) -> dict[int, Callable[[Any], dict[str, Any] | None]]:
    """Each rating cell coloured by its word (one fill and font per rating, shared by every cell)."""
    from openpyxl.styles import Font, PatternFill

    by_label = {
        str(label): {
            "fill": PatternFill("solid", start_color=RATING_FILLS[Rating(value)][0]),
            "font": Font(color=RATING_FILLS[Rating(value)][1], bold=True),
        }
        for value, label in Rating.choices
    }
    return {column_index: lambda value: by_label.get(value) if isinstance(value, str) else None}


def _rating_list(sheet: Any, column_index: int, rows: int) -> None:
    """The three rating words as a pick list in the rating column (0-based ``column_index``)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(column_index + 1)
    labels = ",".join(str(label) for _value, label in Rating.choices)
    validation = DataValidation(
        type="list",
        formula1=f'"{labels}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Bedömning"),
        error=_("Välj Röd, Gul eller Grön."),
    )
    validation.add(f"{letter}2:{letter}{max(rows + 1, 2) + 500}")  # room for rows the group adds
    sheet.data_validations.append(validation)


def _rated_sheet(
    workbook: Any, title: str, columns: tuple[Column, ...], rows: list[list[Any]], rating_key: str | None
) -> None:
    rating = [c.key for c in columns].index(rating_key) if rating_key else None
    sheet = add_sheet(
        workbook,
        title,
        _headings(columns),
        rows,
        [c.width for c in columns],
        freeze="A2",
        column_styles=_rating_styles(rating) if rating is not None else None,
    )
    _filter(sheet, columns, len(rows))
    if rating is not None:
        _rating_list(sheet, rating, len(rows))


def build_workbook(data: PlanSheet) -> bytes:
    workbook = new_workbook()
    _rated_sheet(workbook, _(SHEET_ACTIONS), ACTION_COLUMNS, action_rows(data), "latest_rating")
    _rated_sheet(workbook, _(SHEET_FOLLOWUPS), FOLLOWUP_COLUMNS, followup_rows(data), "rating")
    _rated_sheet(workbook, _(SHEET_INDICATORS), INDICATOR_COLUMNS, indicator_rows(data), None)
    about = workbook.create_sheet(_("Om filen"))
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 100
    for row in (
        [_("Åtgärdsplan"), data.plan.title],
        [_("Period"), f"{data.plan.start_date:%Y-%m-%d} – {data.plan.end_date:%Y-%m-%d}"],
        [_("Hämtad"), timezone.localtime().replace(tzinfo=None, microsecond=0)],
        [
            _("Import"),
            _(
                "Lämna kolumnen ID som den är: vid import uppdateras raden med det ID:t. En rad utan ID blir "
                "en ny åtgärd eller uppföljning. Kolumnerna Senaste bedömning och Senast uppföljd läses inte."
            ),
        ],
        [
            _("Innehåll"),
            _("Filen innehåller det du får läsa. Varje rad anger sin sekretessnivå."),
        ],
    ):
        about.append([safe_cell(v) for v in row])
    return workbook_bytes(workbook)


def build_csv(data: PlanSheet) -> bytes:
    """The actions sheet as CSV (semicolon, UTF-8 with BOM: what Swedish Excel opens without asking)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_headings(ACTION_COLUMNS))
    for row in action_rows(data):
        writer.writerow(
            ["" if v is None else v.isoformat() if isinstance(v, dt.date) else safe_cell(v) for v in row]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_filename(data: PlanSheet, extension: str) -> str:
    return f"atgardsplan-{slugify(data.plan.title)[:50] or data.plan.pk}.{extension}"
