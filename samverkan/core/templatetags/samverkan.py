from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from samverkan.core import permissions
from samverkan.core.cycle import STEPS
from samverkan.core.models import Level, Role
from samverkan.core.numbers import format_quantity
from samverkan.core.shipped import shipped

register = template.Library()


# The menu is the same for every page of a collaboration but for the page it marks as current, so each
# process keeps what it rendered: ~25 links through {% url %} cost a report form a tenth of its time.
_NAV: dict[tuple[Any, ...], str] = {}
_NAV_MAX = 2048


@register.simple_tag(takes_context=True)
def collaboration_nav(context: Any, collaboration: Any) -> str:
    """The collaboration's menu (``core/_collaboration_nav.html``), the current page marked."""
    request = context["request"]
    is_samordnare = permissions.can_manage_collaboration(request.user, collaboration)
    key = (
        collaboration.pk,
        collaboration.name,
        is_samordnare,
        get_language(),
        get_script_prefix(),
        request.path,
    )
    html = _NAV.get(key)
    if html is None:
        html = render_to_string(
            "core/_collaboration_nav.html",
            {
                "request": request,
                "collaboration": collaboration,
                "steps": STEPS,
                "nav_is_samordnare": is_samordnare,
            },
        )
        if len(_NAV) >= _NAV_MAX:
            _NAV.clear()
        _NAV[key] = html
    return mark_safe(html)  # noqa: S308 - rendered by the template engine


@register.simple_tag
def level_badge(obj: Any) -> str:
    """The confidentiality level as a badge; begränsad names the roles that may read it.

    A simple tag rather than an included template: it renders once per row on long lists.
    """
    level = Level(obj.level)
    if not obj.is_restricted:
        return format_html('<span class="badge badge--{}">{}</span>', level.value, level.label)
    roles = ", ".join(str(Role(code).label) for code in sorted(obj.restricted_roles))
    return format_html(
        '<span class="badge badge--{}">{}<span class="visually-hidden">: </span> <span class="badge__roles">({})</span></span>',
        level.value,
        level.label,
        roles,
    )


@register.filter
def number(value: Any) -> str:
    """A quantity with its thousands grouped ("55 800 kr"); see samverkan.core.numbers."""
    return format_quantity(value)


@register.filter(name="shipped")
def shipped_filter(value: Any) -> Any:
    """A stored value in the reader's language when it is the product's shipped text (core.shipped)."""
    return shipped(value)
