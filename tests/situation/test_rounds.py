"""Rounds and reports: periods, who may report, answer validation, levels, closing, submitting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samverkan.core.models import Level, Organisation
from samverkan.situation.defaults import ensure_default_template
from samverkan.situation.models import Answer, Question, Report, Round
from samverkan.situation.services import (
    period_bounds,
    report_get_or_create,
    report_save,
    report_submit,
    round_create,
)
from tests.factories import OrganisationFactory, ParticipationFactory
from tests.situation.factories import question

D = dt.date


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("manad", D(2026, 2, 1), D(2026, 2, 28)),
        ("manad", D(2024, 12, 1), D(2024, 12, 31)),
        ("kvartal", D(2026, 4, 1), D(2026, 6, 30)),
        ("tertial", D(2026, 9, 1), D(2026, 12, 31)),
        ("vecka", D(2026, 11, 16), D(2026, 11, 22)),
    ],
)
def test_period_bounds(period, start, end):
    assert period_bounds(period, start) == (start, end)


@pytest.mark.parametrize(
    ("period", "start"), [("manad", D(2026, 2, 2)), ("kvartal", D(2026, 2, 1)), ("vecka", D(2026, 11, 17))]
)
def test_period_must_start_where_periods_start(period, start):
    with pytest.raises(ValidationError):
        period_bounds(period, start)


def test_round_defaults_ask_every_aktor_with_a_deadline_after_the_period(world, open_round):
    assert set(open_round.organisations.all()) == {world.org_a}
    assert open_round.deadline.date() == open_round.period_end + dt.timedelta(days=5)
    with pytest.raises(ValidationError):
        round_create(
            collaboration=world.a,
            template=open_round.template,
            period="manad",
            period_start=open_round.period_start,
            acting_user=world.users["samordnare"],
        )


def test_only_samordnare_opens_rounds_and_only_aktorer_are_asked(world):
    template = ensure_default_template()
    with pytest.raises(PermissionDenied):
        round_create(
            collaboration=world.a,
            template=template,
            period="manad",
            period_start=D(2026, 1, 1),
            acting_user=world.users["ledamot"],
        )
    with pytest.raises(ValidationError):
        round_create(
            collaboration=world.a,
            template=template,
            period="manad",
            period_start=D(2026, 1, 1),
            organisations=[world.org_b],
            acting_user=world.users["samordnare"],
        )


def test_member_reports_only_for_own_organisation(world, open_round):
    other = Organisation.objects.create(
        name="Skolan i Malå", kind="kommunal_forvaltning", home_kommun_id="2418"
    )
    ParticipationFactory(collaboration=world.a, organisation=other)
    open_round.organisations.add(other)
    report_get_or_create(round_=open_round, organisation=world.org_a, acting_user=world.users["ledamot"])
    with pytest.raises(PermissionDenied):
        report_get_or_create(round_=open_round, organisation=other, acting_user=world.users["ledamot"])
    with pytest.raises(PermissionDenied):
        report_get_or_create(round_=open_round, organisation=world.org_a, acting_user=world.users["lasare"])
    # The samordnare may fill in for any aktör (e.g. from a phone call).
    assert report_get_or_create(
        round_=open_round, organisation=other, acting_user=world.users["samordnare"]
    ).pk


def test_answers_are_validated_per_kind(world, open_round):
    report = report_get_or_create(
        round_=open_round, organisation=world.org_a, acting_user=world.users["ledamot"]
    )
    status_q = question(open_round, Question.Kind.STATUS)
    with pytest.raises(ValidationError) as exc:
        report_save(
            report=report, answers={status_q.pk: {"status": "lila"}}, acting_user=world.users["ledamot"]
        )
    assert f"q{status_q.pk}" in exc.value.error_dict
    text_q = question(open_round, Question.Kind.TEXT)
    with pytest.raises(ValidationError):
        report_save(
            report=report, answers={text_q.pk: {"text": "x" * 5001}}, acting_user=world.users["ledamot"]
        )
    with pytest.raises(ValidationError):
        report_save(report=report, answers={999999: {"text": "x"}}, acting_user=world.users["ledamot"])
    assert not Answer.objects.filter(report=report).exists()


def test_police_answers_default_to_begransad(world, open_round):
    report = report_get_or_create(
        round_=open_round, organisation=world.org_a, acting_user=world.users["polis"]
    )
    text_q = question(open_round, Question.Kind.TEXT)
    report_save(
        report=report,
        answers={text_q.pk: {"text": "Underrättelse om langning"}},
        acting_user=world.users["polis"],
    )
    answer = Answer.objects.get(report=report, question=text_q)
    assert answer.level == Level.BEGRANSAD and answer.restricted_roles == {"polis", "samordnare"}
    assert not Answer.objects.visible_to(world.users["ledamot"]).filter(pk=answer.pk).exists()


def test_personal_data_refused_in_open_answers(world, open_round):
    report = report_get_or_create(
        round_=open_round, organisation=world.org_a, acting_user=world.users["ledamot"]
    )
    text_q = question(open_round, Question.Kind.TEXT)
    with pytest.raises(ValidationError) as exc:
        report_save(
            report=report,
            answers={text_q.pk: {"text": "Ring 070-123 45 67", "level": "oppen"}},
            acting_user=world.users["ledamot"],
        )
    assert f"q{text_q.pk}" in exc.value.error_dict


def test_submit_requires_required_answers_and_closed_round_keeps_the_draft(world, open_round):
    user = world.users["ledamot"]
    report = report_get_or_create(round_=open_round, organisation=world.org_a, acting_user=user)
    text_q = question(open_round, Question.Kind.TEXT)
    report_save(report=report, answers={text_q.pk: {"text": "Lugnt i centrum"}}, acting_user=user)
    with pytest.raises(ValidationError) as exc:
        report_submit(report=report, acting_user=user)
    assert len(exc.value.error_dict) == 12  # status and trend in six areas
    required = Question.objects.filter(section__template=open_round.template, required=True)
    answers = {q.pk: ({"status": "gul"} if q.kind == "status" else {"trend": "okar"}) for q in required}
    report_save(report=report, answers=answers, acting_user=user)
    report_submit(report=report, acting_user=user)
    assert Report.objects.get(pk=report.pk).status == Report.Status.INSKICKAD
    # Editable until the round closes; afterwards changes are refused and the report is kept as it was.
    report_save(
        report=report, answers={text_q.pk: {"text": "Lugnt i centrum, oro vid skolan"}}, acting_user=user
    )
    Round.objects.filter(pk=open_round.pk).update(closed_at=timezone.now())
    report.round.refresh_from_db()
    with pytest.raises(ValidationError):
        report_save(report=report, answers={text_q.pk: {"text": "för sent"}}, acting_user=user)
    assert Answer.objects.get(report=report, question=text_q).text == "Lugnt i centrum, oro vid skolan"


def test_no_new_report_is_started_in_a_closed_round_but_an_existing_draft_is_returned(world):
    from samverkan.situation.services.rounds import report_get_or_create

    round_ = world.situation["A"]["round"]
    existing = world.situation["A"]["report"]
    Round.objects.filter(pk=round_.pk).update(closed_at=timezone.now())
    round_.refresh_from_db()
    assert (
        report_get_or_create(round_=round_, organisation=world.org_a, acting_user=world.users["ledamot"])
        == existing
    )
    other = OrganisationFactory(name="Sen aktör", home_kommun_id="2418")
    ParticipationFactory(collaboration=world.a, organisation=other)
    round_.organisations.add(other)
    with pytest.raises(ValidationError, match="stängd"):
        report_get_or_create(round_=round_, organisation=other, acting_user=world.users["samordnare"])
    assert not round_.reports.filter(organisation=other).exists()


@pytest.mark.django_db
def test_open_only_round_rows_are_the_open_ones_chosen_in_the_query():
    """The home asks for the open rounds only (issue 12: not years of past rounds); same rows as filtering."""
    from samverkan.situation.selectors.rounds import round_rows
    from tests.factories import UserFactory
    from tests.situation.factories import RoundFactory

    open_round = RoundFactory()
    collaboration = open_round.collaboration
    RoundFactory(collaboration=collaboration, period_start=dt.date(2026, 9, 1), closed_at=timezone.now())
    RoundFactory(
        collaboration=collaboration,
        period_start=dt.date(2026, 10, 1),
        deadline=timezone.now() - dt.timedelta(minutes=1),
    )
    user = UserFactory()
    all_open, past = round_rows(user=user, collaboration=collaboration)
    only_open, none = round_rows(user=user, collaboration=collaboration, open_only=True)
    assert [r.round.pk for r in only_open] == [r.round.pk for r in all_open] == [open_round.pk]
    assert len(past) == 2 and list(none) == []
