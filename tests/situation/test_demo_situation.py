"""`samverkan demo` lägesbild: a year of rounds and events in Malå, Älvdalen (monthly) and the network
(quarterly)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from samverkan.core.demo import load_demo
from samverkan.core.models import Level, Organisation
from samverkan.core.personaldata import find_personal_data
from samverkan.situation.demo import NETWORK_STORY, STORIES
from samverkan.situation.geo import point_in_kommun
from samverkan.situation.models import (
    Answer,
    AreaSummary,
    Event,
    PictureItem,
    PictureVersion,
    Place,
    Report,
    Round,
    RoundSchedule,
)

# (min lon, min lat, max lon, max lat) of each kommun's boundary.
BOUNDING_BOXES = {
    "2418": (18.168, 64.984, 19.391, 65.525),  # Malå
    "2039": (12.137, 61.031, 14.355, 62.268),  # Älvdalen
    "2417": (18.757, 64.667, 20.216, 65.194),  # Norsjö
    "2422": (14.951, 65.036, 18.297, 66.345),  # Sorsele
    "2505": (18.178, 65.143, 20.217, 66.175),  # Arvidsjaur
    "2506": (15.377, 65.577, 19.032, 67.19),  # Arjeplog
}
# Each story's first and last period, how many, and their rhythm.
PERIODS = {
    "Malå kommun och LPO Skellefteå": ("2025-12-01", "2026-11-01", 12, Round.Period.MONTH),
    "Älvdalens kommun och LPO Mora": ("2025-12-01", "2026-11-01", 12, Round.Period.MONTH),
    NETWORK_STORY.collaboration: ("2025-10-01", "2026-10-01", 5, Round.Period.QUARTER),
}
MODELS = (
    Round,
    Report,
    Answer,
    Event,
    Place,
    RoundSchedule,
    Round.organisations.through,
    AreaSummary,
    PictureVersion,
    PictureItem,
)


@pytest.fixture
def demo(monkeypatch, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("SAMVERKAN_DEMO_PASSWORD", "demo-losenord-123")
    load_demo()


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_lagesbild(demo):
    """One load (the demo takes seconds), every check, then a second load that adds nothing."""
    check_a_year_of_monthly_rounds_latest_open()
    check_answers_vary_and_police_answers_are_begransad()
    check_events_lie_inside_their_kommun()
    check_closed_months_are_summarised_and_agreed()
    check_no_free_text_holds_personal_data()

    counts = {m.__name__: m.objects.count() for m in MODELS}
    load_demo()
    assert {m.__name__: m.objects.count() for m in MODELS} == counts
    assert counts["Round"] == 12 + 12 + 5 and counts["RoundSchedule"] == 3


def check_a_year_of_monthly_rounds_latest_open():
    now = timezone.now()
    assert set(PERIODS) == {story.collaboration for story in STORIES}
    for story in STORIES:
        first, last, count, period = PERIODS[story.collaboration]
        rounds = list(Round.objects.filter(collaboration__name=story.collaboration).order_by("period_start"))
        assert [r.period_start.isoformat() for r in (rounds[0], rounds[-1])] == [first, last]
        assert len(rounds) == count and {r.period for r in rounds} == {period}
        *closed, latest = rounds
        assert latest.is_open and latest.deadline > now
        assert all(r.closed_at is not None and not r.is_open for r in closed)
        schedule = RoundSchedule.objects.get(collaboration__name=story.collaboration)
        assert schedule.active and schedule.period == period
        for round_ in rounds:
            asked = set(round_.organisations.values_list("pk", flat=True))
            assert 5 <= len(asked) <= 8
            reports = list(round_.reports.all())
            assert reports and {r.organisation_id for r in reports} <= asked
            assert Answer.objects.filter(report__round=round_).exists()
            for report in reports:
                assert report.collaboration_id == round_.collaboration_id
                if report.status == Report.Status.INSKICKAD:
                    assert report.submitted_at is not None and report.submitted_at <= now
                    # A submitted report answers status and trend in every area.
                    kinds = Counter(report.answers.values_list("question__kind", flat=True))
                    assert kinds["status"] == kinds["trend"] == 6
        # Recent months are incomplete: drafts or missing aktörer.
        assert latest.reports.filter(status=Report.Status.UTKAST).exists()
        assert latest.reports.count() < latest.organisations.count()


def check_answers_vary_and_police_answers_are_begransad():
    statuses = Counter(Answer.objects.exclude(status="").values_list("status", flat=True))
    trends = Counter(Answer.objects.exclude(trend="").values_list("trend", flat=True))
    assert set(statuses) == {"gron", "gul", "orange", "rod"}
    assert set(trends) == {"okar", "oforandrat", "minskar", "vet_ej"}
    police = Answer.objects.filter(report__organisation__kind=Organisation.Kind.POLIS)
    assert police.exists() and set(police.values_list("level", flat=True)) == {Level.BEGRANSAD}
    others = set(
        Answer.objects.exclude(report__organisation__kind=Organisation.Kind.POLIS).values_list(
            "level", flat=True
        )
    )
    assert others == {Level.INTERN, Level.OPPEN}
    assert Answer.objects.exclude(text="").count() >= 100
    assert Answer.objects.exclude(places=[]).exists()


def check_events_lie_inside_their_kommun():
    for story in STORIES:
        events = Event.objects.filter(collaboration__name=story.collaboration)
        assert 60 <= events.count() <= 160
        assert set(events.values_list("kommun_id", flat=True)) == story.kommuner
        assert events.filter(latitude__isnull=True).exists()  # some without a point
        assert events.filter(level=Level.BEGRANSAD).exists() and events.filter(level=Level.INTERN).exists()
        assert events.values("category").distinct().count() >= 8
        located = events.exclude(latitude__isnull=True).values_list("kommun_id", "latitude", "longitude")
        for kommun, lat, lon in located:
            min_lon, min_lat, max_lon, max_lat = BOUNDING_BOXES[kommun]
            assert min_lat <= lat <= max_lat and min_lon <= lon <= max_lon
            assert point_in_kommun(kommun, lat, lon, tolerance=0)
        for place in Place.objects.filter(collaboration__name=story.collaboration):
            assert place.kommun_id == story.kommun_of(place.name)
            min_lon, min_lat, max_lon, max_lat = BOUNDING_BOXES[place.kommun_id]
            assert min_lat <= place.latitude <= max_lat and min_lon <= place.longitude <= max_lon
        # Most on Friday and Saturday nights.
        local = [timezone.localtime(t) for t in events.values_list("occurred_at", flat=True)]
        nights = sum(1 for t in local if t.hour >= 20 or t.hour < 3)
        assert nights > len(local) / 3
        assert max(local) <= timezone.now()
    police = Event.objects.filter(organisation__kind=Organisation.Kind.POLIS)
    assert police.exists() and set(police.values_list("level", flat=True)) == {Level.BEGRANSAD}


def check_closed_months_are_summarised_and_agreed():
    for story in STORIES:
        rounds = Round.objects.filter(collaboration__name=story.collaboration)
        closed = rounds.filter(closed_at__isnull=False)
        versions = PictureVersion.objects.filter(picture__round__in=rounds)
        assert versions.count() == closed.count() == PERIODS[story.collaboration][2] - 1
        assert set(versions.values_list("meeting", flat=True)) == {story.meeting}
        assert all(v.meeting_date >= v.picture.round.period_end for v in versions)
        assert not versions.filter(picture__round__closed_at__isnull=True).exists()
        assert AreaSummary.objects.filter(picture__round__in=closed).count() == closed.count() * 6
        assert PictureItem.objects.filter(version__in=versions, level=Level.BEGRANSAD).exists()


def check_no_free_text_holds_personal_data():
    texts = [
        *Answer.objects.exclude(text="").values_list("text", flat=True),
        *Event.objects.values_list("description", flat=True),
        *Event.objects.values_list("place_name", flat=True),
        *Place.objects.values_list("name", flat=True),
        *AreaSummary.objects.values_list("text", flat=True),
    ]
    for answer_places in Answer.objects.exclude(places=[]).values_list("places", flat=True):
        texts.extend(p["name"] for p in answer_places)
    assert texts
    assert [t for t in texts if find_personal_data(t)] == []
