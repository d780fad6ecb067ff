"""Events as everything öppen shows them: generalised, the one rule for every public output.

An öppen version of a joint picture is meant to be published (the kommun's website, a printed PDF, a
spreadsheet sent on). A single event with its minute, its point and its place can name the person it
happened to, most of all in a small place; so every öppen output of events (the öppen page, PDF and
XLSX of an agreed version, the API's ``?oppen=true``) shows them through ``generalise_events``:

- the day, never the time (``occurred_on``; ``occurred_at`` is dropped);
- the kommun as the area, never a point, a named place or the reporting organisation;
- events of a sensitive category (``EventCategory.sensitive``; the shipped set and the reasons are in
  ``situation.defaults.SENSITIVE_EVENT_CATEGORIES``) never one by one, only as a count per category and
  kommun over the period ("Våld i nära relation, Älvdalen: 7 händelser"), and a count below the
  small-count threshold withheld by the statistics' rule (``indicators.suppression.is_small``): "färre än
  5", the number not kept. No total of an öppen output holds a withheld count, so none can be subtracted
  back out of one: an area's event count takes the listed events and the shown counts, and the monthly
  series (``generalise_series``) leaves the sensitive categories out altogether.

Readers entitled to the full version (members reading intern/begränsad) see events as they were reported.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable

from django.utils import timezone

from samverkan.core.levels import strictest
from samverkan.indicators.suppression import is_small
from samverkan.indicators.suppression import threshold as small_count_threshold
from samverkan.situation.selectors.picture.shapes import EventCount, EventPart, SeriesPart


def _day(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def generalise_events(
    events: Iterable[EventPart],
    *,
    sensitive_categories: Collection[str] = (),
    area: str = "",
    threshold: int | None = None,
) -> tuple[list[EventPart], list[EventCount]]:
    """The events as an öppen output may show them, and the counts that stand for the sensitive ones.

    An event is sensitive when it was frozen as such or its category's name is in ``sensitive_categories``
    now (a category marked sensitive later also stops older öppen versions from listing its events).
    ``area`` names the area of an event whose kommun is unknown (frozen before the kommun was kept).
    ``threshold`` is the small-count threshold (default: the setting).
    """
    limit = small_count_threshold() if threshold is None else threshold
    rows: list[EventPart] = []
    grouped: dict[tuple[str, str, str], list[EventPart]] = defaultdict(list)
    for event in events:
        kommun = event.kommun or area
        if event.sensitive or event.category in sensitive_categories:
            grouped[(event.category, event.area_code, kommun)].append(event)
            continue
        rows.append(
            EventPart(
                level=event.level,
                restricted_to=event.restricted_to,
                generalised=True,
                occurred_on=_day(event.occurred_at),
                category=event.category,
                area_code=event.area_code,
                kommun=kommun,
                description=event.description,
            )
        )
    counts = []
    for (category, area_code, kommun), parts in grouped.items():
        level, roles = strictest((p.level, p.restricted_to) for p in parts)
        small = is_small(len(parts), limit)
        counts.append(
            EventCount(
                level=level,
                restricted_to=roles,
                category=category,
                area_code=area_code,
                kommun=kommun,
                count=None if small else len(parts),
                below_threshold=small,
                threshold=limit,
            )
        )
    rows.sort(key=lambda e: (e.occurred_on or dt.date.min, e.category, e.kommun))
    counts.sort(key=lambda c: (c.category, c.kommun))
    return rows, counts


def generalise_series(
    parts: Iterable[SeriesPart],
    *,
    sensitive_categories: Collection[str] = (),
    sensitive_area_codes: Collection[str] = (),
) -> list[SeriesPart]:
    """The monthly series as an öppen output may show it: without the sensitive categories.

    Beside the listed events a month's count per area would otherwise give away the sensitive events of
    that month by subtraction, finer than the withheld count per category and kommun. A part frozen
    before the category was kept with it (``category`` None) may hold sensitive events in an area that
    has a sensitive category (``sensitive_area_codes``), so it is left out too.
    """
    return [
        part
        for part in parts
        if not (
            part.sensitive
            or part.category in sensitive_categories
            or (part.category is None and part.area_code in sensitive_area_codes)
        )
    ]
