from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.translation import get_language

from samverkan.core import permissions
from samverkan.core.cycle import STEPS
from samverkan.core.models import Level, Role
from samverkan.core.numbers import format_quantity
from samverkan.core.shipped import shipped

register = template.Library()


@register.simple_tag(takes_context=True)
def collaboration_nav(context: dict[str, Any], collaboration: Any) -> str:
    """The collaboration's menu. Every page of a collaboration shows it, and it follows from a few values
    alone, so its HTML is kept per process by them (about 20 URLs and a dozen translations a page)."""
    request = context["request"]
    return _collaboration_nav_html(
        collaboration.pk,
        collaboration.name,
        request.path,
        get_language() or "",
        get_script_prefix(),
        permissions.can_manage_collaboration(request.user, collaboration),
    )


@functools.lru_cache(maxsize=2048)
def _collaboration_nav_html(
    pk: int, name: str, path: str, language: str, script_prefix: str, is_samordnare: bool
) -> str:
    # Language and URL prefix are in the key: the template renders with the request's (still active).
    collaboration = SimpleNamespace(pk=pk, name=name)
    return render_to_string(
        "core/_collaboration_nav.html",
        {
            "request": SimpleNamespace(path=path),
            "collaboration": collaboration,
            "steps": STEPS,
            "nav_is_samordnare": is_samordnare,
        },
    )


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
