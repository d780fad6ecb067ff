"""Public pages. The portal holds no models: it shows only what the apps publish (level öppen)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from samverkan.agreements import exports
from samverkan.agreements import selectors as agreement_selectors
from samverkan.agreements.models import Agreement
from samverkan.core.models import Collaboration


def _collaboration(collaboration_id: int) -> Collaboration:
    return get_object_or_404(Collaboration, pk=collaboration_id, is_active=True)


def _public_agreement(collaboration_id: int, agreement_id: int) -> Agreement:
    """A published (öppen, not a draft) agreement, else 404 — the same answer for every other case."""
    agreement = (
        agreement_selectors.public_agreements(collaboration=_collaboration(collaboration_id))
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    collaborations = (
        Collaboration.objects.filter(is_active=True).prefetch_related("kommuner").order_by("name")
    )
    return render(request, "portal/index.html", {"collaborations": collaborations})


@require_safe
def collaboration(request: HttpRequest, collaboration_id: int) -> HttpResponse:
    collaboration = _collaboration(collaboration_id)
    agreements = agreement_selectors.public_agreements(collaboration=collaboration)
    context = {"collaboration": collaboration, "agreements": agreements}
    return render(request, "portal/collaboration.html", context)


@require_safe
def agreement_detail(request: HttpRequest, collaboration_id: int, agreement_id: int) -> HttpResponse:
    agreement = _public_agreement(collaboration_id, agreement_id)
    document = agreement_selectors.agreement_document(agreement, public=True)
    context = {"collaboration": agreement.collaboration, "document": document}
    return render(request, "portal/agreement_detail.html", context)


@require_safe
def agreement_pdf(request: HttpRequest, collaboration_id: int, agreement_id: int) -> HttpResponse:
    agreement = _public_agreement(collaboration_id, agreement_id)
    return exports.agreement_pdf_response(
        request, agreement_selectors.agreement_document(agreement, public=True)
    )
