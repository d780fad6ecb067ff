"""Data revisions: a number per kind of imported data, moved on by its import inside its transaction.

A cache of something built from imported data (the DeSO outlines of a map, situation/map_context.py; the
statistics beside a joint picture) is keyed by the number, so the next read after an import builds afresh
in every process. A number is never given twice: a new row starts from the clock and a bump moves the
number to at least the clock, so neither a recreated database nor an import that was rolled back (whose
number a memo made inside its transaction may carry) comes back to a value an old entry was stored under.
"""

from __future__ import annotations

import time

from django.db.models import F, Value
from django.db.models.functions import Greatest

from samverkan.indicators.models import DataRevision

DESO_AREAS = "deso_areas"  # the DeSO areas: their boundaries, names and kommuner
DATA_POINTS = "data_points"  # the indicators' data points: any created, changed or removed


def data_revision(name: str) -> int:
    """The current revision of ``name`` (one query; the row is made on first use)."""
    value = DataRevision.objects.filter(name=name).values_list("value", flat=True).first()
    if value is None:
        DataRevision.objects.bulk_create(
            [DataRevision(name=name, value=time.time_ns())], ignore_conflicts=True
        )
        value = DataRevision.objects.values_list("value", flat=True).get(name=name)
    return int(value)


def current_data_revision(name: str) -> int:
    """The current revision of ``name``, 0 while its data has never changed; a read only (no row made)."""
    value = DataRevision.objects.filter(name=name).values_list("value", flat=True).first()
    return int(value) if value is not None else 0


def bump_data_revision(name: str) -> None:
    """Call inside the transaction that changes the data: readers see the new number with the new rows."""
    if not DataRevision.objects.filter(name=name).update(value=_next_value()):
        data_revision(name)
        DataRevision.objects.filter(name=name).update(value=_next_value())


def _next_value() -> Greatest:
    # Past the clock, not just + 1: a rolled-back bump's number is never the next committed one.
    return Greatest(F("value") + 1, Value(time.time_ns()))
