"""Shared helpers of the agreement services: permission, level, public-text guard, audited save."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Model
from django.utils.translation import gettext as _

from samverkan.agreements.models import (
    Agreement,
    CitizenPromise,
    FactSource,
    FocusArea,
    Group,
    GroupMember,
    PromiseActivity,
)
from samverkan.core.audit import audit_change, snapshot
from samverkan.core.content import check_level
from samverkan.core.models import AuditEntry, Collaboration, Level
from samverkan.core.permissions import can_edit_agreements
from samverkan.core.personaldata import ensure_publishable

Action = AuditEntry.Action

EARLIEST_SIGNATURE = dt.date(1990, 1, 1)
ACTIVE = (Agreement.Status.UTKAST, Agreement.Status.GALLANDE)


def _require(user: Any, collaboration: Collaboration) -> None:
    if not can_edit_agreements(user, collaboration):
        raise PermissionDenied


def _level(
    user: Any, collaboration: Collaboration, level: str | None, restricted_to: Iterable[str] | None
) -> dict[str, str]:
    level = level or Level.OPPEN
    return {"level": level, "restricted_to": check_level(user, collaboration, level, restricted_to or [])}


def _require_editable(agreement: Agreement) -> None:
    """A superseded agreement is history: it is read, not rewritten (its successor is changed instead)."""
    if agreement.status == Agreement.Status.ERSATT:
        raise ValidationError(_("En ersatt överenskommelse ändras inte; ändra dess efterföljare."))


def _apply_level(
    row: Any, user: Any, collaboration: Collaboration, level: str | None, restricted_to: Iterable[str] | None
) -> None:
    """Set the row's level; without one, an existing row keeps its own (never silently made öppen)."""
    if level is None and row.pk is not None:
        return
    for name, value in _level(user, collaboration, level, restricted_to).items():
        setattr(row, name, value)


# Free text that becomes public when the row is öppen: personal data is refused there (domain rule).
PUBLIC_TEXT_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Agreement: (
        "title",
        "purpose",
        "effects_sought",
        "communication_plan",
        "followup_rhythm",
        "followup_reporting",
    ),
    FocusArea: ("title", "description"),
    FactSource: ("description",),
    Group: ("name", "purpose", "rhythm_note", "place"),
    GroupMember: ("representing",),
    CitizenPromise: ("title", "text"),
    PromiseActivity: ("description",),
}


def _guard_publishable(obj: Model) -> None:
    if getattr(obj, "level", None) == Level.OPPEN:
        fields = PUBLIC_TEXT_FIELDS.get(type(obj), ())
        ensure_publishable(**{name: getattr(obj, name) for name in fields})


def _save(obj: Model, *, acting_user: Any, before: dict[str, Any] | None = None) -> None:
    _guard_publishable(obj)
    obj.full_clean()
    obj.save()
    audit_change(
        actor=acting_user,
        action=Action.UPDATE if before is not None else Action.CREATE,
        obj=obj,
        before=before,
        after=snapshot(obj),
    )


def _delete(obj: Model, *, acting_user: Any) -> None:
    audit_change(actor=acting_user, action=Action.DELETE, obj=obj, before=snapshot(obj))
    obj.delete()


def _next_order(queryset: Any) -> int:
    return (queryset.aggregate(m=Max("order"))["m"] or 0) + 1
