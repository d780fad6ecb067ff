"""Pages of the yearly evaluation (samordnare writes and approves; members read at their level) and of the
report-back between groups. Thin: scoped fetch → form → service → redirect/render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.selectors import get_collaboration_for_user
from samverkan.meetings.models import Meeting
from samverkan.meetings.selectors.minutes import get_minutes_meeting
from samverkan.reports import exports, selectors
from samverkan.reports.forms import ApproveForm, SectionsForm, YearForm
from samverkan.reports.models import SECTIONS, Evaluation, EvaluationVersion
from samverkan.reports.permissions import can_edit_evaluation, can_release_public_evaluation
from samverkan.reports.services import evaluation as services
from samverkan.reports.services.next_plan import next_plan_start
from samverkan.reports.services.report_back import report_back, report_back_carry

EVALUATIONS = "samverkan/<int:collaboration_id>/utvardering/"
EVALUATION = EVALUATIONS + "<int:year>/"
VERSION = EVALUATION + "version/<int:number>/"
REPORT_BACK = EVALUATIONS + "aterrapport/<int:meeting_id>/"


def _by_field(error: ValidationError) -> dict[str | None, list[str]]:
    """A refusal's messages by field (None: the form as a whole)."""
    if hasattr(error, "error_dict"):
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {None: list(error.messages)}


def _refusal(request: AuthenticatedRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(error) if error.args else _("Du får inte göra det här."))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = get_collaboration_for_user(request.user, collaboration_id)
    form = YearForm(request.POST or None)
    if request.method == "POST":
        if not can_edit_evaluation(request.user, collaboration):
            raise PermissionDenied
        if form.is_valid():
            try:
                version = services.evaluation_create(
                    collaboration=collaboration, year=form.cleaned_data["year"], acting_user=request.user
                )
            except ValidationError as error:
                for messages_of_field in _by_field(error).values():
                    for message in messages_of_field:
                        form.add_error("year", message)
            else:
                messages.success(request, _("Utvärderingen är skapad med årets fakta."))
                return redirect(_detail_url(version.evaluation))
    context = {
        "collaboration": collaboration,
        "evaluations": selectors.evaluation_list(user=request.user, collaboration=collaboration),
        "form": form,
        "can_edit": can_edit_evaluation(request.user, collaboration),
    }
    return render(request, "reports/evaluation_list.html", context, status=422 if form.errors else 200)


def _detail_url(evaluation: Evaluation) -> str:
    return reverse("reports:evaluation_detail", args=[evaluation.collaboration_id, evaluation.year])


def _sections_form(version: EvaluationVersion, data: Any = None) -> SectionsForm:
    initial: dict[str, Any] = {"version": version.version}
    for name in SECTIONS:
        initial[name] = getattr(version, name)
        initial[f"{name}_level"] = version.section_level(name)
    return SectionsForm(data, initial=initial)


def _meetings(evaluation: Evaluation) -> list[Meeting]:
    return selectors.approval_meetings(evaluation)


