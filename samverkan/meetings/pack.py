"""The meeting pack: the agenda with each point's background, as one PDF per reader, built for that
reader's level (only the points they may read; the others are not mentioned, not even by title)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from samverkan.core.exports.pdf import pdf_response
from samverkan.meetings.models import Meeting
from samverkan.meetings.selectors.agenda import attendance
from samverkan.meetings.selectors.meetings import visible_items
from samverkan.meetings.services.agenda import local


def pack_context(user: Any, meeting: Meeting) -> dict[str, Any]:
    """What the pack shows ``user``; the begränsad points included are logged as read."""
    return {
        "meeting": meeting,
        "collaboration": meeting.collaboration,
        "items": visible_items(user, meeting),
        "attendance": attendance(meeting),
        "starts": local(meeting.starts_at),
        "ends": local(meeting.ends_at),
        "reader": user,
        "made_at": timezone.localtime(),
    }


def pack_response(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    context = pack_context(request.user, meeting)
    day = context["starts"].date().isoformat()
    return pdf_response(
        request,
        template="meetings/pack_pdf.html",
        context=context,
        filename=f"motespaket-{day}.pdf",
        unavailable_template="meetings/pack_unavailable.html",
    )
