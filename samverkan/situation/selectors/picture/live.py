"""The live joint picture of a round: submitted reports, events and the samordnare's area summaries.

Every queryset is filtered by ``visible_to(user)``, unless the caller asks for ``unfiltered`` (freezing a
version); like ``visible_to``, no user sees nothing.
Reads take only the columns the picture shows (``values_list``/``only``), a fixed number of queries
whatever the size of the round: no per-row queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils import timezone

from samverkan.core.levels import strictest
from samverkan.core.models import Level, Organisation
from samverkan.core.models.collaboration import decode_roles
from samverkan.situation.models import (
    Answer,
    AreaSummary,
    Event,
    Question,
    Report,
    Round,
    Section,
)
from samverkan.situation.selectors.events import map_events
from samverkan.situation.selectors.picture.shapes import (
    Area,
    Cell,
    Completeness,
    EventPart,
    NumberPart,
    PictureData,
    SeriesMonth,
    SeriesPart,
    SummaryPart,
    TextPart,
    _worst,
)

# --- Comparisons ---------------------------------------------------------------------------------------


def previous_round(round_: Round) -> Round | None:
    """The collaboration's latest round of the same period type that starts before this one."""
    return (
        Round.objects.filter(
            collaboration_id=round_.collaboration_id,
            period=round_.period,
            period_start__lt=round_.period_start,
        )
        .order_by("-period_start")
        .first()
    )


def one_year_earlier(period: str, start: dt.date) -> dt.date:
    """Where the same period began a year earlier (for weeks: the same ISO week, or the year's last)."""
    if period == Round.Period.WEEK:
        year, week, _day = start.isocalendar()
        try:
            return dt.date.fromisocalendar(year - 1, week, 1)
        except ValueError:  # week 53 in a year that has 52
            return dt.date.fromisocalendar(year - 1, 52, 1)
    return start.replace(year=start.year - 1)


def last_year_round(round_: Round) -> Round | None:
    return Round.objects.filter(
        collaboration_id=round_.collaboration_id,
        period=round_.period,
        period_start=one_year_earlier(round_.period, round_.period_start),
    ).first()


def _area_key(area_code: str, title: str) -> str:
    # Template revisions keep the area code; a section without one is matched by its title.
    return area_code or f"titel:{title}"


class _Reader:
    """Whom the picture is built for: ``user``'s visibility, or every row when ``unfiltered``."""

    def __init__(self, user: Any, unfiltered: bool) -> None:
        self.user, self.unfiltered = user, unfiltered

    def scope(self, qs: Any) -> Any:
        return qs if self.unfiltered else qs.visible_to(self.user)


def _submitted_answers(round_ids: list[int], reader: _Reader) -> QuerySet[Answer]:
    return reader.scope(
        Answer.objects.filter(report__round_id__in=round_ids, report__status=Report.Status.INSKICKAD)
    )


def _roles_of(level: str, restricted_to: str) -> frozenset[str]:
    return decode_roles(restricted_to) if level == Level.BEGRANSAD else frozenset()


class _Source:
    """Light stand-ins for the begränsad rows shown: record_reads needs type, id, collaboration, level."""

    def __init__(self) -> None:
        self.rows: list[Any] = []

    def add(self, model: Any, pk: int, collaboration_id: int, level: str) -> Any:
        if level != Level.BEGRANSAD:
            return None
        row = model(pk=pk, collaboration_id=collaboration_id, level=level)
        self.rows.append(row)
        return row


# One contributing row of a matrix cell: (level, restricted roles, stand-in for record_reads or None).
Contribution = tuple[str, frozenset[str], Any]


