"""The minutes API: reads at the reader's level, the role × endpoint matrix of the writes, locked minutes,
conflicts with both texts, and the whole loop from draft to published."""

from __future__ import annotations

from typing import Any

import pytest

from samverkan.core.models import Level
from samverkan.core.services import api_token_create
from samverkan.meetings.models import Amendment, Minutes
from samverkan.meetings.services import justering as justering_services
from tests.conftest import CANARIES_A, CANARIES_B
from tests.meetings.test_minutes import add_member, draft_meeting, items_by_level, make_justerat


def _headers(user: Any) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="protokoll")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _url(meeting: Any, tail: str = "") -> str:
    return f"/api/v1/meetings/{meeting.pk}/minutes{tail}"


def _post(client: Any, user: Any, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, data or {}, content_type="application/json", **_headers(user))


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("samordnare", (Level.OPPEN, Level.INTERN, Level.BEGRANSAD)),
        ("polis", (Level.OPPEN, Level.INTERN, Level.BEGRANSAD)),
        ("ledamot", (Level.OPPEN, Level.INTERN)),
        ("lasare", (Level.OPPEN, Level.INTERN)),
    ],
)
def test_minutes_at_the_readers_level(world, client, persona, seen):
    meeting = draft_meeting(world)
    response = client.get(_url(meeting), **_headers(world.users[persona]))
    assert response.status_code == 200
    data = response.json()
    assert [item["level"] for item in data["agenda_items"]] == list(seen)
    assert data["hidden_items"] == 3 - len(seen)
    text = response.content.decode()
    for level in (Level.OPPEN, Level.INTERN, Level.BEGRANSAD):
        assert (CANARIES_A[level] in text) == (level in seen)
    first = data["agenda_items"][0]
    assert first["decisions"][0]["label"].startswith("§ ") and first["version"] == 1


def test_outsider_and_anonymous_get_nothing(world, client):
    meeting = draft_meeting(world)
    assert client.get(_url(meeting), **_headers(world.users["outsider"])).status_code == 404
    assert client.get(_url(meeting)).status_code == 401
    assert _post(client, world.users["outsider"], _url(meeting, "/send-for-justering")).status_code == 404
    b_meeting = world.cycle["B"]["meeting"]["meeting"]
    response = client.get(_url(b_meeting), **_headers(world.users["samordnare"]))
    assert response.status_code == 404
    assert not any(c in response.content.decode() for c in CANARIES_B)


# Who may do what (besides 404 for outsiders): the expected status per persona, nothing changed on 403.
WRITE_MATRIX = {
    "/send-for-justering": {
        "samordnare": 200,
        "sekreterare": 200,
        "ledamot": 403,
        "lasare": 403,
        "justerare1": 403,
    },
}


@pytest.mark.parametrize("persona", ["samordnare", "sekreterare", "ledamot", "lasare", "justerare1"])
def test_send_for_justering_by_role(world, client, persona):
    secretary = add_member(world, "sekreterare", "ledamot")
    justerare = add_member(world, "justerare1", "ledamot")
    meeting = draft_meeting(world, secretary=secretary, justerare=(justerare,))
    response = _post(client, world.users[persona], _url(meeting, "/send-for-justering"))
    expected = WRITE_MATRIX["/send-for-justering"][persona]
    assert response.status_code == expected, response.content
    status = Minutes.objects.get(meeting=meeting).status
    assert status == (Minutes.Status.FOR_JUSTERING if expected == 200 else Minutes.Status.UTKAST)


@pytest.mark.parametrize("persona", ["samordnare", "ledamot", "lasare", "sekreterare"])
def test_only_a_named_justerare_approves_or_declines(world, client, persona):
    secretary = add_member(world, "sekreterare", "ledamot")
    justerare = add_member(world, "justerare1", "ledamot")
    meeting = draft_meeting(world, secretary=secretary, justerare=(justerare,))
    justering_services.send_for_justering(meeting=meeting, acting_user=secretary)
    user = world.users[persona]
    assert _post(client, user, _url(meeting, "/approve")).status_code == 403
    assert _post(client, user, _url(meeting, "/decline"), {"comment": "nej"}).status_code == 403
    response = _post(client, justerare, _url(meeting, "/approve"))
    assert response.status_code == 200 and response.json()["status"] == Minutes.Status.JUSTERAT


def test_locked_minutes_refuse_an_item_edit_with_a_swedish_message(world, client):
    meeting = draft_meeting(world)
    Minutes.objects.filter(meeting=meeting).update(status=Minutes.Status.FOR_JUSTERING)
    item = items_by_level(meeting)[Level.OPPEN]
    response = client.patch(
        _url(meeting, f"/items/{item.pk}"),
        {"notes": "tyst", "version": 1},
        content_type="application/json",
        **_headers(world.users["samordnare"]),
    )
    assert response.status_code == 422
    assert "låst" in response.json()["detail"][0]["msg"]
    item.refresh_from_db()
    assert item.notes != "tyst"


