"""The form of an action's indicator: by hand, or a statistics indicator for one of the kommuner."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.actions.models import ActionIndicator
from samverkan.core.conflicts import with_version
from samverkan.core.forms import ConfidentialityFields, DateInput, DayField
from samverkan.core.models import Kommun
from samverkan.core.personaldata import PersonalDataCheck
from samverkan.indicators.models import Indicator


def _value(label: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, max_digits=20, decimal_places=4, **kwargs)


class ActionIndicatorForm(PersonalDataCheck, ConfidentialityFields):
    personal_data_fields = ("name", "unit")
    source = forms.ChoiceField(
        label=_("Källa"),
        choices=ActionIndicator.Source.choices,
        widget=forms.RadioSelect,
        initial=ActionIndicator.Source.MANUELL,
        help_text=_(
            "En indikator i statistiken hämtar sina värden från importerna, och målet visas som mållinje i "
            "indikatorns diagram."
        ),
    )
    indicator = forms.ModelChoiceField(
        label=_("Indikator i statistiken"), queryset=Indicator.objects.none(), required=False
    )
    kommun = forms.ModelChoiceField(label=_("Kommun"), queryset=Kommun.objects.none(), required=False)
    name = forms.CharField(
        label=_("Vad mäts"),
        max_length=200,
        required=False,
        help_text=_("Till exempel ”Anmälda skadegörelsebrott per månad”. Tomt: indikatorns namn."),
    )
    unit = forms.CharField(label=_("Enhet"), max_length=40, required=False)
    baseline = _value(_("Utgångsvärde"))
    baseline_on = DayField(label=_("Utgångsvärdet avser"), required=False, widget=DateInput())
    target = _value(_("Målvärde"))
    target_on = DayField(label=_("Målet ska nås"), required=False, widget=DateInput())
    direction = forms.ChoiceField(
        label=_("Riktning"),
        choices=[("", _("Ingen riktning")), *ActionIndicator.Direction.choices],
        required=False,
    )

    field_order = [
        "source",
        "indicator",
        "kommun",
        "name",
        "unit",
        "baseline",
        "baseline_on",
        "target",
        "target_on",
        "direction",
        "level",
        "restricted_to",
        "acknowledge_personal_data",
    ]

    def __init__(self, *args: Any, indicators: Any, kommuner: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]
        self.fields["kommun"].queryset = kommuner  # type: ignore[attr-defined]

    @classmethod
    def for_row(
        cls, row: ActionIndicator | None, *, action: Any, data: Any = None, **kwargs: Any
    ) -> ActionIndicatorForm:
        if row is None:
            form = cls(
                data=data,
                initial={"level": action.level, "restricted_to": sorted(action.restricted_roles)},
                **kwargs,
            )
            return form
        initial = {
            "source": row.source,
            "indicator": row.indicator_id,
            "kommun": row.kommun_id,
            "name": row.name,
            "unit": row.unit,
            "baseline": row.baseline,
            "baseline_on": row.baseline_on,
            "target": row.target,
            "target_on": row.target_on,
            "direction": row.direction,
            "level": row.level,
            "restricted_to": sorted(row.restricted_roles),
        }
        return with_version(cls(data=data, initial=initial, **kwargs), row)
