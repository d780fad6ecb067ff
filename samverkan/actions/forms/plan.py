"""Forms for the action plan and deciding it. They validate input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.actions.models import ActionPlan
from samverkan.agreements.models import Agreement
from samverkan.core.conflicts import with_version
from samverkan.core.forms import ConfidentialityFields, DateInput, DayField
from samverkan.core.models import Level
from samverkan.core.personaldata import PersonalDataCheck


class PlanForm(PersonalDataCheck, ConfidentialityFields):
    personal_data_fields = ("title", "description")
    title = forms.CharField(
        label=_("Titel"), max_length=200, help_text=_("Till exempel ”Åtgärdsplan 2024–2026”.")
    )
    agreement = forms.ModelChoiceField(
        label=_("Överenskommelse"),
        queryset=Agreement.objects.none(),
        required=False,
        help_text=_("Den överenskommelse och period som planen genomför."),
    )
    start_date = DayField(label=_("Gäller från"), widget=DateInput())
    end_date = DayField(label=_("Gäller till"), widget=DateInput())
    description = forms.CharField(
        label=_("Inledning"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )

    field_order = [
        "title",
        "agreement",
        "start_date",
        "end_date",
        "description",
        "level",
        "restricted_to",
        "acknowledge_personal_data",
    ]

    def __init__(self, *args: Any, agreements: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements  # type: ignore[attr-defined]
        self.fields["level"].initial = Level.OPPEN

    @classmethod
    def for_plan(cls, plan: ActionPlan | None, *, data: Any = None, **kwargs: Any) -> PlanForm:
        if plan is None:
            return cls(data=data, **kwargs)
        initial = {
            "title": plan.title,
            "agreement": plan.agreement_id,
            "start_date": plan.start_date,
            "end_date": plan.end_date,
            "description": plan.description,
            "level": plan.level,
            "restricted_to": sorted(plan.restricted_roles),
        }
        return with_version(cls(data=data, initial=initial, **kwargs), plan)


class DecideForm(forms.Form):
    decided_on = DayField(label=_("Beslutsdatum"), widget=DateInput())
    decided_by = forms.CharField(
        label=_("Fastställd av"),
        max_length=300,
        help_text=_("Vem som beslutade, till exempel ”Kommunstyrelsen, § 45/2024” eller ”Styrgruppen”."),
    )
