"""Justering: send (needs a justerare, sets the due date, locks), approve with the content's SHA-256,
decline with comments per item (back to draft), the due-date reminders once a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from samverkan.core.models import AuditEntry, Level
from samverkan.meetings.models import JusteringItemComment, JusteringResponse, Minutes
from samverkan.meetings.services import justering as justering_services
from samverkan.meetings.services import minutes as minutes_services
from tests.meetings.test_minutes import add_member, body, draft_meeting, items_by_level, minutes_url


def _two_justerare(world):
    return add_member(world, "justerare1", "ledamot"), add_member(world, "justerare2", "ledamot")


def _post(world, persona, meeting, **data):
    return world.client(persona).post(minutes_url(meeting, "justering/"), data)


def test_send_needs_a_named_justerare(world):
    meeting = draft_meeting(world)
    response = _post(world, "samordnare", meeting, action="send")
    assert response.status_code == 422
    assert "Ange minst en justerare" in body(response)
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.UTKAST


def test_send_opens_a_round_sets_the_due_date_and_locks(world):
    j1, j2 = _two_justerare(world)
    # 23:30 UTC on 14 April is 01:30 on 15 April in Stockholm (summer time): the meeting day is the 15th.
    meeting = draft_meeting(
        world, justerare=(j1, j2), starts_at=dt.datetime(2026, 4, 14, 23, 30, tzinfo=dt.UTC)
    )
    response = _post(world, "samordnare", meeting, action="send")
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.FOR_JUSTERING and minutes.locked
    assert minutes.justering_round == 1
    assert minutes.justering_due_on == dt.date(2026, 4, 29)
    with pytest.raises(minutes_services.MinutesLocked):
        minutes_services.ensure_editable(meeting)
    assert AuditEntry.objects.filter(target_type="meetings.minutes", target_id=str(minutes.pk)).exists()


@pytest.mark.parametrize("persona", ["ledamot", "lasare"])
def test_only_a_writer_of_the_minutes_sends_them(world, persona):
    j1, _j2 = _two_justerare(world)
    meeting = draft_meeting(world, justerare=(j1,))
    response = _post(world, persona, meeting, action="send")
    assert response.status_code == 403
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.UTKAST


def test_approving_as_someone_who_is_not_a_named_justerare_is_refused(world):
    j1, _j2 = _two_justerare(world)
    meeting = draft_meeting(world, justerare=(j1,))
    justering_services.send_for_justering(meeting=meeting, acting_user=world.users["samordnare"])
    response = _post(world, "samordnare", meeting, action="approve")
    assert response.status_code == 403
    assert "Bara de justerare som är utsedda" in body(response)
    assert not JusteringResponse.objects.exists()
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.FOR_JUSTERING


def test_every_justerare_approves_then_the_minutes_are_justerade_with_the_sha256(world):
    j1, j2 = _two_justerare(world)
    meeting = draft_meeting(world, justerare=(j1, j2))
    justering_services.send_for_justering(meeting=meeting, acting_user=world.users["samordnare"])
    sha = minutes_services.content_sha256(meeting)
    page = body(world.client("justerare1").get(minutes_url(meeting, "justering/")))
    assert sha in page and "Godkänn protokollet" in page
    assert _post(world, "justerare1", meeting, action="approve", content_sha256=sha).status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.FOR_JUSTERING and minutes.justerat_at is None
    assert _post(world, "justerare2", meeting, action="approve", content_sha256=sha).status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.JUSTERAT and minutes.justerat_at is not None
    assert minutes.content_sha256 == sha
    assert set(JusteringResponse.objects.values_list("content_sha256", flat=True)) == {sha}
    # Justerade minutes list each approver on the page (and the PDF's justering page).
    page = body(world.client("ledamot").get(minutes_url(meeting)))
    assert "Justering" in page and page.count(sha) == 2


def test_answering_twice_is_refused(world):
    j1, j2 = _two_justerare(world)
    meeting = draft_meeting(world, justerare=(j1, j2))
    justering_services.send_for_justering(meeting=meeting, acting_user=world.users["samordnare"])
    _post(world, "justerare1", meeting, action="approve")
    response = _post(world, "justerare1", meeting, action="approve")
    assert response.status_code == 422 and "redan svarat" in body(response)
    assert JusteringResponse.objects.count() == 1


def test_approving_content_that_changed_since_it_was_read_is_refused(world):
    j1, _j2 = _two_justerare(world)
    meeting = draft_meeting(world, justerare=(j1,))
    justering_services.send_for_justering(meeting=meeting, acting_user=world.users["samordnare"])
    response = _post(world, "justerare1", meeting, action="approve", content_sha256="0" * 64)
    assert response.status_code == 422
    assert "har ändrats sedan du läste det" in body(response)
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.FOR_JUSTERING


def test_decline_with_a_comment_per_item_returns_the_draft_to_the_secretary(world):
    secretary = add_member(world, "sekreterare", "ledamot")
    j1, j2 = _two_justerare(world)
    meeting = draft_meeting(world, secretary=secretary, justerare=(j1, j2))
    justering_services.send_for_justering(meeting=meeting, acting_user=secretary)
    item = items_by_level(meeting)[Level.INTERN]
    response = _post(
        world,
        "justerare1",
        meeting,
        action="decline",
        comment="",
        **{f"punkt_{item.pk}": "Beslutet saknar datum."},
    )
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.UTKAST and not minutes.locked
    assert JusteringItemComment.objects.get().item == item
    page = body(world.client("sekreterare").get(minutes_url(meeting)))
    assert "Beslutet saknar datum." in page and "godkände inte protokollet" in page
    minutes_services.ensure_editable(meeting)  # the secretary may edit again
    # The next sending opens a new round; the declined one is kept.
    justering_services.send_for_justering(meeting=meeting, acting_user=secretary)
    minutes.refresh_from_db()
    assert minutes.justering_round == 2 and JusteringResponse.objects.filter(round=1).count() == 1


def test_decline_without_any_comment_is_refused(world):
    j1, _j2 = _two_justerare(world)
    meeting = draft_meeting(world, justerare=(j1,))
    justering_services.send_for_justering(meeting=meeting, acting_user=world.users["samordnare"])
    response = _post(world, "justerare1", meeting, action="decline", comment="")
    assert response.status_code == 422
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.FOR_JUSTERING


def test_a_justerare_cannot_comment_on_an_item_they_may_not_read(world):
    j1, _j2 = _two_justerare(world)  # justerare1 is a ledamot
    meeting = draft_meeting(world, justerare=(j1,))
    justering_services.send_for_justering(meeting=meeting, acting_user=world.users["samordnare"])
    page = body(world.client("justerare1").get(minutes_url(meeting, "justering/")))
    assert "KANARIE-A-BEGRANSAD" not in page


def test_reminders_go_to_justerare_who_have_not_answered_once_a_day(world):
    j1, j2 = _two_justerare(world)
    meeting = draft_meeting(world, justerare=(j1, j2))
    justering_services.send_for_justering(meeting=meeting, acting_user=world.users["samordnare"])
    justering_services.approve(meeting=meeting, acting_user=j1)
    due = Minutes.objects.get(meeting=meeting).justering_due_on
    mail.outbox.clear()
    with django_capture_on_commit():
        assert justering_services.send_due_reminders(today=due - dt.timedelta(days=10)) == 0
        assert justering_services.send_due_reminders(today=due - dt.timedelta(days=1)) == 1
        assert justering_services.send_due_reminders(today=due - dt.timedelta(days=1)) == 0  # same day
        # Overdue: again the next day it runs.
        assert justering_services.send_due_reminders(today=due + dt.timedelta(days=2)) == 1
    assert [m.to for m in mail.outbox] == [[j2.email], [j2.email]]
    assert "justerare" in mail.outbox[0].body and str(due) in mail.outbox[0].subject


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_no_reminders_once_justerade(world):
    j1, _j2 = _two_justerare(world)
    meeting = draft_meeting(world, justerare=(j1,))
    justering_services.send_for_justering(meeting=meeting, acting_user=world.users["samordnare"])
    justering_services.approve(meeting=meeting, acting_user=j1)
    due = Minutes.objects.get(meeting=meeting).justering_due_on
    assert justering_services.send_due_reminders(today=due) == 0


@pytest.mark.parametrize(
    ("starts_at", "due"),
    [
        # 23:30 UTC the night before summer time begins is already 29 March in Stockholm.
        (dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC), dt.date(2026, 4, 12)),
        # 22:30 UTC on 24 October is 00:30 on 25 October (CEST, the night summer time ends).
        (dt.datetime(2026, 10, 24, 22, 30, tzinfo=dt.UTC), dt.date(2026, 11, 8)),
        (dt.datetime(2026, 10, 24, 21, 30, tzinfo=dt.UTC), dt.date(2026, 11, 7)),
    ],
)
def test_due_date_is_fourteen_days_after_the_meeting_day_in_stockholm(world, starts_at, due):
    meeting = draft_meeting(world, starts_at=starts_at)
    assert justering_services.justering_due_on(meeting) == due


def test_decline_comments_are_shown_only_to_those_who_write_the_minutes(world):
    # A justerare's comments are working notes for the secretary; a general comment carries no level, so a
    # reader of the minutes who does not write them never sees it (it could quote a begränsad item).
    secretary = add_member(world, "sekreterare", "ledamot")
    j1, _j2 = _two_justerare(world)
    meeting = draft_meeting(world, secretary=secretary, justerare=(j1,))
    justering_services.send_for_justering(meeting=meeting, acting_user=secretary)
    item = items_by_level(meeting)[Level.OPPEN]
    _post(
        world, "justerare1", meeting, action="decline", comment="ALLMAN-KOMMENTAR",
        **{f"punkt_{item.pk}": "PUNKT-KOMMENTAR"},
    )  # fmt: skip
    for persona in ("sekreterare", "samordnare", "justerare1"):  # the justerare sees their own
        page = body(world.client(persona).get(minutes_url(meeting)))
        assert "ALLMAN-KOMMENTAR" in page and "PUNKT-KOMMENTAR" in page
    for persona in ("ledamot", "lasare"):
        page = body(world.client(persona).get(minutes_url(meeting)))
        assert "ALLMAN-KOMMENTAR" not in page and "PUNKT-KOMMENTAR" not in page
