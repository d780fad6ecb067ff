"""The traceability document of an action plan: problem → causes → actions → indicators → ratings.

``trace_document(plan, user=…, public=…)`` builds what one reader may see once; the page, the print
page, the PDF/A and (later) the portal render it. ``public=True`` takes öppen rows only (``.public()``)
and says where something was left out, never what.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from samverkan.actions.models import Action, ActionIndicator, ActionPlan, FollowUp, IndicatorValue
from samverkan.actions.selectors.cache import cached_for_reader, cached_shown
from samverkan.actions.selectors.followup import RatingOn, latest_readings
from samverkan.agreements.models import FocusArea
from samverkan.analysis.models import Cause, Problem
from samverkan.core.models import Level
from samverkan.core.visibility import ShownRow, shown_rows


def _scope(queryset: QuerySet[Any], *, user: Any, public: bool) -> QuerySet[Any]:
    return queryset.public() if public else queryset.visible_to(user)  # type: ignore[attr-defined]


@dataclass
class CauseNode:
    cause: Cause
    children: list[CauseNode] = field(default_factory=list)


@dataclass
class IndicatorTrace:
    indicator: ActionIndicator
    latest_value: Decimal | None = None
    latest_on: Any = None


@dataclass
class ActionTrace:
    action: Action
    causes: list[Cause]
    indicators: list[IndicatorTrace]
    history: list[RatingOn]  # oldest first
    withheld_followups: int = 0  # public: follow-ups that exist but are not öppen

    @property
    def latest(self) -> RatingOn | None:
        return self.history[-1] if self.history else None


@dataclass
class ProblemTrace:
    problem: Problem
    causes: list[CauseNode]
    actions: list[ActionTrace]


@dataclass
class FocusTrace:
    focus_area: FocusArea | None
    problems: list[ProblemTrace]
    unlinked: list[ActionTrace]  # actions tied to no problem the reader may see


@dataclass
class TraceDocument:
    plan: ActionPlan
    public: bool
    sections: list[FocusTrace]
    withheld_actions: int  # public: the plan's actions that are not öppen (a count, never their text)
    focus_area: FocusArea | None = None  # the one focus area asked for, if any

    @property
    def actions(self) -> list[ActionTrace]:
        seen: dict[int, ActionTrace] = {}
        for section in self.sections:
            for problem in section.problems:
                for trace in problem.actions:
                    seen.setdefault(trace.action.pk, trace)
            for trace in section.unlinked:
                seen.setdefault(trace.action.pk, trace)
        return list(seen.values())


def _tree(causes: list[Cause]) -> list[CauseNode]:
    """Causes as a forest; a cause whose parent the reader may not see stands at the top."""
    nodes = {c.pk: CauseNode(c) for c in causes}
    roots: list[CauseNode] = []
    for cause in causes:
        parent = nodes.get(cause.parent_id) if cause.parent_id else None
        (parent.children if parent else roots).append(nodes[cause.pk])
    return roots


def trace_sections(plan: ActionPlan, *, user: Any) -> list[FocusArea | None]:
    """The sections of the plan's document for this reader, in the document's order: the focus areas of
    the actions they may read (those they may see), then None for the actions without one (or whose
    focus area they may not see), if any. Shared by the readers of one standing until the collaboration
    changes (``selectors.cache``; the list is kept in the process: callers do not change it)."""
    return cached_for_reader(
        "trace-sections",
        user,
        plan.collaboration_id,
        (plan.pk,),
        lambda: _trace_sections(plan, user),
        memo=True,
    )


def _trace_sections(plan: ActionPlan, user: Any) -> list[FocusArea | None]:
    area_ids = set(
        Action.objects.visible_to(user).filter(plan=plan).order_by().values_list("focus_area_id", flat=True)
    )
    areas = list(
        FocusArea.objects.visible_to(user)
        .filter(pk__in={pk for pk in area_ids if pk is not None})
        .order_by("order", "pk")
    )
    without = None in area_ids or len(areas) < len(area_ids - {None})
    return [*areas, *([None] if without else [])]


def trace_document(
    plan: ActionPlan,
    *,
    user: Any = None,
    public: bool = False,
    focus_area_id: int | None = None,
    without_focus_area: bool = False,
) -> TraceDocument:
    """Everything of ``plan`` one reader may see, grouped by focus area; public: öppen only (404 for a
    plan that is not öppen). ``focus_area_id`` narrows it to one focus area the reader may see;
    ``without_focus_area`` to the actions with none (or one the reader may not see).

    A member's document is shared by the readers of one standing until the collaboration changes
    (``selectors.cache``, whose key names the data points' revision too, so the statistics indicators'
    latest values are those of the last import); what it shows is logged on every call."""
    if public and (plan.level != "oppen" or plan.status == ActionPlan.Status.UTKAST):
        raise Http404  # the öppen version is of a decided plan only
    if public:
        return _trace_document(
            plan, user=user, public=True, focus_area_id=focus_area_id, without_focus_area=without_focus_area
        )[0]
    return cached_shown(
        "trace-document",
        user,
        plan.collaboration_id,
        (plan.pk, focus_area_id, without_focus_area),
        lambda: member_trace_document(
            plan, user=user, focus_area_id=focus_area_id, without_focus_area=without_focus_area
        ),
        memo=True,
    )


def member_trace_document(
    plan: ActionPlan, *, user: Any, focus_area_id: int | None = None, without_focus_area: bool = False
) -> tuple[TraceDocument, list[ShownRow]]:
    """A member's document as ``trace_document`` makes it, with the begränsad rows it shows, not logged:
    for a caller that keeps it (or what it renders of it) per standing and logs the rows on every view."""
    document, shown, restricted_followups = _trace_document(
        plan, user=user, public=False, focus_area_id=focus_area_id, without_focus_area=without_focus_area
    )
    return document, [
        *shown_rows(shown),
        *((FollowUp, pk, plan.collaboration_id) for pk in restricted_followups),
    ]


def _trace_document(
    plan: ActionPlan, *, user: Any, public: bool, focus_area_id: int | None, without_focus_area: bool
) -> tuple[TraceDocument, list[Any], list[int]]:
    """The document, what of it is to be logged when shown (members only), and the begränsad follow-ups
    among its ratings (by id: logged as stand-ins, ``core.visibility.record_shown_rows``)."""
    scope = {"user": user, "public": public}
    focus = None
    if focus_area_id is not None:
        focus = _scope(FocusArea.objects.filter(pk=focus_area_id), **scope).first()
        if focus is None:
            raise Http404
    all_actions = Action.objects.filter(plan=plan)
    actions_qs = _scope(all_actions, **scope).select_related("responsible")
    if focus is not None:
        actions_qs = actions_qs.filter(focus_area=focus)
    elif without_focus_area:
        readable = _scope(FocusArea.objects.filter(collaboration_id=plan.collaboration_id), **scope)
        actions_qs = actions_qs.exclude(focus_area__in=readable.values("pk"))
    actions = list(actions_qs.order_by("number"))
    action_ids = [a.pk for a in actions]
    # An action names its focus area only to readers of that focus area.
    focus_areas = (
        {focus.pk: focus}
        if focus is not None
        else {
            f.pk: f
            for f in _scope(
                FocusArea.objects.filter(pk__in={a.focus_area_id for a in actions if a.focus_area_id}),
                **scope,
            )
        }
    )
    withheld_actions = all_actions.count() - _scope(all_actions, **scope).count() if public else 0

    links = Action.problems.through.objects.filter(action_id__in=action_ids)
    problem_ids_of: dict[int, list[int]] = defaultdict(list)
    for link in links:
        problem_ids_of[link.action_id].append(link.problem_id)
    problems = {
        p.pk: p
        for p in _scope(
            Problem.objects.filter(pk__in={pid for ids in problem_ids_of.values() for pid in ids}), **scope
        )
    }
    causes_by_problem: dict[int, list[Cause]] = defaultdict(list)
    causes = {}
    for cause in _scope(Cause.objects.filter(problem_id__in=list(problems)), **scope).order_by("order", "id"):
        causes_by_problem[cause.problem_id].append(cause)
        causes[cause.pk] = cause
    cause_links: dict[int, list[Cause]] = defaultdict(list)
    for action_id, cause_id in Action.causes.through.objects.filter(action_id__in=action_ids).values_list(
        "action_id", "cause_id"
    ):
        if cause_id in causes:
            cause_links[action_id].append(causes[cause_id])

    indicators: dict[int, list[IndicatorTrace]] = defaultdict(list)
    indicator_rows = list(
        _scope(ActionIndicator.objects.filter(action_id__in=action_ids), **scope).select_related(
            "indicator", "kommun"
        )
    )
    # The statistics indicators' values too: a member's document is cached under the data points'
    # revision as well, so the next request after an import builds it afresh.
    readings = latest_readings(indicator_rows, values=_scope(IndicatorValue.objects.all(), **scope))
    for row in indicator_rows:
        trace = IndicatorTrace(row)
        trace.latest_value, trace.latest_on = readings.latest(row)
        indicators[row.action_id].append(trace)

    history: dict[int, list[RatingOn]] = defaultdict(list)
    restricted_followups: list[int] = []
    for pk, action_id, day, rating, level in (
        _scope(FollowUp.objects.filter(action_id__in=action_ids), **scope)
        .order_by("action_id", "followed_up_on", "id")
        .values_list("id", "action_id", "followed_up_on", "rating", "level")
    ):
        history[action_id].append(RatingOn(rating, day))
        if level == Level.BEGRANSAD:
            restricted_followups.append(pk)
    withheld_followups: dict[int, int] = defaultdict(int)
    if public:
        for followup in (
            FollowUp.objects.filter(action_id__in=action_ids).exclude(level="oppen").only("action_id")
        ):
            withheld_followups[followup.action_id] += 1

    traces = {
        a.pk: ActionTrace(
            action=a,
            causes=cause_links.get(a.pk, []),
            indicators=indicators.get(a.pk, []),
            history=history.get(a.pk, []),
            withheld_followups=withheld_followups.get(a.pk, 0),
        )
        for a in actions
    }
    sections: dict[int | None, FocusTrace] = {}
    problem_traces: dict[tuple[int | None, int], ProblemTrace] = {}
    for action in actions:
        key = action.focus_area_id if action.focus_area_id in focus_areas else None
        section = sections.setdefault(
            key, FocusTrace(focus_area=focus_areas.get(key) if key else None, problems=[], unlinked=[])
        )
        linked = [problems[pid] for pid in problem_ids_of.get(action.pk, []) if pid in problems]
        if not linked:
            section.unlinked.append(traces[action.pk])
        for problem in linked:
            problem_trace = problem_traces.get((key, problem.pk))
            if problem_trace is None:
                problem_trace = ProblemTrace(problem, _tree(causes_by_problem.get(problem.pk, [])), [])
                problem_traces[(key, problem.pk)] = problem_trace
                section.problems.append(problem_trace)
            problem_trace.actions.append(traces[action.pk])
    for section in sections.values():
        section.problems.sort(key=lambda t: (-t.problem.priority, t.problem.title))
    ordered = sorted(
        sections.values(),
        key=lambda s: (
            s.focus_area is None,
            s.focus_area.order if s.focus_area else 0,
            s.focus_area.pk if s.focus_area else 0,
        ),
    )
    shown: list[Any] = []
    if not public:
        shown = [*actions, *problems.values(), *causes.values(), *indicator_rows]
        shown += list(readings.measured.values())
    document = TraceDocument(
        plan=plan, public=public, sections=ordered, withheld_actions=withheld_actions, focus_area=focus
    )
    return document, shown, restricted_followups
