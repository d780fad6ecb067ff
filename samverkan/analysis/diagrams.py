"""The cause analysis drawn as server-rendered SVG: the triangle, Brå's fishbone and the cause tree.

Layout is computed here, not in templates: text is measured by its character count (a bound, not a
font metric: ``CHAR_WIDTH`` is wider than the average glyph of the page's sans-serif), long labels wrap,
and the canvas grows to hold every box. Each drawing is ``role="img"`` with a ``<title>`` and ``<desc>``;
the page puts a nested list of the same content beside it for screen readers, print and PDF. Every text
is escaped here, so a cause may contain ``<&>``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

CHAR_WIDTH = 7.4  # px per character at FONT_SIZE, generous
FONT_SIZE = 13
LINE_HEIGHT = 17
PAD = 8  # inside a box
GAP = 12  # between boxes
WRAP = 30  # characters per line in a box
MAX_LINES = 4  # a longer label is cut with "…" (the list beside the drawing has it whole)
INDENT = 28  # per level in the tree and on a bone
BONE_MARGIN = 28  # between a fishbone bone and the causes on it


@dataclass
class Box:
    """A labelled box on the canvas: its top-left corner, size and the lines it shows."""

    key: str
    x: float
    y: float
    width: float
    height: float
    lines: list[str]
    css: str = "diagram__box"

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Box) -> bool:
        return not (
            self.right <= other.x or other.right <= self.x or self.bottom <= other.y or other.bottom <= self.y
        )


@dataclass
class Drawing:
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)
    lines: list[tuple[float, float, float, float, str]] = field(default_factory=list)  # x1 y1 x2 y2 css
    texts: list[tuple[float, float, str, str]] = field(default_factory=list)  # x y text css (free labels)
    polygons: list[tuple[str, str]] = field(default_factory=list)  # points, css


def wrap(text: str, width: int = WRAP, max_lines: int = MAX_LINES) -> list[str]:
    """Lines of at most ``width`` characters (a longer word is broken), at most ``max_lines``."""
    lines = textwrap.wrap(" ".join(text.split()), width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1] if len(last) >= width else last) + "…"
    return lines


def measure(lines: Sequence[str]) -> tuple[float, float]:
    """The size of a box holding ``lines``."""
    longest = max((len(line) for line in lines), default=0)
    return longest * CHAR_WIDTH + 2 * PAD, len(lines) * LINE_HEIGHT + 2 * PAD


def make_box(key: str, text: str, x: float, y: float, *, css: str = "diagram__box", width: int = WRAP) -> Box:
    lines = wrap(text, width)
    w, h = measure(lines)
    return Box(key=key, x=x, y=y, width=w, height=h, lines=lines, css=css)


def render(drawing: Drawing, *, title: str, desc: str, ident: str) -> SafeString:
    """The SVG markup (every text escaped; the size scales down with the page via viewBox)."""
    w, h = round(drawing.width), round(drawing.height)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" role="img" viewBox="0 0 {w} {h}" '
        f'width="{w}" height="{h}" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]
    for points, css in drawing.polygons:
        out.append(f'<polygon points="{points}" class="{css}"/>')
    for x1, y1, x2, y2, css in drawing.lines:
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" class="{css}"/>')
    for box in drawing.boxes:
        out.append(
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" '
            f'rx="4" class="{box.css}"/>'
        )
        for number, line in enumerate(box.lines):
            baseline = box.y + PAD + (number + 1) * LINE_HEIGHT - 4
            out.append(
                f'<text x="{box.x + PAD:.1f}" y="{baseline:.1f}" class="diagram__text">{escape(line)}</text>'
            )
    for x, y, text, css in drawing.texts:
        out.append(f'<text x="{x:.1f}" y="{y:.1f}" class="{css}">{escape(text)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)


# --- The cause tree: why → why, left to right ----------------------------------------------------------


def _flatten(nodes: Iterable[Any], depth: int = 0) -> list[tuple[Any, int]]:
    """(node, depth) in reading order; nodes have ``.cause`` and ``.children`` (selectors.CauseNode)."""
    rows: list[tuple[Any, int]] = []
    for node in nodes:
        rows.append((node, depth))
        rows.extend(_flatten(node.children, depth + 1))
    return rows


def tree_layout(problem_title: str, roots: Sequence[Any]) -> Drawing:
    """The problem on the left, each cause one row lower and one step further right than its parent:
    every box has its own band of rows, so none overlap however long the labels are."""
    head = make_box("problem", problem_title, GAP, GAP, css="diagram__box diagram__box--problem")
    boxes = [head]
    lines: list[tuple[float, float, float, float, str]] = []
    y = head.bottom + GAP
    anchors: dict[int, Box] = {}
    for node, depth in _flatten(roots):
        box = make_box(f"cause-{node.cause.pk}", node.cause.text, GAP + (depth + 1) * INDENT, y)
        parent = anchors.get(node.cause.parent_id) if node.cause.parent_id else None
        start = parent or head
        # An elbow from below the parent's left edge to the middle of the box's left side.
        x0 = start.x + INDENT / 2
        lines.append((x0, start.bottom, x0, box.y + box.height / 2, "diagram__link"))
        lines.append((x0, box.y + box.height / 2, box.x, box.y + box.height / 2, "diagram__link"))
        anchors[node.cause.pk] = box
        boxes.append(box)
        y = box.bottom + GAP
    width = max(box.right for box in boxes) + GAP
    return Drawing(width=width, height=y, boxes=boxes, lines=lines)


def tree_svg(problem_title: str, roots: Sequence[Any], *, ident: str = "orsakstrad") -> SafeString:
    count = len(_flatten(roots))
    drawing = tree_layout(problem_title, roots)
    return render(
        drawing,
        title=_("Orsaksträd för %(problem)s") % {"problem": problem_title},
        desc=_("%(count)s orsaker, direkta och indirekta. Samma innehåll finns som lista under bilden.")
        % {"count": count},
        ident=ident,
    )


# --- Brå's fishbone: the problem as the head, one bone per side of the triangle (+ annat) -------------


def fishbone_layout(problem_title: str, roots: Sequence[Any], bones: Sequence[tuple[str, str]]) -> Drawing:
    """Two bones above the spine and two below; each bone is a column of its causes (the direct ones
    with theirs indented below them), and the column's slanted line meets the spine."""
    columns: list[tuple[str, str, list[Box]]] = []
    for code, label in bones:
        boxes = []
        for node, depth in _flatten([root for root in roots if root.cause.bone == code]):
            boxes.append(
                make_box(f"cause-{node.cause.pk}", node.cause.text, BONE_MARGIN + depth * INDENT, 0, width=24)
            )
        columns.append((code, label, boxes))
    half = (len(columns) + 1) // 2
    top, bottom = columns[:half], columns[half:]

    def column_size(boxes: list[Box]) -> tuple[float, float]:
        if not boxes:
            return 120.0, LINE_HEIGHT
        width = max(box.right for box in boxes)
        return max(width, 120.0), sum(box.height for box in boxes) + GAP * (len(boxes) - 1)

    widths = [
        max(
            column_size(top[i][2])[0] if i < len(top) else 0,
            column_size(bottom[i][2])[0] if i < len(bottom) else 0,
        )
        for i in range(half)
    ]
    top_height = max((column_size(b)[1] for _c, _l, b in top), default=0) + LINE_HEIGHT + GAP
    bottom_height = max((column_size(b)[1] for _c, _l, b in bottom), default=0) + LINE_HEIGHT + GAP
    spine_y = GAP + top_height + GAP * 2
    drawing = Drawing(width=0, height=0)
    x: float = GAP
    spine_end: float = GAP
    for index in range(half):
        column_x = x
        for is_top, entry in ((True, top[index]), (False, bottom[index] if index < len(bottom) else None)):
            if entry is None:
                continue
            _code, label, boxes = entry
            if is_top:
                label_y: float = GAP + LINE_HEIGHT - 4
                y: float = GAP + LINE_HEIGHT + GAP / 2
            else:
                label_y = spine_y + GAP * 2 + bottom_height
                y = spine_y + GAP * 2
            drawing.texts.append((column_x, label_y, str(label), "diagram__bone-label"))
            for box in boxes:
                box.x += column_x
                box.y = y
                y += box.height + GAP
                drawing.boxes.append(box)
            # The bone: from the column's outer end to the spine, slanted toward the head.
            outer_y = GAP + LINE_HEIGHT if is_top else spine_y + GAP * 2 + bottom_height - LINE_HEIGHT
            # Slanted toward the head, left of every box on the bone (they start BONE_MARGIN in).
            drawing.lines.append(
                (column_x + 2, outer_y, column_x + BONE_MARGIN - 6, spine_y, "diagram__bone")
            )
        x += widths[index] + GAP * 2
        spine_end = x
    head = make_box(
        "problem", problem_title, spine_end + GAP, 0, css="diagram__box diagram__box--problem", width=22
    )
    head.y = spine_y - head.height / 2
    drawing.boxes.append(head)
    drawing.lines.append((GAP / 2, spine_y, head.x, spine_y, "diagram__spine"))
    drawing.width = head.right + GAP
    drawing.height = max(spine_y + GAP * 2 + bottom_height + GAP, head.bottom + GAP)
    if head.y < 0:
        shift = -head.y + GAP
        for box in drawing.boxes:
            box.y += shift
        drawing.lines = [(a, b + shift, c, d + shift, css) for a, b, c, d, css in drawing.lines]
        drawing.texts = [(a, b + shift, t, css) for a, b, t, css in drawing.texts]
        drawing.height += shift
    return drawing


