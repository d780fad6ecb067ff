"""Bench scenarios of the follow-up: the sheet, an action's page, the plan's grid and the traceability page
of a plan with 200 actions × 12 follow-ups (issue 13's size), in the persona's collaboration.

The plan is made once, untimed (on the first warm-up call), and kept: later runs and benches reuse it.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponseBase
from django.utils import timezone

from samverkan.actions.models import Action, ActionIndicator, ActionPlan, FollowUp, IndicatorValue, Rating
from samverkan.analysis.models import Cause, Problem
from samverkan.core.bench import BenchContext, scenario
from samverkan.core.models import Level, Organisation

BENCH_PLAN = "Åtgärdsplan (bench)"
ACTIONS = 200
FOLLOWUPS = 12
RATINGS = (Rating.GRON, Rating.GUL, Rating.ROD, Rating.GUL)


def bench_plan(ctx: BenchContext) -> ActionPlan:
    """The collaboration's bench plan: 200 actions tied to 20 problems with causes, a manual indicator
    each, and 12 follow-ups a quarter apart (rows written directly, as the generator does)."""
    if "plan" in ctx.extra:
        return ctx.extra["plan"]
    collaboration = ctx.collaboration
    today = timezone.localdate()
    plan = ActionPlan.objects.filter(collaboration=collaboration, title=BENCH_PLAN).first()
    if plan is None:
        plan = ActionPlan.objects.create(
            collaboration=collaboration,
            title=BENCH_PLAN,
            start_date=today - dt.timedelta(days=3 * 365),
            end_date=today + dt.timedelta(days=365),
            status=ActionPlan.Status.FASTSTALLD,
            level=Level.OPPEN,
        )
        organisations = list(
            Organisation.objects.filter(participations__collaboration=collaboration).order_by("pk")[:5]
        ) or [ctx.organisation]  # type: ignore[list-item]
        problems = [
            Problem.objects.create(collaboration=collaboration, title=f"Problem {n}", level=Level.OPPEN)
            for n in range(20)
        ]
        causes = [
            Cause.objects.create(
                collaboration=collaboration, problem=p, text=f"Orsak {p.title}", level=Level.OPPEN
            )
            for p in problems
        ]
        actions = Action.objects.bulk_create(
            Action(
                collaboration=collaboration,
                plan=plan,
                number=n + 1,
                title=f"Åtgärd {n + 1}",
                responsible=organisations[n % len(organisations)],
                start_date=plan.start_date,
                end_date=plan.end_date,
                status=Action.Status.PAGAR,
                level=Level.OPPEN if n % 3 else Level.INTERN,
            )
            for n in range(ACTIONS)
        )
        for n, action in enumerate(actions):
            action.problems.add(problems[n % len(problems)])
            action.causes.add(causes[n % len(causes)])
        indicators = ActionIndicator.objects.bulk_create(
            ActionIndicator(
                collaboration=collaboration,
                action=a,
                name="Antal",
                baseline=40,
                target=30,
                direction=ActionIndicator.Direction.MINSKA,
                level=a.level,
            )
            for a in actions
        )
        followups = FollowUp.objects.bulk_create(
            FollowUp(
                collaboration=collaboration,
                action=a,
                followed_up_on=today - dt.timedelta(days=91 * (FOLLOWUPS - k)),
                rating=RATINGS[(n + k) % len(RATINGS)],
                done=f"Gjort {k}",
                level=a.level,
            )
            for n, a in enumerate(actions)
            for k in range(FOLLOWUPS)
        )
        by_action = {i.action_id: i for i in indicators}
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                collaboration=collaboration,
                followup=f,
                indicator=by_action[f.action_id],
                value=35,
                measured_on=f.followed_up_on,
                level=f.level,
            )
            for f in followups
        )
    ctx.extra["plan"] = plan
    return plan


@scenario("followup_sheet")
def followup_sheet(ctx: BenchContext) -> HttpResponseBase:
    """Follow-up sheet: every current action of a 200-action plan with dots, suggestion and a form."""
    bench_plan(ctx)
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/uppfoljning/")


@scenario("followup_grid")
def followup_grid(ctx: BenchContext) -> HttpResponseBase:
    """The plan's grid: 200 actions × the last 12 follow-up dates."""
    plan = bench_plan(ctx)
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/uppfoljning/plan/{plan.pk}/")


@scenario("trace_page")
def trace_page(ctx: BenchContext) -> HttpResponseBase:
    """Traceability page of the 200-action plan: problems, causes, actions, indicators, ratings."""
    plan = bench_plan(ctx)
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/atgardsplan/{plan.pk}/sparbarhet/")


@scenario("api_followups")
def api_followups(ctx: BenchContext) -> HttpResponseBase:
    """API: the first page of the collaboration's follow-ups."""
    bench_plan(ctx)
    return ctx.api_get(f"/api/v1/collaborations/{ctx.collaboration.pk}/follow-ups")
