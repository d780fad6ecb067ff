"""Bulk writes put the public-revision bumps off to their end: one bump per collaboration, none on failure."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.core.models import Level, Notice, PublicRevision
from samverkan.core.publication import bumps_deferred, public_revision, public_revision_bump


def test_deferred_bumps_raise_each_collaboration_once_at_the_end(world):
    before = public_revision(world.a.pk)
    with bumps_deferred():
        for n in range(5):
            Notice.objects.create(collaboration=world.a, title=f"Notis {n}", body="x", level=Level.INTERN)
        assert public_revision(world.a.pk) == before  # nothing raised while the write goes on
        with bumps_deferred():  # nested: the outer block bumps
            Notice.objects.create(collaboration=world.b, title="Notis B", body="x", level=Level.INTERN)
    assert public_revision(world.a.pk) == before + 1
    with CaptureQueriesContext(connection) as captured, bumps_deferred():
        Notice.objects.create(collaboration=world.a, title="Notis", body="x", level=Level.INTERN)
    revision_queries = [q for q in captured.captured_queries if "publicrevision" in q["sql"].lower()]
    assert len(revision_queries) == 1  # one UPDATE for the block, not two queries per row


def test_a_failed_bulk_write_bumps_nothing(world):
    before = public_revision(world.a.pk)
    with pytest.raises(RuntimeError), bumps_deferred():
        Notice.objects.create(collaboration=world.a, title="Notis", body="x", level=Level.INTERN)
        raise RuntimeError
    assert public_revision(world.a.pk) == before


def test_outside_a_bulk_write_every_row_bumps(world):
    before = public_revision(world.a.pk)
    Notice.objects.create(collaboration=world.a, title="Notis", body="x", level=Level.INTERN)
    assert public_revision(world.a.pk) == before + 1


def test_a_bump_makes_the_first_revision_and_raises_one_or_several_collaborations(world):
    PublicRevision.objects.filter(collaboration_id__in=[world.a.pk, world.b.pk]).delete()
    public_revision_bump([world.a.pk])
    assert public_revision(world.a.pk) == 1
    with CaptureQueriesContext(connection) as captured:
        public_revision_bump([world.a.pk])
    assert public_revision(world.a.pk) == 2 and len(captured.captured_queries) == 1
    public_revision_bump([world.a.pk, world.b.pk, None])  # b's first, a's third
    assert (public_revision(world.a.pk), public_revision(world.b.pk)) == (3, 1)
    public_revision_bump([world.a.pk, world.b.pk])
    assert (public_revision(world.a.pk), public_revision(world.b.pk)) == (4, 2)
