"""The SVG layout: every cause drawn, no two boxes overlapping, long labels wrapped, text escaped, and
the drawing well-formed with its title and description."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from samverkan.analysis import diagrams
from samverkan.analysis.models import Cause

SVG = "{http://www.w3.org/2000/svg}"
BONES = [(code, str(label)) for code, label in Cause.Bone.choices]


@dataclass
class Node:
    cause: SimpleNamespace
    children: list[Node] = field(default_factory=list)


_ids = itertools.count(1)


def node(text: str, bone: str = "annat", parent: Node | None = None, *children: Node) -> Node:
    made = Node(
        SimpleNamespace(pk=next(_ids), text=text, bone=bone, parent_id=parent.cause.pk if parent else None)
    )
    for child in children:
        child.cause.parent_id = made.cause.pk
        made.children.append(child)
    return made


def forest() -> list[Node]:
    long = "En mycket lång orsak som måste radbrytas flera gånger för att rymmas i sin ruta " * 3
    return [
        node(
            "Ingen belysning vid <busstationen> & torget",
            "plats",
            None,
            node("Budgeten drogs in"),
            node(long),
        ),
        node(
            "Mopeder trimmas",
            "garningsperson",
            None,
            node("Ingen fritidsgård", "garningsperson", None, node("Lokalen såld")),
        ),
        node("Butiken saknar kameror", "brottsutsatt"),
        node("Annat: sent bussbyte", "annat"),
        node("Parken är mörk", "plats"),
    ]


def assert_no_overlaps(boxes: list[diagrams.Box]) -> None:
    for first, second in itertools.combinations(boxes, 2):
        assert not first.overlaps(second), f"{first.key} overlaps {second.key}"


def all_nodes(roots: list[Node]) -> list[Node]:
    found = []
    for root in roots:
        found.append(root)
        found.extend(all_nodes(root.children))
    return found


def test_wrap_bounds_lines_and_marks_a_cut():
    lines = diagrams.wrap("ord " * 100, width=20, max_lines=3)
    assert len(lines) == 3 and all(len(line) <= 20 for line in lines)
    assert lines[-1].endswith("…")
    assert diagrams.wrap("x" * 50, width=20, max_lines=4) == ["x" * 20, "x" * 20, "x" * 10]


def test_tree_layout_draws_every_cause_once_without_overlaps():
    roots = forest()
    drawing = diagrams.tree_layout("Problemet", roots)
    keys = [box.key for box in drawing.boxes]
    assert sorted(keys) == sorted(["problem"] + [f"cause-{n.cause.pk}" for n in all_nodes(roots)])
    assert_no_overlaps(drawing.boxes)
    assert all(box.right <= drawing.width and box.bottom <= drawing.height for box in drawing.boxes)
    # A cause stands further right than the cause it explains.
    by_key = {box.key: box for box in drawing.boxes}
    for n in all_nodes(roots):
        for child in n.children:
            assert by_key[f"cause-{child.cause.pk}"].x > by_key[f"cause-{n.cause.pk}"].x


def test_fishbone_puts_causes_on_their_bones_without_overlaps():
    roots = forest()
    drawing = diagrams.fishbone_layout("Problemet", roots, BONES)
    keys = {box.key for box in drawing.boxes}
    assert keys == {"problem"} | {f"cause-{n.cause.pk}" for n in all_nodes(roots)}
    assert_no_overlaps(drawing.boxes)
    labels = [text for _x, _y, text, _css in drawing.texts]
    assert sorted(labels) == sorted(label for _code, label in BONES)
    assert all(box.x >= 0 and box.y >= 0 and box.right <= drawing.width for box in drawing.boxes)


def test_fishbone_with_no_causes_still_draws_the_head_and_bones():
    drawing = diagrams.fishbone_layout("Problemet", [], BONES)
    assert [box.key for box in drawing.boxes] == ["problem"]
    assert len([line for line in drawing.lines if line[4] == "diagram__bone"]) == 4


@pytest.mark.parametrize("length", [0, 10, 2_000])
def test_triangle_has_six_boxes_apart_for_any_text_length(length):
    analysis = SimpleNamespace(
        offender="a" * length,
        handler="b" * length,
        target="c" * length,
        guardian="d" * length,
        place="e" * length,
        manager="f" * length,
    )
    sides = [
        ("offender", analysis.offender, "handler", analysis.handler),
        ("target", analysis.target, "guardian", analysis.guardian),
        ("place", analysis.place, "manager", analysis.manager),
    ]
    drawing = diagrams.triangle_layout(sides)
    assert len(drawing.boxes) == 6
    assert_no_overlaps(drawing.boxes)
    assert all(box.right <= drawing.width and box.bottom <= drawing.height for box in drawing.boxes)
    markup = diagrams.triangle_svg(analysis)
    ET.fromstring(markup)


def test_svg_is_well_formed_accessible_and_escapes_text():
    roots = forest()
    for markup in (
        diagrams.tree_svg("Problem <script>&", roots),
        diagrams.fishbone_svg("Problem <script>&", roots, BONES),
    ):
        assert "<script>" not in markup
        assert "&lt;busstationen&gt; &amp; torget" in markup
        root = ET.fromstring(markup)
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text.endswith("Problem <script>&")
        assert root.find(f"{SVG}desc").text
        labelled = root.get("aria-labelledby").split()
        assert [root.find(f"{SVG}title").get("id"), root.find(f"{SVG}desc").get("id")] == labelled
        texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
        for n in all_nodes(roots):
            first_words = n.cause.text.split()[0]
            assert first_words in texts
