"""Problems: the ranked list, entering and changing one, scoring it, and raising one from an agreed
joint picture or a statistics signal.

Each view: scoped fetch (selectors, the visibility rule) → form → service → redirect/render. Every member
reads; the samordnare writes (permissions.can_edit_analysis).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from samverkan.analysis import selectors, services
from samverkan.analysis.forms import ProblemForm, ScoreForm
from samverkan.analysis.models import Problem
from samverkan.analysis.models.problems import CRITERIA, FEASIBILITY_CRITERIA, SEVERITY_CRITERIA
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.core.selectors import parse_id

SORTS = {"rank", "title"}


@login_required
def problem_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    """The ranked list: every score visible, ties broken by severity."""
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    status = request.GET.get("status", "")
    if status not in Problem.Status.values:
        status = ""
    problems = selectors.problems_ranked(
        user=request.user, collaboration=collaboration, status=status or None
    )
    sort = request.GET.get("sortera", "rank")
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = "rank", False
    if key == "title":
        problems.sort(key=lambda p: p.title.casefold(), reverse=descending)
    elif descending:
        problems.reverse()
    return render(
        request,
        "analysis/problem_list.html",
        {
            "collaboration": collaboration,
            "problems": problems,
            "criteria": CRITERIA,
            "severity_count": len(SEVERITY_CRITERIA),
            "feasibility_count": len(FEASIBILITY_CRITERIA),
            "sort": key,
            "descending": descending,
            "status": status,
            "statuses": Problem.Status.choices,
            "can_edit": permissions.can_edit_analysis(request.user, collaboration),
        },
    )


@login_required
def problem_create(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_analysis
    )
    return _problem_form(request, collaboration, problem=None)


@login_required
def problem_edit(request: AuthenticatedRequest, collaboration_id: int, problem_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_analysis
    )
    problem = selectors.get_problem_for_user(request.user, collaboration, problem_id)
    if request.method == "POST" and "delete" in request.POST:
        try:
            services.problem_delete(
                problem=problem, acting_user=request.user, version=parse_id(request.POST.get("version"))
            )
        except EditConflict:
            messages.error(
                request, _("Någon annan har ändrat problemet sedan du öppnade det. Inget togs bort.")
            )
            return redirect("analysis:problem_edit", collaboration_id=collaboration.pk, problem_id=problem.pk)
        messages.success(request, _("Problemet är borttaget."))
        return redirect("analysis:problem_list", collaboration_id=collaboration.pk)
    return _problem_form(request, collaboration, problem=problem)


def _problem_form(
    request: AuthenticatedRequest, collaboration: Collaboration, problem: Problem | None
) -> HttpResponse:
    focus_areas = selectors.focus_area_choices(user=request.user, collaboration=collaboration)
    form = ProblemForm.for_problem(problem, data=request.POST or None, focus_areas=focus_areas)
    context: dict[str, Any] = {"collaboration": collaboration, "form": form, "problem": problem}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            saved = services.problem_save(
                collaboration=collaboration,
                problem=problem,
                acting_user=request.user,
                version=version,
                **data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict))
            return render(request, "analysis/problem_form.html", context, status=409)
        else:
            messages.success(request, _("Problemet är sparat."))
            return redirect("analysis:problem_detail", collaboration_id=collaboration.pk, problem_id=saved.pk)
    return render(request, "analysis/problem_form.html", context)


@login_required
def problem_score(request: AuthenticatedRequest, collaboration_id: int, problem_id: int) -> HttpResponse:
    """Brå's eight criteria, each 0–3, with who scored and when."""
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_analysis
    )
    problem = selectors.get_problem_for_user(request.user, collaboration, problem_id)
    form = ScoreForm.for_problem(problem, data=request.POST or None)
    context: dict[str, Any] = {
        "collaboration": collaboration,
        "problem": problem,
        "form": form,
        "severity_fields": [form[name] for name, _l, _h in SEVERITY_CRITERIA],
        "feasibility_fields": [form[name] for name, _l, _h in FEASIBILITY_CRITERIA],
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_score(
                problem=problem,
                acting_user=request.user,
                scores=form.scores(),
                scored_by=form.cleaned_data["scored_by"],
                scored_on=form.cleaned_data["scored_on"],
                version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict))
            return render(request, "analysis/problem_score.html", context, status=409)
        else:
            messages.success(request, _("Poängen är sparade."))
            return redirect("analysis:problem_list", collaboration_id=collaboration.pk)
    return render(request, "analysis/problem_score.html", context)


# --- Raising a problem from the agreed picture or a signal ------------------------------------------


@login_required
def problem_raise(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    """The agreed picture's parts and the current signals, each with a one-click "raise as a problem"."""
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    can_edit = permissions.can_edit_analysis(request.user, collaboration)
    errors: list[str] = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        try:
            return _raise(request, collaboration)
        except ValidationError as error:
            errors = error.messages
    candidates = selectors.raise_candidates(user=request.user, collaboration=collaboration)
    return render(
        request,
        "analysis/problem_raise.html",
        {
            "collaboration": collaboration,
            "candidates": candidates,
            "signals": [(services.signal_key(s), s) for s in candidates.signals],
            "can_edit": can_edit,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


def _raise(request: AuthenticatedRequest, collaboration: Collaboration) -> HttpResponse:
    """Raise from the part or signal the POST names (a ValidationError goes back to the page)."""
    if request.POST.get("picture_item"):
        item = selectors.get_picture_item_for_user(request.user, collaboration, request.POST["picture_item"])
        problem = services.problem_raise_from_item(
            collaboration=collaboration, item=item, acting_user=request.user
        )
    else:
        key = request.POST.get("signal", "")[:200]
        problem = services.problem_raise_from_signal(
            collaboration=collaboration, key=key, acting_user=request.user
        )
    messages.success(request, _("Problemet är lyft. Fyll i det och poängsätt det."))
    return redirect("analysis:problem_edit", collaboration_id=collaboration.pk, problem_id=problem.pk)


PROBLEMS = "samverkan/<int:collaboration_id>/problem/"
PROBLEM = PROBLEMS + "<int:problem_id>/"

urlpatterns: list[URLPattern] = [
    path(PROBLEMS, problem_list, name="problem_list"),
    path(PROBLEMS + "nytt/", problem_create, name="problem_create"),
    path(PROBLEMS + "lyft/", problem_raise, name="problem_raise"),
    path(PROBLEM + "andra/", problem_edit, name="problem_edit"),
    path(PROBLEM + "poang/", problem_score, name="problem_score"),
]
