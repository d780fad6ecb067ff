"""Issue 13's review: a follow-up's texts ask the writer to confirm a phone number or e-mail at intern and
begränsad (the tick box on the page, ``acknowledge_personal_data`` in the API) and refuse them when öppen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from samverkan.actions.models import FollowUp, Rating
from samverkan.core.models import Level
from tests.actions.factories_followup import make_action, make_plan
from tests.api.conftest import api, validation_errors  # noqa: F401 (the fixture)
from tests.factories import OrganisationFactory, ParticipationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today().isoformat()
PHONE = "Samordnaren nås på 070-123 45 67."
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def actions(world):
    plan = make_plan(
        world.a, start_date=dt.date(2025, 1, 1), end_date=dt.date.today() + dt.timedelta(days=365)
    )
    intern = make_action(plan, world.org_a, title="Trygghetsvandringar", level=Level.INTERN)
    police = OrganisationFactory(name="Lokalpolisområde – test")
    ParticipationFactory(collaboration=world.a, organisation=police)
    oppen = make_action(plan, police, title="Riktad trafikkontroll", level=Level.OPPEN)
    return intern, oppen


def _post(world, action, headers=None, **fields):
    prefix = f"a{action.pk}-"
    data = {"followed_up_on": TODAY, "rating": Rating.GUL, "version": "0", **fields}
    return world.client("samordnare").post(
        reverse("actions:followup_action", args=[world.a.pk, action.pk]),
        {prefix + k: v for k, v in data.items()},
        **(headers or {}),
    )


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_page_asks_to_confirm_a_phone_number_in_an_intern_follow_up(world, actions, headers):
    intern, _oppen = actions
    asked = _post(world, intern, headers, done=PHONE)
    assert asked.status_code == 422
    html = asked.content.decode()
    box = f'name="a{intern.pk}-acknowledge_personal_data"'
    assert box in html and html.index(box) < html.rindex('<button type="submit"')
    assert html.rindex("<form") < html.index(box)  # inside the row's form
    assert not FollowUp.objects.filter(action=intern).exists()
    confirmed = _post(world, intern, headers, done=PHONE, acknowledge_personal_data="on")
    assert confirmed.status_code in (200, 302), confirmed.content.decode()[-1500:]
    assert FollowUp.objects.get(action=intern).done == PHONE
    # What was saved was confirmed then: a later change of another text is not asked about it again.
    version = FollowUp.objects.get(action=intern).version
    again = _post(world, intern, headers, done=PHONE, outcome="Bra uppslutning", version=str(version))
    assert again.status_code in (200, 302)
    assert FollowUp.objects.get(action=intern).outcome == "Bra uppslutning"


def test_page_refuses_a_phone_number_in_an_open_follow_up_even_when_confirmed(world, actions):
    _intern, oppen = actions
    response = _post(world, oppen, done=PHONE, acknowledge_personal_data="on")
    assert response.status_code == 422
    assert not FollowUp.objects.filter(action=oppen).exists()


def test_api_asks_to_confirm_and_refuses_when_open(world, actions, api):  # noqa: F811
    intern, oppen = actions
    body = {"followed_up_on": TODAY, "rating": "gul", "done": PHONE, "version": 0}
    asked = api("samordnare", "post", f"/actions/{intern.pk}/follow-ups", body)
    assert "done" in validation_errors(asked)
    assert not FollowUp.objects.filter(action=intern).exists()
    confirmed = api(
        "samordnare", "post", f"/actions/{intern.pk}/follow-ups", {**body, "acknowledge_personal_data": True}
    )
    assert confirmed.status_code == 201, confirmed.content
    row = FollowUp.objects.get(action=intern)
    # A PATCH that keeps the confirmed text and changes another needs no new confirmation ...
    kept = api("samordnare", "patch", f"/follow-ups/{row.pk}", {"outcome": "Bra", "version": row.version})
    assert kept.status_code == 200, kept.content
    # ... one that adds an e-mail does.
    added = api("samordnare", "patch", f"/follow-ups/{row.pk}", {"reason": "Skriv till a.b@example.org"})
    assert "reason" in validation_errors(added)
    refused = api(
        "samordnare",
        "post",
        f"/actions/{oppen.pk}/follow-ups",
        {**body, "acknowledge_personal_data": True},
    )
    assert "done" in validation_errors(refused)
    assert not FollowUp.objects.filter(action=oppen).exists()
