"""Forms for agreements, focus areas, fact sources and signatories. They validate input; services decide.

Field names match the keyword arguments of samverkan.agreements.services, so a service's
ValidationError lands on the field it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Agreement, FactSource, FocusArea
from samverkan.agreements.services import ALLOWED_TRANSITIONS
from samverkan.core.conflicts import with_version
from samverkan.core.forms import ConfidentialityFields, DateInput, DayField
from samverkan.core.models import Kommun, Level, Organisation, PoliceArea
from samverkan.core.years import FILTER_YEARS, YEARS

MONTH_CHOICES = [(number, capfirst(name)) for number, name in MONTHS.items()]


def _date_field(
    label: Any, *, required: bool = True, help_text: Any = "", years: tuple[int, int] = YEARS
) -> DayField:
    return DayField(
        years=years,
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
    )


def _text(label: Any, *, rows: int = 4, max_length: int = 10_000, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class _OpenByDefault(ConfidentialityFields):
    """Agreement content is written to be published, so öppen is the starting level (as in the models)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["level"].initial = Level.OPPEN

    @staticmethod
    def level_initial(obj: Any) -> dict[str, Any]:
        return {"level": obj.level, "restricted_to": sorted(obj.restricted_roles)}


class AgreementForm(_OpenByDefault):
    title = forms.CharField(label=_("Titel"), max_length=200)
    start_date = _date_field(_("Gäller från"))
    end_date = _date_field(_("Gäller till"))
    purpose = _text(_("Syfte"), rows=5)
    effects_sought = _text(_("Effekter som eftersträvas"), help_text=_("En effekt per rad."))
    kommuner = forms.ModelMultipleChoiceField(
        label=_("Kommuner"),
        queryset=Kommun.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en kommun.")},
    )
    police_areas = forms.ModelMultipleChoiceField(
        label=_("Polisområden"),
        queryset=PoliceArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_parties = forms.ModelMultipleChoiceField(
        label=_("Övriga parter"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Till exempel Region eller Länsstyrelse. Parterna måste vara aktörer i samverkan."),
    )
    communication_plan = _text(
        _("Kommunikationsplan"), help_text=_("Var och hur överenskommelsen och protokollen publiceras.")
    )
    followup_rhythm = forms.CharField(
        label=_("Uppföljningens rytm"),
        max_length=200,
        required=False,
        help_text=_("Till exempel: vid varje möte och årligen."),
    )
    followup_reporting = _text(
        _("Återrapportering"),
        max_length=5_000,
        help_text=_("Vem som rapporterar till vem, till exempel årlig utvärdering till kommunstyrelsen."),
    )
    evaluation_month = forms.TypedChoiceField(
        label=_("Månad för årlig utvärdering"), choices=MONTH_CHOICES, coerce=int, initial=1
    )
    signed_place = forms.CharField(label=_("Undertecknad i (ort)"), max_length=100, required=False)

    field_order = [
        "title",
        "start_date",
        "end_date",
        "kommuner",
        "police_areas",
        "other_parties",
        "purpose",
        "effects_sought",
        "communication_plan",
        "followup_rhythm",
        "followup_reporting",
        "evaluation_month",
        "signed_place",
        "level",
        "restricted_to",
    ]

    def __init__(self, *args: Any, collaboration: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kommuner"].queryset = collaboration.kommuner.all()  # type: ignore[attr-defined]
        self.fields["police_areas"].queryset = collaboration.police_areas.all()  # type: ignore[attr-defined]
        self.fields["other_parties"].queryset = organisations  # type: ignore[attr-defined]
        if not self.is_bound and not self.initial:
            kommuner = list(collaboration.kommuner.all())
            if len(kommuner) == 1:
                self.fields["kommuner"].initial = kommuner
        for name in ("police_areas", "other_parties"):
            if not self.fields[name].queryset.exists():  # type: ignore[attr-defined]
                del self.fields[name]  # an empty group of checkboxes only confuses

    @classmethod
    def for_agreement(cls, agreement: Agreement, *, data: Any = None, **kwargs: Any) -> AgreementForm:
        initial = {name: getattr(agreement, name) for name in cls.base_fields if hasattr(agreement, name)}
        initial.update(
            kommuner=list(agreement.kommuner.all()),
            police_areas=list(agreement.police_areas.all()),
            other_parties=list(agreement.other_parties.all()),
            **cls.level_initial(agreement),
        )
        return with_version(cls(data=data, initial=initial, **kwargs), agreement)


STATUS_ACTIONS = {
    Agreement.Status.UTKAST: _("Gör till utkast igen"),
    Agreement.Status.GALLANDE: _("Sätt i kraft"),
    Agreement.Status.AVSLUTAD: _("Avsluta överenskommelsen"),
}


class AgreementStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Ny status"), choices=())

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any):
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_TRANSITIONS.get(agreement.status, set())
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Agreement.Status.choices if value in allowed
        ]

    def actions(self) -> list[tuple[str, Any]]:
        """(status, button text) for each status the agreement may move to now."""
        return [(value, STATUS_ACTIONS[value]) for value, _label in self.fields["status"].choices]  # type: ignore[attr-defined]


class RenewForm(forms.Form):
    title = forms.CharField(
        label=_("Titel på den nya överenskommelsen"),
        max_length=200,
        required=False,
        help_text=_("Lämna tomt för att utgå från den nuvarande titeln."),
    )
    start_date = _date_field(
        _("Gäller från"), required=False, help_text=_("Lämna tomt: dagen efter att den nuvarande upphör.")
    )
    end_date = _date_field(
        _("Gäller till"), required=False, help_text=_("Lämna tomt: en lika lång period som den nuvarande.")
    )


class FocusAreaForm(_OpenByDefault):
    title = forms.CharField(label=_("Fokusområde"), max_length=200)
    description = _text(_("Beskrivning"), max_length=5_000)
    parent = forms.ModelChoiceField(
        label=_("Delprioritering till"),
        queryset=FocusArea.objects.none(),
        required=False,
        empty_label=_("Inget – ett eget fokusområde"),
    )
    changed_on = _date_field(_("Datum för ändringen"))
    reason = _text(
        _("Motivering"),
        rows=3,
        max_length=2_000,
        help_text=_("Krävs när överenskommelsen gäller: varför området läggs till eller ändras."),
    )

    field_order = ["title", "description", "parent", "level", "restricted_to", "changed_on", "reason"]

    def __init__(self, *args: Any, parents: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["changed_on"].initial = timezone.localdate()
        if parents is None:
            del self.fields["parent"]  # a change keeps the area where it is
        else:
            self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    @classmethod
    def for_area(cls, area: FocusArea, *, data: Any = None) -> FocusAreaForm:
        initial = {"title": area.title, "description": area.description, **cls.level_initial(area)}
        return with_version(cls(data=data, initial=initial), area)


class FocusAreaRetireForm(forms.Form):
    changed_on = _date_field(_("Avslutas från och med"))
    reason = forms.CharField(
        label=_("Motivering"), max_length=2_000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["changed_on"].initial = timezone.localdate()


class FactSourceForm(_OpenByDefault):
    kind = forms.ChoiceField(label=_("Källa"), choices=FactSource.Kind.choices)
    description = forms.CharField(label=_("Beskrivning"), max_length=300, required=False)
    rhythm = forms.ChoiceField(label=_("Hur ofta"), choices=FactSource.Rhythm.choices)
    month = forms.TypedChoiceField(
        label=_("Månad"),
        choices=[("", "–"), *MONTH_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("För årliga källor: vilken månad de kommer, så att de syns i årshjulet."),
    )
    provider = forms.ModelChoiceField(
        label=_("Levereras av"), queryset=Organisation.objects.none(), required=False
    )

    field_order = ["kind", "description", "rhythm", "month", "provider", "level", "restricted_to"]

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = organisations  # type: ignore[attr-defined]

    @classmethod
    def for_source(cls, source: FactSource, *, data: Any = None, **kwargs: Any) -> FactSourceForm:
        initial = {
            "kind": source.kind,
            "description": source.description,
            "rhythm": source.rhythm,
            "month": source.month,
            "provider": source.provider_id,
            **cls.level_initial(source),
        }
        return cls(data=data, initial=initial, **kwargs)


class SignatoryForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    title = forms.CharField(label=_("Befattning"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Part"), queryset=Organisation.objects.none(), required=False
    )
    organisation_name = forms.CharField(
        label=_("Part (fritext)"),
        max_length=200,
        required=False,
        help_text=_("Om parten inte finns bland aktörerna, till exempel Polisområde Västerbotten."),
    )
    signed_on = _date_field(
        _("Undertecknad"),
        required=False,
        help_text=_("Lämna tomt tills den är påskriven."),
        # Wide: the service names the sensible bounds of a signature (not in the future, not too early).
        years=FILTER_YEARS,
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    @classmethod
    def for_signatory(cls, signatory: Any, *, data: Any = None, **kwargs: Any) -> SignatoryForm:
        initial = {
            "name": signatory.name,
            "title": signatory.title,
            "organisation": signatory.organisation_id,
            "organisation_name": signatory.organisation_name,
            "signed_on": signatory.signed_on,
        }
        return cls(data=data, initial=initial, **kwargs)
