"""Pages of the foundation: start, collaboration home, members, aktörer, notices, log, settings, profile.

Each view: scoped fetch (selectors) → form → service → redirect/render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import forms, permissions, selectors, services
from samverkan.core.audit_display import audit_rows
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.cycle import STEPS, STEPS_BY_SLUG
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.mfa import has_totp
from samverkan.core.models import Role
from samverkan.core.panels import home_panels, panel_stylesheets


def start(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    collaborations = selectors.collaboration_list(user=request.user)
    return render(request, "core/start.html", {"collaborations": collaborations})


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def mfa_required(request: AuthenticatedRequest) -> HttpResponse:
    if has_totp(request.user):
        return redirect("core:start")
    return render(request, "core/mfa_required.html")


@login_required
def collaboration_home(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    """The work surface of a collaboration: each app's panels (what needs the user now), in cycle order."""
    collaboration = selectors.get_collaboration_for_user(request.user, collaboration_id)
    panels = home_panels(request, collaboration)
    context = {
        "collaboration": collaboration,
        "steps": STEPS,
        "role_label": Role(permissions.role_in(request.user, collaboration) or Role.LASARE).label,
        "member_count": collaboration.memberships.count(),
        "organisation_count": collaboration.participations.count(),
        "panels": panels,
        "stylesheets": panel_stylesheets(panels),
    }
    return render(request, "core/collaboration_home.html", context)


@login_required
def cycle_step(request: AuthenticatedRequest, collaboration_id: int, step: str) -> HttpResponse:
    collaboration = selectors.get_collaboration_for_user(request.user, collaboration_id)
    if step not in STEPS_BY_SLUG:
        raise Http404
    return render(
        request,
        "core/cycle_step.html",
        {"collaboration": collaboration, "step": STEPS_BY_SLUG[step], "steps": STEPS},
    )


# --- Members -------------------------------------------------------------------------------------


@login_required
def member_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration_for_user(request.user, collaboration_id)
    return render(
        request,
        "core/member_list.html",
        {
            "collaboration": collaboration,
            "members": selectors.member_list(collaboration=collaboration),
            "can_manage": permissions.can_manage_collaboration(request.user, collaboration),
        },
    )


