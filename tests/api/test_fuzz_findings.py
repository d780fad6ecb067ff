"""Defects the API fuzz (test_fuzz.py) found, each pinned by the request that showed it."""

from __future__ import annotations

import pytest

from tests.api.conftest import validation_errors


@pytest.mark.parametrize("field", ["org_number", "name", "kind"])
def test_patching_an_organisation_field_to_null_is_a_422(api, world, field):
    """``{"org_number": null}`` reached the database as NULL (IntegrityError, a 500)."""
    response = api(
        "samordnare", "patch", f"/organisations/{world.org_a.pk}", {"collaboration": world.a.pk, field: None}
    )
    assert field in validation_errors(response)
    world.org_a.refresh_from_db()
    assert world.org_a.org_number is not None


# PostgreSQL cannot store or compare text with a NUL character: each of these was a DataError (a 500)
# there. They are refused on every database, as Django's form fields refuse them.


def test_a_nul_character_in_a_body_is_a_422_naming_the_field(api, world):
    from samverkan.agreements.models import FocusArea

    area = FocusArea.objects.get(title="KANARIE-A-OPPEN fokus")
    response = api("samordnare", "post", f"/focus-areas/{area.pk}/retire", {"reason": "\x00"})
    assert "reason" in validation_errors(response)
    area.refresh_from_db()
    assert area.status == FocusArea.Status.AKTIVT


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/notices", {"title": "Möte\x00", "body": "b"}, "title"),
        ("/notices", {"title": "Möte", "body": "b", "restricted_to": ["polis\x00"]}, "restricted_to"),
    ],
)
def test_a_nul_character_anywhere_in_a_body_is_a_422(api, world, path, body, field):
    response = api("samordnare", "post", path, {"collaboration": world.a.pk, **body})
    assert response.status_code == 422
    assert [err["loc"][2] for err in response.json()["detail"]] == [field]  # body, payload, field[, index]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/indicators?kommun=%00", "kommun"),
        ("/indicators?source=Br%C3%A5%00", "source"),
        ("/events?type=Misshandel%00", "type"),
        ("/events?kommun=2418%00", "kommun"),
        ("/kommuner?lan=24%00", "lan"),
    ],
)
def test_a_nul_character_in_a_query_is_a_422_naming_it(api, path, field):
    assert field in validation_errors(api("samordnare", "get", path))


def test_a_nul_character_in_a_path_is_a_422(api):
    assert api("samordnare", "get", "/kommuner/24%0018").status_code == 422
