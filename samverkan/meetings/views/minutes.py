"""The minutes page (protokoll) at the reader's level, its PDF/A, the secretary's edits of an item while
the minutes are a draft, and amendments (rättelser) once they are justerade."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.visibility import ShownRow
from samverkan.meetings import documents
from samverkan.meetings.forms.minutes import AmendmentForm, ItemTextForm
from samverkan.meetings.models import Meeting, Minutes
from samverkan.meetings.selectors import minutes as minutes_selectors
from samverkan.meetings.selectors.cache import cached_shown
from samverkan.meetings.selectors.meetings import get_meeting, visible_items
from samverkan.meetings.selectors.minutes import (
    MinutesDocument,
    minutes_document,
    minutes_head,
    restricted_rows,
)
from samverkan.meetings.services import minutes as minutes_services

MEETING = "samverkan/<int:collaboration_id>/moten/<int:meeting_id>/"


def _meeting(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> Meeting:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    return get_meeting(request.user, collaboration, meeting_id, shown=True)


def _item_edit_url_prefix(meeting: Meeting) -> str:
    """The edit address of a point without its id (the route ends in ``<int:item_id>/``): reversed once
    for the page, where a ``{% url %}`` per point was a quarter of rendering a 60-point meeting."""
    return reverse("meetings:minutes_item_edit", args=(meeting.collaboration_id, meeting.pk, 0)).removesuffix(
        "0/"
    )


@dataclass(frozen=True)
class PageBody:
    """The minutes' body (attendance, points, amendments) rendered for a reader's standing, with what the
    page needs beside it: the points for the amendment form (the begränsad rows it shows are kept with it
    and logged on every view, ``cached_shown``)."""

    html: str
    points: list[SimpleNamespace]


def _page_document(
    request: AuthenticatedRequest, meeting: Meeting, head: MinutesDocument, *, item_edit_url_prefix: str
) -> tuple[MinutesDocument, PageBody | None]:
    """The minutes as the page (or its PDF) shows them: the head read on every request and the body
    kept rendered per collaboration revision and reader's standing (``selectors.cache``). While a
    justerare's comments are to be shown at the points, the whole document is read and rendered afresh
    (no body returned). Either way the begränsad rows shown are logged. ``item_edit_url_prefix``: the
    points' edit links, when the reader may edit them (else none)."""
    if head.declines:
        return minutes_document(request.user, meeting), None
    prefix = item_edit_url_prefix

    def build() -> tuple[PageBody, list[ShownRow]]:
        document = minutes_document(request.user, meeting, logged=False)
        html = render_to_string(
            "meetings/_minutes_body.html",
            {"document": document, "can_edit_items": bool(prefix), "item_edit_url_prefix": prefix},
        )
        points = [
            SimpleNamespace(pk=e.item.pk, order=e.item.order, title=e.item.title)
            for e in document.entries
            if e.item is not None
        ]
        return PageBody(html=html, points=points), restricted_rows(document)

    body = cached_shown(
        "minutes-page",  # a new name for a new shape (a shared cache may hold the old)
        request.user,
        meeting.collaboration_id,
        (meeting.pk, head.minutes.pk, get_language(), timezone.get_current_timezone_name(), prefix),
        build,
    )
    return head, body


def _page_context(request: AuthenticatedRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    can_write = permissions.can_write_minutes(request.user, meeting)
    head = minutes_head(request.user, meeting)
    can_edit_items = can_write and head.minutes.status == Minutes.Status.UTKAST
    prefix = _item_edit_url_prefix(meeting) if can_edit_items else ""
    document, body = _page_document(request, meeting, head, item_edit_url_prefix=prefix)
    if body is not None:
        items: list[Any] = body.points
    else:
        items = [entry.item for entry in document.entries if entry.item is not None]
    return {
        "collaboration": meeting.collaboration,
        "meeting": meeting,
        "document": document,
        "minutes_body": body.html if body is not None else "",
        "can_edit_items": can_edit_items,
        "item_edit_url_prefix": prefix,
        "can_amend": can_write and document.minutes.status == Minutes.Status.JUSTERAT,
        "amendment_form": AmendmentForm(items=items),
        **extra,
    }


@login_required
@require_safe
def minutes_page(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    return render(request, "meetings/minutes.html", _page_context(request, meeting))


@login_required
@require_safe
def minutes_pdf(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    head = minutes_head(request.user, meeting)
    document, body = _page_document(request, meeting, head, item_edit_url_prefix="")
    return documents.minutes_pdf_response(request, document, body=body.html if body is not None else "")


@login_required
def minutes_item_edit(
    request: AuthenticatedRequest, collaboration_id: int, meeting_id: int, item_id: int
) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    item = minutes_selectors.get_item(request.user, meeting, item_id)
    if not permissions.can_write_minutes(request.user, meeting):
        raise PermissionDenied
    form = ItemTextForm.for_item(item, data=request.POST or None)
    context: dict[str, Any] = {
        "collaboration": meeting.collaboration,
        "meeting": meeting,
        "item": item,
        "form": form,
    }
    status = 200
    try:
        minutes_services.ensure_editable(meeting)
    except ValidationError as locked:
        context["locked_message"] = " ".join(locked.messages)
        status = 409 if request.method == "POST" else 200
        return render(request, "meetings/minutes_item_form.html", context, status=status)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            try:
                minutes_services.item_update(item=item, acting_user=request.user, version=version, **data)
            except EditConflict as conflict:
                context.update(conflict_context(form, conflict))
                return render(request, "meetings/minutes_item_form.html", context, status=409)
            except ValidationError as error:
                apply_service_errors(form, error)
                status = 422
            else:
                messages.success(request, _("Punkten är sparad."))
                return redirect(
                    "meetings:minutes", collaboration_id=meeting.collaboration_id, meeting_id=meeting.pk
                )
        else:
            status = 422
    return render(request, "meetings/minutes_item_form.html", context, status=status)


@login_required
def minutes_amend(request: AuthenticatedRequest, collaboration_id: int, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, collaboration_id, meeting_id)
    if not permissions.can_write_minutes(request.user, meeting):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("meetings:minutes", collaboration_id=meeting.collaboration_id, meeting_id=meeting.pk)
    items = visible_items(request.user, meeting, logged=False)
    form = AmendmentForm(request.POST, items=items)
    if form.is_valid():
        item_id = form.cleaned_data["item"]
        item = next((i for i in items if i.pk == item_id), None)
        try:
            minutes_services.amend(
                meeting=meeting, acting_user=request.user, text=form.cleaned_data["text"], item=item
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Rättelsen är sparad och visas i protokollet."))
            return redirect(
                "meetings:minutes", collaboration_id=meeting.collaboration_id, meeting_id=meeting.pk
            )
    return render(
        request, "meetings/minutes.html", _page_context(request, meeting, amendment_form=form), status=422
    )


urlpatterns: list[URLPattern] = [
    path(MEETING + "protokoll/", minutes_page, name="minutes"),
    path(MEETING + "protokoll/pdf/", minutes_pdf, name="minutes_pdf"),
    path(MEETING + "protokoll/punkter/<int:item_id>/", minutes_item_edit, name="minutes_item_edit"),
    path(MEETING + "protokoll/rattelse/", minutes_amend, name="minutes_amend"),
]
