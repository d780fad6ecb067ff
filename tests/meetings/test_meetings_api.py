"""The /meetings API: list with filters and pagination, detail at the reader's level, the calendar file,
and the samordnare's writes (create, change with version → 409, cancel, invite); bad input is a 4xx."""

from __future__ import annotations

import pytest

from samverkan.core.services import api_token_create
from samverkan.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def _headers(world, persona):
    _token, raw = api_token_create(user=world.users[persona], name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _meeting(world):
    return world.cycle["A"]["meeting"]["meeting"]


def test_list_filters_and_paginates(world, client):
    headers = _headers(world, "ledamot")
    meeting = _meeting(world)
    data = client.get(f"/api/v1/meetings?collaboration={world.a.pk}", **headers).json()
    assert data["count"] == 1 and data["items"][0]["id"] == meeting.pk
    item = data["items"][0]
    assert item["starts_at"] == "2026-03-10T10:00:00+01:00"  # Swedish time with its offset
    assert item["ics_uid"] == str(meeting.ics_uid) and item["url"].endswith(f"/moten/{meeting.pk}/")
    assert client.get(f"/api/v1/meetings?collaboration={world.b.pk}", **headers).json()["count"] == 0
    assert client.get("/api/v1/meetings?from=2026-03-11", **headers).json()["count"] == 0
    assert client.get("/api/v1/meetings?from=2026-03-10&to=2026-03-10", **headers).json()["count"] == 1
    assert client.get("/api/v1/meetings?to=2026-03-09", **headers).json()["count"] == 0
    assert client.get(f"/api/v1/meetings?group={meeting.group_id}&limit=1", **headers).json()["count"] == 1
    assert client.get("/api/v1/meetings?from=2026-13-01", **headers).status_code == 422


def test_detail_carries_attendance_and_only_the_items_the_reader_may_read(world, client):
    meeting = _meeting(world)
    body = client.get(f"/api/v1/meetings/{meeting.pk}", **_headers(world, "ledamot")).content.decode()
    assert "KANARIE-A-INTERN punkt" in body and "KANARIE-A-OPPEN deltagare" in body
    assert "KANARIE-A-BEGRANSAD" not in body
    data = client.get(f"/api/v1/meetings/{meeting.pk}", **_headers(world, "polis")).json()
    assert [i["level"] for i in data["agenda"]] == ["oppen", "intern", "begransad"]
    assert client.get(f"/api/v1/meetings/{meeting.pk}", **_headers(world, "outsider")).status_code == 404
    assert client.get(f"/api/v1/meetings/{meeting.pk}").status_code == 401


def test_the_calendar_file(world, client):
    import icalendar

    meeting = _meeting(world)
    response = client.get(f"/api/v1/meetings/{meeting.pk}.ics", **_headers(world, "lasare"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]).startswith(str(meeting.ics_uid))
    assert client.get(f"/api/v1/meetings/{meeting.pk}.ics", **_headers(world, "outsider")).status_code == 404


def _payload(world, **extra):
    return {
        "collaboration": world.a.pk,
        "group": world.agreements["A"]["group"].pk,
        "starts_at": "2027-03-30T09:00:00",
        "ends_at": "2027-03-30T11:00:00",
        "place": "Polisstationen",
        "secretary": world.users["samordnare"].pk,
        "justerare": [world.users["ledamot"].pk],
        **extra,
    }


def test_samordnare_creates_changes_and_cancels(world, client):
    headers = _headers(world, "samordnare")
    response = client.post("/api/v1/meetings", _payload(world), content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["starts_at"] == "2027-03-30T09:00:00+02:00"  # read as Swedish (summer) time
    assert created["justerare"] == [world.users["ledamot"].pk] and created["ics_sequence"] == 0
    url = f"/api/v1/meetings/{created['id']}"
    changed = client.patch(
        url,
        {"place": "Kommunhuset", "version": created["version"]},
        content_type="application/json",
        **headers,
    )
    assert changed.status_code == 200 and changed.json()["ics_sequence"] == 1
    stale = client.patch(
        url, {"place": "Skolan", "version": created["version"]}, content_type="application/json", **headers
    )
    assert stale.status_code == 409
    assert {c["field"]: c["saved"] for c in stale.json()["conflicts"]}["place"] == "Kommunhuset"
    cancelled = client.post(
        f"{url}/cancel", {"reason": "Lokalen är upptagen"}, content_type="application/json", **headers
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "installt"
    assert cancelled.json()["ics_sequence"] == 2


@pytest.mark.parametrize("persona,status", [("ledamot", 403), ("lasare", 403), ("outsider", 404)])
def test_others_may_not_write(world, client, persona, status):
    headers = _headers(world, persona)
    before = Meeting.objects.count()
    response = client.post("/api/v1/meetings", _payload(world), content_type="application/json", **headers)
    assert response.status_code == status
    meeting = _meeting(world)
    for method, path, body in (
        ("patch", f"/api/v1/meetings/{meeting.pk}", {"place": "x"}),
        ("post", f"/api/v1/meetings/{meeting.pk}/cancel", {"reason": "x"}),
        ("post", f"/api/v1/meetings/{meeting.pk}/invitations", {}),
    ):
        response = getattr(client, method)(path, body, content_type="application/json", **headers)
        assert response.status_code == status, (path, response.status_code)
    assert Meeting.objects.count() == before
    meeting.refresh_from_db()
    assert meeting.place == "Polisstationen" and meeting.status == "planerat"


def test_bad_input_is_a_422_naming_the_field_and_nothing_is_written(world, client):
    headers = _headers(world, "samordnare")
    before = Meeting.objects.count()
    cases = {
        "group": _payload(world, group=world.agreements["B"]["group"].pk),  # another collaboration's group
        "ends_at": _payload(world, ends_at="2027-03-30T08:00:00"),  # end before start
        "secretary": _payload(world, secretary=world.users["outsider"].pk),
        "justerare": _payload(world, justerare=[world.users["outsider"].pk]),
        "linked_meeting": _payload(
            world, linked_meeting=world.cycle["B"]["meeting"]["meeting"].pk, link_relation="fore"
        ),
        "place": _payload(world, place="Ring 070-123 45 67"),
    }
    for field, payload in cases.items():
        response = client.post("/api/v1/meetings", payload, content_type="application/json", **headers)
        assert response.status_code == 422, (field, response.content)
        assert field in {tuple(d["loc"])[-1] for d in response.json()["detail"]}, (field, response.json())
    assert Meeting.objects.count() == before
    # A meeting of another collaboration is not there at all.
    other = world.cycle["B"]["meeting"]["meeting"]
    assert (
        client.patch(
            f"/api/v1/meetings/{other.pk}", {"place": "x"}, content_type="application/json", **headers
        ).status_code
        == 404
    )
    assert client.get("/api/v1/meetings", HTTP_AUTHORIZATION="Bearer fel").status_code == 401


def test_invitations_endpoint_sends_mail(world, client, mailoutbox, django_capture_on_commit_callbacks):
    meeting = _meeting(world)
    meeting.secretary = world.users["samordnare"]
    meeting.save()
    meeting.justerare.set([world.users["ledamot"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/meetings/{meeting.pk}/invitations", **_headers(world, "samordnare"))
    assert response.status_code == 202
    assert sorted(m.to[0] for m in mailoutbox) == ["ledamot@example.org", "samordnare@example.org"]
