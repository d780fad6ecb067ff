"""Forms for planning meetings: one meeting (new or changed), the year from the rhythm, cancelling, feeds.

Dates and times are Stockholm wall-clock times; the form turns them into aware datetimes for the services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Group
from samverkan.core.conflicts import with_version
from samverkan.core.forms import DayField
from samverkan.meetings.models import Meeting
from samverkan.meetings.services.planning import STOCKHOLM, stockholm_moment


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs=attrs, format="%H:%M")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.email or obj.username


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.email or obj.username


WEEKDAYS = [
    (0, _("måndag")),
    (1, _("tisdag")),
    (2, _("onsdag")),
    (3, _("torsdag")),
    (4, _("fredag")),
]
WEEKS = [(1, _("första")), (2, _("andra")), (3, _("tredje")), (4, _("fjärde")), (5, _("sista"))]


class MeetingForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Grupp"), queryset=Group.objects.none())
    kind = forms.ChoiceField(label=_("Typ av möte"), choices=Meeting.Kind.choices, initial=Meeting.Kind.EXTRA)
    title = forms.CharField(
        label=_("Rubrik"), max_length=200, required=False, help_text=_("Tom: gruppens namn används.")
    )
    day = DayField(label=_("Datum"))
    start = forms.TimeField(label=_("Börjar"), widget=TimeInput())
    end = forms.TimeField(label=_("Slutar"), widget=TimeInput())
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)
    convener = PersonChoiceField(label=_("Sammankallande"), queryset=Group.objects.none(), required=False)
    chair = PersonChoiceField(label=_("Ordförande"), queryset=Group.objects.none(), required=False)
    secretary = PersonChoiceField(label=_("Sekreterare"), queryset=Group.objects.none(), required=False)
    justerare = PeopleChoiceField(
        label=_("Justerare"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    with_linked = forms.BooleanField(
        label=_("Skapa också de kopplade gruppernas möten före/efter"),
        required=False,
        help_text=_("För grupper som möts före eller efter den här gruppen, en vecka före eller efter."),
    )

    def __init__(self, *args: Any, groups: Any, people: Any, meeting: Meeting | None = None, **kwargs: Any):
        if meeting is not None and "initial" not in kwargs:
            starts = timezone.localtime(meeting.starts_at, STOCKHOLM)
            ends = timezone.localtime(meeting.ends_at, STOCKHOLM)
            kwargs["initial"] = {
                "title": meeting.title,
                "day": starts.date(),
                "start": starts.time().replace(second=0, microsecond=0),
                "end": ends.time().replace(second=0, microsecond=0),
                "place": meeting.place,
                "convener": meeting.convener_id,
                "chair": meeting.chair_id,
                "secretary": meeting.secretary_id,
                "justerare": list(meeting.justerare.values_list("pk", flat=True)),
            }
        super().__init__(*args, **kwargs)
        for name in ("convener", "chair", "secretary", "justerare"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]
        if meeting is None:
            self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        else:
            for name in ("group", "kind", "with_linked"):
                del self.fields[name]
            with_version(self, meeting)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day and start and end:
            data["starts_at"] = stockholm_moment(day, start)
            # A meeting that ends at or before it starts is refused by the service, naming "end".
            data["ends_at"] = stockholm_moment(day, end)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs = {
            "starts_at": data.get("starts_at"),
            "ends_at": data.get("ends_at"),
            "place": data.get("place", ""),
            "title": data.get("title", ""),
            "convener": data.get("convener"),
            "chair": data.get("chair"),
            "secretary": data.get("secretary"),
            "justerare": list(data.get("justerare") or []),
        }
        if "group" in self.fields:
            kwargs["group"] = data.get("group")
            kwargs["kind"] = data.get("kind") or Meeting.Kind.EXTRA
        return kwargs


# The services name the time fields as stored; the form shows them as date and times.
FORM_FIELD_FOR = {"starts_at": "start", "ends_at": "end"}


def apply_meeting_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown on the form field it concerns (or the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = FORM_FIELD_FOR.get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PlanYearForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Grupp"), queryset=Group.objects.none())
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    weekday = forms.TypedChoiceField(label=_("Veckodag"), choices=WEEKDAYS, coerce=int, initial=1)
    week = forms.TypedChoiceField(label=_("Vecka i månaden"), choices=WEEKS, coerce=int, initial=2)
    start = forms.TimeField(label=_("Börjar"), widget=TimeInput(), initial=dt.time(9, 0))
    duration = forms.IntegerField(label=_("Längd i minuter"), min_value=15, max_value=720, initial=120)
    place = forms.CharField(
        label=_("Plats"), max_length=200, required=False, help_text=_("Tom: gruppens mötesplats.")
    )
    convener = PersonChoiceField(label=_("Sammankallande"), queryset=Group.objects.none(), required=False)
    with_linked = forms.BooleanField(
        label=_("Skapa också de kopplade gruppernas möten före/efter"), required=False
    )

    def __init__(self, *args: Any, groups: Any, people: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["convener"].queryset = people  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl till att mötet ställs in"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv varför mötet ställs in.")},
    )


class FeedForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Grupp"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("Alla mina möten"),
        help_text=_("Ett flöde med alla dina möten, eller bara en grupps."),
    )

    def __init__(self, *args: Any, groups: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
