"""Round services beyond creating: closing, reopening, moving the deadline; saving drafts quietly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samverkan.core.models import AuditEntry, Level
from samverkan.situation.defaults import ensure_default_template
from samverkan.situation.models import Answer, Question, Report, Round
from samverkan.situation.services.rounds import (
    report_get_or_create,
    report_save,
    round_close,
    round_create,
    round_reopen,
    round_update_deadline,
)
from tests.situation.factories import question


def test_system_may_open_a_round_without_a_person(world):
    created = round_create(
        collaboration=world.a,
        template=ensure_default_template(),
        period=Round.Period.QUARTER,
        period_start=dt.date(2027, 1, 1),
        acting_user=None,
    )
    assert created.created_by is None
    entry = AuditEntry.objects.get(target_type="situation.round", target_id=str(created.pk))
    assert entry.actor is None and entry.action == AuditEntry.Action.CREATE


def test_close_keeps_drafts_and_reopen_lets_them_change_again(world, open_round):
    ledamot, samordnare = world.users["ledamot"], world.users["samordnare"]
    report = report_get_or_create(round_=open_round, organisation=world.org_a, acting_user=ledamot)
    text_q = question(open_round, Question.Kind.TEXT)
    report_save(report=report, answers={text_q.pk: {"text": "Oro vid busstationen"}}, acting_user=ledamot)

    round_close(round_=open_round, acting_user=samordnare)
    open_round.refresh_from_db()
    assert open_round.closed_at is not None and not open_round.is_open
    report.refresh_from_db()
    assert report.status == Report.Status.UTKAST
    assert Answer.objects.get(report=report).text == "Oro vid busstationen"
    with pytest.raises(ValidationError):
        report_save(report=report, answers={text_q.pk: {"text": "för sent"}}, acting_user=ledamot)
    with pytest.raises(ValidationError):
        round_close(round_=open_round, acting_user=samordnare)

    round_reopen(round_=open_round, acting_user=samordnare)
    report.round.refresh_from_db()
    report_save(report=report, answers={text_q.pk: {"text": "Lugnare nu"}}, acting_user=ledamot)
    assert Answer.objects.get(report=report).text == "Lugnare nu"
    actions = AuditEntry.objects.filter(target_type="situation.round", target_id=str(open_round.pk))
    assert actions.filter(action=AuditEntry.Action.UPDATE).count() == 2


def test_only_samordnare_closes_reopens_and_moves_deadline(world, open_round):
    for persona in ("polis", "ledamot", "lasare", "outsider"):
        user = world.users[persona]
        with pytest.raises(PermissionDenied):
            round_close(round_=open_round, acting_user=user)
        with pytest.raises(PermissionDenied):
            round_update_deadline(round_=open_round, deadline=open_round.deadline, acting_user=user)
        with pytest.raises(PermissionDenied):
            round_reopen(round_=open_round, acting_user=user)


def test_reopening_after_the_deadline_needs_a_new_deadline(world, open_round):
    samordnare = world.users["samordnare"]
    Round.objects.filter(pk=open_round.pk).update(
        deadline=timezone.now() - dt.timedelta(days=1), reminder_sent_at=timezone.now()
    )
    open_round.refresh_from_db()
    assert not open_round.is_open
    with pytest.raises(ValidationError) as exc:
        round_reopen(round_=open_round, acting_user=samordnare)
    assert "deadline" in exc.value.error_dict
    new_deadline = timezone.now() + dt.timedelta(days=3)
    round_reopen(round_=open_round, deadline=new_deadline, acting_user=samordnare)
    open_round.refresh_from_db()
    assert open_round.is_open and open_round.deadline == new_deadline
    assert open_round.reminder_sent_at is None  # reminders go out again for the new date


def test_deadline_must_be_in_the_future_and_round_open(world, open_round):
    samordnare = world.users["samordnare"]
    with pytest.raises(ValidationError):
        round_update_deadline(
            round_=open_round, deadline=timezone.now() - dt.timedelta(hours=1), acting_user=samordnare
        )
    later = open_round.deadline + dt.timedelta(days=7)
    round_update_deadline(round_=open_round, deadline=later, acting_user=samordnare)
    assert Round.objects.get(pk=open_round.pk).deadline == later
    round_close(round_=open_round, acting_user=samordnare)
    with pytest.raises(ValidationError):
        round_update_deadline(round_=open_round, deadline=later, acting_user=samordnare)


def test_unchanged_answers_and_empty_fields_write_nothing(world, open_round):
    ledamot = world.users["ledamot"]
    report = report_get_or_create(round_=open_round, organisation=world.org_a, acting_user=ledamot)
    status_q = question(open_round, Question.Kind.STATUS)
    text_q = question(open_round, Question.Kind.TEXT)
    answers = {status_q.pk: {"status": "gul"}, text_q.pk: {"text": ""}}
    report_save(report=report, answers=answers, acting_user=ledamot)
    assert list(report.answers.values_list("question_id", flat=True)) == [status_q.pk]
    before = AuditEntry.objects.count()
    report_save(report=report, answers=answers, acting_user=ledamot)  # an autosave with nothing new
    assert AuditEntry.objects.count() == before


def test_an_unreadable_begransad_answer_is_never_overwritten(world, open_round):
    polis, ledamot = world.users["polis"], world.users["ledamot"]
    report = report_get_or_create(round_=open_round, organisation=world.org_a, acting_user=polis)
    text_q = question(open_round, Question.Kind.TEXT)
    report_save(report=report, answers={text_q.pk: {"text": "Underrättelse"}}, acting_user=polis)
    with pytest.raises(ValidationError) as exc:
        report_save(report=report, answers={text_q.pk: {"text": ""}}, acting_user=ledamot)
    assert f"q{text_q.pk}" in exc.value.error_dict
    answer = Answer.objects.get(report=report, question=text_q)
    assert (answer.text, answer.level) == ("Underrättelse", Level.BEGRANSAD)
