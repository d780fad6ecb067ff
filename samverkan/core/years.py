"""The years a date in the product may lie in, shared by the API's types and the web forms.

Python's dates end in year 9999, and a day computed past one written near it (a renewal's next period, a
deadline a year on) is an overflow; the database's range differs again. So every date written from outside
stays inside ``YEARS`` and every date used only to filter inside ``FILTER_YEARS``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

YEARS = (1990, 2100)  # dates written: agreements, promises, rounds, events, meetings, …
FILTER_YEARS = (1900, 2200)  # dates in filters (statistics reach further back than the product's content)


def outside_years(value: Any, years: tuple[int, int] = YEARS) -> str | None:
    """Why ``value`` (a date or date-time) lies outside ``years``, or None when it does not."""
    if value is None or years[0] <= value.year <= years[1]:
        return None
    return gettext("Ange ett datum mellan år %(first)s och %(last)s.") % {"first": years[0], "last": years[1]}
