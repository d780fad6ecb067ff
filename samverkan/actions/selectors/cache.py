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

The three numbers of the key are read in one query (``_key_revisions``): on a page served from the cache
they were three of its dozen queries.

A cached value holds no audit: the callers log the begränsad rows they show on every request. A caller
that never changes what it gets asks for the value to be kept unpickled in this process too
(``core.memo``): a page's rows are then not unpickled on every request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache as once
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from samverkan.core.memo import LocalMemo
from samverkan.core.models import DatabaseEpoch, PublicRevision
from samverkan.core.publication import database_epoch
from samverkan.core.visibility import ShownRow, county_collaboration_ids, membership_roles, record_shown_rows
from samverkan.indicators.models import DataRevision
from samverkan.indicators.revision import DATA_POINTS

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


@once
def _key_revisions_sql(vendor: str) -> str:
    """One SELECT of three scalar subqueries (each NULL without its row): the database's epoch, a
    collaboration's public revision and the data points' revision. Raw SQL on purpose: it runs on every
    page served from the cache, where compiling three ORM queries cost more than running them. Made once
    per database vendor (the quoting of names is the connection's)."""

    def column(model: Any, field: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(field).column)

    def table(model: Any) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    # Names from the models, values are parameters.
    return (
        f"SELECT (SELECT {column(DatabaseEpoch, 'token')} FROM {table(DatabaseEpoch)}"  # noqa: S608
        f" WHERE {column(DatabaseEpoch, 'id')} = 1),"
        f" (SELECT {column(PublicRevision, 'revision')} FROM {table(PublicRevision)}"
        f" WHERE {column(PublicRevision, 'collaboration_id')} = %s),"
        f" (SELECT {column(DataRevision, 'value')} FROM {table(DataRevision)}"
        f" WHERE {column(DataRevision, 'name')} = %s)"
    )


def _key_revisions(collaboration_id: int) -> tuple[str, int, int]:
    """``core.publication.database_epoch()``, ``public_revision(collaboration_id)`` and
    ``indicators.revision.current_data_revision(DATA_POINTS)`` in one query (the epoch's row is made on
    first use, as ``database_epoch`` does; a missing revision is 0, as theirs are)."""
    with connection.cursor() as cursor:
        cursor.execute(_key_revisions_sql(connection.vendor), [collaboration_id, DATA_POINTS])
        epoch, revision, data_revision = cursor.fetchone()
    return (epoch if epoch is not None else database_epoch()), int(revision or 0), int(data_revision or 0)


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
    epoch, revision, data_revision = _key_revisions(collaboration_id)
    key = ":".join(
        str(p)
        for p in (
            namespace,
            name,
            epoch,
            collaboration_id,
            revision,
            data_revision,
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


def cached_shown(
    name: str,
    user: Any,
    collaboration_id: int,
    parts: tuple[Any, ...],
    build: Callable[[], tuple[T, list[ShownRow]]],
    *,
    memo: bool = False,
    namespace: str = "actions",
    setting: str = "ACTIONS_PAGE_CACHE",
) -> T:
    """``cached_for_reader`` of a value that shows begränsad rows: ``build`` returns the value and those
    rows (``core.visibility.shown_rows``, or what ``rows_read`` captured), kept together, and the rows are
    logged for ``user`` on every call, from the cache or built. A page, document or draft kept for a
    standing cannot show a begränsad row without its read being logged."""
    value, rows = cached_for_reader(
        name, user, collaboration_id, parts, build, memo=memo, namespace=namespace, setting=setting
    )
    record_shown_rows(user, rows)
    return value
