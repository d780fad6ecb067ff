"""Optimistic locking for texts that several people edit: no save silently overwrites another's.

A row that can be edited by two people at once carries ``version`` (``VersionedContent``). Every form and
API answer sends the version it showed; the writing kit (``content_save(..., expected_version=N)``) locks
the row, compares, and either saves with version N+1 or raises ``EditConflict`` holding the text now
saved and the text that was sent. Pages then show both side by side (``core/_conflict.html``) with the
newer version in the form, and the API answers 409 with both — the second writer decides, nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _


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


class EditConflict(Exception):
    """Someone saved the row after the writer loaded it; nothing of the writer's change was saved."""

    def __init__(self, *, obj: models.Model, sent: dict[str, Any], saved_version: int) -> None:
        self.obj = obj
        self.saved_version = saved_version
        self.fields = [
            FieldConflict(
                name=name,
                label=str(getattr(obj._meta.get_field(name), "verbose_name", name)),
                saved=getattr(obj, name),
                sent=value,
            )
            for name, value in sent.items()
            if getattr(obj, name) != value
        ]
        super().__init__(f"{obj._meta.label} #{obj.pk}: version {saved_version} is newer than the one edited")

    @property
    def message(self) -> str:
        return str(
            _(
                "Någon annan har sparat en ändring medan du skrev. Inget av det du skrev har sparats ännu: "
                "jämför texterna nedan, gör om din ändring och spara igen."
            )
        )

    def as_api(self) -> dict[str, Any]:
        return {
            "detail": self.message,
            "current_version": self.saved_version,
            "conflicts": [
                {"field": f.name, "saved": _jsonable(f.saved), "sent": _jsonable(f.sent)} for f in self.fields
            ],
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def check_version(obj: models.Model, expected_version: int | None, sent: dict[str, Any]) -> int:
    """Lock the row; raise ``EditConflict`` unless it is still at ``expected_version``; return the
    version now saved (the save writes that + 1).

    Call inside the transaction that saves; ``sent`` are the field values the writer submitted (shown
    beside the saved ones). ``expected_version=None`` means the caller sent no version (an older API
    client): the save goes ahead, as before versions existed, and still moves the version on.
    """
    model = type(obj)
    saved = model._default_manager.select_for_update().filter(pk=obj.pk).first()
    if saved is None:
        return int(obj.version)  # type: ignore[attr-defined]
    if expected_version is not None and saved.version != expected_version:  # type: ignore[attr-defined]
        raise EditConflict(obj=saved, sent=sent, saved_version=saved.version)  # type: ignore[attr-defined]
    return int(saved.version)  # type: ignore[attr-defined]


def versioned_fields(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


class VersionField(forms.IntegerField):
    """The version a form was shown with, sent back with the edit."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)
