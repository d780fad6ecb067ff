"""Imports of statistics files: the data steward's national imports and the samordnare's own series.

A table import takes two requests: the upload shows a preview with a column mapping, the confirmation
imports. Between them the bytes wait in ``VAR_DIR/uploads/<sha256>``; the form carries only the hash and
the file name (never the bytes, never the session). Every service is atomic: an error writes nothing.
A body larger than the upload's limit is refused before it is read (``_size_checked``), a file that fails
the preview is never kept, and a kept one is removed when it is imported, cancelled or found unreadable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.indicators import selectors, uploads
from samverkan.indicators.forms import (
    PoliceEventsUploadForm,
    TableMappingForm,
    TableUploadForm,
)
from samverkan.indicators.limits import POLICE, TABLE
from samverkan.indicators.models import ImportRun
from samverkan.indicators.services.police_events import (
    DuplicateImportError,
    ImportFileError,
    import_police_events,
)
from samverkan.indicators.services.table_import import import_table
from samverkan.indicators.tables import FORMATS, TableImportError, TablePreview, preview_table

RECENT_RUNS = 50
SERIES_FORMAT = "series"
DELIMITER_NAMES = {",": "komma", ";": "semikolon", "\t": "tabb", "|": "lodstreck"}


# --- the two flows: steward (any format) and samordnare (series, own kommuner) ---------------------------


@dataclass(frozen=True)
class Flow:
    """What differs between the steward's import and the samordnare's series import."""

    confirm_url: str
    start_url: str
    base_template: str
    collaboration: Collaboration | None = None
    fixed_format: str | None = None
    allowed_kommuner: frozenset[str] | None = None

    def report_url(self, run: ImportRun) -> str:
        if self.collaboration is not None:
            return reverse("indicators:series_import_detail", args=[self.collaboration.pk, run.pk])
        return reverse("indicators:import_detail", args=[run.pk])

    def context(self) -> dict[str, Any]:
        return {
            "flow": self,
            "base_template": self.base_template,
            "collaboration": self.collaboration,
        }


def _steward_flow(request: AuthenticatedRequest) -> Flow:
    if not permissions.can_import_statistics(request.user):
        raise Http404
    return Flow(
        confirm_url=reverse("indicators:table_confirm"),
        start_url=reverse("indicators:import_list"),
        base_template="base.html",
    )


def _series_flow(request: AuthenticatedRequest, collaboration_id: int) -> Flow:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_import_series
    )
    return Flow(
        confirm_url=reverse("indicators:series_import_confirm", args=[collaboration.pk]),
        start_url=reverse("indicators:series_import", args=[collaboration.pk]),
        base_template="core/collaboration_base.html",
        collaboration=collaboration,
        fixed_format=SERIES_FORMAT,
        allowed_kommuner=frozenset(collaboration.kommuner.values_list("kod", flat=True)),
    )


def _preview_response(
    request: AuthenticatedRequest,
    flow: Flow,
    *,
    preview: TablePreview,
    form: TableMappingForm,
    file_name: str,
    status: int = 200,
    row_errors: list[Any] | None = None,
    duplicate: DuplicateImportError | None = None,
) -> HttpResponse:
    table_format = form.table_format
    return render(
        request,
        "indicators/import_preview.html",
        {
            **flow.context(),
            "preview": preview,
            "delimiter_name": DELIMITER_NAMES.get(preview.delimiter, preview.delimiter),
            "form": form,
            "table_format": table_format,
            "file_name": file_name,
            "row_errors": row_errors or [],
            "duplicate": duplicate,
        },
        status=status,
    )


def _mapping_form(
    preview: TablePreview, format_key: str, sha256: str, file_name: str, data: Any = None
) -> TableMappingForm:
    return TableMappingForm(
        data,
        table_format=FORMATS[format_key],
        columns=preview.columns,
        suggested=preview.suggested_mapping,
        initial={"sha256": sha256, "file_name": file_name, "format": format_key},
    )


def _upload_table(request: AuthenticatedRequest, flow: Flow, form: TableUploadForm) -> HttpResponse | None:
    """Preview a valid upload and keep it for the confirmation; None when it is refused (the caller re-shows
    the form). A refused file is never kept: Django removes its temporary copy when the request ends."""
    if not form.is_valid():
        return None
    upload = form.cleaned_data["file"]
    file_name = os.path.basename(upload.name or "fil")[:255]
    try:
        preview = preview_table(upload.file, file_name, form.format_key)
    except ImportFileError as error:
        form.add_error("file", str(error))
        return None
    sha256 = uploads.store(upload.file)
    mapping_form = _mapping_form(preview, form.format_key, sha256, file_name)
    return _preview_response(request, flow, preview=preview, form=mapping_form, file_name=file_name)


def _confirm_table(request: AuthenticatedRequest, flow: Flow) -> HttpResponse:
    """Import the stored upload with the chosen mapping, or show the preview again with what went wrong.

    Cancelling, or a file that turns out unreadable, removes the stored upload at once; row errors and a
    duplicate keep it, since the same page offers to correct the mapping or import anyway."""
    format_key = flow.fixed_format or request.POST.get("format", "")
    sha256 = request.POST.get("sha256", "")
    file_name = os.path.basename(request.POST.get("file_name", ""))[:255] or "fil"
    if "cancel" in request.POST:
        uploads.forget(sha256)
        messages.info(request, _("Importen är avbruten och den uppladdade filen borttagen."))
        return redirect(flow.start_url)
    if format_key not in FORMATS:
        return _file_error(request, flow, _("Okänt tabellformat."), sha256)
    try:
        stored = uploads.path(sha256)
        preview = preview_table(stored, file_name, format_key)
    except ImportFileError as error:
        return _file_error(request, flow, str(error), sha256)
    form = _mapping_form(preview, format_key, sha256, file_name, data=request.POST)
    if not form.is_valid():
        return _preview_response(request, flow, preview=preview, form=form, file_name=file_name, status=422)
    try:
        run = import_table(
            data=stored,
            file_name=file_name,
            format_key=format_key,
            mapping=form.mapping,
            options=form.options,
            user=request.user,
            allowed_kommuner=set(flow.allowed_kommuner) if flow.allowed_kommuner is not None else None,
            force=form.cleaned_data.get("force", False),
        )
    except TableImportError as error:
        return _preview_response(
            request,
            flow,
            preview=preview,
            form=form,
            file_name=file_name,
            status=422,
            row_errors=error.errors,
        )
    except DuplicateImportError as error:
        return _preview_response(
            request, flow, preview=preview, form=form, file_name=file_name, status=409, duplicate=error
        )
    except ImportFileError as error:
        return _file_error(request, flow, str(error), sha256)
    uploads.forget(sha256)
    messages.success(request, _("Filen är importerad."))
    return redirect(flow.report_url(run))


def _file_error(request: AuthenticatedRequest, flow: Flow, message: str, sha256: str) -> HttpResponse:
    """The file cannot be imported at all: say why, and remove the stored upload."""
    uploads.forget(sha256)
    return render(
        request,
        "indicators/import_file_error.html",
        {**flow.context(), "message": message},
        status=400,
    )


# --- the steward's pages -------------------------------------------------------------------------------


def _import_list_response(
    request: AuthenticatedRequest,
    *,
    police_form: PoliceEventsUploadForm | None = None,
    table_form: TableUploadForm | None = None,
    police_duplicate: DuplicateImportError | None = None,
    status: int = 200,
) -> HttpResponse:
    runs = selectors.recent_import_runs(RECENT_RUNS)
    return render(
        request,
        "indicators/import_list.html",
        {
            "runs": runs,
            "police_form": police_form or PoliceEventsUploadForm(),
            "table_form": table_form or TableUploadForm(),
            "police_duplicate": police_duplicate,
            "formats": FORMATS.values(),
        },
        status=status,
    )


@login_required
@require_GET
def import_list(request: AuthenticatedRequest) -> HttpResponse:
    _steward_flow(request)
    return _import_list_response(request)


@login_required
@require_POST
@uploads.size_checked(POLICE)
def police_events_upload(request: AuthenticatedRequest, refused: str = "") -> HttpResponse:
    _steward_flow(request)
    if refused:
        return _import_list_response(request, police_form=PoliceEventsUploadForm.refused(refused), status=413)
    form = PoliceEventsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_list_response(request, police_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        run = import_police_events(
            upload.file,
            file_name=os.path.basename(upload.name or "fil"),
            acting_user=request.user,
            allow_duplicate=form.cleaned_data["force"],
        )
    except DuplicateImportError as error:
        return _import_list_response(request, police_form=form, police_duplicate=error, status=409)
    except ImportFileError as error:
        form.add_error("file", str(error))
        return _import_list_response(request, police_form=form, status=400)
    messages.success(request, _("Polisens händelser är importerade."))
    return redirect("indicators:import_detail", import_id=run.pk)


@login_required
@require_POST
@uploads.size_checked(TABLE)
def table_upload(request: AuthenticatedRequest, refused: str = "") -> HttpResponse:
    flow = _steward_flow(request)
    if refused:
        return _import_list_response(request, table_form=TableUploadForm.refused(refused), status=413)
    form = TableUploadForm(request.POST, request.FILES)
    response = _upload_table(request, flow, form)
    return response or _import_list_response(request, table_form=form, status=400)


@login_required
@require_POST
def table_confirm(request: AuthenticatedRequest) -> HttpResponse:
    return _confirm_table(request, _steward_flow(request))


@login_required
@require_GET
def import_detail(request: AuthenticatedRequest, import_id: int) -> HttpResponse:
    flow = _steward_flow(request)
    run = selectors.get_import_run(import_id)
    return _report_response(request, flow, run)


def _report_response(request: AuthenticatedRequest, flow: Flow, run: ImportRun) -> HttpResponse:
    counts = run.counts or {}
    return render(
        request,
        "indicators/import_detail.html",
        {
            **flow.context(),
            "run": run,
            "counts": counts,
            "count_rows": [
                (_("Rader"), counts.get("lines", 0)),
                (_("Nya"), counts.get("imported", 0)),
                (_("Ändrade"), counts.get("updated", 0)),
                (_("Oförändrade"), counts.get("unchanged", 0)),
                (_("Överhoppade"), counts.get("skipped", 0)),
                (_("Flaggade"), counts.get("flagged", 0)),
            ],
            "skipped_reasons": list((counts.get("skipped_reasons") or {}).items()),
            "skipped_rows": counts.get("skipped_rows") or [],
            "flagged_rows": counts.get("flagged_rows") or [],
            "options": run.options or {},
        },
    )


# --- the samordnare's series import ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@uploads.size_checked(TABLE)
def series_import(request: AuthenticatedRequest, collaboration_id: int, refused: str = "") -> HttpResponse:
    flow = _series_flow(request, collaboration_id)
    if refused:
        form = TableUploadForm.refused(refused, fixed_format=SERIES_FORMAT)
    else:
        form = TableUploadForm(request.POST or None, request.FILES or None, fixed_format=SERIES_FORMAT)
    if request.method == "POST" and not refused:
        response = _upload_table(request, flow, form)
        if response is not None:
            return response
    return render(
        request,
        "indicators/series_import.html",
        {**flow.context(), "form": form, "table_format": FORMATS[SERIES_FORMAT]},
        status=413 if refused else 400 if form.errors else 200,
    )


@login_required
@require_POST
def series_import_confirm(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    return _confirm_table(request, _series_flow(request, collaboration_id))


@login_required
@require_GET
def series_import_detail(
    request: AuthenticatedRequest, collaboration_id: int, import_id: int
) -> HttpResponse:
    """The report of an import this user made (the steward sees every report on the national page)."""
    flow = _series_flow(request, collaboration_id)
    run = selectors.get_import_run(import_id, by_user=request.user)
    return _report_response(request, flow, run)


urlpatterns: list[URLPattern] = [
    path("statistik/importer/", import_list, name="import_list"),
    path("statistik/importer/polisens-handelser/", police_events_upload, name="police_events_upload"),
    path("statistik/importer/tabell/", table_upload, name="table_upload"),
    path("statistik/importer/tabell/bekrafta/", table_confirm, name="table_confirm"),
    path("statistik/importer/<int:import_id>/", import_detail, name="import_detail"),
    path("samverkan/<int:collaboration_id>/statistik/importera/", series_import, name="series_import"),
    path(
        "samverkan/<int:collaboration_id>/statistik/importera/bekrafta/",
        series_import_confirm,
        name="series_import_confirm",
    ),
    path(
        "samverkan/<int:collaboration_id>/statistik/importera/<int:import_id>/",
        series_import_detail,
        name="series_import_detail",
    ),
]
