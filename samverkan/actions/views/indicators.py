"""An action's indicators: add, change and remove (the samordnare). They are read on the action's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from samverkan.actions.forms.indicators import ActionIndicatorForm
from samverkan.actions.models import Action, ActionIndicator
from samverkan.actions.selectors import actions as action_selectors
from samverkan.actions.selectors import indicators as indicator_selectors
from samverkan.actions.services import indicators as indicator_services
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.core.selectors import parse_id


@login_required
def indicator_create(request: AuthenticatedRequest, collaboration_id: int, action_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_action_plan
    )
    action = action_selectors.get_action_for_user(request.user, collaboration, action_id)
    return _indicator_form(request, collaboration, action, row=None)


@login_required
def indicator_edit(
    request: AuthenticatedRequest, collaboration_id: int, action_id: int, indicator_row_id: int
) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_action_plan
    )
    action = action_selectors.get_action_for_user(request.user, collaboration, action_id)
    row = indicator_selectors.get_indicator_row_for_user(request.user, action, indicator_row_id)
    if request.method == "POST" and "delete" in request.POST:
        try:
            indicator_services.action_indicator_delete(
                row=row, acting_user=request.user, version=parse_id(request.POST.get("version"))
            )
        except EditConflict:
            messages.error(
                request, _("Någon annan har ändrat indikatorn sedan du öppnade den. Inget togs bort.")
            )
            return redirect(
                "actions:indicator_edit",
                collaboration_id=collaboration.pk,
                action_id=action.pk,
                indicator_row_id=row.pk,
            )
        messages.success(request, _("Indikatorn är borttagen."))
        return redirect("actions:action_detail", collaboration_id=collaboration.pk, action_id=action.pk)
    return _indicator_form(request, collaboration, action, row=row)


def _indicator_form(
    request: AuthenticatedRequest, collaboration: Collaboration, action: Action, row: ActionIndicator | None
) -> HttpResponse:
    form = ActionIndicatorForm.for_row(
        row,
        action=action,
        data=request.POST or None,
        indicators=indicator_selectors.indicator_choices(collaboration=collaboration),
        kommuner=collaboration.kommuner.order_by("namn"),
    )
    context: dict[str, Any] = {"collaboration": collaboration, "action": action, "row": row, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            indicator_services.action_indicator_save(
                action=action, row=row, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict))
            return render(request, "actions/action_indicator_form.html", context, status=409)
        else:
            messages.success(request, _("Indikatorn är sparad."))
            return redirect("actions:action_detail", collaboration_id=collaboration.pk, action_id=action.pk)
    return render(request, "actions/action_indicator_form.html", context)


ACTION = "samverkan/<int:collaboration_id>/atgarder/<int:action_id>/"

urlpatterns: list[URLPattern] = [
    path(ACTION + "indikatorer/ny/", indicator_create, name="indicator_create"),
    path(ACTION + "indikatorer/<int:indicator_row_id>/", indicator_edit, name="indicator_edit"),
]
