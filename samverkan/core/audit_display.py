"""The audit log as a samordnare reads it: labels, values and local times built from the stored entries.

The log stores field names and JSON values (ids, codes, UTC timestamps). This module turns a page of
entries into rows the template only prints: it never calls a method on stored JSON (a stored key named
``items`` or ``keys`` would shadow it). Related rows are named only when the reader may read them by
the one visibility rule, and never when begränsad: the log names begränsad rows by type and id only.
Every text shown is masked (``core.personaldata.mask_personal_data``): entries written before the log
masked what it stores may still hold an identifier, and no reader of the log needs one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core.audit import REDACTED, personal_data_kept
from samverkan.core.models import AuditEntry, Collaboration, Level, Role, decode_roles
from samverkan.core.personaldata import mask_personal_data
from samverkan.core.visibility import membership_roles

EMPTY = "–"

# Keys that are not model fields, or fields whose verbose name Django made from the field name (the
# models' own names stay as they are: changing them would mean migrations in every app).
EXTRA_LABELS = {
    "items": gettext_lazy("Antal delar"),
    "rows": gettext_lazy("Rader"),
    "older_than": gettext_lazy("Äldre än"),
    "years": gettext_lazy("År"),
    "action": gettext_lazy("Åtgärd"),
    "ip": gettext_lazy("IP-adress"),
    "created_at": gettext_lazy("Skapad"),
    "updated_at": gettext_lazy("Ändrad"),
    "created_by": gettext_lazy("Skapad av"),
    "updated_by": gettext_lazy("Ändrad av"),
    "changed_by": gettext_lazy("Ändrad av"),
    "submitted_by": gettext_lazy("Inskickad av"),
    "reported_by": gettext_lazy("Rapporterad av"),
    "agreed_by": gettext_lazy("Fastställd av"),
    "status": gettext_lazy("Status"),
    "version": gettext_lazy("Version"),
    "period": gettext_lazy("Period"),
    "text": gettext_lazy("Text"),
    "kind": gettext_lazy("Typ"),
    "namn": gettext_lazy("Namn"),
    "officiellt_namn": gettext_lazy("Officiellt namn"),
    "reminder_sent_at": gettext_lazy("Påminnelse skickad"),
    "deadline_reminder_sent_at": gettext_lazy("Påminnelse om sista dag skickad"),
}

# Fields holding a set of roles in their text form ("polis,samordnare").
ROLE_SET_FIELDS = {"restricted_to", "mfa_required_roles"}

# Reference data every signed-in user may read (places, parties, statistics' vocabulary). Anything
# else without a collaboration or a level (people, tokens, imports, template parts) stays an id.
REFERENCE_MODELS = {
    "core.polisregion",
    "core.lan",
    "core.kommun",
    "core.policearea",
    "core.organisation",
    "indicators.indicator",
    "indicators.deso",
    "indicators.crimecode",
}


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str
    after: str
    # A value recorded on its own (a purge's row count, a failed login's address), not a before/after pair.
    single: bool = False


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    created_at: dt.datetime
    actor: str
    action: str
    target: str
    target_kind: str
    target_id: str
    changes: list[ChangeRow]


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None  # a reverse relation is not a field here


def _label(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    if field is None:
        return str(EXTRA_LABELS.get(name, name))
    verbose = str(field.verbose_name)
    if verbose == name.replace("_", " "):  # Django's default: no name was given
        if name in EXTRA_LABELS:
            verbose = str(EXTRA_LABELS[name])
        elif field.related_model is not None:
            verbose = str(field.related_model._meta.verbose_name)
    return verbose[:1].upper() + verbose[1:]


def _related(field: models.Field | None) -> type[models.Model] | None:
    if field is None or not (field.many_to_one or field.one_to_one or field.many_to_many):
        return None
    return field.related_model  # type: ignore[return-value]


def _ids(value: Any) -> list[Any]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int | str) and v != ""]


def _readable_names(
    model: type[models.Model], ids: set[Any], *, user: Any, collaboration: Collaboration
) -> dict[str, str]:
    """The names of the rows of ``model`` among ``ids`` that ``user`` may read, by str(pk)."""
    queryset: Any = model._default_manager.filter(pk__in=ids)
    label = model._meta.label_lower
    if hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(user).exclude(level=Level.BEGRANSAD)
    elif hasattr(queryset, "of_member"):
        queryset = queryset.of_member(user)
    elif model is Collaboration:
        queryset = queryset.filter(pk__in=list(membership_roles(user)))
    elif model is get_user_model():
        # Members of this collaboration, named by e-mail as in the log's "who" column.
        members = queryset.filter(memberships__collaboration=collaboration).distinct()
        return {str(u.pk): u.email or u.get_username() for u in members}
    elif label in REFERENCE_MODELS:
        pass
    elif any(f.name == "collaboration" for f in model._meta.concrete_fields):
        queryset = queryset.filter(collaboration=collaboration)
    elif (path := _tenant_path(model)) is not None:
        # A part of a tenant row (a template's sections and questions): readable with its owner;
        # an owner without a collaboration is shipped reference data (the default template).
        owners = list(membership_roles(user))
        queryset = queryset.filter(
            Q(**{f"{path}__collaboration_id__in": owners}) | Q(**{f"{path}__collaboration__isnull": True})
        )
    else:
        return {}
    try:
        return {str(obj.pk): str(obj) for obj in queryset}
    except (ValueError, TypeError):  # an id of the wrong type (a hand-edited entry): leave it an id
        return {}


def _tenant_path(model: type[models.Model], depth: int = 3) -> str | None:
    """The lookup path from ``model`` to an unlevelled tenant row it belongs to, if any."""
    if depth == 0:
        return None
    for field in model._meta.concrete_fields:
        related = field.related_model if field.many_to_one else None
        if related is None or related is model or isinstance(related, str):
            continue
        owner = related._default_manager.all()
        if hasattr(owner, "visible_to"):
            continue  # a part of levelled content follows that content's level: not named here
        if hasattr(owner, "of_member"):
            return field.name
        deeper = _tenant_path(related, depth - 1)
        if deeper is not None:
            return f"{field.name}__{deeper}"
    return None


def _datetime(value: str) -> str:
    parsed = parse_datetime(value)
    if parsed is None:
        return value
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return parsed.strftime("%Y-%m-%d %H:%M")


class _Formatter:
    """Formats one page's values; related rows are looked up once per model for the whole page."""

    def __init__(self, entries: list[AuditEntry], *, user: Any, collaboration: Collaboration) -> None:
        wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        for entry in entries:
            model = _model(entry.target_type)
            for name, value in _pairs(entry):
                related = _related(_field(model, name))
                if related is not None:
                    for side in value:
                        if side != REDACTED:
                            wanted[related].update(_ids(side))
        self.names: dict[type[models.Model], dict[str, str]] = {
            related: _readable_names(related, ids, user=user, collaboration=collaboration)
            for related, ids in wanted.items()
        }

    def value(self, model: type[models.Model] | None, name: str, value: Any) -> str:
        """The value as the log shows it, with personal data masked (a member's address named as a
        member, by the live account, stays: the "who" column shows the same)."""
        shown = self._value(model, name, value)
        related = _related(_field(model, name))
        if related is get_user_model():
            return mask_personal_data(shown, keep=("epost",))
        return mask_personal_data(shown, keep=personal_data_kept(model._meta.label_lower if model else ""))

    def _value(self, model: type[models.Model] | None, name: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return EMPTY
        if value == REDACTED:
            return REDACTED
        field = _field(model, name)
        related = _related(field)
        if related is not None:
            names = self.names.get(related, {})
            return ", ".join(names.get(str(pk), f"#{pk}") for pk in _ids(value)) or EMPTY
        if name in ROLE_SET_FIELDS and isinstance(value, str):
            roles = dict(Role.choices)
            return ", ".join(str(roles.get(code, code)) for code in sorted(decode_roles(value))) or EMPTY
        if field is not None and field.choices:
            choices = {str(k): str(v) for k, v in field.flatchoices}
            values = value if isinstance(value, list) else [value]
            return ", ".join(choices.get(str(v), str(v)) for v in values)
        if isinstance(value, bool):
            return _("Ja") if value else _("Nej")
        if isinstance(field, models.DateTimeField) and isinstance(value, str):
            return _datetime(value)
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return str(value)


def _pairs(entry: AuditEntry) -> list[tuple[str, list[Any]]]:
    """The stored changes as (key, [before, after]); a value stored on its own is [None, value]."""
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    pairs = []
    for name, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            pairs.append((str(name), value))
        else:
            pairs.append((str(name), [None, value]))
    return pairs


def audit_rows(entries: Iterable[AuditEntry], *, user: Any, collaboration: Collaboration) -> list[AuditRow]:
    """Display rows for a page of audit entries, as ``user`` (a reader of ``collaboration``'s log) may see them."""
    entries = list(entries)
    formatter = _Formatter(entries, user=user, collaboration=collaboration)
    rows = []
    for entry in entries:
        model = _model(entry.target_type)
        stored = entry.changes if isinstance(entry.changes, dict) else {}
        changes = []
        # A read entry names what was shown in its target text (one entry per view, by type and id).
        pairs = [] if entry.action == AuditEntry.Action.READ else _pairs(entry)
        for name, (before, after) in pairs:
            single = not (isinstance(stored.get(name), list) and len(stored[name]) == 2)
            changes.append(
                ChangeRow(
                    label=_label(model, name),
                    before=formatter.value(model, name, before),
                    after=formatter.value(model, name, after),
                    single=single,
                )
            )
        if model is not None:
            kind = str(model._meta.verbose_name)
        elif entry.action == AuditEntry.Action.READ:
            kind = str(_("begränsade uppgifter"))
        else:
            kind = entry.target_type
        rows.append(
            AuditRow(
                entry=entry,
                created_at=entry.created_at,
                actor=entry.actor.email if entry.actor else EMPTY,
                action=entry.action_label,
                target=mask_personal_data(entry.target_repr, keep=personal_data_kept(entry.target_type)),
                target_kind=kind[:1].upper() + kind[1:],
                target_id=entry.target_id,
                changes=changes,
            )
        )
    return rows
