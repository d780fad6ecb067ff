"""Generate a year's facts from what the system holds: a JSON snapshot stored with an evaluation version.

Every row carries the level of what it was built from (the strictest of its parts, ``core.levels``), so the
outputs filter the snapshot through the one visibility rule and the öppen version holds only rows built
from öppen content. Texts are taken in Swedish at generation; the snapshot never changes afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samverkan.actions.models import Action, FollowUp, IndicatorValue, PlanVersion
from samverkan.agreements.models import Agreement, FocusArea, FocusAreaChange
from samverkan.analysis.models import Cause, Problem
from samverkan.core.levels import strictest
from samverkan.core.models import Collaboration, Level, Membership, Role
from samverkan.indicators import suppression, trends
from samverkan.indicators.defaults import POLICE_EVENTS
from samverkan.indicators.models import DataPoint, Indicator, PoliceEvent
from samverkan.meetings.models import Attendance, Meeting
from samverkan.situation.models import PictureItem, PictureVersion, Report, Round

OPPEN = Level.OPPEN.value
INTERN = Level.INTERN.value
# Rows without a level of their own (rounds, reports) are members' business: read as intern.
TENANT_LEVEL = (INTERN, "")


def _row(parts: Iterable[Any], cells: list[Any]) -> dict[str, Any]:
    """One table row at the strictest level of the rows it was built from."""
    level, roles = strictest((p.level, p.restricted_to) for p in parts)
    return {"level": level, "roles": ",".join(sorted(roles)), "cells": cells}


def _plain(level: str, cells: list[Any]) -> dict[str, Any]:
    return {"level": level, "roles": "", "cells": cells}


def _number(value: Decimal | int | None) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def agreements_of_year(collaboration: Collaboration, year: int) -> list[Agreement]:
    """The agreements whose period touches the year (what the evaluation may be made for)."""
    first, last = year_bounds(year)
    return list(
        Agreement.objects.filter(collaboration=collaboration, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .exclude(status=Agreement.Status.UTKAST)
        .order_by("start_date", "pk")
    )


def generate_facts(collaboration: Collaboration, year: int) -> dict[str, Any]:
    """The year's facts as a JSON-ready snapshot (tables of levelled rows and the process check)."""
    with translation.override("sv"):
        first, last = year_bounds(year)
        agreements = agreements_of_year(collaboration, year)
        tables = {
            **_agreement_tables(agreements, first, last),
            "pictures": _pictures(collaboration, first, last),
            "problems": _problems(collaboration, last),
            **_actions(collaboration, first, last),
            "meetings": _meetings(collaboration, first, last),
            "reporting": _reporting(collaboration, first, last),
            "statistics": _statistics(collaboration, year),
            "indicator_trends": _indicator_trends(collaboration, year),
        }
        return {
            "year": year,
            "generated_at": timezone.now().isoformat(),
            "tables": tables,
            "process": _process(collaboration, first, last, tables),
        }


def _agreement_tables(agreements: list[Agreement], first: dt.date, last: dt.date) -> dict[str, list[Any]]:
    rows = [
        _row(
            [a],
            [
                a.title,
                f"{a.start_date:%Y-%m-%d} – {a.end_date:%Y-%m-%d}"
                if a.end_date
                else f"{a.start_date:%Y-%m-%d} –",
                a.get_status_display(),
            ],
        )
        for a in agreements
    ]
    areas = FocusArea.objects.filter(agreement__in=agreements).order_by(
        "agreement__start_date", "order", "pk"
    )
    area_rows = [_row([area], [area.title, area.get_status_display()]) for area in areas]
    changes = (
        FocusAreaChange.objects.filter(focus_area__agreement__in=agreements, changed_on__range=(first, last))
        .select_related("focus_area")
        .order_by("changed_on", "pk")
    )
    change_rows = [
        # A change is published with its area (``published_with``): it has the area's level.
        _row([c.focus_area], [c.changed_on.isoformat(), c.focus_area.title, c.get_kind_display(), c.reason])
        for c in changes
    ]
    return {"agreement": rows, "focus_areas": area_rows, "focus_changes": change_rows}


def _pictures(collaboration: Collaboration, first: dt.date, last: dt.date) -> list[Any]:
    """Each agreed picture of the year in short: per area its status and how it moved."""
    items = (
        PictureItem.objects.filter(
            collaboration=collaboration,
            kind=PictureItem.Kind.CELL,
            version__meeting_date__range=(first, last),
        )
        .select_related("version")
        .order_by("version__meeting_date", "section_order", "pk")
    )
    return [
        _row(
            [item],
            [
                item.version.meeting_date.isoformat(),
                item.section_title,
                item.get_status_display() if item.status else "–",
                item.get_trend_display() if item.trend else "–",
            ],
        )
        for item in items
    ]


