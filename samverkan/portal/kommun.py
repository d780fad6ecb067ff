"""A kommun's public portal at a stable address by kommunkod: every collaboration that covers it, its
Atom feed, an embed page for the kommun's own website and a JSON feed of minutes and promises.

Anonymous and without JavaScript; cached and answered with ETags keyed by ``selectors.kommun_revision``
(the covering collaborations' public revisions and the statistics imports). A search (``?q=``) is a
query string, so it is rendered for its visitor and never cached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samverkan.core.headers import frame_embeddable
from samverkan.core.publication import public_revision
from samverkan.portal import selectors
from samverkan.portal.cache import public_page

FEED_ENTRIES = 50
EMBED_ENTRIES = 5


def _sections(kommun: Any, *, minutes_shown: int) -> tuple[list[Any], list[selectors.CollaborationSection]]:
    collaborations = selectors.kommun_collaborations(kommun)
    return collaborations, [
        selectors.collaboration_section(c, minutes_shown=minutes_shown) for c in collaborations
    ]


@require_safe
@public_page(selectors.kommun_revision)
def kommun_page(request: HttpRequest, kommunkod: str) -> HttpResponse:
    kommun = selectors.get_kommun(kommunkod)
    collaborations, sections = _sections(kommun, minutes_shown=5)
    query = selectors.parse_search(request.GET.get("q"))
    context = {
        "kommun": kommun,
        "sections": sections,
        "has_content": any(s.has_content for s in sections),
        "evaluations": selectors.public_evaluations_for(collaborations),
        "statistics": selectors.kommun_statistics(kommun),
        "small_count_threshold": selectors.threshold(),
        "query": query,
        "searched": "q" in request.GET,
        "hits": selectors.search_minutes(collaborations, query),
        "max_search_chars": selectors.SEARCH_MAX_CHARS,
    }
    return render(request, "portal/kommun.html", context)


@frame_embeddable
@require_safe
@public_page(selectors.kommun_revision)
def kommun_embed(request: HttpRequest, kommunkod: str) -> HttpResponse:
    """A small page for an iframe on the kommun's website: the latest minutes and the current promises."""
    kommun = selectors.get_kommun(kommunkod)
    _collaborations, sections = _sections(kommun, minutes_shown=EMBED_ENTRIES)
    return render(request, "portal/kommun_embed.html", {"kommun": kommun, "sections": sections})


def cors_get(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Any site may read the answer from a browser, without credentials, and only with GET (and HEAD);
    a preflight is answered for GET alone. Outermost: the page cache keeps only its own headers."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "OPTIONS":
            response: HttpResponseBase = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD"
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _absolute(request: HttpRequest, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _iso(day: dt.date | dt.datetime | None) -> str | None:
    return day.isoformat() if day is not None else None


@cors_get
@require_safe
@public_page(selectors.kommun_revision)
def kommun_json(request: HttpRequest, kommunkod: str) -> JsonResponse:
    """The kommun's published minutes and citizen promises as JSON, for the kommun's own website."""
    kommun = selectors.get_kommun(kommunkod)
    _collaborations, sections = _sections(kommun, minutes_shown=FEED_ENTRIES)
    minutes = [
        {
            "collaboration": s.collaboration.name,
            "group": m.meeting.group.name,
            "meeting_date": f"{timezone.localtime(m.meeting.starts_at):%Y-%m-%d}",
            "published_at": _iso(m.published_at),
            "url": _absolute(request, "portal:minutes_detail", s.collaboration.pk, m.meeting_id),
            "pdf": _absolute(request, "portal:minutes_pdf", s.collaboration.pk, m.meeting_id),
        }
        for s in sections
        for m in s.minutes
    ]
    promises = [
        {
            "collaboration": s.collaboration.name,
            "title": p.promise.title,
            "text": p.promise.text,
            "start_date": _iso(p.promise.start_date),
            "end_date": _iso(p.promise.end_date),
            "status": p.promise.status,
            "status_text": p.status_text,
            "current": p.is_current,
        }
        for s in sections
        for p in s.promises
    ]
    return JsonResponse(
        {
            "kommun": {"kod": kommun.kod, "namn": kommun.namn},
            "page": _absolute(request, "portal:kommun", kommun.kod),
            "language": get_language(),
            "minutes": minutes,
            "promises": promises,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
@public_page(selectors.kommun_revision)
def kommun_feed(request: HttpRequest, kommunkod: str) -> HttpResponse:
    """Atom feed of the kommun: published minutes, citizen promises and public evaluations, newest first."""
    kommun = selectors.get_kommun(kommunkod)
    collaborations, sections = _sections(kommun, minutes_shown=FEED_ENTRIES)
    page = _absolute(request, "portal:kommun", kommun.kod)
    feed = Atom1Feed(
        title=_("Brottsförebyggande samverkan i %(kommun)s") % {"kommun": kommun.namn},
        link=page,
        description=_("Protokoll, medborgarlöften och utvärderingar som publicerats för %(kommun)s.")
        % {"kommun": kommun.namn},
        language=get_language(),
        feed_url=request.build_absolute_uri(),
        feed_guid=page,
    )
    entries: list[dict[str, Any]] = []
    for s in sections:
        for m in s.minutes:
            url = _absolute(request, "portal:minutes_detail", s.collaboration.pk, m.meeting_id)
            entries.append(
                {
                    "title": _("Protokoll %(group)s %(date)s")
                    % {
                        "group": m.meeting.group.name,
                        "date": f"{timezone.localtime(m.meeting.starts_at):%Y-%m-%d}",
                    },
                    "link": url,
                    "unique_id": url,
                    "description": s.collaboration.name,
                    "pubdate": m.published_at,
                }
            )
        for p in s.promises:
            url = f"{page}#lofte-{p.promise.pk}"
            entries.append(
                {
                    "title": _("Medborgarlöfte: %(title)s") % {"title": p.promise.title},
                    "link": url,
                    "unique_id": url,
                    "description": f"{p.status_text}. {p.promise.text}",
                    "pubdate": dt.datetime.combine(p.promise.start_date, dt.time(), tzinfo=dt.UTC),
                }
            )
    for evaluation in selectors.public_evaluations_for(collaborations):
        url = request.build_absolute_uri(evaluation.url)
        entries.append(
            {
                "title": _("Utvärdering: %(title)s") % {"title": evaluation.title},
                "link": url,
                "unique_id": url,
                "description": evaluation.title,
                "pubdate": evaluation.published_at,
            }
        )
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    entries.sort(key=lambda e: e["pubdate"] or epoch, reverse=True)
    for entry in entries[:FEED_ENTRIES]:
        feed.add_item(updateddate=entry["pubdate"], **entry)
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def _one_collaboration(*, collaboration_id: int, **kwargs: Any) -> int:
    return public_revision(collaboration_id)


@require_safe
@public_page(_one_collaboration)
def plan_trace(request: HttpRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    """The action plan's öppen traceability: from problems to causes, actions and their latest rating."""
    from samverkan.actions.selectors.trace import trace_document

    collaboration = selectors.get_active_collaboration(collaboration_id)
    plan = selectors.get_public_plan(collaboration, plan_id)
    document = trace_document(plan, public=True)
    context = {"collaboration": collaboration, "plan": plan, "document": document}
    return render(request, "portal/plan_trace.html", context)
