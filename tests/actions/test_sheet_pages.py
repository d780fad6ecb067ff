"""The follow-up sheet a page at a time: "Visar 1–25 av N", links that keep the day and the filter, the
most urgent first across pages, narrowed to a focus area or a responsible organisation (without
JavaScript: plain GET forms and links), and nothing the reader may not see in the choices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from samverkan.actions.models import Rating
from samverkan.actions.selectors.sheet import SHEET_PAGE_SIZE
from samverkan.agreements.models import FocusArea
from samverkan.core.models import Level
from tests.actions.factories_followup import make_action, make_followup, make_plan
from tests.factories import OrganisationFactory, ParticipationFactory

TODAY = dt.date.today()


@pytest.fixture
def crowded(world):
    """A plan with more actions than a page: most the collaboration's own, five of the police's; the last
    one escalated (yellow, then red)."""
    plan = make_plan(world.a, start_date=dt.date(2025, 1, 1), end_date=TODAY + dt.timedelta(days=365))
    police = OrganisationFactory(name="Lokalpolisområde – sidor")
    ParticipationFactory(collaboration=world.a, organisation=police)
    area = FocusArea.objects.filter(collaboration=world.a, level=Level.OPPEN).first()
    actions = [
        make_action(
            plan,
            police if n % 6 == 0 else world.org_a,
            title=f"Sidåtgärd {n:02d}",
            focus_area=area if n < 4 else None,
        )
        for n in range(SHEET_PAGE_SIZE + 5)
    ]
    last = actions[-1]
    make_followup(last, TODAY - dt.timedelta(days=60), Rating.GUL)
    make_followup(last, TODAY - dt.timedelta(days=30), Rating.ROD)
    return plan, actions, police, area


def _sheet(world, persona="samordnare", **query):
    url = reverse("actions:followup_sheet", args=[world.a.pk])
    return world.client(persona).get(url, query)


def _count(html: str) -> int:
    return html.count('<article class="sheet-row')


def test_the_sheet_shows_a_page_and_says_how_many(world, crowded):
    _plan, actions, _police, _area = crowded
    html = _sheet(world).content.decode()
    assert _count(html) == SHEET_PAGE_SIZE
    assert "Visar 1–25 av " in html
    assert f'href="?datum={TODAY.isoformat()}&amp;sida=2"' in html  # the next page keeps the day
    # The escalated action, numbered last, comes first.
    assert html.index(actions[-1].title) < html.index(actions[0].title)
    second = _sheet(world, sida="2").content.decode()
    assert _count(second) >= 5 and actions[-1].title not in second
    assert 'aria-current="page"' in second


def test_narrowed_to_a_responsible_organisation(world, crowded):
    _plan, actions, police, _area = crowded
    html = _sheet(world, ansvarig=str(police.pk)).content.decode()
    theirs = [a for a in actions if a.responsible_id == police.pk]
    assert _count(html) == len(theirs)
    assert all(a.title in html for a in theirs)
    assert f"Visar 1–{len(theirs)} av {len(theirs)} åtgärder (av " in html
    assert f'<option value="{police.pk}" selected>' in html


def test_narrowed_to_a_focus_area_and_the_filter_kept_in_the_size_toggle(world, crowded):
    _plan, _actions, _police, area = crowded
    html = _sheet(world, fokusomrade=str(area.pk)).content.decode()
    assert all(f"Sidåtgärd {n:02d}<" in html or f"Sidåtgärd {n:02d} " in html for n in range(4))
    assert "Sidåtgärd 04" not in html
    assert f"fokusomrade={area.pk}" in html and "storlek=stor" in html


def test_a_focus_area_the_reader_may_not_see_or_nonsense_is_not_found(world, crowded):
    hidden = FocusArea.objects.get(collaboration=world.a, level=Level.BEGRANSAD)
    _plan, actions, _police, _area = crowded
    actions[5].focus_area = hidden
    actions[5].save(update_fields=["focus_area"])
    assert _sheet(world, "ledamot", fokusomrade=str(hidden.pk)).status_code == 404
    html = _sheet(world, "ledamot").content.decode()
    assert hidden.title not in html
    assert _sheet(world, fokusomrade="x").status_code == 404
    assert _sheet(world, ansvarig="999999").status_code == 404
    foreign = FocusArea.objects.filter(collaboration=world.b).first()
    assert _sheet(world, fokusomrade=str(foreign.pk)).status_code == 404


def test_a_page_past_the_end_shows_the_last(world, crowded):
    html = _sheet(world, sida="99").content.decode()
    assert "Visar 26–" in html


def test_the_sheet_reads_a_page_in_a_bounded_number_of_queries(world, crowded, django_assert_max_num_queries):
    client = world.client("samordnare")
    url = reverse("actions:followup_sheet", args=[world.a.pk])
    client.get(url)
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_a_plain_post_returns_to_the_page_the_action_is_on(world, crowded):
    _plan, actions, _police, _area = crowded
    action = actions[-2]  # the last but one: on the second page (the escalated last one leads the first)
    prefix = f"a{action.pk}-"
    response = world.client("samordnare").post(
        reverse("actions:followup_action", args=[world.a.pk, action.pk]),
        {
            prefix + "followed_up_on": TODAY.isoformat(),
            prefix + "rating": Rating.GRON,
            prefix + "version": "0",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#atgard-{action.pk}")
    html = world.client("samordnare").get(response["Location"]).content.decode()
    assert f'id="atgard-{action.pk}"' in html
    assert "Sidåtgärd 00" not in html  # the first page's rows are not this page
