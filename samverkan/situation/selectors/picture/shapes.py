"""The shape every output of the joint picture renders (page, PDF, XLSX, API, freezing), and level rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from samverkan.core.areas import AREA_TITLES
from samverkan.core.models import Collaboration, Level
from samverkan.core.shipped import shipped
from samverkan.indicators.suppression import fewer_than
from samverkan.situation.models import PictureVersion, Question, Round, StatusLevel, Trend

# --- Levels ------------------------------------------------------------------------------------------


def _level_of(row: Any) -> tuple[str, frozenset[str]]:
    return row.level, row.restricted_roles if row.level == Level.BEGRANSAD else frozenset()


SEVERITY = {
    StatusLevel.GRON.value: 0,
    StatusLevel.GUL.value: 1,
    StatusLevel.ORANGE.value: 2,
    StatusLevel.ROD.value: 3,
}


def _worst(statuses: Iterable[str]) -> str:
    known = [s for s in statuses if s in SEVERITY]
    return max(known, key=SEVERITY.__getitem__) if known else ""


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value else ""


# --- The shape every output renders --------------------------------------------------------------------


@dataclass
class Part:
    """Something with a confidentiality level; quacks like a content row for ``level_badge``."""

    level: str = Level.OPPEN.value
    restricted_to: frozenset[str] = frozenset()

    @property
    def is_restricted(self) -> bool:
        return self.level == Level.BEGRANSAD

    @property
    def restricted_roles(self) -> frozenset[str]:
        return self.restricted_to

    @property
    def level_label(self) -> str:
        return _label(Level, self.level)


def _change_word(now: str, then: str) -> str:
    if not now or not then:
        return ""
    if SEVERITY[now] > SEVERITY[then]:
        return _("sämre")
    if SEVERITY[now] < SEVERITY[then]:
        return _("bättre")
    return _("oförändrat")


@dataclass
class Cell(Part):
    """One organisation's status and trend in one area, compared with earlier rounds."""

    organisation: str = ""
    organisation_id: int | None = None
    submitted: bool = False
    status: str = ""
    trend: str = ""
    previous_status: str = ""
    last_year_status: str = ""
    # False when an agreed version holds a cell the reader may not see (or none at all).
    visible: bool = True

    @property
    def status_label(self) -> str:
        return _label(StatusLevel, self.status)

    @property
    def trend_label(self) -> str:
        return _label(Trend, self.trend)

    @property
    def previous_label(self) -> str:
        return _label(StatusLevel, self.previous_status)

    @property
    def last_year_label(self) -> str:
        return _label(StatusLevel, self.last_year_status)

    @property
    def change_vs_previous(self) -> str:
        return _change_word(self.status, self.previous_status)

    @property
    def change_vs_last_year(self) -> str:
        return _change_word(self.status, self.last_year_status)

    @property
    def trend_arrow(self) -> str:
        return {Trend.OKAR: "↑", Trend.MINSKAR: "↓", Trend.OFORANDRAT: "→"}.get(self.trend, "")  # type: ignore[call-overload]

    @property
    def comparison_text(self) -> str:
        """In words, for exports: "förra: Grön, sämre; i fjol: Gul, oförändrat"."""
        parts = []
        if self.previous_status:
            parts.append(_("förra: %(s)s, %(c)s") % {"s": self.previous_label, "c": self.change_vs_previous})
        if self.last_year_status:
            parts.append(
                _("i fjol: %(s)s, %(c)s") % {"s": self.last_year_label, "c": self.change_vs_last_year}
            )
        return "; ".join(parts)

    @property
    def has_content(self) -> bool:
        return bool(self.status or self.trend)


@dataclass
class TextPart(Part):
    """A free-text or places answer."""

    organisation: str = ""
    question: str = ""
    text: str = ""
    places: list[str] = field(default_factory=list)
    kind: str = Question.Kind.TEXT.value


@dataclass
class NumberPart(Part):
    organisation: str = ""
    question: str = ""
    number: int | None = None


@dataclass
class SummaryPart(Part):
    text: str = ""
    updated_at: dt.datetime | None = None
    version: int | None = None  # the live summary's, sent back when it is edited; none when frozen


