"""Template helpers of the analysis pages."""

from __future__ import annotations

from django import template

from samverkan.core.areas import area_title as _area_title

register = template.Library()


@register.filter
def area_title(code: str) -> str:
    """A lägesbild area's title in the reader's language (a code that is no area shows as written)."""
    return _area_title(code) if code else ""
