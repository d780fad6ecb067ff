"""Forms of the action plan's spreadsheet import: the upload, then the column mapping."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.actions.sheet_format import ACTION_COLUMNS
from samverkan.indicators.forms import TableMappingForm as _TableMappingForm
from samverkan.indicators.forms import UploadForm, _check_size
from samverkan.indicators.limits import TABLE
from samverkan.indicators.tables import Field, TableFormat

# The actions sheet as a table format, so the statistics import's mapping form and preview serve it too.
PLAN_FORMAT = TableFormat(
    key="atgardsplan",
    label=cast(str, _("Åtgärdsplan")),
    description=cast(str, _("Åtgärder med ansvarig organisation, tider, status och orsaker.")),
    fields=[Field(c.key, c.heading, c.required) for c in ACTION_COLUMNS if c.imported],
    options=[],
    kind="",
)

DEFAULT_REASON = _("Åtgärden fanns i gruppens tidigare plan (Excel), före orsaksanalysen.")


class PlanUploadForm(UploadForm):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_(
            "En åtgärdsplan som exporterats härifrån (Excel eller CSV), också efter att den ändrats i Excel "
            "eller LibreOffice, eller gruppens egen tabell med en åtgärd per rad."
        ),
    )

    def clean_file(self) -> Any:
        return _check_size(self.cleaned_data["file"], TABLE)


class PlanMappingForm(_TableMappingForm):
    default_no_analysis_reason = forms.CharField(
        label=_("Skäl när orsak saknas"),
        required=False,
        max_length=500,
        initial=DEFAULT_REASON,
        help_text=_(
            "Ges till åtgärder i filen som varken pekar ut en orsak eller anger varför orsaksanalys saknas. "
            "Lämna tomt för att i stället få ett fel per sådan rad."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("table_format", PLAN_FORMAT)
        super().__init__(*args, **kwargs)
        del self.fields["force"]  # a plan is re-imported on purpose: rows update by ID, nothing doubles
