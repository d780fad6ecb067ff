"""Forms of the joint picture. They validate input; area_summary_save and picture_agree decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionField
from samverkan.core.forms import ConfidentialityFields, DateInput, DayField
from samverkan.core.models import Level
from samverkan.core.personaldata import PersonalDataCheck
from samverkan.core.shipped import shipped


class AreaSummaryForm(PersonalDataCheck, ConfidentialityFields):
    """The samordnare's summary of one area; one per area on the page, told apart by prefix."""

    personal_data_fields = ("text",)
    text = forms.CharField(
        label=_("Sammanfattning"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Gruppens gemensamma bild av området. Lämna tomt för att ta bort sammanfattningen."),
    )
    version = VersionField()

    field_order = ["text", "level", "restricted_to", "acknowledge_personal_data"]

    @classmethod
    def for_area(cls, area: Any, *, data: Any = None) -> AreaSummaryForm:
        initial: dict[str, Any] = {"level": Level.INTERN, "version": 0}
        if area.summary is not None:
            initial = {
                "version": area.summary.version,
                "text": area.summary.text,
                "level": area.summary.level,
                "restricted_to": sorted(area.summary.restricted_to),
            }
        return cls._named(area.section_id, area.title, data=data, initial=initial)

    @classmethod
    def for_section(cls, section: Any, *, data: Any) -> AreaSummaryForm:
        """The posted form of one area."""
        return cls._named(section.pk, section.title, data=data)

    @classmethod
    def _named(cls, section_id: int | None, title: str, **kwargs: Any) -> AreaSummaryForm:
        form = cls(prefix=cls.prefix_for(section_id), **kwargs)
        # One form per area on the page: each label names its area for screen-reader users.
        form.fields["text"].label = format_lazy("{}: {}", _("Sammanfattning"), shipped(title))
        return form

    @staticmethod
    def prefix_for(section_id: int | None) -> str:
        return f"omrade-{section_id}"


class AgreeForm(forms.Form):
    meeting = forms.CharField(
        label=_("Möte"),
        max_length=200,
        help_text=_("Mötet där gruppen fastställde lägesbilden, till exempel ”REK-gruppen”."),
    )
    meeting_date = DayField(label=_("Mötesdatum"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("initial", {}).setdefault("meeting_date", timezone.localdate())
        super().__init__(*args, **kwargs)


class AgreeConfirmForm(AgreeForm):
    """The second step of agreeing: the meeting and date from the first (carried hidden) and, when an
    organisation asked has not reported, the samordnare's acknowledgement of it. Only the pages ask for
    this step; the API's agree keeps its contract (one call)."""

    acknowledge_missing = forms.BooleanField(
        required=True,
        error_messages={"required": _("Bekräfta att gruppen vet vilka aktörer som inte har rapporterat.")},
    )

    def __init__(self, *args: Any, missing: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].widget = forms.HiddenInput()
        self.fields["meeting_date"].widget = forms.HiddenInput()
        if missing:
            self.fields["acknowledge_missing"].label = format_lazy(
                _("Jag vet att {names} inte har rapporterat, och gruppen fastställer lägesbilden ändå."),
                names=", ".join(missing),
            )
        else:
            del self.fields["acknowledge_missing"]
