"""Calendar feeds: the user's own feeds (next to their API tokens on the profile), and the secret feed
address a calendar program fetches without logging in.

A wrong, revoked or orphaned token is a plain 404, the same for every case, so the address tells nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samverkan.core.exports.ics import calendar_bytes, ics_response
from samverkan.core.http import AuthenticatedRequest
from samverkan.meetings.forms.meetings import FeedForm
from samverkan.meetings.selectors import calendar as calendar_selectors
from samverkan.meetings.services import calendar as calendar_services


@login_required
def calendar_feeds(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "meetings/calendar_feeds.html",
        {
            "feeds": calendar_selectors.feed_list(user=request.user),
            "form": FeedForm(groups=calendar_selectors.feed_group_choices(user=request.user)),
        },
    )


@login_required
@require_POST
def calendar_feed_create(request: AuthenticatedRequest) -> HttpResponse:
    form = FeedForm(request.POST, groups=calendar_selectors.feed_group_choices(user=request.user))
    if form.is_valid():
        try:
            feed, token = calendar_services.calendar_feed_create(
                acting_user=request.user, group=form.cleaned_data["group"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # The address is shown on this response only; afterwards only its first characters.
            address = request.build_absolute_uri(reverse("meetings:calendar_feed", kwargs={"token": token}))
            return render(
                request,
                "meetings/calendar_feed_created.html",
                {"feed": feed, "address": address, "name": calendar_selectors.feed_name(feed)},
            )
    return render(
        request,
        "meetings/calendar_feeds.html",
        {"feeds": calendar_selectors.feed_list(user=request.user), "form": form},
        status=422,
    )


@login_required
@require_POST
def calendar_feed_revoke(request: AuthenticatedRequest, feed_id: int) -> HttpResponse:
    feed = calendar_selectors.get_feed_for_user(request.user, feed_id)
    calendar_services.calendar_feed_revoke(feed=feed, acting_user=request.user)
    messages.success(request, _("Kalenderflödet är återkallat."))
    return redirect("meetings:calendar_feeds")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = calendar_selectors.feed_for_token(token)
    if feed is None:
        raise Http404
    calendar_services.calendar_feed_used(feed)
    entries = [calendar_selectors.calendar_entry(m) for m in calendar_selectors.feed_meetings(feed)]
    content = calendar_bytes(entries, name=calendar_selectors.feed_name(feed))
    response = ics_response(content, "moten.ics", attachment=False)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns: list[URLPattern] = [
    path("profil/kalender/", calendar_feeds, name="calendar_feeds"),
    path("profil/kalender/ny/", calendar_feed_create, name="calendar_feed_create"),
    path("profil/kalender/<int:feed_id>/aterkalla/", calendar_feed_revoke, name="calendar_feed_revoke"),
    path("kalender/<str:token>.ics", calendar_feed, name="calendar_feed"),
]
