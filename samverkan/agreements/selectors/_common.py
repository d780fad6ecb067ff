"""What every agreement selector shares: the published statuses, scoping and one visible row."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import Http404

from samverkan.agreements.models import (
    Agreement,
    FactSource,
    FocusArea,
    Signatory,
)
from samverkan.core.selectors import get_for_user, parse_id

# The rows that belong to one agreement and are reached through it.
Part = TypeVar("Part", FocusArea, FactSource, Signatory)

PUBLISHED = (Agreement.Status.GALLANDE, Agreement.Status.AVSLUTAD, Agreement.Status.ERSATT)


def _scope(queryset: QuerySet[Any], *, user: Any = None, public: bool = False) -> QuerySet[Any]:
    """Public outputs take öppen rows only; everything else what the user may read."""
    return queryset.public() if public else queryset.visible_to(user)  # type: ignore[attr-defined]


# --- One row through the visibility rule, and the lists as the pages show them (logged) ---------------


def _one_visible(queryset: QuerySet[Any], *, user: Any, pk: Any, shown: bool = True) -> Any:
    """The row with ``pk`` if the user may read it (else 404); a begränsad row shown is audit-logged.

    ``shown=False``: the row is looked up to be changed or removed, not shown (the API reads again
    what its answer shows), so nothing is logged.
    """
    if shown:
        return get_for_user(queryset, user, pk)
    number = parse_id(pk)
    row = queryset.visible_to(user).filter(pk=number).first() if number else None  # type: ignore[attr-defined]
    if row is None:
        raise Http404
    return row
