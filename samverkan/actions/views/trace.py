"""The traceability page of an action plan (per focus area or whole), its print page, PDF/A and öppen version.

All render ``selectors.trace.trace_document``: what one reader may see, or (öppen) what may be published.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.text import slugify

from samverkan.actions.models import ActionPlan
from samverkan.actions.selectors import followup as followup_selectors
from samverkan.actions.selectors.trace import TraceDocument, trace_document
from samverkan.core import selectors as core_selectors
from samverkan.core.exports.pdf import pdf_response
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.core.selectors import parse_id


def _focus_area_id(request: AuthenticatedRequest) -> int | None:
    raw = request.GET.get("fokusomrade")
    if raw in (None, ""):
        return None
    number = parse_id(raw)
    if number is None:
        raise Http404
    return number


def _fetch(
    request: AuthenticatedRequest, collaboration_id: int, plan_id: int
) -> tuple[Collaboration, ActionPlan]:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    return collaboration, followup_selectors.get_plan(request.user, collaboration, plan_id)


def _context(collaboration: Collaboration, document: TraceDocument, **extra: Any) -> dict[str, Any]:
    return {"collaboration": collaboration, "document": document, "plan": document.plan, **extra}


@login_required
def trace_page(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    collaboration, plan = _fetch(request, collaboration_id, plan_id)
    focus_area_id = _focus_area_id(request)
    document = trace_document(plan, user=request.user, focus_area_id=focus_area_id)
    # The focus areas to narrow to: those the whole plan's document shows this reader.
    whole = document if focus_area_id is None else trace_document(plan, user=request.user)
    focus_areas = [s.focus_area for s in whole.sections if s.focus_area is not None]
    return render(request, "actions/trace.html", _context(collaboration, document, focus_areas=focus_areas))


@login_required
def trace_print(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    collaboration, plan = _fetch(request, collaboration_id, plan_id)
    document = trace_document(plan, user=request.user, focus_area_id=_focus_area_id(request))
    return render(request, "actions/trace_print.html", _context(collaboration, document, printing=True))


@login_required
def trace_public(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    """What the portal may publish of this plan (öppen rows only), or why nothing."""
    collaboration, plan = _fetch(request, collaboration_id, plan_id)
    try:
        document: TraceDocument | None = trace_document(plan, public=True)
    except Http404:
        document = None
    return render(
        request,
        "actions/trace_public.html",
        {"collaboration": collaboration, "plan": plan, "document": document},
    )


@login_required
def trace_pdf(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    """PDF/A-3b of the document; ``?offentlig=1``: the öppen version."""
    collaboration, plan = _fetch(request, collaboration_id, plan_id)
    public = request.GET.get("offentlig") == "1"
    if public:
        document = trace_document(plan, public=True)
    else:
        document = trace_document(plan, user=request.user, focus_area_id=_focus_area_id(request))
    slug = slugify(plan.title)[:80].strip("-") or "atgardsplan"
    suffix = "-offentlig" if public else ""
    return pdf_response(
        request,
        template="actions/trace_pdf.html",
        context=_context(collaboration, document, printing=True),
        filename=f"sparbarhet-{slug}-{plan.start_date:%Y}-{plan.end_date:%Y}{suffix}.pdf",
        unavailable_template="actions/trace_pdf_unavailable.html",
    )


TRACE = "samverkan/<int:collaboration_id>/atgardsplan/<int:plan_id>/sparbarhet/"

urlpatterns: list[URLPattern] = [
    path(TRACE, trace_page, name="trace"),
    path(TRACE + "utskrift/", trace_print, name="trace_print"),
    path(TRACE + "offentlig/", trace_public, name="trace_public"),
    path(TRACE + "pdf/", trace_pdf, name="trace_pdf"),
]
