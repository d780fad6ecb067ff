"""Calendar feeds at secret addresses and the ICS they serve: only a hash stored, revocable, a wrong or
revoked token is a bare 404, the feed shows what its owner may read now, and times stay local across DST."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from samverkan.agreements.models import Group
from samverkan.core.models import Level, Membership
from samverkan.meetings.models import CalendarFeed, Meeting, hash_feed_token
from samverkan.meetings.services import planning
from samverkan.meetings.services.calendar import calendar_feed_create, calendar_feed_revoke
from samverkan.meetings.services.planning import STOCKHOLM, stockholm_moment

pytestmark = pytest.mark.django_db


def _events(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_feed_token_is_shown_once_and_only_its_hash_is_stored(world):
    feed, token = calendar_feed_create(acting_user=world.users["ledamot"])
    assert feed.token_hash == hash_feed_token(token) and token not in feed.token_hash
    assert feed.prefix == token[:8]
    assert not CalendarFeed.objects.filter(token_hash=token).exists()


def test_personal_feed_lists_what_the_owner_may_read_and_no_more(world, client, settings):
    meeting = world.cycle["A"]["meeting"]["meeting"]
    secret_group = Group.objects.create(
        collaboration=world.a, name="Hemlig grupp", kind=Group.Kind.ANNAN, level=Level.BEGRANSAD
    )
    start = stockholm_moment(dt.date(2026, 4, 1), dt.time(9, 0))
    planning.meeting_create(
        collaboration=world.a,
        group=secret_group,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        title="KANARIE-A-BEGRANSAD möte",
        acting_user=world.users["samordnare"],
    )
    _feed, token = calendar_feed_create(acting_user=world.users["ledamot"])
    response = client.get(f"/kalender/{token}.ics")
    events = _events(response)
    assert [str(e["UID"]) for e in events] == [f"{meeting.ics_uid}@samverkan"]
    assert (
        "KANARIE-A-BEGRANSAD" not in response.content.decode()
        and "KANARIE-B" not in response.content.decode()
    )
    event = events[0]
    base = settings.SAMVERKAN_BASE_URL.rstrip("/")
    assert str(event["URL"]) == f"{base}/samverkan/{world.a.pk}/moten/{meeting.pk}/"
    assert event["STATUS"] == "CONFIRMED" and int(event["SEQUENCE"]) == 0
    assert b"BEGIN:VTIMEZONE" in response.content and b"TZID:Europe/Stockholm" in response.content
    # Membership gone: the feed is empty (nothing the owner may no longer read).
    Membership.objects.filter(user=world.users["ledamot"]).delete()
    from samverkan.core.models.visibility import forget

    forget(world.users["ledamot"])
    assert _events(client.get(f"/kalender/{token}.ics")) == []


def test_wrong_revoked_or_orphaned_tokens_are_a_bare_404(world, client):
    feed, token = calendar_feed_create(acting_user=world.users["ledamot"])
    wrong = client.get("/kalender/fel-nyckel.ics")
    assert wrong.status_code == 404
    calendar_feed_revoke(feed=feed, acting_user=world.users["ledamot"])
    revoked = client.get(f"/kalender/{token}.ics")
    # The site's plain 404 page either way: no hint which case it was.
    assert revoked.status_code == 404 and revoked["Content-Type"] == wrong["Content-Type"]
    assert not revoked["Content-Type"].startswith("text/calendar")
    group = world.agreements["A"]["group"]
    _group_feed, group_token = calendar_feed_create(acting_user=world.users["lasare"], group=group)
    assert client.get(f"/kalender/{group_token}.ics").status_code == 200
    Membership.objects.filter(user=world.users["lasare"]).delete()
    from samverkan.core.models.visibility import forget

    forget(world.users["lasare"])
    assert client.get(f"/kalender/{group_token}.ics").status_code == 404


def test_group_feed_lists_only_that_group_and_needs_a_readable_group(world, client):
    from django.core.exceptions import ValidationError

    group = world.agreements["A"]["group"]
    other = Group.objects.create(collaboration=world.a, name="Annan grupp", kind=Group.Kind.ANNAN)
    start = stockholm_moment(dt.date(2026, 5, 5), dt.time(9, 0))
    planning.meeting_create(
        collaboration=world.a,
        group=other,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        acting_user=world.users["samordnare"],
    )
    _feed, token = calendar_feed_create(acting_user=world.users["ledamot"], group=group)
    events = _events(client.get(f"/kalender/{token}.ics"))
    assert len(events) == 1 and "KANARIE-A-OPPEN" in str(events[0]["SUMMARY"])
    with pytest.raises(ValidationError):
        calendar_feed_create(acting_user=world.users["outsider"], group=group)


# Summer time begins 29 March 2026 and ends 25 October 2026: 09:00 local is 08:00 or 07:00 UTC.
@pytest.mark.parametrize(
    "day,utc_hour",
    [
        (dt.date(2026, 3, 27), 8),
        (dt.date(2026, 3, 30), 7),
        (dt.date(2026, 10, 23), 7),
        (dt.date(2026, 10, 26), 8),
    ],
)
def test_a_meeting_at_nine_local_stays_at_nine_across_the_dst_change(world, client, day, utc_hour):
    group = world.agreements["A"]["group"]
    start = stockholm_moment(day, dt.time(9, 0))
    meeting = planning.meeting_create(
        collaboration=world.a,
        group=group,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        acting_user=world.users["samordnare"],
    )
    meeting.refresh_from_db()
    assert meeting.starts_at.astimezone(dt.UTC).hour == utc_hour  # stored in UTC
    _feed, token = calendar_feed_create(acting_user=world.users["ledamot"])
    events = {str(e["UID"]): e for e in _events(client.get(f"/kalender/{token}.ics"))}
    start_property = events[f"{meeting.ics_uid}@samverkan"]["DTSTART"]
    assert start_property.params["TZID"] == "Europe/Stockholm"
    local = start_property.dt
    assert (local.date(), local.hour, local.minute) == (day, 9, 0)
    assert local.astimezone(dt.UTC).hour == utc_hour
    assert timezone.localtime(meeting.starts_at, STOCKHOLM).hour == 9


def test_a_cancelled_meeting_shows_cancelled_with_a_higher_sequence(world, client):
    meeting = world.cycle["A"]["meeting"]["meeting"]
    planning.meeting_cancel(
        meeting=meeting, reason="Lokalen är upptagen", acting_user=world.users["samordnare"]
    )
    _feed, token = calendar_feed_create(acting_user=world.users["ledamot"])
    event = _events(client.get(f"/kalender/{token}.ics"))[0]
    assert event["STATUS"] == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_feeds_page_creates_shows_once_and_revokes(world):
    client = world.client("ledamot")
    page = client.get("/profil/kalender/")
    assert page.status_code == 200
    response = client.post("/profil/kalender/ny/", {"group": ""})
    assert response.status_code == 200
    feed = CalendarFeed.objects.get(user=world.users["ledamot"])
    body = response.content.decode()
    address = body.split('id="feed-address" type="text" readonly value="')[1].split('"')[0]
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert hash_feed_token(token) == feed.token_hash
    assert token not in client.get("/profil/kalender/").content.decode()
    assert "/profil/kalender/" in client.get("/profil/").content.decode()  # listed beside the API tokens
    assert world.client("lasare").post(f"/profil/kalender/{feed.pk}/aterkalla/").status_code == 404
    assert client.post(f"/profil/kalender/{feed.pk}/aterkalla/").status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert (
        client.post("/profil/kalender/ny/", {"group": world.agreements["B"]["group"].pk}).status_code == 422
    )


def test_meeting_page_calendar_download(world):
    meeting = world.cycle["A"]["meeting"]["meeting"]
    response = world.client("lasare").get(f"/samverkan/{world.a.pk}/moten/{meeting.pk}/kalender.ics")
    assert len(_events(response)) == 1
    assert Meeting.objects.count() >= 1
