"""The meeting pages show the product's shipped texts in the reader's language (``|shipped``): the drafted
agenda's titles and the demo's sentences are stored in Swedish, as written when drafted, and an English
reader gets them in English; what a member wrote stays exactly as written."""

from __future__ import annotations

import html

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from samverkan.meetings.models import AgendaItem, Attendance, Minutes
from samverkan.meetings.services.agenda import draft_agenda
from tests.meetings.test_agenda import new_meeting

pytestmark = pytest.mark.django_db

SHIPPED = {
    "Mötets öppnande och närvaro": "Opening of the meeting and attendance",
    "Polisens information": "The police's information",
}


def _pages(meeting) -> dict[str, str]:
    args = {"collaboration_id": meeting.collaboration_id, "meeting_id": meeting.pk}
    return {
        name: reverse(f"meetings:{name}", kwargs=args)
        for name in ("agenda", "minutes", "meeting_detail", "meeting_mode")
    }


def test_shipped_texts_of_a_meeting_are_in_english_on_the_english_pages(world):
    meeting = new_meeting(world)
    with translation.override("sv"):
        draft_agenda(meeting, world.users["samordnare"])
    Minutes.objects.get_or_create(meeting=meeting)
    Attendance.objects.create(
        collaboration=world.a, meeting=meeting, name="Ada Test", role="Ordförande", order=1
    )
    AgendaItem.objects.filter(meeting=meeting, kind=AgendaItem.Kind.OPPNANDE).update(order=0)
    AgendaItem.objects.create(
        collaboration=world.a, meeting=meeting, order=99, title="Beslut om fikat", level="intern"
    )
    client = world.client("samordnare")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for name, url in _pages(meeting).items():
        response = client.get(url)
        assert response.status_code == 200, name
        text = html.unescape(response.content.decode())
        assert SHIPPED["Mötets öppnande och närvaro"] in text, name
        assert "Mötets öppnande och närvaro" not in text, name
        if name != "meeting_mode":  # meeting mode shows the points one at a time
            assert SHIPPED["Polisens information"] in text, name
            assert "Beslut om fikat" in text, name  # written by a member: as written
    for name in ("minutes", "meeting_detail"):
        text = client.get(_pages(meeting)[name]).content.decode()
        assert "Chair" in text and "Ordförande" not in text.split("<main", 1)[-1], name
    # The Swedish pages are as before.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    text = html.unescape(client.get(_pages(meeting)["minutes"]).content.decode())
    assert "Mötets öppnande och närvaro" in text and SHIPPED["Polisens information"] not in text
