"""Medborgarlöften (citizen promises) and their activities.

Each view: scoped fetch (selectors, the visibility rule) → form → service → redirect/render. Every member
reads; the samordnare writes (permissions.can_edit_agreements).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from samverkan.agreements import selectors, services
from samverkan.agreements.forms.promises import PromiseActivityForm, PromiseForm
from samverkan.agreements.models import CitizenPromise, PromiseActivity
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration


def _readable_agreement_ids(request: AuthenticatedRequest, collaboration: Collaboration) -> set[int]:
    """A promise names its agreements only to readers who may read them."""
    agreements = selectors.agreement_list(user=request.user, collaboration=collaboration)
    return set(agreements.values_list("pk", flat=True))


@login_required
def promise_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    promises = selectors.promises_for_display(user=request.user, collaboration=collaboration)
    return render(
        request,
        "agreements/promise_list.html",
        {
            "collaboration": collaboration,
            "promises": promises,
            "readable_agreements": _readable_agreement_ids(request, collaboration),
            "can_edit": permissions.can_edit_agreements(request.user, collaboration),
        },
    )


@login_required
def promise_detail(request: AuthenticatedRequest, collaboration_id: int, promise_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    promise = selectors.get_promise_for_user(request.user, collaboration, promise_id)
    activities = selectors.promise_activities(user=request.user, promise=promise)
    return render(
        request,
        "agreements/promise_detail.html",
        {
            "collaboration": collaboration,
            "promise": promise,
            "activities": activities,
            "readable_agreements": _readable_agreement_ids(request, collaboration),
            "can_edit": permissions.can_edit_agreements(request.user, collaboration),
        },
    )


@login_required
def promise_create(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_agreements
    )
    return _promise_form(request, collaboration, promise=None)


@login_required
def promise_edit(request: AuthenticatedRequest, collaboration_id: int, promise_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_agreements
    )
    promise = selectors.get_promise_for_user(request.user, collaboration, promise_id)
    return _promise_form(request, collaboration, promise=promise)


def _promise_form(
    request: AuthenticatedRequest, collaboration: Collaboration, promise: CitizenPromise | None
) -> HttpResponse:
    agreements = selectors.agreement_list(user=request.user, collaboration=collaboration).prefetch_related(
        None
    )
    form = PromiseForm.for_promise(promise, data=request.POST or None, agreements=agreements)
    context: dict[str, Any] = {
        "collaboration": collaboration,
        "form": form,
        "promise_id": promise.pk if promise else None,
    }
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.promise_save(
                collaboration=collaboration, promise=promise, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict))
            return render(request, "agreements/promise_form.html", context, status=409)
        else:
            messages.success(request, _("Medborgarlöftet är sparat."))
            return redirect(
                "agreements:promise_detail", collaboration_id=collaboration.pk, promise_id=saved.pk
            )
    return render(request, "agreements/promise_form.html", context)


# --- Activities ------------------------------------------------------------------------------------


@login_required
def promise_activity_create(
    request: AuthenticatedRequest, collaboration_id: int, promise_id: int
) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_agreements
    )
    promise = selectors.get_promise_for_user(request.user, collaboration, promise_id)
    return _activity_form(request, collaboration, promise, activity=None)


@login_required
def promise_activity_edit(
    request: AuthenticatedRequest, collaboration_id: int, promise_id: int, activity_id: int
) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_agreements
    )
    promise = selectors.get_promise_for_user(request.user, collaboration, promise_id)
    activity = selectors.get_promise_activity_for_user(request.user, promise, activity_id)
    if request.method == "POST" and "delete" in request.POST:
        services.promise_activity_delete(activity=activity, acting_user=request.user)
        messages.success(request, _("Aktiviteten är borttagen."))
        return redirect("agreements:promise_detail", collaboration_id=collaboration.pk, promise_id=promise.pk)
    return _activity_form(request, collaboration, promise, activity=activity)


def _activity_form(
    request: AuthenticatedRequest,
    collaboration: Collaboration,
    promise: CitizenPromise,
    activity: PromiseActivity | None,
) -> HttpResponse:
    organisations = core_selectors.organisation_list(user=request.user, collaboration=collaboration)
    form = PromiseActivityForm.for_activity(activity, data=request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.promise_activity_save(
                promise=promise, activity=activity, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Aktiviteten är sparad."))
            return redirect(
                "agreements:promise_detail", collaboration_id=collaboration.pk, promise_id=promise.pk
            )
    return render(
        request,
        "agreements/promise_activity_form.html",
        {"collaboration": collaboration, "promise": promise, "activity": activity, "form": form},
    )


PROMISES = "samverkan/<int:collaboration_id>/medborgarloften/"
PROMISE = PROMISES + "<int:promise_id>/"

urlpatterns: list[URLPattern] = [
    path(PROMISES, promise_list, name="promise_list"),
    path(PROMISES + "nytt/", promise_create, name="promise_create"),
    path(PROMISE, promise_detail, name="promise_detail"),
    path(PROMISE + "andra/", promise_edit, name="promise_edit"),
    path(PROMISE + "aktiviteter/ny/", promise_activity_create, name="promise_activity_create"),
    path(PROMISE + "aktiviteter/<int:activity_id>/", promise_activity_edit, name="promise_activity_edit"),
]