def fishbone_svg(
    problem_title: str, roots: Sequence[Any], bones: Sequence[tuple[str, str]], *, ident: str = "fiskben"
) -> SafeString:
    drawing = fishbone_layout(problem_title, roots, bones)
    return render(
        drawing,
        title=_("Fiskbensdiagram för %(problem)s") % {"problem": problem_title},
        desc=_("Orsakerna på benen %(bones)s. Samma innehåll finns som lista under bilden.")
        % {"bones": ", ".join(str(label) for _code, label in bones)},
        ident=ident,
    )


# --- The problem-analysis triangle ---------------------------------------------------------------------


def triangle_layout(sides: Sequence[tuple[str, str, str, str]]) -> Drawing:
    """The triangle whose sides are the offender (left), the target (right) and the place (base), each
    label sitting on its side, with the one who can act on that side (handler, guardian, manager)
    outside it, joined by a dashed line.

    ``sides``: (key, side text, controller key, controller text) in that order. The triangle is sized
    from the largest box so the three side labels stay apart."""
    inner = [make_box(key, text, 0, 0, width=26) for key, text, _ck, _ct in sides]
    outer = [
        make_box(ckey, ctext, 0, 0, css="diagram__box diagram__box--controller", width=26)
        for _k, _t, ckey, ctext in sides
    ]
    column = max(box.width for box in inner + outer)
    tall = max(box.height for box in inner + outer)
    s = max(2 * column + 4 * GAP, (2 * tall + 4 * GAP) / 0.866, 300.0)
    height = s * 0.866
    left, top = 0.0, GAP + 0.0
    apex, base_left, base_right = (left + s / 2, top), (left, top + height), (left + s, top + height)
    offender, target, place = inner
    handler, guardian, manager = outer

    def centre(box: Box, x: float, y: float) -> None:
        box.x, box.y = x - box.width / 2, y - box.height / 2

    centre(offender, left + s / 4, top + height / 2)
    centre(target, left + 3 * s / 4, top + height / 2)
    centre(place, left + s / 2, top + height)
    handler.x, handler.y = offender.x - 3 * GAP - handler.width, offender.y
    guardian.x, guardian.y = target.right + 3 * GAP, target.y
    manager.x, manager.y = place.x + (place.width - manager.width) / 2, place.bottom + 3 * GAP
    drawing = Drawing(width=0, height=0)
    drawing.boxes.extend([offender, target, place, handler, guardian, manager])
    links = [
        (handler.right, handler.y + handler.height / 2, offender.x, offender.y + offender.height / 2),
        (target.right, target.y + target.height / 2, guardian.x, guardian.y + guardian.height / 2),
        (place.x + place.width / 2, place.bottom, manager.x + manager.width / 2, manager.y),
    ]
    # Everything moves right and down so the leftmost box starts at GAP.
    dx = GAP - min(box.x for box in drawing.boxes)
    dy = max(0.0, GAP - min(box.y for box in drawing.boxes))
    for box in drawing.boxes:
        box.x += dx
        box.y += dy
    drawing.polygons.append(
        (
            " ".join(f"{x + dx:.1f},{y + dy:.1f}" for x, y in (apex, base_left, base_right)),
            "diagram__triangle",
        )
    )
    drawing.lines = [(a + dx, b + dy, c + dx, d + dy, "diagram__control") for a, b, c, d in links]
    drawing.width = max(box.right for box in drawing.boxes) + GAP
    drawing.height = max(box.bottom for box in drawing.boxes) + GAP
    return drawing


def triangle_svg(analysis: Any, *, ident: str = "triangel") -> SafeString:
    """The triangle of a ``CauseAnalysis`` (or an object with the same fields); empty sides say so."""
    missing = _("ej ifyllt")

    def part(label: str, value: str) -> str:
        return f"{label}: {value or missing}"

    sides = [
        (
            "offender",
            part(_("Gärningsperson"), analysis.offender),
            "handler",
            part(_("Kan påverka"), analysis.handler),
        ),
        (
            "target",
            part(_("Brottsutsatt/mål"), analysis.target),
            "guardian",
            part(_("Kan skydda"), analysis.guardian),
        ),
        (
            "place",
            part(_("Plats"), analysis.place),
            "manager",
            part(_("Ansvarar för platsen"), analysis.manager),
        ),
    ]
    return render(
        triangle_layout(sides),
        title=_("Problemanalystriangeln"),
        desc=_("Gärningsperson, brottsutsatt och plats, var och en med den som kan påverka: %(text)s")
        % {"text": "; ".join(f"{a} ({b})" for _k, a, _c, b in sides)},
        ident=ident,
    )
