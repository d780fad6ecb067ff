"""The API refuses an öppen event of a sensitive category without ``confirm_sensitive_open`` (a 422
naming the field, as the contract says), on create and on a change that makes one."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from samverkan.situation.models import Event, EventCategory
from tests.api.conftest import validation_errors


def _payload(world, **change):
    return {
        "collaboration": world.a.pk,
        "category": EventCategory.objects.get(collaboration=None, name="Sexualbrott").pk,
        "occurred_at": (timezone.now() - dt.timedelta(days=1)).isoformat(),
        "kommun": "2418",
        "description": "Anmält till polisen.",
        "level": "oppen",
        **change,
    }


def test_create_needs_the_confirmation(api, world):
    errors = validation_errors(api("ledamot", "post", "/events", _payload(world)))
    assert "Sexualbrott" in errors["confirm_sensitive_open"]
    assert not Event.objects.filter(description="Anmält till polisen.").exists()
    response = api("ledamot", "post", "/events", _payload(world, confirm_sensitive_open=True))
    assert response.status_code == 201, response.content
    assert response.json()["level"] == "oppen"


def test_intern_needs_no_confirmation(api, world):
    assert api("ledamot", "post", "/events", _payload(world, level="intern")).status_code == 201


def test_a_patch_that_makes_it_open_needs_the_confirmation(api, world):
    created = api("ledamot", "post", "/events", _payload(world, level="intern")).json()
    path = f"/events/{created['id']}"
    errors = validation_errors(api("ledamot", "patch", path, {"level": "oppen"}))
    assert "confirm_sensitive_open" in errors
    assert Event.objects.get(pk=created["id"]).level == "intern"
    response = api("ledamot", "patch", path, {"level": "oppen", "confirm_sensitive_open": True})
    assert response.status_code == 200, response.content
    assert response.json()["level"] == "oppen"


def test_the_field_is_in_the_schema(client, db):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "confirm_sensitive_open" in schemas["EventIn"]["properties"]
    assert "confirm_sensitive_open" in schemas["EventPatch"]["properties"]