@login_required
def member_invite(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_manage_collaboration
    )
    organisations = selectors.organisation_list(user=request.user, collaboration=collaboration)
    form = forms.InviteForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_invite(
                collaboration=collaboration, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            messages.success(request, _("%(email)s är inbjuden.") % {"email": membership.user.email})
            return redirect("core:member_list", collaboration_id=collaboration.pk)
    return render(request, "core/member_invite.html", {"collaboration": collaboration, "form": form})


@login_required
def member_edit(request: AuthenticatedRequest, collaboration_id: int, membership_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_manage_collaboration
    )
    membership = selectors.get_membership(collaboration, membership_id)
    organisations = selectors.organisation_list(user=request.user, collaboration=collaboration)
    initial = {"role": membership.role, "organisation": membership.organisation_id}
    form = forms.MembershipForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            if "remove" in request.POST:
                services.membership_remove(membership=membership, acting_user=request.user)
                messages.success(request, _("Medlemmen är borttagen."))
            else:
                services.membership_update(
                    membership=membership, acting_user=request.user, **form.cleaned_data
                )
                messages.success(request, _("Ändringen är sparad."))
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            return redirect("core:member_list", collaboration_id=collaboration.pk)
    return render(
        request,
        "core/member_edit.html",
        {"collaboration": collaboration, "membership": membership, "form": form},
    )


# --- Organisations (aktörer) -----------------------------------------------------------------------


@login_required
def organisation_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration_for_user(request.user, collaboration_id)
    can_manage = permissions.can_manage_collaboration(request.user, collaboration)
    add_form = None
    if can_manage:
        add_form = forms.AddParticipantForm(
            candidates=selectors.organisation_candidates(user=request.user, collaboration=collaboration)
        )
    return render(
        request,
        "core/organisation_list.html",
        {
            "collaboration": collaboration,
            "participations": selectors.participation_list(collaboration=collaboration),
            "can_manage": can_manage,
            "add_form": add_form,
        },
    )


@login_required
def organisation_create(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_manage_collaboration
    )
    form = forms.OrganisationForm(request.POST or None, collaboration=collaboration)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(
                collaboration=collaboration, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s är tillagd som aktör.") % {"name": org.name})
            return redirect("core:organisation_list", collaboration_id=collaboration.pk)
    return render(request, "core/organisation_form.html", {"collaboration": collaboration, "form": form})


@login_required
@require_POST
def participant_add(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_manage_collaboration
    )
    form = forms.AddParticipantForm(
        request.POST,
        candidates=selectors.organisation_candidates(user=request.user, collaboration=collaboration),
    )
    if form.is_valid():
        services.participation_add(
            collaboration=collaboration,
            organisation=form.cleaned_data["organisation"],
            acting_user=request.user,
        )
        messages.success(request, _("Aktören är tillagd."))
    else:
        messages.error(request, _("Välj en organisation i listan."))
    return redirect("core:organisation_list", collaboration_id=collaboration.pk)


@login_required
@require_POST
def participant_remove(
    request: AuthenticatedRequest, collaboration_id: int, participation_id: int
) -> HttpResponse:
    collaboration = selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_manage_collaboration
    )
    participation = selectors.get_participation(collaboration, participation_id)
    try:
        services.participation_remove(participation=participation, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Aktören är borttagen ur samverkan."))
    return redirect("core:organisation_list", collaboration_id=collaboration.pk)


# --- Notices ---------------------------------------------------------------------------------------


@login_required
def notice_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration_for_user(request.user, collaboration_id)
    page = selectors.notice_page(
        user=request.user, collaboration=collaboration, number=request.GET.get("sida")
    )
    return render(
        request,
        "core/notice_list.html",
        {
            "collaboration": collaboration,
            "page": page,
            "can_write": permissions.can_write_content(request.user, collaboration),
        },
    )


@login_required
def notice_create(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_write_content
    )
    form = forms.NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_create(
                collaboration=collaboration, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            messages.success(request, _("Meddelandet är publicerat i samverkan."))
            return redirect("core:notice_detail", collaboration_id=collaboration.pk, notice_id=notice.pk)
    return render(request, "core/notice_form.html", {"collaboration": collaboration, "form": form})


@login_required
def notice_detail(request: AuthenticatedRequest, collaboration_id: int, notice_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration_for_user(request.user, collaboration_id)
    notice = selectors.get_notice_for_user(request.user, collaboration, notice_id)
    return render(
        request,
        "core/notice_detail.html",
        {
            "collaboration": collaboration,
            "notice": notice,
            "can_edit": permissions.can_edit_notice(request.user, notice),
        },
    )


@login_required
def notice_edit(request: AuthenticatedRequest, collaboration_id: int, notice_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration_for_user(request.user, collaboration_id)
    notice = selectors.get_notice_for_user(request.user, collaboration, notice_id)
    if not permissions.can_edit_notice(request.user, notice):
        raise PermissionDenied
    form = forms.NoticeForm.for_notice(notice, data=request.POST or None)
    if request.method == "POST" and "delete" in request.POST:
        services.notice_delete(notice=notice, acting_user=request.user)
        messages.success(request, _("Meddelandet är borttaget."))
        return redirect("core:notice_list", collaboration_id=collaboration.pk)
    context: dict[str, Any] = {"collaboration": collaboration, "form": form, "notice": notice}
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_update(notice=notice, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict))
            return render(request, "core/notice_form.html", context, status=409)
        else:
            messages.success(request, _("Ändringen är sparad."))
            return redirect("core:notice_detail", collaboration_id=collaboration.pk, notice_id=notice.pk)
    return render(request, "core/notice_form.html", context)


# --- Log and settings ------------------------------------------------------------------------------


@login_required
def audit_log(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_view_audit_log
    )
    entries = selectors.audit_entries(user=request.user, collaboration=collaboration)
    action = request.GET.get("handelse", "")
    if action in dict(entries.model.Action.choices):
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("sida"))
    return render(
        request,
        "core/audit_log.html",
        {
            "collaboration": collaboration,
            "page": page,
            "rows": audit_rows(page.object_list, user=request.user, collaboration=collaboration),
            "actions": entries.model.Action.choices,
            "action": action,
        },
    )


@login_required
def collaboration_settings(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_manage_collaboration
    )
    initial = {
        "description": collaboration.description,
        "mfa_required_roles": sorted(collaboration.mfa_roles),
    }
    form = forms.CollaborationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.collaboration_update_settings(
            collaboration=collaboration, acting_user=request.user, **form.cleaned_data
        )
        messages.success(request, _("Inställningarna är sparade."))
        return redirect("core:collaboration_home", collaboration_id=collaboration.pk)
    return render(request, "core/collaboration_settings.html", {"collaboration": collaboration, "form": form})


# --- Profile and API tokens ------------------------------------------------------------------------


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = forms.ProfileForm(
        request.POST or None, initial={"first_name": user.first_name, "last_name": user.last_name}
    )
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Profilen är sparad."))
        return redirect("core:profile")
    return render(
        request,
        "core/profile.html",
        {
            "form": form,
            "token_form": forms.ApiTokenForm(),
            "tokens": selectors.api_token_list(user=user),
            "memberships": selectors.memberships_of(user=user),
            "has_totp": has_totp(user),
        },
    )


@login_required
def api_token_create(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        # The raw key is shown once, on this response only.
        return render(request, "core/api_token_created.html", {"token": token, "raw": raw})
    return render(request, "core/api_token_form.html", {"form": form})


@login_required
@require_POST
def api_token_revoke(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    token = selectors.get_api_token(request.user, token_id)
    services.api_token_revoke(token=token, acting_user=request.user)
    messages.success(request, _("Nyckeln %(name)s är återkallad.") % {"name": token.name})
    return redirect("core:profile")
