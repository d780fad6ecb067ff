"""The action form: every field of an action, with the causes it addresses offered from the analysis."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.actions.models import Action
from samverkan.actions.services.actions import MAX_COST, MAX_HOURS
from samverkan.agreements.models import FocusArea
from samverkan.analysis.models import Cause, Problem
from samverkan.core.conflicts import with_version
from samverkan.core.forms import ConfidentialityFields, DateInput, DayField
from samverkan.core.models import Level, Organisation, Person
from samverkan.core.personaldata import PersonalDataCheck


class CauseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Cause) -> str:
        return f"{obj.problem.title} – {obj.text}"


class ActionForm(PersonalDataCheck, ConfidentialityFields):
    personal_data_fields = ("title", "description", "no_analysis_reason", "expected_effect")
    title = forms.CharField(label=_("Åtgärd"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    focus_area = forms.ModelChoiceField(
        label=_("Fokusområde"), queryset=FocusArea.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Typ"),
        choices=Action.Kind.choices,
        widget=forms.RadioSelect,
        initial=Action.Kind.SITUATIONELL,
        help_text=_(
            "Situationell: gör brottet svårare eller mindre lönsamt. Social: påverkar viljan att begå brott."
        ),
    )
    horizon = forms.ChoiceField(
        label=_("Tidsperspektiv"),
        choices=Action.Horizon.choices,
        widget=forms.RadioSelect,
        initial=Action.Horizon.KORT,
    )
    causes = CauseChoiceField(
        label=_("Orsaker som åtgärden riktar sig mot"),
        queryset=Cause.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    problems = forms.ModelMultipleChoiceField(
        label=_("Problem"),
        queryset=Problem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Orsakernas problem kopplas av sig själva; välj här ett problem som saknar orsaksanalys."
        ),
    )
    no_analysis_reason = forms.CharField(
        label=_("Skäl till att orsaksanalys saknas"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs när ingen orsak är vald."),
    )
    responsible = forms.ModelChoiceField(
        label=_("Ansvarig organisation"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("Ange vilken organisation som ansvarar för åtgärden.")},
    )
    contact = forms.ModelChoiceField(label=_("Kontaktperson"), queryset=Person.objects.none(), required=False)
    partners = forms.ModelMultipleChoiceField(
        label=_("Övriga organisationer"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = DayField(label=_("Start"), required=False, widget=DateInput())
    end_date = DayField(label=_("Slut"), required=False, widget=DateInput())
    expected_effect = forms.CharField(
        label=_("Förväntad effekt"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    planned_hours = forms.DecimalField(
        label=_("Planerade timmar"),
        required=False,
        min_value=Decimal(0),
        max_value=MAX_HOURS,
        max_digits=9,
        decimal_places=1,
    )
    planned_cost = forms.DecimalField(
        label=_("Planerad kostnad (kr)"),
        required=False,
        min_value=Decimal(0),
        max_value=MAX_COST,
        max_digits=12,
        decimal_places=0,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Action.Status.choices, initial=Action.Status.PLANERAD
    )

    field_order = [
        "title",
        "description",
        "focus_area",
        "kind",
        "horizon",
        "causes",
        "problems",
        "no_analysis_reason",
        "responsible",
        "contact",
        "partners",
        "start_date",
        "end_date",
        "expected_effect",
        "planned_hours",
        "planned_cost",
        "status",
        "level",
        "restricted_to",
        "acknowledge_personal_data",
    ]

    def __init__(
        self,
        *args: Any,
        causes: Any,
        problems: Any,
        organisations: Any,
        people: Any,
        focus_areas: Any,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["causes"].queryset = causes  # type: ignore[attr-defined]
        self.fields["problems"].queryset = problems  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["partners"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["contact"].queryset = people  # type: ignore[attr-defined]
        self.fields["focus_area"].queryset = focus_areas  # type: ignore[attr-defined]

    @classmethod
    def for_action(cls, action: Action | None, *, data: Any = None, **kwargs: Any) -> ActionForm:
        if action is None:
            form = cls(data=data, **kwargs)
            form.fields["level"].initial = Level.INTERN
            return form
        initial = {
            "title": action.title,
            "description": action.description,
            "focus_area": action.focus_area_id,
            "kind": action.kind,
            "horizon": action.horizon,
            # Only the causes and problems the editor may read are offered, and kept, by the form.
            "causes": [c.pk for c in getattr(action, "shown_causes", [])],
            "problems": sorted(
                {p.pk for p in getattr(action, "shown_problems", [])}
                - {c.problem_id for c in getattr(action, "shown_causes", [])}
            ),
            "no_analysis_reason": action.no_analysis_reason,
            "responsible": action.responsible_id,
            "contact": action.contact_id,
            "partners": [o.pk for o in action.partners.all()],
            "start_date": action.start_date,
            "end_date": action.end_date,
            "expected_effect": action.expected_effect,
            "planned_hours": action.planned_hours,
            "planned_cost": action.planned_cost,
            "status": action.status,
            "level": action.level,
            "restricted_to": sorted(action.restricted_roles),
        }
        return with_version(cls(data=data, initial=initial, **kwargs), action)
