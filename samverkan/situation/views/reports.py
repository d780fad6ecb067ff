"""Reports: one per organisation per round, on a form that saves drafts as you type (htmx).

Every member reads reports (answers through the visibility rule); writers report for their own
organisation (the samordnare for any asked one) until the round closes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import permissions
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import LEVEL_HELP, Collaboration, Level, Role
from samverkan.core.models.confidentiality import DEFAULT_RESTRICTED_TO
from samverkan.situation.forms.report_html import opened_form, render_layout
from samverkan.situation.forms.rounds import (
    ReportForm,
    ReportStartForm,
)
from samverkan.situation.models import STATUS_MEANING, Report, Round
from samverkan.situation.selectors import rounds as selectors
from samverkan.situation.services import rounds as services
from samverkan.situation.views._rounds_common import (
    REPORT,
    ROUND,
    scoped_collaboration,
)

# --- Reports ------------------------------------------------------------------------------------------


@login_required
def report_start(request: AuthenticatedRequest, collaboration_id: int, round_id: int) -> HttpResponse:
    """Choose (or confirm) the organisation to report for; POST opens its report, a new draft the first time."""
    collaboration = scoped_collaboration(request, collaboration_id, permissions.can_report_situation)
    round_ = selectors.get_round_for_user(request.user, collaboration, round_id)
    allowed = services.reporting_organisations(request.user, collaboration)
    organisations = round_.organisations.filter(pk__in=allowed).order_by("name")
    if not organisations.exists():
        raise PermissionDenied
    form = ReportStartForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_get_or_create(
                round_=round_, organisation=form.cleaned_data["organisation"], acting_user=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(
                "situation:report_edit",
                collaboration_id=collaboration.pk,
                round_id=round_.pk,
                report_id=report.pk,
            )
    return render(
        request,
        "situation/report_start.html",
        {
            "collaboration": collaboration,
            "round": round_,
            "title": selectors.round_title(round_),
            "form": form,
        },
    )


def _report_context(
    request: AuthenticatedRequest, collaboration: Collaboration, round_: Round, report: Report
) -> dict[str, Any]:
    answers, hidden = selectors.report_answers_and_hidden(user=request.user, report=report)
    sections = selectors.template_sections(round_.template)
    return {
        "collaboration": collaboration,
        "round": round_,
        "title": selectors.round_title(round_),
        "report": report,
        "answers": answers,
        "hidden": hidden,
        "sections": sections,
        "answer_sections": [
            (section, [(q, answers.get(q.pk), q.pk in hidden) for q in section.questions.all()])
            for section in sections
        ],
        "status_meaning": STATUS_MEANING,
    }


@login_required
def report_detail(
    request: AuthenticatedRequest, collaboration_id: int, round_id: int, report_id: int
) -> HttpResponse:
    collaboration = scoped_collaboration(request, collaboration_id)
    round_ = selectors.get_round_to_report(request.user, collaboration, round_id)
    report = selectors.get_report_for_user(request.user, round_, report_id)
    context = _report_context(request, collaboration, round_, report)
    context["can_edit"] = round_.is_open and report.organisation_id in services.reporting_organisations(
        request.user, collaboration
    )
    return render(request, "situation/report_detail.html", context)


@login_required
def report_edit(
    request: AuthenticatedRequest, collaboration_id: int, round_id: int, report_id: int
) -> HttpResponse:
    collaboration = scoped_collaboration(request, collaboration_id, permissions.can_report_situation)
    round_ = selectors.get_round_to_report(request.user, collaboration, round_id)
    report = selectors.get_report_for_user(request.user, round_, report_id)
    if report.organisation_id not in services.reporting_organisations(request.user, collaboration):
        raise PermissionDenied
    context = _report_context(request, collaboration, round_, report)
    if not round_.is_open:
        # The draft is kept as it was; the page shows it read-only with the reason.
        closed = _("Omgången är stängd. Ditt utkast finns kvar men kan inte längre ändras.")
        if request.htmx:
            return render(request, "situation/report_saved.html", {"errors": [closed]})
        return render(request, "situation/report_detail.html", {**context, "closed_message": closed})
    default_level, _roles = services.default_answer_level(request.user, collaboration)
    page = {
        "place_names": selectors.place_names(collaboration=collaboration),
        "level_help": [(level.value, level.label, LEVEL_HELP[level]) for level in Level],
    }
    if request.method != "POST":
        # The form as it opens: the same markup until an answer is saved (made once per saved state).
        opened = opened_form(
            template=round_.template,
            sections=context["sections"],
            answers=context["answers"],
            hidden=context["hidden"],
            default_level=default_level,
        )
        context.update(
            page,
            form=opened.form,
            layout=opened.layout,
            versions_html=opened.versions_html,
            layout_html=opened.layout_html,
        )
        return render(request, "situation/report_form.html", context)
    form = ReportForm(
        request.POST or None,
        sections=context["sections"],
        answers=context["answers"],
        hidden=context["hidden"],
        default_level=default_level,
    )
    # An error on one answer holds back that answer only (marked in place); the others save.
    form.is_valid()
    saved, stale = _save_report(request, form, report) if not form.non_field_errors() else (False, [])
    if saved:
        answers = selectors.report_answers(user=request.user, report=report)
        form.take_versions(answers, stale, deliberate=not request.htmx)
    if request.htmx:
        return _autosave_status(request, form, report, saved, stale)
    # Each stale answer: both texts beside it, the writer's own text in the field to merge and save.
    conflicts = {
        c.key: conflict_context(form, c, version_field=f"{c.key}_version", error_field=c.key) for c in stale
    }
    done = saved and not form.errors
    if done and request.POST.get("action") == "submit":
        messages.success(request, _("Rapporten är inskickad. Tack!"))
        return redirect("situation:round_detail", collaboration_id=collaboration.pk, round_id=round_.pk)
    if done and request.POST.get("action") == "save":
        messages.success(request, _("Utkastet är sparat."))
        return redirect(request.path)
    layout = form.layout(conflicts)
    context.update(
        page,
        form=form,
        layout=layout,
        layout_html=render_layout(layout),
        error_links=_error_links(form),
        others_saved=saved and bool(form.held_back),
    )
    return render(request, "situation/report_form.html", context, status=409 if conflicts else 200)


def _save_report(
    request: AuthenticatedRequest, form: ReportForm, report: Report
) -> tuple[bool, list[EditConflict]]:
    """Save the draft, then submit if asked: (whether the answers were saved, the answers left in
    conflict). A refused submit or a conflict keeps the saved draft and shows why."""
    role = permissions.role_in(request.user, report.round.collaboration)
    roles = sorted(set(DEFAULT_RESTRICTED_TO.split(",")) | {role or Role.SAMORDNARE})
    stale: list[EditConflict] = []
    refused: dict[str, list[str]] = {}
    try:
        services.report_save(
            report=report,
            answers=form.answers_for_service(begransad_roles=roles, deliberate=not request.htmx),
            acting_user=request.user,
            conflicts=stale,
            refused=refused,
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return False, []
    for name, messages_ in refused.items():
        form.add_error(name if name in form.fields else None, messages_)
    form.held_back = form.refused_questions()
    if stale or request.POST.get("action") != "submit":
        return True, stale
    if form.errors:
        form.add_error(None, _("Utkastet är sparat men inte inskickat. Rätta de markerade svaren först."))
        return True, stale
    try:
        services.report_submit(report=report, acting_user=request.user)
    except ValidationError as error:
        form.add_error(
            None, _("Utkastet är sparat men inte inskickat. Besvara de obligatoriska frågorna först.")
        )
        apply_service_errors(form, error)
    return True, stale


def _error_links(form: ReportForm) -> list[tuple[str, str, str]]:
    """(anchor, question, message) for the error summary: each links to its field."""
    links = []
    for name, errors in form.errors.items():
        if name == "__all__" or name not in form.fields:
            continue
        field = form.fields[name]
        anchor = f"id_{name}_0" if getattr(field.widget, "input_type", "") == "radio" else f"id_{name}"
        for error in errors:
            links.append((anchor, str(field.label), str(error)))
    return links


def _autosave_status(
    request: AuthenticatedRequest, form: ReportForm, report: Report, saved: bool, stale: list[EditConflict]
) -> HttpResponse:
    """The autosave's answer: the status line, and (out of band) the answers' new versions, each
    answer's errors (with its tick box asked for or not) and, beside each answer someone else saved
    meanwhile, both texts. The other answers are saved."""
    if not saved:
        errors = [f"{label}: {message}" for _anchor, label, message in _error_links(form)]
        errors += [str(e) for e in form.non_field_errors()]
        return render(request, "situation/report_saved.html", {"errors": errors})
    report.refresh_from_db()
    by_key = {c.key: c for c in stale}
    return render(
        request,
        "situation/report_saved.html",
        {
            "report": report,
            "saved_at": timezone.localtime(),
            "form": form,
            "stale": [(c, str(form.fields[c.key].label)) for c in stale],
            # Each refused answer: named in the status line (read out), marked beside the answer.
            "refused": _error_links(form),
            "error_slots": [(form[f"q{q.pk}"], form.shows_acknowledgement(q)) for q in form.questions],
            "conflict_slots": [(f"q{q.pk}", by_key.get(f"q{q.pk}")) for q in form.questions],
            "hint": _(
                "Ditt svar står kvar i fältet men är inte sparat. Jämför, ändra om du vill och tryck på "
                "”Spara utkast” för att spara det i stället för det som är sparat nu."
            ),
        },
    )


urlpatterns: list[URLPattern] = [
    path(ROUND + "rapport/", report_start, name="report_start"),
    path(REPORT, report_detail, name="report_detail"),
    path(REPORT + "andra/", report_edit, name="report_edit"),
]
