"""Decided versions of an action plan: the list and one version as it was decided."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from samverkan.actions.selectors import plan as plan_selectors
from samverkan.actions.selectors import versions as version_selectors
from samverkan.core import selectors as core_selectors
from samverkan.core.http import AuthenticatedRequest


@login_required
def plan_version_list(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    plan = plan_selectors.get_plan_for_user(request.user, collaboration, plan_id)
    return render(
        request,
        "actions/plan_version_list.html",
        {
            "collaboration": collaboration,
            "plan": plan,
            "versions": version_selectors.version_list(user=request.user, plan=plan),
        },
    )


@login_required
def plan_version_detail(
    request: AuthenticatedRequest, collaboration_id: int, plan_id: int, plan_version_id: int
) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    plan = plan_selectors.get_plan_for_user(request.user, collaboration, plan_id)
    version = version_selectors.get_version(user=request.user, plan=plan, pk=plan_version_id)
    return render(
        request,
        "actions/plan_version_detail.html",
        {
            "collaboration": collaboration,
            "plan": plan,
            "view": version_selectors.version_view(user=request.user, version=version),
        },
    )


PLAN = "samverkan/<int:collaboration_id>/atgardsplan/<int:plan_id>/"

urlpatterns: list[URLPattern] = [
    path(PLAN + "versioner/", plan_version_list, name="plan_version_list"),
    path(PLAN + "versioner/<int:plan_version_id>/", plan_version_detail, name="plan_version_detail"),
]
