"""The admin's fixes for accessibility as HTML (the browser test with axe is tests/e2e/
test_admin_accessibility.py, which the default test run skips)."""

from __future__ import annotations

import re

import pytest

from samverkan.core.services import api_token_create
from samverkan.indicators.defaults import ensure_type_mappings
from samverkan.indicators.models import PoliceEventTypeMapping
from tests.factories import UserFactory


@pytest.fixture
def operator(client, db):
    user = UserFactory(username="drift", email="drift@example.org", is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


def test_every_admin_page_loads_the_admin_stylesheet_and_script(operator):
    body = operator.get("/admin/core/kommun/").content.decode()
    assert 'href="/static/core/admin.css"' in body and 'src="/static/core/admin.js"' in body


def test_each_mapping_select_is_named_after_its_event_type(operator):
    ensure_type_mappings()
    body = operator.get("/admin/indicators/policeeventtypemapping/?all=").content.decode()
    selects = re.findall(r"<select [^>]*name=\"form-\d+-area_code\"[^>]*>", body)
    assert len(selects) == min(PoliceEventTypeMapping.objects.count(), 100)
    first = PoliceEventTypeMapping.objects.order_by("type").first()
    assert f'aria-label="Lägesbildsområde för {first.type}"' in selects[0]
    assert all("aria-label=" in select for select in selects)


def test_date_and_time_inputs_are_named(operator, world):
    token, _key = api_token_create(user=world.users["ledamot"], name="Power BI")
    body = operator.get(f"/admin/core/apitoken/{token.pk}/change/").content.decode()
    assert 'aria-label="Återkallad, datum"' in body and 'aria-label="Återkallad, tid"' in body


def test_user_form_has_no_unnamed_widgets(operator, world):
    body = operator.get(f"/admin/auth/user/{world.users['polis'].pk}/change/").content.decode()
    assert 'name="last_login_0"' not in body  # shown, not edited
    assert "selectfilter" not in body  # plain multiple selects under their labels


def test_inline_rows_are_named_by_column_and_row(operator, world):
    body = operator.get(f"/admin/core/collaboration/{world.a.pk}/change/").content.decode()
    assert re.search(r'name="memberships-0-role"[^>]*aria-label="Roll – ', body) or re.search(
        r'aria-label="Roll – [^"]+"[^>]*name="memberships-0-role"', body
    )
