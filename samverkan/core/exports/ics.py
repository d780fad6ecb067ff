"""iCalendar (RFC 5545) for meetings: invitations, cancellations and per-user or per-group feeds.

Calendar clients match an event by UID and take the highest SEQUENCE as the current one, so a meeting
keeps its UID for life and raises its sequence on every material change; a cancellation is the same
UID with STATUS:CANCELLED under METHOD:CANCEL. Times are written in Europe/Stockholm with its VTIMEZONE,
so a meeting stays at 09:00 local time across a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Samverkan//Lokalt brottsförebyggande arbete//SV"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class CalendarEntry:
    """One meeting as a calendar sees it; ``uid`` must never change for the same meeting."""

    uid: str
    sequence: int
    start: dt.datetime
    end: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    last_modified: dt.datetime | None = None


def _local(moment: dt.datetime) -> dt.datetime:
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=STOCKHOLM)
    return moment.astimezone(STOCKHOLM)


def calendar_bytes(entries: Iterable[CalendarEntry], *, name: str = "", method: str = "PUBLISH") -> bytes:
    """A VCALENDAR with one VEVENT per entry (METHOD: PUBLISH for feeds, REQUEST/CANCEL for mail)."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("sequence", entry.sequence)
        event.add("dtstamp", stamp)
        event.add("dtstart", _local(entry.start))
        event.add("dtend", _local(entry.end))
        event.add("summary", entry.summary)
        if entry.location:
            event.add("location", entry.location)
        if entry.description:
            event.add("description", entry.description)
        if entry.url:
            event.add("url", entry.url)
        if entry.last_modified is not None:
            event.add("last-modified", entry.last_modified)
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()  # type: ignore[no-any-return]


def ics_response(content: bytes, filename: str, *, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(attachment, filename) or ""
    return response
