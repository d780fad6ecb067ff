"""The product's own shipped content in English: one helper, shipped → English, user-written as written."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from samverkan.core.areas import AREA_TITLES, SIX_AREAS, area_choices, area_title
from samverkan.core.shipped import shipped
from samverkan.situation.defaults import (
    DEFAULT_TEMPLATE_DESCRIPTION,
    DEFAULT_TEMPLATE_NAME,
    EVENT_CATEGORIES,
    QUESTIONS_PER_AREA,
)


def test_shipped_text_comes_out_in_english():
    with translation.override("en"):
        assert shipped("Bostadsinbrott") == "Residential burglary"
        assert shipped("Våld i nära relation").startswith("Domestic violence")
        assert shipped("per 100 000 inv") == "per 100,000 inhabitants"
        assert shipped("Hot och våld") == "Threats and violence"
        assert shipped("Polisens händelser: Hot och våld") == "Police events: Threats and violence"


def test_user_written_text_stays_as_written():
    with translation.override("en"):
        assert shipped("Vår egen kategori: snöskoteråkning") == "Vår egen kategori: snöskoteråkning"
        # An admin's renamed shipped category has no msgid either.
        assert shipped("Våld i nära relation (omdöpt)") == "Våld i nära relation (omdöpt)"
        # Never the catalogue's header for an empty value.
        assert shipped("") == ""


def test_swedish_stays_swedish():
    with translation.override("sv"):
        assert shipped("Bostadsinbrott") == "Bostadsinbrott"
        assert area_title("vald") == "Hot och våld"


def test_the_template_filter_is_the_same_helper():
    template = Template("{% load samverkan %}{{ a|shipped }} / {{ b|shipped }}")
    with translation.override("en"):
        text = template.render(Context({"a": "Narkotika", "b": "Egen text"}))
    assert text == "Narcotics / Egen text"


def test_area_titles_follow_the_language_while_the_stored_titles_stay_swedish():
    with translation.override("en"):
        assert area_title("ordning") == "Public disorder and feeling unsafe"
        assert dict(area_choices())["unga"] == "Young people and schools"
        assert area_title("okand") == "okand"
        assert AREA_TITLES["ordning"] == "Ordningsstörningar och otrygghet"


def _every_shipped_situation_text() -> list[str]:
    texts = [DEFAULT_TEMPLATE_NAME, DEFAULT_TEMPLATE_DESCRIPTION]
    texts += [text for _code, title, question in SIX_AREAS for text in (title, question)]
    texts += [
        text for _kind, label, help_text, _req in QUESTIONS_PER_AREA for text in (label, help_text) if text
    ]
    texts += [name for name, _code in EVENT_CATEGORIES]
    return texts


@pytest.mark.parametrize("text", _every_shipped_situation_text())
def test_every_shipped_situation_text_has_an_english_translation(text):
    with translation.override("en"):
        assert shipped(text) != text
