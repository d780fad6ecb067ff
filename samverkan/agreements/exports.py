"""The agreement as PDF/A-3b, rendered from the same document partial as the pages (``core.exports.pdf``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify

from samverkan.agreements.selectors import AgreementDocument
from samverkan.core.exports.pdf import pdf_response


def pdf_filename(document: AgreementDocument) -> str:
    agreement = document.agreement
    suffix = "-offentlig" if document.public else ""
    slug = slugify(agreement.title)[:80].strip("-") or "overenskommelse"
    return f"samverkansoverenskommelse-{slug}-{agreement.start_date:%Y}-{agreement.end_date:%Y}{suffix}.pdf"


def agreement_pdf_response(request: HttpRequest, document: AgreementDocument) -> HttpResponse:
    return pdf_response(
        request,
        template="agreements/agreement_pdf.html",
        context={
            "document": document,
            "printing": True,
            "collaboration": document.agreement.collaboration,
        },
        filename=pdf_filename(document),
        unavailable_template="agreements/agreement_pdf_unavailable.html",
    )
