"""flags_for_collaboration: overdue, never followed up, red, escalated — each with its dates."""

from __future__ import annotations

import datetime as dt

import pytest

from samverkan.actions.models import Action, ActionPlan, Rating
from samverkan.actions.selectors.flags import NEVER_FOLLOWED_UP_DAYS, flags_for_collaboration
from samverkan.core.models import Level
from tests.actions.factories_followup import make_action, make_followup, make_plan

AS_OF = dt.date(2026, 6, 1)


@pytest.fixture
def plan(world):
    return make_plan(world.a)


def _flags(world, persona="samordnare", **kwargs):
    result = flags_for_collaboration(world.users[persona], world.a, AS_OF, **kwargs)
    return {f.action.title: f for f in result}


def test_overdue_only_while_not_done(world, plan):
    make_action(plan, world.org_a, title="Försenad", end_date=AS_OF - dt.timedelta(days=1))
    make_action(plan, world.org_a, title="Slutar i dag", end_date=AS_OF)
    make_action(
        plan,
        world.org_a,
        title="Genomförd",
        end_date=AS_OF - dt.timedelta(days=1),
        status=Action.Status.GENOMFORD,
    )
    flags = _flags(world, only_flagged=False)
    assert flags["Försenad"].overdue
    assert not flags["Slutar i dag"].overdue
    assert "Genomförd" not in flags  # done actions are not current


def test_never_followed_up_after_the_grace_period(world, plan):
    long_ago = AS_OF - dt.timedelta(days=NEVER_FOLLOWED_UP_DAYS)
    make_action(plan, world.org_a, title="Startade länge sedan", start_date=long_ago)
    make_action(plan, world.org_a, title="Nyss startad", start_date=long_ago + dt.timedelta(days=1))
    followed = make_action(plan, world.org_a, title="Uppföljd", start_date=long_ago)
    make_followup(followed, AS_OF - dt.timedelta(days=10), Rating.GRON)
    flags = _flags(world, only_flagged=False)
    assert flags["Startade länge sedan"].never_followed_up
    assert not flags["Nyss startad"].never_followed_up
    assert not flags["Uppföljd"].never_followed_up


def test_red_and_escalated(world, plan):
    red = make_action(plan, world.org_a, title="Röd en gång")
    make_followup(red, dt.date(2026, 1, 10), Rating.GRON)
    make_followup(red, dt.date(2026, 4, 10), Rating.ROD)
    twice = make_action(plan, world.org_a, title="Gul två gånger")
    make_followup(twice, dt.date(2026, 1, 10), Rating.GUL)
    make_followup(twice, dt.date(2026, 4, 10), Rating.GUL)
    mixed = make_action(plan, world.org_a, title="Röd sedan gul")
    make_followup(mixed, dt.date(2026, 1, 10), Rating.ROD)
    make_followup(mixed, dt.date(2026, 4, 10), Rating.GUL)
    recovered = make_action(plan, world.org_a, title="Gul sedan grön")
    make_followup(recovered, dt.date(2026, 1, 10), Rating.GUL)
    make_followup(recovered, dt.date(2026, 4, 10), Rating.GRON)
    later = make_action(plan, world.org_a, title="Röd efter dagen")
    make_followup(later, dt.date(2026, 1, 10), Rating.GUL)
    make_followup(later, AS_OF + dt.timedelta(days=1), Rating.ROD)
    flags = _flags(world)
    assert flags["Röd en gång"].red and not flags["Röd en gång"].escalated
    assert flags["Gul två gånger"].escalated and not flags["Gul två gånger"].red
    assert flags["Röd sedan gul"].escalated
    assert "Gul sedan grön" not in flags
    assert "Röd efter dagen" not in flags  # a follow-up after the day does not count yet
    order = [f.action.title for f in flags_for_collaboration(world.users["samordnare"], world.a, AS_OF)]
    assert order.index("Gul två gånger") < order.index("Röd en gång")  # escalated first
    assert flags["Gul två gånger"].labels[0].startswith("Eskalerad")


def test_closed_plans_and_plans_not_in_force_are_left_out(world):
    closed = make_plan(world.a, status=ActionPlan.Status.AVSLUTAD)
    make_action(closed, world.org_a, title="I avslutad plan", end_date=dt.date(2026, 1, 1))
    old = make_plan(world.a, start_date=dt.date(2020, 1, 1), end_date=dt.date(2022, 12, 31))
    make_action(old, world.org_a, title="I gammal plan", end_date=dt.date(2022, 1, 1))
    flags = _flags(world, only_flagged=False)
    assert "I avslutad plan" not in flags and "I gammal plan" not in flags


def test_only_what_the_reader_may_see_counts(world, plan):
    action = make_action(plan, world.org_a, title="Intern åtgärd", level=Level.INTERN)
    make_followup(action, dt.date(2026, 1, 10), Rating.GUL)
    make_followup(
        action, dt.date(2026, 4, 10), Rating.ROD, level=Level.BEGRANSAD, restricted_to="polis,samordnare"
    )
    assert _flags(world)["Intern åtgärd"].red
    ledamot = _flags(world, persona="ledamot")
    assert "Intern åtgärd" not in ledamot  # the red one is begränsad: for the ledamot it was yellow once
    assert _flags(world, persona="outsider") == {}
    begransad = world.cycle["A"]["levels"][Level.BEGRANSAD]["action"]
    titles = [
        f.action.title
        for f in flags_for_collaboration(world.users["lasare"], world.a, AS_OF, only_flagged=False)
    ]
    assert begransad.title not in titles
