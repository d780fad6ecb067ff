"""The agenda's draft is built once per (collaboration revision, data points' revision, reader's standing,
meeting, language) and kept (``services.agenda.cached_drafts``): drafting again at the same revision does not
read the cycle again, yet logs the begränsad rows the draft holds for each writer; a writer of a lower
standing never drafts from what was built for a higher one; any change to the cycle is a new draft."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import translation

from samverkan.actions.models import Rating
from samverkan.core.models import Level
from samverkan.core.publication import database_epoch
from samverkan.meetings.services import agenda
from samverkan.meetings.services.agenda import draft_agenda
from tests.actions.factories_followup import make_followup
from tests.audit import logged_ids
from tests.meetings.test_agenda import by_key, items, new_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch) -> list[Any]:
    """Every time the draft is built from the cycle, the writer it was built for."""
    # The database's epoch, which every cache key names, made as the first page of a new database makes
    # it: a draft rolled back before anything made it would take a new epoch back with it.
    database_epoch()
    made: list[Any] = []
    real = agenda.build_drafts

    def counting(user: Any, meeting: Any) -> Any:
        made.append(user)
        return real(user, meeting)

    monkeypatch.setattr(agenda, "build_drafts", counting)
    return made


def _tried(meeting: Any, user: Any) -> None:
    """Drafting that is rolled back (a refused save, or the bench)."""
    with transaction.atomic():
        draft_agenda(meeting, user)
        transaction.set_rollback(True)


def test_a_writer_of_a_lower_standing_never_drafts_from_what_was_built_for_a_higher_one(world, builds):
    ledamot = world.users["ledamot"]
    meeting = new_meeting(world, secretary=ledamot)
    _tried(meeting, world.users["samordnare"])
    draft_agenda(meeting, ledamot)
    assert builds == [world.users["samordnare"], ledamot]
    text = "\n".join(i.prepared_text + i.title for i in items(meeting) if not i.carried_from_id)
    assert "KANARIE-A-INTERN åtgärd" in text and "KANARIE-A-BEGRANSAD" not in text


def test_a_follow_up_saved_after_a_draft_is_in_the_next_draft(world, builds):
    samordnare = world.users["samordnare"]
    meeting = new_meeting(world)
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    _tried(meeting, samordnare)
    make_followup(action, meeting.starts_at.date(), Rating.ROD)
    draft_agenda(meeting, samordnare)
    assert len(builds) == 2
    point = by_key(meeting)["uppfoljning"].prepared_text
    line = next(line for line in point.splitlines() if action.title in line)
    assert "Röd vid senaste uppföljningen" in line


def test_a_draft_in_english_is_not_the_swedish_one(world, builds):
    samordnare = world.users["samordnare"]
    meeting = new_meeting(world)
    _tried(meeting, samordnare)
    with translation.override("en"):
        draft_agenda(meeting, samordnare)
    assert len(builds) == 2
    assert "Follow-up of actions" in {i.title for i in items(meeting)}


# --- The draft prepared once the agenda page, or the meeting page, is out (``prepare_drafts``) ----------


def _page(world: Any, role: str, meeting: Any, page: str = "dagordning/") -> None:
    response = world.client(role).get(f"/samverkan/{meeting.collaboration_id}/moten/{meeting.pk}/{page}")
    assert response.status_code == 200


# How a draft comes to be kept before the writer drafts: a draft rolled back (a refused save, the bench), or
# prepared once the writer's agenda page or meeting page was sent (``prepare_drafts``).
KEPT_BY = {
    "rolled back": lambda world, meeting: _tried(meeting, world.users["samordnare"]),
    "agenda page": lambda world, meeting: _page(world, "samordnare", meeting),
    "meeting page": lambda world, meeting: _page(world, "samordnare", meeting, ""),
}


@pytest.mark.parametrize("kept_by", KEPT_BY)
def test_a_kept_draft_is_built_once_and_its_begransad_rows_are_logged_when_drafted_from(
    world, builds, kept_by
):
    samordnare = world.users["samordnare"]
    meeting = new_meeting(world)
    begransad = world.cycle["A"]["levels"][Level.BEGRANSAD]["action"]
    KEPT_BY[kept_by](world, meeting)
    assert builds == [samordnare]
    # Kept is not read: the begränsad action is logged when a draft is made from it, not before.
    assert str(begransad.pk) not in logged_ids(samordnare, "actions.action")
    draft_agenda(meeting, samordnare)
    assert builds == [samordnare]
    assert str(begransad.pk) in logged_ids(samordnare, "actions.action")
    assert any(str(begransad.pk) in map(str, i.source.get("actions", [])) for i in items(meeting))


def test_the_prepared_draft_is_in_the_pages_language(world, builds):
    samordnare = world.users["samordnare"]
    meeting = new_meeting(world)
    client = world.client("samordnare")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/samverkan/{meeting.collaboration_id}/moten/{meeting.pk}/dagordning/")
    assert response.status_code == 200 and response.headers["Content-Language"] == "en"
    with translation.override("en"):
        draft_agenda(meeting, samordnare)
    assert builds == [samordnare]
    assert "Follow-up of actions" in {i.title for i in items(meeting)}


def test_a_reader_who_cannot_draft_prepares_nothing(world, builds):
    meeting = new_meeting(world)
    _page(world, "ledamot", meeting)
    _page(world, "ledamot", meeting, "")
    assert builds == []


def test_nothing_is_prepared_for_minutes_out_for_justering_or_a_cancelled_meeting(world, builds):
    from samverkan.meetings.models import Meeting, Minutes

    out = new_meeting(world)
    Minutes.objects.create(meeting=out, status=Minutes.Status.FOR_JUSTERING)
    cancelled = new_meeting(world, title="Inställt", status=Meeting.Status.INSTALLT)
    for meeting in (out, cancelled):
        _page(world, "samordnare", meeting)
        _page(world, "samordnare", meeting, "")
    assert builds == []


def test_a_change_after_the_page_is_a_new_draft(world, builds):
    samordnare = world.users["samordnare"]
    meeting = new_meeting(world)
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    _page(world, "samordnare", meeting)
    make_followup(action, meeting.starts_at.date(), Rating.ROD)
    draft_agenda(meeting, samordnare)
    assert builds == [samordnare, samordnare]
    line = next(
        line for line in by_key(meeting)["uppfoljning"].prepared_text.splitlines() if action.title in line
    )
    assert "Röd vid senaste uppföljningen" in line
