"""The minutes page at the reader's level, the canonical content, the one lock check, item edits with
conflict detection, amendments and the PDF/A with its justering page."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zlib
from typing import Any

import pytest
from django.db.models import Max

from samverkan.core.models import AuditEntry, Level
from samverkan.meetings.models import (
    AgendaItem,
    Amendment,
    Attendance,
    Decision,
    JusteringResponse,
    Meeting,
    Minutes,
)
from samverkan.meetings.services import minutes as minutes_services
from tests.conftest import CANARIES_A
from tests.factories import MembershipFactory, UserFactory

LEVELS = (Level.OPPEN, Level.INTERN, Level.BEGRANSAD)
NOT_PUBLIC = (CANARIES_A[Level.INTERN], CANARIES_A[Level.BEGRANSAD])


def add_member(world: Any, username: str, role: str) -> Any:
    user = UserFactory(username=username, email=f"{username}@example.org")
    MembershipFactory(user=user, collaboration=world.a, role=role, organisation=world.org_a)
    world.users[username] = user
    return user


def draft_meeting(
    world: Any,
    *,
    secretary: Any = None,
    chair: Any = None,
    justerare: tuple[Any, ...] = (),
    starts_at: dt.datetime | None = None,
    tag: str = "M",
) -> Meeting:
    """A held meeting of collaboration A with an item, a decision and attendance per level (canaries
    ``KANARIE-A-<LEVEL>`` with ``tag``), and draft minutes. Made directly (other engineers build planning,
    agenda and meeting mode)."""
    start = starts_at or dt.datetime(2026, 4, 14, 8, 0, tzinfo=dt.UTC)
    group = world.agreements["A"]["group"]
    meeting = Meeting.objects.create(
        collaboration=world.a,
        level=Level.OPPEN,
        group=group,
        title="Vårmöte",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="Polisstationen",
        secretary=secretary,
        chair=chair,
        status=Meeting.Status.GENOMFORT,
    )
    meeting.justerare.set(justerare)
    Attendance.objects.create(collaboration=world.a, meeting=meeting, name="Ada Test", role="Samordnare")
    for number, level in enumerate(LEVELS, start=1):
        canary = f"{CANARIES_A[level]}-{tag}"
        item = AgendaItem.objects.create(
            collaboration=world.a,
            level=level,
            meeting=meeting,
            order=number,
            title=f"{canary} punkt",
            notes=f"{canary} anteckning",
            proposal=f"{canary} förslag",
            reservations=f"{canary} reservation",
        )
        Decision.objects.create(
            collaboration=world.a,
            level=level,
            meeting=meeting,
            item=item,
            group=group,
            year=start.year,
            number=(
                Decision.objects.filter(group=group, year=start.year).aggregate(m=Max("number"))["m"] or 0
            )
            + 1,
            text=f"{canary} beslut",
        )
    Minutes.objects.create(meeting=meeting)
    return meeting


def items_by_level(meeting: Meeting) -> dict[str, AgendaItem]:
    return {item.level: item for item in AgendaItem.objects.filter(meeting=meeting)}


def minutes_url(meeting: Meeting, tail: str = "protokoll/") -> str:
    return f"/samverkan/{meeting.collaboration_id}/moten/{meeting.pk}/{tail}"


def body(response: Any) -> str:
    return response.content.decode()


def pdf_text(pdf: bytes) -> str:
    assert shutil.which("pdftotext"), "pdftotext (Debian poppler-utils) is needed: make system-deps"
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def make_justerat(meeting: Meeting, approvers: tuple[Any, ...]) -> Minutes:
    """Justerade minutes with an approval per justerare, as the justering service leaves them."""
    minutes = meeting.minutes
    sha = minutes_services.content_sha256(meeting)
    minutes.justering_round = 1
    for user in approvers:
        JusteringResponse.objects.create(
            minutes=minutes,
            round=1,
            justerare=user,
            answer=JusteringResponse.Answer.GODKAND,
            content_sha256=sha,
        )
    minutes.status = Minutes.Status.JUSTERAT
    minutes.justerat_at = dt.datetime(2026, 4, 20, 10, 0, tzinfo=dt.UTC)
    minutes.content_sha256 = sha
    minutes.save()
    return minutes


# --- The page at the reader's level ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "levels_seen"),
    [
        ("samordnare", LEVELS),
        ("polis", LEVELS),
        ("ledamot", (Level.OPPEN, Level.INTERN)),
        ("lasare", (Level.OPPEN, Level.INTERN)),
    ],
)
def test_minutes_page_shows_the_items_the_reader_may_read_and_nothing_else(world, persona, levels_seen):
    meeting = draft_meeting(world)
    response = world.client(persona).get(minutes_url(meeting))
    assert response.status_code == 200
    text = body(response)
    for level in LEVELS:
        canary = f"{CANARIES_A[level]}-M"
        if level in levels_seen:
            for part in ("punkt", "anteckning", "förslag", "reservation", "beslut"):
                assert f"{canary} {part}" in text
        else:
            assert canary not in text  # not even the title
    assert "Ada Test" in text
    assert Decision.objects.get(meeting=meeting, level=Level.OPPEN).label in text
    assert text.count('class="badge badge--') >= len(levels_seen)  # every item shows its level
    if len(levels_seen) < len(LEVELS):
        assert "1 punkt visas inte för dig" in text
    else:
        assert "visas inte för dig" not in text


@pytest.mark.parametrize("persona", ["outsider", "anonymous"])
def test_minutes_page_of_another_collaboration_is_not_found(world, persona):
    meeting = draft_meeting(world)
    response = world.client(persona).get(minutes_url(meeting))
    assert response.status_code == (404 if persona == "outsider" else 302)


def test_reading_begransad_items_is_audited_once_per_view(world):
    meeting = draft_meeting(world)
    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    world.client("polis").get(minutes_url(meeting))
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() == before + 1
    world.client("ledamot").get(minutes_url(meeting))
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() == before + 1


# --- Canonical content -------------------------------------------------------------------------------


def test_canonical_content_is_deterministic_and_holds_every_level(world):
    meeting = draft_meeting(world)
    first = minutes_services.canonical_content(meeting)
    assert first == minutes_services.canonical_content(Meeting.objects.get(pk=meeting.pk))
    for level in LEVELS:
        assert f"{CANARIES_A[level]}-M anteckning".encode() in first
    assert len(minutes_services.content_sha256(meeting)) == 64


def _change_item(meeting: Meeting, level: str, field: str) -> None:
    AgendaItem.objects.filter(meeting=meeting, level=level).update(**{field: "ändrad text"})


CHANGES = [
    *[
        (f"item {level} {field}", level, field)
        for level in LEVELS
        for field in minutes_services.ITEM_TEXT_FIELDS
    ],
]


@pytest.mark.parametrize(("label", "level", "field"), CHANGES, ids=[c[0] for c in CHANGES])
def test_canonical_content_changes_when_any_item_text_changes(world, label, level, field):
    meeting = draft_meeting(world)
    before = minutes_services.content_sha256(meeting)
    _change_item(meeting, level, field)
    assert minutes_services.content_sha256(meeting) != before


@pytest.mark.parametrize("what", ["decision", "attendance", "level", "place", "justerare"])
def test_canonical_content_changes_with_decisions_attendance_levels_and_facts(world, what):
    meeting = draft_meeting(world)
    before = minutes_services.content_sha256(meeting)
    if what == "decision":
        Decision.objects.filter(meeting=meeting, level=Level.BEGRANSAD).update(text="annat beslut")
    elif what == "attendance":
        Attendance.objects.filter(meeting=meeting).update(name="Bo Test")
    elif what == "level":
        AgendaItem.objects.filter(meeting=meeting, level=Level.INTERN).update(level=Level.OPPEN)
    elif what == "place":
        Meeting.objects.filter(pk=meeting.pk).update(place="Kommunhuset")
        meeting.refresh_from_db()
    else:
        meeting.justerare.add(world.users["ledamot"])
    assert minutes_services.content_sha256(meeting) != before


# --- The one lock check ------------------------------------------------------------------------------


def test_ensure_editable_refuses_while_out_for_justering_and_after(world):
    meeting = draft_meeting(world)
    minutes_services.ensure_editable(meeting)  # a draft may be edited
    for status, words in (
        (Minutes.Status.FOR_JUSTERING, "skickat för justering"),
        (Minutes.Status.JUSTERAT, "justerat"),
    ):
        Minutes.objects.filter(meeting=meeting).update(status=status)
        with pytest.raises(minutes_services.MinutesLocked, match=words):
            minutes_services.ensure_editable(meeting)


def test_ensure_editable_passes_for_a_meeting_without_minutes(world):
    meeting = draft_meeting(world)
    Minutes.objects.filter(meeting=meeting).delete()
    minutes_services.ensure_editable(meeting)


# --- Editing an item of the draft --------------------------------------------------------------------


def test_secretary_edits_an_item_in_the_draft(world):
    secretary = add_member(world, "sekreterare", "ledamot")
    meeting = draft_meeting(world, secretary=secretary)
    item = items_by_level(meeting)[Level.INTERN]
    response = world.client("sekreterare").post(
        minutes_url(meeting, f"protokoll/punkter/{item.pk}/"),
        {
            "title": "Ny rubrik",
            "notes": "Nya anteckningar",
            "proposal": "",
            "reservations": "",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.notes, item.version) == ("Ny rubrik", "Nya anteckningar", 2)


def test_a_member_who_is_not_the_secretary_may_not_edit(world):
    meeting = draft_meeting(world)
    item = items_by_level(meeting)[Level.INTERN]
    response = world.client("ledamot").post(
        minutes_url(meeting, f"protokoll/punkter/{item.pk}/"), {"title": "x", "version": item.version}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title != "x"


@pytest.mark.parametrize("status", [Minutes.Status.FOR_JUSTERING, Minutes.Status.JUSTERAT])
def test_editing_locked_minutes_is_refused_and_changes_nothing(world, status):
    meeting = draft_meeting(world)
    Minutes.objects.filter(meeting=meeting).update(status=status)
    item = items_by_level(meeting)[Level.OPPEN]
    response = world.client("samordnare").post(
        minutes_url(meeting, f"protokoll/punkter/{item.pk}/"),
        {"title": "Tyst ändring", "notes": "", "version": item.version},
    )
    assert response.status_code == 409
    assert "Protokollet är" in body(response) and "låst" in body(response)
    item.refresh_from_db()
    assert item.title != "Tyst ändring" and item.version == 1


def test_two_people_editing_an_item_get_a_conflict_with_both_texts(world, samordnare2):
    meeting = draft_meeting(world)
    item = items_by_level(meeting)[Level.OPPEN]
    url = minutes_url(meeting, f"protokoll/punkter/{item.pk}/")
    first = world.client("samordnare").post(
        url, {"title": item.title, "notes": "Den förstas text", "version": 1}
    )
    assert first.status_code == 302
    second = world.client("samordnare2").post(
        url, {"title": item.title, "notes": "Den andras text", "version": 1}
    )
    assert second.status_code == 409
    text = body(second)
    assert "Den förstas text" in text and "Den andras text" in text
    item.refresh_from_db()
    assert item.notes == "Den förstas text"


def test_an_item_the_reader_may_not_read_cannot_be_edited_or_seen(world):
    secretary = add_member(world, "sekreterare", "ledamot")
    meeting = draft_meeting(world, secretary=secretary)
    item = items_by_level(meeting)[Level.BEGRANSAD]
    response = world.client("sekreterare").get(minutes_url(meeting, f"protokoll/punkter/{item.pk}/"))
    assert response.status_code == 404


# --- Amendments ----------------------------------------------------------------------------------------


def test_amendment_of_justerade_minutes_is_dated_visible_and_takes_the_items_level(world):
    meeting = draft_meeting(world)
    make_justerat(meeting, ())
    item = items_by_level(meeting)[Level.BEGRANSAD]
    response = world.client("samordnare").post(
        minutes_url(meeting, "protokoll/rattelse/"), {"item": item.pk, "text": "KANARIE-A-BEGRANSAD-R rättat"}
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get(minutes=meeting.minutes, item=item)
    assert amendment.level == Level.BEGRANSAD and amendment.made_by == world.users["samordnare"]
    page = body(world.client("samordnare").get(minutes_url(meeting)))
    assert "KANARIE-A-BEGRANSAD-R rättat" in page and "Rättelse " in page
    assert "KANARIE-A-BEGRANSAD-R" not in body(world.client("ledamot").get(minutes_url(meeting)))
    item.refresh_from_db()
    assert item.notes == f"{CANARIES_A[Level.BEGRANSAD]}-M anteckning"  # never a silent edit


def test_amendment_of_a_draft_is_refused(world):
    meeting = draft_meeting(world)
    response = world.client("samordnare").post(minutes_url(meeting, "protokoll/rattelse/"), {"text": "x"})
    assert response.status_code == 422
    assert "Rättelser görs i justerade protokoll" in body(response)
    assert not Amendment.objects.filter(minutes=meeting.minutes).exists()


def test_open_amendment_with_a_personnummer_is_refused(world):
    meeting = draft_meeting(world)
    make_justerat(meeting, ())
    item = items_by_level(meeting)[Level.OPPEN]
    response = world.client("samordnare").post(
        minutes_url(meeting, "protokoll/rattelse/"), {"item": item.pk, "text": "Gäller 19121212-1212"}
    )
    assert response.status_code == 422
    assert not Amendment.objects.filter(minutes=meeting.minutes).exists()


# --- PDF/A ---------------------------------------------------------------------------------------------


def test_minutes_pdf_at_the_readers_level_with_the_justering_page(world):
    justerare = add_member(world, "justerare1", "ledamot")
    meeting = draft_meeting(world, justerare=(justerare,))
    minutes = make_justerat(meeting, (justerare,))
    response = world.client("ledamot").get(minutes_url(meeting, "protokoll/pdf/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert f"{CANARIES_A[Level.INTERN]}-M anteckning" in text
    assert CANARIES_A[Level.BEGRANSAD] not in text
    assert "Justering" in text and minutes.content_sha256[:32] in text.replace("\n", "").replace(" ", "")


def assert_pdf_a(pdf: bytes, path: Any) -> None:
    """What can be checked of PDF/A-3b without veraPDF (not packaged for Debian; poppler is): the XMP
    identification (pdfaid part 3, conformance B), tagged, no encryption or JavaScript, every font
    embedded, a title, and an output intent (GTS_PDFA1) carrying an ICC profile. The output intent sits
    in a compressed object stream, so the streams are inflated to find it."""
    path.write_bytes(pdf)
    meta = subprocess.run(["pdfinfo", "-meta", path], capture_output=True, check=True, text=True).stdout
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    info = subprocess.run(["pdfinfo", path], capture_output=True, check=True, text=True).stdout
    assert "Tagged:          yes" in info and "Encrypted:       no" in info and "JavaScript:      no" in info
    title = next(line for line in info.splitlines() if line.startswith("Title:"))
    assert title.removeprefix("Title:").strip(), info
    fonts = subprocess.run(["pdffonts", path], capture_output=True, check=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts  # every font embedded
    streams = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        try:
            streams.append(zlib.decompress(pdf[match.end() : end]))
        except zlib.error:
            continue
    assert any(b"/OutputIntents" in s for s in streams)
    assert any(b"/GTS_PDFA1" in s and b"/DestOutputProfile" in s for s in streams)
    assert any(s[36:40] == b"acsp" for s in streams)  # an ICC profile's signature


def test_minutes_pdf_and_public_pdf_are_pdf_a_3b(world, tmp_path):
    meeting = draft_meeting(world)
    client = world.client("samordnare")
    assert_pdf_a(client.get(minutes_url(meeting, "protokoll/pdf/")).content, tmp_path / "protokoll.pdf")
    public = client.get(minutes_url(meeting, "publicering/pdf/")).content
    assert_pdf_a(public, tmp_path / "offentlig.pdf")
    assert CANARIES_A[Level.INTERN] not in pdf_text(public)


# --- Time: stored in UTC, shown in Stockholm time, across the daylight-saving change -------------------


@pytest.mark.parametrize(
    ("starts_at", "shown"),
    [
        # The night summer time begins (29 March 2026, 02:00 → 03:00): CET, then CEST.
        (dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC), "2026-03-29 00:30"),
        (dt.datetime(2026, 3, 29, 9, 0, tzinfo=dt.UTC), "2026-03-29 11:00"),
        # The night it ends (25 October 2026, 03:00 → 02:00).
        (dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC), "2026-10-25 02:30"),
        (dt.datetime(2026, 10, 25, 9, 0, tzinfo=dt.UTC), "2026-10-25 10:00"),
    ],
)
def test_minutes_show_the_meeting_in_stockholm_time_across_dst(world, starts_at, shown):
    meeting = draft_meeting(world, starts_at=starts_at)
    assert shown in body(world.client("ledamot").get(minutes_url(meeting)))


def test_reading_a_meeting_without_minutes_writes_nothing(world, client):
    meeting = draft_meeting(world)
    Minutes.objects.filter(meeting=meeting).delete()
    for tail in ("protokoll/", "justering/", "publicering/"):
        assert world.client("samordnare").get(minutes_url(meeting, tail)).status_code == 200, tail
    assert not Minutes.objects.filter(meeting=meeting).exists()
