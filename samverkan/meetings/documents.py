"""The minutes as PDF/A-3b (``core.exports.pdf``), rendered from the same document partial as the pages:
the full minutes at the reader's level or the public version, each with a justering page listing every
approver, the time and the SHA-256 of the approved content, so a printed copy can be checked against the
record."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify

from samverkan.core.exports.pdf import pdf_response
from samverkan.meetings.selectors.minutes import MinutesDocument

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def pdf_filename(document: MinutesDocument) -> str:
    meeting = document.meeting
    day = meeting.starts_at.astimezone(STOCKHOLM).date()
    slug = slugify(str(meeting.group))[:60].strip("-") or "mote"
    suffix = "-offentlig" if document.public else ""
    return f"protokoll-{slug}-{day:%Y-%m-%d}{suffix}.pdf"


def minutes_pdf_response(request: HttpRequest, document: MinutesDocument, *, body: str = "") -> HttpResponse:
    """``body``: the minutes' body rendered already (the minutes page keeps it), else rendered here."""
    return pdf_response(
        request,
        template="meetings/minutes_pdf.html",
        context={
            "document": document,
            "minutes_body": body,
            "printing": True,
            "collaboration": document.meeting.collaboration,
        },
        filename=pdf_filename(document),
        unavailable_template="meetings/minutes_pdf_unavailable.html",
        # The minutes' HTML holds only what the document shows: the same minutes are laid out once.
        cached=True,
    )
