"""An agreed version of the joint picture, in the live picture's shape, from its frozen items."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from samverkan.core.models import Level
from samverkan.indicators.suppression import threshold as small_count_threshold
from samverkan.situation.models import PictureItem, PictureVersion, Question
from samverkan.situation.selectors.events import sensitive_categories
from samverkan.situation.selectors.picture.generalise import generalise_events, generalise_series
from samverkan.situation.selectors.picture.live import _series, last_year_round, previous_round
from samverkan.situation.selectors.picture.shapes import (
    Area,
    Cell,
    Completeness,
    EventCount,
    EventPart,
    NumberPart,
    PictureData,
    SeriesPart,
    SummaryPart,
    TextPart,
)

# What a frozen NUMBER item holds: an answer's number, one slice of the events time series, or completeness.
PART_ANSWER, PART_SERIES, PART_COMPLETENESS = "answer", "series", "completeness"


def version_items(*, version: PictureVersion, user: Any, public_only: bool = False) -> QuerySet[PictureItem]:
    """The version's frozen items ``user`` may read (``public_only``: the öppen ones among them)."""
    qs = PictureItem.objects.filter(version=version).visible_to(user).order_by("id")
    return qs.public() if public_only else qs


def _roles(item: PictureItem) -> frozenset[str]:
    return item.restricted_roles if item.level == Level.BEGRANSAD else frozenset()


def _parse_datetime(value: Any) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def version_data(*, version: PictureVersion, user: Any, public_only: bool = False) -> PictureData:
    """The agreed version in the live picture's shape, from the frozen items ``user`` may read."""
    round_ = version.picture.round
    items = list(version_items(version=version, user=user, public_only=public_only))
    areas: dict[tuple[int, str], Area] = {}
    for section in round_.template.sections.order_by("order", "id"):
        areas[(section.order, section.title)] = Area(
            order=section.order, title=section.title, area_code=section.area_code, section_id=section.pk
        )

    def area_of(item: PictureItem) -> Area:
        key = (item.section_order, item.section_title)
        if key not in areas:
            areas[key] = Area(order=item.section_order, title=item.section_title, area_code=item.area_code)
        return areas[key]

    cells: dict[tuple[int, str], dict[str, Cell]] = defaultdict(dict)
    org_order: dict[str, int] = {}
    events: list[EventPart] = []
    series_parts: list[SeriesPart] = []
    completeness: list[Completeness] = []
    for item in items:
        payload = item.payload or {}
        level, roles = item.level, _roles(item)
        if item.kind == PictureItem.Kind.CELL:
            area = area_of(item)
            org_order.setdefault(item.organisation_name, payload.get("organisation_order", len(org_order)))
            cells[(area.order, area.title)][item.organisation_name] = Cell(
                level=level,
                restricted_to=roles,
                organisation=item.organisation_name,
                submitted=bool(payload.get("submitted")),
                status=item.status,
                trend=item.trend,
                previous_status=item.previous_status,
                last_year_status=item.last_year_status,
            )
        elif item.kind in (PictureItem.Kind.TEXT, PictureItem.Kind.PLACES):
            area_of(item).texts.append(
                TextPart(
                    level,
                    roles,
                    item.organisation_name,
                    item.question_text,
                    item.text,
                    list(payload.get("places", [])),
                    Question.Kind.PLACES if item.kind == PictureItem.Kind.PLACES else Question.Kind.TEXT,
                )
            )
        elif item.kind == PictureItem.Kind.SUMMARY:
            area_of(item).summary = SummaryPart(
                level, roles, item.text, _parse_datetime(payload.get("updated_at"))
            )
        elif item.kind == PictureItem.Kind.EVENT:
            events.append(
                EventPart(
                    level=level,
                    restricted_to=roles,
                    occurred_at=_parse_datetime(payload.get("occurred_at")),
                    category=payload.get("category", ""),
                    area_code=item.area_code,
                    place=payload.get("place", ""),
                    latitude=payload.get("latitude"),
                    longitude=payload.get("longitude"),
                    description=item.text,
                    organisation=item.organisation_name,
                    kommun=payload.get("kommun", ""),
                    sensitive=bool(payload.get("sensitive")),
                )
            )
        elif item.kind == PictureItem.Kind.NUMBER:
            part = payload.get("part", PART_ANSWER)
            if part == PART_SERIES:
                month = dt.date.fromisoformat(payload["month"])
                series_parts.append(
                    SeriesPart(
                        month,
                        item.area_code,
                        level,
                        roles,
                        item.number or 0,
                        payload.get("category"),
                        bool(payload.get("sensitive")),
                    )
                )
            elif part == PART_COMPLETENESS:
                completeness = [
                    Completeness(
                        row["organisation"], bool(row["submitted"]), _parse_datetime(row.get("submitted_at"))
                    )
                    for row in payload.get("rows", [])
                ]
            else:
                area_of(item).numbers.append(
                    NumberPart(level, roles, item.organisation_name, item.question_text, item.number)
                )

    organisations = sorted(org_order, key=lambda name: (org_order[name], name))
    by_code = {a.area_code: a for a in areas.values() if a.area_code}
    if any(area.summary is None for area in areas.values()):
        # Only whether the version froze one (no text), at any level: an öppen version says "not öppen".
        frozen_summaries = PictureItem.objects.filter(version=version, kind=PictureItem.Kind.SUMMARY)
        for key in frozen_summaries.values_list("section_order", "section_title"):
            if key in areas and areas[key].summary is None:
                areas[key].summary_withheld = True
    for key, area in areas.items():
        row = cells.get(key, {})
        area.cells = [row.get(name) or Cell(organisation=name, visible=False) for name in organisations]
    events.sort(key=lambda e: (e.occurred_at or timezone.now(), e.category))
    event_counts: list[EventCount] = []
    series_withheld_areas: frozenset[str] = frozenset()
    if public_only:
        # Everything öppen is published: events generalised, sensitive ones only counted, small counts
        # withheld and no total that would give them back (generalise.py).
        sensitive = sensitive_categories(round_.collaboration)
        sensitive_names = {name for name, _code in sensitive}
        events, event_counts = generalise_events(
            events,
            sensitive_categories=sensitive_names,
            area=", ".join(round_.collaboration.kommuner.order_by("namn").values_list("namn", flat=True)),
        )
        if any(part.category is None for part in series_parts):
            # Frozen before the category was kept with each count: whole areas are left out.
            series_withheld_areas = frozenset(code for _name, code in sensitive)
        series_parts = generalise_series(
            series_parts, sensitive_categories=sensitive_names, sensitive_area_codes=series_withheld_areas
        )
    for event in events:
        if event.area_code in by_code:
            by_code[event.area_code].event_count += 1
    for count in event_counts:
        if count.area_code in by_code and count.count is not None:
            by_code[count.area_code].event_count += count.count
    return PictureData(
        round=round_,
        collaboration=round_.collaboration,
        areas=sorted(areas.values(), key=lambda a: (a.order, a.title)),
        organisations=organisations,
        events=events,
        series=_series(round_, series_parts),
        series_parts=series_parts,
        completeness=completeness,
        previous_round=previous_round(round_),
        last_year_round=last_year_round(round_),
        version=version,
        public_only=public_only,
        events_generalised=public_only,
        event_counts=event_counts,
        series_withheld_areas=series_withheld_areas,
        small_count_threshold=small_count_threshold() if public_only else 0,
        source_rows=items,
        cell_rows=[i for i in items if i.kind == PictureItem.Kind.CELL],
    )
