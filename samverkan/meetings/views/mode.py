"""Meeting mode (mötesläge): the secretary goes through the meeting point by point on one page.

Attendance, each point's notes, proposal and reservations (each saved as you go with htmx), follow-up
ratings through the action plan's form and service, decisions, work orders, the joint picture agreed in
place, and marking a point handled. Attendance, texts, ratings and decisions answer htmx with their own
block (saved, 422 with the problem, 409 with both texts); without JavaScript each form is a plain POST
that comes back to the point at the block's anchor. Large type for a projector;
the previous/next links carry access keys ("," and ".") that no browser menu or screen reader uses.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.actions.forms.followup import FollowUpForm
from samverkan.actions.selectors.followup import get_action
from samverkan.actions.views.followup import ratings
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.meetings.forms.mode import (
    FIELD_LABELS,
    DecisionForm,
    ItemFieldForm,
    WorkOrderForm,
    attendance_entries,
)
from samverkan.meetings.models import AgendaItem, Attendance, Meeting
from samverkan.meetings.selectors import agenda as agenda_selectors
from samverkan.meetings.selectors.meetings import get_meeting, visible_items
from samverkan.meetings.services import meeting_mode as mode_services
from samverkan.meetings.services.agenda import local, meeting_day, minutes_locked
from samverkan.meetings.services.decisions import record_decision


def _meeting(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> Meeting:
    """A meeting the user may read and write the minutes of (404 / 403)."""
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    meeting = get_meeting(request.user, collaboration, meeting_id, shown=True)
    if not permissions.can_write_minutes(request.user, meeting):
        raise PermissionDenied
    return meeting


def _url(meeting: Meeting, item: AgendaItem | None = None, anchor: str = "") -> str:
    url = reverse("meetings:meeting_mode", args=[meeting.collaboration_id, meeting.pk])
    if item is not None:
        url += f"?punkt={item.pk}"
    return url + (f"#{anchor}" if anchor else "")


def _field_html(
    request: AuthenticatedRequest, meeting: Meeting, item: AgendaItem, name: str, **extra: Any
) -> str:
    form = extra.pop("form", None) or ItemFieldForm(
        name=name, initial={"value": getattr(item, name), "version": item.version}
    )
    return render_to_string(
        "meetings/_mode_field.html",
        {
            "meeting": meeting,
            "item": item,
            "name": name,
            "form": form,
            "seen": extra.pop("seen", None) or mode_services.field_hash(getattr(item, name)),
            "locked": extra.pop("locked", False),
            **extra,
        },
        request=request,
    )


def _page(
    request: AuthenticatedRequest, meeting: Meeting, *, status: int = 200, bound: dict[str, Any] | None = None
) -> HttpResponse:
    bound = bound or {}
    items = visible_items(request.user, meeting)
    current = None
    wanted = bound.get("item_id") or request.GET.get("punkt", "")
    for item in items:
        if str(item.pk) == str(wanted):
            current = item
    if current is None and items:
        current = next((i for i in items if not i.handled), items[0])
    index = items.index(current) if current is not None else -1
    locked = minutes_locked(meeting)
    context: dict[str, Any] = {
        "collaboration": meeting.collaboration,
        "meeting": meeting,
        "items": items,
        "item": current,
        "previous": items[index - 1] if index > 0 else None,
        "next": items[index + 1] if 0 <= index < len(items) - 1 else None,
        "position": index + 1,
        "locked": locked,
        "starts": local(meeting.starts_at),
        **_attendance_context(meeting, errors=bound.get("attendance_errors", [])),
    }
    if current is not None:
        context["fields"] = [
            _field_html(
                request,
                meeting,
                current,
                name,
                locked=locked,
                form=bound.get(f"field_{name}"),
                conflict=bound.get(f"conflict_{name}"),
                seen=bound.get(f"seen_{name}"),
            )
            for name in mode_services.MEETING_FIELDS
        ]
        context["decisions"] = agenda_selectors.item_decisions(request.user, current)
        context["decision_form"] = bound.get("decision_form") or DecisionForm()
        context["work_order_form"] = bound.get("work_order_form") or WorkOrderForm(
            organisations=core_selectors.organisation_list(
                user=request.user, collaboration=meeting.collaboration
            )
        )
        context["followups"] = _followup_rows(
            request, meeting, current, bound.get("followup_form"), conflict=bound.get("followup_conflict")
        )
        round_ = agenda_selectors.item_round(current)
        context["round"] = round_
        context["can_agree"] = round_ is not None and permissions.can_edit_joint_picture(
            request.user, meeting.collaboration
        )
        context["ratings"] = ratings()
    return render(request, "meetings/mode.html", context, status=status)


def _followup_rows(
    request: AuthenticatedRequest,
    meeting: Meeting,
    item: AgendaItem,
    bound: FollowUpForm | None,
    *,
    conflict: Any = None,
) -> list[dict[str, Any]]:
    """Per action the point lists (that the user may read): its history and the follow-up form of the
    meeting's day, prefilled with that day's rating if there is one. ``bound`` (with ``conflict``) is the
    form posted for one of them."""
    day = meeting_day(meeting)
    rows = []
    for action, history in agenda_selectors.item_actions(request.user, item):
        current = next((f for f in history if f.followed_up_on == day), None)
        posted = bound is not None and bound.prefix == f"a{action.pk}"
        form = bound if posted else None
        form = form or FollowUpForm(prefix=f"a{action.pk}", current=current, initial={"followed_up_on": day})
        previous = [f for f in history if f.followed_up_on < day]
        rows.append(
            {
                "action": action,
                "history": history,
                "previous": previous[-1] if previous else None,
                "form": form,
                "can_follow_up": permissions.can_follow_up(request.user, action),
                "conflict": conflict if posted else None,
            }
        )
    return rows


def _is_htmx(request: AuthenticatedRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _block(meeting: Meeting, item: AgendaItem | None, **context: Any) -> dict[str, Any]:
    """The context every block of the page needs."""
    return {
        "collaboration": meeting.collaboration,
        "meeting": meeting,
        "item": item,
        "locked": minutes_locked(meeting),
        **context,
    }


def _partial(
    request: AuthenticatedRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return HttpResponse(render_to_string(template, context, request=request), status=status)


def _attendance_context(
    meeting: Meeting, *, errors: list[str] | None = None, saved: str = ""
) -> dict[str, Any]:
    return {
        "attendance": agenda_selectors.attendance(meeting),
        "statuses": Attendance.Status.choices,
        "attendance_errors": errors or [],
        "attendance_saved": saved,
    }


def _posted_item(request: AuthenticatedRequest, meeting: Meeting) -> AgendaItem | None:
    """The point the page showed when the attendance was posted (``punkt``), to come back to it."""
    wanted = request.POST.get("punkt", "")
    return next((i for i in visible_items(request.user, meeting, logged=False) if str(i.pk) == wanted), None)


@login_required
def meeting_mode(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    return _page(request, _meeting(request, collaboration_id, meeting_id))


@login_required
@require_POST
def mode_attendance(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    item = _posted_item(request, meeting)
    try:
        if "prefill" in request.POST:
            from samverkan.meetings.services.agenda import require_editable

            require_editable(request.user, meeting)
            made = mode_services.attendance_prefill(meeting=meeting, acting_user=request.user)
            message = _("%(count)s ledamöter är ifyllda från gruppen.") % {"count": made}
        else:
            rows = agenda_selectors.attendance(meeting)
            mode_services.attendance_set(
                meeting=meeting, entries=attendance_entries(request.POST, rows), acting_user=request.user
            )
            message = _("Närvaron är sparad.")
    except ValidationError as error:
        if _is_htmx(request):
            context = _attendance_context(meeting, errors=error.messages)
            return _partial(request, ATTENDANCE, _block(meeting, item, **context), status=422)
        bound: dict[str, Any] = {"attendance_errors": error.messages}
        if item is not None:
            bound["item_id"] = item.pk
        return _page(request, meeting, status=422, bound=bound)
    if _is_htmx(request):
        context = _attendance_context(meeting, saved=message)
        return _partial(request, ATTENDANCE, _block(meeting, item, **context))
    messages.success(request, message)
    return redirect(_url(meeting, item, anchor="narvaro"))


def _item(request: AuthenticatedRequest, meeting: Meeting, item_id: int) -> AgendaItem:
    return agenda_selectors.get_item(request.user, meeting, item_id, shown=False)


@login_required
@require_POST
def mode_field(
    request: AuthenticatedRequest, collaboration_id: int, meeting_id: int, item_id: int
) -> HttpResponse:
    """Save one text of a point: htmx answers with the field (200, 409 with both texts, 422); a plain
    POST goes back to the point, or shows the page with the field's problem."""
    meeting = _meeting(request, collaboration_id, meeting_id)
    item = _item(request, meeting, item_id)
    name = request.POST.get("field", "")
    if name not in mode_services.MEETING_FIELDS:
        raise PermissionDenied
    is_htmx = request.headers.get("HX-Request") == "true"
    form = ItemFieldForm(request.POST, name=name)
    status, extra = 422, {}
    if form.is_valid():
        try:
            item = mode_services.item_field_save(
                item=item,
                name=name,
                value=form.cleaned_data["value"],
                version=form.cleaned_data.get("version"),
                seen=request.POST.get("seen", "")[:64],
                acting_user=request.user,
            )
        except EditConflict as conflict:
            item.refresh_from_db()
            extra = conflict_context(form, conflict, version_field="version")
            extra["seen"] = mode_services.field_hash(getattr(item, name))
            status = 409
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if not is_htmx:
                messages.success(request, _("%(field)s är sparade.") % {"field": FIELD_LABELS[name]})
                return redirect(_url(meeting, item, anchor=f"falt-{name}"))
            return HttpResponse(_field_html(request, meeting, item, name, saved=True))
    if is_htmx:
        return HttpResponse(_field_html(request, meeting, item, name, form=form, **extra), status=status)
    bound = {"item_id": item.pk, f"field_{name}": form}
    if status == 409:
        bound.update({f"conflict_{name}": extra["conflict"], f"seen_{name}": extra["seen"]})
    return _page(request, meeting, status=status, bound=bound)


