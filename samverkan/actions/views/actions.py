"""Action pages: one action with its causes, indicators, work orders and SMART hints; create, edit, remove.

Every member reads what their role may; the samordnare writes (permissions.can_edit_action_plan).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.actions.forms.actions import ActionForm
from samverkan.actions.models import Action, ActionPlan
from samverkan.actions.selectors import actions as action_selectors
from samverkan.actions.selectors import indicators as indicator_selectors
from samverkan.actions.selectors import plan as plan_selectors
from samverkan.actions.services import actions as action_services
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration


@login_required
def action_detail(request: AuthenticatedRequest, collaboration_id: int, action_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    action = action_selectors.get_action_for_user(request.user, collaboration, action_id)
    readings = indicator_selectors.indicator_readings(action.shown_indicators, user=request.user)  # type: ignore[attr-defined]
    can_edit = permissions.can_edit_action_plan(request.user, collaboration)
    return render(
        request,
        "actions/action_detail.html",
        {
            "collaboration": collaboration,
            "action": action,
            "plan": action.plan,
            "readings": [readings[row.pk] for row in action.shown_indicators],  # type: ignore[attr-defined]
            "work_orders": action_selectors.action_work_orders(user=request.user, action=action),
            "hints": action_selectors.smart_hints(action) if can_edit else [],
            "today": timezone.localdate(),
            "can_edit": can_edit,
        },
    )


@login_required
def action_create(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_action_plan
    )
    plan = plan_selectors.get_plan_for_user(request.user, collaboration, plan_id)
    return _action_form(request, collaboration, plan, action=None)


@login_required
def action_edit(request: AuthenticatedRequest, collaboration_id: int, action_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_action_plan
    )
    action = action_selectors.get_action_for_user(request.user, collaboration, action_id)
    if request.method == "POST" and "delete" in request.POST:
        version = request.POST.get("version")
        try:
            action_services.action_delete(
                action=action,
                acting_user=request.user,
                version=int(version) if version and version.isdigit() else None,
            )
        except EditConflict:
            messages.error(
                request, _("Någon annan har ändrat åtgärden sedan du öppnade den. Inget togs bort.")
            )
            return redirect("actions:action_edit", collaboration_id=collaboration.pk, action_id=action.pk)
        messages.success(request, _("Åtgärden är borttagen."))
        return redirect("actions:plan_detail", collaboration_id=collaboration.pk, plan_id=action.plan_id)
    return _action_form(request, collaboration, action.plan, action=action)


def _action_form(
    request: AuthenticatedRequest, collaboration: Collaboration, plan: ActionPlan, action: Action | None
) -> HttpResponse:
    user = request.user
    form = ActionForm.for_action(
        action,
        data=request.POST or None,
        causes=action_selectors.cause_choices(user=user, collaboration=collaboration),
        problems=action_selectors.problem_choices(user=user, collaboration=collaboration),
        organisations=core_selectors.organisation_list(user=user, collaboration=collaboration),
        people=action_selectors.contact_choices(collaboration=collaboration),
        focus_areas=plan_selectors.readable_focus_areas(user=user, collaboration=collaboration),
    )
    context: dict[str, Any] = {
        "collaboration": collaboration,
        "plan": plan,
        "action": action,
        "form": form,
        "hints": action_selectors.smart_hints(action),
    }
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if action is not None:
            hidden_causes, hidden_problems = action_selectors.hidden_links(user=user, action=action)
            data["causes"] = [*data["causes"], *hidden_causes]
            data["problems"] = [*data["problems"], *hidden_problems]
            if (
                action.focus_area_id
                and not data["focus_area"]
                and not getattr(action, "focus_area_visible", True)
            ):
                data["focus_area"] = action.focus_area
        try:
            saved = action_services.action_save(plan=plan, action=action, acting_user=user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict))
            return render(request, "actions/action_form.html", context, status=409)
        else:
            messages.success(request, _("Åtgärden är sparad."))
            return redirect("actions:action_detail", collaboration_id=collaboration.pk, action_id=saved.pk)
    return render(request, "actions/action_form.html", context)


ACTION = "samverkan/<int:collaboration_id>/atgarder/<int:action_id>/"

urlpatterns: list[URLPattern] = [
    path(
        "samverkan/<int:collaboration_id>/atgardsplan/<int:plan_id>/atgarder/ny/",
        action_create,
        name="action_create",
    ),
    path(ACTION, action_detail, name="action_detail"),
    path(ACTION + "andra/", action_edit, name="action_edit"),
]