def test_two_people_editing_get_409_with_both_texts(world, client, samordnare2):
    meeting = draft_meeting(world)
    item = items_by_level(meeting)[Level.INTERN]
    url = _url(meeting, f"/items/{item.pk}")
    first = client.patch(
        url,
        {"notes": "Förstas text", "version": 1},
        content_type="application/json",
        **_headers(world.users["samordnare"]),
    )
    assert first.status_code == 200
    second = client.patch(
        url, {"notes": "Andras text", "version": 1}, content_type="application/json", **_headers(samordnare2)
    )
    assert second.status_code == 409
    conflict = second.json()["conflicts"][0]
    assert (conflict["field"], conflict["saved"], conflict["sent"]) == (
        "notes",
        "Förstas text",
        "Andras text",
    )


def test_decline_with_item_comments_and_unknown_items(world, client):
    justerare = add_member(world, "justerare1", "ledamot")
    meeting = draft_meeting(world, justerare=(justerare,))
    justering_services.send_for_justering(meeting=meeting, acting_user=world.users["samordnare"])
    hidden = items_by_level(meeting)[Level.BEGRANSAD]
    refused = _post(
        client, justerare, _url(meeting, "/decline"), {"item_comments": [{"item": hidden.pk, "comment": "x"}]}
    )
    assert refused.status_code == 422
    shown = items_by_level(meeting)[Level.INTERN]
    response = _post(
        client,
        justerare,
        _url(meeting, "/decline"),
        {"item_comments": [{"item": shown.pk, "comment": "Fel datum"}]},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == Minutes.Status.UTKAST
    assert [i["justering_comments"] for i in data["agenda_items"] if i["id"] == shown.pk] == [["Fel datum"]]


def test_amendment_only_on_justerade_minutes_and_by_a_writer(world, client):
    meeting = draft_meeting(world)
    url = _url(meeting, "/amendments")
    assert _post(client, world.users["samordnare"], url, {"text": "Rättelse"}).status_code == 422
    make_justerat(meeting, ())
    assert _post(client, world.users["ledamot"], url, {"text": "Rättelse"}).status_code == 403
    response = _post(client, world.users["samordnare"], url, {"text": "Rättelse av protokollet"})
    assert response.status_code == 201
    assert response.json()["amendments"][0]["text"] == "Rättelse av protokollet"
    assert Amendment.objects.get(minutes=meeting.minutes, item=None).level == Level.INTERN


def test_publishing_rules_in_the_api(world, client):
    chair = add_member(world, "ordforande", "ledamot")
    secretary = add_member(world, "sekreterare", "ledamot")
    meeting = draft_meeting(world, chair=chair, secretary=secretary)
    samordnare = world.users["samordnare"]
    not_justerat = _post(client, samordnare, _url(meeting, "/publish"))
    assert not_justerat.status_code == 422 and "inte justerat" in not_justerat.content.decode()
    make_justerat(meeting, ())
    not_approved = _post(client, samordnare, _url(meeting, "/publish"))
    assert not_approved.status_code == 422 and "andra person" in not_approved.content.decode()
    assert _post(client, secretary, _url(meeting, "/approve-public")).status_code == 403
    assert _post(client, world.users["ledamot"], _url(meeting, "/approve-public")).status_code == 403
    assert _post(client, chair, _url(meeting, "/approve-public")).status_code == 200
    assert _post(client, chair, _url(meeting, "/publish")).status_code == 403
    published = _post(client, samordnare, _url(meeting, "/publish"))
    assert published.status_code == 200 and published.json()["published_at"]


def test_the_whole_loop_through_the_api(world, client):
    chair = add_member(world, "ordforande", "ledamot")
    secretary = add_member(world, "sekreterare", "ledamot")
    j1, j2 = add_member(world, "justerare1", "ledamot"), add_member(world, "justerare2", "lasare")
    meeting = draft_meeting(world, chair=chair, secretary=secretary, justerare=(j1, j2))
    assert _post(client, secretary, _url(meeting, "/send-for-justering")).status_code == 200
    sha = client.get(_url(meeting), **_headers(j1)).json()["current_content_sha256"]
    assert _post(client, j1, _url(meeting, "/approve"), {"content_sha256": sha}).status_code == 200
    done = _post(client, j2, _url(meeting, "/approve"), {"content_sha256": sha}).json()
    assert done["status"] == "justerat" and done["content_sha256"] == sha and len(done["approvals"]) == 2
    assert _post(client, chair, _url(meeting, "/approve-public")).status_code == 200
    assert _post(client, world.users["samordnare"], _url(meeting, "/publish")).status_code == 200
    page = client.get(f"/offentlig/samverkan/{world.a.pk}/protokoll/{meeting.pk}/")
    assert page.status_code == 200 and CANARIES_A[Level.INTERN] not in page.content.decode()
