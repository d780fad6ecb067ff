"""Public pages. The portal holds no models: it shows only what the apps publish (level öppen)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from samverkan.agreements import exports
from samverkan.agreements import selectors as agreement_selectors
from samverkan.agreements.models import Agreement
from samverkan.core.publication import public_revision, public_revision_of_all
from samverkan.portal import selectors
from samverkan.portal.cache import public_page


def _all_collaborations(**kwargs: Any) -> int:
    return public_revision_of_all()


def _one_collaboration(*, collaboration_id: int, **kwargs: Any) -> int:
    return public_revision(collaboration_id)


def _public_agreement(collaboration_id: int, agreement_id: int) -> Agreement:
    """A published (öppen, not a draft) agreement, else 404 — the same answer for every other case."""
    collaboration = selectors.get_active_collaboration(collaboration_id)
    return agreement_selectors.get_public_agreement(collaboration=collaboration, pk=agreement_id)


@require_safe
@public_page(_all_collaborations)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/index.html", {"collaborations": selectors.active_collaborations()})


@require_safe
@public_page(_one_collaboration)
def collaboration(request: HttpRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_active_collaboration(collaboration_id)
    agreements = agreement_selectors.public_agreements(collaboration=collaboration)
    context = {"collaboration": collaboration, "agreements": agreements}
    return render(request, "portal/collaboration.html", context)


@require_safe
@public_page(_one_collaboration)
def agreement_detail(request: HttpRequest, collaboration_id: int, agreement_id: int) -> HttpResponse:
    agreement = _public_agreement(collaboration_id, agreement_id)
    document = agreement_selectors.agreement_document(agreement, public=True)
    context = {"collaboration": agreement.collaboration, "document": document}
    return render(request, "portal/agreement_detail.html", context)


@require_safe
@public_page(_one_collaboration)
def agreement_pdf(request: HttpRequest, collaboration_id: int, agreement_id: int) -> HttpResponse:
    agreement = _public_agreement(collaboration_id, agreement_id)
    return exports.agreement_pdf_response(
        request, agreement_selectors.agreement_document(agreement, public=True)
    )
