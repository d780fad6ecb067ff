"""Justering in the app: the secretary sends the draft to the named justerare; each approves the minutes
as shown (the SHA-256 of what they read is sent back and checked) or declines with comments per item."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.core import permissions
from samverkan.core.http import AuthenticatedRequest
from samverkan.meetings.forms.minutes import DeclineForm
from samverkan.meetings.models import JusteringResponse, Meeting, Minutes
from samverkan.meetings.selectors.minutes import minutes_document
from samverkan.meetings.services import justering as justering_services
from samverkan.meetings.services.minutes import content_sha256
from samverkan.meetings.views.minutes import MEETING, _meeting


def _context(request: AuthenticatedRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    document = minutes_document(request.user, meeting)
    minutes = document.minutes
    items = [entry.item for entry in document.entries if entry.item is not None]
    is_justerare = permissions.is_named_justerare(request.user, meeting)
    answered = JusteringResponse.objects.filter(
        minutes_id=minutes.pk, round=minutes.justering_round, justerare=request.user
    ).exists()
    return {
        "collaboration": meeting.collaboration,
        "meeting": meeting,
        "document": document,
        "minutes": minutes,
        "justerare": list(meeting.justerare.order_by("last_name", "first_name", "pk")),
        "responses": list(
            JusteringResponse.objects.filter(minutes_id=minutes.pk)
            .select_related("justerare")
            .order_by("round", "answered_at")
        ),
        "can_send": permissions.can_write_minutes(request.user, meeting)
        and minutes.status == Minutes.Status.UTKAST,
        "can_answer": is_justerare and minutes.status == Minutes.Status.FOR_JUSTERING and not answered,
        "content_sha256": content_sha256(meeting) if minutes.status == Minutes.Status.FOR_JUSTERING else "",
        "decline_form": DeclineForm(items=items),
        **extra,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def justering(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    if request.method != "POST":
        return render(request, "meetings/justering.html", _context(request, meeting))
    if not (
        permissions.can_write_minutes(request.user, meeting)
        or permissions.is_named_justerare(request.user, meeting)
    ):
        raise PermissionDenied
    action = request.POST.get("action", "")
    seen = request.POST.get("content_sha256") or None
    decline_form = None
    try:
        if action == "send":
            justering_services.send_for_justering(meeting=meeting, acting_user=request.user)
            messages.success(request, _("Protokollet är skickat för justering och låst för ändringar."))
        elif action == "approve":
            minutes = justering_services.approve(meeting=meeting, acting_user=request.user, seen_sha256=seen)
            if minutes.status == Minutes.Status.JUSTERAT:
                messages.success(
                    request,
                    _("Du har godkänt protokollet. Alla justerare har godkänt: protokollet är justerat."),
                )
            else:
                messages.success(request, _("Du har godkänt protokollet."))
        elif action == "decline":
            items = [e.item for e in minutes_document(request.user, meeting).entries if e.item is not None]
            decline_form = DeclineForm(request.POST, items=items)
            if not decline_form.is_valid():
                raise ValidationError(_("Kontrollera kommentarerna."))
            justering_services.decline(
                meeting=meeting,
                acting_user=request.user,
                comment=decline_form.cleaned_data["comment"],
                item_comments=decline_form.item_comments(),
                seen_sha256=seen,
            )
            messages.success(request, _("Protokollet går tillbaka till sekreteraren med dina kommentarer."))
        else:
            raise ValidationError(_("Okänd åtgärd."))
    except PermissionDenied as refused:
        message = str(refused) if refused.args else _("Du får inte göra det här.")
        context = _context(request, meeting, error=message)
        return render(request, "meetings/justering.html", context, status=403)
    except ValidationError as error:
        context = _context(request, meeting, error=" ".join(error.messages))
        if decline_form is not None:
            context["decline_form"] = decline_form
        return render(request, "meetings/justering.html", context, status=422)
    return redirect("meetings:justering", collaboration_id=meeting.collaboration_id, meeting_id=meeting.pk)


urlpatterns: list[URLPattern] = [
    path(MEETING + "justering/", justering, name="justering"),
]
