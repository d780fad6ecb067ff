"""Data revisions: a number per kind of imported data, moved on by its import inside its transaction.

A cache of something built from imported data (the DeSO outlines of a map, situation/map_context.py) is
keyed by the number, so the next read after an import builds afresh in every process. A new row starts
from the clock, so a recreated database never comes back to a value an old cache entry was stored under.
"""

from __future__ import annotations

import time

from django.db.models import F

from samverkan.indicators.models import DataRevision

DESO_AREAS = "deso_areas"  # the DeSO areas: their boundaries, names and kommuner


def data_revision(name: str) -> int:
    """The current revision of ``name`` (one query; the row is made on first use)."""
    value = DataRevision.objects.filter(name=name).values_list("value", flat=True).first()
    if value is None:
        DataRevision.objects.bulk_create(
            [DataRevision(name=name, value=time.time_ns())], ignore_conflicts=True
        )
        value = DataRevision.objects.values_list("value", flat=True).get(name=name)
    return int(value)


def bump_data_revision(name: str) -> None:
    """Call inside the transaction that changes the data: readers see the new number with the new rows."""
    if not DataRevision.objects.filter(name=name).update(value=F("value") + 1):
        data_revision(name)
        DataRevision.objects.filter(name=name).update(value=F("value") + 1)
