"""The public version beside the full minutes, for a second person to approve; then publishing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from samverkan.core import permissions
from samverkan.core.http import AuthenticatedRequest
from samverkan.meetings import documents
from samverkan.meetings.models import Meeting, Minutes
from samverkan.meetings.selectors.minutes import minutes_document, public_document
from samverkan.meetings.services import publishing as publishing_services
from samverkan.meetings.views.minutes import MEETING, _meeting


def _context(request: AuthenticatedRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    full = minutes_document(request.user, meeting)
    minutes = full.minutes
    justerat = minutes.status == Minutes.Status.JUSTERAT
    approved = minutes.public_approved_at is not None
    # Published, then amended: the approval was withdrawn; the portal shows the version as published.
    to_approve_again = minutes.published_at is not None and not approved
    guard_error = ""
    if justerat and (not approved or publishing_services.needs_publishing(minutes)):
        try:
            publishing_services.guard_public_version(meeting)
        except ValidationError as error:
            guard_error = " ".join(error.messages)
    return {
        "collaboration": meeting.collaboration,
        "meeting": meeting,
        "full": full,
        "public": public_document(meeting, pending=True),
        "minutes": minutes,
        "guard_error": guard_error,
        "to_approve_again": to_approve_again,
        "can_approve": justerat
        and not approved
        and permissions.can_approve_public_minutes(request.user, meeting)
        and not publishing_services.wrote_amendment(request.user, minutes),
        "can_publish": justerat
        and publishing_services.needs_publishing(minutes)
        and permissions.can_manage_meetings(request.user, meeting.collaboration),
        **extra,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def publishing(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    if request.method != "POST":
        return render(request, "meetings/publishing.html", _context(request, meeting))
    if not (
        permissions.can_approve_public_minutes(request.user, meeting)
        or permissions.can_manage_meetings(request.user, meeting.collaboration)
        or permissions.can_write_minutes(request.user, meeting)
    ):
        raise PermissionDenied
    action = request.POST.get("action", "")
    try:
        if action == "approve":
            publishing_services.approve_public_version(meeting=meeting, acting_user=request.user)
            messages.success(
                request, _("Du har godkänt den offentliga versionen. Samordnaren kan nu publicera den.")
            )
        elif action == "publish":
            publishing_services.publish(meeting=meeting, acting_user=request.user)
            messages.success(request, _("Protokollet är publicerat på de offentliga sidorna."))
        else:
            raise ValidationError(_("Okänd åtgärd."))
    except PermissionDenied as refused:
        message = str(refused) if refused.args else _("Du får inte göra det här.")
        return render(
            request, "meetings/publishing.html", _context(request, meeting, error=message), status=403
        )
    except ValidationError as error:
        context = _context(request, meeting, error=" ".join(error.messages))
        return render(request, "meetings/publishing.html", context, status=422)
    return redirect("meetings:publishing", collaboration_id=meeting.collaboration_id, meeting_id=meeting.pk)


@login_required
@require_safe
def public_pdf(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    """The public version as PDF/A, for reading before it is published."""
    meeting = _meeting(request, collaboration_id, meeting_id)
    return documents.minutes_pdf_response(request, public_document(meeting, pending=True))


urlpatterns: list[URLPattern] = [
    path(MEETING + "publicering/", publishing, name="publishing"),
    path(MEETING + "publicering/pdf/", public_pdf, name="publishing_pdf"),
]
