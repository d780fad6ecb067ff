"""Writing the audit log. Services call ``audit_change``; the visibility module calls ``audit_reads``, which
collects the begränsad reads of one request into one entry (``ReadAuditMiddleware``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.db import models

from samverkan.core.models import AuditEntry
from samverkan.core.personaldata import mask_all, mask_personal_data


def _json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    # Values JSON cannot hold as such (the log's changes are a JSONField): a meeting's calendar UID, an
    # amount, a day. As text they compare and read the same in a diff.
    if isinstance(value, dt.date | dt.datetime | dt.time | Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(_json_value(v) for v in value)
    if isinstance(value, list | tuple):
        # A JSON list keeps its order (an answer's places are a list of {"name": …}, which cannot be
        # sorted: two places used to end the save in a TypeError).
        return [_json_value(v) for v in value]
    return value


def snapshot(obj: models.Model, *, many_to_many: bool = True) -> dict[str, Any]:
    """The object's concrete and many-to-many field values, JSON-safe, for before/after diffs. Without
    ``many_to_many`` only the concrete ones, with no query (a bulk write reads the links of all its rows
    at once and adds them)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in {"created_at", "updated_at", "password", "key_hash", "last_login"}:
            continue
        data[field.name] = _json_value(field.value_from_object(obj))
    if obj.pk and many_to_many:
        for m2m in obj._meta.many_to_many:
            if m2m.remote_field.through._meta.auto_created:  # type: ignore[union-attr]
                data[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    keys = set(before) | set(after)
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


REDACTED = "(begränsat)"
# Fields of confidential content that say how it is protected, not what it says: always logged.
_PROTECTION_FIELDS = {"id", "collaboration", "level", "restricted_to", "author"}


def _is_restricted(*states: dict[str, Any] | None) -> bool:
    return any(state and state.get("level") == "begransad" for state in states)


def _redact(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {k: v if k in _PROTECTION_FIELDS else [REDACTED, REDACTED] for k, v in changes.items()}


# Rows whose label names a member's account by its e-mail address, which the member list shows the
# same readers: the address stays, so the log still says whom a membership concerns.
ACCOUNT_TARGETS = frozenset({"core.membership", "core.countyreader", "core.apitoken", "auth.user"})


def personal_data_kept(target_type: str) -> tuple[str, ...]:
    """The kinds of personal data the log keeps in the text of an entry about ``target_type``."""
    return ("epost",) if target_type in ACCOUNT_TARGETS else ()


def _safe_repr(obj: models.Model, restricted: bool) -> str:
    """Begränsad content is named by type and id only: the log is read by roles that may not read it.
    Other labels keep no identifier: the log outlives the text it copies (an answer edited later)."""
    if restricted:
        return f"{obj._meta.verbose_name} #{obj.pk}"
    return mask_personal_data(str(obj), keep=personal_data_kept(obj._meta.label_lower))[:200]


def _collaboration_id(obj: models.Model) -> int | None:
    if obj._meta.model_name == "collaboration":
        return obj.pk  # type: ignore[no-any-return]
    return getattr(obj, "collaboration_id", None)


def audit_change(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    collaboration_id: int | None = None,
) -> AuditEntry:
    """Record a create/update/delete with the fields that changed (before, after)."""
    entry = audit_entry(
        actor=actor, action=action, obj=obj, before=before, after=after, collaboration_id=collaboration_id
    )
    entry.save(force_insert=True)
    return entry


def audit_entry(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    collaboration_id: int | None = None,
) -> AuditEntry:
    """The entry ``audit_change`` records, unsaved: a bulk write (an import) saves its entries together."""
    restricted = _is_restricted(before, after) or getattr(obj, "level", None) == "begransad"
    # Compared unmasked (a changed identifier is a change), stored masked: the log keeps no identifier.
    changes = mask_all(diff(before or {}, after or {}), keep=personal_data_kept(obj._meta.label_lower))
    return AuditEntry(
        collaboration_id=collaboration_id or _collaboration_id(obj),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=obj._meta.label_lower,
        target_id=str(obj.pk),
        target_repr=_safe_repr(obj, restricted),
        changes=_redact(changes) if restricted else changes,
    )


# Reads collected during one request: (actor id, collaboration id) → {type label: {ids}}. A page or API
# answer that shows forty begränsad rows is one entry naming all forty, written when the response is
# ready; outside a request (jobs, commands) each call writes its own entry.
_reads: ContextVar[dict[tuple[int | None, int | None], dict[str, set[str]]] | None] = ContextVar(
    "samverkan_reads", default=None
)
_NAMES: dict[str, str] = {}


def audit_reads(*, actor: Any, objects: Iterable[models.Model]) -> None:
    """Log that ``actor`` was shown these begränsad objects: one entry per view (or per call outside one)."""
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    collected = _reads.get()
    batch: dict[tuple[int | None, int | None], dict[str, set[str]]] = {} if collected is None else collected
    for obj in objects:
        label = obj._meta.label_lower
        _NAMES.setdefault(label, str(obj._meta.verbose_name))
        batch.setdefault((actor_id, _collaboration_id(obj)), {}).setdefault(label, set()).add(str(obj.pk))
    if collected is None:
        _write_reads(batch)


def _write_reads(batch: dict[tuple[int | None, int | None], dict[str, set[str]]]) -> None:
    rows = []
    for (actor_id, collaboration_id), by_type in batch.items():
        items = {label: sorted(ids, key=_id_order) for label, ids in sorted(by_type.items())}
        count = sum(len(ids) for ids in items.values())
        only = next(iter(items)) if len(items) == 1 else ""
        named = "; ".join(
            f"{_NAMES.get(label, label)} {', '.join('#' + i for i in ids)}" for label, ids in items.items()
        )
        rows.append(
            AuditEntry(
                collaboration_id=collaboration_id,
                actor_id=actor_id,
                action=AuditEntry.Action.READ,
                target_type=only or "flera",
                target_id=items[only][0] if only and count == 1 else "",
                target_repr=named[:200],
                changes={"read": items},
            )
        )
    if len(rows) == 1:
        # One INSERT; bulk_create wraps even one row in BEGIN … COMMIT, two more round trips on every view.
        rows[0].save(force_insert=True)
    else:
        AuditEntry.objects.bulk_create(rows)


def _id_order(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (0, value)


@contextmanager
def reads_per_view() -> Iterator[None]:
    """Collect every begränsad read inside the block into one entry per reader and collaboration."""
    token = _reads.set({})
    try:
        yield
        batch = _reads.get()
        if batch:
            _write_reads(batch)
    finally:
        _reads.reset(token)


@contextmanager
def reads_captured() -> Iterator[list[tuple[str, str, int | None]]]:
    """Collect the begränsad reads inside the block as (model label, id, collaboration id) instead of
    logging them: a value built once and shown to many readers (a cached draft) keeps what it read, and
    each reader's use of it logs those rows for that reader (``core.visibility.rows_read``)."""
    token = _reads.set({})
    captured: list[tuple[str, str, int | None]] = []
    try:
        yield captured
        for (_actor, collaboration_id), by_type in (_reads.get() or {}).items():
            for label, ids in sorted(by_type.items()):
                captured += [(label, pk, collaboration_id) for pk in sorted(ids, key=_id_order)]
    finally:
        _reads.reset(token)


class ReadAuditMiddleware:
    """One audit entry per view for all the begränsad content it showed (see ``reads_per_view``)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        with reads_per_view():
            return self.get_response(request)


def audit_login_failed(*, login: str, ip: str) -> AuditEntry:
    """A failed login: the e-mail tried and the (truncated) address it came from, for the operator."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email__iexact=login).first() if login else None
    return AuditEntry.objects.create(
        actor=user,
        action=AuditEntry.Action.LOGIN_FAILED,
        target_type="account",
        target_id=str(user.pk) if user else "",
        target_repr=login[:200],
        changes={"ip": ip},
    )
