"""Issue 13's review: limits in messages come from their constants, and each link's error is filed under
its own field (service, page and API)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.actions.services import actions as action_services
from samverkan.actions.services import plan as plan_services
from samverkan.core.models import Level, Participation
from tests.actions.factories import api_fixture, make_cause  # noqa: F401 (the fixture "api")
from tests.api.conftest import validation_errors
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _partners(world, count):
    orgs = [OrganisationFactory() for _ in range(count)]
    for org in orgs:
        Participation.objects.create(collaboration=world.a, organisation=org)
    return orgs


def _save(world, **fields):
    return action_services.action_save(
        plan=world.cycle["A"]["plan"],
        title="Belysning",
        responsible=world.org_a,
        no_analysis_reason="Analysen görs i vår.",
        acting_user=world.users["samordnare"],
        **fields,
    )


@pytest.mark.parametrize("field", ["partners", "problems", "causes"])
def test_too_many_links_are_filed_under_their_own_field_with_the_limit_of_the_constant(
    world, monkeypatch, field
):
    monkeypatch.setattr(action_services, "MAX_LINKS", 2)
    rows = {
        "partners": lambda: _partners(world, 3),
        "problems": lambda: [make_cause(world.a, problem_title=f"P{i}").problem for i in range(3)],
        "causes": lambda: [make_cause(world.a, text=f"Orsak {i}") for i in range(3)],
    }[field]()
    with pytest.raises(ValidationError) as error:
        _save(world, **{field: rows})
    errors = error.value.message_dict
    assert list(errors) == [field], errors
    assert "högst 2" in errors[field][0]


def test_too_many_partners_on_the_page_are_told_beside_partners(world, monkeypatch):
    monkeypatch.setattr(action_services, "MAX_LINKS", 1)
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    partners = _partners(world, 2)
    client = world.client("samordnare")
    url = reverse("actions:action_edit", kwargs={"collaboration_id": world.a.pk, "action_id": action.pk})
    form = client.get(url).context["form"]
    from tests.forms import posted

    response = client.post(url, posted(form, partners=[p.pk for p in partners]))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "partners" in errors and "causes" not in errors, errors
    assert "högst 1" in errors["partners"][0]


def test_too_many_partners_in_the_api_are_a_422_naming_partners(api, world, monkeypatch):
    monkeypatch.setattr(action_services, "MAX_LINKS", 1)
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    partners = _partners(world, 2)
    response = api("samordnare", "patch", f"/actions/{action.pk}", {"partners": [p.pk for p in partners]})
    errors = validation_errors(response)
    assert list(errors) == ["partners"] and "högst 1" in errors["partners"], errors


def test_the_limit_of_who_decided_comes_from_its_constant(world, monkeypatch):
    monkeypatch.setattr(plan_services, "DECIDED_BY_MAX", 12)
    with pytest.raises(ValidationError) as error:
        plan_services.plan_decide(
            plan=world.cycle["A"]["plan"],
            decided_on=dt.date(2025, 1, 1),
            decided_by="Kommunstyrelsen, § 45/2025",
            acting_user=world.users["samordnare"],
        )
    assert error.value.message_dict["decided_by"] == ["Högst 12 tecken."]
