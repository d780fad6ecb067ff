"""``{% contributions "slot" key=value … %}``: what later apps draw into a place of an earlier app's page,
through the registry (``core.registry.page_contributions``), so the page's app imports none of them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from samverkan.core.registry import page_contribution_functions

register = template.Library()


@register.simple_tag(takes_context=True)
def contributions(context: template.Context, slot: str, **values: Any) -> SafeString:
    request = context.get("request")
    if request is None:  # a page rendered without a request (a PDF, an e-mail) gets no contributions
        return SafeString("")
    parts = (function(request, **values) for function in page_contribution_functions(slot))
    return SafeString("".join(conditional_escape(part) for part in parts if part))
