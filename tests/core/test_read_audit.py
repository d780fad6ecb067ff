"""Begränsad reads are logged once per view: one entry naming every row shown, not one row per row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverkan.core.audit import audit_reads, reads_per_view
from samverkan.core.models import Level
from tests.audit import logged_reads, read_entries
from tests.factories import NoticeFactory, UserFactory


def test_a_page_showing_many_begransad_rows_writes_one_entry_naming_them_all(world):
    polis = world.users["polis"]
    round_ = world.situation["A"]["round"]
    response = world.client("polis").get(reverse("situation:picture_detail", args=[world.a.pk, round_.pk]))
    assert response.status_code == 200
    (entry,) = read_entries(polis)
    shown = logged_reads(polis)
    assert len(shown) >= 2
    assert ("situation.areasummary", str(world.situation["A"]["picture"].summaries.get().pk)) in shown
    assert entry.collaboration_id == world.a.pk


def test_outside_a_request_each_call_is_its_own_entry(world):
    notices = [world.notices[Level.BEGRANSAD], world.notices["polis_only"]]
    audit_reads(actor=world.users["polis"], objects=notices)
    audit_reads(actor=world.users["polis"], objects=notices[:1])
    assert read_entries(world.users["polis"]).count() == 2


def test_reads_collected_in_a_block_are_written_once_at_its_end(world):
    with reads_per_view():
        audit_reads(actor=world.users["polis"], objects=[world.notices[Level.BEGRANSAD]])
        audit_reads(actor=world.users["polis"], objects=[world.notices["polis_only"]])
        assert not read_entries().exists()
    (entry,) = read_entries(world.users["polis"])
    assert sorted(entry.changes["read"]["core.notice"]) == sorted(
        [str(world.notices[Level.BEGRANSAD].pk), str(world.notices["polis_only"].pk)]
    )


def test_the_log_page_shows_one_read_entry_per_view_naming_the_rows(world):
    round_ = world.situation["A"]["round"]
    world.client("polis").get(reverse("situation:picture_detail", args=[world.a.pk, round_.pk]))
    page = world.client("samordnare").get(reverse("core:audit_log", args=[world.a.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Läst (begränsad)" in body and "#" in body
    assert "&#x27;read&#x27;" not in body and "{'" not in body


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_reloaded", "reference_restored_after_module")
def test_a_view_s_one_entry_is_one_insert_without_a_transaction_of_its_own():
    """A view writes its read entry on every request: a lone INSERT commits by itself, where bulk_create
    wrapped it in BEGIN … COMMIT (two more round trips per view on PostgreSQL). Transactional: inside a
    test's own transaction the BEGIN and COMMIT would not be sent."""
    notice = NoticeFactory(level=Level.BEGRANSAD)
    reader = UserFactory()
    with CaptureQueriesContext(connection) as captured, reads_per_view():
        audit_reads(actor=reader, objects=[notice])
    assert [q["sql"].split()[0].upper() for q in captured.captured_queries] == ["INSERT"]
    (entry,) = read_entries(reader)
    assert entry.changes["read"]["core.notice"] == [str(notice.pk)]


def test_rows_read_in_a_block_are_kept_not_logged_and_logged_for_each_later_reader(world):
    """A value built once for many readers (a cached agenda draft) keeps the begränsad rows its build read;
    each reader's use logs them for that reader, as if read anew."""
    from samverkan.core.visibility import record_reads, record_shown_rows, rows_read

    notice = world.notices[Level.BEGRANSAD]
    with rows_read() as rows:
        record_reads(world.users["polis"], [notice, world.notices[Level.INTERN]])
        assert rows == []  # filled in when the block ends
    assert not read_entries().exists()
    assert rows == [(type(notice), notice.pk, notice.collaboration_id)]
    record_shown_rows(world.users["samordnare"], rows)
    assert logged_reads(world.users["samordnare"]) == {(notice._meta.label_lower, str(notice.pk))}
    (entry,) = read_entries(world.users["samordnare"])
    assert entry.collaboration_id == notice.collaboration_id
