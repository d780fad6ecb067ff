"""Rounds and the schedule.

Each view: scoped fetch (selectors; 404 for outsiders, 403 for a too-weak role) → form → service →
redirect/render. Every member reads rounds; the samordnare runs rounds and the schedule.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import permissions
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration, Role
from samverkan.situation.forms.rounds import (
    DeadlineForm,
    RoundCreateForm,
    ScheduleForm,
)
from samverkan.situation.models import Round
from samverkan.situation.selectors import rounds as selectors
from samverkan.situation.services import rounds as services
from samverkan.situation.services import schedule as schedule_services
from samverkan.situation.views._rounds_common import (
    BASE,
    ROUND,
    collaboration_organisations,
    scoped_collaboration,
)

# --- Rounds -------------------------------------------------------------------------------------------


@login_required
def round_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = scoped_collaboration(request, collaboration_id)
    open_rows, past_page = selectors.round_rows(
        user=request.user, collaboration=collaboration, past_page=request.GET.get("sida")
    )
    return render(
        request,
        "situation/round_list.html",
        {
            "collaboration": collaboration,
            "open_rows": open_rows,
            "past_rows": past_page.object_list,
            "page": past_page,
            "can_manage": permissions.can_manage_rounds(request.user, collaboration),
            "can_report": permissions.can_report_situation(request.user, collaboration),
        },
    )


@login_required
def round_create(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = scoped_collaboration(request, collaboration_id, permissions.can_manage_rounds)
    form = RoundCreateForm(
        request.POST or None,
        templates=selectors.template_list(collaboration=collaboration),
        organisations=collaboration_organisations(collaboration),
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.round_create(
                collaboration=collaboration,
                template=form.cleaned_data["template"],
                period=form.cleaned_data["period"],
                period_start=form.cleaned_data["period_start"],
                deadline=form.cleaned_data["deadline"],
                organisations=list(form.cleaned_data["organisations"]),
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Omgången för %(period)s är öppnad.") % {"period": selectors.round_title(created)}
            )
            return redirect("situation:round_detail", collaboration_id=collaboration.pk, round_id=created.pk)
    return render(request, "situation/round_form.html", {"collaboration": collaboration, "form": form})


@login_required
def round_detail(request: AuthenticatedRequest, collaboration_id: int, round_id: int) -> HttpResponse:
    collaboration = scoped_collaboration(request, collaboration_id)
    round_ = selectors.get_round_for_user(request.user, collaboration, round_id)
    can_manage = permissions.can_manage_rounds(request.user, collaboration)
    states = selectors.round_completeness(round_)
    own = selectors.membership_for(request.user, collaboration)
    mine = [s for s in states if own and own.role != Role.LASARE and own.organisation_id == s.organisation.pk]
    return render(
        request,
        "situation/round_detail.html",
        {
            "collaboration": collaboration,
            "round": round_,
            "title": selectors.round_title(round_),
            "states": states if can_manage else [s for s in states if s.state == "inskickad"],
            "mine": mine,
            "can_manage": can_manage,
            "can_report": permissions.can_report_situation(request.user, collaboration),
            "deadline_form": DeadlineForm(initial={"deadline": timezone.localtime(round_.deadline).date()}),
            "not_submitted": sum(1 for s in states if s.state != "inskickad"),
        },
    )


def _round_action(
    request: AuthenticatedRequest, collaboration_id: int, round_id: int
) -> tuple[Collaboration, Round]:
    collaboration = scoped_collaboration(request, collaboration_id, permissions.can_manage_rounds)
    return collaboration, selectors.get_round_for_user(request.user, collaboration, round_id)


def _back_to_round(round_: Round) -> HttpResponse:
    return redirect("situation:round_detail", collaboration_id=round_.collaboration_id, round_id=round_.pk)


def _flash_errors(request: AuthenticatedRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
@login_required
def round_close(request: AuthenticatedRequest, collaboration_id: int, round_id: int) -> HttpResponse:
    _collab, round_ = _round_action(request, collaboration_id, round_id)
    try:
        services.round_close(round_=round_, acting_user=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Omgången är stängd. Utkast och inskickade rapporter finns kvar."))
    return _back_to_round(round_)


@require_POST
@login_required
def round_reopen(request: AuthenticatedRequest, collaboration_id: int, round_id: int) -> HttpResponse:
    _collab, round_ = _round_action(request, collaboration_id, round_id)
    form = DeadlineForm(request.POST)
    deadline = form.cleaned_data["deadline"] if form.is_valid() else None
    try:
        services.round_reopen(round_=round_, deadline=deadline, acting_user=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Omgången är öppen igen."))
    return _back_to_round(round_)


@require_POST
@login_required
def round_deadline(request: AuthenticatedRequest, collaboration_id: int, round_id: int) -> HttpResponse:
    _collab, round_ = _round_action(request, collaboration_id, round_id)
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange en giltig sista dag."))
        return _back_to_round(round_)
    try:
        services.round_update_deadline(
            round_=round_, deadline=form.cleaned_data["deadline"], acting_user=request.user
        )
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Sista dag är ändrad."))
    return _back_to_round(round_)


@require_POST
@login_required
def round_remind(request: AuthenticatedRequest, collaboration_id: int, round_id: int) -> HttpResponse:
    _collab, round_ = _round_action(request, collaboration_id, round_id)
    try:
        count = schedule_services.round_remind(round_=round_, acting_user=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(
            request,
            _("Påminnelse skickad till %(n)s personer.") % {"n": count}
            if count
            else _("Det finns ingen att påminna: alla har skickat in eller saknar e-postadress."),
        )
    return _back_to_round(round_)


# --- Schedule -----------------------------------------------------------------------------------------


@login_required
def schedule_edit(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = scoped_collaboration(request, collaboration_id, permissions.can_manage_rounds)
    schedule = selectors.schedule_of(collaboration)
    initial = {}
    if schedule is not None:
        initial = {
            "template": schedule.template_id,
            "period": schedule.period,
            "deadline_days": schedule.deadline_days,
            "remind_days_before": schedule.remind_days_before,
            "organisations": list(schedule.organisations.values_list("pk", flat=True)),
            "active": schedule.active,
        }
    form = ScheduleForm(
        request.POST or None,
        initial=initial,
        templates=selectors.template_list(collaboration=collaboration),
        organisations=collaboration_organisations(collaboration),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            schedule_services.schedule_save(
                collaboration=collaboration,
                acting_user=request.user,
                **{**data, "organisations": list(data["organisations"])},
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Schemat är sparat."))
            return redirect("situation:round_list", collaboration_id=collaboration.pk)
    return render(
        request,
        "situation/schedule_form.html",
        {"collaboration": collaboration, "form": form, "schedule": schedule},
    )


urlpatterns: list[URLPattern] = [
    path(BASE + "omgangar/", round_list, name="round_list"),
    path(BASE + "omgangar/ny/", round_create, name="round_create"),
    path(ROUND, round_detail, name="round_detail"),
    path(ROUND + "stang/", round_close, name="round_close"),
    path(ROUND + "oppna/", round_reopen, name="round_reopen"),
    path(ROUND + "sista-dag/", round_deadline, name="round_deadline"),
    path(ROUND + "paminn/", round_remind, name="round_remind"),
    path(BASE + "schema/", schedule_edit, name="schedule_edit"),
]
