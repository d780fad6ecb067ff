"""The agenda, attendance and decisions API: roles × endpoints, canaries, and bad input (a decision
number clash, a meeting in another collaboration, an öppen item with a personnummer, two people editing
the same item, editing once the minutes are locked)."""

from __future__ import annotations

import pytest

from samverkan.core.models import Level
from samverkan.meetings.models import AgendaItem, Attendance, Decision, Minutes
from samverkan.meetings.services.agenda import agenda_item_create, draft_agenda
from tests.actions.factories import api_fixture  # noqa: F401 (the fixture "api")
from tests.api.conftest import validation_errors
from tests.meetings.test_agenda import new_meeting
from tests.test_visibility_matrix import assert_no_leak

pytestmark = pytest.mark.django_db
PERSONAS = ("samordnare", "polis", "ledamot", "lasare", "outsider")


def test_list_items_per_role_without_leaks(world, api):
    meeting = world.cycle["A"]["meeting"]["meeting"]
    for persona in PERSONAS:
        response = api(persona, "get", f"/meetings/{meeting.pk}/agenda-items")
        assert_no_leak(persona, "agenda-items", response.content.decode())
        if persona == "outsider":
            assert response.status_code == 404
            continue
        assert response.status_code == 200
        titles = {i["title"] for i in response.json()["items"]}
        assert ("KANARIE-A-BEGRANSAD punkt" in titles) == (persona in ("samordnare", "polis"))
        assert "KANARIE-A-INTERN punkt" in titles


def test_role_by_endpoint_for_writes(world, api):
    meeting = new_meeting(world)
    item = agenda_item_create(meeting=meeting, title="Övrigt", acting_user=world.users["samordnare"])
    expected = {"samordnare": 201, "polis": 403, "ledamot": 403, "lasare": 403, "outsider": 404}
    for persona, status in expected.items():
        created = api(persona, "post", f"/meetings/{meeting.pk}/agenda-items", {"title": f"Av {persona}"})
        assert created.status_code == status, persona
        patched = api(persona, "patch", f"/agenda-items/{item.pk}", {"notes": persona})
        assert patched.status_code == (200 if status == 201 else status), persona
        decided = api(persona, "post", "/decisions", {"meeting": meeting.pk, "text": f"Beslut {persona}"})
        assert decided.status_code == status, persona
        put = api(
            persona,
            "put",
            f"/meetings/{meeting.pk}/attendance",
            {"rows": [{"name": "Anna", "status": "narvarande"}]},
        )
        assert put.status_code == (200 if status == 201 else status), persona
        draft = api(persona, "post", f"/meetings/{meeting.pk}/agenda/draft", {})
        assert draft.status_code == (200 if status == 201 else status), persona
    assert Decision.objects.filter(meeting=meeting).count() == 1


def test_secretary_who_is_ledamot_may_write(world, api):
    meeting = new_meeting(world, secretary=world.users["ledamot"])
    assert (
        api("ledamot", "post", f"/meetings/{meeting.pk}/agenda-items", {"title": "Sekreterarens"}).status_code
        == 201
    )
    restricted = api(
        "ledamot",
        "post",
        f"/meetings/{meeting.pk}/agenda-items",
        {"title": "Polis", "kind": "polisinformation"},
    )
    # The ledamot's own role must be able to read what they restrict.
    assert "restricted_to" in validation_errors(restricted)


def test_begransad_item_is_404_for_ledamot(world, api):
    item = world.cycle["A"]["meeting"]["levels"][Level.BEGRANSAD]["item"]
    assert api("ledamot", "get", f"/agenda-items/{item.pk}").status_code == 404
    assert api("lasare", "patch", f"/agenda-items/{item.pk}", {"notes": "x"}).status_code == 404
    assert api("polis", "get", f"/agenda-items/{item.pk}").status_code == 200


def test_two_people_editing_the_same_item_get_409_with_both_texts(world, api, samordnare2):
    meeting = new_meeting(world)
    item = agenda_item_create(meeting=meeting, title="Övrigt", acting_user=world.users["samordnare"])
    first = api(
        "samordnare", "patch", f"/agenda-items/{item.pk}", {"notes": "Min text", "version": item.version}
    )
    assert first.status_code == 200 and first.json()["version"] == item.version + 1
    second = api(
        "samordnare2", "patch", f"/agenda-items/{item.pk}", {"notes": "Din text", "version": item.version}
    )
    assert second.status_code == 409
    body = second.json()
    assert body["conflicts"] == [{"field": "notes", "saved": "Min text", "sent": "Din text"}]
    assert AgendaItem.objects.get(pk=item.pk).notes == "Min text"
    stale_delete = api("samordnare2", "delete", f"/agenda-items/{item.pk}?version={item.version}")
    assert stale_delete.status_code == 409 and AgendaItem.objects.filter(pk=item.pk).exists()


