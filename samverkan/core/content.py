"""The one writing kit for levelled content: level, personal-data guard, validation, save, audit.

Every app's services write collaboration content through these, so a rule added here (the guard on
öppen text, the audit entry, later conflict detection) holds for every door — forms, API, imports.
A model names the free text that is published when the row is öppen in ``public_text_fields`` (names
included: a signatory's name is published, a personnummer beside it must not be) and every other text
field in ``private_text_fields`` with the reason; the guard refuses personnummer and samordningsnummer
in the public ones at every level, and any personal data once the row is öppen, whatever the caller
forgot, and a test proves each text field of each levelled model is one or the other.
Models without a level whose text is always public (organisations, collaborations, places) declare
``public_text_fields`` too; the admin's forms run the same guard (core/admin.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import CharField, JSONField, Max, Model, SlugField, TextField
from django.utils.translation import gettext as _

from samverkan.core import permissions
from samverkan.core.audit import audit_change, snapshot
from samverkan.core.conflicts import VersionedContent, check_version
from samverkan.core.models import (
    DEFAULT_RESTRICTED_TO,
    AuditEntry,
    Collaboration,
    ConfidentialContent,
    Level,
    encode_roles,
)
from samverkan.core.personaldata import ensure_no_identity_numbers, ensure_publishable

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
    """The free-text fields published when a row of ``model`` is public (see ``is_published``)."""
    return tuple(getattr(model, "public_text_fields", ()))


def private_text_fields(model: type[Model] | Model) -> dict[str, str]:
    """Text fields a model deliberately leaves unguarded, each with the reason (merged over its bases)."""
    klass = model if isinstance(model, type) else type(model)
    merged: dict[str, str] = {}
    for base in reversed(klass.__mro__):
        merged.update(base.__dict__.get("private_text_fields", {}))
    return merged


def text_fields(model: type[Model] | Model) -> tuple[str, ...]:
    """Every field of ``model`` that holds text someone typed: Char/Text fields without choices (a slug
    is a code) and JSON fields (their strings). Each must be public or private (tests enumerate them)."""
    names = []
    for field in model._meta.concrete_fields:
        if isinstance(field, JSONField) or (
            isinstance(field, CharField | TextField)
            and not field.choices
            and not isinstance(field, SlugField)
        ):
            names.append(field.name)
    return tuple(names)


def is_published(obj: Any) -> bool:
    """Whether ``obj``'s public text is published now: an öppen row; a row published with another
    (``published_with``, as a focus area's change with its area) when that one is; a row of a model
    without a level (organisation, collaboration, place) always."""
    through = getattr(obj, "published_with", None)
    if through:
        return is_published(getattr(obj, through))
    if isinstance(obj, ConfidentialContent):
        return obj.level == Level.OPPEN
    return True


def _as_text(value: Any) -> str:
    """A field's text for the detector; a JSON value's strings one per line (a line is never crossed)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(_as_text(v) for v in value.values())
    if isinstance(value, list | tuple):
        return "\n".join(_as_text(v) for v in value)
    return ""


def guard_public_text(obj: Model) -> None:
    """Refuse personal data in the published text of a row (422 naming the field).

    A personnummer or samordningsnummer is refused at every level: a lägesbild or a notice is about
    patterns, not persons, and no acknowledgement lifts it. Phone numbers and e-mail are refused when
    the row is public; in rows that are not (intern, begränsad) they are the forms' business: they warn
    and ask the writer to confirm, and services accept what was confirmed.
    """
    texts = {name: _as_text(getattr(obj, name)) for name in public_text_fields(obj)}
    ensure_no_identity_numbers(**texts)
    if is_published(obj):
        ensure_publishable(**texts)


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
    "is_published",
    "next_order",
    "private_text_fields",
    "public_text_fields",
    "snapshot",
    "text_fields",
]
