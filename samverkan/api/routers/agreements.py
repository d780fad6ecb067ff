"""Temporary: the helpers the routers not yet moved into their apps still import from here.

The agreements API now lives in ``samverkan.agreements.api``; delete this module once indicators,
situation_rounds, situation_templates and situation_events import nothing from it.
"""

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from samverkan.core.apikit import organisation_ref, plain
from samverkan.core.apikit import patch_fields as changes

M = TypeVar("M", bound=Model)


def find(queryset: QuerySet[M], pk: int) -> M:
    """The row if the (already visibility-scoped) queryset holds it, else 404."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


__all__ = ["changes", "find", "organisation_ref", "plain"]
