"""Events as everything öppen shows them: generalised, the one rule for every public output.

An öppen version of a joint picture is meant to be published (the kommun's website, a printed PDF, a
spreadsheet sent on). A single event with its minute, its point and its place can name the person it
happened to, most of all in a small place; so every öppen output of events (the öppen page, PDF and
XLSX of an agreed version, the API's ``?oppen=true``) shows them through ``generalise_events``:

- the day, never the time (``occurred_on``; ``occurred_at`` is dropped);
- the kommun as the area, never a point, a named place or the reporting organisation;
- events of a sensitive category (``EventCategory.sensitive``; the shipped set and the reasons are in
  ``situation.defaults.SENSITIVE_EVENT_CATEGORIES``) never one by one, only as a count per category and
  kommun over the period ("Våld i nära relation, Älvdalen: 3 händelser").

Readers entitled to the full version (members reading intern/begränsad) see events as they were reported.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable

from django.utils import timezone

from samverkan.core.levels import strictest
from samverkan.situation.selectors.picture.shapes import EventCount, EventPart


def _day(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def generalise_events(
    events: Iterable[EventPart],
    *,
    sensitive_categories: Collection[str] = (),
    area: str = "",
) -> tuple[list[EventPart], list[EventCount]]:
    """The events as an öppen output may show them, and the counts that stand for the sensitive ones.

    An event is sensitive when it was frozen as such or its category's name is in ``sensitive_categories``
    now (a category marked sensitive later also stops older öppen versions from listing its events).
    ``area`` names the area of an event whose kommun is unknown (frozen before the kommun was kept).
    """
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
        counts.append(
            EventCount(
                level=level,
                restricted_to=roles,
                category=category,
                area_code=area_code,
                kommun=kommun,
                count=len(parts),
            )
        )
    rows.sort(key=lambda e: (e.occurred_on or dt.date.min, e.category, e.kommun))
    counts.sort(key=lambda c: (c.category, c.kommun))
    return rows, counts
