"""The cause analysis page of a problem: the triangle, the fishbone and the cause tree, drawn and as
lists, with causes added under causes in place (htmx; without JavaScript the same forms post and
redirect), and the evidence that supports the problem and its causes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from samverkan.analysis import diagrams, selectors, services
from samverkan.analysis.forms import CauseForm, EvidenceForm, TriangleForm
from samverkan.analysis.models import Cause, Problem
from samverkan.analysis.models.problems import CRITERIA
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.core.selectors import parse_id

BONES = Cause.Bone.choices


def _page_context(
    request: AuthenticatedRequest, collaboration: Collaboration, problem: Problem
) -> dict[str, Any]:
    """Everything the analysis page draws, read once through the selectors and passed along."""
    page = selectors.analysis_page(user=request.user, problem=problem)
    analysis, roots = page.analysis, page.roots
    can_edit = permissions.can_edit_analysis(request.user, collaboration)
    bones = [(str(code), str(label)) for code, label in BONES]
    by_bone = [(code, label, [root for root in roots if root.cause.bone == code]) for code, label in bones]
    return {
        "collaboration": collaboration,
        "problem": problem,
        "analysis": analysis,
        "roots": roots,
        "by_bone": by_bone,
        "evidence": page.evidence,
        "scores": [(label, getattr(problem, name)) for name, label, _h in CRITERIA],
        "triangle_svg": diagrams.triangle_svg(analysis) if analysis is not None else None,
        "fishbone_svg": diagrams.fishbone_svg(problem.title, roots, bones),
        "tree_svg": diagrams.tree_svg(problem.title, roots),
        "can_edit": can_edit,
        "cause_form": _cause_form(request, problem, data=None, causes=page.causes) if can_edit else None,
    }


def _cause_form(
    request: AuthenticatedRequest,
    problem: Problem,
    *,
    data: Any,
    cause: Cause | None = None,
    causes: list[Cause] | None = None,
) -> CauseForm:
    """The cause form; ``causes``: the problem's readable causes when the page has read them already."""
    parents = selectors.parent_choices(user=request.user, problem=problem, exclude=cause, causes=causes)
    queryset = selectors.cause_queryset(request.user, problem).filter(pk__in=[c.pk for c in parents])
    return CauseForm.for_cause(cause, data=data, parents=queryset, level=problem.level, parent_rows=parents)


@login_required
def problem_detail(request: AuthenticatedRequest, collaboration_id: int, problem_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    problem = selectors.get_problem_for_user(request.user, collaboration, problem_id)
    return render(request, "analysis/problem_detail.html", _page_context(request, collaboration, problem))


@login_required
def triangle_edit(request: AuthenticatedRequest, collaboration_id: int, problem_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_analysis
    )
    problem = selectors.get_problem_for_user(request.user, collaboration, problem_id)
    analysis = selectors.problem_analysis(user=request.user, problem=problem)
    form = TriangleForm.for_analysis(analysis, data=request.POST or None, level=problem.level)
    context: dict[str, Any] = {"collaboration": collaboration, "problem": problem, "form": form}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.analysis_save(problem=problem, acting_user=request.user, version=version, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict))
            return render(request, "analysis/triangle_form.html", context, status=409)
        else:
            messages.success(request, _("Orsaksanalysen är sparad."))
            return redirect(
                "analysis:problem_detail", collaboration_id=collaboration.pk, problem_id=problem.pk
            )
    return render(request, "analysis/triangle_form.html", context)


@login_required
def cause_create(request: AuthenticatedRequest, collaboration_id: int, problem_id: int) -> HttpResponse:
    """Add a cause (under another, when the form names one). From htmx the tree is redrawn in place."""
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_analysis
    )
    problem = selectors.get_problem_for_user(request.user, collaboration, problem_id)
    form = _cause_form(request, problem, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            services.cause_save(problem=problem, acting_user=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if request.htmx:
                context = _page_context(request, collaboration, problem)
                return render(request, "analysis/_analysis_drawings.html", context)
            messages.success(request, _("Orsaken är tillagd."))
            return redirect(
                "analysis:problem_detail", collaboration_id=collaboration.pk, problem_id=problem.pk
            )
    status = 422 if request.method == "POST" else 200
    if request.htmx and request.method == "POST":
        context = _page_context(request, collaboration, problem)
        context["cause_form"] = form
        return render(request, "analysis/_analysis_drawings.html", context, status=status)
    return render(
        request,
        "analysis/cause_form.html",
        {"collaboration": collaboration, "problem": problem, "form": form, "cause": None},
        status=status,
    )


@login_required
def cause_edit(
    request: AuthenticatedRequest, collaboration_id: int, problem_id: int, cause_id: int
) -> HttpResponse:
    """Change a cause's text or bone, move it under another cause, or remove it with the causes below."""
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_analysis
    )
    problem = selectors.get_problem_for_user(request.user, collaboration, problem_id)
    cause = selectors.get_cause_for_user(request.user, problem, cause_id)
    if request.method == "POST" and "delete" in request.POST:
        try:
            services.cause_delete(
                cause=cause, acting_user=request.user, version=parse_id(request.POST.get("version"))
            )
        except EditConflict:
            messages.error(
                request, _("Någon annan har ändrat orsaken sedan du öppnade den. Inget togs bort.")
            )
            return redirect(
                "analysis:cause_edit",
                collaboration_id=collaboration.pk,
                problem_id=problem.pk,
                cause_id=cause.pk,
            )
        messages.success(request, _("Orsaken och orsakerna under den är borttagna."))
        return redirect("analysis:problem_detail", collaboration_id=collaboration.pk, problem_id=problem.pk)
    form = _cause_form(request, problem, data=request.POST or None, cause=cause)
    context: dict[str, Any] = {
        "collaboration": collaboration,
        "problem": problem,
        "form": form,
        "cause": cause,
    }
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.cause_save(
                problem=problem, cause=cause, acting_user=request.user, version=version, **data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict))
            return render(request, "analysis/cause_form.html", context, status=409)
        else:
            messages.success(request, _("Orsaken är sparad."))
            return redirect(
                "analysis:problem_detail", collaboration_id=collaboration.pk, problem_id=problem.pk
            )
    status = 422 if request.method == "POST" else 200
    return render(request, "analysis/cause_form.html", context, status=status)


@login_required
def evidence_create(request: AuthenticatedRequest, collaboration_id: int, problem_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_analysis
    )
    problem = selectors.get_problem_for_user(request.user, collaboration, problem_id)
    form = EvidenceForm(
        data=request.POST or None,
        causes=selectors.cause_queryset(request.user, problem),
        level=problem.level,
        indicators=selectors.indicator_choices(collaboration=collaboration),
        kommuner=collaboration.kommuner.order_by("namn"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_add(problem=problem, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Underlaget är tillagt."))
            return redirect(
                "analysis:problem_detail", collaboration_id=collaboration.pk, problem_id=problem.pk
            )
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "analysis/evidence_form.html",
        {"collaboration": collaboration, "problem": problem, "form": form},
        status=status,
    )


PROBLEM = "samverkan/<int:collaboration_id>/problem/<int:problem_id>/"

urlpatterns: list[URLPattern] = [
    path(PROBLEM, problem_detail, name="problem_detail"),
    path(PROBLEM + "triangel/", triangle_edit, name="triangle_edit"),
    path(PROBLEM + "orsaker/ny/", cause_create, name="cause_create"),
    path(PROBLEM + "orsaker/<int:cause_id>/", cause_edit, name="cause_edit"),
    path(PROBLEM + "underlag/nytt/", evidence_create, name="evidence_create"),
]
