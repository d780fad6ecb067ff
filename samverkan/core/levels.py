"""Ordering of confidentiality levels, for wholes built from parts (a picture cell, a meeting pack)."""

from __future__ import annotations

from collections.abc import Iterable

from samverkan.core.models import Level
from samverkan.core.models.collaboration import decode_roles

LEVEL_RANK = {Level.OPPEN.value: 0, Level.INTERN.value: 1, Level.BEGRANSAD.value: 2}


def strictest(parts: Iterable[tuple[str, Iterable[str] | str]]) -> tuple[str, frozenset[str]]:
    """The level of a whole made of parts given as (level, restricted roles).

    Begränsad beats intern beats öppen; the roles of begränsad parts intersect, since a reader must be
    entitled to every part. No parts: öppen. The roles are empty unless the result is begränsad.
    """
    level = Level.OPPEN.value
    roles: frozenset[str] | None = None
    for part_level, part_roles in parts:
        if LEVEL_RANK[part_level] > LEVEL_RANK[level]:
            level = part_level
        if part_level == Level.BEGRANSAD:
            decoded = decode_roles(part_roles) if isinstance(part_roles, str) else frozenset(part_roles)
            roles = decoded if roles is None else roles & decoded
    if level != Level.BEGRANSAD:
        return level, frozenset()
    return level, roles or frozenset()
