"""A per-collaboration "situation revision": a counter in Django's cache that every write bumps.

What a member sees of a round's live joint picture depends only on the round's data and on the member's
role, so a built picture can be cached under (round, role, revision): any write through the services
(answers, reports, rounds, events, places, summaries, versions) bumps the collaboration's revision, and
the next read builds afresh. The counter starts from the clock, so a counter lost from the cache never
comes back to a value an old cache entry was stored under. Rows written around the services (the bench
generator, the admin, imports) are not seen until the cached entries expire.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction


def _key(collaboration_id: int) -> str:
    return f"situation:revision:{collaboration_id}"


def _bump(collaboration_id: int) -> None:
    key = _key(collaboration_id)
    try:
        cache.incr(key)
    except ValueError:  # not in the cache (never set, evicted or expired): start a new epoch
        cache.add(key, time.time_ns(), timeout=None)


def situation_revision(collaboration_id: int) -> int:
    """The collaboration's current revision (a new one when the cache has none, or keeps none)."""
    key = _key(collaboration_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return int(value) if value is not None else time.time_ns()


def bump_situation_revision(collaboration_id: int) -> None:
    """Call right after a write that changes what a lägesbild shows.

    Bumps now and again when the transaction commits: a reader that built from the old rows between
    the two stored its picture under the first bump's revision, which the second one retires.
    """
    _bump(collaboration_id)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(collaboration_id))
