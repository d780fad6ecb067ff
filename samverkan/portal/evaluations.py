"""Yearly evaluations on the public pages: the list per collaboration and each released public version
as a page, PDF/A, DOCX and XLSX. Built only from the stored snapshot's öppen rows and sections
(``reports.selectors.evaluation_document(..., public=True)``); cached and answered with ETags like the
minutes, keyed by the collaboration's publication revision (the release raises it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from samverkan.core.publication import public_revision
from samverkan.portal import selectors
from samverkan.portal.cache import public_page
from samverkan.reports import exports
from samverkan.reports import selectors as report_selectors


def _one_collaboration(*, collaboration_id: int, **kwargs: Any) -> int:
    return public_revision(collaboration_id)


def _document(collaboration_id: int, year: int) -> report_selectors.EvaluationDocument:
    collaboration = selectors.get_active_collaboration(collaboration_id)
    version = report_selectors.get_public_evaluation(collaboration.pk, year)
    return report_selectors.evaluation_document(version, public=True)


@require_safe
@public_page(_one_collaboration)
def evaluation_list(request: HttpRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_active_collaboration(collaboration_id)
    context = {
        "collaboration": collaboration,
        "evaluations": report_selectors.public_evaluations([collaboration.pk]),
    }
    return render(request, "portal/evaluations/list.html", context)


@require_safe
@public_page(_one_collaboration)
def evaluation_detail(request: HttpRequest, collaboration_id: int, year: int) -> HttpResponse:
    document = _document(collaboration_id, year)
    return render(
        request,
        "portal/evaluations/detail.html",
        {"collaboration": document.collaboration, "document": document},
    )


@require_safe
@public_page(_one_collaboration)
def evaluation_pdf(request: HttpRequest, collaboration_id: int, year: int) -> HttpResponse:
    return exports.evaluation_pdf_response(request, _document(collaboration_id, year))


@require_safe
@public_page(_one_collaboration)
def evaluation_docx(request: HttpRequest, collaboration_id: int, year: int) -> HttpResponse:
    return exports.evaluation_docx_response(_document(collaboration_id, year))


@require_safe
@public_page(_one_collaboration)
def evaluation_xlsx(request: HttpRequest, collaboration_id: int, year: int) -> HttpResponse:
    return exports.evaluation_xlsx_response(_document(collaboration_id, year))
