"""The joint picture and the statistics pages in English: the product's shipped content (areas, template
questions, event categories, indicator names and units) comes out in English, the members' own text as
written, and nothing of the shipped Swedish is left."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from samverkan.core.areas import SIX_AREAS
from samverkan.core.models import Level
from samverkan.indicators.models import Indicator
from samverkan.indicators.signals import signals_for_collaboration
from samverkan.situation.defaults import EVENT_CATEGORIES, QUESTIONS_PER_AREA
from samverkan.situation.models import EventCategory
from tests.situation.test_exports_picture import xlsx_text
from tests.situation.test_picture_statistics import OCTOBER, _import

# Shipped Swedish that must not be left on an English page (the titles also as the sentences use them).
SHIPPED_SWEDISH = [
    *(text for _code, title, question in SIX_AREAS for text in (title, title.lower(), question)),
    *(
        text
        for _kind, label, help_text, _required in QUESTIONS_PER_AREA
        for text in (label, help_text)
        if text
    ),
    *(name for name, _code in EVENT_CATEGORIES),
    "Polisens händelser",
    "per 100 000 inv",
    "antal per 10 000 invånare",
]


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.SITUATION_PICTURE_CACHE = True


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _left_over(body: str) -> list[str]:
    """The shipped Swedish texts found in a page, as whole words."""
    text = html.unescape(body)
    return [s for s in SHIPPED_SWEDISH if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]


def _picture_url(world, name="picture_detail"):
    round_ = world.situation["A"]["round"]
    return reverse(f"situation:{name}", kwargs={"collaboration_id": world.a.pk, "round_id": round_.pk})


def test_the_joint_picture_in_english_has_no_shipped_swedish_left(world):
    _import([(OCTOBER, "Misshandel", 14), (dt.date(2026, 9, 1), "Misshandel", 3)])
    swedish = world.client("samordnare").get(_picture_url(world)).content.decode()
    assert "Hot och våld" in swedish  # the same page in Swedish holds them
    response = _english(world.client("samordnare")).get(_picture_url(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="en"' in body
    assert _left_over(body) == []
    assert "Threats and violence" in body and "Young people and schools" in body
    # The signal's sentence is English throughout, the kommun's name as it is.
    assert "Police events: Threats and violence in Malå increased from 3 to 14" in body
    # The members' own text stays as written.
    assert "KANARIE-A-OPPEN" in body


def test_the_cached_picture_serves_each_reader_in_their_language(world):
    # One cached build for the role, read in Swedish first and then in English.
    world.client("ledamot").get(_picture_url(world))
    body = _english(world.client("ledamot")).get(_picture_url(world)).content.decode()
    assert "Threats and violence" in body and _left_over(body) == []
    again = world.client("ledamot").get(_picture_url(world)).content.decode()
    assert "Hot och våld" in again and "Threats and violence" not in again


def test_the_agree_confirmation_in_english_has_no_shipped_swedish_left(world):
    response = _english(world.client("samordnare")).post(
        _picture_url(world, "picture_agree"), {"meeting": "REK-gruppen", "meeting_date": "2026-11-12"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Threats and violence" in body and _left_over(body) == []


def test_the_picture_xlsx_in_english(world):
    response = _english(world.client("samordnare")).get(_picture_url(world, "picture_xlsx"))
    assert response.status_code == 200
    text = xlsx_text(response.content)
    assert "Threats and violence" in text
    assert _left_over(text) == []


def test_a_signal_made_in_swedish_reads_in_english(world):
    _import([(OCTOBER, "Misshandel", 14), (dt.date(2026, 9, 1), "Misshandel", 3)])
    with translation.override("sv"):
        (signal,) = signals_for_collaboration(world.a, as_of=dt.date(2026, 10, 31))
        assert signal.sentence.startswith("Polisens händelser: Hot och våld i Malå ökade från 3 till 14")
    with translation.override("en"):
        assert signal.sentence.startswith(
            "Police events: Threats and violence in Malå increased from 3 to 14"
        )


def test_the_statistics_pages_in_english(world):
    _import([(OCTOBER, "Misshandel", 14), (dt.date(2026, 9, 1), "Misshandel", 3)])
    client = _english(world.client("ledamot"))
    overview = client.get(reverse("indicators:overview", kwargs={"collaboration_id": world.a.pk}))
    assert overview.status_code == 200
    body = overview.content.decode()
    assert "Police events: Threats and violence" in body
    assert _left_over(body) == []
    indicator = Indicator.objects.get(code="polisen.handelser.vald")
    detail = client.get(
        reverse("indicators:detail", kwargs={"collaboration_id": world.a.pk, "indicator_id": indicator.pk}),
        {"kommun": "2418"},
    )
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "<h1>Police events: Threats and violence" in body
    assert "Police, events (polisen.se/api/events)" in body
    assert _left_over(body) == []


def test_a_renamed_category_stays_as_written_in_english(world):
    event = world.situation["A"]["events"][Level.OPPEN]
    category = event.category
    shipped_name = category.name
    assert shipped_name in [name for name, _code in EVENT_CATEGORIES]
    url = reverse("situation:event_list", kwargs={"collaboration_id": world.a.pk})
    client = _english(world.client("samordnare"))
    with translation.override("en"):
        english_name = translation.gettext(shipped_name)
    assert english_name != shipped_name and english_name in client.get(url).content.decode()
    # An admin renames the shipped category: the new name has no translation and shows as written.
    EventCategory.objects.filter(pk=category.pk).update(name="Hot mot personal på badhuset")
    body = client.get(url).content.decode()
    assert "Hot mot personal på badhuset" in body


def test_the_round_form_and_the_template_page_name_the_shipped_template_in_english(world):
    client = _english(world.client("samordnare"))
    body = client.get(
        reverse("situation:round_create", kwargs={"collaboration_id": world.a.pk})
    ).content.decode()
    assert "Monthly situation picture – six areas (version 1)" in body
    template = world.situation["A"]["round"].template
    body = client.get(
        reverse(
            "situation:template_detail", kwargs={"collaboration_id": world.a.pk, "template_id": template.pk}
        )
    ).content.decode()
    assert "<h1>Monthly situation picture – six areas</h1>" in body
    assert (
        "What is the situation?" in body and "Choose the colour that best describes the last month." in body
    )
    assert _left_over(body) == []
