"""The one writing kit for levelled content: level, personal-data guard, validation, save, audit.

Every app's services write collaboration content through these, so a rule added here (the guard on
öppen text, the audit entry, later conflict detection) holds for every door — forms, API, imports.
A model names the free text that is published when the row is öppen in ``public_text_fields``; the
guard refuses personal data there whatever the caller forgot.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max, Model
from django.utils.translation import gettext as _

from samverkan.core import permissions
from samverkan.core.audit import audit_change, snapshot
from samverkan.core.conflicts import VersionedContent, check_version
from samverkan.core.models import DEFAULT_RESTRICTED_TO, AuditEntry, Collaboration, Level, encode_roles
from samverkan.core.personaldata import ensure_publishable

Action = AuditEntry.Action
# Not texts a writer edits: never shown as a conflict.
_UNCOMPARED = {
    "id",
    "collaboration",
    "version",
    "created_at",
    "updated_at",
    "author",
    "created_by",
    "updated_by",
    "order",
}


def check_level(user: Any, collaboration: Collaboration, level: str, restricted_to: Iterable[str]) -> str:
    """Validate a level and its roles for ``user``; returns the encoded roles to store."""
    if level not in Level.values:
        raise ValidationError({"level": _("Okänd sekretessnivå.")})
    try:
        encoded = encode_roles(restricted_to)
    except ValueError as exc:
        raise ValidationError({"restricted_to": str(exc)}) from exc
    if not encoded:
        if level == Level.BEGRANSAD:
            raise ValidationError({"restricted_to": _("Ange vilka roller som får läsa begränsat innehåll.")})
        # Kept for the day the row is made begränsad; it has no effect at other levels.
        return DEFAULT_RESTRICTED_TO
    if not permissions.can_set_level(user, collaboration, level, frozenset(encoded.split(","))):
        raise ValidationError(
            {
                "restricted_to": _(
                    "Din egen roll måste få läsa det du begränsar, annars kan du inte se det själv."
                )
            }
        )
    return encoded


def apply_level(
    row: Any,
    *,
    user: Any,
    collaboration: Collaboration,
    level: str | None,
    restricted_to: Iterable[str] | None,
    default: str = Level.OPPEN,
) -> None:
    """Set the row's level; without one, an existing row keeps its own (never silently made öppen)."""
    if level is None and row.pk is not None:
        return
    level = level or default
    row.level = level
    row.restricted_to = check_level(user, collaboration, level, restricted_to or [])


def public_text_fields(model: type[Model] | Model) -> tuple[str, ...]:
    """The free-text fields published when a row of ``model`` is öppen."""
    return tuple(getattr(model, "public_text_fields", ()))


def guard_public_text(obj: Model) -> None:
    """Refuse personal data in the published text of an öppen row (422 naming the field)."""
    if getattr(obj, "level", None) == Level.OPPEN:
        ensure_publishable(**{name: getattr(obj, name) for name in public_text_fields(obj)})


def content_save(
    obj: Model,
    *,
    acting_user: Any,
    before: dict[str, Any] | None = None,
    expected_version: int | None = None,
    conflict_key: str = "",
) -> None:
    """Guard, validate, save and audit one row (``before``: its snapshot when it is an update).

    A versioned row (``core.conflicts.VersionedContent``) edited from version ``expected_version``
    raises ``EditConflict`` (named ``conflict_key`` when one request edits several rows) if someone
    saved it since; nothing of the row is written.
    """
    guard_public_text(obj)
    obj.full_clean()
    claim_version(obj, before=before, expected_version=expected_version, key=conflict_key)
    obj.save()
    audit_change(
        actor=acting_user,
        action=Action.UPDATE if before is not None else Action.CREATE,
        obj=obj,
        before=before,
        after=snapshot(obj),
    )


def claim_version(
    obj: Model, *, before: dict[str, Any] | None, expected_version: int | None, key: str = ""
) -> None:
    """Before saving an update of a versioned row: lock it, refuse a stale edit (``EditConflict`` with
    the fields that differ) and move its version on. For services that save a row themselves (with its
    many-to-many links, say) rather than through ``content_save``; a new row or an unversioned one passes."""
    if not isinstance(obj, VersionedContent) or obj.pk is None or before is None:
        return
    compared = [f.name for f in obj._meta.concrete_fields if f.name in before and f.name not in _UNCOMPARED]
    sent = {name: getattr(obj, name) for name in compared}
    obj.version = check_version(obj, expected_version, sent, key=key) + 1


def content_delete(obj: Model, *, acting_user: Any) -> None:
    audit_change(actor=acting_user, action=Action.DELETE, obj=obj, before=snapshot(obj))
    obj.delete()


def next_order(queryset: Any) -> int:
    """The next ``order`` value after the rows of ``queryset``."""
    return (queryset.aggregate(m=Max("order"))["m"] or 0) + 1


__all__ = [
    "apply_level",
    "check_level",
    "claim_version",
    "content_delete",
    "content_save",
    "guard_public_text",
    "next_order",
    "public_text_fields",
    "snapshot",
]
