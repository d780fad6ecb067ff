"""The action plan to and from Excel: XLSX and CSV downloads, and the import with its mapping preview.

Each view: scoped fetch (selectors) → form → service → redirect/render. Every member who may read the plan
downloads what they may read of it; the samordnare imports.
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from samverkan.actions import excel
from samverkan.actions.forms.excel import PlanMappingForm, PlanUploadForm
from samverkan.actions.models import ActionPlan
from samverkan.actions.selectors.excel import plan_sheet
from samverkan.actions.selectors.plan import get_plan_for_user
from samverkan.actions.services.plan_import import ImportResult, plan_import, preview_plan_file
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.exports.xlsx import xlsx_response
from samverkan.core.http import AuthenticatedRequest
from samverkan.indicators import uploads
from samverkan.indicators.limits import TABLE, ImportFileError
from samverkan.indicators.tables import TableImportError


@login_required
def plan_xlsx(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    plan = get_plan_for_user(request.user, collaboration, plan_id)
    data = plan_sheet(plan, user=request.user)
    return xlsx_response(excel.build_workbook(data), excel.export_filename(data, "xlsx"))


@login_required
def plan_csv(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    plan = get_plan_for_user(request.user, collaboration, plan_id)
    data = plan_sheet(plan, user=request.user)
    response = HttpResponse(excel.build_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{excel.export_filename(data, "csv")}"'
    return response


def _plan_for_import(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> ActionPlan:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_action_plan
    )
    return get_plan_for_user(request.user, collaboration, plan_id)


def _page(request: AuthenticatedRequest, plan: ActionPlan, context: dict, status: int = 200) -> HttpResponse:
    return render(
        request,
        "actions/plan_import.html",
        {"collaboration": plan.collaboration, "plan": plan, **context},
        status=status,
    )


@login_required
@uploads.size_checked(TABLE)
def plan_import_upload(
    request: AuthenticatedRequest, collaboration_id: int, plan_id: int, refused: str = ""
) -> HttpResponse:
    plan = _plan_for_import(request, collaboration_id, plan_id)
    if refused:
        return _page(request, plan, {"upload_form": PlanUploadForm.refused(refused)}, status=413)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        file_name = os.path.basename(upload.name or "fil")[:255]
        try:
            preview = preview_plan_file(upload.file, file_name)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            sha256 = uploads.store(upload.file)
            mapping_form = PlanMappingForm(
                columns=preview.columns,
                suggested=preview.mapping,
                initial={"sha256": sha256, "file_name": file_name, "format": "atgardsplan"},
            )
            return _page(request, plan, {"preview": preview, "form": mapping_form, "file_name": file_name})
    status = 422 if request.method == "POST" else 200
    return _page(request, plan, {"upload_form": form}, status=status)


@login_required
def plan_import_confirm(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    plan = _plan_for_import(request, collaboration_id, plan_id)
    if request.method != "POST":
        return redirect("actions:plan_import", collaboration_id=plan.collaboration_id, plan_id=plan.pk)
    sha256 = request.POST.get("sha256", "")
    file_name = os.path.basename(request.POST.get("file_name", ""))[:255] or "fil"
    if "cancel" in request.POST:
        uploads.forget(sha256)
        messages.info(request, _("Importen är avbruten och den uppladdade filen borttagen."))
        return redirect("actions:plan_detail", collaboration_id=plan.collaboration_id, plan_id=plan.pk)
    try:
        stored = uploads.path(sha256)
        preview = preview_plan_file(stored, file_name)
    except ImportFileError as error:
        return _file_error(request, plan, str(error), sha256)
    form = PlanMappingForm(request.POST, columns=preview.columns, suggested=preview.mapping)
    context = {"preview": preview, "form": form, "file_name": file_name}
    if not form.is_valid():
        return _page(request, plan, context, status=422)
    try:
        result = plan_import(
            plan=plan,
            source=stored,
            file_name=file_name,
            acting_user=request.user,
            mapping=form.mapping,
            default_no_analysis_reason=form.cleaned_data.get("default_no_analysis_reason", ""),
        )
    except TableImportError as error:
        return _page(request, plan, {**context, "row_errors": error.errors}, status=422)
    except ImportFileError as error:
        return _file_error(request, plan, str(error), sha256)
    uploads.forget(sha256)
    messages.success(request, _summary(result))
    return redirect("actions:plan_detail", collaboration_id=plan.collaboration_id, plan_id=plan.pk)


def _summary(result: ImportResult) -> str:
    if not result.changed:
        return _("Filen är inläst. Ingenting skilde sig från planen, så ingenting ändrades.")
    return _(
        "Filen är inläst: %(created)d nya och %(updated)d ändrade åtgärder (%(unchanged)d oförändrade), "
        "%(f_created)d nya och %(f_updated)d ändrade uppföljningar."
    ) % {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "f_created": result.followups_created,
        "f_updated": result.followups_updated,
    }


def _file_error(request: AuthenticatedRequest, plan: ActionPlan, message: str, sha256: str) -> HttpResponse:
    uploads.forget(sha256)
    form = PlanUploadForm.refused(message)
    return _page(request, plan, {"upload_form": form}, status=422)


PLAN = "samverkan/<int:collaboration_id>/atgardsplan/<int:plan_id>/"

urlpatterns: list[URLPattern] = [
    path(PLAN + "excel/", plan_xlsx, name="plan_xlsx"),
    path(PLAN + "csv/", plan_csv, name="plan_csv"),
    path(PLAN + "import/", plan_import_upload, name="plan_import"),
    path(PLAN + "import/bekrafta/", plan_import_confirm, name="plan_import_confirm"),
]
