"""The öppen version of an agreed joint picture in the browser: events by day and kommun, the sensitive
ones only as a count, nothing pinpointed, and axe clean (the `ui` fixture checks every page)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samverkan.core.models import Level
from samverkan.situation.models import Event, EventCategory
from samverkan.situation.services.picture import picture_agree

pytestmark = pytest.mark.e2e


def test_the_open_version_shows_events_generalised(ui, world):
    round_ = world.situation["A"]["round"]
    for day in (8, 15):
        Event.objects.create(
            collaboration=world.a,
            level=Level.OPPEN,
            category=EventCategory.objects.get(collaboration=None, name="Våld i nära relation"),
            occurred_at=timezone.make_aware(dt.datetime(2026, 10, day, 2, 8)),
            kommun_id="2418",
            place_name="Idre fjäll",
            latitude=65.18372,
            longitude=18.74215,
            description=f"KANARIE-KANSLIG {day}",
        )
    version = picture_agree(
        round_=round_,
        acting_user=world.users["samordnare"],
        meeting="REK-gruppen",
        meeting_date=dt.date(2026, 11, 10),
    )
    ui.login(world.users["lasare"])
    ui.goto(
        f"/samverkan/{world.a.pk}/lagesbild/omgangar/{round_.pk}/lagesbild/versioner/{version.pk}/?oppen=1"
    )
    counts = ui.page.get_by_role("table", name="Händelser i känsliga kategorier, antal under perioden")
    expect(counts).to_contain_text("Våld i nära relation")
    # Two events: a count under the small-count threshold (5) is withheld, never shown as a number.
    expect(counts).to_contain_text("färre än 5")
    expect(counts).not_to_contain_text("2 händelser")
    events = ui.page.get_by_role("table", name="Händelser under perioden")
    expect(events).to_contain_text("2026-10-12")
    for pinpoint in ("KANARIE-KANSLIG", "02:08", "Idre fjäll", "65.18372"):
        expect(ui.main).not_to_contain_text(pinpoint)