@dataclass
class EventPart(Part):
    occurred_at: dt.datetime | None = None
    category: str = ""
    area_code: str = ""
    place: str = ""
    latitude: float | None = None
    longitude: float | None = None
    description: str = ""
    organisation: str = ""
    kommun: str = ""  # the kommun's name
    sensitive: bool = False  # its category's EventCategory.sensitive
    # A generalised event (generalise.py) has the day instead of the moment and ``kommun`` as its area.
    generalised: bool = False
    occurred_on: dt.date | None = None


@dataclass
class EventCount(Part):
    """The events of one sensitive category in one kommun over the period: all an öppen output shows.

    A count below the small-count threshold (indicators.suppression) is withheld: ``count`` is None,
    ``below_threshold`` is set and ``shown`` reads "färre än 5"; the number is not kept at all.
    """

    category: str = ""
    area_code: str = ""
    kommun: str = ""
    count: int | None = 0
    below_threshold: bool = False
    threshold: int = 0

    @property
    def shown(self) -> str:
        """The count as a reader sees it, in the reader's language."""
        return fewer_than(self.threshold) if self.count is None else str(self.count)


def area_anchor(area_code: str, order: int) -> str:
    """The id of an area's heading on the page (a fragment to return to after saving its summary)."""
    return f"omrade-{area_code or order}"


@dataclass
class Area:
    order: int
    title: str
    area_code: str
    section_id: int | None = None
    cells: list[Cell] = field(default_factory=list)
    texts: list[TextPart] = field(default_factory=list)
    numbers: list[NumberPart] = field(default_factory=list)
    summary: SummaryPart | None = None
    # A summary exists that this reading leaves out (not öppen in an öppen version, or a level the
    # reader's role may not read): the page says so instead of "no summary", without its text.
    summary_withheld: bool = False
    event_count: int = 0

    @property
    def anchor(self) -> str:
        return area_anchor(self.area_code, self.order)


@dataclass
class SeriesMonth:
    month: dt.date
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class SeriesPart:
    """Events of one month, area and category at one level: the unit frozen, so readers count what they
    may see and an öppen output can leave out the sensitive categories (generalise.py)."""

    month: dt.date
    area_code: str
    level: str
    restricted_to: frozenset[str]
    count: int
    # None: frozen before the category was kept with the count (generalise_series treats it with care).
    category: str | None = None
    sensitive: bool = False


@dataclass
class Completeness:
    organisation: str
    submitted: bool
    submitted_at: dt.datetime | None = None


