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


# --- The notice form -------------------------------------------------------------------------------


def test_a_stale_notice_form_save_shows_both_texts_and_keeps_the_first(world, notice, samordnare2):
    from django.urls import reverse

    from tests.forms import page_form, posted

    url = reverse("core:notice_edit", args=[world.a.pk, notice.pk])
    anna, bertil = world.client("samordnare"), world.client("samordnare2")
    annas_form, bertils_form = page_form(anna, url), page_form(bertil, url)
    assert anna.post(url, posted(annas_form, body="Annas text")).status_code == 302
    response = bertil.post(url, posted(bertils_form, body="Bertils text"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Annas text" in html and "Bertils text" in html and "Sparat nu (version 2)" in html
    assert Notice.objects.get(pk=notice.pk).body == "Annas text"
    assert bertil.post(url, posted(response.context["form"])).status_code == 302
    assert Notice.objects.get(pk=notice.pk).body == "Bertils text"


def test_a_new_notice_is_still_created_from_its_form(world):
    from django.urls import reverse

    url = reverse("core:notice_create", args=[world.a.pk])
    data = {"title": "Nytt", "body": "Text", "level": "intern"}
    assert world.client("samordnare").post(url, data).status_code == 302
    assert Notice.objects.get(title="Nytt").version == 1
