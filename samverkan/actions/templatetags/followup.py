"""The rating as a mark that never relies on colour alone: a shape per colour, a letter and the word."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samverkan.actions.models import Rating

register = template.Library()

# Röd a square (stop), gul a triangle (warning), grön a circle; each with its own letter.
# Fill and outline as attributes: the PDF renderer does not apply CSS to inline SVG.
SHAPES = {
    Rating.ROD: '<rect x="2" y="2" width="12" height="12" fill="#c8102e" stroke="#1b1f24"/>',
    Rating.GUL: '<polygon points="8,1 15,15 1,15" fill="#f2c200" stroke="#1b1f24"/>',
    Rating.GRON: '<circle cx="8" cy="8" r="7" fill="#2e8540" stroke="#1b1f24"/>',
}


# On the pages that draw hundreds of marks (the sheet, the grid) each shape is drawn once per page as a
# <symbol> (``rating_symbols``) and every mark shows it with <use>; documents for print and PDF keep the
# shapes inline, which every renderer draws.
SYMBOL_IDS: dict[str, str] = {rating.value: f"rating-shape-{rating.value}" for rating in SHAPES}


@register.simple_tag
def rating_symbols() -> SafeString:
    """The shapes the marks drawn ``symbol=True`` show: once on a page, before the first such mark."""
    symbols = "".join(
        f'<symbol id="{SYMBOL_IDS[rating]}" viewBox="0 0 16 16">{shape}</symbol>'
        for rating, shape in SHAPES.items()
    )
    return SafeString(
        f'<svg class="rating-symbols" width="0" height="0" aria-hidden="true" focusable="false">{symbols}</svg>'
    )


def letters() -> dict[str, str]:
    return {Rating.ROD: _("R"), Rating.GUL: _("G"), Rating.GRON: _("Gr")}


@register.simple_tag
def rating_mark(rating: str, when: Any = None, *, compact: bool = False) -> SafeString:
    """A rating mark: shape + letter, and the word (visually hidden in ``compact`` rows of dots, where
    the date and word are still read out and shown on hover)."""
    # A sheet draws thousands of marks from a handful of (rating, day) pairs: made once per language.
    return _mark(rating, when, compact, get_language())


def rating_mark_in(
    language: str | None, rating: str, when: Any = None, *, compact: bool = False, symbol: bool = False
) -> SafeString:
    """``rating_mark`` in a language the caller looked up once (a sheet draws hundreds of dots); with
    ``symbol`` the shape is the page's ``rating_symbols`` one."""
    return _mark(rating, when, compact, language, symbol)


@lru_cache(maxsize=4096)
def _mark(rating: str, when: Any, compact: bool, _language: str | None, symbol: bool = False) -> SafeString:
    if rating not in SHAPES:
        return format_html('<span class="rating rating--none">{}</span>', _("Ingen bedömning"))
    label = str(Rating(rating).label)
    spoken = f"{when:%Y-%m-%d}: {label}" if when else label
    text_class = "visually-hidden" if compact else "rating__word"
    return format_html(
        '<span class="rating rating--{}" title="{}">'
        '<svg class="rating__shape" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">{}</svg>'
        '<span class="rating__letter" aria-hidden="true">{}</span><span class="{}">{}</span></span>',
        rating,
        spoken,
        SafeString(f'<use href="#{SYMBOL_IDS[rating]}"/>' if symbol else SHAPES[Rating(rating)]),
        letters()[rating],
        text_class,
        spoken,
    )