def _problems(collaboration: Collaboration, last: dt.date) -> list[Any]:
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
    problems = Problem.objects.filter(collaboration=collaboration, created_at__lt=end).order_by("pk")
    causes: dict[int, list[Cause]] = defaultdict(list)
    for cause in Cause.objects.filter(problem__in=problems).order_by("pk"):
        causes[cause.problem_id].append(cause)
    rows = []
    for problem in problems:
        # Causes as stated at their own level: a row per level keeps an intern cause off an öppen problem.
        by_level: dict[str, list[Cause]] = defaultdict(list)
        for cause in causes[problem.pk]:
            by_level[
                strictest([(problem.level, problem.restricted_to), (cause.level, cause.restricted_to)])[0]
            ].append(cause)
        rows.append(_row([problem], [problem.title, problem.get_status_display(), ""]))
        for _level, group in by_level.items():
            rows.append(
                _row(
                    [problem, *group],
                    [problem.title, "", "; ".join(f"{c.get_bone_display()}: {c.text}" for c in group)],
                )
            )
    return rows


def _actions(collaboration: Collaboration, first: dt.date, last: dt.date) -> dict[str, list[Any]]:
    """Actions with the year's ratings, hours and cost against plan; indicator outcomes against targets."""
    actions = list(
        Action.objects.filter(
            collaboration=collaboration, plan__start_date__lte=last, plan__end_date__gte=first
        )
        .select_related("responsible", "plan")
        .order_by("plan__start_date", "number")
    )
    followups: dict[int, list[FollowUp]] = defaultdict(list)
    for followup in FollowUp.objects.filter(action__in=actions, followed_up_on__range=(first, last)).order_by(
        "followed_up_on", "pk"
    ):
        followups[followup.action_id].append(followup)
    action_rows = []
    for action in actions:
        year_followups = followups[action.pk]
        ratings = [f.get_rating_display() for f in year_followups]
        hours = sum((f.hours_spent or Decimal(0) for f in year_followups), Decimal(0))
        cost = sum((f.cost_spent or Decimal(0) for f in year_followups), Decimal(0))
        action_rows.append(
            _row(
                [action, *year_followups],
                [
                    action.number,
                    action.title,
                    action.responsible.name if action.responsible else "",
                    action.get_status_display(),
                    " → ".join(ratings) or "–",
                    year_followups[-1].rating if year_followups else "",
                    _number(action.planned_hours),
                    _number(hours),
                    _number(action.planned_cost),
                    _number(cost),
                ],
            )
        )
    latest: dict[int, IndicatorValue] = {}
    values = (
        IndicatorValue.objects.filter(indicator__action__in=actions, followup__followed_up_on__lte=last)
        .select_related("indicator", "indicator__action", "followup")
        .order_by("followup__followed_up_on", "pk")
    )
    for value in values:
        latest[value.indicator_id] = value
    indicator_rows = []
    for value in latest.values():
        indicator = value.indicator
        met = _target_met(indicator.direction, value.value, indicator.target)
        indicator_rows.append(
            _row(
                [indicator.action, indicator, value, value.followup],
                [
                    indicator.action.title,
                    indicator.name,
                    _number(indicator.baseline),
                    _number(indicator.target),
                    _number(value.value),
                    met,
                ],
            )
        )
    return {"actions": action_rows, "indicators": indicator_rows}


def _target_met(direction: str, value: Decimal, target: Decimal | None) -> str:
    if target is None or not direction:
        return "–"
    reached = value <= target if direction == "minska" else value >= target
    return _("ja") if reached else _("nej")


