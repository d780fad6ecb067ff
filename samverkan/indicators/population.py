"""Population by year, for rates per 10,000 inhabitants.

SCB's population ("scb.folkmangd", imported per kommun and DeSO and year) is the denominator of the year
the value belongs to; ``Kommun.folkmangd`` (the latest known year) serves when that year is missing.
"""

from __future__ import annotations

from collections.abc import Iterable

from samverkan.indicators.defaults import POPULATION
from samverkan.indicators.models import DataPoint


def kommun_population_by_year(kommun_ids: Iterable[str]) -> dict[tuple[str, int], int]:
    """(kommun code, year) → population, from the kommun-level "scb.folkmangd" points."""
    points = DataPoint.objects.filter(
        indicator__code=POPULATION, kommun_id__in=list(kommun_ids), deso__isnull=True
    ).values_list("kommun_id", "period_start", "value")
    return {(kommun_id, start.year): int(value) for kommun_id, start, value in points}


def deso_population_by_year(deso_codes: Iterable[str]) -> dict[tuple[str, int], int]:
    """(DeSO code, year) → population, from the DeSO-level "scb.folkmangd" points."""
    points = DataPoint.objects.filter(indicator__code=POPULATION, deso_id__in=list(deso_codes)).values_list(
        "deso_id", "period_start", "value"
    )
    return {(deso_id, start.year): int(value) for deso_id, start, value in points}


def latest_kommun_population(kommun_ids: Iterable[str]) -> dict[str, tuple[int, int]]:
    """kommun code → (year, population) of its latest "scb.folkmangd" point."""
    latest: dict[str, tuple[int, int]] = {}
    for (kommun_id, year), population in kommun_population_by_year(kommun_ids).items():
        if kommun_id not in latest or year > latest[kommun_id][0]:
            latest[kommun_id] = (year, population)
    return latest
