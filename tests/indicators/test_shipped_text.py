"""The statistics' shipped texts: stored in Swedish, marked for translation by a generated module that
follows the specs and the demo's tables, and translated in the English catalogue."""

from __future__ import annotations

import pytest
from django.utils import translation

from samverkan.core.shipped import shipped
from samverkan.indicators.defaults import ensure_police_indicators
from samverkan.indicators.models import Indicator
from samverkan.indicators.shipped_catalogue import (
    SHIPPED_TEXT_MODULE,
    shipped_indicator_texts,
    shipped_text_module,
)


def test_the_generated_module_marks_every_shipped_text():
    # A new Brå/NTU variable in the demo's tables, or a new spec, must reach the English catalogue.
    expected = shipped_text_module(shipped_indicator_texts())
    assert SHIPPED_TEXT_MODULE.read_text(encoding="utf-8") == expected, (
        "Run `samverkan shell -c 'from samverkan.indicators.shipped_catalogue import "
        "write_shipped_text_module as w; w()'` (or vendor_demo_data), then make messages."
    )


def test_the_texts_include_the_composed_names_and_units():
    texts = shipped_indicator_texts()
    assert "Polisens händelser: Hot och våld" in texts
    assert "Registrerade brott: Ungdomar och skolor" in texts
    assert "Bostadsinbrott per 100 000 invånare" in texts
    assert "per 100 000 inv" in texts
    assert "Självrapporterad utsatthet för misshandel" in texts


@pytest.mark.parametrize("text", shipped_indicator_texts())
def test_every_shipped_statistics_text_has_an_english_translation(text):
    with translation.override("en"):
        assert shipped(text) != text


@pytest.mark.django_db
def test_indicators_are_stored_in_swedish_whatever_the_language_loading_them():
    # Before: the names were made with gettext at creation, so a load in English stored English.
    with translation.override("en"):
        ensure_police_indicators()
    indicator = Indicator.objects.get(code="polisen.handelser.vald")
    assert indicator.name == "Polisens händelser: Hot och våld"
    assert indicator.unit == "antal"
    with translation.override("en"):
        assert shipped(indicator.name) == "Police events: Threats and violence"
