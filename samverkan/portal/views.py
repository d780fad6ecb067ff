"""Public pages. The portal holds no models: it shows only what the apps publish (level öppen)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samverkan.core.models import Collaboration


def index(request: HttpRequest) -> HttpResponse:
    collaborations = (
        Collaboration.objects.filter(is_active=True).prefetch_related("kommuner").order_by("name")
    )
    return render(request, "portal/index.html", {"collaborations": collaborations})
