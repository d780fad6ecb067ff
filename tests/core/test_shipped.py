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


def _marked_texts() -> list[tuple[str, str]]:
    """Every literal the product marks with ``gettext_noop`` (its shipped texts: demo sentences, defaults),
    as (file, text)."""
    import ast
    from pathlib import Path

    import samverkan

    found = []
    for path in sorted(Path(samverkan.__file__).parent.rglob("*.py")):
        if "migrations" in path.parts or "bench" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "gettext_noop"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.append((path.name, node.args[0].value))
    return found


def test_every_marked_shipped_text_has_an_english_translation():
    """makemessages collects gettext_noop only under that name: the meetings demo's texts were marked under
    an alias (N_), never reached the catalogue and showed in Swedish on English pages."""
    marked = _marked_texts()
    assert len(marked) > 50
    with translation.override("en"):
        untranslated = [(name, text) for name, text in marked if shipped(text) == text and text.strip()]
    # A few texts are the same in both languages (names, codes); anything more is a missing entry.
    assert [(n, t) for n, t in untranslated if any(c in t for c in "åäöÅÄÖ")] == []


def test_no_module_imports_a_gettext_function_under_a_name_makemessages_does_not_know():
    """xgettext knows the functions' own names and ``_``; a text marked through any other alias is never
    collected."""
    import ast
    from pathlib import Path

    import samverkan

    aliased = []
    for path in Path(samverkan.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                aliased += [
                    f"{path.name}: {a.asname}"
                    for a in node.names
                    if a.asname not in (None, "_") and "gettext" in a.name
                ]
    assert aliased == []
