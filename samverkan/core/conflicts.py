"""Optimistic locking for texts that several people edit: no save silently overwrites another's.

A row that can be edited by two people at once carries ``version`` (``VersionedContent``). Every form and
API answer sends the version it showed; the writing kit (``content_save(..., expected_version=N)``) locks
the row, compares, and either saves with version N+1 or raises ``EditConflict`` holding the text now
saved and the text that was sent. Pages then show both side by side (``core/_conflict.html``) with the
newer version in the form, and the API answers 409 with both — the second writer decides, nothing is lost.

Making another text conflict-safe (minutes, action plans, …) takes five steps, nothing per view:

1. the model mixes in ``VersionedContent`` (a migration adds ``version``);
2. its update service takes ``version: int | None = None`` and passes it to ``content_save(...,
   expected_version=version)`` (or calls ``content.claim_version`` just before saving the row itself);
3. its edit form gets the hidden field with ``with_version(form, obj)`` (0 in a form for "no row yet");
4. the edit view catches ``EditConflict`` and renders the form page with ``conflict_context(form, c)``
   at status 409 (``core/_fields.html`` shows both texts);
5. its API Patch/In schema takes ``version: int | None = version_in()`` and its Out returns
   ``version: int = version_out()`` (``core.apikit``); ``api.api`` turns ``EditConflict`` into the 409.

A save without a version (an older API client) goes ahead as before and still moves the version on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

F = TypeVar("F", bound=forms.Form)


class VersionedContent(models.Model):
    """Adds the edit counter that optimistic locking compares."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class FieldConflict:
    name: str
    label: str
    saved: Any
    sent: Any
    saved_display: str = ""
    sent_display: str = ""


def _display(field: Any, value: Any) -> str:
    """A value as the writer reads it: a choice's label, a list of places as names, a row's name."""
    if value in (None, "", []):
        return "–"
    choices = dict(getattr(field, "flatchoices", None) or ())
    if isinstance(value, str | int) and value in choices:
        return str(choices[value])
    if isinstance(value, list | tuple):
        return ", ".join(str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value)
    return str(value)


class EditConflict(Exception):
    """Someone saved the row after the writer loaded it; nothing of the writer's change was saved.

    ``key`` names the row when one request edits several (``q12`` for one answer of a report): the API
    names its fields ``q12.text`` and the page puts the conflict beside that question.
    """

    def __init__(self, *, obj: models.Model, sent: dict[str, Any], saved_version: int, key: str = "") -> None:
        self.obj = obj
        self.saved_version = saved_version
        self.key = key
        self.fields = []
        for name, value in sent.items():
            saved = getattr(obj, name)
            if saved == value:
                continue
            field = obj._meta.get_field(name)
            self.fields.append(
                FieldConflict(
                    name=name,
                    label=str(getattr(field, "verbose_name", name)),
                    saved=saved,
                    sent=value,
                    saved_display=_display(field, saved),
                    sent_display=_display(field, value),
                )
            )
        super().__init__(f"{obj._meta.label} #{obj.pk}: version {saved_version} is newer than the one edited")

    @property
    def parts(self) -> list[EditConflict]:
        """The stale rows, one conflict each (several for ``EditConflicts``)."""
        return [self]

    @property
    def anchor(self) -> str:
        """A page id for this conflict, unique among the conflicts shown at once."""
        return f"konflikt-{self.key or self.obj._meta.model_name}-{self.obj.pk}"

    @property
    def message(self) -> str:
        return str(
            _(
                "Någon annan har sparat en ändring medan du skrev. Inget av det du skrev har sparats ännu: "
                "jämför texterna nedan, gör om din ändring och spara igen."
            )
        )

    def as_api(self) -> dict[str, Any]:
        """The 409 body: both texts per field; a keyed row's fields are named ``key.field`` and carry
        that row's own current version."""
        conflicts = []
        for part in self.parts:
            for f in part.fields:
                entry = {
                    "field": f"{part.key}.{f.name}" if part.key else f.name,
                    "saved": _jsonable(f.saved),
                    "sent": _jsonable(f.sent),
                }
                if part.key:
                    entry["current_version"] = part.saved_version
                conflicts.append(entry)
        return {"detail": self.message, "current_version": self.saved_version, "conflicts": conflicts}


class EditConflicts(EditConflict):
    """Several rows of one request were stale (answers of one report sent together); nothing was saved."""

    def __init__(self, conflicts: Iterable[EditConflict]) -> None:
        self._parts = list(conflicts)
        first = self._parts[0]
        self.obj, self.saved_version, self.key = first.obj, first.saved_version, first.key
        self.fields = [f for part in self._parts for f in part.fields]
        Exception.__init__(self, "; ".join(str(part) for part in self._parts))

    @property
    def parts(self) -> list[EditConflict]:
        return list(self._parts)


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | dict):
        return value
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def check_version(
    obj: models.Model, expected_version: int | None, sent: dict[str, Any], *, key: str = ""
) -> int:
    """Lock the row; raise ``EditConflict`` unless it is still at ``expected_version``; return the
    version now saved (the save writes that + 1).

    Call inside the transaction that saves; ``sent`` are the field values the writer submitted (shown
    beside the saved ones). ``expected_version=None`` means the caller sent no version (an older API
    client): the save goes ahead, as before versions existed, and still moves the version on. A stale
    save that sends exactly what is saved loses nothing and goes ahead too.
    """
    model = type(obj)
    saved = model._default_manager.select_for_update().filter(pk=obj.pk).first()
    if saved is None:
        return int(obj.version)  # type: ignore[attr-defined]
    if expected_version is not None and saved.version != expected_version:  # type: ignore[attr-defined]
        conflict = EditConflict(obj=saved, sent=sent, saved_version=saved.version, key=key)  # type: ignore[attr-defined]
        if conflict.fields:
            raise conflict
    return int(saved.version)  # type: ignore[attr-defined]


def versioned_fields(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


class VersionField(forms.IntegerField):
    """The version a form was shown with, sent back with the edit; 0 when the form showed no row yet
    (someone else creating it meanwhile is then a conflict too). Empty: saved as before versions."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


def with_version(form: F, obj: Any) -> F:
    """Give the form that edits ``obj`` its hidden version (a form that creates rows has none, so its
    cleaned data stays what the create service takes)."""
    form.fields["version"] = VersionField(initial=obj.version)
    return form


def conflict_context(
    form: forms.Form,
    conflict: EditConflict,
    *,
    version_field: str = "version",
    error_field: str | None = None,
) -> dict[str, Any]:
    """Show ``conflict`` on ``form``: the saved version goes into the form's hidden field (so the next
    save, made knowingly, goes through), the reason is added as an error (on ``error_field``, or the
    form), and the context for ``core/_conflict.html`` (both texts side by side) is returned. The form
    keeps the writer's own text, to merge and save again. Every page with a versioned form uses this."""
    data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    data[form.add_prefix(version_field)] = str(conflict.saved_version)
    form.data = data
    form.add_error(error_field, conflict.message)
    return {"conflict": conflict}
