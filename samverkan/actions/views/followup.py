"""Follow-up pages: the sheet for a meeting, one action's follow-up, "Inför nästa möte" and the plan's grid.

Every member reads; the samordnare rates any action, a polis or ledamot their own organisation's
(``permissions.can_follow_up``). A row of the sheet saves in place (htmx) and falls back to a plain POST.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from samverkan.actions.forms.followup import FollowUpForm
from samverkan.actions.models import Rating
from samverkan.actions.models.followup import RATING_DEFINITIONS
from samverkan.actions.selectors import flags as flag_selectors
from samverkan.actions.selectors import followup as followup_selectors
from samverkan.actions.selectors.sheet import SheetFilter, SheetRow, sheet_page, sheet_row
from samverkan.actions.services.followup import followup_record
from samverkan.actions.views.sheet import Labels, grid_rows_html, render_row, sheet_links
from samverkan.core import selectors as core_selectors
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.years import outside_years


def ratings() -> list[dict[str, str]]:
    """The scale with domain.md's definitions, shown beside every choice (the meeting mode's form)."""
    return [
        {"value": r.value, "label": str(r.label), "definition": str(RATING_DEFINITIONS[r])} for r in Rating
    ]


def _day(raw: str) -> dt.date:
    """A follow-up day from the query or the form: today when absent, unreadable, outside the product's
    years or in the future (the form then says so beside the date, the service refuses it)."""
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return timezone.localdate()
    if outside_years(day) or day > timezone.localdate():
        return timezone.localdate()
    return day


def _form(row: SheetRow, day: dt.date, data: Any = None) -> FollowUpForm:
    return FollowUpForm(
        data,
        prefix=f"a{row.action.pk}",
        indicators=row.indicators,
        current=row.current,
        level=row.action.level,
        initial={"followed_up_on": day},
    )


@login_required
def followup_sheet(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    """The actions due for follow-up on a day, a page at a time, narrowed to a focus area or an actor."""
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    day = _day(request.GET.get("datum", ""))
    page = sheet_page(request.user, collaboration, day, SheetFilter.from_query(request.GET))
    labels, csrf_token = Labels.current(), get_token(request)
    rows = [
        render_row(row, collaboration_id=collaboration.pk, day=day, labels=labels, csrf_token=csrf_token)
        for row in page.rows
    ]
    large = request.GET.get("storlek") == "stor"
    return render(
        request,
        "actions/sheet.html",
        {
            "collaboration": collaboration,
            "day": day,
            "sheet": page,
            "rows": rows,
            "definitions": labels.definitions_html(),
            "large": large,
            **sheet_links(page, day=day, large=large),
        },
    )


@login_required
def followup_action(request: AuthenticatedRequest, collaboration_id: int, action_id: int) -> HttpResponse:
    """One action's follow-up: its history and the form (the phone-sized page); the sheet's rows post here."""
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    action = followup_selectors.get_action(request.user, collaboration, action_id)
    is_htmx = request.headers.get("HX-Request") == "true"
    day = _day(request.GET.get("datum", ""))
    if request.method == "POST":
        posted = request.POST.get(f"a{action.pk}-followed_up_on", "")
        if posted:
            day = _day(posted)
    row = sheet_row(request.user, action, day)
    form: FollowUpForm | None = None
    saved, conflict_html, status = False, "", 200
    if request.method == "POST":
        if not row.can_edit:
            raise PermissionDenied
        form = _form(row, day, data=request.POST)
        if form.is_valid():
            try:
                done = followup_record(action=action, acting_user=request.user, **form.service_arguments())
            except ValidationError as error:
                apply_service_errors(form, error)
                status = 422
            except EditConflict as conflict:
                context = conflict_context(form, conflict)
                hint = _("Din bedömning finns kvar i formuläret: spara igen om den ska gälla.")
                conflict_html = render_to_string(
                    "core/_conflict.html", {**context, "hint": hint}, request=request
                )
                status = 409
            else:
                if not is_htmx:
                    messages.success(
                        request, _("Uppföljningen av ”%(action)s” är sparad.") % {"action": action}
                    )
                    return redirect(
                        reverse("actions:followup_sheet", args=[collaboration.pk])
                        + "?"
                        + urlencode({"datum": done.followed_up_on.isoformat(), "atgard": str(action.pk)})
                        + f"#atgard-{action.pk}"
                    )
                day = done.followed_up_on
                row = sheet_row(request.user, action, day)
                form, saved = None, True
        else:
            status = 422
    row_html = render_row(
        row,
        collaboration_id=collaboration.pk,
        day=day,
        labels=Labels.current(),
        csrf_token=get_token(request),
        form=form,
        saved=saved,
        conflict_html=conflict_html,
    )
    if is_htmx:
        return HttpResponse(row_html, status=status)
    history = followup_selectors.action_history(request.user, action)
    context = {
        "collaboration": collaboration,
        "row": row,
        "row_html": row_html,
        "history": history,
        "day": day,
    }
    return render(request, "actions/followup_action.html", context, status=status)


@login_required
def followup_flags(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    """Inför nästa möte: the actions that are escalated, red, overdue or never followed up."""
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    flags = flag_selectors.flags_for_collaboration(request.user, collaboration)
    return render(
        request,
        "actions/followup_flags.html",
        {
            "collaboration": collaboration,
            "flags": flags,
            "never_days": flag_selectors.NEVER_FOLLOWED_UP_DAYS,
        },
    )


@login_required
def followup_grid(request: AuthenticatedRequest, collaboration_id: int, plan_id: int) -> HttpResponse:
    """The plan's last follow-ups: actions × dates, each cell a rating in shape, letter and word."""
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    plan = followup_selectors.get_plan(request.user, collaboration, plan_id)
    grid = followup_selectors.plan_grid(request.user, plan, page=request.GET.get("sida"))
    return render(
        request,
        "actions/followup_grid.html",
        {"collaboration": collaboration, "grid": grid, "rows_html": grid_rows_html(grid, collaboration.pk)},
    )


FOLLOWUP = "samverkan/<int:collaboration_id>/uppfoljning/"

urlpatterns: list[URLPattern] = [
    path(FOLLOWUP, followup_sheet, name="followup_sheet"),
    path(FOLLOWUP + "infor-nasta-mote/", followup_flags, name="followup_flags"),
    path(FOLLOWUP + "atgard/<int:action_id>/", followup_action, name="followup_action"),
    path(FOLLOWUP + "plan/<int:plan_id>/", followup_grid, name="followup_grid"),
]
