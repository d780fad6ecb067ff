"""Meeting pages: the list per collaboration, one meeting, planning (the year, ad hoc, linked meetings),
editing, cancelling, inviting and the meeting's calendar file.

Every member reads the meetings their level allows; the samordnare plans (permissions.can_manage_meetings).
The agenda, meeting mode and minutes pages belong to their own view modules; the meeting page links to
them only when their URL names exist (``{% url ... as x %}`` renders nothing for a missing name).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samverkan.agreements.selectors.groups import group_ref
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.after_response import after_response
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.exports.ics import calendar_bytes, ics_response
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.meetings.forms.meetings import CancelForm, MeetingForm, PlanYearForm, apply_meeting_errors
from samverkan.meetings.models import Meeting
from samverkan.meetings.selectors import meetings as meeting_selectors
from samverkan.meetings.selectors import planning as planning_selectors
from samverkan.meetings.selectors.calendar import calendar_entry
from samverkan.meetings.services import agenda, planning
from samverkan.meetings.services.planning import STOCKHOLM


def _manager(request: AuthenticatedRequest, collaboration_id: int) -> Collaboration:
    return core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_manage_meetings
    )


@login_required
def meeting_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    groups = planning_selectors.plannable_groups(user=request.user, collaboration=collaboration)
    group = group_ref(user=request.user, collaboration=collaboration, pk=request.GET.get("grupp"))
    listing = planning_selectors.meeting_list(user=request.user, collaboration=collaboration, group=group)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "collaboration": collaboration,
            "groups": groups,
            "group": group,
            "listing": listing,
            "can_manage": permissions.can_manage_meetings(request.user, collaboration),
        },
    )


@login_required
def meeting_detail(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    meeting = meeting_selectors.get_meeting(request.user, collaboration, meeting_id, shown=True)
    can_manage = permissions.can_manage_meetings(request.user, collaboration)
    surrounding = planning.surrounding_groups(meeting.group, request.user) if can_manage else []
    can_write_minutes = permissions.can_write_minutes(request.user, meeting)
    response = render(
        request,
        "meetings/meeting_detail.html",
        {
            "collaboration": collaboration,
            "meeting": meeting,
            "starts": timezone.localtime(meeting.starts_at, STOCKHOLM),
            "ends": timezone.localtime(meeting.ends_at, STOCKHOLM),
            "linked": planning_selectors.readable_linked(request.user, meeting),
            "attendance": planning_selectors.meeting_attendance(meeting),
            "items": meeting_selectors.visible_items(request.user, meeting),
            "justerare": list(meeting.justerare.all()),
            "can_manage": can_manage,
            "can_write_minutes": can_write_minutes,
            "is_planned": meeting.status == Meeting.Status.PLANERAT,
            "surrounding": surrounding,
        },
    )
    if can_write_minutes:
        # The agenda's draft, which the writer usually goes on to make from here, made once the page is out
        # (``prepare_drafts`` leaves locked minutes and cancelled meetings alone).
        after_response(response, partial(agenda.prepare_drafts, request.user, meeting))
    return response


@login_required
@require_GET
def meeting_ics(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    meeting = meeting_selectors.get_meeting(request.user, collaboration, meeting_id, shown=True)
    method = "CANCEL" if meeting.status == Meeting.Status.INSTALLT else "PUBLISH"
    return ics_response(calendar_bytes([calendar_entry(meeting)], method=method), f"mote-{meeting.pk}.ics")


@login_required
def meeting_create(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = _manager(request, collaboration_id)
    groups = planning_selectors.plannable_groups(user=request.user, collaboration=collaboration)
    initial: dict[str, Any] = {}
    chosen = group_ref(user=request.user, collaboration=collaboration, pk=request.GET.get("grupp"))
    if chosen is not None:
        initial = {"group": chosen.pk, "place": chosen.place}
    form = MeetingForm(
        request.POST or None,
        groups=groups,
        people=planning_selectors.role_candidates(collaboration=collaboration),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            # The meeting and its linked ones together, or nothing.
            with transaction.atomic():
                meeting = planning.meeting_create(
                    collaboration=collaboration, acting_user=request.user, **form.service_kwargs()
                )
                linked = (
                    planning.linked_meetings_create(meeting=meeting, acting_user=request.user)
                    if form.cleaned_data.get("with_linked")
                    else []
                )
        except ValidationError as error:
            apply_meeting_errors(form, error)
        else:
            messages.success(request, _("Mötet är planerat."))
            if linked:
                messages.success(request, _("%(n)s kopplade möten skapades.") % {"n": len(linked)})
            return redirect(
                "meetings:meeting_detail", collaboration_id=collaboration.pk, meeting_id=meeting.pk
            )
    return render(
        request, "meetings/meeting_form.html", {"collaboration": collaboration, "form": form, "meeting": None}
    )


@login_required
def meeting_edit(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    collaboration = _manager(request, collaboration_id)
    meeting = meeting_selectors.get_meeting(request.user, collaboration, meeting_id)
    form = MeetingForm(
        request.POST or None,
        groups=None,
        people=planning_selectors.role_candidates(collaboration=collaboration),
        meeting=meeting,
    )
    context: dict[str, Any] = {"collaboration": collaboration, "form": form, "meeting": meeting}
    if request.method == "POST" and form.is_valid():
        try:
            planning.meeting_update(
                meeting=meeting,
                acting_user=request.user,
                version=form.cleaned_data.get("version"),
                **form.service_kwargs(),
            )
        except ValidationError as error:
            apply_meeting_errors(form, error)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict))
            return render(request, "meetings/meeting_form.html", context, status=409)
        else:
            messages.success(request, _("Mötet är ändrat."))
            return redirect(
                "meetings:meeting_detail", collaboration_id=collaboration.pk, meeting_id=meeting.pk
            )
    return render(request, "meetings/meeting_form.html", context)


@login_required
def meeting_cancel(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    collaboration = _manager(request, collaboration_id)
    meeting = meeting_selectors.get_meeting(request.user, collaboration, meeting_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        version = request.POST.get("version", "")
        try:
            planning.meeting_cancel(
                meeting=meeting,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
                version=int(version) if version.isdigit() else None,
            )
        except ValidationError as error:
            apply_meeting_errors(form, error)
        except EditConflict:
            messages.error(request, _("Någon annan har ändrat mötet sedan du öppnade det. Inget ändrades."))
            return redirect(
                "meetings:meeting_detail", collaboration_id=collaboration.pk, meeting_id=meeting.pk
            )
        else:
            messages.success(request, _("Mötet är inställt."))
            return redirect(
                "meetings:meeting_detail", collaboration_id=collaboration.pk, meeting_id=meeting.pk
            )
    return render(
        request,
        "meetings/meeting_cancel.html",
        {"collaboration": collaboration, "meeting": meeting, "form": form},
    )


@login_required
@require_POST
def meeting_invite(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    collaboration = _manager(request, collaboration_id)
    meeting = meeting_selectors.get_meeting(request.user, collaboration, meeting_id)
    try:
        planning.meeting_invite(meeting=meeting, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Kallelsen skickas till gruppens medlemmar."))
    return redirect("meetings:meeting_detail", collaboration_id=collaboration.pk, meeting_id=meeting.pk)


@login_required
@require_POST
def meeting_linked_create(
    request: AuthenticatedRequest, collaboration_id: int, meeting_id: int
) -> HttpResponse:
    collaboration = _manager(request, collaboration_id)
    meeting = meeting_selectors.get_meeting(request.user, collaboration, meeting_id)
    try:
        created = planning.linked_meetings_create(meeting=meeting, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if created:
            messages.success(request, _("%(n)s kopplade möten skapades.") % {"n": len(created)})
        else:
            messages.info(request, _("De kopplade mötena finns redan."))
    return redirect("meetings:meeting_detail", collaboration_id=collaboration.pk, meeting_id=meeting.pk)


@login_required
def meeting_plan(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    """ "Planera året": the group's meetings for a year from its rhythm, in the months that have none."""
    collaboration = _manager(request, collaboration_id)
    groups = planning_selectors.plannable_groups(user=request.user, collaboration=collaboration).filter(
        meetings_per_year__isnull=False
    )
    chosen = group_ref(user=request.user, collaboration=collaboration, pk=request.GET.get("grupp"))
    year = timezone.localdate().year + (1 if timezone.localdate().month >= 10 else 0)
    form = PlanYearForm(
        request.POST or None,
        groups=groups,
        people=planning_selectors.role_candidates(collaboration=collaboration),
        initial={"group": chosen.pk if chosen else None, "year": year, "start": dt.time(9, 0)},
    )
    preview = None
    if chosen is not None and chosen.meetings_per_year:
        free, taken = planning.planned_months(chosen, year)
        preview = {"group": chosen, "year": year, "free": free, "taken": taken}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = planning.plan_year(
                group=data["group"],
                year=data["year"],
                weekday=data["weekday"],
                week=data["week"],
                start_time=data["start"],
                duration=dt.timedelta(minutes=data["duration"]),
                place=data["place"],
                convener=data["convener"],
                with_linked=data["with_linked"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_meeting_errors(form, error)
        else:
            if created:
                messages.success(request, _("%(n)s möten är planerade.") % {"n": len(created)})
            else:
                messages.info(request, _("Alla årets möten finns redan; inget nytt planerades."))
            url = f"{_list_url(collaboration)}?grupp={data['group'].pk}"
            return redirect(url)
    return render(
        request,
        "meetings/meeting_plan.html",
        {"collaboration": collaboration, "form": form, "preview": preview},
    )


def _list_url(collaboration: Collaboration) -> str:
    from django.urls import reverse

    return reverse("meetings:meeting_list", kwargs={"collaboration_id": collaboration.pk})


MEETINGS = "samverkan/<int:collaboration_id>/moten/"
MEETING = MEETINGS + "<int:meeting_id>/"

urlpatterns: list[URLPattern] = [
    path(MEETINGS, meeting_list, name="meeting_list"),
    path(MEETINGS + "nytt/", meeting_create, name="meeting_create"),
    path(MEETINGS + "planera/", meeting_plan, name="meeting_plan"),
    path(MEETING, meeting_detail, name="meeting_detail"),
    path(MEETING + "andra/", meeting_edit, name="meeting_edit"),
    path(MEETING + "stall-in/", meeting_cancel, name="meeting_cancel"),
    path(MEETING + "kalla/", meeting_invite, name="meeting_invite"),
    path(MEETING + "kopplade/", meeting_linked_create, name="meeting_linked_create"),
    path(MEETING + "kalender.ics", meeting_ics, name="meeting_ics"),
]
