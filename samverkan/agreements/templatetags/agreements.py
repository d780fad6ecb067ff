"""Small template helpers for the agreement pages: month names and the status badge."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.dates import MONTHS
from django.utils.html import format_html

register = template.Library()


@register.filter
def month_name(number: Any) -> str:
    """1 → "januari" (in the active language); anything else → ""."""
    try:
        return str(MONTHS[int(number)])
    except (KeyError, TypeError, ValueError):
        return ""


@register.simple_tag
def status_badge(agreement: Any) -> str:
    return format_html(
        '<span class="status status--{}">{}</span>', agreement.status, agreement.get_status_display()
    )
