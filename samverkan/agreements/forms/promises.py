"""Forms for medborgarlöften and their activities. They validate input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Agreement, CitizenPromise, PromiseActivity
from samverkan.core.conflicts import with_version
from samverkan.core.forms import DateInput, DayField
from samverkan.core.models import Level, Organisation


class PromiseForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    text = forms.CharField(
        label=_("Löftet"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Vad polisen och kommunen lovar medborgarna."),
    )
    start_date = DayField(label=_("Gäller från"), widget=DateInput())
    end_date = DayField(label=_("Gäller till"), widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"), choices=CitizenPromise.Status.choices, initial=CitizenPromise.Status.PLANERAT
    )
    agreement = forms.ModelChoiceField(
        label=_("Ingår i överenskommelse"), queryset=Agreement.objects.none(), required=False
    )
    replaced_by = forms.ModelChoiceField(
        label=_("Ersatt av överenskommelse"),
        queryset=Agreement.objects.none(),
        required=False,
        help_text=_(
            "För en period av medborgarlöften som en överenskommelse har ersatt, till exempel "
            "medborgarlöften 2017–2018 som ersattes av överenskommelsen 2020–2022."
        ),
    )
    is_public = forms.BooleanField(
        label=_("Offentligt"),
        required=False,
        initial=True,
        help_text=_("Offentliga medborgarlöften får visas för allmänheten; andra bara för medlemmarna."),
    )

    def __init__(self, *args: Any, agreements: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements  # type: ignore[attr-defined]
        self.fields["replaced_by"].queryset = agreements  # type: ignore[attr-defined]

    @classmethod
    def for_promise(cls, promise: CitizenPromise | None, *, data: Any = None, **kwargs: Any) -> PromiseForm:
        if promise is None:
            return cls(data=data, **kwargs)
        initial = {
            "title": promise.title,
            "text": promise.text,
            "start_date": promise.start_date,
            "end_date": promise.end_date,
            "status": promise.status,
            "agreement": promise.agreement_id,
            "replaced_by": promise.replaced_by_id,
            "is_public": promise.level == Level.OPPEN,
        }
        return with_version(cls(data=data, initial=initial, **kwargs), promise)


class PromiseActivityForm(forms.Form):
    description = forms.CharField(label=_("Aktivitet"), max_length=500)
    responsible = forms.ModelChoiceField(
        label=_("Ansvarig"), queryset=Organisation.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=CitizenPromise.Status.choices, initial=CitizenPromise.Status.PLANERAT
    )
    due = DayField(label=_("Klart senast"), required=False, widget=DateInput())

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = organisations  # type: ignore[attr-defined]

    @classmethod
    def for_activity(
        cls, activity: PromiseActivity | None, *, data: Any = None, **kwargs: Any
    ) -> PromiseActivityForm:
        if activity is None:
            return cls(data=data, **kwargs)
        initial = {
            "description": activity.description,
            "responsible": activity.responsible_id,
            "status": activity.status,
            "due": activity.due,
        }
        return cls(data=data, initial=initial, **kwargs)
