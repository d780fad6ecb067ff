"""Groups (strategic and operative) and their members.

Each view: scoped fetch (selectors, the visibility rule) → form → service → redirect/render. Every member
reads; the samordnare writes (permissions.can_edit_agreements).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.agreements import selectors, services
from samverkan.agreements.forms.groups import GroupForm, GroupMemberForm
from samverkan.agreements.models import Group, GroupMember
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.conflicts import EditConflict, conflict_context
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration

TIER_HEADINGS = {
    Group.Tier.STRATEGISK: gettext_lazy("Strategiska grupper"),
    Group.Tier.OPERATIV: gettext_lazy("Operativa grupper"),
}


@login_required
def group_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    nodes = selectors.group_overview(user=request.user, collaboration=collaboration)
    tiers = [
        (tier, heading, [n for n in nodes if n.group.tier == tier]) for tier, heading in TIER_HEADINGS.items()
    ]
    return render(
        request,
        "agreements/group_list.html",
        {
            "collaboration": collaboration,
            "tiers": tiers,
            "can_edit": permissions.can_edit_agreements(request.user, collaboration),
        },
    )


@login_required
def group_detail(request: AuthenticatedRequest, collaboration_id: int, group_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    node = selectors.get_group_node(request.user, collaboration, group_id)
    return render(
        request,
        "agreements/group_detail.html",
        {
            "collaboration": collaboration,
            "node": node,
            "group": node.group,
            "can_edit": permissions.can_edit_agreements(request.user, collaboration),
        },
    )


@login_required
def group_create(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_agreements
    )
    return _group_form(request, collaboration, group=None)


@login_required
def group_edit(request: AuthenticatedRequest, collaboration_id: int, group_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_agreements
    )
    group = selectors.get_group_for_user(request.user, collaboration, group_id)
    return _group_form(request, collaboration, group=group)


def _group_form(
    request: AuthenticatedRequest, collaboration: Collaboration, group: Group | None
) -> HttpResponse:
    others = selectors.group_list(user=request.user, collaboration=collaboration).prefetch_related(None)
    if group is not None:
        others = others.exclude(pk=group.pk)
    agreements = selectors.agreement_list(user=request.user, collaboration=collaboration).prefetch_related(
        None
    )
    form = GroupForm.for_group(group, data=request.POST or None, groups=others, agreements=agreements)
    context: dict[str, Any] = {
        "collaboration": collaboration,
        "form": form,
        "group_id": group.pk if group else None,
    }
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.group_save(
                collaboration=collaboration, group=group, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict))
            return render(request, "agreements/group_form.html", context, status=409)
        else:
            messages.success(request, _("Gruppen %(name)s är sparad.") % {"name": saved.name})
            return redirect("agreements:group_detail", collaboration_id=collaboration.pk, group_id=saved.pk)
    return render(request, "agreements/group_form.html", context)


# --- Members ---------------------------------------------------------------------------------------


@login_required
def group_member_create(request: AuthenticatedRequest, collaboration_id: int, group_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_agreements
    )
    group = selectors.get_group_for_user(request.user, collaboration, group_id)
    return _member_form(request, collaboration, group, member=None)


@login_required
def group_member_edit(
    request: AuthenticatedRequest, collaboration_id: int, group_id: int, member_id: int
) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_agreements
    )
    group = selectors.get_group_for_user(request.user, collaboration, group_id)
    member = selectors.get_group_member_for_user(request.user, group, member_id)
    if request.method == "POST" and "remove" in request.POST:
        services.group_member_remove(member=member, acting_user=request.user)
        messages.success(request, _("%(name)s är borttagen ur gruppen.") % {"name": member.display_name})
        return redirect("agreements:group_detail", collaboration_id=collaboration.pk, group_id=group.pk)
    return _member_form(request, collaboration, group, member=member)


def _member_form(
    request: AuthenticatedRequest, collaboration: Collaboration, group: Group, member: GroupMember | None
) -> HttpResponse:
    organisations = selectors.group_member_organisations(collaboration=collaboration)
    form = GroupMemberForm.for_member(member, data=request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.group_member_save(
                group=group, member=member, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s är sparad i gruppen.") % {"name": saved.display_name})
            return redirect("agreements:group_detail", collaboration_id=collaboration.pk, group_id=group.pk)
    return render(
        request,
        "agreements/group_member_form.html",
        {"collaboration": collaboration, "group": group, "member": member, "form": form},
    )


GROUPS = "samverkan/<int:collaboration_id>/grupper/"
GROUP = GROUPS + "<int:group_id>/"

urlpatterns: list[URLPattern] = [
    path(GROUPS, group_list, name="group_list"),
    path(GROUPS + "ny/", group_create, name="group_create"),
    path(GROUP, group_detail, name="group_detail"),
    path(GROUP + "andra/", group_edit, name="group_edit"),
    path(GROUP + "medlemmar/ny/", group_member_create, name="group_member_create"),
    path(GROUP + "medlemmar/<int:member_id>/", group_member_edit, name="group_member_edit"),
]
