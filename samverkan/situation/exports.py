"""The joint picture as PDF/A-3b (WeasyPrint) and XLSX (openpyxl), rendered from the builder's PictureData.

Both render exactly what the builder gave for one reader, so confidentiality is decided once, upstream.
The PDF uses core's PDF/A renderer (lazy WeasyPrint import, static-only URL fetcher); without Pango it
answers 503 with a Swedish message instead.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from samverkan.core.exports.pdf import pdf_response
from samverkan.core.exports.xlsx import add_sheet, workbook_bytes, xlsx_response
from samverkan.core.shipped import shipped
from samverkan.situation.selectors.picture import PictureData

logger = logging.getLogger(__name__)


def export_filename(data: PictureData, extension: str) -> str:
    round_ = data.round
    name = f"lagesbild-{round_.period}-{round_.period_start:%Y-%m-%d}"
    if data.version is not None:
        name += f"-v{data.version.number}"
    else:
        name += "-utkast"
    if data.public_only:
        name += "-oppen"
    return f"{name}.{extension}"


# --- PDF ----------------------------------------------------------------------------------------------


def picture_pdf_response(request: HttpRequest, data: PictureData) -> HttpResponse:
    return pdf_response(
        request,
        template="situation/picture_pdf.html",
        context={
            "data": data,
            "collaboration": data.collaboration,
            "round": data.round,
            "area_rows": [(area, None) for area in data.areas],
            "printing": True,
        },
        filename=export_filename(data, "pdf"),
        unavailable_template="situation/picture_pdf_unavailable.html",
    )


# --- XLSX ---------------------------------------------------------------------------------------------


def _cell_text(cell: Any) -> str:
    if not cell.visible:
        return ""
    if not cell.has_content:
        return _("Ej rapporterat") if not cell.submitted else "–"
    text = cell.status_label or "–"
    if cell.trend_label:
        text += f", {cell.trend_label.lower()}"
    if cell.comparison_text:
        text += f" ({cell.comparison_text})"
    return text


def build_workbook(data: PictureData) -> bytes:
    """The picture as an XLSX workbook: overview matrix, status per aktör, free texts, events, the events
    per month, summaries and who reported. Every row says its confidentiality level."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    level = _("Sekretessnivå")
    add_sheet(
        workbook,
        _("Översikt"),
        [_("Område"), *data.organisations, _("Händelser")],
        (
            [shipped(area.title), *(_cell_text(c) for c in area.cells), area.event_count]
            for area in data.areas
        ),
        [36, *([28] * len(data.organisations)), 12],
    )
    add_sheet(
        workbook,
        _("Läge per aktör"),
        [
            _("Område"),
            _("Organisation"),
            _("Läge"),
            _("Utveckling"),
            _("Förra omgången"),
            _("Samma period i fjol"),
            _("Jämförelse"),
            level,
        ],
        (
            [
                shipped(area.title),
                cell.organisation,
                cell.status_label,
                cell.trend_label,
                cell.previous_label,
                cell.last_year_label,
                cell.comparison_text,
                cell.level_label,
            ]
            for area in data.areas
            for cell in area.cells
            if cell.visible
        ),
        [36, 28, 12, 14, 16, 18, 36, 14],
    )
    add_sheet(
        workbook,
        _("Fritexter"),
        [_("Område"), _("Organisation"), _("Fråga"), _("Svar"), _("Platser"), level],
        [
            *(
                [
                    shipped(area.title),
                    t.organisation,
                    shipped(t.question),
                    t.text,
                    ", ".join(t.places),
                    t.level_label,
                ]
                for area in data.areas
                for t in area.texts
            ),
            *(
                [shipped(area.title), n.organisation, shipped(n.question), n.number, "", n.level_label]
                for area in data.areas
                for n in area.numbers
            ),
        ],
        [30, 26, 40, 70, 30, 14],
    )
    titles = {a.area_code: shipped(a.title) for a in data.areas if a.area_code}
    if data.events_generalised:
        _add_generalised_events(workbook, data, titles)
    else:
        _add_events(workbook, data, titles)
    columns = data.series_columns
    add_sheet(
        workbook,
        _("Händelser per månad"),
        [_("Månad"), *(shipped(title) for _code, title in columns), _("Totalt")],
        ([month, *counts, total] for month, counts, total in data.series_rows),
        [12, *([18] * len(columns)), 10],
    )
    add_sheet(
        workbook,
        _("Sammanfattningar"),
        [_("Område"), _("Sammanfattning"), level],
        (
            [shipped(area.title), area.summary.text, area.summary.level_label]
            for area in data.areas
            if area.summary
        ),
        [36, 90, 14],
    )
    if data.completeness:
        add_sheet(
            workbook,
            _("Inrapportering"),
            [_("Organisation"), _("Rapporterat"), _("Inskickad")],
            (
                [c.organisation, _("Ja") if c.submitted else _("Nej"), c.submitted_at]
                for c in data.completeness
            ),
            [36, 14, 18],
        )
    workbook.properties.title = _("Gemensam lägesbild %(period)s") % {"period": str(data.round)}
    workbook.properties.creator = "Samverkan"
    return workbook_bytes(workbook)


def _add_events(workbook: Any, data: PictureData, titles: dict[str, str]) -> None:
    """The events as reported, for readers of the full picture."""
    add_sheet(
        workbook,
        _("Händelser"),
        [
            _("När"),
            _("Område"),
            _("Kategori"),
            _("Plats"),
            _("Latitud"),
            _("Longitud"),
            _("Vad hände"),
            _("Rapporterad av"),
            _("Sekretessnivå"),
        ],
        (
            [
                e.occurred_at,
                titles.get(e.area_code, ""),
                shipped(e.category),
                e.place,
                e.latitude,
                e.longitude,
                e.description,
                e.organisation,
                e.level_label,
            ]
            for e in data.events
        ),
        [18, 28, 28, 24, 10, 10, 70, 26, 14],
    )


def _add_generalised_events(workbook: Any, data: PictureData, titles: dict[str, str]) -> None:
    """An öppen workbook's events as generalise.py gives them: the day and the kommun of each event,
    and the sensitive categories only as counts (a sheet of their own)."""
    add_sheet(
        workbook,
        _("Händelser"),
        [_("Datum"), _("Område"), _("Kategori"), _("Kommun"), _("Vad hände")],
        (
            [e.occurred_on, titles.get(e.area_code, ""), shipped(e.category), e.kommun, e.description]
            for e in data.events
        ),
        [12, 28, 28, 24, 70],
    )
    add_sheet(
        workbook,
        _("Känsliga händelser, antal"),
        [_("Område"), _("Kategori"), _("Kommun"), _("Antal händelser")],
        # A withheld count is the text "färre än 5", never a number a sum could take in.
        (
            [
                titles.get(c.area_code, ""),
                shipped(c.category),
                c.kommun,
                c.count if c.count is not None else c.shown,
            ]
            for c in data.event_counts
        ),
        [28, 28, 24, 16],
    )


def picture_xlsx_response(data: PictureData) -> HttpResponse:
    return xlsx_response(build_workbook(data), export_filename(data, "xlsx"))