def _meetings(collaboration: Collaboration, first: dt.date, last: dt.date) -> list[Any]:
    """Attendance per organisation over the year's held meetings (at the level of the meetings counted)."""
    meetings = list(
        Meeting.objects.filter(collaboration=collaboration, starts_at__date__range=(first, last))
        .exclude(status=Meeting.Status.INSTALLT)
        .order_by("starts_at")
    )
    by_level: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        by_level[meeting.level].append(meeting)
    rows = []
    for level in (OPPEN, INTERN, Level.BEGRANSAD.value):
        group = by_level.get(level, [])
        if not group:
            continue
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for row in Attendance.objects.filter(meeting__in=group).select_related("organisation"):
            name = row.organisation.name if row.organisation else str(_no_organisation())
            counts[name][0] += 1 if row.invited else 0
            counts[name][1] += 0 if row.status == Attendance.Status.FRANVARANDE else 1
        rows.append(_row(group[:1], [str(_meetings_held()), len(group), len(group), ""]))
        for name, (invited, present) in sorted(counts.items()):
            share = f"{round(100 * present / invited)} %" if invited else "–"
            rows.append(_row(group[:1], [name, invited, present, share]))
    return rows


def _no_organisation() -> str:
    return _("Utan organisation")


def _meetings_held() -> str:
    return _("Möten hållna under året")


