"""What the action plan's pages read of a whole plan, cached per (collaboration revision, reader).

The plan page lists 200 actions, and the follow-up sheet ranks every due action by its last two
follow-ups before it reads one page of them: the same work on every request while nothing changes.
What those reads return follows from rows owned by the collaboration (actions, plans, follow-ups, focus
areas, indicators) and organisation names, every write of which raises the collaboration's revision
(``core.publication``, in the same transaction), and from the reader's visibility in that collaboration,
which is their role there, or none (a county reader sees öppen rows only; anyone else nothing); and the
values measured for statistics indicators come from imports, which move the data points' revision
(``indicators.revision``). So the key names the database's epoch, the collaboration, its revision, the
data points' revision, the reader's standing there and what the caller adds (the day, the plan); what is stored under a key never changes, and the expiry bounds
what a write around the signals (a ``QuerySet.update`` that forgets its bump) can leave.

A cached value holds no audit: the callers log the begränsad rows they show on every request. A caller
that never changes what it gets asks for the value to be kept unpickled in this process too
(``core.memo``): a page's rows are then not unpickled on every request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache

from samverkan.core.memo import LocalMemo
from samverkan.core.publication import database_epoch, public_revision
from samverkan.core.visibility import county_collaboration_ids, membership_roles
from samverkan.indicators.revision import DATA_POINTS, current_data_revision

PAGE_CACHE_SECONDS = 600
# Per process: the pages of the plans being followed up right now (a sheet's ranking and pages, a grid).
LOCAL = LocalMemo(128)

T = TypeVar("T")


def reader_standing(user: Any, collaboration_id: int) -> str:
    """What decides which of the collaboration's rows the user reads (``core.visibility``): their role
    there, else whether they read it as a county reader (öppen only), else nothing."""
    role = membership_roles(user).get(collaboration_id)
    if role is not None:
        return f"role-{role}"
    return "county" if collaboration_id in county_collaboration_ids(user) else "none"


def cached_for_reader(
    name: str,
    user: Any,
    collaboration_id: int,
    parts: tuple[Any, ...],
    build: Callable[[], T],
    *,
    memo: bool = False,
    namespace: str = "actions",
    setting: str = "ACTIONS_PAGE_CACHE",
) -> T:
    """``build()``'s value, shared by every reader of the same standing until the collaboration's next
    change; with ``memo`` also kept as it is in this process (the caller must not change it, as other
    threads read the same objects). Off with the setting ``ACTIONS_PAGE_CACHE = False`` (always built);
    another app's pages pass their own ``namespace`` and ``setting`` (the minutes page)."""
    if not getattr(settings, setting, True):
        return build()
    key = ":".join(
        str(p)
        for p in (
            namespace,
            name,
            database_epoch(),
            collaboration_id,
            public_revision(collaboration_id),
            current_data_revision(DATA_POINTS),
            reader_standing(user, collaboration_id),
            *parts,
        )
    )
    if memo:
        kept = LOCAL.get(key)
        if kept is not None:
            return kept  # type: ignore[no-any-return]
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, PAGE_CACHE_SECONDS)
    if memo:
        LOCAL.set(key, found, PAGE_CACHE_SECONDS)
    return found  # type: ignore[no-any-return]
