"""The follow-up form: one per action on the follow-up sheet (prefixed by the action) and on its own page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from samverkan.actions.models import ActionIndicator, FollowUp, Rating
from samverkan.core.conflicts import VersionField
from samverkan.core.forms import DayField
from samverkan.core.models import Level
from samverkan.core.personaldata import PersonalDataCheck

VALUE_PREFIX = "value_"


class FollowUpForm(PersonalDataCheck, forms.Form):
    """A phone number or e-mail in an intern or begränsad follow-up's texts asks the writer to confirm it
    is needed (the tick box); öppen ones and personnummer are refused (``PersonalDataCheck``)."""

    personal_data_fields = ("occasion", "done", "outcome", "reason")
    followed_up_on = DayField(label=_("Datum"))
    rating = forms.ChoiceField(
        label=_("Bedömning"), choices=Rating.choices, widget=forms.RadioSelect, required=True
    )
    reason = forms.CharField(
        label=_("Skäl till ändrad bedömning"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs när bedömningen skiljer sig från förra uppföljningen."),
    )
    done = forms.CharField(
        label=_("Vad har gjorts"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(
        label=_("Resultat"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 2})
    )
    hours_spent = forms.DecimalField(
        label=_("Nedlagda timmar"), required=False, min_value=0, max_digits=9, decimal_places=1
    )
    cost_spent = forms.DecimalField(
        label=_("Kostnad (kr)"), required=False, min_value=0, max_digits=12, decimal_places=0
    )
    occasion = forms.CharField(label=_("Tillfälle"), required=False, max_length=200)
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        indicators: list[ActionIndicator] = (),  # type: ignore[assignment]
        current: FollowUp | None = None,
        level: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The rule follows the level the follow-up is (or will be) saved at: the day's, else the action's.
        self.personal_data_level = (  # type: ignore[misc]
            current.level if current is not None else level or Level.OPPEN
        )
        # The version the writer sees: 0 when this day has no follow-up yet (someone creating one
        # meanwhile is then a conflict, not a silent overwrite).
        self.fields["version"].initial = current.version if current is not None else 0
        self.manual_indicators = [i for i in indicators if i.source == ActionIndicator.Source.MANUELL]
        current_values = (
            {v.indicator_id: v.value for v in getattr(current, "visible_values", [])} if current else {}
        )
        for indicator in self.manual_indicators:
            label = f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name
            self.fields[f"{VALUE_PREFIX}{indicator.pk}"] = forms.DecimalField(
                label=label,
                required=False,
                max_digits=20,
                decimal_places=4,
                initial=current_values.get(indicator.pk),
            )
        if current is not None:
            for name in ("rating", "reason", "done", "outcome", "hours_spent", "cost_spent", "occasion"):
                self.fields[name].initial = getattr(current, name)
                # What is saved was confirmed when it was saved: asked about again only if new.
                self.initial.setdefault(name, getattr(current, name))

    def acknowledgement_html(self) -> SafeString:
        """The tick box that confirms the personal data warned about, for a page that draws the form's
        fields itself (the follow-up sheet); empty when nothing asks for it."""
        after = self.acknowledgement_after if self.is_bound else None
        if after is None:
            return SafeString("")
        field = self["acknowledge_personal_data"]
        return format_html(
            '<div class="field field--acknowledge"><input type="checkbox" name="{}" id="{}" value="on"{}>'
            ' <label for="{}">{}</label></div>',
            field.html_name,
            field.auto_id,
            " checked" if field.value() else "",
            field.auto_id,
            field.label,
        )

    def value_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(VALUE_PREFIX)]

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as ``followup_record`` takes it."""
        data = dict(self.cleaned_data)
        values: dict[int, Decimal | None] = {}
        for name in list(data):
            if name.startswith(VALUE_PREFIX):
                values[int(name.removeprefix(VALUE_PREFIX))] = data.pop(name)
        data["values"] = values
        return data