def _comparisons(
    rounds: list[Round | None], reader: _Reader
) -> list[dict[tuple[int, str], tuple[str, list[Contribution]]]]:
    """Per comparison round: (organisation id, area key) → (worst status, the answers it came from).

    One query for both rounds, only the columns the cells need.
    """
    ids = [r.pk for r in rounds if r is not None]
    found: dict[int, dict[tuple[int, str], list[tuple[str, Contribution]]]] = {pk: {} for pk in ids}
    if ids:
        rows = (
            _submitted_answers(ids, reader)
            .filter(question__kind=Question.Kind.STATUS)
            .exclude(status="")
            .order_by()
            .values_list(
                "id",
                "collaboration_id",
                "level",
                "restricted_to",
                "status",
                "report__round_id",
                "report__organisation_id",
                "question__section__area_code",
                "question__section__title",
            )
        )
        for pk, collaboration_id, level, restricted_to, status, round_id, org_id, code, title in rows:
            stand_in = (
                Answer(pk=pk, collaboration_id=collaboration_id, level=level)
                if level == Level.BEGRANSAD
                else None
            )
            found[round_id].setdefault((org_id, _area_key(code, title)), []).append(
                (status, (level, _roles_of(level, restricted_to), stand_in))
            )
    result = []
    for round_ in rounds:
        by_key = found.get(round_.pk, {}) if round_ is not None else {}
        result.append(
            {
                key: (_worst(status for status, _c in rows), [c for _s, c in rows])
                for key, rows in by_key.items()
            }
        )
    return result


# --- Time series -----------------------------------------------------------------------------------------


