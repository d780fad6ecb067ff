"""The minutes page shares what it reads of a meeting between readers of one standing until the
collaboration changes (meetings/selectors/cache.py): a reader of a lower standing never gets what was
cached for a higher one, every write to the minutes shows on the next request, begränsad points are
logged on every view (also from the cache), and the queries a page makes do not grow with the meeting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from samverkan.core.models import Level
from samverkan.core.publication import public_revision_bump
from samverkan.meetings.models import AgendaItem, Attendance, Decision, Minutes
from samverkan.meetings.services import minutes as minutes_services
from samverkan.meetings.services.agenda import agenda_item_move
from tests.audit import read_entries
from tests.conftest import CANARIES_A
from tests.meetings.test_minutes import (
    body,
    draft_meeting,
    items_by_level,
    make_justerat,
    minutes_url,
    pdf_text,
)

BEGRANSAD = f"{CANARIES_A[Level.BEGRANSAD]}-M"
INTERN = f"{CANARIES_A[Level.INTERN]}-M"


def _page(world: Any, persona: str, meeting: Any) -> str:
    response = world.client(persona).get(minutes_url(meeting))
    assert response.status_code == 200
    return body(response)


def test_a_reader_of_a_lower_standing_never_gets_what_was_cached_for_a_higher_one(world):
    meeting = draft_meeting(world)
    assert BEGRANSAD in _page(world, "samordnare", meeting)
    # The samordnare's request cached the minutes; the ledamot and the läsare read their own.
    ledamot = _page(world, "ledamot", meeting)
    assert INTERN in ledamot and BEGRANSAD not in ledamot
    lasare = _page(world, "lasare", meeting)
    assert BEGRANSAD not in lasare
    # Nor the other way round: what the ledamot's request cached does not hide the polis's points.
    assert BEGRANSAD in _page(world, "polis", meeting)
    assert BEGRANSAD not in _page(world, "ledamot", meeting)


def test_begransad_points_are_logged_on_every_view_also_from_the_cache(world):
    meeting = draft_meeting(world)
    polis = world.users["polis"]
    hidden = items_by_level(meeting)[Level.BEGRANSAD]
    for view in range(1, 4):
        _page(world, "polis", meeting)
        entries = list(read_entries(polis).values_list("changes", flat=True))
        assert len(entries) == view  # one entry per view
        assert str(hidden.pk) in entries[-1]["read"]["meetings.agendaitem"]
    before = read_entries().count()
    _page(world, "ledamot", meeting)  # reads nothing begränsad: nothing logged
    assert read_entries().count() == before


def _write_item_notes(world: Any, meeting: Any) -> str:
    item = items_by_level(meeting)[Level.OPPEN]
    minutes_services.item_update(
        item=item, acting_user=world.users["samordnare"], version=item.version, notes="Ny anteckning 1"
    )
    return "Ny anteckning 1"


def _write_decision(world: Any, meeting: Any) -> str:
    decision = Decision.objects.get(meeting=meeting, level=Level.OPPEN)
    decision.text = "Nytt beslut 2"
    decision.save()
    return "Nytt beslut 2"


def _write_attendance(world: Any, meeting: Any) -> str:
    Attendance.objects.create(collaboration=world.a, meeting=meeting, name="Ny deltagare 3", order=9)
    return "Ny deltagare 3"


def _write_point(world: Any, meeting: Any) -> str:
    AgendaItem.objects.create(
        collaboration=world.a, meeting=meeting, level=Level.INTERN, order=9, title="Ny punkt 4"
    )
    return "Ny punkt 4"


def _write_justering_state(world: Any, meeting: Any) -> str:
    Minutes.objects.filter(meeting=meeting).update(status=Minutes.Status.FOR_JUSTERING)
    return str(Minutes.Status.FOR_JUSTERING.label)


def _write_amendment(world: Any, meeting: Any) -> str:
    make_justerat(meeting, ())
    minutes_services.amend(
        meeting=meeting, acting_user=world.users["samordnare"], text="Rättelse 5", item=None
    )
    return "Rättelse 5"


@pytest.mark.parametrize(
    "write",
    [
        _write_item_notes,
        _write_decision,
        _write_attendance,
        _write_point,
        _write_justering_state,
        _write_amendment,
    ],
)
def test_a_write_to_the_minutes_shows_on_the_next_request(world, write):
    meeting = draft_meeting(world)
    _page(world, "samordnare", meeting)
    before = _page(world, "samordnare", meeting)  # from the cache now
    shown = write(world, meeting)
    assert shown not in before
    assert shown in _page(world, "samordnare", meeting)


def test_moving_a_point_shows_on_the_next_request(world):
    meeting = draft_meeting(world)
    samordnare = world.users["samordnare"]
    items = items_by_level(meeting)
    text = _page(world, "samordnare", meeting)
    assert text.index(f"{CANARIES_A[Level.OPPEN]}-M punkt") < text.index(f"{INTERN} punkt")
    agenda_item_move(item=items[Level.OPPEN], up=False, acting_user=samordnare)
    text = _page(world, "samordnare", meeting)
    assert text.index(f"{CANARIES_A[Level.OPPEN]}-M punkt") > text.index(f"{INTERN} punkt")


def _add_points(world: Any, meeting: Any, count: int) -> None:
    for n in range(count):
        item = AgendaItem.objects.create(
            collaboration=world.a,
            meeting=meeting,
            level=(Level.OPPEN, Level.INTERN, Level.BEGRANSAD)[n % 3],
            order=10 + n,
            title=f"Extra punkt {n}",
            notes="Anteckning.",
        )
        Decision.objects.create(
            collaboration=world.a,
            level=item.level,
            meeting=meeting,
            item=item,
            group=meeting.group,
            year=meeting.starts_at.year,
            number=100 + n + 10 * meeting.pk,
            text="Beslut.",
        )


def _queries(world: Any, meeting: Any) -> int:
    client = world.client("polis")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(minutes_url(meeting)).status_code == 200
    return len(queries)


def test_the_queries_of_the_page_do_not_grow_with_the_meeting_and_fall_once_cached(world):
    small = draft_meeting(world, tag="S")
    large = draft_meeting(world, tag="L", starts_at=dt.datetime(2026, 5, 14, 8, 0, tzinfo=dt.UTC))
    _add_points(world, large, 12)
    _queries(world, small)  # what a process reads once (the menu, the epoch) is read
    public_revision_bump([world.a.pk])  # a change: nothing of either meeting is cached
    cold = _queries(world, small)
    assert _queries(world, large) == cold  # the same queries for 3 or 15 points
    warm = _queries(world, small)
    assert _queries(world, large) == warm
    # Cached: the points, decisions, amendments, follow-ups, attendance and their count are not read.
    assert warm <= cold - 6, (cold, warm)


def test_the_pdf_reads_the_cached_minutes_at_the_readers_level(world):
    meeting = draft_meeting(world)
    _page(world, "samordnare", meeting)
    response = world.client("ledamot").get(minutes_url(meeting, "protokoll/pdf/"))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert INTERN in text and BEGRANSAD not in text


def test_the_same_minutes_are_laid_out_as_pdf_once_and_again_after_a_change(world, monkeypatch):
    from samverkan.core.exports import pdf as pdf_module

    laid_out: list[str] = []
    real = pdf_module.render_pdf

    def counting(html: str) -> bytes:
        laid_out.append(html)
        return real(html)

    monkeypatch.setattr(pdf_module, "render_pdf", counting)
    meeting = draft_meeting(world)
    url = minutes_url(meeting, "protokoll/pdf/")
    first = world.client("samordnare").get(url)
    again = world.client("samordnare").get(url)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content and len(laid_out) == 1
    # Another standing's minutes are another document: laid out for it, without the begränsad point.
    ledamot = world.client("ledamot").get(url)
    assert len(laid_out) == 2 and BEGRANSAD not in pdf_text(ledamot.content)
    _write_item_notes(world, meeting)
    changed = world.client("samordnare").get(url)
    assert len(laid_out) == 3 and "Ny anteckning 1" in pdf_text(changed.content)
    # With the cache off (PDF_CACHE = False, as the bench's minutes_pdf measures) every request lays out.
    with override_settings(PDF_CACHE=False):
        world.client("samordnare").get(url)
        world.client("samordnare").get(url)
    assert len(laid_out) == 5
