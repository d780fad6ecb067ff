"""Reads for the statistics map's statistics: DeSO choropleth of registered crimes, police events per
kommun and area, and the hour × weekday table.

The map page itself, which adds the members' events (a later floor), is ``situation.statistics_map``.
Outside the begränsad view every count below the threshold is hidden or merged (``suppression``, ``heat``).
The begränsad view (``exact=True``) is for users who may see exact locations *and* asked for it; the
caller decides that with ``begransad_view``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.errors import GEOSException
from shapely.geometry import shape

from samverkan.core.areas import area_title
from samverkan.core.models import Collaboration
from samverkan.core.permissions import can_see_exact_locations
from samverkan.indicators import heat
from samverkan.indicators.models import CrimeCode, Deso, PoliceEvent, PoliceEventTypeMapping, RegisteredCrime
from samverkan.indicators.suppression import Cell, cell, suppress_counts

LAYER_EVENTS = "handelser"
LAYER_DESO = "deso"
LAYERS = {
    LAYER_EVENTS: gettext_lazy("Medlemmarnas händelser"),
    LAYER_DESO: gettext_lazy("Registrerade brott per DeSO"),
}
WEEKDAYS = [
    gettext_lazy("måndag"),
    gettext_lazy("tisdag"),
    gettext_lazy("onsdag"),
    gettext_lazy("torsdag"),
    gettext_lazy("fredag"),
    gettext_lazy("lördag"),
    gettext_lazy("söndag"),
]


@dataclass(frozen=True)
class MapFilters:
    start: dt.date
    end: dt.date
    area_code: str = ""
    layer: str = LAYER_EVENTS
    resolution: str = heat.DEFAULT_RESOLUTION

    @classmethod
    def default(cls, today: dt.date | None = None) -> MapFilters:
        """The last twelve months up to today."""
        today = today or timezone.localdate()
        return cls(start=today - dt.timedelta(days=364), end=today)


def begransad_view(user: Any, collaboration: Collaboration, *, asked: bool) -> bool:
    """Exact counts and points only when the user asked for them *and* may see exact locations."""
    return asked and can_see_exact_locations(user, collaboration)


def _bounds(filters: MapFilters) -> tuple[dt.datetime, dt.datetime]:
    """[start of the first day, start of the day after the last) in local time."""
    first = timezone.make_aware(dt.datetime.combine(filters.start, dt.time.min))
    after = timezone.make_aware(dt.datetime.combine(filters.end + dt.timedelta(days=1), dt.time.min))
    return first, after


# --- Hour × weekday --------------------------------------------------------------------------------------


SHADES = 5  # steps of the table's background, 0 (none) to 4 (darkest); the number is always printed too


@dataclass(frozen=True)
class WeekCell:
    cell: Cell
    shade: int


@dataclass(frozen=True)
class WeekRow:
    weekday: str
    cells: list[WeekCell]


@dataclass(frozen=True)
class WeekTable:
    """Seven rows (Monday first) of 24 hours, Swedish local time; small cells hidden unless exact."""

    rows: list[WeekRow]
    total: int
    hidden_cells: int

    @property
    def hours(self) -> list[str]:
        return [f"{h:02d}" for h in range(24)]


def week_table(counts: Mapping[tuple[int, int], int], *, threshold: int, exact: bool) -> WeekTable:
    """``counts`` keyed by (weekday 0 = Monday, hour 0–23)."""
    shown = {key: cell(counts.get(key, 0), threshold=threshold, exact=exact) for key in _week_keys()}
    # Shades follow the shown numbers only, so a hidden cell's colour gives nothing away.
    top = max((c.value or 0 for c in shown.values()), default=0)

    def shade(c: Cell) -> int:
        return 0 if not c.value or not top else 1 + min(SHADES - 2, (c.value * (SHADES - 1) - 1) // top)

    rows = [
        WeekRow(
            weekday=str(WEEKDAYS[day]),
            cells=[WeekCell(cell=shown[(day, hour)], shade=shade(shown[(day, hour)])) for hour in range(24)],
        )
        for day in range(7)
    ]
    hidden = sum(1 for c in shown.values() if c.hidden)
    return WeekTable(rows=rows, total=sum(counts.values()), hidden_cells=hidden)


def _week_keys() -> list[tuple[int, int]]:
    return [(day, hour) for day in range(7) for hour in range(24)]


def police_week_counts(events: QuerySet[PoliceEvent]) -> dict[tuple[int, int], int]:
    """Counted in the database; Extract* use the current (Swedish) time zone."""
    rows = (
        events.order_by()
        .annotate(day=ExtractIsoWeekDay("datetime"), hour=ExtractHour("datetime"))
        .values("day", "hour")
        .annotate(n=Count("pk"))
    )
    return {(row["day"] - 1, row["hour"]): row["n"] for row in rows}


# --- Police events -------------------------------------------------------------------------------------


def police_events(collaboration: Collaboration, filters: MapFilters) -> QuerySet[PoliceEvent]:
    """The police's open events of the collaboration's kommuner in the period (and area)."""
    first, after = _bounds(filters)
    qs = PoliceEvent.objects.filter(
        kommun_id__in=_kommun_codes(collaboration), datetime__gte=first, datetime__lt=after
    )
    if filters.area_code:
        types = PoliceEventTypeMapping.objects.filter(area_code=filters.area_code).values("type")
        qs = qs.filter(type__in=types)
    return qs


@dataclass(frozen=True)
class CountRow:
    label: str
    cell: Cell


def police_counts(events: QuerySet[PoliceEvent]) -> tuple[list[CountRow], list[CountRow]]:
    """Police events per kommun and per lägesbild area (through the type mapping).

    Shown exactly to everyone: the police publish these events per kommun themselves, and the joint
    picture shows the same counts. Only finer cells (the hour × weekday table) are suppressed.
    """
    per_kommun = events.order_by().values("kommun__namn").annotate(n=Count("pk"))
    kommun_rows = [
        CountRow(label=row["kommun__namn"], cell=cell(row["n"], threshold=1, exact=True))
        for row in sorted(per_kommun, key=lambda r: (-r["n"], r["kommun__namn"]))
    ]
    mapping = dict(PoliceEventTypeMapping.objects.values_list("type", "area_code"))
    areas: Counter[str] = Counter()
    for row in events.order_by().values("type").annotate(n=Count("pk")):
        areas[mapping.get(row["type"], "")] += row["n"]
    area_rows = [
        CountRow(
            label=area_title(code) if code else _("Inget område"),
            cell=cell(n, threshold=1, exact=True),
        )
        for code, n in sorted(areas.items(), key=lambda item: (-item[1], item[0]))
    ]
    return kommun_rows, area_rows


# --- Registered crimes per DeSO ----------------------------------------------------------------------------


def has_deso_data(collaboration: Collaboration) -> bool:
    return RegisteredCrime.objects.filter(kommun_id__in=_kommun_codes(collaboration)).exists()


@dataclass(frozen=True)
class DesoRow:
    code: str
    name: str
    kommun: str
    cell: Cell


@dataclass
class DesoMap:
    """The choropleth: features with ``count`` (null when hidden), the table rows, and per kommun the crimes
    the source itself left without DeSO (sekretess)."""

    rows: list[DesoRow]
    features: list[dict[str, Any]]
    without_deso: list[CountRow]
    latest_month: dt.date | None
    hidden_cells: int = 0

    def geojson(self) -> dict[str, Any]:
        return {"type": "FeatureCollection", "features": self.features}


def deso_map(collaboration: Collaboration, filters: MapFilters, *, threshold: int, exact: bool) -> DesoMap:
    codes = _kommun_codes(collaboration)
    crimes = RegisteredCrime.objects.filter(
        kommun_id__in=codes, month__gte=filters.start.replace(day=1), month__lte=filters.end
    )
    if filters.area_code:
        crimes = crimes.filter(
            crime_code__in=CrimeCode.objects.filter(area_code=filters.area_code).values("code")
        )
    per_deso = {
        row["deso_id"]: row["n"]
        for row in crimes.filter(deso__isnull=False).order_by().values("deso_id").annotate(n=Sum("count"))
    }
    hidden = 0 if exact else suppress_counts(per_deso, threshold).hidden_cells
    rows: list[DesoRow] = []
    features: list[dict[str, Any]] = []
    for deso in Deso.objects.filter(kommun_id__in=codes).select_related("kommun"):
        shown = cell(per_deso.get(deso.code, 0), threshold=threshold, exact=exact)
        rows.append(DesoRow(code=deso.code, name=deso.regso, kommun=deso.kommun.namn, cell=shown))
        if deso.geometry:
            features.append(
                {
                    "type": "Feature",
                    "geometry": deso.geometry,
                    "properties": {
                        "code": deso.code,
                        "name": deso.regso,
                        "count": shown.value,
                        "hidden": shown.hidden,
                        "text": shown.text,
                        "label": _label_point(deso.geometry),
                    },
                }
            )
    rows.sort(key=lambda r: (r.cell.hidden, -(r.cell.value or 0), r.code))
    undisclosed = crimes.filter(deso__isnull=True).order_by().values("kommun__namn").annotate(n=Sum("count"))
    without_deso = [
        CountRow(label=row["kommun__namn"], cell=cell(row["n"], threshold=threshold, exact=exact))
        for row in sorted(undisclosed, key=lambda r: r["kommun__namn"])
    ]
    latest = (
        RegisteredCrime.objects.filter(kommun_id__in=codes)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return DesoMap(
        rows=rows, features=features, without_deso=without_deso, latest_month=latest, hidden_cells=hidden
    )


def _label_point(geometry: dict[str, Any]) -> list[float] | None:
    """[lat, lon] inside the area for its number (a centroid may fall outside a crescent-shaped area)."""
    try:
        point = shape(geometry).representative_point()
    except (ValueError, TypeError, AttributeError, KeyError, GEOSException):
        return None
    return [round(point.y, 5), round(point.x, 5)]


def _kommun_codes(collaboration: Collaboration) -> list[str]:
    return list(collaboration.kommuner.values_list("kod", flat=True))
