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
