"""Meetings bench (issue 14, item 9): the scenarios' fixtures, and the query counts they exist to keep
down: drafting the agenda costs the same number of queries whatever the size of the plan, and a
meeting's justerare are read once however often a page asks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from samverkan.actions.models import Action, FollowUp, Rating
from samverkan.bench import generator
from samverkan.core import permissions
from samverkan.core.bench import BenchContext, bench_collaborations
from samverkan.core.models import Level
from samverkan.meetings import bench_scenarios
from samverkan.meetings.models import AgendaItem
from samverkan.meetings.services.agenda import draft_agenda


def _draft_queries(ctx: BenchContext) -> tuple[int, int]:
    """Queries of a draft built from the cycle (the kept drafts off: what a first draft costs)."""
    meeting = bench_scenarios.agenda_meeting(ctx)
    with (
        override_settings(MEETINGS_PAGE_CACHE=False),
        CaptureQueriesContext(connection) as queries,
        transaction.atomic(),
    ):
        draft_agenda(meeting, ctx.user)
        points = AgendaItem.objects.filter(meeting=meeting).count()
        transaction.set_rollback(True)
    return len(queries.captured_queries), points


@pytest.mark.django_db
def test_agenda_draft_queries_do_not_grow_with_the_plan():
    generator.generate(generator.SMALL)
    ctx = BenchContext.create(bench_collaborations().order_by("pk").first())
    _draft_queries(ctx)  # warm: what is read once per process (memberships, the indicators) is read
    before, points = _draft_queries(ctx)
    # ~8 per new point (its validation, insert and audit entry) and ~30 for the cycle; 121 before the
    # cuts (a read of every point per insert, the reports read per round, two revision bumps per point).
    assert points >= 10 and before <= 8 * points + 30, before

    plan = bench_scenarios.bench_plan(ctx)
    first = Action.objects.filter(plan=plan).order_by("number").first()
    more = Action.objects.bulk_create(
        Action(
            collaboration=ctx.collaboration,
            plan=plan,
            number=1000 + n,
            title=f"Fler åtgärder {n}",
            responsible=first.responsible,
            start_date=plan.start_date,
            end_date=plan.end_date,
            status=Action.Status.PAGAR,
            level=Level.OPPEN,
        )
        for n in range(40)
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            collaboration=ctx.collaboration,
            action=action,
            followed_up_on=dt.date.today() - dt.timedelta(days=30),
            rating=Rating.ROD,
            level=Level.OPPEN,
        )
        for action in more
    )
    after, _points = _draft_queries(ctx)
    assert after == before


@pytest.mark.django_db
def test_minutes_meeting_and_justerare_read_once():
    generator.generate(generator.SMALL)
    ctx = BenchContext.create(bench_collaborations().order_by("pk").first())
    meeting = bench_scenarios.minutes_meeting(ctx)
    size = bench_scenarios.meeting_size(ctx)
    items = AgendaItem.objects.filter(meeting=meeting)
    assert items.count() == size.items and {i.level for i in items} == set(Level.values)
    assert bench_scenarios.minutes_meeting(ctx) == meeting  # made once, kept

    permissions.is_named_justerare(ctx.user, meeting)  # the membership read is cached per request
    with CaptureQueriesContext(connection) as queries:
        answers = [permissions.is_named_justerare(ctx.user, meeting) for _ in range(3)]
    assert answers == [True] * 3 and len(queries.captured_queries) == 0
    # Changing the justerare on the object forgets what was read.
    meeting.justerare.set([])
    assert not permissions.is_named_justerare(ctx.user, meeting)
