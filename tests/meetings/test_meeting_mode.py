"""Meeting mode and the agenda page through the Django client: item by item, texts saved as you go
(htmx: 200, 409 with both texts, 422), follow-ups through the action plan's service, decisions, work
orders, the joint picture, attendance; all without JavaScript too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from samverkan.actions.models import FollowUp, WorkOrder
from samverkan.core.models import AuditEntry, Level
from samverkan.meetings.models import AgendaItem, Attendance, Decision, MeetingFollowUp, Minutes
from samverkan.meetings.services.agenda import draft_agenda
from samverkan.meetings.services.meeting_mode import field_hash
from tests.meetings.test_agenda import by_key, new_meeting
from tests.test_visibility_matrix import response_text

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def mode_url(meeting, name="meetings:meeting_mode", *args):
    return reverse(name, args=[meeting.collaboration_id, meeting.pk, *args])


@pytest.fixture
def drafted(world):
    meeting = new_meeting(world)
    draft_agenda(meeting, world.users["samordnare"])
    return meeting


def test_agenda_page_shows_only_readable_items(world, drafted):
    url = reverse("meetings:agenda", args=[world.a.pk, drafted.pk])
    body = world.client("samordnare").get(url).content.decode()
    assert "Polisens information" in body and "KANARIE-A-BEGRANSAD" in body
    for persona in ("ledamot", "lasare"):
        response = world.client(persona).get(url)
        assert response.status_code == 200
        text = response.content.decode()
        assert "KANARIE-A-INTERN" in text
        assert "KANARIE-A-BEGRANSAD" not in text and "Polisens information" not in text
    assert world.client("outsider").get(url).status_code == 404


def test_begransad_items_shown_are_logged(world, drafted):
    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    world.client("polis").get(reverse("meetings:agenda", args=[world.a.pk, drafted.pk]))
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() > before


def test_meeting_pack_per_reader(world, drafted):
    url = reverse("meetings:meeting_pack", args=[world.a.pk, drafted.pk])
    full = response_text(world.client("samordnare").get(url))
    assert "Polisens information" in full and "KANARIE-A-BEGRANSAD" in full
    response = world.client("ledamot").get(url)
    assert response["Content-Type"] == "application/pdf"
    text = response_text(response)
    assert "KANARIE-A-INTERN" in text
    assert "KANARIE-A-BEGRANSAD" not in text and "Polisens information" not in text


def test_draft_and_edit_through_the_page(world):
    meeting = new_meeting(world)
    client = world.client("samordnare")
    response = client.post(reverse("meetings:agenda_draft", args=[world.a.pk, meeting.pk]))
    assert response.status_code == 302
    assert AgendaItem.objects.filter(meeting=meeting).count() >= 10
    assert (
        world.client("ledamot")
        .post(reverse("meetings:agenda_draft", args=[world.a.pk, meeting.pk]))
        .status_code
        == 403
    )
    item = by_key(meeting)["beslut"]
    edit = reverse("meetings:agenda_item_edit", args=[world.a.pk, meeting.pk, item.pk])
    data = {
        "title": "Beslut om budget",
        "prepared_text": "Underlag",
        "level": "intern",
        "version": item.version,
    }
    assert client.post(edit, data).status_code == 302
    # The same stale version again: 409 with both texts.
    stale = client.post(edit, {**data, "title": "Något annat"})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Beslut om budget" in body and "Något annat" in body
    created = client.post(
        reverse("meetings:agenda_item_create", args=[world.a.pk, meeting.pk]),
        {"title": "Ny punkt", "kind": "ovrigt", "level": "oppen", "prepared_text": "Ring 19811218-9876"},
    )
    assert created.status_code == 422
    assert not AgendaItem.objects.filter(meeting=meeting, title="Ny punkt").exists()


def test_mode_page_item_by_item(world, drafted):
    client = world.client("samordnare")
    # The meeting's page leads to meeting mode for whoever writes the minutes, and only for them.
    detail = reverse("meetings:meeting_detail", args=[world.a.pk, drafted.pk])
    assert mode_url(drafted) in client.get(detail).content.decode()
    assert mode_url(drafted) not in world.client("ledamot").get(detail).content.decode()
    response = client.get(mode_url(drafted))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'accesskey="."' in body and "Mötets öppnande" in body
    police = by_key(drafted)["polisinformation"]
    assert "Polisens information" in client.get(mode_url(drafted) + f"?punkt={police.pk}").content.decode()
    for persona in ("ledamot", "lasare", "polis"):
        assert world.client(persona).get(mode_url(drafted)).status_code == 403
    assert world.client("outsider").get(mode_url(drafted)).status_code == 404


def test_secretary_who_is_ledamot_cannot_reach_begransad_item(world):
    meeting = new_meeting(world, secretary=world.users["ledamot"])
    draft_agenda(meeting, world.users["samordnare"])
    police = by_key(meeting)["polisinformation"]
    client = world.client("ledamot")
    assert client.get(mode_url(meeting)).status_code == 200
    body = client.get(mode_url(meeting) + f"?punkt={police.pk}").content.decode()
    assert "Polisens information" not in body
    url = mode_url(meeting, "meetings:mode_field", police.pk)
    assert client.post(url, {"field": "notes", "value": "x", "version": police.version}).status_code == 404


def test_field_saved_as_you_go_with_conflict_and_bad_input(world, drafted, samordnare2):
    item = by_key(drafted)["oppnande"]
    url = mode_url(drafted, "meetings:mode_field", item.pk)
    first, second = world.client("samordnare"), world.client("samordnare2")
    seen = field_hash("")
    ok = first.post(
        url, {"field": "notes", "value": "Mötet öppnades", "version": item.version, "seen": seen}, **HTMX
    )
    assert ok.status_code == 200 and "Sparad" in ok.content.decode()
    # The same secretary saves another text of the point with the point's old version: not a conflict.
    proposal = mode_url(drafted, "meetings:mode_field", item.pk)
    assert (
        first.post(
            proposal, {"field": "proposal", "value": "Förslag", "version": item.version, "seen": seen}, **HTMX
        ).status_code
        == 200
    )
    # A second secretary wrote the notes from the old page: 409 with both texts, nothing lost.
    clash = second.post(
        url, {"field": "notes", "value": "Andra texten", "version": item.version, "seen": seen}, **HTMX
    )
    assert clash.status_code == 409
    body = clash.content.decode()
    assert "Mötet öppnades" in body and "Andra texten" in body
    assert AgendaItem.objects.get(pk=item.pk).notes == "Mötet öppnades"
    # Bad input: too long (422), a personnummer (422), an unknown field (403).
    too_long = first.post(url, {"field": "notes", "value": "x" * 20_001, "version": ""}, **HTMX)
    assert too_long.status_code == 422
    pnr = first.post(url, {"field": "notes", "value": "Gäller 19811218-9876"}, **HTMX)
    assert pnr.status_code == 422 and "personnummer" in pnr.content.decode().lower()
    assert (
        first.post(
            mode_url(drafted, "meetings:mode_field", item.pk), {"field": "title", "value": "x"}
        ).status_code
        == 403
    )
    # Without JavaScript: a redirect back to the point.
    plain = first.post(
        url, {"field": "notes", "value": "Utan JS", "version": AgendaItem.objects.get(pk=item.pk).version}
    )
    assert plain.status_code == 302 and f"punkt={item.pk}" in plain["Location"]


def test_followup_in_place_through_the_action_plans_service(world):
    meeting = new_meeting(world, start=dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC))
    draft_agenda(meeting, world.users["samordnare"])
    item = by_key(meeting)["uppfoljning"]
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    client = world.client("samordnare")
    page = client.get(mode_url(meeting) + f"?punkt={item.pk}").content.decode()
    assert "Eskalerad" in page or "Tidigare bedömningar" in page
    assert "Grön" in page and "rating-choice__definition" in page
    url = mode_url(meeting, "meetings:mode_followup", item.pk, action.pk)
    prefix = f"a{action.pk}"
    # Gul last time; grön without a reason is refused by the service's rule.
    refused = client.post(
        url, {f"{prefix}-rating": "gron", f"{prefix}-followed_up_on": "2026-12-02", f"{prefix}-version": 0}
    )
    assert refused.status_code == 422 and "skriv varför" in refused.content.decode()
    done = client.post(
        url,
        {
            f"{prefix}-rating": "gron",
            f"{prefix}-reason": "Klart enligt plan",
            f"{prefix}-followed_up_on": "2026-12-02",
            f"{prefix}-version": 0,
        },
    )
    assert done.status_code == 302
    row = FollowUp.objects.get(action=action, followed_up_on=dt.date(2026, 12, 2))
    assert row.rating == "gron"
    link = MeetingFollowUp.objects.get(followup=row)
    assert link.meeting == meeting and link.item == item
    # A begränsad action of the point, followed up by a ledamot who may not read it: 404.
    restricted = world.cycle["A"]["levels"][Level.BEGRANSAD]["action"]
    assert (
        world.client("ledamot")
        .post(mode_url(meeting, "meetings:mode_followup", item.pk, restricted.pk))
        .status_code
        == 403
    )


def test_decision_work_order_handled_and_picture(world, drafted):
    client = world.client("samordnare")
    item = by_key(drafted)["beslut"]
    url = mode_url(drafted, "meetings:mode_decision", item.pk)
    assert client.post(url, {"text": "Mer belysning i parken"}).status_code == 302
    decision = Decision.objects.get(meeting=drafted)
    assert decision.label == "§ 4/2026" and decision.level == item.level
    clash = client.post(url, {"text": "Krock", "number": 4})
    assert clash.status_code == 422 and "finns redan" in clash.content.decode()
    orders = mode_url(drafted, "meetings:mode_work_order", item.pk)
    assert (
        client.post(orders, {"title": "Inventera belysning", "organisation": world.org_a.pk}).status_code
        == 302
    )
    order = WorkOrder.objects.get(title="Inventera belysning")
    assert order.due_next_meeting and order.due_on is None and order.level == Level.INTERN
    assert client.post(orders, {"title": "", "organisation": ""}).status_code == 422
    handled = client.post(mode_url(drafted, "meetings:mode_handled", item.pk), {"handled": "1"})
    assert handled.status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).handled
    picture_item = by_key(drafted)["gemensam"]
    assert picture_item.source.get("round")
    agreed = client.post(mode_url(drafted, "meetings:mode_picture", picture_item.pk))
    assert agreed.status_code == 302
    assert AgendaItem.objects.get(pk=picture_item.pk).source["picture_versions"]


def test_attendance_prefilled_and_set(world, drafted):
    from samverkan.agreements.models import GroupMember

    client = world.client("samordnare")
    url = mode_url(drafted, "meetings:mode_attendance")
    assert client.post(url, {"prefill": "1"}).status_code == 302
    members = GroupMember.objects.filter(group=drafted.group, level=Level.OPPEN).count()
    rows = list(Attendance.objects.filter(meeting=drafted))
    assert len(rows) == members
    data = {"new-name": "Kim Ersättare", "new-status": "ersattare", "new-substitute": ""}
    refused = client.post(url, data)
    assert refused.status_code == 422 and "ersätter" in refused.content.decode()
    data["new-substitute"] = "Ordinarie ledamot"
    assert client.post(url, data).status_code == 302
    assert Attendance.objects.get(meeting=drafted, name="Kim Ersättare").status == "ersattare"


def test_locked_minutes_refuse_meeting_mode_writes(world, drafted):
    Minutes.objects.create(meeting=drafted, status=Minutes.Status.JUSTERAT)
    item = by_key(drafted)["beslut"]
    client = world.client("samordnare")
    assert "låst" in client.get(mode_url(drafted)).content.decode()
    response = client.post(
        mode_url(drafted, "meetings:mode_field", item.pk), {"field": "notes", "value": "x"}, **HTMX
    )
    assert response.status_code == 422 and "låst" in response.content.decode()
    assert client.post(mode_url(drafted, "meetings:mode_decision", item.pk), {"text": "x"}).status_code == 422
    assert not Decision.objects.filter(meeting=drafted).exists()


def test_attendance_rating_and_decision_answer_htmx_with_their_block_and_plain_posts_come_back(world):
    """With htmx each form gets its own block back (200 saved, 422 refused, 409 with both texts); without
    JavaScript the same POST redirects to the point, at the block's anchor."""
    meeting = new_meeting(world, start=dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC))
    draft_agenda(meeting, world.users["samordnare"])
    item = by_key(meeting)["uppfoljning"]
    client = world.client("samordnare")

    attendance = mode_url(meeting, "meetings:mode_attendance")
    saved = client.post(attendance, {"new-name": "Kim Kallad", "punkt": item.pk}, **HTMX)
    text = saved.content.decode()
    assert saved.status_code == 200 and text.lstrip().startswith('<details id="narvaro"')
    assert "Kim Kallad" in text and "Närvaron är sparad." in text and "<html" not in text
    refused = client.post(attendance, {"new-name": "Utan ordinarie", "new-status": "ersattare"}, **HTMX)
    assert refused.status_code == 422 and "Närvaron är inte sparad" in refused.content.decode()
    assert not Attendance.objects.filter(meeting=meeting, name="Utan ordinarie").exists()
    plain = client.post(attendance, {"new-name": "Utan JS", "punkt": item.pk})
    assert plain.status_code == 302 and plain["Location"].endswith(f"?punkt={item.pk}#narvaro")

    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    prefix = f"a{action.pk}"
    url = mode_url(meeting, "meetings:mode_followup", item.pk, action.pk)
    rating = {f"{prefix}-rating": "gul", f"{prefix}-followed_up_on": "2026-12-02", f"{prefix}-version": 0}
    rated = client.post(url, {**rating, f"{prefix}-done": "Halvvägs"}, **HTMX)
    text = rated.content.decode()
    assert rated.status_code == 200 and f'id="atgard-{action.pk}"' in text and "<html" not in text
    assert "är sparad" in text  # and the form afresh, with the rating just given
    assert f'id="{prefix}-rating-gul" aria-describedby="{prefix}-rating-gul-def" checked' in text
    assert FollowUp.objects.get(action=action, followed_up_on=dt.date(2026, 12, 2)).done == "Halvvägs"
    # The same form from an older page (version 0): 409 with both texts, nothing overwritten.
    clash = client.post(url, {**rating, f"{prefix}-done": "Annan text"}, **HTMX)
    assert clash.status_code == 409
    assert "Halvvägs" in clash.content.decode() and "Annan text" in clash.content.decode()
    assert FollowUp.objects.get(action=action, followed_up_on=dt.date(2026, 12, 2)).done == "Halvvägs"
    version = FollowUp.objects.get(action=action, followed_up_on=dt.date(2026, 12, 2)).version
    plain = client.post(url, {**rating, f"{prefix}-version": version, f"{prefix}-done": "Utan JS"})
    assert plain.status_code == 302 and plain["Location"].endswith(f"?punkt={item.pk}#atgard-{action.pk}")

    decision = mode_url(meeting, "meetings:mode_decision", item.pk)
    made = client.post(decision, {"text": "Fortsätt med belysningen"}, **HTMX)
    text = made.content.decode()
    assert made.status_code == 200 and text.lstrip().startswith('<div id="beslut"')
    label = Decision.objects.get(meeting=meeting).label
    assert label in text and "Fortsätt med belysningen" in text and "<html" not in text
    clash = client.post(decision, {"text": "Krock", "number": label.split()[1].split("/")[0]}, **HTMX)
    assert clash.status_code == 422 and "finns redan" in clash.content.decode()
    plain = client.post(decision, {"text": "Utan JS"})
    assert plain.status_code == 302 and plain["Location"].endswith(f"?punkt={item.pk}#beslut")
    assert Decision.objects.filter(meeting=meeting).count() == 2
