"""What the analysis draws into earlier apps' pages through the registry (``core.registry``):
"Lyft som problem" beside the raisable parts of an agreed joint picture's area, for whoever may edit the
analysis. The situation app names the place; it does not import this one."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from samverkan.analysis import selectors
from samverkan.core.permissions import can_edit_analysis

# The parts of a version are read once per request, not once per area.
_CACHE = "_analysis_raisable_parts"


def _parts_by_area(request: Any, version: Any) -> dict[tuple[int, str], list[Any]]:
    cache: dict[int, dict[tuple[int, str], list[Any]]] = getattr(request, _CACHE, None) or {}
    if version.pk not in cache:
        cache[version.pk] = selectors.raisable_parts_by_area(user=request.user, version=version)
        setattr(request, _CACHE, cache)
    return cache[version.pk]


def raise_from_picture_area(request: Any, *, version: Any = None, area: Any = None) -> SafeString | str:
    """The raise buttons for the parts of ``area`` in the agreed ``version`` (slot
    ``situation.picture_version.area``); nothing for a reader who may not edit the analysis."""
    if version is None or area is None or not can_edit_analysis(request.user, version.collaboration):
        return ""
    parts = _parts_by_area(request, version).get((area.order, area.title), [])
    if not parts:
        return ""
    return render_to_string(
        "analysis/_raise_from_area.html",
        {"parts": parts, "area": area, "collaboration": version.collaboration},
        request=request,
    )
