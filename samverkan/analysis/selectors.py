"""Reads for problems, their evidence and cause analysis, scoped to the user and audited where shown.

Every read passes the one visibility rule (``visible_to``/``get_for_user``); lists a page shows log their
begränsad rows (``record_reads``); lookups made to change a row (``shown=False``) log nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from samverkan.agreements.models import FocusArea
from samverkan.analysis.models import RAISABLE_PICTURE_KINDS, Cause, CauseAnalysis, Evidence, Problem
from samverkan.core.models import Collaboration
from samverkan.core.selectors import get_for_user, parse_id
from samverkan.core.visibility import record_reads
from samverkan.indicators.models import Indicator
from samverkan.indicators.selectors import indicator_list
from samverkan.indicators.signals import signals_for_collaboration
from samverkan.situation.models import PictureItem, PictureVersion


def _one(queryset: QuerySet[Any], *, user: Any, pk: Any, shown: bool) -> Any:
    if shown:
        return get_for_user(queryset, user, pk)
    number = parse_id(pk)
    row = queryset.visible_to(user).filter(pk=number).first() if number else None  # type: ignore[attr-defined]
    if row is None:
        raise Http404
    return row


# --- Problems ------------------------------------------------------------------------------------------


def problem_queryset(user: Any) -> QuerySet[Problem]:
    """Problems the user may read; a problem names its focus area only to who may read that too."""
    return (
        Problem.objects.visible_to(user)
        .select_related("focus_area", "collaboration")
        .annotate(
            focus_area_visible=Exists(FocusArea.objects.visible_to(user).filter(pk=OuterRef("focus_area_id")))
        )
    )


def cause_api_queryset(user: Any) -> QuerySet[Cause]:
    """Causes the user may read, and whether the parent each names may be named."""
    return (
        Cause.objects.visible_to(user)
        .annotate(parent_visible=Exists(Cause.objects.visible_to(user).filter(pk=OuterRef("parent_id"))))
        .order_by("order", "id")
    )


def rank_key(problem: Problem) -> tuple[int, int, str, int]:
    """Higher total first; a tie goes to the more serious problem, then by title."""
    return (-problem.priority, -problem.severity, problem.title.casefold(), problem.pk)


def problems_ranked(*, user: Any, collaboration: Collaboration, status: str | None = None) -> list[Problem]:
    """The collaboration's problems the user may read, ranked by Brå's criteria; begränsad ones logged."""
    qs = problem_queryset(user).filter(collaboration=collaboration)
    if status:
        qs = qs.filter(status=status)
    problems = sorted(qs, key=rank_key)
    for rank, problem in enumerate(problems, start=1):
        problem.rank = rank  # type: ignore[attr-defined]
    record_reads(user, problems)
    return problems


def get_problem_for_user(user: Any, collaboration: Collaboration, pk: Any, *, shown: bool = True) -> Problem:
    return _one(problem_queryset(user).filter(collaboration=collaboration), user=user, pk=pk, shown=shown)


def get_problem(user: Any, pk: Any, *, shown: bool = True) -> Problem:
    """A problem in any of the user's collaborations (the API's path names no collaboration)."""
    return _one(problem_queryset(user), user=user, pk=pk, shown=shown)


def problem_analysis(*, user: Any, problem: Problem) -> CauseAnalysis | None:
    row = CauseAnalysis.objects.visible_to(user).filter(problem=problem).first()
    if row is not None:
        record_reads(user, [row])
    return row


# --- The cause tree --------------------------------------------------------------------------------------


@dataclass
class CauseNode:
    cause: Cause
    depth: int
    children: list[CauseNode] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    def walk(self) -> list[CauseNode]:
        nodes = [self]
        for child in self.children:
            nodes.extend(child.walk())
        return nodes


def _forest(causes: list[Cause], evidence: list[Evidence]) -> list[CauseNode]:
    """Causes (read in tree order) as a forest of direct causes, each node with the evidence that names
    it. A cause whose parent the reader may not read stands as a direct cause (it is still readable on
    its own; where it hangs is not)."""
    by_id = {cause.pk: CauseNode(cause=cause, depth=1) for cause in causes}
    for row in evidence:
        if row.cause_id in by_id:
            by_id[row.cause_id].evidence.append(row)
    roots: list[CauseNode] = []
    for node in by_id.values():
        parent = by_id.get(node.cause.parent_id) if node.cause.parent_id else None
        (parent.children if parent is not None else roots).append(node)

    def set_depth(node: CauseNode, depth: int) -> None:
        node.depth = depth
        for child in node.children:
            set_depth(child, depth + 1)

    for root in roots:
        set_depth(root, 1)
    return roots


@dataclass(frozen=True)
class AnalysisPage:
    """What the cause analysis page draws, each read once: the triangle, the causes (flat, in tree
    order, and as the forest) and the evidence of the problem and its causes."""

    analysis: CauseAnalysis | None
    causes: list[Cause]
    roots: list[CauseNode]
    evidence: list[Evidence]


def analysis_page(*, user: Any, problem: Problem) -> AnalysisPage:
    """The problem's triangle, causes and evidence the user may read, one query each; begränsad rows
    shown are logged once."""
    analysis = CauseAnalysis.objects.visible_to(user).filter(problem=problem).first()
    causes = list(cause_queryset(user, problem))
    evidence = list(
        Evidence.objects.visible_to(user)
        .filter(problem=problem)
        .select_related("indicator", "kommun", "picture_item__version__picture__round")
    )
    record_reads(user, [*([analysis] if analysis is not None else []), *causes, *evidence])
    roots = _forest(causes, [row for row in evidence if row.cause_id is not None])
    return AnalysisPage(analysis=analysis, causes=causes, roots=roots, evidence=evidence)


def get_cause_for_user(user: Any, problem: Problem, pk: Any, *, shown: bool = True) -> Cause:
    return _one(Cause.objects.filter(problem=problem), user=user, pk=pk, shown=shown)


def get_cause(user: Any, pk: Any, *, shown: bool = True) -> Cause:
    """A cause in any of the user's collaborations (the API), with its problem."""
    cause: Cause = _one(Cause.objects.select_related("problem__collaboration"), user=user, pk=pk, shown=shown)
    return cause