@login_required
@require_POST
def mode_handled(
    request: AuthenticatedRequest, collaboration_id: int, meeting_id: int, item_id: int
) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    item = _item(request, meeting, item_id)
    handled = request.POST.get("handled") == "1"
    try:
        mode_services.item_mark_handled(item=item, handled=handled, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_url(meeting, item))
    items = visible_items(request.user, meeting, logged=False)
    following = next((i for i in items if i.order > item.order and not i.handled), None) if handled else item
    return redirect(_url(meeting, following or item))


@login_required
@require_POST
def mode_decision(
    request: AuthenticatedRequest, collaboration_id: int, meeting_id: int, item_id: int
) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    item = _item(request, meeting, item_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = record_decision(
                meeting=meeting,
                item=item,
                text=data["text"],
                number=data["number"],
                level=data["level"] or None,
                restricted_to=sorted(item.restricted_roles) if data["level"] == "begransad" else None,
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            message = _("Beslut %(label)s är fattat.") % {"label": decision.label}
            if _is_htmx(request):
                return _decisions(request, meeting, item, DecisionForm(), saved=message)
            messages.success(request, message)
            return redirect(_url(meeting, item, anchor="beslut"))
    if _is_htmx(request):
        return _decisions(request, meeting, item, form, status=422)
    return _page(request, meeting, status=422, bound={"item_id": item.pk, "decision_form": form})


def _decisions(
    request: AuthenticatedRequest,
    meeting: Meeting,
    item: AgendaItem,
    form: DecisionForm,
    *,
    saved: str = "",
    status: int = 200,
) -> HttpResponse:
    context = _block(
        meeting,
        item,
        decisions=agenda_selectors.item_decisions(request.user, item),
        decision_form=form,
        decision_saved=saved,
    )
    return _partial(request, DECISIONS, context, status=status)


@login_required
@require_POST
def mode_work_order(
    request: AuthenticatedRequest, collaboration_id: int, meeting_id: int, item_id: int
) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    item = _item(request, meeting, item_id)
    if not permissions.can_edit_action_plan(request.user, meeting.collaboration):
        raise PermissionDenied
    organisations = core_selectors.organisation_list(user=request.user, collaboration=meeting.collaboration)
    form = WorkOrderForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            mode_services.meeting_work_order(
                meeting=meeting, item=item, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Arbetsordern är given, klar till nästa möte."))
            return redirect(_url(meeting, item, anchor="arbetsorder"))
    return _page(request, meeting, status=422, bound={"item_id": item.pk, "work_order_form": form})


@login_required
@require_POST
def mode_followup(
    request: AuthenticatedRequest, collaboration_id: int, meeting_id: int, item_id: int, action_id: int
) -> HttpResponse:
    """A follow-up rating in place: the action plan's form (a reason when the colour changes) and its
    service, dated the meeting's day and linked to the meeting."""
    meeting = _meeting(request, collaboration_id, meeting_id)
    item = _item(request, meeting, item_id)
    action = get_action(request.user, meeting.collaboration, action_id, shown=False)
    if not permissions.can_follow_up(request.user, action):
        raise PermissionDenied
    day = meeting_day(meeting)
    current = agenda_selectors.followup_of_day(request.user, action, day)
    form = FollowUpForm(
        request.POST, prefix=f"a{action.pk}", current=current, initial={"followed_up_on": day}
    )
    status, conflict = 422, None
    if form.is_valid():
        arguments = form.service_arguments()
        arguments["followed_up_on"] = day  # rated at this meeting
        try:
            mode_services.meeting_followup(
                meeting=meeting, item=item, action=action, acting_user=request.user, **arguments
            )
        except EditConflict as clash:
            conflict = conflict_context(form, clash)["conflict"]
            status = 409
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            message = _("Uppföljningen av ”%(action)s” är sparad.") % {"action": action.title}
            if _is_htmx(request):
                return _followup(request, meeting, item, action, None, saved=message)
            messages.success(request, message)
            return redirect(_url(meeting, item, anchor=f"atgard-{action.pk}"))
    if _is_htmx(request):
        return _followup(request, meeting, item, action, form, conflict=conflict, status=status)
    bound = {"item_id": item.pk, "followup_form": form, "followup_conflict": conflict}
    return _page(request, meeting, status=status, bound=bound)


def _followup(
    request: AuthenticatedRequest,
    meeting: Meeting,
    item: AgendaItem,
    action: Any,
    form: FollowUpForm | None,
    *,
    conflict: Any = None,
    saved: str = "",
    status: int = 200,
) -> HttpResponse:
    """The action's block of the point: the posted form (``form``), or after saving a fresh one
    prefilled with the rating just given and the ``saved`` message."""
    rows = _followup_rows(request, meeting, item, form, conflict=conflict)
    row = next((r for r in rows if r["action"].pk == action.pk), None)
    if row is None:  # the point does not list the action (posted from elsewhere): the whole page
        return _page(request, meeting, status=status, bound={"item_id": item.pk})
    row["saved"] = saved
    context = _block(meeting, item, row=row, ratings=ratings())
    return _partial(request, FOLLOWUP, context, status=status)


@login_required
@require_POST
def mode_picture(
    request: AuthenticatedRequest, collaboration_id: int, meeting_id: int, item_id: int
) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    item = _item(request, meeting, item_id)
    round_ = agenda_selectors.item_round(item)
    if round_ is None or not permissions.can_edit_joint_picture(request.user, meeting.collaboration):
        raise PermissionDenied
    try:
        version = mode_services.meeting_picture_agree(
            meeting=meeting, item=item, round_=round_, acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Den gemensamma lägesbilden är fastställd (version %(number)s).") % {"number": version.number},
        )
    return redirect(_url(meeting, item, anchor="lagesbild"))


ATTENDANCE = "meetings/_mode_attendance.html"
DECISIONS = "meetings/_mode_decisions.html"
FOLLOWUP = "meetings/_mode_followup.html"
MODE = "samverkan/<int:collaboration_id>/moten/<int:meeting_id>/motelage/"
POINT = MODE + "punkt/<int:item_id>/"

urlpatterns: list[URLPattern] = [
    path(MODE, meeting_mode, name="meeting_mode"),
    path(MODE + "narvaro/", mode_attendance, name="mode_attendance"),
    path(POINT + "text/", mode_field, name="mode_field"),
    path(POINT + "behandlad/", mode_handled, name="mode_handled"),
    path(POINT + "beslut/", mode_decision, name="mode_decision"),
    path(POINT + "arbetsorder/", mode_work_order, name="mode_work_order"),
    path(POINT + "uppfoljning/<int:action_id>/", mode_followup, name="mode_followup"),
    path(POINT + "lagesbild/", mode_picture, name="mode_picture"),
]
