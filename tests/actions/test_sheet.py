"""The follow-up sheet and an action's follow-up page: rows saved in place (htmx) or by a plain POST,
errors and conflicts in the row, what a ledamot may rate, "Inför nästa möte", the grid and the home panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from samverkan.actions.models import FollowUp, IndicatorValue, Rating
from samverkan.core.models import Level
from tests.actions.factories_followup import make_action, make_followup, make_indicator, make_plan
from tests.factories import OrganisationFactory, ParticipationFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def sheet(world):
    plan = make_plan(
        world.a, start_date=dt.date(2025, 1, 1), end_date=dt.date.today() + dt.timedelta(days=365)
    )
    own = make_action(plan, world.org_a, title="Trygghetsvandringar i centrum", level=Level.INTERN)
    indicator = make_indicator(own, name="Antal vandringar", baseline=2, target=12, direction="oka")
    police = OrganisationFactory(name="Lokalpolisområde – test")
    ParticipationFactory(collaboration=world.a, organisation=police)
    theirs = make_action(plan, police, title="Riktad trafikkontroll", level=Level.OPPEN)
    return plan, own, theirs, indicator


def _url(world, action):
    return reverse("actions:followup_action", args=[world.a.pk, action.pk])


def _post(world, action, persona="samordnare", headers=None, **fields):
    prefix = f"a{action.pk}-"
    data = {
        "followed_up_on": dt.date.today().isoformat(),
        "rating": Rating.GUL,
        "version": "0",
        "reason": "",
        "done": "",
        "outcome": "",
        "occasion": "",
        "hours_spent": "",
        "cost_spent": "",
    }
    data.update(fields)
    return world.client(persona).post(
        _url(world, action), {prefix + k: v for k, v in data.items()}, **(headers or {})
    )


def test_the_sheet_lists_current_actions_with_radio_groups_and_definitions(world, sheet):
    _plan, own, theirs, _indicator = sheet
    response = world.client("samordnare").get(reverse("actions:followup_sheet", args=[world.a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert own.title in html and theirs.title in html
    assert f'name="a{own.pk}-rating"' in html and f'name="a{theirs.pk}-rating"' in html
    assert "Gjort och resultatet är godkänt." in html  # the definition beside the choice
    assert 'hx-post="' in html and "actions/sheet.js" in html
    assert "KANARIE-A-BEGRANSAD" in html  # the samordnare reads begränsad


def test_a_ledamot_rates_only_their_own_organisations_actions(world, sheet):
    _plan, own, theirs, _indicator = sheet
    html = world.client("ledamot").get(reverse("actions:followup_sheet", args=[world.a.pk])).content.decode()
    assert f'name="a{own.pk}-rating"' in html
    assert theirs.title in html and f'name="a{theirs.pk}-rating"' not in html
    assert "KANARIE-A-BEGRANSAD" not in html
    assert _post(world, theirs, persona="ledamot").status_code == 403
    assert _post(world, own, persona="lasare").status_code == 403
    assert not FollowUp.objects.filter(action__in=[own, theirs]).exists()
    response = _post(world, own, persona="ledamot", headers=HTMX, done="Två vandringar")
    assert response.status_code == 200
    assert FollowUp.objects.get(action=own).recorded_by == world.users["ledamot"]


def test_a_plain_post_saves_and_returns_to_the_sheet(world, sheet):
    _plan, own, _theirs, indicator = sheet
    response = _post(world, own, rating=Rating.GRON, done="Fyra vandringar", **{f"value_{indicator.pk}": "4"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#atgard-{own.pk}")
    row = FollowUp.objects.get(action=own)
    assert row.rating == Rating.GRON and IndicatorValue.objects.get(followup=row).value == 4


def test_htmx_saves_in_place_and_re_renders_the_row(world, sheet):
    _plan, own, _theirs, _indicator = sheet
    response = _post(world, own, headers=HTMX, rating=Rating.ROD)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<article") and f'id="atgard-{own.pk}"' in html
    assert "Sparad." in html and "<html" not in html
    saved = FollowUp.objects.get(action=own)
    assert f'name="a{own.pk}-version" value="{saved.version}"' in html  # the next save edits this version


def test_a_changed_colour_without_reason_is_shown_in_the_row(world, sheet):
    _plan, own, _theirs, _indicator = sheet
    make_followup(own, dt.date.today() - dt.timedelta(days=60), Rating.ROD)
    response = _post(world, own, headers=HTMX, rating=Rating.GRON, done="<b>Gjort</b> & klart")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Bedömningen ändras från röd till grön" in html
    assert "&lt;b&gt;Gjort&lt;/b&gt; &amp; klart</textarea>" in html  # the writer's text kept, escaped
    assert FollowUp.objects.filter(action=own).count() == 1
    plain = _post(world, own, rating=Rating.GRON)
    assert plain.status_code == 422 and "Bedömningen ändras från röd till grön" in plain.content.decode()


def test_a_rating_outside_the_scale_is_refused_in_the_row(world, sheet):
    _plan, own, _theirs, _indicator = sheet
    response = _post(world, own, headers=HTMX, rating="lila")
    assert response.status_code == 422
    assert not FollowUp.objects.filter(action=own).exists()


def test_two_people_rating_at_once_the_second_is_told(world, sheet):
    _plan, own, _theirs, _indicator = sheet
    assert (
        _post(world, own, headers=HTMX, rating=Rating.GUL, done="Samordnarens anteckning").status_code == 200
    )
    response = _post(world, own, persona="polis", headers=HTMX, rating=Rating.ROD, done="Polisens anteckning")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Någon annan har ändrat samtidigt" in html and "Polisens anteckning" in html
    assert FollowUp.objects.get(action=own).done == "Samordnarens anteckning"


def test_the_actions_own_page_shows_history_and_the_form(world, sheet):
    _plan, own, _theirs, _indicator = sheet
    make_followup(own, dt.date.today() - dt.timedelta(days=90), Rating.ROD, done="Inget gjort ännu")
    make_followup(own, dt.date.today() - dt.timedelta(days=30), Rating.GUL, reason="Startat")
    response = world.client("ledamot").get(_url(world, own))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Inget gjort ännu" in html and "rating--rod" in html and "rating--gul" in html
    assert f'name="a{own.pk}-rating"' in html and "förra gången: gul" in html


def test_large_type_toggle(world, sheet):
    url = reverse("actions:followup_sheet", args=[world.a.pk])
    assert "followup-sheet--large" not in world.client("samordnare").get(url).content.decode()
    assert "followup-sheet--large" in world.client("samordnare").get(url + "?storlek=stor").content.decode()


def test_flags_page_grid_and_home_panel(world, sheet):
    plan, own, _theirs, _indicator = sheet
    make_followup(own, dt.date.today() - dt.timedelta(days=90), Rating.GUL)
    make_followup(own, dt.date.today() - dt.timedelta(days=30), Rating.ROD)
    client = world.client("ledamot")
    flags = client.get(reverse("actions:followup_flags", args=[world.a.pk])).content.decode()
    assert own.title in flags and "Eskalerad" in flags and "KANARIE-A-BEGRANSAD" not in flags
    grid = client.get(reverse("actions:followup_grid", args=[world.a.pk, plan.pk])).content.decode()
    assert grid.count("rating--") >= 2 and "R röd (fyrkant)" in grid
    home = client.get(reverse("core:collaboration_home", args=[world.a.pk])).content.decode()
    assert "Inför nästa möte" in home and own.title in home


def test_another_collaborations_action_is_not_found(world, sheet):
    foreign = world.cycle["B"]["levels"][Level.OPPEN]["action"]
    response = world.client("samordnare").post(
        reverse("actions:followup_action", args=[world.a.pk, foreign.pk]), {}
    )
    assert response.status_code == 404
    assert (
        world.client("samordnare")
        .get(reverse("actions:followup_action", args=[world.b.pk, foreign.pk]))
        .status_code
        == 404
    )


def test_a_posted_day_outside_the_product_years_is_not_a_server_error(world):
    from samverkan.core.models import Level

    action = world.cycle["A"]["levels"][Level.OPPEN]["action"]
    response = world.client("samordnare").post(
        f"/samverkan/{world.a.pk}/uppfoljning/atgard/{action.pk}/",
        {f"a{action.pk}-followed_up_on": "0001-01-01", f"a{action.pk}-rating": "gron"},
    )
    assert response.status_code in (200, 302, 409, 422)


def test_the_sheet_and_the_grid_draw_each_shape_once_and_every_mark_shows_it(world):
    """Hundreds of marks on a page: each shape is a <symbol> defined once before them, and a mark is the
    shape through <use>, its letter and its word (colour is never the only signal)."""
    plan = world.cycle["A"]["plan"]
    client = world.client("samordnare")
    for url in (
        reverse("actions:followup_sheet", args=[world.a.pk]) + "?datum=2026-06-10",
        reverse("actions:followup_grid", args=[world.a.pk, plan.pk]),
    ):
        html = client.get(url).content.decode()
        for rating in Rating:
            symbol = f'<symbol id="rating-shape-{rating.value}"'
            assert html.count(symbol) == 1, (url, rating)
            assert html.index(symbol) < html.index('<use href="#rating-shape-'), url
        assert (
            '<use href="#rating-shape-gul"/></svg><span class="rating__letter" aria-hidden="true">G</span>'
            in html
        )
        assert html.count('<polygon points="8,1 15,15 1,15"') == 1, url  # the symbol's, drawn nowhere else