def test_open_item_with_personnummer_is_422_and_nothing_written(world, api):
    meeting = new_meeting(world)
    response = api(
        "samordnare",
        "post",
        f"/meetings/{meeting.pk}/agenda-items",
        {"title": "Ärende 19811218-9876", "level": "oppen"},
    )
    assert "title" in validation_errors(response)
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_decision_number_clash_and_filters(world, api):
    meeting = new_meeting(world)
    clash = api("samordnare", "post", "/decisions", {"meeting": meeting.pk, "text": "Krock", "number": 1})
    assert "finns redan" in validation_errors(clash)["number"]
    made = api("samordnare", "post", "/decisions", {"meeting": meeting.pk, "text": "Nytt"})
    assert made.status_code == 201 and made.json()["label"] == "§ 4/2026"
    listed = api("samordnare", "get", f"/decisions?meeting={meeting.pk}").json()
    assert [d["label"] for d in listed["items"]] == ["§ 4/2026"]
    for persona in ("ledamot", "lasare"):
        body = api(persona, "get", f"/decisions?collaboration={world.a.pk}").content.decode()
        assert "KANARIE-A-INTERN beslut" in body and "KANARIE-A-BEGRANSAD" not in body
    outsider = api("outsider", "get", f"/decisions?collaboration={world.a.pk}").json()
    assert outsider["count"] == 0
    assert api("samordnare", "get", "/decisions?year=99999").status_code == 422


def test_meeting_in_another_collaboration_is_404(world, api):
    other = world.cycle["B"]["meeting"]["meeting"]
    response = api("samordnare", "post", "/decisions", {"meeting": other.pk, "text": "Fel samverkan"})
    assert response.status_code == 404
    assert api("samordnare", "post", f"/meetings/{other.pk}/agenda-items", {"title": "x"}).status_code == 404
    foreign_item = world.cycle["A"]["meeting"]["levels"][Level.INTERN]["item"]
    meeting = new_meeting(world)
    response = api(
        "samordnare", "post", "/decisions", {"meeting": meeting.pk, "item": foreign_item.pk, "text": "x"}
    )
    assert "item" in validation_errors(response)


def test_locked_minutes_refuse_edits(world, api):
    meeting = world.cycle["A"]["meeting"]["meeting"]  # justerade minutes
    item = world.cycle["A"]["meeting"]["levels"][Level.INTERN]["item"]
    response = api("samordnare", "patch", f"/agenda-items/{item.pk}", {"notes": "Tyst ändring"})
    assert response.status_code == 422 and "låst" in str(response.json())
    assert api("samordnare", "post", "/decisions", {"meeting": meeting.pk, "text": "x"}).status_code == 422
    assert api("samordnare", "delete", f"/agenda-items/{item.pk}").status_code == 422
    assert Minutes.objects.get(meeting=meeting).locked


def test_attendance_put_replaces_and_validates(world, api):
    meeting = new_meeting(world)
    rows = api(
        "samordnare",
        "put",
        f"/meetings/{meeting.pk}/attendance",
        {
            "rows": [
                {"name": "Anna Andersson", "status": "narvarande", "organisation": world.org_a.pk},
                {"name": "Bo Berg", "status": "ersattare", "substitute_for": "Cecilia"},
            ]
        },
    )
    assert rows.status_code == 200 and len(rows.json()) == 2
    anna = Attendance.objects.get(meeting=meeting, name="Anna Andersson")
    again = api(
        "samordnare",
        "put",
        f"/meetings/{meeting.pk}/attendance",
        {"rows": [{"id": anna.pk, "status": "franvarande"}]},
    )
    assert again.status_code == 200
    assert list(Attendance.objects.filter(meeting=meeting).values_list("name", "status")) == [
        ("Anna Andersson", "franvarande")
    ]
    bad = api(
        "samordnare",
        "put",
        f"/meetings/{meeting.pk}/attendance",
        {"rows": [{"name": "X", "status": "ersattare"}]},
    )
    assert bad.status_code == 422
    foreign = api(
        "samordnare",
        "put",
        f"/meetings/{meeting.pk}/attendance",
        {"rows": [{"name": "X", "organisation": world.org_b.pk}]},
    )
    assert foreign.status_code == 422
    assert Attendance.objects.filter(meeting=meeting).count() == 1


def test_draft_through_the_api(world, api):
    meeting = new_meeting(world)
    response = api("samordnare", "post", f"/meetings/{meeting.pk}/agenda/draft", {})
    assert response.status_code == 200 and response.json()["created"] >= 10
    assert api("samordnare", "post", f"/meetings/{meeting.pk}/agenda/draft", {}).json()["created"] == 0
    draft_agenda(meeting, world.users["samordnare"])
