"""Forms validate input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import with_version
from samverkan.core.models import LEVEL_HELP, Kommun, Level, Notice, Organisation, PoliceArea, Role
from samverkan.core.models.confidentiality import DEFAULT_RESTRICTED_TO
from samverkan.core.personaldata import PersonalDataCheck
from samverkan.core.years import YEARS, outside_years


class DateInput(forms.DateInput):
    """A native date picker that round-trips ISO dates (the browser sends and shows YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DayField(forms.DateField):
    """A date inside the product's years (``core.years``), as the API takes them: a date near year 9999
    would overflow wherever the product computes a later day from it (a renewal's next period)."""

    widget = DateInput

    def __init__(self, *, years: tuple[int, int] = YEARS, **kwargs: Any):
        self.years = years
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # The browser's date picker keeps to the same years, so most slips never reach the server.
        return {
            **super().widget_attrs(widget),
            "min": f"{self.years[0]}-01-01",
            "max": f"{self.years[1]}-12-31",
        }

    def validate(self, value: Any) -> None:
        super().validate(value)
        problem = outside_years(value, self.years)
        if problem:
            raise ValidationError(problem, code="years")


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's validation error on the form field it names (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error)


class ConfidentialityFields(forms.Form):
    """Level and, for begränsad, the roles that may read; shared by every content form."""

    level = forms.ChoiceField(
        label=_("Sekretessnivå"),
        choices=Level.choices,
        initial=Level.INTERN,
        widget=forms.RadioSelect,
        # Lazy, so the help follows the language of each request (an f-string would freeze it at import).
        help_text=format_lazy(
            "{}: {} {}: {} {}: {}",
            *(part for level in Level for part in (level.label, LEVEL_HELP[level])),
        ),
    )
    restricted_to = forms.MultipleChoiceField(
        label=_("Roller som får läsa begränsat innehåll"),
        choices=Role.choices,
        initial=DEFAULT_RESTRICTED_TO.split(","),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class NoticeForm(PersonalDataCheck, ConfidentialityFields):
    personal_data_fields = ("title", "body")
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    body = forms.CharField(label=_("Text"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}))

    field_order = ["title", "body", "level", "restricted_to", "acknowledge_personal_data"]

    @classmethod
    def for_notice(cls, notice: Notice, data: Any = None) -> NoticeForm:
        initial = {
            "title": notice.title,
            "body": notice.body,
            "level": notice.level,
            "restricted_to": sorted(notice.restricted_roles),
        }
        return with_version(cls(data=data, initial=initial), notice)


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    email = forms.EmailField(label=_("E-post"))
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices, initial=Role.LEDAMOT)
    organisation = forms.ModelChoiceField(
        label=_("Företräder organisation"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Företräder organisation"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    kind = forms.ChoiceField(label=_("Typ av aktör"), choices=Organisation.Kind.choices)
    home_kommun = forms.ModelChoiceField(label=_("Hemkommun"), queryset=Kommun.objects.none(), required=False)
    police_area = forms.ModelChoiceField(
        label=_("Polisområde"), queryset=PoliceArea.objects.none(), required=False
    )

    def __init__(self, *args: Any, collaboration: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["home_kommun"].queryset = collaboration.kommuner.all()  # type: ignore[attr-defined]
        self.fields["police_area"].queryset = collaboration.police_areas.all()  # type: ignore[attr-defined]


class AddParticipantForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = candidates  # type: ignore[attr-defined]


class CollaborationSettingsForm(forms.Form):
    description = forms.CharField(
        label=_("Beskrivning"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    mfa_required_roles = forms.MultipleChoiceField(
        label=_("Roller som måste använda tvåstegsverifiering"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Polisen bör alltid ha tvåstegsverifiering eftersom polisen läser begränsat innehåll."),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Namn på nyckeln"), max_length=100, help_text=_("Till exempel systemet som ska använda den.")
    )


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150, required=False)
