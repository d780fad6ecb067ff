"""The admin's audit entries: each save is logged with its own object, even when saves overlap."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import RequestFactory

from samverkan.core.models import AuditEntry, Kommun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _change(model_admin, request, kod: str, folkmangd: int):  # type: ignore[no-untyped-def]
    """A bound, valid change form for one kommun, as the change view builds it."""
    kommun = Kommun.objects.get(kod=kod)
    data = {k: v for k, v in model_to_dict(kommun).items() if v is not None}
    data["folkmangd"] = folkmangd
    form = model_admin.get_form(request, kommun, change=True)(data, instance=kommun)
    assert form.is_valid(), form.errors
    return form, form.save(commit=False)


def test_overlapping_admin_saves_each_audit_their_own_object():
    # Under a threaded server two requests share the one ModelAdmin instance; their save_model and
    # save_related calls may interleave. Each audit entry must still name the object its request saved.
    model_admin = admin.site._registry[Kommun]
    admin_user = UserFactory(username="admin", email="admin@example.org", is_superuser=True, is_staff=True)
    first, second = RequestFactory().post("/"), RequestFactory().post("/")
    first.user = second.user = admin_user
    before = {kod: Kommun.objects.get(kod=kod).folkmangd for kod in ("2418", "2480")}
    form_a, malå = _change(model_admin, first, "2418", 1111)
    form_b, umeå = _change(model_admin, second, "2480", 2222)

    model_admin.save_model(first, malå, form_a, True)
    model_admin.save_model(second, umeå, form_b, True)
    model_admin.save_related(first, form_a, [], True)
    model_admin.save_related(second, form_b, [], True)

    entries = {e.target_id: e for e in AuditEntry.objects.filter(target_type="core.kommun")}
    assert set(entries) == {"2418", "2480"}
    assert entries["2418"].changes["folkmangd"] == [before["2418"], 1111]
    assert entries["2480"].changes["folkmangd"] == [before["2480"], 2222]
