"""The work order form, and the one-button form that marks a work order done."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.actions.models import Action, WorkOrder
from samverkan.core.conflicts import VersionField, with_version
from samverkan.core.forms import ConfidentialityFields, DateInput, DayField
from samverkan.core.models import Level, Organisation
from samverkan.core.personaldata import PersonalDataCheck


class ActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Action) -> str:
        return f"{obj.number}. {obj.title}"


class WorkOrderForm(PersonalDataCheck, ConfidentialityFields):
    personal_data_fields = ("title", "description")
    title = forms.CharField(label=_("Uppdrag"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("Ange vilken organisation uppdraget ges till.")},
    )
    description = forms.CharField(
        label=_("Beskrivning"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = DayField(label=_("Klart senast"), required=False, widget=DateInput())
    due_next_meeting = forms.BooleanField(
        label=_("Klart till nästa möte"), required=False, help_text=_("I stället för ett datum.")
    )
    action = ActionChoiceField(label=_("Hör till åtgärd"), queryset=Action.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=WorkOrder.Status.choices, initial=WorkOrder.Status.OPPEN
    )

    field_order = [
        "title",
        "organisation",
        "description",
        "due_on",
        "due_next_meeting",
        "action",
        "status",
        "level",
        "restricted_to",
        "acknowledge_personal_data",
    ]

    def __init__(self, *args: Any, organisations: Any, actions: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["action"].queryset = actions  # type: ignore[attr-defined]

    @classmethod
    def for_work_order(cls, row: WorkOrder | None, *, data: Any = None, **kwargs: Any) -> WorkOrderForm:
        if row is None:
            form = cls(data=data, **kwargs)
            form.fields["level"].initial = Level.INTERN
            return form
        initial = {
            "title": row.title,
            "organisation": row.organisation_id,
            "description": row.description,
            "due_on": row.due_on,
            "due_next_meeting": row.due_next_meeting,
            "action": row.action_id if getattr(row, "action_visible", True) else None,
            "status": row.status,
            "level": row.level,
            "restricted_to": sorted(row.restricted_roles),
        }
        return with_version(cls(data=data, initial=initial, **kwargs), row)


class CompleteForm(forms.Form):
    """Marks a work order done (or open again) from its list or page; carries the version shown."""

    done = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)
    version = VersionField(required=False)
