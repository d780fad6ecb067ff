"""The traceability page of an action plan (per focus area, or the whole plan a focus area per page), its
print page, PDF/A and öppen version.

All render ``selectors.trace.trace_document``: what one reader may see, or (öppen) what may be published.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import get_language

from samverkan.actions.models import ActionPlan
from samverkan.actions.selectors import followup as followup_selectors
from samverkan.actions.selectors.cache import cached_shown
from samverkan.actions.selectors.trace import (
    TraceDocument,
    member_trace_document,
    trace_document,
    trace_sections,
)
from samverkan.core import selectors as core_selectors
from samverkan.core.exports.pdf import pdf_response
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.core.selectors import parse_id
from samverkan.core.visibility import ShownRow


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


def _document_html(
    request: AuthenticatedRequest, plan: ActionPlan, *, focus_area_id: int | None, without_focus_area: bool
) -> SafeString:
    """The page's document, rendered once per collaboration revision, standing, section, language and time
    zone (``selectors.cache``): up to 200 actions with their ratings and indicators were most of the
    page's time. Holds nothing of one user; its begränsad rows are kept with it and logged on every view
    (``cached_shown``)."""

    def build() -> tuple[SafeString, list[ShownRow]]:
        document, shown = member_trace_document(
            plan, user=request.user, focus_area_id=focus_area_id, without_focus_area=without_focus_area
        )
        html = render_to_string("actions/trace_document.html", {"document": document, "plan": document.plan})
        return html, shown  # render_to_string's SafeString stays one through the cache's pickle

    return cached_shown(
        "trace-page-html",  # a new name for a new shape (a shared cache may hold the old)
        request.user,
        plan.collaboration_id,
        (plan.pk, focus_area_id, without_focus_area, get_language(), timezone.get_current_timezone_name()),
        build,
        memo=True,
    )


@login_required
def trace_page(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    """One focus area of the plan's document; the whole plan a focus area (section) per page. The print
    page and the PDF hold the whole plan."""
    collaboration, plan = _fetch(request, collaboration_id, plan_id)
    focus_area_id = _focus_area_id(request)
    # The focus areas to narrow to, and the whole plan's pages: the sections this reader's document has.
    sections = trace_sections(plan, user=request.user)
    page = None
    if focus_area_id is None and len(sections) > 1:
        page = Paginator(sections, 1).get_page(request.GET.get("sida"))
        section = page.object_list[0]
        document_html = _document_html(
            request,
            plan,
            focus_area_id=section.pk if section is not None else None,
            without_focus_area=section is None,
        )
    else:
        document_html = _document_html(request, plan, focus_area_id=focus_area_id, without_focus_area=False)
    return render(
        request,
        "actions/trace.html",
        {
            "collaboration": collaboration,
            "plan": plan,
            "document_html": document_html,
            "focus_areas": [s for s in sections if s is not None],
            "chosen": focus_area_id,
            "page": page,
            "pages": [(n, s) for n, s in enumerate(sections, start=1)] if page else [],
        },
    )


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
