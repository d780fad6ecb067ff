"""Meeting mode's forms: one text of a point, attendance, a decision, a work order, the picture."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionField
from samverkan.core.models import Level, Organisation
from samverkan.meetings.models import Attendance

FIELD_LABELS = {
    "notes": _("Anteckningar"),
    "proposal": _("Förslag till beslut"),
    "reservations": _("Reservationer och protokollsanteckningar"),
}
FIELD_LIMITS = {"notes": 20_000, "proposal": 5_000, "reservations": 5_000}


class ItemFieldForm(forms.Form):
    """One meeting text of a point, saved on its own (htmx as you go, or the plain button)."""

    value = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = VersionField()

    def __init__(self, *args: Any, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = name
        self.fields["value"] = forms.CharField(
            label=FIELD_LABELS[name],
            required=False,
            max_length=FIELD_LIMITS[name],
            widget=forms.Textarea(attrs={"rows": 4}),
        )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Beslut"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}))
    number = forms.IntegerField(
        label=_("Nummer"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("Lämna tomt för nästa lediga nummer i gruppens år."),
    )
    level = forms.ChoiceField(
        label=_("Sekretessnivå"),
        choices=[("", _("Samma som punkten")), *Level.choices],
        required=False,
    )


class WorkOrderForm(forms.Form):
    title = forms.CharField(label=_("Uppdrag"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("Ange vilken organisation uppdraget ges till.")},
    )
    description = forms.CharField(
        label=_("Beskrivning"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


def attendance_entries(data: Any, rows: list[Attendance]) -> list[dict[str, Any]]:
    """The attendance form's rows (``status-<id>``, ``substitute-<id>``) and a new one (``new-name``)."""
    entries: list[dict[str, Any]] = []
    for row in rows:
        entries.append(
            {
                "id": row.pk,
                "status": data.get(f"status-{row.pk}", row.status),
                "substitute_for": data.get(f"substitute-{row.pk}", row.substitute_for),
            }
        )
    name = (data.get("new-name") or "").strip()
    if name:
        entries.append(
            {
                "name": name,
                "status": data.get("new-status", Attendance.Status.NARVARANDE),
                "substitute_for": data.get("new-substitute", ""),
                "role": (data.get("new-role") or "")[:100],
            }
        )
    return entries