@dataclass
class PictureData:
    round: Round
    collaboration: Collaboration
    areas: list[Area]
    organisations: list[str]
    events: list[EventPart]
    series: list[SeriesMonth]
    series_parts: list[SeriesPart]
    completeness: list[Completeness]
    previous_round: Round | None = None
    last_year_round: Round | None = None
    version: PictureVersion | None = None
    public_only: bool = False
    # An öppen output (generalise.py): ``events`` are generalised, sensitive ones only in ``event_counts``.
    events_generalised: bool = False
    event_counts: list[EventCount] = field(default_factory=list)
    # Areas an öppen series leaves out whole (frozen before the category was kept with each count).
    series_withheld_areas: frozenset[str] = frozenset()
    small_count_threshold: int = 0  # an öppen output's (indicators.suppression): below it a count is withheld
    # The begränsad rows shown, for record_reads (which audit-logs them): the whole picture's and the
    # matrix's own (for its refresh). The live picture keeps light stand-ins (type, id, collaboration,
    # level) so a cached picture stays small; record_reads needs nothing more.
    source_rows: list[Any] = field(default_factory=list, repr=False)
    cell_rows: list[Any] = field(default_factory=list, repr=False)
    # The live picture's events as the map partial takes them (None: made from ``events``).
    map_rows: list[dict[str, Any]] | None = field(default=None, repr=False)
    kommun_codes: list[str] | None = field(default=None, repr=False)

    @property
    def asked_count(self) -> int:
        return len(self.completeness)

    @property
    def submitted_count(self) -> int:
        return sum(1 for c in self.completeness if c.submitted)

    @property
    def missing(self) -> list[str]:
        return [c.organisation for c in self.completeness if not c.submitted]

    @property
    def series_columns(self) -> list[tuple[str, str]]:
        """(area code, title) for the time-series table: the template's areas, then any others."""
        columns = [
            (a.area_code, a.title)
            for a in self.areas
            if a.area_code and a.area_code not in self.series_withheld_areas
        ]
        known = {code for code, _title in columns}
        if any(code not in known for month in self.series for code in month.counts):
            columns.append(("", _("Övriga")))
        return columns

    @property
    def series_rows(self) -> list[tuple[dt.date, list[int], int]]:
        columns = [code for code, _title in self.series_columns if code]
        rows = []
        for month in self.series:
            counts = [month.counts.get(code, 0) for code in columns]
            if len(columns) < len(self.series_columns):
                counts.append(month.total - sum(counts))
            rows.append((month.month, counts, month.total))
        return rows

    @property
    def chart(self) -> dict[str, Any]:
        """Geometry of the bar chart (one bar per month, total events), rendered as inline SVG."""
        width, height, top, bottom, left = 640, 220, 20, 40, 36
        bar_space = (width - left) / max(len(self.series), 1)
        peak = max((m.total for m in self.series), default=0)
        scale = (height - top - bottom) / peak if peak else 0
        bars = []
        for i, month in enumerate(self.series):
            bar_height = month.total * scale
            x = left + i * bar_space + bar_space * 0.15
            bars.append(
                {
                    "x": round(x, 1),
                    "y": round(height - bottom - bar_height, 1),
                    "width": round(bar_space * 0.7, 1),
                    "height": round(bar_height, 1),
                    "label_x": round(x + bar_space * 0.35, 1),
                    "value_y": round(height - bottom - bar_height - 4, 1),
                    "total": month.total,
                    "month": month.month,
                    "current": month.month.year == self.round.period_end.year
                    and month.month.month == self.round.period_end.month,
                }
            )
        return {
            "width": width,
            "height": height,
            "baseline": height - bottom,
            "left": left,
            "bars": bars,
            "peak": peak,
        }

    @property
    def matrix_rows(self) -> list[MatrixRow]:
        return matrix_rows(self)

    @property
    def map_events(self) -> list[dict[str, Any]]:
        """The events in the shape the map partial (situation/_event_map.html) takes.

        The live picture fills ``map_rows`` with ``selectors.events.map_events`` (area colours, links);
        an agreed version has only its frozen items, so its rows are made here without links.
        """
        if self.map_rows is not None:
            return self.map_rows
        if self.events_generalised:
            return []  # an öppen output has no points to draw (generalise.py)
        return [
            {
                "latitude": e.latitude,
                "longitude": e.longitude,
                "label": e.description,
                "category": e.category,
                "occurred_at": e.occurred_at,
                "place": e.place,
                "area": e.area_code,
                "area_title": AREA_TITLES.get(e.area_code, e.area_code),
                "url": "",
            }
            for e in self.events
        ]

    @property
    def map_kommun_codes(self) -> list[str]:
        if self.kommun_codes is None:
            self.kommun_codes = sorted(self.collaboration.kommuner.values_list("kod", flat=True))
        return self.kommun_codes


# --- The matrix as the page shows it ----------------------------------------------------------------------


class _Words:
    """The matrix's words, translated once per rendering rather than once per cell."""

    def __init__(self) -> None:
        self.status = {value: str(label) for value, label in StatusLevel.choices}
        self.trend = {value: str(label) for value, label in Trend.choices}
        self.level = {value: str(label) for value, label in Level.choices}
        self.change = {1: _("sämre"), -1: _("bättre"), 0: _("oförändrat")}
        self.previous = _("förra: %(status)s – %(change)s")
        self.last_year = _("i fjol: %(status)s – %(change)s")
        self.nothing_to_show = _("Inget att visa")
        self.no_status = _("Inget läge angivet")
        self.not_reported = _("Ej rapporterat")
        self.more = _("Jämför")
        self.more_about = _("%(organisation)s, %(area)s")

    def compared(self, pattern: str, now: str, then: str) -> str:
        change = ""
        if now and then:
            change = self.change[(SEVERITY[now] > SEVERITY[then]) - (SEVERITY[now] < SEVERITY[then])]
        return pattern % {"status": self.status.get(then, ""), "change": change}


