"""The live picture, cached per (round, the reader's role, the collaboration's situation revision).

Everything a member may read of a round's picture follows from the round's rows and the member's role
in the collaboration (core/visibility.py), so members with the same role share one built picture. The
revision (situation/revision.py, in the database) changes on every write through the services, so a
cached picture is never older than the last such write; the expiry bounds what writes around the
services can leave. The picture carries its begränsad rows; ``shown_picture`` (shown.py) audit-logs them
on every view.

Two layers: Django's cache (Redis, or the process's memory), and in front of it a small memo of
unpickled objects in this process (``cached_value``). An entry's key names its revision, so what is
stored under a key never changes: the memo cannot serve anything the shared cache would not, and a
cached view does not unpickle the picture and its fragments on every request.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache

from samverkan.core.memo import LocalMemo
from samverkan.core.visibility import membership_roles
from samverkan.situation.models import Round
from samverkan.situation.revision import situation_revision
from samverkan.situation.selectors.picture.live import build_picture
from samverkan.situation.selectors.picture.shapes import PictureData
from samverkan.situation.selectors.picture.stamps import stamp_of

PICTURE_CACHE_SECONDS = 600
LOCAL_ENTRIES = 256  # per process: the pictures and fragments of the rounds being read right now


LOCAL = LocalMemo(LOCAL_ENTRIES)


def cached_value(key: str, build: Callable[[], Any], seconds: float = PICTURE_CACHE_SECONDS) -> Any:
    """What is cached under ``key`` (a key that names the revision it was built at): from this
    process's memo, else Django's cache, else ``build()`` stored in both."""
    value = LOCAL.get(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    LOCAL.set(key, value, seconds)
    return value


def picture_cache_key(round_: Round, role: str) -> str:
    """Unique per round row (a recreated database reuses ids, not creation times), role and revision
    (the one read with the round when it was fetched with its stamp)."""
    created = round_.created_at.timestamp() if round_.created_at else 0
    stamp = stamp_of(round_)
    revision = stamp.situation_revision if stamp is not None else None
    if revision is None:
        revision = situation_revision(round_.collaboration_id)
    return f"situation:picture:1:{round_.pk}:{created:.6f}:{role}:{revision}"


def reader_role(user: Any, round_: Round) -> str | None:
    """The user's role in the round's collaboration (what the visibility rule decides by), or None."""
    return membership_roles(user).get(round_.collaboration_id)


def cached_picture(*, round_: Round, user: Any) -> tuple[PictureData, str | None]:
    """``build_picture(round_=round_, user=user)``, from the cache when it may be; also its cache key
    (None when not cached: a user without a role in the collaboration gets a fresh build, and so does
    everyone when settings.SITUATION_PICTURE_CACHE is off)."""
    role = reader_role(user, round_)
    if role is None or not settings.SITUATION_PICTURE_CACHE:
        return build_picture(round_=round_, user=user), None
    key = picture_cache_key(round_, role)
    shared = cached_value(key, lambda: build_picture(round_=round_, user=user))
    # A copy with the request's own round and collaboration rows: the memo's object is shared by threads.
    data: PictureData = copy.copy(shared)
    data.round, data.collaboration = round_, round_.collaboration
    return data, key
