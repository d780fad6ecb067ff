"""Forms of the minutes: an item's text in the draft, an amendment of justerade minutes, a decline."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import with_version
from samverkan.meetings.models import AgendaItem


class ItemTextForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    notes = forms.CharField(label=_("Anteckningar"), required=False, max_length=20_000, widget=forms.Textarea)
    proposal = forms.CharField(
        label=_("Förslag till beslut"), required=False, max_length=5_000, widget=forms.Textarea
    )
    reservations = forms.CharField(
        label=_("Reservationer och protokollsanteckningar"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea,
    )

    @classmethod
    def for_item(cls, item: AgendaItem, data: Any = None) -> ItemTextForm:
        initial = {name: getattr(item, name) for name in ("title", "notes", "proposal", "reservations")}
        return with_version(cls(data=data, initial=initial), item)


class AmendmentForm(forms.Form):
    item = forms.TypedChoiceField(
        label=_("Gäller punkt"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Rättelsen får punktens sekretessnivå. Utan punkt gäller den hela protokollet (intern)."),
    )
    text = forms.CharField(label=_("Rättelse"), max_length=5_000, widget=forms.Textarea)

    def __init__(self, *args: Any, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("Hela protokollet"))] + [  # type: ignore[attr-defined]
            (item.pk, f"{item.order}. {item.title}") for item in items
        ]


class DeclineForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar till hela protokollet"), required=False, max_length=5_000, widget=forms.Textarea
    )

    def __init__(self, *args: Any, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"punkt_{item.pk}"] = forms.CharField(
                label=_("Kommentar till punkt %(order)s: %(title)s")
                % {"order": item.order, "title": item.title},
                required=False,
                max_length=5_000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def item_comments(self) -> dict[int, str]:
        return {
            int(name.removeprefix("punkt_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("punkt_") and value
        }