def _detail_context(
    request: AuthenticatedRequest, evaluation: Evaluation, version: EvaluationVersion, **extra: Any
) -> dict[str, Any]:
    can_edit = can_edit_evaluation(request.user, evaluation.collaboration)
    return {
        "collaboration": evaluation.collaboration,
        "evaluation": evaluation,
        "version": version,
        "versions": list(evaluation.versions.order_by("-number")),
        "document": selectors.evaluation_document(version, user=request.user),
        "can_edit": can_edit and not version.locked,
        "can_approve": can_edit and not version.locked,
        "can_new_version": can_edit and version.locked and version == selectors.latest_version(evaluation),
        "can_release": version.locked
        and version.public_released_at is None
        and can_release_public_evaluation(request.user, version),
        "can_start_plan": can_edit and version.locked,
        "form": extra.pop("form", None)
        or (_sections_form(version) if can_edit and not version.locked else None),
        "approve_form": ApproveForm(meetings=_meetings(evaluation))
        if can_edit and not version.locked
        else None,
        **extra,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation_detail(request: AuthenticatedRequest, collaboration_id: int, year: int) -> HttpResponse:
    collaboration = get_collaboration_for_user(request.user, collaboration_id)
    evaluation = selectors.get_evaluation(user=request.user, collaboration=collaboration, year=year)
    version = selectors.latest_version(evaluation)
    if request.method == "POST":
        return _act(request, evaluation, version)
    return render(request, "reports/evaluation_detail.html", _detail_context(request, evaluation, version))


def _act(request: AuthenticatedRequest, evaluation: Evaluation, version: EvaluationVersion) -> HttpResponse:
    action = request.POST.get("action", "")
    if action != "release" and not can_edit_evaluation(request.user, evaluation.collaboration):
        raise PermissionDenied
    try:
        if action == "save":
            form = _sections_form(version, request.POST)
            if not form.is_valid():
                context = _detail_context(request, evaluation, version, form=form)
                return render(request, "reports/evaluation_detail.html", context, status=422)
            data = dict(form.cleaned_data)
            expected = data.pop("version")
            try:
                services.sections_save(
                    version=version, acting_user=request.user, expected_version=expected, **data
                )
            except EditConflict as conflict:
                extra = conflict_context(form, conflict)
                context = _detail_context(request, evaluation, version, form=form, **extra)
                return render(request, "reports/evaluation_detail.html", context, status=409)
            except ValidationError as error:
                for field, errors in _by_field(error).items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
                context = _detail_context(request, evaluation, version, form=form)
                return render(request, "reports/evaluation_detail.html", context, status=422)
            messages.success(request, _("Texterna är sparade."))
        elif action == "refresh":
            services.facts_refresh(version=version, acting_user=request.user)
            messages.success(request, _("Faktan är hämtad på nytt."))
        elif action == "approve":
            approve_form = ApproveForm(request.POST, meetings=_meetings(evaluation))
            if not approve_form.is_valid():
                raise ValidationError(_("Kontrollera mötet och beslutets nummer."))
            chosen = approve_form.cleaned_data["meeting"]
            services.version_approve(
                version=version,
                acting_user=request.user,
                meeting=approve_form.meetings.get(chosen) if chosen else None,
                decision=approve_form.cleaned_data["decision"] or "",
            )
            messages.success(request, _("Gruppens godkännande är registrerat och versionen är låst."))
        elif action == "new_version":
            services.version_new(evaluation=evaluation, acting_user=request.user)
            messages.success(request, _("En ny version är skapad. Den godkända versionen är oförändrad."))
        elif action == "release":
            services.public_release(version=version, acting_user=request.user)
            messages.success(request, _("Den offentliga versionen visas nu på de offentliga sidorna."))
        elif action == "next_plan":
            plan = next_plan_start(version=version, acting_user=request.user)
            messages.success(request, _("Ett utkast till nästa års åtgärdsplan är skapat."))
            return redirect("actions:plan_detail", evaluation.collaboration_id, plan.pk)
        else:
            raise ValidationError(_("Okänd åtgärd."))
    except (ValidationError, PermissionDenied) as error:
        _refusal(request, error)
        return render(
            request,
            "reports/evaluation_detail.html",
            _detail_context(request, evaluation, version),
            status=422 if isinstance(error, ValidationError) else 403,
        )
    return redirect(_detail_url(evaluation))


def _document(
    request: AuthenticatedRequest, collaboration_id: int, year: int, number: int
) -> selectors.EvaluationDocument:
    collaboration = get_collaboration_for_user(request.user, collaboration_id)
    evaluation = selectors.get_evaluation(user=request.user, collaboration=collaboration, year=year)
    version = selectors.get_version(evaluation, number)
    public = request.GET.get("oppen") == "1"
    return selectors.evaluation_document(version, user=request.user, public=public)


@login_required
@require_safe
def version_detail(
    request: AuthenticatedRequest, collaboration_id: int, year: int, number: int
) -> HttpResponse:
    document = _document(request, collaboration_id, year, number)
    return render(
        request,
        "reports/version_detail.html",
        {"collaboration": document.collaboration, "evaluation": document.evaluation, "document": document},
    )


@login_required
@require_safe
def version_pdf(request: AuthenticatedRequest, collaboration_id: int, year: int, number: int) -> HttpResponse:
    return exports.evaluation_pdf_response(request, _document(request, collaboration_id, year, number))


@login_required
@require_safe
def version_docx(
    request: AuthenticatedRequest, collaboration_id: int, year: int, number: int
) -> HttpResponse:
    return exports.evaluation_docx_response(_document(request, collaboration_id, year, number))


@login_required
@require_safe
def version_xlsx(
    request: AuthenticatedRequest, collaboration_id: int, year: int, number: int
) -> HttpResponse:
    return exports.evaluation_xlsx_response(_document(request, collaboration_id, year, number))


def _report_meeting(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> Meeting:
    get_collaboration_for_user(request.user, collaboration_id)
    meeting = get_minutes_meeting(request.user, meeting_id)
    if meeting.collaboration_id != collaboration_id:
        from django.http import Http404

        raise Http404
    return meeting


@login_required
@require_safe
def report_back_detail(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    meeting = _report_meeting(request, collaboration_id, meeting_id)
    context = {
        "collaboration": meeting.collaboration,
        "report": report_back(request.user, meeting),
        "can_carry": can_edit_evaluation(request.user, meeting.collaboration)
        and meeting.linked_meeting_id is not None,
    }
    return render(request, "reports/report_back.html", context)


@login_required
@require_safe
def report_back_pdf(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    from samverkan.core.exports.pdf import pdf_response

    meeting = _report_meeting(request, collaboration_id, meeting_id)
    return pdf_response(
        request,
        template="reports/report_back_pdf.html",
        context={
            "collaboration": meeting.collaboration,
            "report": report_back(request.user, meeting),
            "printing": True,
        },
        filename=f"aterrapport-{meeting.starts_at:%Y-%m-%d}.pdf",
        unavailable_template="reports/pdf_unavailable.html",
    )


@login_required
@require_POST
def report_back_carry_view(
    request: AuthenticatedRequest, collaboration_id: int, meeting_id: int
) -> HttpResponse:
    meeting = _report_meeting(request, collaboration_id, meeting_id)
    if not can_edit_evaluation(request.user, meeting.collaboration):
        raise PermissionDenied
    try:
        report_back_carry(meeting=meeting, acting_user=request.user)
    except (ValidationError, PermissionDenied) as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Återrapporten är förd till det kopplade mötets dagordning."))
    return redirect("reports:report_back", collaboration_id, meeting_id)


urlpatterns: list[URLPattern] = [
    path(EVALUATIONS, evaluation_list, name="evaluation_list"),
    path(EVALUATION, evaluation_detail, name="evaluation_detail"),
    path(VERSION, version_detail, name="version_detail"),
    path(VERSION + "pdf/", version_pdf, name="version_pdf"),
    path(VERSION + "docx/", version_docx, name="version_docx"),
    path(VERSION + "xlsx/", version_xlsx, name="version_xlsx"),
    path(REPORT_BACK, report_back_detail, name="report_back"),
    path(REPORT_BACK + "pdf/", report_back_pdf, name="report_back_pdf"),
    path(REPORT_BACK + "for-vidare/", report_back_carry_view, name="report_back_carry"),
]
