"""The joint picture as PDF/A-3b (WeasyPrint) and XLSX (openpyxl), rendered from the builder's PictureData.

Both render exactly what the builder gave for one reader, so confidentiality is decided once, upstream.
The PDF uses the agreements app's renderer (lazy WeasyPrint import, static-only URL fetcher); without
Pango it answers 503 with a Swedish message instead.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from samverkan.situation.selectors.picture import PictureData

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is a formula to Excel and LibreOffice (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
    from samverkan.agreements.exports import render_pdf

    context = {
        "data": data,
        "collaboration": data.collaboration,
        "round": data.round,
        "area_rows": [(area, None) for area in data.areas],
        "printing": True,
    }
    html = render_to_string("situation/picture_pdf.html", context, request=request)
    try:
        pdf = render_pdf(html)
    except (ImportError, OSError):
        logger.exception("PDF could not be made: WeasyPrint or Pango is missing")
        body = render_to_string("situation/picture_pdf_unavailable.html", context, request=request)
        return HttpResponse(body, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export_filename(data, "pdf")
    )
    return response


# --- XLSX ---------------------------------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """A value openpyxl can write and a spreadsheet will not run: text that starts like a formula gets a
    leading apostrophe; control characters go; aware datetimes become local, naive ones."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _sheet(workbook: Any, title: str, header: list[str], rows: Iterable[list[Any]], widths: list[int]) -> Any:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([safe_cell(v) for v in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and len(cell.value) > 40:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "B2"
    return sheet


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
    _sheet(
        workbook,
        _("Översikt"),
        [_("Område"), *data.organisations, _("Händelser")],
        ([area.title, *(_cell_text(c) for c in area.cells), area.event_count] for area in data.areas),
        [36, *([28] * len(data.organisations)), 12],
    )
    _sheet(
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
                area.title,
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
    _sheet(
        workbook,
        _("Fritexter"),
        [_("Område"), _("Organisation"), _("Fråga"), _("Svar"), _("Platser"), level],
        [
            *(
                [area.title, t.organisation, t.question, t.text, ", ".join(t.places), t.level_label]
                for area in data.areas
                for t in area.texts
            ),
            *(
                [area.title, n.organisation, n.question, n.number, "", n.level_label]
                for area in data.areas
                for n in area.numbers
            ),
        ],
        [30, 26, 40, 70, 30, 14],
    )
    titles = {a.area_code: a.title for a in data.areas if a.area_code}
    _sheet(
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
            level,
        ],
        (
            [
                e.occurred_at,
                titles.get(e.area_code, ""),
                e.category,
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
    columns = data.series_columns
    _sheet(
        workbook,
        _("Händelser per månad"),
        [_("Månad"), *(title for _code, title in columns), _("Totalt")],
        ([month, *counts, total] for month, counts, total in data.series_rows),
        [12, *([18] * len(columns)), 10],
    )
    _sheet(
        workbook,
        _("Sammanfattningar"),
        [_("Område"), _("Sammanfattning"), level],
        ([area.title, area.summary.text, area.summary.level_label] for area in data.areas if area.summary),
        [36, 90, 14],
    )
    if data.completeness:
        _sheet(
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def picture_xlsx_response(data: PictureData) -> HttpResponse:
    response = HttpResponse(build_workbook(data), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export_filename(data, "xlsx")
    )
    return response
