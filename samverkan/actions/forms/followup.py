"""The follow-up form: one per action on the follow-up sheet (prefixed by the action) and on its own page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.actions.models import ActionIndicator, FollowUp, Rating
from samverkan.core.conflicts import VersionField
from samverkan.core.forms import DayField

VALUE_PREFIX = "value_"


class FollowUpForm(forms.Form):
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
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
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
