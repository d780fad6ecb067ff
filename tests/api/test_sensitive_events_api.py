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


def test_a_county_reader_gets_no_member_event_one_by_one(world, client):
    """A county reader (Länsstyrelsen) reads a collaboration's öppen content, in aggregate: the API gave
    each öppen member event with its minute, point and place (a sensitive one too), and its bbox and time
    filters would find a point again even if generalised. Members' events are listed to members only."""
    from samverkan.core.models import Level
    from samverkan.core.services import api_token_create
    from tests.factories import CountyReaderFactory, UserFactory

    reader = UserFactory(username="lansstyrelsen")
    CountyReaderFactory(user=reader, lan_id="24")  # Västerbotten: collaboration A (Malå)
    event = Event.objects.create(
        collaboration=world.a,
        level=Level.OPPEN,
        category=EventCategory.objects.get(collaboration=None, name="Våld i nära relation"),
        occurred_at=timezone.now() - dt.timedelta(days=1),
        kommun_id="2418",
        latitude=65.18372,
        longitude=18.74215,
        description="KANARIE-LAN-KANSLIG",
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=reader, name='lan')[1]}"}
    for query in ("", f"?collaboration={world.a.pk}", "?kommun=2418", "?source=member"):
        response = client.get(f"/api/v1/events{query}", **headers)
        assert response.status_code == 200
        assert "KANARIE" not in response.content.decode(), query
    assert client.get(f"/api/v1/events/{event.pk}", **headers).status_code == 404
    # Members still read it as reported.
    member = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=world.users['lasare'], name='m')[1]}"}
    assert client.get(f"/api/v1/events/{event.pk}", **member).json()["latitude"] == 65.18372


def test_a_county_reader_cannot_tell_a_member_event_exists_by_changing_it(world, client):
    from samverkan.core.services import api_token_create
    from tests.factories import CountyReaderFactory, UserFactory

    reader = UserFactory(username="lansstyrelsen")
    CountyReaderFactory(user=reader, lan_id="24")
    event = world.situation["A"]["events"]["oppen"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=reader, name='lan')[1]}"}
    path = f"/api/v1/events/{event.pk}"
    patch = client.patch(path, data={"description": "x"}, content_type="application/json", **headers)
    assert patch.status_code == 404
    assert client.delete(path, **headers).status_code == 404
    assert Event.objects.filter(pk=event.pk).exists()
