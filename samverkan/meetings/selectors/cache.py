"""What the minutes page shows of a meeting, and the agenda's drafts (``services.agenda.cached_drafts``),
cached per (collaboration revision, reader's standing).

The action plan's page cache (``actions.selectors.cache``) under a namespace of its own.
The body of the minutes (attendance, the points with their decisions, follow-ups and amendments, each
with its level badge) is made of rows owned by the collaboration (each has its ``collaboration``), so
every write of them through the models raises the collaboration's revision (``core.publication``) in the
same transaction; a write that bypasses the signals (moving a point with ``QuerySet.update``) raises it
itself. Which of them a reader sees follows from their role in the collaboration alone
(``core.visibility``). So the key names the database's epoch, the collaboration, its revision, the
reader's standing and what the caller adds (the meeting, the language, …): never the user. The minutes'
own row (status, justering) and the justering answers are not cached: the page reads them on every
request.

A cached value holds no audit; the begränsad rows it shows are kept with it and logged on every use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from samverkan.actions.selectors import cache as page_cache
from samverkan.core.visibility import ShownRow

T = TypeVar("T")


# Every value of the meetings' pages under the namespace "meetings", off with the setting
# ``MEETINGS_PAGE_CACHE = False``.
NAMESPACE, SETTING = "meetings", "MEETINGS_PAGE_CACHE"


def cached_shown(
    name: str,
    user: Any,
    collaboration_id: int,
    parts: tuple[Any, ...],
    build: Callable[[], tuple[T, list[ShownRow]]],
    *,
    memo: bool = False,
) -> T:
    """The action plan's ``cached_shown`` under the namespace "meetings": the value ``build`` returns,
    shared by every reader of the same standing until the collaboration's next change, and the begränsad
    rows it returns with it logged for ``user`` on every call (``memo``: also kept unpickled in this
    process; the caller must not change it)."""
    return page_cache.cached_shown(
        name, user, collaboration_id, parts, build, memo=memo, namespace=NAMESPACE, setting=SETTING
    )


def prepare_shown(
    name: str,
    user: Any,
    collaboration_id: int,
    parts: tuple[Any, ...],
    build: Callable[[], tuple[T, list[ShownRow]]],
    *,
    memo: bool = False,
) -> None:
    """Build and keep what ``cached_shown`` with the same arguments will return, unless it is kept
    already, and log nothing: no one has been shown it yet (each later ``cached_shown`` logs its rows)."""
    page_cache.cached_for_reader(
        name, user, collaboration_id, parts, build, memo=memo, namespace=NAMESPACE, setting=SETTING
    )
