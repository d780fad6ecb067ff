"""The agenda page: the points the reader may read; the secretary drafts (and refreshes) the agenda from
the cycle, adds, edits, moves and removes points; the meeting pack per reader."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.after_response import after_response
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.meetings import pack
from samverkan.meetings.forms.agenda import AgendaItemForm, DeleteForm
from samverkan.meetings.models import AgendaItem, Meeting
from samverkan.meetings.selectors import agenda as agenda_selectors
from samverkan.meetings.selectors.meetings import get_meeting, visible_items
from samverkan.meetings.services import agenda as agenda_services


def _meeting(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> Meeting:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    return get_meeting(request.user, collaboration, meeting_id, shown=True)


def _writable(request: AuthenticatedRequest, meeting: Meeting) -> None:
    if not permissions.can_write_minutes(request.user, meeting):
        raise PermissionDenied


def _back(meeting: Meeting, anchor: str = "") -> HttpResponse:
    url = redirect("meetings:agenda", collaboration_id=meeting.collaboration_id, meeting_id=meeting.pk).url
    return redirect(url + (f"#{anchor}" if anchor else ""))


@login_required
@require_safe
def agenda(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    can_edit = permissions.can_write_minutes(request.user, meeting)
    locked = agenda_services.minutes_locked(meeting)
    response = render(
        request,
        "meetings/agenda.html",
        {
            "collaboration": meeting.collaboration,
            "meeting": meeting,
            "items": visible_items(request.user, meeting),
            "can_edit": can_edit and not locked,
            "can_write": can_edit,
            "locked": locked,
            "starts": agenda_services.local(meeting.starts_at),
        },
    )
    if can_edit and not locked:
        # The draft this writer is likely to ask for next, made once the page is out.
        after_response(response, partial(agenda_services.prepare_drafts, request.user, meeting))
    return response


@login_required
@require_POST
def agenda_draft(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    _writable(request, meeting)
    try:
        result = agenda_services.draft_agenda(meeting, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(meeting)
    messages.success(
        request,
        _(
            "Dagordningen är uppdaterad: %(created)s nya punkter, %(refreshed)s uppdaterade, "
            "%(carried)s överförda från förra mötet."
        )
        % {"created": result.created, "refreshed": result.refreshed, "carried": result.carried},
    )
    return _back(meeting)


@login_required
def agenda_item_create(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    _writable(request, meeting)
    form = AgendaItemForm.for_item(None, data=request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = agenda_services.agenda_item_create(
                    meeting=meeting,
                    title=data["title"],
                    kind=data["kind"],
                    prepared_text=data["prepared_text"],
                    level=data["level"],
                    restricted_to=data["restricted_to"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Punkten är tillagd."))
                return _back(meeting, f"punkt-{item.pk}")
        status = 422
    return render(
        request,
        "meetings/agenda_item_form.html",
        {"collaboration": meeting.collaboration, "meeting": meeting, "form": form, "item": None},
        status=status,
    )


@login_required
def agenda_item_edit(
    request: AuthenticatedRequest, collaboration_id: int, meeting_id: int, item_id: int
) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    item = agenda_selectors.get_item(request.user, meeting, item_id)
    _writable(request, meeting)
    if request.method == "POST" and "delete" in request.POST:
        return _delete(request, meeting, item)
    form = AgendaItemForm.for_item(item, data=request.POST or None)
    context: dict[str, Any] = {"collaboration": meeting.collaboration, "meeting": meeting, "item": item}
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                agenda_services.agenda_item_update(
                    item=item,
                    acting_user=request.user,
                    version=data.get("version"),
                    title=data["title"],
                    prepared_text=data["prepared_text"],
                    level=data["level"],
                    restricted_to=data["restricted_to"],
                )
            except EditConflict as conflict:
                context.update(conflict_context(form, conflict))
                status = 409
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Punkten är sparad."))
                return _back(meeting, f"punkt-{item.pk}")
    context["form"] = form
    return render(request, "meetings/agenda_item_form.html", context, status=status)


def _delete(request: AuthenticatedRequest, meeting: Meeting, item: AgendaItem) -> HttpResponse:
    form = DeleteForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        agenda_services.agenda_item_delete(item=item, acting_user=request.user, version=version)
    except EditConflict:
        messages.error(request, _("Någon annan har ändrat punkten sedan du öppnade den. Inget togs bort."))
        return redirect(
            "meetings:agenda_item_edit",
            collaboration_id=meeting.collaboration_id,
            meeting_id=meeting.pk,
            item_id=item.pk,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(meeting)
    messages.success(request, _("Punkten är borttagen."))
    return _back(meeting)


@login_required
@require_POST
def agenda_item_move(
    request: AuthenticatedRequest, collaboration_id: int, meeting_id: int, item_id: int
) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    item = agenda_selectors.get_item(request.user, meeting, item_id, shown=False)
    _writable(request, meeting)
    try:
        agenda_services.agenda_item_move(
            item=item, up=request.POST.get("riktning") == "upp", acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(meeting, f"punkt-{item.pk}")


@login_required
@require_safe
def meeting_pack(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    """The meeting pack for the reader: only the points they may read."""
    meeting = _meeting(request, collaboration_id, meeting_id)
    return pack.pack_response(request, meeting)


MEETING = "samverkan/<int:collaboration_id>/moten/<int:meeting_id>/"
AGENDA = MEETING + "dagordning/"

urlpatterns: list[URLPattern] = [
    path(AGENDA, agenda, name="agenda"),
    path(AGENDA + "utkast/", agenda_draft, name="agenda_draft"),
    path(AGENDA + "ny/", agenda_item_create, name="agenda_item_create"),
    path(AGENDA + "<int:item_id>/", agenda_item_edit, name="agenda_item_edit"),
    path(AGENDA + "<int:item_id>/flytta/", agenda_item_move, name="agenda_item_move"),
    path(AGENDA + "motespaket.pdf", meeting_pack, name="meeting_pack"),
]
