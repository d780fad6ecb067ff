"""The joint situation picture (gemensam lägesbild): the live picture per round, agreed versions, exports.

Each view: scoped fetch → builder (selectors.picture, the visibility rule) → render. Every member reads;
only the samordnare writes summaries and agrees the picture (permissions.can_edit_joint_picture).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.core.shipped import shipped
from samverkan.situation.exports import picture_pdf_response, picture_xlsx_response
from samverkan.situation.forms.picture import AgreeConfirmForm, AgreeForm, AreaSummaryForm
from samverkan.situation.models import Round
from samverkan.situation.selectors import picture as selectors
from samverkan.situation.selectors.picture.cache import cached_value
from samverkan.situation.selectors.picture.statistics import (
    STATISTICS_CACHE_SECONDS,
    cached_picture_statistics,
    statistics_key,
)
from samverkan.situation.selectors.rounds import get_round_for_user
from samverkan.situation.services.picture import area_summary_save, picture_agree


def _fetch(
    request: AuthenticatedRequest, collaboration_id: int, round_id: int, *, edit: bool = False
) -> Round:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_joint_picture if edit else None
    )
    return get_round_for_user(request.user, collaboration, round_id)


def _wants_open(request: AuthenticatedRequest) -> bool:
    return request.GET.get("oppen") == "1"


@login_required
@require_GET
def picture_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    rounds = Paginator(selectors.picture_round_list(collaboration=collaboration), 24).get_page(
        request.GET.get("sida")
    )
    return render(request, "situation/picture_list.html", {"collaboration": collaboration, "rounds": rounds})


class _Slot:
    """Stands for an area's summary form in the cached document; the form is put in per request."""

    def __init__(self, section_id: int | None):
        self.slot = mark_safe(f"<!-- picture-summary-form:{section_id} -->")  # noqa: S308 - a constant


def _fragment(key: str | None, part: str, render_part: Callable[[], str]) -> str:
    """A rendered part of the live picture, cached beside the picture it shows (same key, same life).

    The key (cached_picture's) names round, role and revision; the part adds the language and what else
    the part depends on. Without a key (no role) the part is rendered every time.
    """
    if key is None:
        return render_part()
    html = selectors.cached_value(f"{key}:{part}:{get_language()}", render_part)
    return mark_safe(html)  # noqa: S308 - our own rendered template


def _unbound_fields_html(area: selectors.Area) -> str:
    """The fields of an area's unbound summary form. They follow from the area and its summary alone,
    so they are cached by those (not by the revision): other writes to the collaboration reuse them."""
    summary = area.summary
    state = repr(
        (
            area.section_id,
            area.title,
            summary.text,
            summary.level,
            sorted(summary.restricted_to),
            summary.version,
        )
        if summary is not None
        else (area.section_id, area.title)
    )
    digest = hashlib.sha256(state.encode()).hexdigest()
    key = f"situation:summary-fields:2:{digest}:{get_language()}"
    html = selectors.cached_value(
        key, lambda: render_to_string("core/_fields.html", {"form": AreaSummaryForm.for_area(area)})
    )
    return mark_safe(html)  # noqa: S308 - our own rendered template


def _unbound_agree_fields_html() -> str:
    """The fields of the unbound agree form: they follow from the day (its initial date) and the language."""
    key = f"situation:agree-fields:1:{timezone.localdate():%Y%m%d}:{get_language()}"
    html = selectors.cached_value(key, lambda: render_to_string("core/_fields.html", {"form": AgreeForm()}))
    return mark_safe(html)  # noqa: S308 - our own rendered template


# What stands for the request's CSRF token in a kept rendering of the summary forms: the whole hidden input
# is replaced, and no escaped text of a page can hold it (its quotes would be &quot;).
_TOKEN_SLOT = "csrf-token-slot"  # noqa: S105 - a stand-in, not a secret
_TOKEN_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'  # noqa: S105


def _summary_forms_html(
    request: AuthenticatedRequest,
    round_: Round,
    data: selectors.PictureData,
    document: str,
    bound: dict[int, AreaSummaryForm],
    conflicts: dict[int, dict[str, Any]],
    key: str | None,
) -> str:
    """Put each area's summary form in its slot of the cached document, with this request's CSRF token;
    a form posted with errors (``bound``) renders in full, with its edit conflict if it had one. With
    every form unbound, the document with its forms is kept beside the document (``_fragment``) with a
    stand-in for the token, which is put in per request."""
    if not bound and not conflicts:
        kept = _fragment(
            key,
            "document-with-forms",
            lambda: _render_summary_forms(round_, data, document, {}, {}, _TOKEN_SLOT),
        )
        return kept.replace(_TOKEN_INPUT.format(_TOKEN_SLOT), _TOKEN_INPUT.format(get_token(request)))
    return _render_summary_forms(round_, data, document, bound, conflicts, get_token(request))


