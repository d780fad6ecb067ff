from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from samverkan.core import permissions
from samverkan.core.cycle import STEPS
from samverkan.core.models import Level, Role
from samverkan.core.numbers import format_quantity
from samverkan.core.shipped import shipped

register = template.Library()


@register.inclusion_tag("core/_collaboration_nav.html", takes_context=True)
def collaboration_nav(context: dict[str, Any], collaboration: Any) -> dict[str, Any]:
    request = context["request"]
    return {
        "request": request,
        "collaboration": collaboration,
        "steps": STEPS,
        "nav_is_samordnare": permissions.can_manage_collaboration(request.user, collaboration),
    }


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
