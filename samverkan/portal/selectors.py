"""Reads for the public pages: the active collaborations (agreements come from the agreements selectors)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from samverkan.core.models import Collaboration
from samverkan.core.selectors import parse_id


def active_collaborations() -> QuerySet[Collaboration]:
    return Collaboration.objects.filter(is_active=True).prefetch_related("kommuner").order_by("name")


def get_active_collaboration(pk: Any) -> Collaboration:
    """An active collaboration, else 404."""
    number = parse_id(pk)
    collaboration = Collaboration.objects.filter(pk=number, is_active=True).first() if number else None
    if collaboration is None:
        raise Http404
    return collaboration
