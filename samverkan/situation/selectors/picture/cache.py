"""The live picture, cached per (round, the reader's role, the collaboration's situation revision).

Everything a member may read of a round's picture follows from the round's rows and the member's role
in the collaboration (core/visibility.py), so members with the same role share one built picture. The
revision (situation/revision.py) changes on every write through the services, so a cached picture is
never older than the last such write; the expiry bounds what writes around the services can leave.
The picture carries its begränsad rows; ``shown_picture`` (shown.py) audit-logs them on every view.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache

from samverkan.core.visibility import membership_roles
from samverkan.situation.models import Round
from samverkan.situation.revision import situation_revision
from samverkan.situation.selectors.picture.live import build_picture
from samverkan.situation.selectors.picture.shapes import PictureData

PICTURE_CACHE_SECONDS = 600


def picture_cache_key(round_: Round, role: str) -> str:
    """Unique per round row (a recreated database reuses ids, not creation times), role and revision."""
    created = round_.created_at.timestamp() if round_.created_at else 0
    revision = situation_revision(round_.collaboration_id)
    return f"situation:picture:1:{round_.pk}:{created:.6f}:{role}:{revision}"


def reader_role(user: Any, round_: Round) -> str | None:
    """The user's role in the round's collaboration (what the visibility rule decides by), or None."""
    return membership_roles(user).get(round_.collaboration_id)


def cached_picture(*, round_: Round, user: Any) -> tuple[PictureData, str | None]:
    """``build_picture(round_=round_, user=user)``, from the cache when it may be; also its cache key
    (None when not cached: a user without a role in the collaboration gets a fresh build, and so does
    everyone where the processes share no cache — settings.SITUATION_PICTURE_CACHE)."""
    role = reader_role(user, round_)
    if role is None or not settings.SITUATION_PICTURE_CACHE:
        return build_picture(round_=round_, user=user), None
    key = picture_cache_key(round_, role)
    data = cache.get(key)
    if isinstance(data, PictureData):
        # The request's own round and collaboration rows, not the cached copies.
        data.round, data.collaboration = round_, round_.collaboration
        return data, key
    data = build_picture(round_=round_, user=user)
    cache.set(key, data, PICTURE_CACHE_SECONDS)
    return data, key