def _local_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _month_add(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def series_months(round_: Round) -> list[dt.date]:
    """The twelve months ending with the month the round's period ends in."""
    last = round_.period_end.replace(day=1)
    return [_month_add(last, n) for n in range(-11, 1)]


def _series_parts(round_: Round, reader: _Reader) -> list[SeriesPart]:
    """Events per month, area and level in one aggregate query over (collaboration, occurred_at).

    The month is a CASE over the local month starts computed here, not a database TruncMonth: the same
    result in local time on every backend, and on SQLite 2–3× faster than its per-row time-zone function.
    """
    months = series_months(round_)
    starts = [_local_start(m) for m in [*months, _month_add(months[-1], 1)]]
    qs = reader.scope(
        Event.objects.filter(
            collaboration_id=round_.collaboration_id, occurred_at__gte=starts[0], occurred_at__lt=starts[-1]
        )
    )
    month_index = Case(
        *(When(occurred_at__lt=start, then=Value(i)) for i, start in enumerate(starts[1:-1])),
        default=Value(len(months) - 1),
        output_field=IntegerField(),
    )
    rows = (
        qs.order_by()
        .annotate(month_index=month_index)
        .values_list(
            "month_index",
            "category__area_code",
            "category__name",
            "category__sensitive",
            "level",
            "restricted_to",
        )
        .annotate(n=Count("id"))
    )
    parts = [
        SeriesPart(months[index], code, level, _roles_of(level, restricted_to), n, category, sensitive)
        for index, code, category, sensitive, level, restricted_to, n in rows
    ]
    return sorted(
        parts, key=lambda p: (p.month, p.area_code, p.category or "", p.level, sorted(p.restricted_to))
    )


def _series(round_: Round, parts: Iterable[SeriesPart]) -> list[SeriesMonth]:
    months = {m: SeriesMonth(m) for m in series_months(round_)}
    for part in parts:
        month = months.get(part.month)
        if month is not None:
            month.counts[part.area_code] = month.counts.get(part.area_code, 0) + part.count
    return list(months.values())


# --- The picture -----------------------------------------------------------------------------------------

_EVENT_COLUMNS = (
    "id",
    "collaboration_id",
    "level",
    "restricted_to",
    "occurred_at",
    "latitude",
    "longitude",
    "place_name",
    "description",
    "category__name",
    "category__area_code",
    "category__sensitive",
    "kommun__namn",
    "place__name",
    "place__latitude",
    "place__longitude",
    "organisation__name",
)


def _events(
    round_: Round, reader: _Reader, areas_by_code: dict[str, Area], source: _Source
) -> tuple[list[EventPart], list[dict[str, Any]]]:
    qs = reader.scope(
        Event.objects.filter(
            collaboration_id=round_.collaboration_id,
            occurred_at__gte=_local_start(round_.period_start),
            occurred_at__lt=_local_start(round_.period_end + dt.timedelta(days=1)),
        )
    )
    rows = list(
        qs.select_related("category", "kommun", "place", "organisation")
        .only(*_EVENT_COLUMNS)
        .order_by("occurred_at", "id")
    )
    parts = []
    for event in rows:
        place = event.place
        parts.append(
            EventPart(
                level=event.level,
                restricted_to=_roles_of(event.level, event.restricted_to),
                occurred_at=event.occurred_at,
                category=event.category.name,
                area_code=event.category.area_code,
                place=event.place_name or (place.name if place else ""),
                latitude=event.latitude
                if event.latitude is not None
                else (place.latitude if place else None),
                longitude=event.longitude
                if event.longitude is not None
                else (place.longitude if place else None),
                description=event.description,
                organisation=event.organisation.name if event.organisation else "",
                kommun=event.kommun.namn,
                sensitive=event.category.sensitive,
            )
        )
        area = areas_by_code.get(event.category.area_code)
        if area is not None:
            area.event_count += 1
        source.add(Event, event.pk, event.collaboration_id, event.level)
    map_rows = map_events(rows)
    for row, part in zip(map_rows, parts, strict=True):
        # An event reported at a named place without its own point is drawn at the place.
        row["latitude"], row["longitude"] = part.latitude, part.longitude
    return parts, map_rows


def build_picture(*, round_: Round, user: Any = None, unfiltered: bool = False) -> PictureData:
    """The live joint picture of ``round_`` as ``user`` may see it (no user: none of the levelled parts).

    ``unfiltered=True`` reads everything whatever the user: only ``picture_agree`` does that, to freeze every
    part with its own level so the visibility rule can decide later, per reader, what of the version to show.
    """
    reader = _Reader(user, unfiltered)
    collaboration = round_.collaboration
    sections: list[Section] = list(round_.template.sections.order_by("order", "id"))
    questions = {
        q.pk: q
        for q in Question.objects.filter(section__template_id=round_.template_id).only(
            "id", "section_id", "order", "kind", "text"
        )
    }
    reports = list(
        Report.objects.filter(round=round_).values_list("organisation_id", "status", "submitted_at")
    )
    submitted_at = {org: at for org, status, at in reports if status == Report.Status.INSKICKAD}
    names = dict(round_.organisations.values_list("id", "name"))
    asked_ids = set(names)
    missing_names = set(submitted_at) - asked_ids
    if missing_names:
        names.update(Organisation.objects.filter(pk__in=missing_names).values_list("id", "name"))
    organisations = sorted(names, key=lambda pk: (names[pk], pk))

    previous, last_year = previous_round(round_), last_year_round(round_)
    before, a_year_ago = _comparisons([previous, last_year], reader)

    areas = {
        s.pk: Area(order=s.order, title=s.title, area_code=s.area_code, section_id=s.pk) for s in sections
    }
    source = _Source()
    by_cell: dict[tuple[int, int], list[tuple[Question, str, str, Contribution]]] = defaultdict(list)
    answers = (
        _submitted_answers([round_.pk], reader)
        .order_by()
        .values_list(
            "id",
            "collaboration_id",
            "level",
            "restricted_to",
            "question_id",
            "report__organisation_id",
            "status",
            "trend",
            "text",
            "places",
            "number",
        )
    )
    texts: dict[int, list[tuple[tuple[int, str, int], TextPart | NumberPart]]] = defaultdict(list)
    for (
        pk,
        collaboration_id,
        level,
        restricted_to,
        question_id,
        org_id,
        status,
        trend,
        text,
        places,
        number,
    ) in answers:
        question = questions.get(question_id)
        if question is None or question.section_id not in areas:
            continue
        roles = _roles_of(level, restricted_to)
        if question.kind in (Question.Kind.STATUS, Question.Kind.TREND):
            stand_in = (
                Answer(pk=pk, collaboration_id=collaboration_id, level=level)
                if level == Level.BEGRANSAD
                else None
            )
            by_cell[(question.section_id, org_id)].append((question, status, trend, (level, roles, stand_in)))
            continue
        org_name = names.get(org_id, "")
        part: TextPart | NumberPart
        if question.kind == Question.Kind.NUMBER:
            if number is None:
                continue
            part = NumberPart(level, roles, org_name, question.text, number)
        else:
            place_names = [p.get("name", "") for p in places or [] if isinstance(p, dict)]
            if not text and not place_names:
                continue
            part = TextPart(level, roles, org_name, question.text, text, place_names, question.kind)
        texts[question.section_id].append(((question.order, org_name, pk), part))
        source.add(Answer, pk, collaboration_id, level)
    for section_id, parts in texts.items():
        for _order, part in sorted(parts, key=lambda row: row[0]):
            if isinstance(part, NumberPart):
                areas[section_id].numbers.append(part)
            else:
                areas[section_id].texts.append(part)

    cell_rows: list[Any] = []
    for section in sections:
        area = areas[section.pk]
        key = _area_key(section.area_code, section.title)
        for org_id in organisations:
            rows = by_cell.get((section.pk, org_id), [])
            status = _worst(s for q, s, _t, _c in rows if q.kind == Question.Kind.STATUS)
            trend = next((t for q, _s, t, _c in rows if q.kind == Question.Kind.TREND and t), "")
            prev_status, prev_rows = before.get((org_id, key), ("", []))
            year_status, year_rows = a_year_ago.get((org_id, key), ("", []))
            contributing = [*(c for _q, _s, _t, c in rows), *prev_rows, *year_rows]
            # An empty cell still tells who has not reported: intern, like completeness.
            level, roles = (
                strictest((lvl, r) for lvl, r, _stand_in in contributing)
                if contributing
                else (Level.INTERN.value, frozenset())
            )
            area.cells.append(
                Cell(
                    level=level,
                    restricted_to=roles,
                    organisation=names[org_id],
                    organisation_id=org_id,
                    submitted=org_id in submitted_at,
                    status=status,
                    trend=trend,
                    previous_status=prev_status,
                    last_year_status=year_status,
                )
            )
            cell_rows.extend(stand_in for _l, _r, stand_in in contributing if stand_in is not None)

    summaries = reader.scope(AreaSummary.objects.filter(picture__round=round_))
    for (
        pk,
        collaboration_id,
        level,
        restricted_to,
        section_id,
        text,
        updated_at,
        version,
    ) in summaries.order_by().values_list(
        "id", "collaboration_id", "level", "restricted_to", "section_id", "text", "updated_at", "version"
    ):
        summarised = areas.get(section_id)
        if summarised is not None:
            summarised.summary = SummaryPart(
                level, _roles_of(level, restricted_to), text, updated_at, version
            )
            source.add(AreaSummary, pk, collaboration_id, level)
    if any(area.summary is None for area in areas.values()):
        # Only whether one exists (no text): so the page does not call a summary it withholds missing.
        for section_id in AreaSummary.objects.filter(picture__round=round_).values_list(
            "section_id", flat=True
        ):
            withheld = areas.get(section_id)
            if withheld is not None and withheld.summary is None:
                withheld.summary_withheld = True

    by_code = {a.area_code: a for a in areas.values() if a.area_code}
    events, map_rows = _events(round_, reader, by_code, source)
    series_parts = _series_parts(round_, reader)
    return PictureData(
        round=round_,
        collaboration=collaboration,
        areas=list(areas.values()),
        organisations=[names[pk] for pk in organisations],
        events=events,
        series=_series(round_, series_parts),
        series_parts=series_parts,
        completeness=[
            Completeness(names[pk], pk in submitted_at, submitted_at.get(pk)) for pk in organisations
        ],
        previous_round=previous,
        last_year_round=last_year,
        source_rows=[*source.rows, *cell_rows],
        cell_rows=cell_rows,
        map_rows=map_rows,
        kommun_codes=sorted(collaboration.kommuner.values_list("kod", flat=True)),
    )
