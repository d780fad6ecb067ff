"""Lägesbild templates: the ones a collaboration may use, and revising one into a new version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from samverkan.core import permissions
from samverkan.core.forms import apply_service_errors
from samverkan.core.http import AuthenticatedRequest
from samverkan.situation.forms.rounds import (
    TemplateReviseForm,
)
from samverkan.situation.models import STATUS_MEANING, StatusLevel
from samverkan.situation.selectors import rounds as selectors
from samverkan.situation.services.templates import template_as_sections, template_revise
from samverkan.situation.views._rounds_common import (
    BASE,
    TEMPLATE,
    scoped_collaboration,
)

# --- Templates ----------------------------------------------------------------------------------------


@login_required
def template_list(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = scoped_collaboration(request, collaboration_id)
    return render(
        request,
        "situation/template_list.html",
        {
            "collaboration": collaboration,
            "templates": selectors.template_list(collaboration=collaboration),
            "can_manage": permissions.can_manage_rounds(request.user, collaboration),
        },
    )


@login_required
def template_detail(request: AuthenticatedRequest, collaboration_id: int, template_id: int) -> HttpResponse:
    collaboration = scoped_collaboration(request, collaboration_id)
    template = selectors.get_template_for_user(collaboration, template_id)
    return render(
        request,
        "situation/template_detail.html",
        {
            "collaboration": collaboration,
            "template": template,
            "sections": selectors.template_sections(template),
            "scale": [(level, STATUS_MEANING[level]) for level in StatusLevel],
            "can_revise": template.is_current
            and permissions.can_manage_collaboration(request.user, collaboration),
        },
    )


@login_required
def template_revise_view(
    request: AuthenticatedRequest, collaboration_id: int, template_id: int
) -> HttpResponse:
    collaboration = scoped_collaboration(request, collaboration_id, permissions.can_manage_collaboration)
    template = selectors.get_template_for_user(collaboration, template_id)
    form = TemplateReviseForm(request.POST or None, sections=template_as_sections(template))
    if request.method == "POST" and form.is_valid():
        try:
            revision = template_revise(
                template=template,
                collaboration=collaboration,
                sections=form.revised_sections(),
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Mallen är sparad som version %(v)s. Rapporter som redan gjorts behåller sin version.")
                % {"v": revision.version},
            )
            return redirect(
                "situation:template_detail", collaboration_id=collaboration.pk, template_id=revision.pk
            )
    return render(
        request,
        "situation/template_revise.html",
        {"collaboration": collaboration, "template": template, "form": form, "groups": form.bound_groups()},
    )


urlpatterns: list[URLPattern] = [
    path(BASE + "mallar/", template_list, name="template_list"),
    path(TEMPLATE, template_detail, name="template_detail"),
    path(TEMPLATE + "revidera/", template_revise_view, name="template_revise"),
]
