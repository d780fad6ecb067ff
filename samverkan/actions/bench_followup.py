"""Bench scenarios of the action plan and its follow-up at issue 13's size: a plan of 200 actions × 12
follow-ups in five focus areas, in the persona's collaboration. The plan page, the follow-up sheet, the
grid and the traceability page (target p95 ≤ 3× the floor), the plan's XLSX export (< 1 s median), the
import of a 1,000-row sheet (< 3 s median) and the re-import of the plan's own export with every action
changed.

The plan is made once, untimed (on the first warm-up call), and kept: later runs and benches reuse it.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpResponse, HttpResponseBase
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from samverkan.actions.excel import build_workbook
from samverkan.actions.models import Action, ActionIndicator, ActionPlan, FollowUp, IndicatorValue, Rating
from samverkan.actions.selectors.excel import plan_sheet
from samverkan.actions.services.plan_import import plan_import
from samverkan.actions.sheet_format import ACTION_COLUMNS, SHEET_ACTIONS, SHEET_FOLLOWUPS
from samverkan.agreements.models import Agreement, FocusArea
from samverkan.analysis.models import Cause, Problem
from samverkan.core.bench import BenchContext, national_scale, scenario
from samverkan.core.models import Level, Organisation

BENCH_PLAN = "Åtgärdsplan (bench)"
IMPORT_PLAN = "Åtgärdsplan (bench, import)"
FOCUS_AREAS = 5


@dataclass(frozen=True)
class PlanSize:
    actions: int
    followups: int
    import_rows: int


# Issue 13's size at national scale; below it a tenth, enough to prove every scenario works.
NATIONAL_SIZE = PlanSize(actions=200, followups=12, import_rows=1_000)
SMALL_SIZE = PlanSize(actions=20, followups=4, import_rows=50)


def plan_size(ctx: BenchContext) -> PlanSize:
    if "plan_size" not in ctx.extra:
        ctx.extra["plan_size"] = NATIONAL_SIZE if national_scale() else SMALL_SIZE
    size: PlanSize = ctx.extra["plan_size"]
    return size


RATINGS = (Rating.GRON, Rating.GUL, Rating.ROD, Rating.GUL)


def _focus_areas(ctx: BenchContext, plan: ActionPlan) -> list[FocusArea]:
    """Five focus areas of a bench agreement, which the plan belongs to (made once)."""
    agreement = plan.agreement
    if agreement is None:
        agreement = Agreement.objects.create(
            collaboration=ctx.collaboration,
            title="Överenskommelse (bench)",
            start_date=plan.start_date,
            end_date=plan.end_date,
            level=Level.OPPEN,
        )
        plan.agreement = agreement
        plan.save(update_fields=["agreement"])
    areas = list(FocusArea.objects.filter(agreement=agreement).order_by("order", "pk"))
    if not areas:
        areas = FocusArea.objects.bulk_create(
            FocusArea(
                agreement=agreement,
                collaboration=ctx.collaboration,
                title=f"Fokusområde {n + 1}",
                order=n,
                level=Level.OPPEN,
            )
            for n in range(FOCUS_AREAS)
        )
    return areas


def bench_plan(ctx: BenchContext) -> ActionPlan:
    """The collaboration's bench plan: 200 actions tied to 20 problems with causes, a manual indicator
    each, and 12 follow-ups a quarter apart (rows written directly, as the generator does); a tenth below
    national scale (``plan_size``)."""
    if "plan" in ctx.extra:
        return ctx.extra["plan"]
    size = plan_size(ctx)
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
            for n in range(size.actions)
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
                followed_up_on=today - dt.timedelta(days=91 * (size.followups - k)),
                rating=RATINGS[(n + k) % len(RATINGS)],
                done=f"Gjort {k}",
                level=a.level,
            )
            for n, a in enumerate(actions)
            for k in range(size.followups)
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
    if not Action.objects.filter(plan=plan, focus_area__isnull=False).exists():
        # A plan groups its actions by the agreement's focus areas (a plan kept from before had none).
        areas = _focus_areas(ctx, plan)
        for n, area in enumerate(areas):
            Action.objects.filter(plan=plan, number__in=range(n + 1, size.actions + 1, len(areas))).update(
                focus_area=area
            )
    ctx.extra["plan"] = plan
    return plan


def import_sheet(ctx: BenchContext) -> bytes:
    """A 1,000-row actions sheet as a group might keep it: new actions (no ID), an organisation each, dates,
    status and level, half tied to a cause by its ID and half with a reason why there is no analysis."""
    if "import_sheet" in ctx.extra:
        return ctx.extra["import_sheet"]
    plan = bench_plan(ctx)
    organisations = list(
        Organisation.objects.filter(participations__collaboration=ctx.collaboration).order_by("pk")[:5]
    )
    causes = list(Cause.objects.filter(collaboration=ctx.collaboration).order_by("pk")[:20])
    keys = (
        "title",
        "description",
        "responsible",
        "start_date",
        "end_date",
        "status",
        "level",
        "causes",
        "no_analysis_reason",
    )
    headings = {c.key: str(c.heading) for c in ACTION_COLUMNS}
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_ACTIONS
    sheet.append([headings[k] for k in keys])
    for n in range(plan_size(ctx).import_rows):
        cause = causes[n % len(causes)] if causes and n % 2 else None
        sheet.append(
            [
                f"Importerad åtgärd {n + 1}",
                f"Beskrivning av åtgärd {n + 1}: vad görs, var och för vem.",
                organisations[n % len(organisations)].name,
                plan.start_date.isoformat(),
                plan.end_date.isoformat(),
                "Pågår",
                "Intern" if n % 3 == 0 else "Öppen",
                f"{cause.pk}: {cause.text}" if cause else "",
                "" if cause else "Orsaksanalysen görs under året.",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    ctx.extra["import_sheet"] = out.getvalue()
    return ctx.extra["import_sheet"]


def import_plan(ctx: BenchContext) -> ActionPlan:
    """An empty draft plan beside the bench plan that the import bench writes into (and rolls back)."""
    if "import_plan" not in ctx.extra:
        plan = bench_plan(ctx)
        ctx.extra["import_plan"], _ = ActionPlan.objects.get_or_create(
            collaboration=ctx.collaboration,
            title=IMPORT_PLAN,
            defaults={"start_date": plan.start_date, "end_date": plan.end_date, "level": Level.INTERN},
        )
    return ctx.extra["import_plan"]


@scenario("actions.plan_page")
def plan_page(ctx: BenchContext) -> HttpResponseBase:
    """The action plan page: 200 actions grouped by focus area (target p95 ≤ 3× floor)."""
    plan = bench_plan(ctx)
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/atgardsplan/{plan.pk}/")


@scenario("actions.followup_sheet")
def followup_sheet(ctx: BenchContext) -> HttpResponseBase:
    """Follow-up sheet of a 200-action plan, first page of the actions due (target p95 ≤ 3× floor)."""
    bench_plan(ctx)
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/uppfoljning/")


@scenario("actions.followup_grid")
def followup_grid(ctx: BenchContext) -> HttpResponseBase:
    """The plan's grid of the last 12 follow-up dates, first page of its 200 actions (p95 ≤ 3× floor)."""
    plan = bench_plan(ctx)
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/uppfoljning/plan/{plan.pk}/")


