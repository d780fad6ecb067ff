"""Marking an event of a sensitive category öppen needs an explicit confirmation: the form warns and asks
for it, the service refuses without it (the API through the same service: tests/api)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samverkan.core.models import Level
from samverkan.situation.models import Event, EventCategory
from samverkan.situation.services.events import event_create, event_update
from tests.situation.test_events_views import form_data, url

WARNING = "känslig kategori"


def _category(name="Våld i nära relation"):
    return EventCategory.objects.get(collaboration=None, name=name)


def _create(world, **change):
    values = {
        "collaboration": world.a,
        "acting_user": world.users["ledamot"],
        "category": _category(),
        "occurred_at": timezone.now() - dt.timedelta(days=1),
        "kommun": "2418",
        "description": "Grannar hörde bråk.",
        "level": Level.OPPEN,
    }
    values.update(change)
    return event_create(**values)


# --- The form ---------------------------------------------------------------------------------------------


def test_the_form_shows_the_warning_and_names_the_sensitive_categories(world):
    page = world.client("ledamot").get(url("event_create", world)).content.decode()
    assert "data-sensitive-warning" in page and "situation/event_form.js" in page
    assert 'name="confirm_sensitive_open"' in page
    assert 'data-sensitive-categories="' in page and str(_category().pk) in page
    assert "Våld i nära relation" in page and "antal per kommun och period" in page


def test_the_form_refuses_an_open_sensitive_event_until_confirmed(world):
    client = world.client("ledamot")
    data = form_data(category=str(_category().pk), level="oppen", description="Grannar hörde bråk.")
    response = client.post(url("event_create", world), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert WARNING in body and "Bekräfta att den ska vara öppen" in body
    assert 'href="#id_confirm_sensitive_open"' in body  # the error summary links the checkbox
    assert not Event.objects.filter(description="Grannar hörde bråk.").exists()
    response = client.post(url("event_create", world), {**data, "confirm_sensitive_open": "on"})
    assert response.status_code == 302
    assert Event.objects.get(description="Grannar hörde bråk.").level == Level.OPPEN


@pytest.mark.parametrize(
    ("category", "level"), [("Våld i nära relation", "intern"), ("Skadegörelse och klotter", "oppen")]
)
def test_no_confirmation_is_asked_otherwise(world, category, level):
    data = form_data(category=str(_category(category).pk), level=level, description="Grannar hörde bråk.")
    assert world.client("ledamot").post(url("event_create", world), data).status_code == 302


# --- The service ------------------------------------------------------------------------------------------


def test_the_service_refuses_an_open_sensitive_event_without_confirmation(world):
    with pytest.raises(ValidationError) as error:
        _create(world)
    assert "confirm_sensitive_open" in error.value.message_dict
    assert "Våld i nära relation" in error.value.message_dict["confirm_sensitive_open"][0]
    assert not Event.objects.filter(description="Grannar hörde bråk.").exists()
    assert _create(world, confirm_sensitive_open=True).level == Level.OPPEN


def test_a_category_a_collaboration_marks_sensitive_is_asked_too(world):
    own = EventCategory.objects.create(
        collaboration=world.a, name="Hedersrelaterat", area_code="vald", sensitive=True
    )
    with pytest.raises(ValidationError):
        _create(world, category=own)


def test_making_an_event_open_and_sensitive_by_an_update_is_asked(world):
    event = _create(world, level=Level.INTERN)
    with pytest.raises(ValidationError) as error:
        event_update(event=event, acting_user=world.users["ledamot"], level=Level.OPPEN)
    assert "confirm_sensitive_open" in error.value.message_dict
    plain = _create(world, level=Level.OPPEN, category=_category("Ordningsstörning"))
    with pytest.raises(ValidationError):
        event_update(event=plain, acting_user=world.users["ledamot"], category=_category())
    event_update(
        event=event, acting_user=world.users["ledamot"], level=Level.OPPEN, confirm_sensitive_open=True
    )
    # Once confirmed, other edits of the same öppen event do not ask again.
    event_update(event=event, acting_user=world.users["ledamot"], description="Grannar hörde högljutt bråk.")
    event.refresh_from_db()
    assert (event.level, event.description) == (Level.OPPEN, "Grannar hörde högljutt bråk.")
