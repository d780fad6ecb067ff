"""Agreement pages: list, document, edit, status, renewal, print/PDF, public preview, årshjul, and the
focus areas, fact sources and signatories inside an agreement.

Each view: scoped fetch (core.selectors / agreements.selectors) → form → service → redirect/render.
Writes require ``permissions.can_edit_agreements`` (samordnare): 404 for outsiders, 403 for others.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.agreements import exports, selectors, services
from samverkan.agreements.forms import agreement as forms
from samverkan.agreements.models import Agreement, FactSource, FocusArea, Signatory
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration

STATUS = Agreement.Status


def _fetch(
    request: AuthenticatedRequest, collaboration_id: int, agreement_id: int, *, edit: bool = False
) -> tuple[Collaboration, Agreement]:
    """The collaboration (writes: samordnare, else 403) and one agreement the user may read (else 404)."""
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_agreements if edit else None
    )
    return collaboration, selectors.get_agreement_for_user(request.user, collaboration, agreement_id)


def _to_detail(agreement: Agreement, anchor: str = "") -> HttpResponse:
    response = redirect("agreements:agreement_detail", agreement.collaboration_id, agreement.pk)
    response["Location"] += anchor
    return response


def _organisations(request: AuthenticatedRequest, collaboration: Collaboration) -> Any:
    return core_selectors.organisation_list(user=request.user, collaboration=collaboration)


def _document_context(
    request: AuthenticatedRequest, collaboration: Collaboration, agreement: Agreement
) -> dict:
    can_edit = (
        permissions.can_edit_agreements(request.user, collaboration) and agreement.status != STATUS.ERSATT
    )
    return {
        "collaboration": collaboration,
        "agreement": agreement,
        "document": selectors.agreement_document(agreement, user=request.user),
        "can_edit": can_edit,
    }


# --- Agreements -------------------------------------------------------------------------------------


@login_required
def agreement_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    context = {
        "collaboration": collaboration,
        "agreements": selectors.agreement_list(user=request.user, collaboration=collaboration),
        "can_edit": permissions.can_edit_agreements(request.user, collaboration),
    }
    return render(request, "agreements/agreement_list.html", context)


@login_required
def agreement_create(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_agreements
    )
    form = forms.AgreementForm(
        request.POST or None,
        collaboration=collaboration,
        organisations=_organisations(request, collaboration),
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                collaboration=collaboration, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Överenskommelsen är skapad som utkast."))
            return _to_detail(agreement)
    return render(request, "agreements/agreement_form.html", {"collaboration": collaboration, "form": form})


@login_required
def agreement_detail(request: AuthenticatedRequest, collaboration_id: int, agreement_id: int) -> HttpResponse:
    collaboration, agreement = _fetch(request, collaboration_id, agreement_id)
    context = _document_context(request, collaboration, agreement)
    if context["can_edit"]:
        context["status_actions"] = forms.AgreementStatusForm(agreement=agreement).actions()
    return render(request, "agreements/agreement_detail.html", context)


@login_required
def agreement_edit(request: AuthenticatedRequest, collaboration_id: int, agreement_id: int) -> HttpResponse:
    collaboration, agreement = _fetch(request, collaboration_id, agreement_id, edit=True)
    form = forms.AgreementForm.for_agreement(
        agreement,
        data=request.POST or None,
        collaboration=collaboration,
        organisations=_organisations(request, collaboration),
    )
    context: dict[str, Any] = {"collaboration": collaboration, "form": form, "agreement": agreement}
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(agreement=agreement, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict))
            return render(request, "agreements/agreement_form.html", context, status=409)
        else:
            messages.success(request, _("Ändringen är sparad."))
            return _to_detail(agreement)
    return render(request, "agreements/agreement_form.html", context)


@login_required
@require_POST
def agreement_status(request: AuthenticatedRequest, collaboration_id: int, agreement_id: int) -> HttpResponse:
    _collaboration, agreement = _fetch(request, collaboration_id, agreement_id, edit=True)
    form = forms.AgreementStatusForm(request.POST, agreement=agreement)
    try:
        if not form.is_valid():
            raise ValidationError(_("Den statusen kan inte väljas nu."))
        services.agreement_set_status(
            agreement=agreement, status=form.cleaned_data["status"], acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Överenskommelsen har status %(status)s.") % {"status": agreement.get_status_display()}
        )
    return _to_detail(agreement)


@login_required
def agreement_renew(request: AuthenticatedRequest, collaboration_id: int, agreement_id: int) -> HttpResponse:
    collaboration, agreement = _fetch(request, collaboration_id, agreement_id, edit=True)
    form = forms.RenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            successor = services.agreement_renew(
                agreement=agreement, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Den nya överenskommelsen är skapad som utkast."))
            return _to_detail(successor)
    context = {
        "collaboration": collaboration,
        "agreement": agreement,
        "form": form,
        "successor": selectors.visible_successor(user=request.user, agreement=agreement),
    }
    return render(request, "agreements/agreement_renew.html", context)


@login_required
def agreement_print(request: AuthenticatedRequest, collaboration_id: int, agreement_id: int) -> HttpResponse:
    collaboration, agreement = _fetch(request, collaboration_id, agreement_id)
    context = _document_context(request, collaboration, agreement) | {"can_edit": False, "printing": True}
    return render(request, "agreements/agreement_print.html", context)


@login_required
def agreement_pdf(request: AuthenticatedRequest, collaboration_id: int, agreement_id: int) -> HttpResponse:
    _collaboration, agreement = _fetch(request, collaboration_id, agreement_id)
    return exports.agreement_pdf_response(request, selectors.agreement_document(agreement, user=request.user))


@login_required
def agreement_public(request: AuthenticatedRequest, collaboration_id: int, agreement_id: int) -> HttpResponse:
    """What the portal shows of this agreement (or why it shows nothing)."""
    collaboration, agreement = _fetch(request, collaboration_id, agreement_id)
    try:
        document = selectors.agreement_document(agreement, public=True)
    except Http404:
        document = None
    context = {"collaboration": collaboration, "agreement": agreement, "document": document}
    return render(request, "agreements/agreement_public.html", context)


@login_required
def agreement_year_wheel(
    request: AuthenticatedRequest, collaboration_id: int, agreement_id: int
) -> HttpResponse:
    collaboration, agreement = _fetch(request, collaboration_id, agreement_id)
    years = list(range(agreement.start_date.year, agreement.end_date.year + 1))
    asked = request.GET.get("ar", "")
    year = min(max(int(asked) if asked.isdigit() else timezone.localdate().year, years[0]), years[-1])
    document = selectors.agreement_document(agreement, user=request.user)
    context = {
        "collaboration": collaboration,
        "agreement": agreement,
        "year": year,
        "years": years,
        "months": list(zip(forms.MONTH_CHOICES, selectors.year_wheel(document, year), strict=True)),
    }
    return render(request, "agreements/year_wheel.html", context)


# --- Focus areas -------------------------------------------------------------------------------------


@login_required
def focus_area_create(
    request: AuthenticatedRequest, collaboration_id: int, agreement_id: int
) -> HttpResponse:
    collaboration, agreement = _fetch(request, collaboration_id, agreement_id, edit=True)
    parents = selectors.focus_area_parents(user=request.user, agreement=agreement)
    form = forms.FocusAreaForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            area = services.focus_area_add(agreement=agreement, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Fokusområdet %(title)s är tillagt.") % {"title": area.title})
            return _to_detail(agreement, "#fokusomraden")
    context = {"collaboration": collaboration, "agreement": agreement, "form": form}
    return render(request, "agreements/focus_area_form.html", context)


@login_required
def focus_area_edit(
    request: AuthenticatedRequest, collaboration_id: int, agreement_id: int, focus_area_id: int
) -> HttpResponse:
    collaboration, agreement = _fetch(request, collaboration_id, agreement_id, edit=True)
    area = selectors.get_agreement_part(FocusArea, request.user, agreement, focus_area_id)
    form = forms.FocusAreaForm.for_area(area, data=request.POST or None)
    context: dict[str, Any] = {
        "collaboration": collaboration,
        "agreement": agreement,
        "form": form,
        "area": area,
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.focus_area_update(focus_area=area, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict))
            return render(request, "agreements/focus_area_form.html", context, status=409)
        else:
            messages.success(request, _("Ändringen av fokusområdet är sparad."))
            return _to_detail(agreement, "#fokusomraden")
    return render(request, "agreements/focus_area_form.html", context)


@login_required
def focus_area_retire(
    request: AuthenticatedRequest, collaboration_id: int, agreement_id: int, focus_area_id: int
) -> HttpResponse:
    collaboration, agreement = _fetch(request, collaboration_id, agreement_id, edit=True)
    area = selectors.get_agreement_part(FocusArea, request.user, agreement, focus_area_id)
    form = forms.FocusAreaRetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.focus_area_retire(focus_area=area, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Fokusområdet %(title)s är avslutat.") % {"title": area.title})
            return _to_detail(agreement, "#fokusomraden")
    context = {"collaboration": collaboration, "agreement": agreement, "form": form, "area": area}
    return render(request, "agreements/focus_area_retire.html", context)


@login_required
@require_POST
def focus_area_move(
    request: AuthenticatedRequest, collaboration_id: int, agreement_id: int, focus_area_id: int
) -> HttpResponse:
    _collaboration, agreement = _fetch(request, collaboration_id, agreement_id, edit=True)
    area = selectors.get_agreement_part(FocusArea, request.user, agreement, focus_area_id)
    try:
        direction = -1 if request.POST.get("riktning") == "upp" else 1
        services.focus_area_move(focus_area=area, direction=direction, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _to_detail(agreement, f"#fokus-{area.pk}")


# --- Fact sources and signatories ----------------------------------------------------------------------


@login_required
def fact_source_create(
    request: AuthenticatedRequest, collaboration_id: int, agreement_id: int
) -> HttpResponse:
    return _fact_source_form(request, collaboration_id, agreement_id, None)


@login_required
def fact_source_edit(
    request: AuthenticatedRequest, collaboration_id: int, agreement_id: int, fact_source_id: int
) -> HttpResponse:
    return _fact_source_form(request, collaboration_id, agreement_id, fact_source_id)


def _fact_source_form(
    request: AuthenticatedRequest, collaboration_id: int, agreement_id: int, pk: int | None
) -> HttpResponse:
    collaboration, agreement = _fetch(request, collaboration_id, agreement_id, edit=True)
    source = selectors.get_agreement_part(FactSource, request.user, agreement, pk) if pk is not None else None
    organisations = _organisations(request, collaboration)
    data = request.POST or None
    form = (
        forms.FactSourceForm.for_source(source, data=data, organisations=organisations)
        if source
        else forms.FactSourceForm(data, organisations=organisations)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.fact_source_save(
                agreement=agreement, fact_source=source, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Faktakällan är sparad."))
            return _to_detail(agreement, "#faktakallor")
    context = {"collaboration": collaboration, "agreement": agreement, "form": form, "source": source}
    return render(request, "agreements/fact_source_form.html", context)


@login_required
@require_POST
def fact_source_delete(
    request: AuthenticatedRequest, collaboration_id: int, agreement_id: int, fact_source_id: int
) -> HttpResponse:
    _collaboration, agreement = _fetch(request, collaboration_id, agreement_id, edit=True)
    source = selectors.get_agreement_part(FactSource, request.user, agreement, fact_source_id)
    services.fact_source_delete(fact_source=source, acting_user=request.user)
    messages.success(request, _("Faktakällan är borttagen."))
    return _to_detail(agreement, "#faktakallor")


@login_required
def signatory_create(request: AuthenticatedRequest, collaboration_id: int, agreement_id: int) -> HttpResponse:
    return _signatory_form(request, collaboration_id, agreement_id, None)


@login_required
def signatory_edit(
    request: AuthenticatedRequest, collaboration_id: int, agreement_id: int, signatory_id: int
) -> HttpResponse:
    return _signatory_form(request, collaboration_id, agreement_id, signatory_id)


def _signatory_form(
    request: AuthenticatedRequest, collaboration_id: int, agreement_id: int, pk: int | None
) -> HttpResponse:
    collaboration, agreement = _fetch(request, collaboration_id, agreement_id, edit=True)
    signatory = (
        selectors.get_agreement_part(Signatory, request.user, agreement, pk) if pk is not None else None
    )
    organisations = _organisations(request, collaboration)
    data = request.POST or None
    form = (
        forms.SignatoryForm.for_signatory(signatory, data=data, organisations=organisations)
        if signatory
        else forms.SignatoryForm(data, organisations=organisations)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.signatory_save(
                agreement=agreement, signatory=signatory, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Undertecknaren är sparad."))
            return _to_detail(agreement, "#underskrifter")
    context = {"collaboration": collaboration, "agreement": agreement, "form": form, "signatory": signatory}
    return render(request, "agreements/signatory_form.html", context)


@login_required
@require_POST
def signatory_delete(
    request: AuthenticatedRequest, collaboration_id: int, agreement_id: int, signatory_id: int
) -> HttpResponse:
    _collaboration, agreement = _fetch(request, collaboration_id, agreement_id, edit=True)
    signatory = selectors.get_agreement_part(Signatory, request.user, agreement, signatory_id)
    services.signatory_delete(signatory=signatory, acting_user=request.user)
    messages.success(request, _("Undertecknaren är borttagen."))
    return _to_detail(agreement, "#underskrifter")


# --- Routes -----------------------------------------------------------------------------------------------

AGREEMENTS = "samverkan/<int:collaboration_id>/overenskommelser/"
AGREEMENT = AGREEMENTS + "<int:agreement_id>/"
FOCUS_AREA = AGREEMENT + "fokusomraden/<int:focus_area_id>/"
FACT_SOURCE = AGREEMENT + "faktakallor/<int:fact_source_id>/"
SIGNATORY = AGREEMENT + "undertecknare/<int:signatory_id>/"

urlpatterns: list[URLPattern] = [
    path(AGREEMENTS, agreement_list, name="agreement_list"),
    path(AGREEMENTS + "ny/", agreement_create, name="agreement_create"),
    path(AGREEMENT, agreement_detail, name="agreement_detail"),
    path(AGREEMENT + "andra/", agreement_edit, name="agreement_edit"),
    path(AGREEMENT + "status/", agreement_status, name="agreement_status"),
    path(AGREEMENT + "fornya/", agreement_renew, name="agreement_renew"),
    path(AGREEMENT + "utskrift/", agreement_print, name="agreement_print"),
    path(AGREEMENT + "pdf/", agreement_pdf, name="agreement_pdf"),
    path(AGREEMENT + "offentlig/", agreement_public, name="agreement_public"),
    path(AGREEMENT + "arshjul/", agreement_year_wheel, name="agreement_year_wheel"),
    path(AGREEMENT + "fokusomraden/nytt/", focus_area_create, name="focus_area_create"),
    path(FOCUS_AREA + "andra/", focus_area_edit, name="focus_area_edit"),
    path(FOCUS_AREA + "avsluta/", focus_area_retire, name="focus_area_retire"),
    path(FOCUS_AREA + "flytta/", focus_area_move, name="focus_area_move"),
    path(AGREEMENT + "faktakallor/ny/", fact_source_create, name="fact_source_create"),
    path(FACT_SOURCE + "andra/", fact_source_edit, name="fact_source_edit"),
    path(FACT_SOURCE + "ta-bort/", fact_source_delete, name="fact_source_delete"),
    path(AGREEMENT + "undertecknare/ny/", signatory_create, name="signatory_create"),
    path(SIGNATORY + "andra/", signatory_edit, name="signatory_edit"),
    path(SIGNATORY + "ta-bort/", signatory_delete, name="signatory_delete"),
]
