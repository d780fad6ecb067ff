"""Bench data for the lägesbild: rounds, reports, answers and events, generated with raw inserts."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from samverkan.bench import generator
from samverkan.core.bench import BenchContext, bench_collaborations, load_scenarios
from samverkan.core.models import Collaboration, Level, Organisation
from samverkan.situation.models import Answer, Event, Question, Report, Round, StatusLevel, Trend

TINY = generator.Scale(kommuner=2, organisations=5, users=8, notices=2, months=14, reporters=4, events=30)


def test_months_count_back_from_the_current_one():
    assert generator.situation_months(3, dt.date(2026, 2, 17)) == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]
    assert len(generator.situation_months(60)) == 60


def test_national_scale_is_the_size_the_issue_asks_for():
    counts = generator.expected_situation_counts(generator.NATIONAL)
    assert counts["reports"] == 290 * 60 * 15 == 261_000
    assert 990_000 <= counts["events"] <= 1_010_000


@pytest.mark.django_db
def test_tiny_scale_rows_are_consistent():
    created = generator.generate(TINY)
    collaborations = bench_collaborations()
    assert created["rounds"] == 2 * 14 and created["reports"] == 2 * 14 * 4 and created["events"] == 60
    assert generator.situation_counts() == generator.expected_situation_counts(TINY)
    assert generator.is_filled(TINY)

    rounds = Round.objects.filter(collaboration__in=collaborations)
    for collaboration in collaborations:
        own = list(rounds.filter(collaboration=collaboration).order_by("period_start"))
        assert len(own) == 14
        *closed, latest = own
        assert latest.is_open and latest.closed_at is None
        assert all(r.closed_at is not None for r in closed[:-1])  # last month's deadline may be ahead
        parties = set(collaboration.participations.values_list("organisation_id", flat=True))
        for round_ in own:
            asked = set(round_.organisations.values_list("pk", flat=True))
            assert len(asked) == 4 and asked <= parties
            assert round_.period_end.month == round_.period_start.month
    # Every report's organisation is asked in its round, in the same collaboration.
    reports = Report.objects.filter(collaboration__in=collaborations)
    assert not reports.exclude(collaboration=F("round__collaboration")).exists()
    for report in reports.select_related("round"):
        assert report.round.organisations.filter(pk=report.organisation_id).exists()
        if report.status == Report.Status.INSKICKAD:
            assert report.submitted_at is not None and report.submitted_by_id is not None
    assert not reports.filter(round__closed_at__isnull=False, status=Report.Status.UTKAST).exists()

    # Status and trend for all six areas in every report, valid values, text in some.
    answers = Answer.objects.filter(report__in=reports)
    assert set(answers.values_list("question__section__template__collaboration", flat=True)) == {None}
    per_report = Counter(
        answers.exclude(question__kind=Question.Kind.TEXT).values_list("report_id", flat=True)
    )
    assert set(per_report.values()) == {12} and len(per_report) == reports.count()
    assert set(answers.exclude(status="").values_list("status", flat=True)) <= set(StatusLevel.values)
    assert set(answers.exclude(trend="").values_list("trend", flat=True)) <= set(Trend.values)
    assert answers.filter(question__kind=Question.Kind.TEXT).exclude(text="").exists()
    assert not answers.exclude(collaboration=F("report__collaboration")).exists()
    police = answers.filter(report__organisation__kind=Organisation.Kind.POLIS)
    assert police.exists() and set(police.values_list("level", flat=True)) == {Level.BEGRANSAD}
    assert answers.filter(places=[]).count() == answers.count()

    # Events lie in their collaboration's kommun, near its centre, over the whole span, at every level.
    events = Event.objects.filter(collaboration__in=collaborations)
    for event in events.select_related("kommun"):
        assert Collaboration.kommuner.through.objects.filter(
            collaboration_id=event.collaboration_id, kommun_id=event.kommun_id
        ).exists()
        if event.latitude is not None:
            assert abs(event.latitude - event.kommun.centroid_lat) <= 0.011
            assert abs(event.longitude - event.kommun.centroid_lon) <= 0.011
        else:
            assert event.longitude is None
    assert set(events.values_list("level", flat=True)) == set(Level.values)
    assert not events.exclude(category__collaboration__isnull=True).exists()
    first = min(r.period_start for r in rounds)
    assert events.filter(occurred_at__date__lt=first).count() == 0
    assert events.values("kommun").annotate(n=Count("id")).count() == 2

    # The indexes were built again after loading.
    from django.db import connection

    with connection.cursor() as cursor:
        names = {c.name for c in connection.introspection.get_table_list(cursor)}
        assert "situation_event" in names
        constraints = connection.introspection.get_constraints(cursor, "situation_event")
    assert "event_kommun_when" in constraints

    # Ids were assigned by the generator; the database's own sequence goes on after them.
    template = rounds.first().template
    extra = Round.objects.create(
        collaboration=collaborations.first(),
        template=template,
        period_start=dt.date(2000, 1, 1),
        period_end=dt.date(2000, 1, 31),
        deadline=timezone.now(),
    )
    assert extra.pk > max(rounds.exclude(pk=extra.pk).values_list("pk", flat=True))
    report = Report.objects.create(
        collaboration=extra.collaboration, round=extra, organisation=reports.first().organisation
    )
    assert report.pk > max(reports.exclude(pk=report.pk).values_list("pk", flat=True))


@pytest.mark.django_db
def test_generation_is_deterministic_for_a_seed():
    from django.db import transaction

    def fingerprint() -> tuple[list[tuple], list[tuple]]:
        reports = list(
            Answer.objects.filter(collaboration__in=bench_collaborations())
            .order_by("report__round__collaboration__name", "report__round__period_start", "report__organisation__name", "question__section__order", "question__order")
            .values_list("report__organisation__name", "question__section__area_code", "question__kind", "status", "trend", "text", "level")
        )  # fmt: skip
        events = list(
            Event.objects.filter(collaboration__in=bench_collaborations())
            .order_by("collaboration__name", "occurred_at", "id")
            .values_list("category__name", "latitude", "longitude", "level", "description")
        )
        return reports, events

    small = generator.Scale(kommuner=1, organisations=5, users=8, notices=1, months=3, reporters=3, events=10)
    with transaction.atomic():
        generator.generate(small, seed=11)
        first = fingerprint()
        transaction.set_rollback(True)
    generator.generate(small, seed=11)
    assert fingerprint() == first


def test_situation_scenarios_are_registered():
    scenarios = load_scenarios()
    assert {"situation.picture", "situation.events_api", "situation.report_form"} <= set(scenarios)
    assert "3× floor" in scenarios["situation.picture"].description
    assert "150 ms" in scenarios["situation.events_api"].description


@pytest.mark.django_db
def test_situation_scenarios_answer_200_on_tiny_data():
    generator.generate(TINY)
    collaboration = bench_collaborations().order_by("name").first()
    ctx = BenchContext.create(collaboration)
    scenarios = load_scenarios()
    for name in (
        "situation.picture",
        "situation.picture_api",
        "situation.rounds",
        "situation.events_api",
        "situation.report_form",
    ):
        response = scenarios[name].func(ctx)
        assert response.status_code == 200, (name, response.status_code)
    # The API's picture is the page's month; the rounds list shows all 14 rounds (one open, 13 past: one page).
    own = list(Round.objects.filter(collaboration=ctx.collaboration).order_by("period_start"))
    assert scenarios["situation.picture_api"].func(ctx).json()["round"] == own[len(own) // 2].pk
    rounds_page = scenarios["situation.rounds"].func(ctx).content.decode()
    for round_ in own:
        detail = reverse(
            "situation:round_detail", kwargs={"collaboration_id": ctx.collaboration.pk, "round_id": round_.pk}
        )
        assert f'href="{detail}"' in rounds_page
