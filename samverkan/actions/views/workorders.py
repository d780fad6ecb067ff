"""Work orders (step 5) and "Mina uppdrag".

The samordnare gives tasks to the collaboration's organisations; a writer acting for the organisation
marks its own done (permissions.can_complete_work_order). "Mina uppdrag" lists what the user's
organisation must do, in one collaboration or across all of the user's.
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
from django.views.decorators.http import require_POST

from samverkan.actions.forms.workorders import CompleteForm, WorkOrderForm
from samverkan.actions.models import WorkOrder
from samverkan.actions.selectors import actions as action_selectors
from samverkan.actions.selectors import workorders as workorder_selectors
from samverkan.actions.services import workorders as workorder_services
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration


@login_required
def workorder_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    orders = workorder_selectors.work_order_list(user=request.user, collaboration=collaboration)
    return render(
        request,
        "actions/workorder_list.html",
        {
            "collaboration": collaboration,
            "open_orders": [o for o in orders if o.status == WorkOrder.Status.OPPEN],
            "closed_orders": [o for o in orders if o.status != WorkOrder.Status.OPPEN],
            "today": timezone.localdate(),
            "can_edit": permissions.can_edit_action_plan(request.user, collaboration),
            "completable": {o.pk for o in orders if permissions.can_complete_work_order(request.user, o)},
        },
    )


@login_required
def workorder_detail(
    request: AuthenticatedRequest, collaboration_id: int, work_order_id: int
) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    order = workorder_selectors.get_work_order_for_user(request.user, collaboration, work_order_id)
    return render(
        request,
        "actions/workorder_detail.html",
        {
            "collaboration": collaboration,
            "order": order,
            "today": timezone.localdate(),
            "can_edit": permissions.can_edit_action_plan(request.user, collaboration),
            "can_complete": permissions.can_complete_work_order(request.user, order),
        },
    )


@login_required
def workorder_create(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_action_plan
    )
    return _workorder_form(request, collaboration, order=None)


@login_required
def workorder_edit(request: AuthenticatedRequest, collaboration_id: int, work_order_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_action_plan
    )
    order = workorder_selectors.get_work_order_for_user(request.user, collaboration, work_order_id)
    if request.method == "POST" and "delete" in request.POST:
        version = request.POST.get("version", "")
        try:
            workorder_services.work_order_delete(
                work_order=order,
                acting_user=request.user,
                version=int(version) if version.isdigit() else None,
            )
        except EditConflict:
            messages.error(
                request, _("Någon annan har ändrat uppdraget sedan du öppnade det. Inget togs bort.")
            )
            return redirect(
                "actions:workorder_edit", collaboration_id=collaboration.pk, work_order_id=order.pk
            )
        messages.success(request, _("Uppdraget är borttaget."))
        return redirect("actions:workorder_list", collaboration_id=collaboration.pk)
    return _workorder_form(request, collaboration, order=order)


def _workorder_form(
    request: AuthenticatedRequest, collaboration: Collaboration, order: WorkOrder | None
) -> HttpResponse:
    initial_action = request.GET.get("atgard") if order is None else None
    form = WorkOrderForm.for_work_order(
        order,
        data=request.POST or None,
        organisations=core_selectors.organisation_list(user=request.user, collaboration=collaboration),
        actions=action_selectors.plan_action_choices(user=request.user, collaboration=collaboration),
    )
    if initial_action and initial_action.isdigit():
        form.fields["action"].initial = int(initial_action)
    context: dict[str, Any] = {"collaboration": collaboration, "form": form, "order": order}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if order is not None and order.action_id and not getattr(order, "action_visible", True):
            data["action"] = order.action  # an action this editor may not read stays tied
        try:
            saved = workorder_services.work_order_save(
                collaboration=collaboration, work_order=order, acting_user=request.user, **data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict))
            return render(request, "actions/workorder_form.html", context, status=409)
        else:
            messages.success(request, _("Uppdraget är sparat."))
            return redirect(
                "actions:workorder_detail", collaboration_id=collaboration.pk, work_order_id=saved.pk
            )
    return render(request, "actions/workorder_form.html", context)


@require_POST
@login_required
def workorder_done(request: AuthenticatedRequest, collaboration_id: int, work_order_id: int) -> HttpResponse:
    """Mark done (or, with done=0, open again); back to where the button was."""
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    order = workorder_selectors.get_work_order_for_user(
        request.user, collaboration, work_order_id, shown=False
    )
    form = CompleteForm(request.POST)
    done = request.POST.get("done", "1") != "0"
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        workorder_services.work_order_complete(
            work_order=order, acting_user=request.user, version=version, done=done
        )
    except EditConflict:
        messages.error(
            request, _("Någon annan har ändrat uppdraget sedan du öppnade sidan. Se hur det ser ut nu.")
        )
    else:
        messages.success(
            request, _("Uppdraget är markerat som klart.") if done else _("Uppdraget är öppnat igen.")
        )
    back = request.POST.get("tillbaka")
    if back == "mina":
        return redirect("actions:mine_collaboration", collaboration_id=collaboration.pk)
    if back == "alla-mina":
        return redirect("actions:mine")
    if back == "lista":
        return redirect("actions:workorder_list", collaboration_id=collaboration.pk)
    return redirect("actions:workorder_detail", collaboration_id=collaboration.pk, work_order_id=order.pk)


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """Mina uppdrag across every collaboration the user acts in for an organisation."""
    tasks = workorder_selectors.my_tasks(user=request.user)
    return render(
        request,
        "actions/mine.html",
        {
            "tasks": tasks,
            "collaboration": None,
            "collaborations": workorder_selectors.my_collaborations(user=request.user),
            "completable": {
                t.work_order.pk
                for t in tasks
                if t.work_order is not None
                and permissions.can_complete_work_order(request.user, t.work_order)
            },
            "back": "alla-mina",
        },
    )


@login_required
def mine_collaboration(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    tasks = workorder_selectors.my_tasks(user=request.user, collaboration=collaboration)
    return render(
        request,
        "actions/mine_collaboration.html",
        {
            "tasks": tasks,
            "collaboration": collaboration,
            "organisation_id": permissions.member_organisation_id(request.user, collaboration.pk),
            "completable": {
                t.work_order.pk
                for t in tasks
                if t.work_order is not None
                and permissions.can_complete_work_order(request.user, t.work_order)
            },
            "back": "mina",
        },
    )


ORDERS = "samverkan/<int:collaboration_id>/uppdrag/"
ORDER = ORDERS + "<int:work_order_id>/"

urlpatterns: list[URLPattern] = [
    path("mina-uppdrag/", mine, name="mine"),
    path("samverkan/<int:collaboration_id>/mina-uppdrag/", mine_collaboration, name="mine_collaboration"),
    path(ORDERS, workorder_list, name="workorder_list"),
    path(ORDERS + "nytt/", workorder_create, name="workorder_create"),
    path(ORDER, workorder_detail, name="workorder_detail"),
    path(ORDER + "andra/", workorder_edit, name="workorder_edit"),
    path(ORDER + "klar/", workorder_done, name="workorder_done"),
]