def _render_summary_forms(
    round_: Round,
    data: selectors.PictureData,
    document: str,
    bound: dict[int, AreaSummaryForm],
    conflicts: dict[int, dict[str, Any]],
    token: str,
) -> str:
    template = get_template("situation/picture_summary_form.html")
    common = {"collaboration": round_.collaboration, "round": round_, "csrf_token": token}
    for area in data.areas:
        form = bound.get(area.section_id or 0)
        html = template.render(
            {
                **common,
                **conflicts.get(area.section_id or 0, {}),
                "area": area,
                "form": form,
                "fields_html": _unbound_fields_html(area) if form is None else None,
            }
        )
        document = document.replace(str(_Slot(area.section_id).slot), html, 1)
    return document


def _statistics_html(round_: Round) -> str:
    """The statistics section (``situation/picture/_statistics.html``), rendered once per key as the
    statistics are kept (their key names all they are made from): its tables format some forty numbers."""
    key = statistics_key(round_)

    def render_section() -> str:
        statistics = cached_picture_statistics(round_=round_, key=key)
        return render_to_string("situation/picture/_statistics.html", {"statistics": statistics})

    return mark_safe(cached_value(f"{key}:html", render_section, STATISTICS_CACHE_SECONDS))  # noqa: S308


def _detail(
    request: AuthenticatedRequest,
    round_: Round,
    *,
    summary_forms: dict[int, AreaSummaryForm] | None = None,
    conflicts: dict[int, dict[str, Any]] | None = None,
    agree_form: AgreeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    collaboration: Collaboration = round_.collaboration
    matrix_only = bool(getattr(request, "htmx", False)) and request.GET.get("del") == "matris"
    data, key = selectors.shown_picture(round_=round_, user=request.user, cells_only=matrix_only)
    if matrix_only:
        matrix = _fragment(
            key,
            "matrix",
            lambda: render_to_string("situation/picture_matrix.html", {"data": data, "live": True}),
        )
        return HttpResponse(matrix)
    can_edit = permissions.can_edit_joint_picture(request.user, collaboration)

    def document() -> str:
        return render_to_string(
            "situation/picture_document.html",
            {
                "collaboration": collaboration,
                "round": round_,
                "data": data,
                "live": True,
                "area_rows": [(area, _Slot(area.section_id) if can_edit else None) for area in data.areas],
                "map_events": data.map_events,
                "map_kommun_codes": data.map_kommun_codes,
            },
        )

    html = _fragment(key, f"document:{int(can_edit)}", document)
    if can_edit:
        html = mark_safe(  # noqa: S308 - our own rendered templates
            _summary_forms_html(request, round_, data, html, summary_forms or {}, conflicts or {}, key)
        )
    context: dict[str, Any] = {
        "collaboration": collaboration,
        "round": round_,
        "data": data,
        "document": html,
        # Public open data outside the role-keyed document: imports do not bump the situation revision.
        "statistics_html": _statistics_html(round_),
        "can_edit": can_edit,
        # Agreeing moves the revision on (and versions are never changed), so the list lives with the key.
        "versions_html": _fragment(
            key,
            "versions",
            lambda: render_to_string(
                "situation/picture_versions.html",
                {
                    "collaboration": collaboration,
                    "round": round_,
                    "versions": selectors.picture_versions(round_=round_),
                },
            ),
        ),
    }
    if can_edit:
        context["agree_form"] = agree_form
        if agree_form is None:
            context["agree_fields_html"] = _unbound_agree_fields_html()
    return render(request, "situation/picture_detail.html", context, status=status)


@login_required
@require_GET
def picture_detail(request: AuthenticatedRequest, collaboration_id: int, round_id: int) -> HttpResponse:
    # The round with its cache keys' revisions in one query; nothing is written before the page renders.
    return _detail(request, selectors.picture_round_for_user(request.user, collaboration_id, round_id))


@login_required
@require_POST
def picture_summary_save(request: AuthenticatedRequest, collaboration_id: int, round_id: int) -> HttpResponse:
    round_ = _fetch(request, collaboration_id, round_id, edit=True)
    section = selectors.round_section(round_, request.POST.get("section"))
    if section is None:
        messages.error(request, _("Området finns inte i omgångens mall."))
        return _detail(request, round_, status=400)
    form = AreaSummaryForm.for_section(section, data=request.POST)
    if form.is_valid():
        try:
            area_summary_save(
                picture_or_round=round_, section=section, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except EditConflict as conflict:
            return _detail(
                request,
                round_,
                summary_forms={section.pk: form},
                conflicts={section.pk: conflict_context(form, conflict)},
                status=409,
            )
        else:
            messages.success(
                request, _("Sammanfattningen av %(area)s är sparad.") % {"area": shipped(section.title)}
            )
            url = reverse(
                "situation:picture_detail",
                kwargs={"collaboration_id": collaboration_id, "round_id": round_.pk},
            )
            return redirect(f"{url}#{selectors.area_anchor(section.area_code, section.order)}")
    return _detail(request, round_, summary_forms={section.pk: form}, status=400)


def _agree_confirm(
    request: AuthenticatedRequest,
    round_: Round,
    form: AgreeConfirmForm,
    missing: list[selectors.MissingReport],
    meeting: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """The confirmation page; the picture (and its read of the begränsad rows) only when it is shown."""
    data, _key = selectors.shown_picture(round_=round_, user=request.user)
    context = {
        "collaboration": round_.collaboration,
        "round": round_,
        "form": form,
        "preview": selectors.agree_preview(round_=round_, data=data, missing=missing),
        "meeting": meeting,
    }
    return render(request, "situation/picture_agree_confirm.html", context, status=status)


@login_required
@require_POST
def picture_agree_view(request: AuthenticatedRequest, collaboration_id: int, round_id: int) -> HttpResponse:
    """Agree in two steps: the meeting and date, then a page showing what will be frozen and who has not
    reported (acknowledged by a required checkbox), whose form carries ``bekraftad``."""
    round_ = _fetch(request, collaboration_id, round_id, edit=True)
    form = AgreeForm(data=request.POST)
    if not form.is_valid():
        return _detail(request, round_, agree_form=form, status=400)
    missing = selectors.missing_reports(round_=round_)
    names = [m.organisation for m in missing]
    if "bekraftad" not in request.POST:
        confirm = AgreeConfirmForm(initial=form.cleaned_data, missing=names)
        return _agree_confirm(request, round_, confirm, missing, form.cleaned_data)
    confirm = AgreeConfirmForm(data=request.POST, missing=names)
    if not confirm.is_valid():
        return _agree_confirm(request, round_, confirm, missing, form.cleaned_data, status=400)
    try:
        version = picture_agree(
            round_=round_,
            acting_user=request.user,
            meeting=confirm.cleaned_data["meeting"],
            meeting_date=confirm.cleaned_data["meeting_date"],
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return _detail(request, round_, agree_form=form, status=400)
    messages.success(
        request, _("Lägesbilden är fastställd som version %(number)s.") % {"number": version.number}
    )
    return redirect(
        "situation:picture_version",
        collaboration_id=collaboration_id,
        round_id=round_.pk,
        version_id=version.pk,
    )


@login_required
@require_GET
def picture_version(
    request: AuthenticatedRequest, collaboration_id: int, round_id: int, version_id: int
) -> HttpResponse:
    round_ = _fetch(request, collaboration_id, round_id)
    version = selectors.get_version_for_user(request.user, round_, version_id)
    data = selectors.shown_version(version=version, user=request.user, public_only=_wants_open(request))
    context = {
        "collaboration": round_.collaboration,
        "round": round_,
        "version": version,
        "data": data,
        "live": False,
        "area_rows": [(area, None) for area in data.areas],
        "versions": selectors.picture_versions(round_=round_),
        "map_events": data.map_events,
        "map_kommun_codes": data.map_kommun_codes,
    }
    return render(request, "situation/picture_version.html", context)


@login_required
@require_GET
def picture_pdf(request: AuthenticatedRequest, collaboration_id: int, round_id: int) -> HttpResponse:
    round_ = _fetch(request, collaboration_id, round_id)
    data, _key = selectors.shown_picture(round_=round_, user=request.user)
    return picture_pdf_response(request, data)


@login_required
@require_GET
def picture_xlsx(request: AuthenticatedRequest, collaboration_id: int, round_id: int) -> HttpResponse:
    round_ = _fetch(request, collaboration_id, round_id)
    data, _key = selectors.shown_picture(round_=round_, user=request.user)
    return picture_xlsx_response(data)


def _version_export(
    request: AuthenticatedRequest, collaboration_id: int, round_id: int, version_id: int
) -> Any:
    round_ = _fetch(request, collaboration_id, round_id)
    version = selectors.get_version_for_user(request.user, round_, version_id)
    return selectors.shown_version(version=version, user=request.user, public_only=_wants_open(request))


@login_required
@require_GET
def picture_version_pdf(
    request: AuthenticatedRequest, collaboration_id: int, round_id: int, version_id: int
) -> HttpResponse:
    return picture_pdf_response(request, _version_export(request, collaboration_id, round_id, version_id))


@login_required
@require_GET
def picture_version_xlsx(
    request: AuthenticatedRequest, collaboration_id: int, round_id: int, version_id: int
) -> HttpResponse:
    return picture_xlsx_response(_version_export(request, collaboration_id, round_id, version_id))


PICTURES = "samverkan/<int:collaboration_id>/lagesbild/lagesbilder/"
PICTURE = "samverkan/<int:collaboration_id>/lagesbild/omgangar/<int:round_id>/lagesbild/"
VERSION = PICTURE + "versioner/<int:version_id>/"

urlpatterns: list[URLPattern] = [
    path(PICTURES, picture_list, name="picture_list"),
    path(PICTURE, picture_detail, name="picture_detail"),
    path(PICTURE + "sammanfattning/", picture_summary_save, name="picture_summary_save"),
    path(PICTURE + "faststall/", picture_agree_view, name="picture_agree"),
    path(PICTURE + "pdf/", picture_pdf, name="picture_pdf"),
    path(PICTURE + "xlsx/", picture_xlsx, name="picture_xlsx"),
    path(VERSION, picture_version, name="picture_version"),
    path(VERSION + "pdf/", picture_version_pdf, name="picture_version_pdf"),
    path(VERSION + "xlsx/", picture_version_xlsx, name="picture_version_xlsx"),
]
