"""Bench scenarios of meetings and minutes (issue 14): drafting the agenda from a cycle at national scale
(the actions bench's plan of 200 actions × 12 follow-ups, work orders due, the generator's lägesbild
rounds) and the minutes page (target p95 ≤ 3× the floor); the full minutes as PDF/A (median < 2 s).

The group, its meetings and the minutes are made once, untimed (on the first warm-up call), rows written
directly as the generator does; below national scale a smaller meeting proves the scenarios work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpResponse, HttpResponseBase
from django.test.utils import override_settings
from django.utils import timezone

from samverkan.actions.bench_followup import bench_plan
from samverkan.actions.models import WorkOrder
from samverkan.agreements.models import Group
from samverkan.core.bench import BenchContext, national_scale, scenario
from samverkan.core.models import DEFAULT_RESTRICTED_TO, Level, Organisation
from samverkan.core.publication import public_revision_bump
from samverkan.meetings.models import AgendaItem, Attendance, Decision, Meeting, Minutes
from samverkan.meetings.services.agenda import draft_agenda

BENCH_GROUP = "REK-gruppen (bench)"
LEVELS = (Level.OPPEN, Level.INTERN, Level.OPPEN, Level.BEGRANSAD)


@dataclass(frozen=True)
class MeetingSize:
    items: int  # points of the minutes-page meeting
    attendance: int
    work_orders: int  # open, due at the drafted meeting


NATIONAL_SIZE = MeetingSize(items=60, attendance=25, work_orders=40)
SMALL_SIZE = MeetingSize(items=8, attendance=5, work_orders=4)


def meeting_size(ctx: BenchContext) -> MeetingSize:
    if "meeting_size" not in ctx.extra:
        ctx.extra["meeting_size"] = NATIONAL_SIZE if national_scale() else SMALL_SIZE
    size: MeetingSize = ctx.extra["meeting_size"]
    return size


def _group(ctx: BenchContext) -> Group:
    group, _created = Group.objects.get_or_create(
        collaboration=ctx.collaboration,
        name=BENCH_GROUP,
        defaults={
            "kind": Group.Kind.REK,
            "meetings_per_year": 4,
            "place": "Polisstationen",
            "level": Level.OPPEN,
        },
    )
    return group


def _meeting(ctx: BenchContext, group: Group, starts_at: dt.datetime, title: str) -> Meeting:
    meeting, _created = Meeting.objects.get_or_create(
        group=group,
        title=title,
        defaults={
            "collaboration": ctx.collaboration,
            "starts_at": starts_at,
            "ends_at": starts_at + dt.timedelta(hours=2),
            "place": group.place,
            "convener": ctx.user,
            "secretary": ctx.user,
            "level": Level.OPPEN,
        },
    )
    return meeting


def agenda_meeting(ctx: BenchContext) -> Meeting:
    """The next meeting of the bench group, a week ahead, after one held a quarter ago; the bench plan's
    actions and open work orders due at it."""
    if "agenda_meeting" in ctx.extra:
        return ctx.extra["agenda_meeting"]
    bench_plan(ctx)
    group = _group(ctx)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    _meeting(ctx, group, now - dt.timedelta(days=91), "Förra mötet (bench)")
    meeting = _meeting(ctx, group, now + dt.timedelta(days=7), "Nästa möte (bench)")
    size = meeting_size(ctx)
    if not WorkOrder.objects.filter(collaboration=ctx.collaboration, title__endswith="(bench)").exists():
        organisations = list(
            Organisation.objects.filter(participations__collaboration=ctx.collaboration).order_by("pk")[:5]
        )
        WorkOrder.objects.bulk_create(
            WorkOrder(
                collaboration=ctx.collaboration,
                title=f"Arbetsorder {n + 1} (bench)",
                organisation=organisations[n % len(organisations)] if organisations else None,
                due_on=timezone.localdate() - dt.timedelta(days=n % 30),
                level=LEVELS[n % len(LEVELS)],
                restricted_to=DEFAULT_RESTRICTED_TO,
            )
            for n in range(size.work_orders)
        )
    ctx.extra["agenda_meeting"] = meeting
    return meeting


def minutes_meeting(ctx: BenchContext) -> Meeting:
    """A held meeting with many points (notes, a proposal, a decision each), its attendance and a
    justerare: the minutes a busy meeting leaves."""
    if "minutes_meeting" in ctx.extra:
        return ctx.extra["minutes_meeting"]
    group = _group(ctx)
    meeting = _meeting(ctx, group, timezone.now() - dt.timedelta(days=3), "Protokollfört möte (bench)")
    size = meeting_size(ctx)
    if not AgendaItem.objects.filter(meeting=meeting).exists():
        meeting.justerare.add(ctx.user)
        Minutes.objects.get_or_create(meeting=meeting)
        items = AgendaItem.objects.bulk_create(
            AgendaItem(
                collaboration=ctx.collaboration,
                meeting=meeting,
                kind=AgendaItem.Kind.OVRIGT,
                title=f"Punkt {n + 1}",
                order=n + 1,
                prepared_text="Underlag till punkten.\n" + "– En rad ur underlaget.\n" * 5,
                notes=f"Anteckningar från punkt {n + 1}. " * 8,
                proposal="Förslag till beslut.",
                level=LEVELS[n % len(LEVELS)],
                restricted_to=DEFAULT_RESTRICTED_TO,
                handled=True,
            )
            for n in range(size.items)
        )
        year = meeting.starts_at.year
        first = (
            Decision.objects.filter(group=group, year=year)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
            or 0
        )
        Decision.objects.bulk_create(
            Decision(
                collaboration=ctx.collaboration,
                meeting=meeting,
                item=item,
                group=group,
                year=year,
                number=first + n + 1,
                text=f"Mötet beslutade i punkt {item.order}.",
                level=item.level,
                restricted_to=item.restricted_to,
                created_by=ctx.user,
            )
            for n, item in enumerate(items)
        )
        Attendance.objects.bulk_create(
            Attendance(
                collaboration=ctx.collaboration,
                meeting=meeting,
                name=f"Deltagare {n + 1}",
                role="Ledamot",
                status=Attendance.Status.FRANVARANDE if n % 7 == 0 else Attendance.Status.NARVARANDE,
                order=n + 1,
            )
            for n in range(size.attendance)
        )
    ctx.extra["minutes_meeting"] = meeting
    return meeting


def _draft(ctx: BenchContext) -> HttpResponseBase:
    meeting = agenda_meeting(ctx)
    with transaction.atomic():
        result = draft_agenda(meeting, ctx.user)
        transaction.set_rollback(True)
    if not result.created:
        return HttpResponse("nothing drafted", status=500)
    return HttpResponse(f"{result.created} points drafted", content_type="text/plain")


@scenario("meetings.agenda_draft")
def agenda_draft(ctx: BenchContext) -> HttpResponseBase:
    """Drafting the agenda from a 200-action plan, work orders and rounds (target p95 ≤ 3× floor); rolled
    back, so every run writes the same 11 points anew, from the draft kept for this revision of the cycle
    (as drafting again, or after a refused attempt, does)."""
    return _draft(ctx)


@scenario("meetings.agenda_draft_first")
def agenda_draft_first(ctx: BenchContext) -> HttpResponseBase:
    """The same, as the first draft after a change to the cycle: the draft built from the 200 actions and
    their 2,400 follow-ups on every run (the kept drafts off)."""
    with override_settings(MEETINGS_PAGE_CACHE=False):
        return _draft(ctx)


def _changed_then_agenda_page(ctx: BenchContext) -> None:
    """What comes before the click on "draft": a change to the cycle (any write raises the collaboration's
    revision, which every kept draft is keyed by), then the agenda page, after which the draft is prepared
    (``services.agenda.prepare_drafts``; the test client closes the response as a server does)."""
    meeting = agenda_meeting(ctx)
    public_revision_bump([ctx.collaboration.pk])
    response = ctx.get(f"/samverkan/{ctx.collaboration.pk}/moten/{meeting.pk}/dagordning/")
    if response.status_code != 200:
        raise ValueError(f"The agenda page answered {response.status_code}.")


@scenario("meetings.agenda_draft_from_page", before=_changed_then_agenda_page)
def agenda_draft_from_page(ctx: BenchContext) -> HttpResponseBase:
    """The first draft after a change, asked for from the agenda page (prepared once the page was sent)."""
    return _draft(ctx)


@scenario("meetings.minutes_page")
def minutes_page(ctx: BenchContext) -> HttpResponseBase:
    """The minutes page of a meeting with 60 points, as samordnare (target p95 ≤ 3× floor)."""
    meeting = minutes_meeting(ctx)
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/moten/{meeting.pk}/protokoll/")


@scenario("meetings.minutes_pdf")
def minutes_pdf(ctx: BenchContext) -> HttpResponseBase:
    """The full minutes of that meeting as PDF/A, laid out on every run (target median < 2 s)."""
    meeting = minutes_meeting(ctx)
    # The layout itself, as the first download after a change gets it: the PDF cache off.
    with override_settings(PDF_CACHE=False):
        return ctx.get(f"/samverkan/{ctx.collaboration.pk}/moten/{meeting.pk}/protokoll/pdf/")


@scenario("meetings.minutes_pdf_cached")
def minutes_pdf_cached(ctx: BenchContext) -> HttpResponseBase:
    """The same PDF downloaded again while the minutes are unchanged (kept under its HTML's hash)."""
    meeting = minutes_meeting(ctx)
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/moten/{meeting.pk}/protokoll/pdf/")
