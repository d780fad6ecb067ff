"""The evaluation as PDF/A (for the record), DOCX (for the kommun's own editing) and XLSX (the numbers),
each rendered from one ``EvaluationDocument``: the full version at the reader's level or the öppen one,
never by masking a finished file."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.core.exports.pdf import pdf_response, render_pdf
from samverkan.core.exports.xlsx import add_sheet, workbook_bytes, xlsx_response
from samverkan.reports.selectors import EvaluationDocument

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def filename(document: EvaluationDocument, extension: str) -> str:
    slug = slugify(document.collaboration.name)[:60].strip("-") or "samverkan"
    suffix = "-offentlig" if document.public else ""
    return f"utvardering-{slug}-{document.evaluation.year}-v{document.version.number}{suffix}.{extension}"


def _withheld_line(count: int) -> str:
    return _("%(count)s rader innehåller uppgifter som inte ingår i den här versionen.") % {"count": count}


def _context(document: EvaluationDocument) -> dict[str, Any]:
    return {"document": document, "collaboration": document.collaboration, "printing": True}


def pdf_bytes(document: EvaluationDocument) -> bytes:
    return render_pdf(render_to_string("reports/evaluation_pdf.html", _context(document)))


def evaluation_pdf_response(request: HttpRequest, document: EvaluationDocument) -> HttpResponse:
    return pdf_response(
        request,
        template="reports/evaluation_pdf.html",
        context=_context(document),
        filename=filename(document, "pdf"),
        unavailable_template="reports/pdf_unavailable.html",
    )


def _cell(value: Any) -> str:
    return "–" if value in (None, "") else str(value)


def docx_bytes(document: EvaluationDocument) -> bytes:
    from docx import Document  # lazily: only this download needs it

    doc = Document()
    doc.core_properties.title = f"{document.title} – {document.collaboration.name}"
    doc.core_properties.language = "sv-SE"
    doc.add_heading(f"{document.title} – {document.collaboration.name}", level=0)
    doc.add_paragraph(_version_line(document))
    for section in document.sections:
        doc.add_heading(section.title, level=1)
        if section.withheld:
            doc.add_paragraph(_("Avsnittet innehåller uppgifter som inte ingår i den här versionen."))
        else:
            for paragraph in (section.text or "–").split("\n\n"):
                doc.add_paragraph(paragraph)
    doc.add_heading(_("Processkontroll"), level=1)
    for step in document.process:
        mark = _("Ja") if step.done else _("Nej")
        doc.add_paragraph(f"{step.label}: {mark}. {step.evidence}", style="List Bullet")
    for table in document.tables:
        doc.add_heading(str(table.spec.title), level=1)
        if not table.rows:
            doc.add_paragraph(_("Inget att redovisa för året."))
        else:
            body = [*table.rows, *([table.totals] if table.totals else [])]
            width = len(table.spec.columns)
            # The whole grid at once and its cells read once: python-docx's add_row().cells walks the
            # table's XML each time, which made a year's 200 actions take seconds.
            grid = doc.add_table(rows=len(body) + 1, cols=width)
            grid.style = "Table Grid"
            cells = grid._cells
            values = [str(title) for title in table.spec.columns] + [_cell(v) for row in body for v in row]
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
        if table.withheld:
            doc.add_paragraph(_withheld_line(table.withheld))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _version_line(document: EvaluationDocument) -> str:
    version = document.version
    text = _("Version %(number)s, %(status)s.") % {
        "number": version.number,
        "status": version.get_status_display(),
    }
    if document.public:
        text += " " + _("Offentlig version: bara öppna uppgifter.")
    if version.content_sha256:
        text += " " + _("Kontrollsumma (SHA-256): %(sha)s") % {"sha": version.content_sha256}
    return text


def evaluation_docx_response(document: EvaluationDocument) -> HttpResponse:
    response = HttpResponse(docx_bytes(document), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename(document, "docx")
    )
    return response


def xlsx_bytes(document: EvaluationDocument) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    add_sheet(
        workbook,
        _("Processkontroll"),
        [_("Steg"), _("Gjort"), _("Underlag")],
        [[s.label, _("Ja") if s.done else _("Nej"), s.evidence] for s in document.process],
        [50, 8, 60],
    )
    for table in document.tables:
        rows = [list(r) for r in table.rows]
        if table.totals:
            rows.append([_("Summa"), *table.totals[1:]])
        if table.withheld:
            rows.append([_withheld_line(table.withheld)])
        add_sheet(
            workbook,
            _sheet_title(str(table.spec.title)),
            [str(c) for c in table.spec.columns],
            rows,
            [24] * len(table.spec.columns),
        )
    return workbook_bytes(workbook)


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: none of \\ / * ? : [ ], at most 31 characters."""
    return "".join(" " if ch in "\\/*?:[]" else ch for ch in title)[:31].strip()


def evaluation_xlsx_response(document: EvaluationDocument) -> HttpResponse:
    return xlsx_response(xlsx_bytes(document), filename(document, "xlsx"))
