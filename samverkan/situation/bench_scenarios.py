"""Lägesbild scenarios for ``samverkan bench`` (data: ``samverkan.bench.generator.generate_situation``).

Targets (issue 4): the joint picture page p95 within 3× the floor's p95; the events API for one
kommun and one year p95 under 150 ms. Compare the table's ``p95×floor`` and ``p95`` columns.
"""

from __future__ import annotations

from django.http import HttpResponseBase
from django.urls import reverse

from samverkan.core.bench import BenchContext, scenario
from samverkan.core.models import Membership
from samverkan.situation.models import Report, Round

PICTURE_TARGET_VS_FLOOR = 3.0
EVENTS_API_TARGET_MS = 150.0


def _rounds(ctx: BenchContext) -> list[Round]:
    """The collaboration's rounds, oldest first (looked up once)."""
    if "situation_rounds" not in ctx.extra:
        rounds = list(Round.objects.filter(collaboration=ctx.collaboration).order_by("period_start"))
        if not rounds:
            raise ValueError(f"{ctx.collaboration} has no lägesbild rounds; generate the bench data again.")
        ctx.extra["situation_rounds"] = rounds
    return ctx.extra["situation_rounds"]  # type: ignore[no-any-return]


def _middle_round(ctx: BenchContext) -> Round:
    rounds = _rounds(ctx)
    return rounds[len(rounds) // 2]


def picture_path(ctx: BenchContext) -> str:
    """The joint picture page of the middle round (also driven by ``bench --load``)."""
    return reverse(
        "situation:picture_detail",
        kwargs={"collaboration_id": ctx.collaboration.pk, "round_id": _middle_round(ctx).pk},
    )


def picture_api_path(ctx: BenchContext) -> str:
    """The API's live picture of the middle round."""
    return f"/api/v1/joint-pictures/{_middle_round(ctx).pk}"


@scenario("situation.picture")
def picture(ctx: BenchContext) -> HttpResponseBase:
    """Gemensam lägesbild for a month in the middle of five years, as samordnare (target p95 ≤ 3× floor)."""
    return ctx.get(picture_path(ctx))


@scenario("situation.picture_api")
def picture_api(ctx: BenchContext) -> HttpResponseBase:
    """GET /api/v1/joint-pictures/<round>: the live picture of the same month through the API (token)."""
    return ctx.api_get(picture_api_path(ctx))


@scenario("situation.rounds")
def round_list(ctx: BenchContext) -> HttpResponseBase:
    """The rounds list: the open round and the first page of past rounds (24 a page, of up to five years)."""
    return ctx.get(reverse("situation:round_list", kwargs={"collaboration_id": ctx.collaboration.pk}))


@scenario("situation.events_api")
def events_api(ctx: BenchContext) -> HttpResponseBase:
    """GET /api/v1/events?kommun=<kod>&from=<year>-01-01&to=<year>-12-31 (target p95 < 150 ms)."""
    if "situation_events_path" not in ctx.extra:
        kommun = ctx.collaboration.kommuner.order_by("kod").values_list("kod", flat=True).first()
        year = _middle_round(ctx).period_start.year
        ctx.extra["situation_events_path"] = (
            f"/api/v1/events?kommun={kommun}&from={year}-01-01&to={year}-12-31"
        )
    return ctx.api_get(ctx.extra["situation_events_path"])


def report_form_path(ctx: BenchContext) -> str:
    """The report form of the samordnare's organisation in the latest (open) round."""
    if "situation_report" not in ctx.extra:
        latest = _rounds(ctx)[-1]
        own = (
            Membership.objects.filter(user=ctx.user, collaboration=ctx.collaboration)
            .values_list("organisation_id", flat=True)
            .first()
        )
        reports = Report.objects.filter(round=latest).order_by("organisation_id")
        report = (reports.filter(organisation_id=own).first() if own else None) or reports.first()
        if report is None:
            raise ValueError(f"The latest round of {ctx.collaboration} has no reports.")
        ctx.extra["situation_report"] = report
    report = ctx.extra["situation_report"]
    return reverse(
        "situation:report_edit",
        kwargs={
            "collaboration_id": ctx.collaboration.pk,
            "round_id": report.round_id,
            "report_id": report.pk,
        },
    )


@scenario("situation.report_form")
def report_form(ctx: BenchContext) -> HttpResponseBase:
    """Report form of the samordnare's organisation in the latest (open) round."""
    return ctx.get(report_form_path(ctx))