@scenario("actions.trace_page")
def trace_page(ctx: BenchContext) -> HttpResponseBase:
    """Traceability page of the 200-action plan, first focus area (target p95 ≤ 3× floor)."""
    plan = bench_plan(ctx)
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/atgardsplan/{plan.pk}/sparbarhet/")


@scenario("actions.api_followups")
def api_followups(ctx: BenchContext) -> HttpResponseBase:
    """API: the first page of the collaboration's follow-ups."""
    bench_plan(ctx)
    return ctx.api_get(f"/api/v1/collaborations/{ctx.collaboration.pk}/follow-ups")


@scenario("actions.plan_xlsx")
def plan_xlsx(ctx: BenchContext) -> HttpResponseBase:
    """XLSX export of the 200-action plan with 2,400 follow-ups (target median < 1 s)."""
    plan = bench_plan(ctx)
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/atgardsplan/{plan.pk}/excel/")


@scenario("actions.plan_import")
def plan_import_sheet(ctx: BenchContext) -> HttpResponseBase:
    """Import of a 1,000-row sheet through the import service, validated then written (target median < 3 s);
    rolled back, so every run imports the same rows into the same empty plan."""
    content, plan = import_sheet(ctx), import_plan(ctx)
    with transaction.atomic():
        result = plan_import(
            plan=plan, source=content, file_name="atgardsplan.xlsx", acting_user=ctx.user, mapping=None
        )
        transaction.set_rollback(True)
    expected = plan_size(ctx).import_rows
    if result.created != expected:
        return HttpResponse(f"{result.created} of {expected} rows imported", status=500)
    return HttpResponse(f"{result.created} actions imported", content_type="text/plain")


def reimport_sheet(ctx: BenchContext) -> bytes:
    """The bench plan's own export with every action's title changed, as a group sends its plan back
    after a meeting. Without its follow-ups sheet: what is timed is the changed actions (and an import
    before the follow-ups had a bound of their own refused 2,400 rows, so this compares with it)."""
    if "reimport_sheet" not in ctx.extra:
        book = load_workbook(io.BytesIO(build_workbook(plan_sheet(bench_plan(ctx), user=ctx.user))))
        book.remove(book[SHEET_FOLLOWUPS])
        title = [c.key for c in ACTION_COLUMNS].index("title")
        for row in book.worksheets[0].iter_rows(min_row=2):
            row[title].value = f"{row[title].value} (ändrad)"
        out = io.BytesIO()
        book.save(out)
        ctx.extra["reimport_sheet"] = out.getvalue()
    content: bytes = ctx.extra["reimport_sheet"]
    return content


@scenario("actions.plan_reimport")
def plan_reimport_sheet(ctx: BenchContext) -> HttpResponseBase:
    """Re-import of the 200-action plan's export with every action changed, validated then written (as the
    import, median < 3 s); rolled back, so every run changes the same rows."""
    content, plan = reimport_sheet(ctx), bench_plan(ctx)
    with transaction.atomic():
        result = plan_import(
            plan=plan, source=content, file_name="atgardsplan.xlsx", acting_user=ctx.user, mapping=None
        )
        transaction.set_rollback(True)
    expected = plan_size(ctx).actions
    if result.updated != expected:
        return HttpResponse(f"{result.updated} of {expected} rows changed ({result})", status=500)
    return HttpResponse(f"{result.updated} actions changed", content_type="text/plain")
