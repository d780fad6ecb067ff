"""The admin is used by people too (the operator, the data steward): axe on its pages as a superuser.

Django's admin ships WCAG failures of its own: links in the breadcrumbs told apart by colour alone,
unnamed selects in editable lists and inline rows, date and time inputs under one label, ARIA on bare
spans in the two-list widget, empty autocompletes without a name. samverkan/templates/admin/base_site.html
(with core/admin.css and core/admin.js) and the admin classes fix them.
"""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from playwright.sync_api import expect

from samverkan.core.services import api_token_create
from samverkan.indicators.defaults import ensure_type_mappings
from samverkan.indicators.models import PoliceEventTypeMapping
from tests.e2e.conftest import format_violations
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_admin_pages_pass_axe_as_a_superuser(ui, world):
    operator = UserFactory(username="drift", email="drift@example.org", is_superuser=True, is_staff=True)
    token, _key = api_token_create(user=world.users["ledamot"], name="Power BI")
    authenticator = Authenticator.objects.get(user=world.users["polis"])
    polis = world.users["polis"]
    ensure_type_mappings()  # the shipped mapping: one select per row on its page
    assert PoliceEventTypeMapping.objects.count() > 50
    ui.login(operator)

    ui.goto("/admin/")
    ui.goto("/admin/core/kommun/")
    ui.goto("/admin/core/kommun/2418/change/")
    ui.goto("/admin/indicators/policeeventtypemapping/")
    first = PoliceEventTypeMapping.objects.order_by("type").first()
    expect(ui.main.locator("select[name$='-area_code']").first).to_have_accessible_name(
        f"Lägesbildsområde för {first.type}"
    )
    ui.goto(f"/admin/auth/user/{polis.pk}/change/")
    ui.goto("/admin/auth/user/add/")
    ui.goto(f"/admin/auth/user/{polis.pk}/password/")
    ui.goto("/admin/core/apitoken/")
    ui.goto(f"/admin/core/apitoken/{token.pk}/change/")
    ui.goto("/admin/mfa/authenticator/")
    ui.goto(f"/admin/mfa/authenticator/{authenticator.pk}/change/")
    ui.goto("/admin/core/auditentry/")
    ui.goto("/admin/core/collaboration/")
    ui.goto(f"/admin/core/collaboration/{world.a.pk}/change/")
    # A new inline row: its inputs and its autocomplete are named after the column and the row.
    for add_row in ui.main.locator(".add-row a").all():
        add_row.click()
    expect(ui.main.locator(".dynamic-memberships")).to_have_count(5)
    ui.check()


def _every_admin_page(operator) -> list[str]:
    """The index, and every registered model's list, add form and first row's change form."""
    request = RequestFactory().get("/admin/")
    request.user = operator
    pages = ["/admin/"]
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{prefix}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{prefix}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"{prefix}_change", args=[first.pk]))
    return pages


def test_every_admin_page_passes_axe(ui, world):
    operator = UserFactory(username="drift", email="drift@example.org", is_superuser=True, is_staff=True)
    api_token_create(user=world.users["ledamot"], name="Power BI")
    ensure_type_mappings()
    ui.login(operator)
    pages = _every_admin_page(operator)
    assert len(pages) > 40
    failures = []
    for path in pages:
        response = ui.page.goto(ui.url(path))
        assert response is not None and response.status == 200, f"GET {path}: {response and response.status}"
        violations = ui.violations()
        if violations:
            failures.append(format_violations(path, violations))
    assert not failures, "\n".join(failures)
