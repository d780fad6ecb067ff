"""Bench scenarios of the yearly evaluation (issue 15): the evaluation of a full year as PDF/A (target
< 5 s median) and as DOCX (< 2 s), at national scale (``core.bench.national_scale()``), from the actions
bench's plan (200 actions × 12 follow-ups) plus the generated rounds and events of the persona's
collaboration. The evaluation is generated once, untimed, and kept; each run renders the file."""

from __future__ import annotations

from django.http import HttpResponseBase
from django.utils import timezone

from samverkan.actions.bench_followup import bench_plan
from samverkan.agreements.models import Agreement
from samverkan.core.bench import BenchContext, scenario
from samverkan.core.models import Level
from samverkan.reports.models import Evaluation, EvaluationVersion
from samverkan.reports.services.evaluation import evaluation_create, sections_save


def bench_evaluation(ctx: BenchContext) -> EvaluationVersion:
    """Last year's evaluation of the persona's collaboration (a full year), generated once."""
    if "evaluation" in ctx.extra:
        return ctx.extra["evaluation"]
    plan = bench_plan(ctx)
    year = timezone.localdate().year - 1
    # The bench agreement is made as a draft; an evaluation is made for a year with a decided agreement.
    Agreement.objects.filter(action_plans=plan, status=Agreement.Status.UTKAST).update(
        status=Agreement.Status.GALLANDE
    )
    evaluation = Evaluation.objects.filter(collaboration=ctx.collaboration, year=year).first()
    if evaluation is None:
        version = evaluation_create(collaboration=ctx.collaboration, year=year, acting_user=ctx.user)
        version = sections_save(
            version=version,
            acting_user=ctx.user,
            summary="Året i korthet. " * 60,
            summary_level=Level.OPPEN,
            assessment="Bedömning av arbetet. " * 80,
            proposals="Förslag till nästa år. " * 40,
            proposals_level=Level.OPPEN,
        )
    else:
        version = evaluation.versions.order_by("-number").first()  # type: ignore[assignment]
    ctx.extra["evaluation"] = version
    return version


def _path(ctx: BenchContext, kind: str) -> str:
    version = bench_evaluation(ctx)
    return f"/samverkan/{ctx.collaboration.pk}/utvardering/{version.evaluation.year}/version/{version.number}/{kind}/"


@scenario("reports.evaluation_pdf")
def evaluation_pdf(ctx: BenchContext) -> HttpResponseBase:
    """A full year's evaluation as PDF/A, samordnare (target < 5 s median)."""
    return ctx.client.get(_path(ctx, "pdf"))


@scenario("reports.evaluation_docx")
def evaluation_docx(ctx: BenchContext) -> HttpResponseBase:
    """A full year's evaluation as DOCX, samordnare (target < 2 s median)."""
    return ctx.client.get(_path(ctx, "docx"))


@scenario("reports.evaluation_xlsx")
def evaluation_xlsx(ctx: BenchContext) -> HttpResponseBase:
    """A full year's evaluation's numbers as XLSX, samordnare."""
    return ctx.client.get(_path(ctx, "xlsx"))
