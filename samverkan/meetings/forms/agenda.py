"""The agenda page's forms: a point (add or edit, with its level) and the version a delete was shown."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionField, with_version
from samverkan.core.forms import ConfidentialityFields
from samverkan.core.models import DEFAULT_RESTRICTED_TO, Level
from samverkan.core.personaldata import PersonalDataCheck
from samverkan.meetings.models import AgendaItem


class AgendaItemForm(PersonalDataCheck, ConfidentialityFields):
    personal_data_fields = ("title", "prepared_text")
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Typ av punkt"), choices=AgendaItem.Kind.choices, initial=AgendaItem.Kind.OVRIGT
    )
    prepared_text = forms.CharField(
        label=_("Underlag"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Det som står under punkten i kallelsen och mötespaketet."),
    )

    field_order = ["title", "kind", "prepared_text", "level", "restricted_to", "acknowledge_personal_data"]

    @classmethod
    def for_item(cls, item: AgendaItem | None, *, data: Any = None) -> AgendaItemForm:
        if item is None:
            return cls(data=data)
        initial = {
            "title": item.title,
            "kind": item.kind,
            "prepared_text": item.prepared_text,
            "level": item.level,
            "restricted_to": sorted(item.restricted_roles)
            if item.level == Level.BEGRANSAD
            else DEFAULT_RESTRICTED_TO.split(","),
        }
        form = with_version(cls(data=data, initial=initial), item)
        # The kind says where the draft put the point; it is not changed afterwards.
        del form.fields["kind"]
        return form


class DeleteForm(forms.Form):
    version = VersionField()
