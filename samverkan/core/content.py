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
from samverkan.core.conflicts import check_version
from samverkan.core.models import DEFAULT_RESTRICTED_TO, AuditEntry, Collaboration, Level, encode_roles
from samverkan.core.personaldata import ensure_publishable

Action = AuditEntry.Action
# Not texts a writer edits: never shown as a conflict.
_UNCOMPARED = {"id", "collaboration", "version", "created_at", "updated_at", "author"}


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
) -> None:
    """Guard, validate, save and audit one row (``before``: its snapshot when it is an update).

    A versioned row (``core.conflicts.VersionedContent``) edited from version ``expected_version``
    raises ``EditConflict`` if someone saved it since; the caller's transaction then writes nothing.
    """
    guard_public_text(obj)
    obj.full_clean()
    if hasattr(obj, "version") and obj.pk is not None and before is not None:
        sent = {name: getattr(obj, name) for name in before if name not in _UNCOMPARED and hasattr(obj, name)}
        obj.version = check_version(obj, expected_version, sent) + 1
    obj.save()
    audit_change(
        actor=acting_user,
        action=Action.UPDATE if before is not None else Action.CREATE,
        obj=obj,
        before=before,
        after=snapshot(obj),
    )


def content_delete(obj: Model, *, acting_user: Any) -> None:
    audit_change(actor=acting_user, action=Action.DELETE, obj=obj, before=snapshot(obj))
    obj.delete()


def next_order(queryset: Any) -> int:
    """The next ``order`` value after the rows of ``queryset``."""
    return (queryset.aggregate(m=Max("order"))["m"] or 0) + 1


__all__ = [
    "apply_level",
    "check_level",
    "content_delete",
    "content_save",
    "guard_public_text",
    "next_order",
    "public_text_fields",
    "snapshot",
]
