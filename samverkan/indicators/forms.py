"""Forms of the statistics pages: the two uploads and the column mapping of a table import."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from samverkan.indicators.limits import POLICE, TABLE, ImportFileError, check_size

SHA256_RE = re.compile(r"\A[0-9a-f]{64}\Z")


def _check_size(upload: Any, kind: str) -> Any:
    """The upload itself, unless it is empty or larger than this kind's limit (``limits``)."""
    if upload.size == 0:
        raise forms.ValidationError(_("Filen är tom."))
    try:
        check_size(upload.size, kind)
    except ImportFileError as error:
        raise forms.ValidationError(str(error)) from error
    return upload


class UploadForm(forms.Form):
    """A form with a file: ``refused`` builds it unbound, showing why the body was not even read."""

    @classmethod
    def refused(cls, message: str, **kwargs: Any) -> Any:
        form = cls(data={}, files=MultiValueDict(), **kwargs)
        form.errors.clear()  # the empty submission's "required" errors: the file was never read
        form.add_error("file", message)
        return form


class PoliceEventsUploadForm(UploadForm):
    file = forms.FileField(
        label=_("Fil med polisens händelser"),
        help_text=_("JSON-lista eller JSON Lines (en händelse per rad), som den är eller gzip-packad (.gz)."),
    )
    force = forms.BooleanField(
        label=_("Importera ändå"),
        required=False,
        help_text=_("Filen har importerats förut. Kryssa i för att läsa in den igen."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the import page shows this form beside the table upload, which also has "file".
        kwargs.setdefault("auto_id", "id_police_%s")
        super().__init__(*args, **kwargs)

    def clean_file(self) -> Any:
        return _check_size(self.cleaned_data["file"], POLICE)


def format_choices() -> list[tuple[str, str]]:
    from samverkan.indicators.tables import FORMATS

    return [(key, str(fmt.label)) for key, fmt in FORMATS.items()]


class TableUploadForm(UploadForm):
    """Step 1 of a table import: which kind of table, and the file (CSV or Excel)."""

    format = forms.ChoiceField(label=_("Tabellens format"))
    file = forms.FileField(
        label=_("Fil"), help_text=_("CSV (komma, semikolon eller tabb) eller Excel (.xlsx).")
    )

    def __init__(self, *args: Any, fixed_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_format is not None:
            # The samordnare's series import: one format, chosen by the page, not the form.
            del self.fields["format"]
        else:
            format_field = self.fields["format"]
            assert isinstance(format_field, forms.ChoiceField)
            format_field.choices = format_choices()
        self.fixed_format = fixed_format

    def clean_file(self) -> Any:
        return _check_size(self.cleaned_data["file"], TABLE)

    @property
    def format_key(self) -> str:
        return self.fixed_format or self.cleaned_data["format"]


class TableMappingForm(forms.Form):
    """Step 2: the stored upload (by its SHA-256), one column per field of the format, its options.

    Fields are named ``map_<field>`` and ``opt_<option>`` so a format's field can never shadow the form's
    own inputs.
    """

    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    file_name = forms.CharField(widget=forms.HiddenInput, max_length=255)
    format = forms.CharField(widget=forms.HiddenInput, max_length=40)
    force = forms.BooleanField(
        label=_("Importera ändå"),
        required=False,
        help_text=_("Filen har importerats förut. Kryssa i för att läsa in den igen."),
    )

    def __init__(
        self,
        *args: Any,
        table_format: Any,
        columns: list[str],
        suggested: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.table_format = table_format
        column_choices = [("", _("– ingen kolumn –")), *[(c, c) for c in columns]]
        for fmt_field in table_format.fields:
            self.fields[f"map_{fmt_field.key}"] = forms.ChoiceField(
                label=fmt_field.label,
                choices=column_choices,
                required=fmt_field.required,
                help_text=fmt_field.help_text,
                initial=(suggested or {}).get(fmt_field.key, ""),
            )
        for option in table_format.options:
            self.fields[f"opt_{option.key}"] = forms.CharField(
                label=option.label,
                required=option.required,
                help_text=option.help_text,
                max_length=200,
            )

    def clean_sha256(self) -> str:
        value: str = self.cleaned_data["sha256"]
        if not SHA256_RE.match(value):
            raise forms.ValidationError(_("Ogiltig kontrollsumma för den uppladdade filen."))
        return value

    def mapping_fields(self) -> list[forms.BoundField]:
        return [self[f"map_{f.key}"] for f in self.table_format.fields]

    def option_fields(self) -> list[forms.BoundField]:
        return [self[f"opt_{o.key}"] for o in self.table_format.options]

    @property
    def mapping(self) -> dict[str, str]:
        return {
            f.key: self.cleaned_data[f"map_{f.key}"]
            for f in self.table_format.fields
            if self.cleaned_data.get(f"map_{f.key}")
        }

    @property
    def options(self) -> dict[str, str]:
        return {
            o.key: self.cleaned_data[f"opt_{o.key}"]
            for o in self.table_format.options
            if self.cleaned_data.get(f"opt_{o.key}")
        }
