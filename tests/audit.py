"""Reading the audit log's read entries in tests: one entry per view names every begränsad row shown."""

from __future__ import annotations

from typing import Any

from samverkan.core.models import AuditEntry


def read_entries(actor: Any = None):
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.READ)
    return entries.filter(actor=actor) if actor is not None else entries


def logged_reads(actor: Any = None, label: str | None = None) -> set[tuple[str, str]]:
    """(type label, id) of every begränsad row logged as read (by ``actor``; of type ``label``)."""
    found = set()
    for changes in read_entries(actor).values_list("changes", flat=True):
        for type_label, ids in changes.get("read", {}).items():
            if label is None or type_label == label:
                found.update((type_label, str(i)) for i in ids)
    return found


def logged_ids(actor: Any = None, label: str | None = None) -> set[str]:
    return {pk for _label, pk in logged_reads(actor, label)}