def _reporting(collaboration: Collaboration, first: dt.date, last: dt.date) -> list[Any]:
    rounds = Round.objects.filter(collaboration=collaboration, period_start__range=(first, last))
    asked = (
        rounds.values("organisations__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("organisations__name")
    )
    sent = dict(
        Report.objects.filter(round__in=rounds, status=Report.Status.INSKICKAD)
        .values_list("organisation__name")
        .annotate(n=Count("pk"))
    )
    rows = []
    for entry in asked:
        name = entry["organisations__name"]
        if name is None:
            continue
        submitted = sent.get(name, 0)
        rows.append(_plain(INTERN, [name, entry["n"], submitted, f"{round(100 * submitted / entry['n'])} %"]))
    return rows


def _statistics(collaboration: Collaboration, year: int) -> list[Any]:
    """Police events in the collaboration's kommuner, the year against the one before (exact Poisson test);
    counts below the small-count threshold are shown as "färre än N", as everywhere public."""
    kommuner = list(collaboration.kommuner.values_list("kod", flat=True))
    counts = (
        PoliceEvent.objects.filter(kommun_id__in=kommuner, datetime__year__in=(year - 1, year))
        .values("type", "datetime__year")
        .annotate(n=Count("pk"))
    )
    per_type: dict[str, dict[int, int]] = defaultdict(dict)
    for entry in counts:
        per_type[entry["type"]][entry["datetime__year"]] = entry["n"]
    limit = suppression.threshold()
    ranked = sorted(per_type.items(), key=lambda kv: (-kv[1].get(year, 0), kv[0]))[:15]
    rows = []
    for kind, by_year in ranked:
        current, previous = by_year.get(year, 0), by_year.get(year - 1, 0)
        if suppression.is_small(current, limit) or suppression.is_small(previous, limit):
            shown = [
                suppression.fewer_than(limit) if suppression.is_small(n, limit) else n
                for n in (current, previous)
            ]
            rows.append(_plain(OPPEN, [kind, *shown, "–"]))
            continue
        comparison = trends.compare_counts(current, previous)
        change = f"{comparison.change_pct:+.0f} %" if comparison.change_pct is not None else "–"
        change += " (" + (_("signifikant") if comparison.significant else _("inom slumpens ram")) + ")"
        rows.append(_plain(OPPEN, [kind, current, previous, change]))
    return rows


# Periods per year of an indicator: a count over the year is the sum of them all, or unknown.
_PERIODS_PER_YEAR: dict[str, int] = {
    Indicator.Period.MONTH: 12,
    Indicator.Period.QUARTER: 4,
    Indicator.Period.YEAR: 1,
}


def _indicator_trends(collaboration: Collaboration, year: int) -> list[Any]:
    """The other statistics and survey results imported for the collaboration's kommuner (the police's
    events have their own table), the year against the one before with the comparison that fits the
    value (``indicators.trends``): counts by the exact test, survey estimates by their intervals, other
    values untested. A count per month or quarter is summed over the year only when every period is
    there; an estimate is compared only as a yearly value. Small counts are suppressed as everywhere."""
    kommuner = dict(collaboration.kommuner.values_list("kod", "namn"))
    points = (
        DataPoint.objects.filter(
            kommun_id__in=list(kommuner),
            deso__isnull=True,
            period_start__gte=dt.date(year - 1, 1, 1),
            period_start__lte=dt.date(year, 12, 31),
        )
        .exclude(indicator__code__startswith=POLICE_EVENTS)
        .select_related("indicator")
        .order_by("indicator__name", "indicator_id", "kommun_id", "period_start")
    )
    series: dict[tuple[int, str | None], list[DataPoint]] = defaultdict(list)
    indicators: dict[int, Indicator] = {}
    for point in points:
        series[(point.indicator_id, point.kommun_id)].append(point)
        indicators[point.indicator_id] = point.indicator
    limit = suppression.threshold()
    rows = []
    for (indicator_id, kommun), found in series.items():
        indicator = indicators[indicator_id]
        current = _year_observation(indicator, found, year)
        previous = _year_observation(indicator, found, year - 1)
        if current is None or previous is None:
            continue
        observations = (current, previous)
        name = (
            indicator.name
            if len(kommuner) == 1
            else f"{indicator.name}, {kommuner.get(kommun or '', kommun)}"
        )
        if indicator.is_count and any(suppression.is_small(int(o.value), limit) for o in observations):
            shown: list[Any] = [
                suppression.fewer_than(limit)
                if suppression.is_small(int(o.value), limit)
                else _number(o.value)
                for o in observations
            ]
            rows.append(_plain(OPPEN, [name, indicator.source, *shown, "–"]))
            continue
        comparison = trends.compare(current, previous, is_count=indicator.is_count)
        change = f"{comparison.change_pct:+.0f} %" if comparison.change_pct is not None else "–"
        if comparison.test == trends.Method.NONE:
            change += " (" + _("ej prövad") + ")"
        else:
            change += " (" + (_("signifikant") if comparison.significant else _("inom slumpens ram")) + ")"
        rows.append(
            _plain(OPPEN, [name, indicator.source, _number(current.value), _number(previous.value), change])
        )
    return rows


def _year_observation(indicator: Indicator, points: list[DataPoint], year: int) -> trends.Observation | None:
    in_year = [p for p in points if p.period_start.year == year]
    days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    if indicator.period_type == Indicator.Period.YEAR:
        if len(in_year) != 1:
            return None
        point = in_year[0]
        return trends.Observation(value=point.value, ci_low=point.ci_low, ci_high=point.ci_high, days=days)
    if not indicator.is_count or len(in_year) != _PERIODS_PER_YEAR.get(indicator.period_type, 0):
        return None
    return trends.sum_observation((p.value for p in in_year), days)


def _process(
    collaboration: Collaboration, first: dt.date, last: dt.date, tables: dict[str, list[Any]]
) -> list[dict[str, Any]]:
    """Was each step of the cycle done this year? Counts and links only (the evidence pages check access)."""
    cid = collaboration.pk
    versions = PictureVersion.objects.filter(collaboration=collaboration, meeting_date__range=(first, last))
    picture_count = versions.count()
    analysed = Cause.objects.filter(collaboration=collaboration).values("problem").distinct().count()
    decided = PlanVersion.objects.filter(
        collaboration=collaboration, decided_on__lte=last, plan__end_date__gte=first
    ).order_by("-decided_on")
    plan_version = decided.first()
    followup_count = FollowUp.objects.filter(
        collaboration=collaboration, followed_up_on__range=(first, last)
    ).count()
    samordnare = Membership.objects.filter(collaboration=collaboration, role=Role.SAMORDNARE).count()
    return [
        {
            "key": "lagesbild",
            "done": picture_count > 0,
            "evidence": _("%(n)s fastställda lägesbilder under året") % {"n": picture_count},
            "url": reverse("situation:picture_list", args=[cid]),
        },
        {
            "key": "analys",
            "done": analysed > 0,
            "evidence": _("%(n)s problem med orsaksanalys") % {"n": analysed},
            "url": reverse("analysis:problem_list", args=[cid]),
        },
        {
            "key": "atgardsplan",
            "done": plan_version is not None,
            # The date only: who decided is published with the plan, which may be intern.
            "evidence": (
                _("Fastställd %(date)s") % {"date": f"{plan_version.decided_on:%Y-%m-%d}"}
                if plan_version
                else _("Ingen fastställd åtgärdsplan för året")
            ),
            "url": reverse("actions:plan_detail", args=[cid, plan_version.plan_id]) if plan_version else "",
        },
        {
            "key": "uppfoljning",
            "done": followup_count > 0,
            "evidence": _("%(n)s uppföljningar av åtgärder under året") % {"n": followup_count},
            "url": reverse("actions:followup_grid", args=[cid, plan_version.plan_id]) if plan_version else "",
        },
        {
            "key": "samordning",
            "done": samordnare > 0,
            "evidence": _("%(n)s samordnare i samverkan") % {"n": samordnare},
            "url": "",
        },
    ]
