"""Forms for händelserapporter and places. They validate input; services/events.py decides and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.core.areas import area_choices
from samverkan.core.forms import ConfidentialityFields, DateInput, DayField
from samverkan.core.models import Collaboration, Kommun
from samverkan.core.personaldata import PersonalDataCheck
from samverkan.core.shipped import shipped
from samverkan.core.years import FILTER_YEARS
from samverkan.situation.models import Event, EventCategory, Place
from samverkan.situation.selectors.events import categories_by_area

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def _coordinate(label: Any, attrs: dict[str, str]) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        required=False,
        localize=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", **attrs}),
    )


class CategoryChoiceField(forms.ChoiceField):
    """A category select grouped by lägesbild area (optgroups named by the default template's areas)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.categories: dict[str, EventCategory] = {}

    def set_categories(self, categories: list[EventCategory], *, empty_label: str) -> None:
        self.categories = {str(c.pk): c for c in categories}
        self.choices = [("", empty_label)] + [
            (title, [(str(c.pk), shipped(c.name)) for c in group])
            for title, group in categories_by_area(categories)
        ]

    def clean(self, value: Any) -> EventCategory | None:  # type: ignore[override]
        value = super().clean(value)
        return self.categories.get(value) if value else None


def _kommun_field(field: forms.ModelChoiceField, collaboration: Collaboration) -> Kommun | None:
    """Limit to the collaboration's kommuner; with only one, hide the select and preselect it."""
    kommuner = collaboration.kommuner.all()
    field.queryset = kommuner
    only = list(kommuner[:2])
    if len(only) == 1:
        field.widget = forms.HiddenInput()
        field.initial = only[0].pk
        return only[0]
    return None


class EventForm(PersonalDataCheck, ConfidentialityFields):
    personal_data_fields = ("description", "place_name")

    category = CategoryChoiceField(label=_("Kategori"))
    occurred_at = forms.DateTimeField(
        label=_("När hände det?"),
        widget=DateTimeLocalInput(),
        help_text=_("Datum och klockslag, så nära som du vet."),
    )
    kommun = forms.ModelChoiceField(label=_("Kommun"), queryset=Kommun.objects.none())
    place = forms.ModelChoiceField(
        label=_("Plats i listan"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("Ingen plats vald"),
        help_text=_("Platser som samordnaren har lagt in."),
    )
    place_name = forms.CharField(
        label=_("Annan plats"),
        max_length=200,
        required=False,
        help_text=_("Om platsen inte finns i listan: skriv till exempel en gata, en skola eller ett område."),
    )
    latitude = _coordinate(_("Latitud"), {"min": "-90", "max": "90"})
    longitude = _coordinate(_("Longitud"), {"min": "-180", "max": "180"})
    description = forms.CharField(
        label=_("Vad hände?"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Beskriv händelsen kort. Skriv inte namn eller andra uppgifter om enskilda personer."),
    )

    # Asked for (services.events._check_sensitive_open) when the event is öppen and its category sensitive;
    # the page shows it with its warning beside the level (situation/event_form.js hides both otherwise).
    confirm_sensitive_open = forms.BooleanField(
        label=_("Jag har läst varningen och vill ändå att händelsen ska vara öppen"), required=False
    )

    field_order = [
        "category",
        "occurred_at",
        "kommun",
        "place",
        "place_name",
        "latitude",
        "longitude",
        "description",
        "level",
        "restricted_to",
        "confirm_sensitive_open",
        "acknowledge_personal_data",
    ]

    def __init__(
        self,
        *args: Any,
        collaboration: Collaboration,
        categories: list[EventCategory],
        places: Any,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        category_field: CategoryChoiceField = self.fields["category"]  # type: ignore[assignment]
        category_field.set_categories(categories, empty_label=str(_("Välj kategori")))
        self.sensitive_categories = [c for c in categories if c.sensitive]
        self.sensitive_category_names = ", ".join(shipped(c.name) for c in self.sensitive_categories)
        self.single_kommun = _kommun_field(self.fields["kommun"], collaboration)  # type: ignore[arg-type]
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        if not places.exists():
            del self.fields["place"]

    @classmethod
    def initial_for(cls, event: Event | None, *, level: str, restricted_to: list[str]) -> dict[str, Any]:
        if event is None:
            now = timezone.localtime().replace(second=0, microsecond=0)
            initial: dict[str, Any] = {"occurred_at": now, "level": level}
            if restricted_to:
                initial["restricted_to"] = restricted_to
            return initial
        return {
            "category": str(event.category_id),
            "occurred_at": event.occurred_at,
            "kommun": event.kommun_id,
            "place": event.place_id,
            "place_name": "" if event.place_id and event.place_name == event.place.name else event.place_name,  # type: ignore[union-attr]
            "latitude": event.latitude,
            "longitude": event.longitude,
            "description": event.description,
            "level": event.level,
            "restricted_to": sorted(event.restricted_roles),
        }


class EventFilterForm(forms.Form):
    """The event list's filters (GET); every field optional."""

    start = DayField(years=FILTER_YEARS, label=_("Från och med"), required=False, widget=DateInput())
    end = DayField(years=FILTER_YEARS, label=_("Till och med"), required=False, widget=DateInput())
    area_code = forms.ChoiceField(label=_("Område"), required=False)
    category = CategoryChoiceField(label=_("Kategori"), required=False)
    kommun = forms.ModelChoiceField(
        label=_("Kommun"), queryset=Kommun.objects.none(), required=False, empty_label=_("Alla kommuner")
    )

    def __init__(
        self, *args: Any, collaboration: Collaboration, categories: list[EventCategory], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        category_field: CategoryChoiceField = self.fields["category"]  # type: ignore[assignment]
        category_field.set_categories(categories, empty_label=str(_("Alla kategorier")))
        self.fields["area_code"].choices = [("", _("Alla områden")), *area_choices()]  # type: ignore[attr-defined]
        kommuner = collaboration.kommuner.all()
        if kommuner.count() > 1:
            self.fields["kommun"].queryset = kommuner  # type: ignore[attr-defined]
        else:
            del self.fields["kommun"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Slutdatum kan inte vara före startdatum."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for selectors.events.events_for (empty when the form is invalid)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    kommun = forms.ModelChoiceField(label=_("Kommun"), queryset=Kommun.objects.none())
    latitude = _coordinate(_("Latitud"), {"min": "-90", "max": "90"})
    longitude = _coordinate(_("Longitud"), {"min": "-180", "max": "180"})

    def __init__(self, *args: Any, collaboration: Collaboration, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.single_kommun = _kommun_field(self.fields["kommun"], collaboration)  # type: ignore[arg-type]

    @classmethod
    def initial_for(cls, place: Place | None) -> dict[str, Any]:
        if place is None:
            return {}
        return {
            "name": place.name,
            "kommun": place.kommun_id,
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
