"""The joint picture's speed work: a fixed number of queries, and a cache that is never stale or shared
across roles (keyed by round, the reader's role in that collaboration and the situation revision)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samverkan.core.models import AuditEntry, Level, Membership, Role
from samverkan.situation.models import Question, Report, Section, SituationRevision
from samverkan.situation.revision import bump_situation_revision, situation_revision
from samverkan.situation.selectors.picture import build_picture, cached_picture, shapes
from samverkan.situation.selectors.picture.cache import LOCAL
from samverkan.situation.selectors.picture.stamps import Stamp, picture_round_for_user, stamp_of
from samverkan.situation.selectors.picture.statistics import statistics_revision
from samverkan.situation.services import report_save
from samverkan.situation.services.events import event_create
from samverkan.situation.services.picture import area_summary_save, picture_agree
from tests.situation.factories import EventFactory
from tests.situation.test_picture import other_round, submit_world_report, submitted_status
from tests.situation.test_picture_statistics import OCTOBER
from tests.situation.test_picture_statistics import _import as import_police_statistics


@pytest.fixture(autouse=True)
def _picture_cache_on(settings):
    """The cache is on by default everywhere (the revision is in the database); these tests keep it on
    whatever the environment says."""
    settings.SITUATION_PICTURE_CACHE = True


def _url(world, *, matrix: bool = False) -> str:
    url = reverse(
        "situation:picture_detail",
        kwargs={"collaboration_id": world.a.pk, "round_id": world.situation["A"]["round"].pk},
    )
    return url + "?del=matris" if matrix else url


def _page(world, persona: str, *, matrix: bool = False) -> str:
    headers = {"HTTP_HX_REQUEST": "true"} if matrix else {}
    response = world.client(persona).get(_url(world, matrix=matrix), **headers)
    assert response.status_code == 200
    return response.content.decode()


# --- Queries ---------------------------------------------------------------------------------------------


def _queries(round_, user) -> int:
    with CaptureQueriesContext(connection) as captured:
        build_picture(round_=round_, user=user)
    return len(captured.captured_queries)


def test_the_builder_makes_the_same_number_of_queries_however_much_there_is(world):
    round_ = world.situation["A"]["round"]
    samordnare = world.users["samordnare"]
    submit_world_report(world)
    previous = other_round(world, dt.date(2026, 9, 1))
    submitted_status(world, previous, world.org_a, "vald", "rod", level=Level.BEGRANSAD)
    _queries(round_, samordnare)  # the user's memberships are looked up once per request (memoised)
    before = _queries(round_, samordnare)
    for n in range(15):
        EventFactory(
            collaboration=world.a,
            level=Level.BEGRANSAD if n % 2 else Level.INTERN,
            occurred_at=timezone.make_aware(dt.datetime(2026, 10 - n % 9, 3 + n, 12)),
        )
    for section in Section.objects.filter(template=round_.template).exclude(area_code="vald"):
        submitted_status(world, previous, world.org_a, section.area_code, "gul")
    assert _queries(round_, samordnare) == before


def _view_queries(world, persona: str) -> list[str]:
    client = world.client(persona)
    assert client.get(_url(world)).status_code == 200  # the picture and its fragments are cached now
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_url(world)).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_a_cached_view_reads_the_round_and_what_its_caches_are_keyed_by_in_one_query(world):
    """Session, user, memberships, the round with its stamp, the read log: before, the collaboration, the
    round, the revision, the kommun codes, the statistics revision and the versions were six more."""
    submit_world_report(world)
    queries = _view_queries(world, "samordnare")
    assert len(queries) <= 5, queries
    (round_query,) = [sql for sql in queries if "situation_round" in sql]
    assert "situation_situationrevision" in round_query and "indicators_datarevision" in round_query
    assert not [sql for sql in queries if "pictureversion" in sql]


def test_the_stamp_is_what_the_separate_reads_give(world):
    round_ = world.situation["A"]["round"]
    world.a.kommuner.add("2039")  # two kommuner: the codes are joined and sorted
    import_police_statistics([(OCTOBER, "Misshandel", 14)])
    revision = situation_revision(world.a.pk)  # makes the collaboration's row
    stamped = picture_round_for_user(world.users["ledamot"], world.a.pk, round_.pk)
    stamp = stamp_of(stamped)
    assert stamp == Stamp(
        situation_revision=revision,
        kommun_codes=("2039", "2418"),
        statistics_revision=statistics_revision(),
    )
    assert statistics_revision() != "0.0"
    assert stamp_of(round_) is None  # fetched without one: the caches read for themselves
    assert (stamped.collaboration, stamped.template) == (round_.collaboration, round_.template)


def test_a_collaboration_without_a_revision_row_yet_is_keyed_by_a_new_one(world):
    round_ = world.situation["A"]["round"]
    SituationRevision.objects.filter(collaboration=world.a).delete()
    stamp = stamp_of(picture_round_for_user(world.users["ledamot"], world.a.pk, round_.pk))
    assert stamp is not None and stamp.situation_revision is None
    assert "KANARIE-A-INTERN" in _page(world, "ledamot")
    assert SituationRevision.objects.filter(collaboration=world.a).exists()


def test_the_stamped_lookup_answers_404_as_the_separate_lookups_did(world):
    round_a, round_b = world.situation["A"]["round"], world.situation["B"]["round"]
    ledamot = world.users["ledamot"]
    for collaboration_id, round_id in (
        (world.a.pk, round_b.pk),  # another collaboration's round under A's address
        (world.b.pk, round_b.pk),  # a collaboration the user is not a member of
        (world.a.pk, "x"),
        ("x", round_a.pk),
    ):
        with pytest.raises(Http404):
            picture_round_for_user(ledamot, collaboration_id, round_id)
    world.a.is_active = False
    world.a.save()
    ledamot = get_user_model().objects.get(pk=ledamot.pk)  # the memberships are memoised on the user object
    with pytest.raises(Http404):
        picture_round_for_user(ledamot, world.a.pk, round_a.pk)


def test_a_new_version_shows_in_the_live_page_s_list_of_versions(world):
    round_ = world.situation["A"]["round"]
    page = _page(world, "ledamot")
    assert "Version 1" in page and "Version 2" not in page
    picture_agree(
        round_=round_,
        acting_user=world.users["samordnare"],
        meeting="Lokal BRÅ",
        meeting_date=dt.date(2026, 11, 20),
    )
    assert "Version 2" in _page(world, "ledamot")


# --- The cache -----------------------------------------------------------------------------------------


def test_the_cached_picture_changes_after_an_answer_is_saved(world):
    submit_world_report(world)
    assert "Nytt svar efter cachen" not in _page(world, "samordnare")
    report = world.situation["A"]["report"]
    text_q = Question.objects.get(
        section__template=report.round.template, section__area_code="unga", kind=Question.Kind.TEXT
    )
    report_save(
        report=report,
        answers={text_q.pk: {"text": "Nytt svar efter cachen", "level": Level.INTERN}},
        acting_user=world.users["samordnare"],
    )
    assert "Nytt svar efter cachen" in _page(world, "samordnare")
    assert "Nytt svar efter cachen" in _page(world, "ledamot")


def test_the_matrix_cells_are_made_once_per_rendering(world, monkeypatch):
    """Both layouts (the wide table and the per-area list) loop the same rows: the property that makes
    every cell's HTML is read once, and a compact cell reuses the full cell's HTML for its details."""
    calls = {"rows": 0, "cells": 0}
    real_rows, real_cell = shapes.matrix_rows, shapes._cell_html

    def counting_rows(data):
        calls["rows"] += 1
        return real_rows(data)

    def counting_cell(cell, words):
        calls["cells"] += 1
        return real_cell(cell, words)

    monkeypatch.setattr(shapes, "matrix_rows", counting_rows)
    monkeypatch.setattr(shapes, "_cell_html", counting_cell)
    submit_world_report(world, status="rod")
    page = _page(world, "ledamot", matrix=True)
    assert "status-chip--rod" in page and "picture-cards" in page
    data = build_picture(round_=world.situation["A"]["round"], user=world.users["ledamot"])
    assert calls["rows"] == 1
    assert calls["cells"] == sum(len(area.cells) for area in data.areas)


def test_the_cached_matrix_changes_after_a_report_is_submitted(world):
    assert "0 av 1" in _page(world, "ledamot", matrix=True)
    submit_world_report(world, status="rod")
    after = _page(world, "ledamot", matrix=True)
    assert "1 av 1" in after and "status-chip--rod" in after


def test_the_cached_picture_changes_after_an_event_is_created(world):
    assert "Ny händelse efter cachen" not in _page(world, "polis")
    event_create(
        collaboration=world.a,
        acting_user=world.users["samordnare"],
        category=world.situation["A"]["events"][Level.OPPEN].category,
        occurred_at=timezone.make_aware(dt.datetime(2026, 10, 20, 18, 0)),
        kommun="2418",
        description="Ny händelse efter cachen",
        level=Level.INTERN,
    )
    assert "Ny händelse efter cachen" in _page(world, "polis")


def test_the_cached_picture_changes_after_a_summary_is_saved(world):
    round_ = world.situation["A"]["round"]
    section = Section.objects.get(template=round_.template, area_code="ordning")
    assert "Lugnt efter cachen" not in _page(world, "samordnare")
    area_summary_save(
        picture_or_round=round_,
        section=section,
        text="Lugnt efter cachen",
        level=Level.INTERN,
        acting_user=world.users["samordnare"],
    )
    page = _page(world, "samordnare")
    assert "Lugnt efter cachen" in page
    # The summary form of that area shows the new text too (its fields are cached by the summary).
    assert page.count("Lugnt efter cachen") >= 2
    assert "picture-summary-form:" not in page  # every slot of the cached document was filled


@pytest.mark.parametrize("reader", ["ledamot", "lasare"])
def test_a_reader_never_gets_the_samordnare_s_cached_picture(world, reader):
    samordnare_page = _page(world, "samordnare")
    assert "KANARIE-A-BEGRANSAD" in samordnare_page
    assert "KANARIE-A-BEGRANSAD" in _page(world, "samordnare", matrix=False)  # served from the cache
    page = _page(world, reader)
    assert "KANARIE-A-BEGRANSAD" not in page and "KANARIE-A-INTERN" in page
    assert 'name="omrade-' not in page and "Fastställ lägesbilden" not in page
    # And the other way round: what a reader cached first is not what the samordnare gets.
    cache.clear()
    assert "KANARIE-A-BEGRANSAD" not in _page(world, reader)
    assert "KANARIE-A-BEGRANSAD" in _page(world, "samordnare")


def test_the_role_in_the_cache_key_is_the_role_in_that_collaboration(world):
    """The outsider is samordnare of B; made ledamot of A, they read A as a ledamot, cache or not."""
    Membership.objects.create(
        user=world.users["outsider"], collaboration=world.a, role=Role.LEDAMOT, organisation=world.org_a
    )
    round_ = world.situation["A"]["round"]
    _data, samordnare_key = cached_picture(round_=round_, user=world.users["samordnare"])
    assert "KANARIE-A-BEGRANSAD" in _page(world, "samordnare")
    page = _page(world, "outsider")
    assert "KANARIE-A-BEGRANSAD" not in page and "KANARIE-A-INTERN" in page
    _data, outsider_key = cached_picture(round_=round_, user=world.users["outsider"])
    assert outsider_key != samordnare_key and f":{Role.LEDAMOT.value}:" in (outsider_key or "")


def test_begransad_reads_are_logged_on_every_view_even_from_the_cache(world):
    def reads() -> int:
        return AuditEntry.objects.filter(
            actor=world.users["samordnare"], action=AuditEntry.Action.READ
        ).count()

    start = reads()
    _page(world, "samordnare")
    first = reads() - start
    assert first == 1  # one entry per view, naming every begränsad row shown
    _page(world, "samordnare")
    assert reads() - start == 2 * first
    _page(world, "samordnare", matrix=True)  # the matrix alone logs the rows its cells came from
    assert reads() - start >= 2 * first


def test_a_cached_picture_keeps_the_request_s_round(world):
    round_ = world.situation["A"]["round"]
    first, key = cached_picture(round_=round_, user=world.users["samordnare"])
    again, same_key = cached_picture(round_=round_, user=world.users["samordnare"])
    assert key == same_key and again.round is round_
    assert [a.title for a in again.areas] == [a.title for a in first.areas]


def test_writes_around_the_services_are_seen_after_a_bump(world):
    round_ = world.situation["A"]["round"]
    before, _key = cached_picture(round_=round_, user=world.users["samordnare"])
    report = Report.objects.get(pk=world.situation["A"]["report"].pk)
    report.status, report.submitted_at = Report.Status.INSKICKAD, timezone.now()
    report.save()
    stale, _key = cached_picture(round_=round_, user=world.users["samordnare"])
    assert stale.submitted_count == before.submitted_count == 0
    bump_situation_revision(world.a.pk)
    fresh, _key = cached_picture(round_=round_, user=world.users["samordnare"])
    assert fresh.submitted_count == 1


def test_the_revision_moves_on_every_bump_and_is_kept_in_the_database(world):
    first = situation_revision(world.a.pk)
    bump_situation_revision(world.a.pk)
    second = situation_revision(world.a.pk)
    assert second > first
    assert situation_revision(world.b.pk) != second
    # Another process has other memory and maybe no shared cache: the revision is the database's.
    cache.clear()
    LOCAL.clear()
    assert situation_revision(world.a.pk) == second
    assert SituationRevision.objects.get(collaboration=world.a).value == second


def test_a_write_in_another_process_retires_this_process_s_memo(world):
    """The memo in front of the cache holds unpickled pictures by key; a bump made elsewhere (a row in the
    database, no message to this process) changes the key, so the memo's picture is not read again."""
    round_ = world.situation["A"]["round"]
    before, old_key = cached_picture(round_=round_, user=world.users["samordnare"])
    assert LOCAL.get(old_key) is not None
    report = Report.objects.get(pk=world.situation["A"]["report"].pk)
    report.status, report.submitted_at = Report.Status.INSKICKAD, timezone.now()
    report.save()
    SituationRevision.objects.filter(collaboration=world.a).update(value=F("value") + 1)  # "elsewhere"
    after, new_key = cached_picture(round_=round_, user=world.users["samordnare"])
    assert new_key != old_key
    assert (before.submitted_count, after.submitted_count) == (0, 1)


def test_a_memo_hit_is_a_copy_with_the_request_s_round(world):
    round_ = world.situation["A"]["round"]
    first, key = cached_picture(round_=round_, user=world.users["samordnare"])
    again, _key = cached_picture(round_=round_, user=world.users["samordnare"])
    assert again is not first and again is not LOCAL.get(key)
    assert again.round is round_


# --- The map -------------------------------------------------------------------------------------------


def test_the_live_map_rows_follow_the_event_map_contract(world):
    data = build_picture(round_=world.situation["A"]["round"], user=world.users["samordnare"])
    assert data.map_events
    for row in data.map_events:
        assert {"latitude", "longitude", "label", "category", "occurred_at", "place"} <= set(row)
        assert row["area"] == "vald" and row["area_title"] and row["url"]
    page = _page(world, "samordnare")
    assert 'class="event-map"' in page


def test_without_a_shared_cache_every_view_builds_afresh(world, settings):
    settings.SITUATION_PICTURE_CACHE = False
    round_ = world.situation["A"]["round"]
    _data, key = cached_picture(round_=round_, user=world.users["samordnare"])
    assert key is None
