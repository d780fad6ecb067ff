"""The admin holds reference data and accounts, not content: a superuser walking every admin page finds
no intern or begränsad canary, no personal name from a begränsad group and no TOTP secret."""

from __future__ import annotations

import contextlib
import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from samverkan.agreements.models import GroupMember
from samverkan.core.audit import audit_change
from samverkan.core.models import AuditEntry, Level, Notice, Person
from tests.conftest import TOTP_SECRET, give_totp
from tests.factories import UserFactory

SECRET_CANARY = "PERSON-KANARIE-BEGRANSAD"


@pytest.fixture
def planted(world):
    """Canaries in the places the probe found them: an audit copy of intern text, a person in a begränsad
    group, and the police's TOTP secret."""
    notice = Notice.objects.filter(collaboration=world.a, level=Level.INTERN).first()
    audit_change(
        actor=world.users["samordnare"],
        action="update",
        obj=notice,
        before={"body": "x"},
        after={"body": notice.body},
    )
    group = world.agreements["A"]["group"]
    person = Person.objects.create(name=SECRET_CANARY, email="hemlig@example.org")
    GroupMember.objects.create(
        collaboration=world.a, group=group, person=person, level=Level.BEGRANSAD, representing="Polisen"
    )
    if not Authenticator.objects.filter(user=world.users["polis"]).exists():
        give_totp(world.users["polis"])
    return world


def admin_pages() -> list[str]:
    pages = ["/admin/"]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{prefix}_changelist"))
        with contextlib.suppress(NoReverseMatch):
            pages.append(reverse(f"{prefix}_add"))
        for obj in model._default_manager.all()[:20]:
            pages.append(reverse(f"{prefix}_change", args=[obj.pk]))
    return pages


def test_no_admin_page_shows_content(planted, client):
    superuser = UserFactory(username="drift", email="drift@example.org", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    leaks = []
    pages = admin_pages()
    assert len(pages) > 30
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 302, 403), f"{path}: {response.status_code}"
        body = response.content.decode()
        for canary in re.findall(r"KANARIE-[AB]-(?:INTERN|BEGRANSAD|BARA-POLIS)[^<\"]*", body):
            leaks.append(f"{path}: {canary}")
        if SECRET_CANARY in body:
            leaks.append(f"{path}: begränsad group member's name")
        if TOTP_SECRET in body:
            leaks.append(f"{path}: TOTP secret")
    assert not leaks, "\n".join(leaks)


def test_the_audit_log_in_the_admin_keeps_its_metadata(planted, client):
    superuser = UserFactory(username="drift2", email="drift2@example.org", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    entry = AuditEntry.objects.filter(target_type="core.notice").first()
    body = client.get(reverse("admin:core_auditentry_change", args=[entry.pk])).content.decode()
    assert "core.notice" in body and str(entry.target_id) in body
