from __future__ import annotations

from typing import Any

from django import template

from samverkan.core import permissions
from samverkan.core.cycle import STEPS
from samverkan.core.models import Level

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


@register.inclusion_tag("core/_level_badge.html")
def level_badge(obj: Any) -> dict[str, Any]:
    level = Level(obj.level)
    return {
        "level": level,
        "label": level.label,
        "roles": sorted(obj.restricted_roles) if obj.is_restricted else [],
    }
