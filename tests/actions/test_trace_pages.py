"""The traceability page a focus area at a time (the whole plan pages by focus area; print keeps it whole),
the plan page and the grid a page at a time, and the indicators' latest readings read once for all
actions (no statistics series per indicator)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from samverkan.actions.models import ActionIndicator, ActionPlan, Rating
from samverkan.actions.selectors import followup as followup_selectors
from samverkan.actions.selectors.followup import GRID_PAGE_SIZE
from samverkan.actions.selectors.suggest import suggestions_for
from samverkan.actions.selectors.trace import trace_document, trace_sections
from samverkan.core.models import Kommun, Level
from samverkan.indicators.models import DataPoint, Indicator
from tests.actions.factories_followup import make_action, make_followup, make_indicator, make_plan, make_value
from tests.agreements.factories import FocusAreaFactory


@pytest.fixture
def sections(world):
    """The cycle's plan, decided; its öppen action in one focus area, its intern action in another, the
    begränsad one in none."""
    plan = world.cycle["A"]["plan"]
    plan.status = ActionPlan.Status.FASTSTALLD
    plan.save()
    agreement = world.agreements["A"]["agreement"]
    first = FocusAreaFactory(agreement=agreement, title="Narkotika bland unga", level=Level.OPPEN, order=1)
    second = FocusAreaFactory(agreement=agreement, title="Trygg stadskärna", level=Level.OPPEN, order=2)
    levels = world.cycle["A"]["levels"]
    for level, area in ((Level.OPPEN, first), (Level.INTERN, second), (Level.BEGRANSAD, None)):
        action = levels[level]["action"]
        action.focus_area = area
        action.save()
    return plan, first, second


def _trace(world, plan, persona="samordnare", query=""):
    url = reverse("actions:trace", args=[world.a.pk, plan.pk])
    return world.client(persona).get(url + query)


def test_the_whole_plan_pages_by_focus_area(world, sections):
    plan, first, second = sections
    assert trace_sections(plan, user=world.users["samordnare"]) == [first, second, None]
    one = _trace(world, plan).content.decode()
    assert "Narkotika bland unga" in one and "KANARIE-A-OPPEN åtgärd</" in one
    assert "KANARIE-A-INTERN åtgärd</" not in one and "KANARIE-A-BEGRANSAD åtgärd</" not in one
    assert 'href="?sida=2"' in one and 'href="?sida=3"' in one and "sida 1 av 3" in one
    two = _trace(world, plan, query="?sida=2").content.decode()
    assert "KANARIE-A-INTERN åtgärd</" in two and "KANARIE-A-OPPEN åtgärd</" not in two
    three = _trace(world, plan, query="?sida=3").content.decode()
    assert "KANARIE-A-BEGRANSAD åtgärd</" in three and "Utan fokusområde" in three
    printed = world.client("samordnare").get(reverse("actions:trace_print", args=[world.a.pk, plan.pk]))
    html = printed.content.decode()
    assert all(f"KANARIE-A-{level} åtgärd</" in html for level in ("OPPEN", "INTERN", "BEGRANSAD"))


def test_a_reader_pages_only_through_what_they_may_read(world, sections):
    plan, first, second = sections
    assert trace_sections(plan, user=world.users["ledamot"]) == [first, second]
    html = _trace(world, plan, "ledamot", "?sida=3").content.decode()  # past the end: the last page
    assert "KANARIE-A-INTERN åtgärd</" in html and "KANARIE-A-BEGRANSAD" not in html
    assert "sida 2 av 2" in html


def test_a_chosen_focus_area_is_not_paged_and_prints_that_area(world, sections):
    plan, first, _second = sections
    html = _trace(world, plan, query=f"?fokusomrade={first.pk}").content.decode()
    assert "KANARIE-A-OPPEN åtgärd</" in html and "sida 1 av" not in html
    assert f'utskrift/?fokusomrade={first.pk}"' in html
    assert f'<option value="{first.pk}" selected>' in html


def test_a_hidden_focus_area_makes_its_actions_unnamed_not_hidden(world, sections):
    plan, first, _second = sections
    first.level, first.restricted_to = Level.BEGRANSAD, "samordnare"
    first.save()
    sections_read = trace_sections(plan, user=world.users["ledamot"])
    assert first not in sections_read and sections_read[-1] is None
    html = _trace(world, plan, "ledamot", f"?sida={len(sections_read)}").content.decode()
    assert "KANARIE-A-OPPEN åtgärd</" in html and "Narkotika bland unga" not in html


def test_statistics_series_are_read_once_per_indicator_and_kommun(world, monkeypatch):
    plan = make_plan(world.a)
    indicator = Indicator.objects.create(
        code="test.inbrott", name="Inbrott", unit="antal", source="test", period_type="year", is_count=True
    )
    kommun = Kommun.objects.get(kod="2418")
    for year, value in ((2024, 90), (2025, 40)):
        DataPoint.objects.create(
            indicator=indicator, kommun=kommun, period_start=dt.date(year, 1, 1), value=value
        )
    actions = [make_action(plan, world.org_a, title=f"Mot inbrott {n}") for n in range(3)]
    for action in actions:
        make_indicator(action, source=ActionIndicator.Source.STATISTIK, indicator=indicator, kommun=kommun)
    calls = []
    real = followup_selectors.kommun_series
    monkeypatch.setattr(followup_selectors, "kommun_series", lambda **kw: calls.append(kw) or real(**kw))
    made = suggestions_for(world.users["samordnare"], actions)
    assert len(calls) == 1 and all(made[a.pk].rating for a in actions)
    document = trace_document(plan, user=world.users["samordnare"])
    assert len(calls) == 2
    assert all(t.indicators[0].latest_value == 40 for t in document.actions)


def test_the_latest_value_measured_by_hand_is_the_newest(world):
    plan = make_plan(world.a)
    action = make_action(plan, world.org_a)
    indicator = make_indicator(action, baseline=40, target=30)
    for day, value in ((dt.date(2026, 1, 1), 38), (dt.date(2026, 3, 1), 29), (dt.date(2026, 2, 1), 35)):
        make_value(make_followup(action, day, Rating.GUL), indicator, value)
    readings = followup_selectors.latest_readings(
        [indicator], values=indicator.values.model.objects.visible_to(world.users["lasare"])
    )
    assert readings.latest(indicator) == (29, dt.date(2026, 3, 1))
    assert suggestions_for(world.users["lasare"], [action])[action.pk].rating == Rating.GRON


def test_the_grid_pages_its_actions(world):
    plan = make_plan(
        world.a, start_date=dt.date(2025, 1, 1), end_date=dt.date.today() + dt.timedelta(days=30)
    )
    actions = [make_action(plan, world.org_a, title=f"Rutnät {n:02d}") for n in range(GRID_PAGE_SIZE + 2)]
    make_followup(actions[-1], dt.date(2026, 1, 15), Rating.ROD)
    hidden = make_action(
        plan, world.org_a, title="KANARIE rutnät", level=Level.BEGRANSAD, restricted_to="samordnare"
    )
    make_followup(
        hidden, dt.date(2026, 1, 16), Rating.GRON, level=Level.BEGRANSAD, restricted_to="samordnare"
    )
    url = reverse("actions:followup_grid", args=[world.a.pk, plan.pk])
    first = world.client("ledamot").get(url).content.decode()
    assert "Rutnät 00" in first and "Rutnät 26" not in first and "Visar 1–25 av 27 åtgärder." in first
    assert "2026-01-16" not in first  # a date only a begränsad follow-up has is not a column for them
    second = world.client("ledamot").get(url + "?sida=2").content.decode()
    assert "Rutnät 26" in second and "rating--rod" in second and "KANARIE rutnät" not in second


def test_the_plan_page_lists_every_action_with_its_indicator_count(world):
    plan = make_plan(world.a)
    action = make_action(plan, world.org_a, title="Trygghetsvandringar <b>")
    make_indicator(action)
    make_indicator(action, level=Level.BEGRANSAD, restricted_to="samordnare")
    url = reverse("actions:plan_detail", args=[world.a.pk, plan.pk])
    samordnare = world.client("samordnare").get(url).content.decode()
    detail = reverse("actions:action_detail", args=[world.a.pk, action.pk])
    assert f'<a href="{detail}">Trygghetsvandringar &lt;b&gt;</a>' in samordnare
    assert "2027-06-30</td><td>2</td>" in samordnare
    ledamot = world.client("ledamot").get(url).content.decode()
    assert "2027-06-30</td><td>1</td>" in ledamot