def cause_queryset(user: Any, problem: Problem) -> QuerySet[Cause]:
    return Cause.objects.visible_to(user).filter(problem=problem).order_by("order", "id")


def parent_choices(
    *, user: Any, problem: Problem, exclude: Cause | None = None, causes: list[Cause] | None = None
) -> list[Cause]:
    """Causes a cause may hang under: the problem's readable causes (``causes`` when the caller has read
    them already), without itself and its own causes."""
    causes = list(cause_queryset(user, problem)) if causes is None else causes
    if exclude is None:
        return causes
    below = {exclude.pk}
    changed = True
    while changed:
        changed = False
        for cause in causes:
            if cause.parent_id in below and cause.pk not in below:
                below.add(cause.pk)
                changed = True
    return [cause for cause in causes if cause.pk not in below]


# --- Where problems are raised from -------------------------------------------------------------------


@dataclass(frozen=True)
class RaiseCandidates:
    versions: list[Any]  # agreed versions, each with .parts: the cells and summaries the user may read
    signals: list[Any]


LATEST_VERSIONS = 3


def raise_candidates(
    *, user: Any, collaboration: Collaboration, as_of: dt.date | None = None
) -> RaiseCandidates:
    """The latest agreed versions' cells and area summaries the user may read, and the current signals."""

    versions = list(
        PictureVersion.objects.filter(collaboration=collaboration)
        .select_related("picture__round")
        .order_by("-agreed_at", "-id")[:LATEST_VERSIONS]
        .prefetch_related(
            Prefetch(
                "items",
                queryset=PictureItem.objects.visible_to(user)
                .filter(kind__in=RAISABLE_PICTURE_KINDS)
                .order_by("section_order", "kind", "organisation_name", "id"),
                to_attr="parts",
            )
        )
    )
    for version in versions:
        record_reads(user, version.parts)
    signals = signals_for_collaboration(collaboration, as_of=as_of or timezone.localdate(), limit=20)
    return RaiseCandidates(versions=versions, signals=signals)


def get_picture_item_for_user(user: Any, collaboration: Collaboration, pk: Any) -> Any:
    """A frozen part of one of the collaboration's agreed versions the user may read (else 404)."""

    return _one(PictureItem.objects.filter(collaboration=collaboration), user=user, pk=pk, shown=False)


def focus_area_choices(*, user: Any, collaboration: Collaboration) -> QuerySet[Any]:

    return FocusArea.objects.visible_to(user).filter(collaboration=collaboration).order_by("title")


def indicator_choices(*, collaboration: Collaboration) -> QuerySet[Indicator]:
    """Statistics indicators with values for one of the collaboration's kommuner: what evidence and an
    action's indicator may point to (statistics are public open data)."""
    kommuner = list(collaboration.kommuner.values_list("kod", flat=True))
    return indicator_list(
        area=None, level=None, source=None, points=Q(kommun_id__in=kommuner, deso__isnull=True)
    )


def raisable_parts_by_area(*, user: Any, version: PictureVersion) -> dict[tuple[int, str], list[PictureItem]]:
    """The parts of an agreed version a problem can be raised from that the user may read, by area
    (section order, title). Not logged: the page that shows the version logged them when it showed them."""
    by_area: dict[tuple[int, str], list[PictureItem]] = {}
    for item in (
        PictureItem.objects.visible_to(user)
        .filter(version=version, kind__in=RAISABLE_PICTURE_KINDS)
        .order_by("kind", "organisation_name", "id")
    ):
        by_area.setdefault((item.section_order, item.section_title), []).append(item)
    return by_area
