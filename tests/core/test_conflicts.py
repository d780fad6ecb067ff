"""Optimistic locking in the writing kit: a stale save is refused with both texts, never lost."""

from __future__ import annotations

import pytest
from django.db import transaction

from samverkan.core.audit import snapshot
from samverkan.core.conflicts import EditConflict
from samverkan.core.content import content_save
from samverkan.core.models import Notice


def edit(notice_id: int, *, body: str, version: int | None, user) -> Notice:
    notice = Notice.objects.get(pk=notice_id)
    before = snapshot(notice)
    notice.body = body
    with transaction.atomic():
        content_save(notice, acting_user=user, before=before, expected_version=version)
    return notice


@pytest.fixture
def notice(world) -> Notice:
    return Notice.objects.create(
        collaboration=world.a,
        title="Möte",
        body="Första texten",
        level="intern",
        author=world.users["samordnare"],
    )


def test_each_save_moves_the_version_on(world, notice):
    saved = edit(notice.pk, body="Andra", version=1, user=world.users["samordnare"])
    assert saved.version == 2
    assert Notice.objects.get(pk=notice.pk).version == 2


def test_a_stale_save_is_refused_with_both_texts_and_writes_nothing(world, notice):
    edit(notice.pk, body="Annas text", version=1, user=world.users["samordnare"])
    with pytest.raises(EditConflict) as caught:
        edit(notice.pk, body="Bertils text", version=1, user=world.users["polis"])
    conflict = caught.value
    assert conflict.saved_version == 2
    (field,) = conflict.fields
    assert (field.name, field.saved, field.sent) == ("body", "Annas text", "Bertils text")
    assert Notice.objects.get(pk=notice.pk).body == "Annas text"
    assert conflict.as_api()["conflicts"] == [
        {"field": "body", "saved": "Annas text", "sent": "Bertils text"}
    ]


def test_a_save_without_a_version_still_moves_it_on(world, notice):
    edit(notice.pk, body="Gammal klient", version=None, user=world.users["samordnare"])
    with pytest.raises(EditConflict):
        edit(notice.pk, body="Från formulär version 1", version=1, user=world.users["polis"])
