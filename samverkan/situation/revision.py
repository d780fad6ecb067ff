"""A per-collaboration "situation revision": a number in the database that every write bumps.

What a member sees of a round's live joint picture depends only on the round's data and on the member's
role, so a built picture can be cached under (round, role, revision): any write through the services
(answers, reports, rounds, events, places, summaries, versions) bumps the collaboration's revision in
the same transaction, and the next read builds afresh. Because the revision lives in the database, every
app process agrees on it, and a cached entry's content never changes once stored: the cache may be
Redis or each process's own memory alike (settings.SITUATION_PICTURE_CACHE). A new revision row starts
from the clock, so a recreated database never comes back to a value an old cache entry was stored under.
Rows written around the services (the bench generator, the admin, imports) are not seen until the
cached entries expire.
"""

from __future__ import annotations

import time

from django.db.models import F

from samverkan.situation.models import SituationRevision


def situation_revision(collaboration_id: int) -> int:
    """The collaboration's current revision (one query). Read it BEFORE the rows a picture is built
    from: a write committed in between then lands under the next revision, never under this one."""
    value = (
        SituationRevision.objects.filter(collaboration_id=collaboration_id)
        .values_list("value", flat=True)
        .first()
    )
    if value is None:
        SituationRevision.objects.bulk_create(
            [SituationRevision(collaboration_id=collaboration_id, value=time.time_ns())],
            ignore_conflicts=True,
        )
        value = SituationRevision.objects.values_list("value", flat=True).get(
            collaboration_id=collaboration_id
        )
    return int(value)


def bump_situation_revision(collaboration_id: int) -> None:
    """Call right after a write that changes what a lägesbild shows, inside its transaction: readers see
    the new revision exactly when they can see the new rows."""
    updated = SituationRevision.objects.filter(collaboration_id=collaboration_id).update(value=F("value") + 1)
    if not updated:
        situation_revision(collaboration_id)
        SituationRevision.objects.filter(collaboration_id=collaboration_id).update(value=F("value") + 1)