_DASH = '<span aria-hidden="true">–</span><span class="visually-hidden">{}</span>'


def _status_chip(cell: Cell, words: _Words) -> str:
    """The cell's status as a chip (colour and word), in both the full and the compact cell."""
    return format_html(
        '<span class="status-chip status-chip--{}">{}</span>', cell.status, words.status[cell.status]
    )


def _cell_html(cell: Cell, words: _Words) -> str:
    """One matrix cell's content: status chip (colour and word), trend, comparisons, level."""
    from samverkan.core.templatetags.samverkan import level_badge

    if not cell.visible:
        return format_html(_DASH, words.nothing_to_show)
    if not cell.has_content:
        if cell.submitted:
            return format_html(_DASH, words.no_status)
        return format_html('<span class="muted">{}</span>', words.not_reported)
    parts = [_status_chip(cell, words)] if cell.status else []
    if cell.trend:
        parts.append(
            format_html(
                '<span class="picture-trend"><span aria-hidden="true">{}</span> {}</span>',
                cell.trend_arrow,
                words.trend.get(cell.trend, ""),
            )
        )
    if cell.previous_status:
        parts.append(
            format_html(
                '<span class="picture-compare">({})</span>',
                words.compared(words.previous, cell.status, cell.previous_status),
            )
        )
    if cell.last_year_status:
        parts.append(
            format_html(
                '<span class="picture-compare">({})</span>',
                words.compared(words.last_year, cell.status, cell.last_year_status),
            )
        )
    if cell.is_restricted:
        parts.append(level_badge(cell))
    return mark_safe("\n".join(parts))  # noqa: S308 - every part is format_html'd above


def _compact_cell_html(cell: Cell, area_title: str, words: _Words, full: str) -> str:
    """One cell of the wide table: the status chip (colour and word) and the trend's arrow (its word for
    screen readers), the level when begränsad; the rest (``full``, the cell's ``_cell_html``: trend in
    words, comparisons, who may read it) opens on demand, so the table of every organisation fits a
    1,280 px screen."""

    if not cell.visible or not cell.has_content:
        return full
    main = [_status_chip(cell, words)] if cell.status else []
    if cell.trend:
        main.append(
            format_html(
                '<span class="picture-trend"><span aria-hidden="true">{}</span>'
                '<span class="visually-hidden">{}</span></span>',
                cell.trend_arrow,
                words.trend.get(cell.trend, ""),
            )
        )
    # Chip and arrow stay on one line: the arrow alone on the next would read as a separate answer.
    parts = [format_html('<span class="picture-cell-main">{}</span>', mark_safe(" ".join(main)))]  # noqa: S308
    if cell.is_restricted:
        parts.append(
            format_html('<span class="badge badge--{}">{}</span>', cell.level, words.level[cell.level])
        )
    if cell.previous_status or cell.last_year_status or cell.is_restricted:
        parts.append(
            format_html(
                '<details class="picture-more"><summary>{}<span class="visually-hidden">: {}</span></summary>'
                "{}</details>",
                words.more,
                words.more_about % {"organisation": cell.organisation, "area": area_title},
                full,
            )
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every part is format_html'd above


@dataclass
class MatrixRow:
    """One area of the matrix: its cells in full (the per-area list on a phone, print) and compact (the
    wide table), in the order of ``PictureData.organisations``."""

    area: Area
    cells: list[str]
    compact: list[str] = field(default_factory=list)

    @property
    def entries(self) -> list[tuple[str, str]]:
        """(organisation, cell in full) for the per-area list."""
        return [(cell.organisation, html) for cell, html in zip(self.area.cells, self.cells, strict=True)]


def matrix_rows(data: PictureData) -> list[MatrixRow]:
    """The matrix's rows with each cell's HTML made in Python: one template node per cell."""
    words = _Words()
    rows = []
    for area in data.areas:
        title = shipped(area.title)
        cells = [_cell_html(cell, words) for cell in area.cells]
        compact = [
            _compact_cell_html(cell, title, words, full) for cell, full in zip(area.cells, cells, strict=True)
        ]
        rows.append(MatrixRow(area, cells, compact))
    return rows
