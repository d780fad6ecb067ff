"""The meetings demo (issue 14, item 8): built once, through the services, on an empty database; checked for idempotence, the published minutes' content, the colours and the numbering."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.actions.models import Rating
from samverkan.core.models import Collaboration, Level
from samverkan.meetings.demo import ALVSBYN, MALA
from samverkan.meetings.models import AgendaItem, Attendance, Decision, Meeting, MeetingFollowUp, Minutes


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_year(monkeypatch, tmp_path, settings):
    """One build for every check (the demo is the slow part): loaded twice, the second load must
    change nothing."""
    from samverkan.core.demo import load_demo

    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("SAMVERKAN_DEMO_PASSWORD", "demo-losenord-123")
    load_demo()
    models = (Meeting, AgendaItem, Attendance, Decision, MeetingFollowUp, Minutes)
    counts = {m.__name__: m.objects.count() for m in models}
    load_demo()
    assert {m.__name__: m.objects.count() for m in models} == counts, "a second load changed the meetings"
    _check_mala()
    _check_alvsbyn()


def _check_mala() -> None:
    mala = Collaboration.objects.get(name=MALA)
    meetings = list(Meeting.objects.filter(collaboration=mala).order_by("starts_at"))
    assert [m.starts_at.year for m in meetings] == [2022] * 4
    statuses = [Minutes.objects.filter(meeting=m).values_list("status", flat=True).first() for m in meetings]
    # December's minutes are still a draft (the row is made on first use of the minutes).
    assert statuses[:3] == [Minutes.Status.JUSTERAT] * 3 and statuses[3] in (None, Minutes.Status.UTKAST)
    for meeting in meetings:
        kinds = set(AgendaItem.objects.filter(meeting=meeting).values_list("kind", flat=True))
        assert {
            AgendaItem.Kind.UPPFOLJNING,
            AgendaItem.Kind.POLISINFORMATION,
            AgendaItem.Kind.LAGESBILD,
        } <= kinds
        levels = set(AgendaItem.objects.filter(meeting=meeting).values_list("level", flat=True))
        assert {Level.OPPEN, Level.INTERN, Level.BEGRANSAD} <= levels
        assert AgendaItem.objects.filter(meeting=meeting).exclude(notes="").exists()
        assert Attendance.objects.filter(meeting=meeting, status=Attendance.Status.NARVARANDE).count() >= 5
    # The action plan's follow-ups of those days, linked (not copied): all three colours.
    links = MeetingFollowUp.objects.filter(meeting__in=meetings).select_related("followup")
    assert {link.followup.rating for link in links} == set(Rating.values)
    from samverkan.actions.models import FollowUp

    days = {m.starts_at.date() for m in meetings}
    assert (
        FollowUp.objects.filter(action__collaboration=mala, followed_up_on__in=days).count() == links.count()
    )
    # Decisions numbered per group and year, in order, public ones and an intern one.
    labels = [d.label for d in Decision.objects.filter(meeting__in=meetings).order_by("number")]
    assert labels == [f"§ {n}/2022" for n in range(1, len(labels) + 1)] and len(labels) >= 8
    assert Decision.objects.filter(meeting__in=meetings, level=Level.INTERN).exists()
    assert Attendance.objects.filter(meeting=meetings[1], status=Attendance.Status.ERSATTARE).exists()

    # Published: the portal lists them and each public page holds no intern or begränsad text.
    published = [
        m for m in meetings if Minutes.objects.filter(meeting=m, published_at__isnull=False).exists()
    ]
    assert len(published) == 3
    anonymous = Client()
    listing = anonymous.get(reverse("portal:minutes_list", args=[mala.pk]))
    assert listing.status_code == 200
    for meeting in published:
        page = anonymous.get(reverse("portal:minutes_detail", args=[mala.pk, meeting.pk])).content.decode()
        assert "§ " in page and "Uppföljning av åtgärder" in page
        withheld = AgendaItem.objects.filter(meeting=meeting).exclude(level=Level.OPPEN).exclude(notes="")
        assert {Level.INTERN, Level.BEGRANSAD} <= set(withheld.values_list("level", flat=True))
        for item in withheld:
            assert item.notes not in page, item.title
        assert "Punkten innehåller uppgifter som inte publiceras" in page
        for decision in Decision.objects.filter(meeting=meeting).exclude(level=Level.OPPEN):
            assert decision.text not in page
        for decision in Decision.objects.filter(meeting=meeting, level=Level.OPPEN):
            assert decision.text in page


def _check_alvsbyn() -> None:
    alvsbyn = Collaboration.objects.get(name=ALVSBYN)
    strategic = Meeting.objects.filter(collaboration=alvsbyn, group__kind="folkhalsorad").order_by(
        "starts_at"
    )[0]
    before = Meeting.objects.get(linked_meeting=strategic, link_relation=Meeting.Relation.FORE)
    for meeting in (before, strategic):
        assert Minutes.objects.get(meeting=meeting).published_at is not None
    report_back = AgendaItem.objects.get(meeting=strategic, kind=AgendaItem.Kind.ATERRAPPORTERING)
    operative_decisions = Decision.objects.filter(meeting=before, level=Level.OPPEN)
    assert operative_decisions.count() == 2
    assert set(report_back.source["decisions"]) >= set(operative_decisions.values_list("pk", flat=True))
    for decision in operative_decisions:
        assert decision.text in report_back.prepared_text
