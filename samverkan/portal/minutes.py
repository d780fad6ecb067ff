"""Published minutes on the public pages: the list per collaboration, the public version of each, its
PDF/A and an Atom feed. Anonymous, no JavaScript; cached and answered with ETags like the agreements,
keyed by the collaboration's publication revision (publishing and every later change raise it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samverkan.core.publication import public_revision
from samverkan.meetings import documents
from samverkan.meetings.selectors import minutes as minutes_selectors
from samverkan.portal import selectors
from samverkan.portal.cache import public_page


def _one_collaboration(*, collaboration_id: int, **kwargs: Any) -> int:
    return public_revision(collaboration_id)


@require_safe
@public_page(_one_collaboration)
def minutes_list(request: HttpRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_active_collaboration(collaboration_id)
    context = {
        "collaboration": collaboration,
        "published": list(minutes_selectors.published_minutes(collaboration)),
    }
    return render(request, "portal/minutes_list.html", context)


@require_safe
@public_page(_one_collaboration)
def minutes_detail(request: HttpRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    collaboration = selectors.get_active_collaboration(collaboration_id)
    minutes = minutes_selectors.get_published_minutes(collaboration, meeting_id)
    document = minutes_selectors.public_document(minutes.meeting)
    return render(
        request, "portal/minutes_detail.html", {"collaboration": collaboration, "document": document}
    )


@require_safe
@public_page(_one_collaboration)
def minutes_pdf(request: HttpRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    collaboration = selectors.get_active_collaboration(collaboration_id)
    minutes = minutes_selectors.get_published_minutes(collaboration, meeting_id)
    return documents.minutes_pdf_response(request, minutes_selectors.public_document(minutes.meeting))


@require_safe
@public_page(_one_collaboration)
def minutes_feed(request: HttpRequest, collaboration_id: int) -> HttpResponse:
    """Atom feed of the collaboration's published minutes (newest first, at most 50)."""
    collaboration = selectors.get_active_collaboration(collaboration_id)
    list_url = request.build_absolute_uri(reverse("portal:minutes_list", args=[collaboration.pk]))
    feed = Atom1Feed(
        title=_("Protokoll – %(name)s") % {"name": collaboration.name},
        link=list_url,
        description=_("Publicerade protokoll från samverkan %(name)s.") % {"name": collaboration.name},
        language=request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "sv",
        feed_url=request.build_absolute_uri(),
        feed_guid=list_url,
    )
    for minutes in minutes_selectors.published_minutes(collaboration)[:50]:
        meeting = minutes.meeting
        document = minutes_selectors.public_document(meeting)
        url = request.build_absolute_uri(
            reverse("portal:minutes_detail", args=[collaboration.pk, meeting.pk])
        )
        shown = [entry.item.title for entry in document.entries if entry.item is not None]
        summary = "; ".join(shown)
        if document.withheld_count:
            summary += " " + _("(%(count)s punkter innehåller uppgifter som inte publiceras.)") % {
                "count": document.withheld_count
            }
        feed.add_item(
            title=_("Protokoll %(group)s %(date)s")
            % {"group": meeting.group.name, "date": f"{meeting.starts_at:%Y-%m-%d}"},
            link=url,
            description=summary,
            unique_id=url,
            pubdate=minutes.published_at,
            updateddate=minutes.published_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
