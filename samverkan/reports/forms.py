"""Forms of the yearly evaluation: the year to evaluate, the sections with their levels, the approval."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionField
from samverkan.core.models import Level
from samverkan.core.years import YEARS
from samverkan.reports.models import SECTIONS


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("År att utvärdera"), min_value=YEARS[0], max_value=YEARS[1])


class SectionsForm(forms.Form):
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "summary": _("Sammanfattning"),
            "assessment": _("Bedömning"),
            "proposals": _("Förslag till nästa år"),
        }
        for name in SECTIONS:
            self.fields[name] = forms.CharField(
                label=labels[name],
                required=False,
                max_length=10_000,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
            self.fields[f"{name}_level"] = forms.ChoiceField(
                label=_("Sekretessnivå för %(section)s") % {"section": str(labels[name]).lower()},
                choices=Level.choices,
            )


class ApproveForm(forms.Form):
    meeting = forms.TypedChoiceField(
        label=_("Godkänd vid möte"), required=False, coerce=int, empty_value=None
    )
    decision = forms.CharField(label=_("Beslutets nummer"), required=False, max_length=40)

    def __init__(self, *args: Any, meetings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meetings = {m.pk: m for m in meetings}
        field = self.fields["meeting"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Inget möte angivet"))] + [
            (m.pk, f"{m.starts_at:%Y-%m-%d} {m.group.name}") for m in meetings
        ]
