"""Small-count suppression: counts below a threshold are never shown outside begränsad views.

A count of 1–4 events in a hexagon, crimes in a DeSO area or events in one hour of one weekday can point
out a person, so every view that is not begränsad hides them (and says so). Zero is not hidden: "nothing
happened here" singles nobody out, and hiding it would make every empty cell look like a small one.

Pure functions without the database; the threshold is ``settings.SAMVERKAN_SMALL_COUNT_THRESHOLD``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

from django.conf import settings
from django.utils.translation import gettext as _

K = TypeVar("K", bound=Hashable)

DEFAULT_THRESHOLD = 5


def threshold() -> int:
    """The configured threshold (read at call time, so tests and deployments can change it)."""
    return max(1, int(getattr(settings, "SAMVERKAN_SMALL_COUNT_THRESHOLD", DEFAULT_THRESHOLD)))


@dataclass(frozen=True)
class Suppressed(Generic[K]):
    """Counts split into what may be shown and what is hidden.

    ``visible`` holds only counts ≥ the threshold; ``hidden_total`` and ``hidden_cells`` say how much was
    held back (cells with 1 to threshold − 1). Cells with zero are in neither.
    """

    visible: dict[K, int]
    hidden_total: int
    hidden_cells: int
    hidden_keys: frozenset[K] = field(default_factory=frozenset)


def is_small(count: float | Decimal, threshold: int) -> bool:
    """A count that may single someone out: above zero, below the threshold (zero says nothing of anyone)."""
    return 0 < count < threshold


def suppress_counts(counts: Mapping[K, int], threshold: int) -> Suppressed[K]:
    """Keep counts ≥ ``threshold``; sum up and drop the smaller non-zero ones."""
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    visible: dict[K, int] = {}
    hidden: set[K] = set()
    hidden_total = 0
    for key, count in counts.items():
        if count < 0:
            raise ValueError(f"negative count for {key!r}")
        if is_small(count, threshold):
            hidden.add(key)
            hidden_total += count
        elif count > 0:
            visible[key] = count
    return Suppressed(
        visible=visible, hidden_total=hidden_total, hidden_cells=len(hidden), hidden_keys=frozenset(hidden)
    )


@dataclass(frozen=True)
class Cell:
    """One count as a table shows it: ``value`` is None when hidden, ``text`` is what to print."""

    value: int | None
    text: str
    hidden: bool


def cell(count: int, *, threshold: int, exact: bool) -> Cell:
    """One count for a table: the number, or "färre än N" (never the number) when it is small.

    ``exact`` is the begränsad view, where every count is shown as it is.
    """
    if exact or not is_small(count, threshold):
        return Cell(value=count, text=str(count), hidden=False)
    return Cell(value=None, text=fewer_than(threshold), hidden=True)


def fewer_than(threshold: int) -> str:
    return _("färre än %(n)s") % {"n": threshold}
