"""Action plan pages: the list, one plan (actions grouped by focus area), create/edit, decide.

Each view: scoped fetch (selectors, the visibility rule) → form → service → redirect/render. Every member
reads; the samordnare writes (permissions.can_edit_action_plan).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samverkan.actions.forms.plan import DecideForm, PlanForm
from samverkan.actions.models import ActionPlan, PlanVersion
from samverkan.actions.selectors import plan as plan_selectors
from samverkan.actions.selectors.cache import cached_shown
from samverkan.actions.services import plan as plan_services
from samverkan.agreements.models import Agreement
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.core.visibility import ShownRow


@login_required
def plan_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    plans = plan_selectors.plan_list(user=request.user, collaboration=collaboration)
    return render(
        request,
        "actions/plan_list.html",
        {
            "collaboration": collaboration,
            "plans": plans,
            "can_edit": permissions.can_edit_action_plan(request.user, collaboration),
        },
    )


@dataclass(frozen=True)
class PlanPageBody:
    """What the plan page shows beside the plan's own row, for a reader's standing
    (``selectors.plan.plan_page``), with its tables of actions rendered: 200 rows in five tables, the
    page's heaviest part, rendered once per collaboration revision, standing, language and time zone.
    Holds nothing of one user (no form, no CSRF token); the begränsad rows it shows are kept with it and
    logged on every view (``cached_shown``)."""

    html: SafeString  # render_to_string's; a SafeString stays one through the cache's pickle
    latest_version: PlanVersion | None
    agreement: Agreement | None


def _plan_page_body(
    request: AuthenticatedRequest, collaboration: Collaboration, plan: ActionPlan
) -> PlanPageBody:
    """The body, from the page cache (``selectors.cache``) or built; its begränsad rows logged on every
    view."""

    def build() -> tuple[PlanPageBody, list[ShownRow]]:
        page = plan_selectors.plan_page(user=request.user, plan=plan)
        html = render_to_string(
            "actions/_plan_body.html",
            {"collaboration": collaboration, "groups": page.groups, "action_count": page.action_count},
        )
        body = PlanPageBody(html=html, latest_version=page.latest_version, agreement=page.agreement)
        return body, page.restricted

    return cached_shown(
        "plan-page-body",  # a new name for a new shape (a shared cache may hold the old)
        request.user,
        plan.collaboration_id,
        (plan.pk, get_language(), timezone.get_current_timezone_name()),
        build,
        memo=True,
    )


@login_required
def plan_detail(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    plan = plan_selectors.get_plan_for_user(request.user, collaboration, plan_id)
    body = _plan_page_body(request, collaboration, plan)
    return render(
        request,
        "actions/plan_detail.html",
        {
            "collaboration": collaboration,
            "plan": plan,
            "page": body,
            "can_edit": permissions.can_edit_action_plan(request.user, collaboration),
        },
    )


@login_required
def plan_create(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_action_plan
    )
    return _plan_form(request, collaboration, plan=None)


@login_required
def plan_edit(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_action_plan
    )
    plan = plan_selectors.get_plan_for_user(request.user, collaboration, plan_id)
    return _plan_form(request, collaboration, plan=plan)


def _plan_form(
    request: AuthenticatedRequest, collaboration: Collaboration, plan: ActionPlan | None
) -> HttpResponse:
    agreements = plan_selectors.readable_agreements(user=request.user, collaboration=collaboration)
    form = PlanForm.for_plan(plan, data=request.POST or None, agreements=agreements)
    context: dict[str, Any] = {"collaboration": collaboration, "form": form, "plan": plan}
    if request.method == "POST" and form.is_valid():
        try:
            saved = plan_services.plan_save(
                collaboration=collaboration, plan=plan, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict))
            return render(request, "actions/plan_form.html", context, status=409)
        else:
            messages.success(request, _("Åtgärdsplanen är sparad."))
            return redirect("actions:plan_detail", collaboration_id=collaboration.pk, plan_id=saved.pk)
    return render(request, "actions/plan_form.html", context)


@login_required
def plan_decide(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_action_plan
    )
    plan = plan_selectors.get_plan_for_user(request.user, collaboration, plan_id)
    form = DecideForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            version = plan_services.plan_decide(plan=plan, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Åtgärdsplanen är fastställd som version %(number)s.") % {"number": version.number}
            )
            return redirect(
                "actions:plan_version_detail",
                collaboration_id=collaboration.pk,
                plan_id=plan.pk,
                plan_version_id=version.pk,
            )
    return render(
        request,
        "actions/plan_decide.html",
        {
            "collaboration": collaboration,
            "plan": plan,
            "form": form,
            "groups": plan_selectors.plan_overview(user=request.user, plan=plan),
        },
    )


PLANS = "samverkan/<int:collaboration_id>/atgardsplan/"
PLAN = PLANS + "<int:plan_id>/"

urlpatterns: list[URLPattern] = [
    path(PLANS, plan_list, name="plan_list"),
    path(PLANS + "ny/", plan_create, name="plan_create"),
    path(PLAN, plan_detail, name="plan_detail"),
    path(PLAN + "andra/", plan_edit, name="plan_edit"),
    path(PLAN + "faststall/", plan_decide, name="plan_decide"),
]
