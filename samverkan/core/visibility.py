"""The one place that decides what a user may read: the façade every app imports.

The rule itself (``visibility_q``, ``can_read``, membership roles) lives beside the models in
``core/models/visibility.py`` so the querysets can use it without an import cycle; this module adds the
audit of begränsad reads (``record_reads``). See that module's docstring for the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db.models import Model

from samverkan.core.audit import audit_reads, reads_captured
from samverkan.core.models import Level
from samverkan.core.models.visibility import (
    ROLE_SETS_CONTAINING,
    can_read,
    collaborations_visible_to,
    county_collaboration_ids,
    forget,
    membership_roles,
    membership_rows,
    readable_levels,
    visibility_q,
)

__all__ = [
    "ROLE_SETS_CONTAINING",
    "can_read",
    "collaborations_visible_to",
    "county_collaboration_ids",
    "forget",
    "membership_roles",
    "membership_rows",
    "readable_levels",
    "record_reads",
    "visibility_q",
]


def record_reads(user: Any, objects: Iterable[Any]) -> None:
    """Write an audit entry for each begränsad object shown to the user."""
    restricted = [obj for obj in objects if getattr(obj, "level", None) == Level.BEGRANSAD]
    if restricted:
        audit_reads(actor=user, objects=restricted)


# A begränsad row shown, as the audit log names it: its model, id and collaboration. A page that keeps what
# it shows in a cache keeps these with it and logs them on every view, without reading the rows again.
ShownRow = tuple[type[Model], int, int | None]


def shown_rows(objects: Iterable[Any]) -> list[ShownRow]:
    """The begränsad ones among ``objects`` as ``ShownRow`` values (kept with a cached page)."""
    return [
        (type(obj), obj.pk, getattr(obj, "collaboration_id", None))
        for obj in objects
        if getattr(obj, "level", None) == Level.BEGRANSAD
    ]


def record_shown_rows(user: Any, rows: Iterable[ShownRow]) -> None:
    """``record_reads`` of rows kept as values: stand-ins naming exactly what the entry names."""
    record_reads(
        user,
        [
            model(pk=pk, level=Level.BEGRANSAD, **({} if cid is None else {"collaboration_id": cid}))
            for model, pk, cid in rows
        ],
    )


@contextmanager
def rows_read() -> Iterator[list[ShownRow]]:
    """The begränsad rows read inside the block (by ``record_reads``, whoever calls it), as ``ShownRow``
    values filled in when the block ends, and not logged: for a value built once and kept for every
    reader of the same standing, whose every use then logs them with ``record_shown_rows``. Logging stays
    where the rows are read, however deep, and a cached value cannot forget a row it showed."""
    rows: list[ShownRow] = []
    with reads_captured() as captured:
        yield rows
    rows += [(apps.get_model(label), int(pk), collaboration_id) for label, pk, collaboration_id in captured]
