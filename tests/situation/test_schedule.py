"""The round schedule: rounds open by rhythm (idempotent), reminders go to the right people, once each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from samverkan.core.models import AuditEntry, Role
from samverkan.situation.defaults import ensure_default_template
from samverkan.situation.models import Question, Round, RoundSchedule
from samverkan.situation.services.rounds import (
    report_get_or_create,
    report_save,
    report_submit,
    round_close,
)
from samverkan.situation.services.schedule import (
    open_due_rounds,
    period_start_for,
    reminder_recipients,
    round_remind,
    schedule_save,
    send_due_reminders,
)
from tests.factories import MembershipFactory, OrganisationFactory, ParticipationFactory, UserFactory
from tests.situation.factories import revision_of

D = dt.date


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.mark.parametrize(
    ("period", "day", "start"),
    [
        ("manad", D(2027, 3, 17), D(2027, 3, 1)),
        ("kvartal", D(2027, 8, 31), D(2027, 7, 1)),
        ("tertial", D(2027, 8, 31), D(2027, 5, 1)),
        ("tertial", D(2027, 12, 1), D(2027, 9, 1)),
        ("vecka", D(2027, 3, 17), D(2027, 3, 15)),
    ],
)
def test_period_start_for(period, day, start):
    assert period_start_for(period, day) == start


@pytest.fixture
def school(world):
    """A second aktör with a ledamot and a läsare of its own."""
    org = OrganisationFactory(name="Malå skola", home_kommun_id="2418")
    ParticipationFactory(collaboration=world.a, organisation=org)
    rektor = UserFactory(username="rektor", email="rektor@example.org")
    MembershipFactory(user=rektor, collaboration=world.a, role=Role.LEDAMOT, organisation=org)
    reader = UserFactory(username="laser", email="laser@example.org")
    MembershipFactory(user=reader, collaboration=world.a, role=Role.LASARE, organisation=org)
    return org


def _schedule(world, **changes):
    values = {
        "collaboration": world.a,
        "template": ensure_default_template(),
        "period": Round.Period.MONTH,
        "deadline_days": 5,
        "remind_days_before": 3,
        "organisations": [],
        "active": True,
        "acting_user": world.users["samordnare"],
    }
    return schedule_save(**{**values, **changes})


def test_schedule_save_is_for_the_samordnare_and_audited(world):
    with pytest.raises(PermissionDenied):
        _schedule(world, acting_user=world.users["ledamot"])
    with pytest.raises(ValidationError):
        _schedule(world, organisations=[world.org_b])
    schedule = _schedule(world)
    schedule = _schedule(world, period=Round.Period.QUARTER)
    assert RoundSchedule.objects.get(collaboration=world.a).period == Round.Period.QUARTER
    entries = AuditEntry.objects.filter(target_type="situation.roundschedule", target_id=str(schedule.pk))
    assert sorted(entries.values_list("action", flat=True)) == ["create", "update"]


def test_open_due_rounds_creates_the_current_period_once(world, school):
    _schedule(world)
    opened = open_due_rounds(today=D(2027, 3, 17))
    assert len(opened) == 1
    created = opened[0]
    assert (created.period_start, created.period_end) == (D(2027, 3, 1), D(2027, 3, 31))
    assert timezone.localtime(created.deadline).date() == D(2027, 4, 5)
    assert set(created.organisations.all()) == {world.org_a, school}  # empty list: every aktör
    assert created.created_by is None
    assert open_due_rounds(today=D(2027, 3, 18)) == []  # idempotent
    assert len(open_due_rounds(today=D(2027, 4, 1))) == 1  # the next month


def test_open_due_rounds_skips_inactive_and_uses_the_latest_template_version(world, school):
    shipped = ensure_default_template()
    own = revision_of(shipped, collaboration=world.a, acting_user=world.users["samordnare"])
    _schedule(world, template=own, organisations=[school], active=False)
    assert open_due_rounds(today=D(2027, 3, 17)) == []
    _schedule(world, template=own, organisations=[school], active=True)
    revised = revision_of(own, collaboration=world.a, acting_user=world.users["samordnare"])
    (created,) = open_due_rounds(today=D(2027, 3, 17))
    assert created.template == revised
    assert list(created.organisations.all()) == [school]


@pytest.fixture
def march_round(world, school):
    """A March 2027 round asking both aktörer, deadline 5 April 23:59; reminders three days before."""
    _schedule(world)
    (round_,) = open_due_rounds(today=D(2027, 3, 1))
    return round_


def test_recipients_are_writers_of_organisations_that_have_not_submitted(world, school, march_round):
    emails = {m.user.email for m in reminder_recipients(march_round)}
    # org_a: samordnare, polis, ledamot (not the läsare); the school: its ledamot (not its läsare).
    assert emails == {
        "samordnare@example.org",
        "polis@example.org",
        "ledamot@example.org",
        "rektor@example.org",
    }


def _submit(world, round_, organisation, user):
    report = report_get_or_create(round_=round_, organisation=organisation, acting_user=user)
    required = Question.objects.filter(section__template=round_.template, required=True)
    answers = {
        q.pk: ({"status": "gron"} if q.kind == "status" else {"trend": "oforandrat"}) for q in required
    }
    report_save(report=report, answers=answers, acting_user=user)
    report_submit(report=report, acting_user=user)


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """send_due_reminders, its e-mails sent as its transactions commit (the test's own never does)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(**kwargs)

    return run


def test_reminders_go_out_once_before_and_once_on_the_deadline_day(world, school, march_round, remind):
    mail.outbox.clear()
    # Too early: nothing.
    assert remind(now=at(D(2027, 4, 1))) == 0
    # Three days before the deadline (5 April): the school's rektor and org_a's writers.
    assert remind(now=at(D(2027, 4, 2))) == 4
    assert {m.to[0] for m in mail.outbox} >= {"rektor@example.org"}
    assert "Påminnelse" in mail.outbox[0].subject and "mars 2027" in mail.outbox[0].subject
    assert "/lagesbild/omgangar/" in mail.outbox[0].body
    # The next run the same day, and the day after: nothing more.
    assert remind(now=at(D(2027, 4, 2), 15)) == 0
    assert remind(now=at(D(2027, 4, 3))) == 0
    # Org A submits; on the deadline day only the school is reminded, once.
    _submit(world, march_round, world.org_a, world.users["ledamot"])
    mail.outbox.clear()
    assert remind(now=at(D(2027, 4, 5))) == 1
    assert mail.outbox[0].to == ["rektor@example.org"]
    assert "Sista dag i dag" in mail.outbox[0].subject
    assert remind(now=at(D(2027, 4, 5), 20)) == 0
    # After the deadline, nothing.
    assert remind(now=at(D(2027, 4, 6))) == 0


def test_closed_rounds_get_no_reminders(world, school, march_round):
    round_close(round_=march_round, acting_user=world.users["samordnare"])
    mail.outbox.clear()
    assert send_due_reminders(now=at(D(2027, 4, 2))) == 0
    assert mail.outbox == []


def test_remind_now_is_for_the_samordnare(world, school, march_round, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        round_remind(round_=march_round, acting_user=world.users["ledamot"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = round_remind(round_=march_round, acting_user=world.users["samordnare"])
    assert count == len(mail.outbox) == 4
    # Each e-mail goes to one person (no one sees the others' addresses).
    assert all(len(m.to) == 1 for m in mail.outbox)


def test_reminders_wait_for_the_commit_and_a_rollback_sends_none(
    world, school, march_round, django_capture_on_commit_callbacks
):
    samordnare = world.users["samordnare"]
    mail.outbox.clear()
    # The request (or job) fails after reminding: its transaction rolls back, so nobody is told.
    with pytest.raises(RuntimeError), transaction.atomic():
        assert round_remind(round_=march_round, acting_user=samordnare) == 4
        raise RuntimeError
    with pytest.raises(RuntimeError), transaction.atomic():
        assert send_due_reminders(now=at(D(2027, 4, 2))) == 4
        raise RuntimeError
    assert mail.outbox == []
    march_round.refresh_from_db()
    assert march_round.reminder_sent_at is None  # the bookkeeping rolled back with it: sent again later
    # Committed: the e-mails go out then, not before.
    with django_capture_on_commit_callbacks() as callbacks:
        assert send_due_reminders(now=at(D(2027, 4, 2))) == 4
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 4
