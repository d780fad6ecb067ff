"""Failed logins: throttled per account and loosely per IP (a town hall shares one address), the
message says when to try again, and every failure is in the audit log."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from samverkan.core.models import AuditEntry

LOGIN = "/konto/login/"
PASSWORD = "losenord-for-test-1"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def fail(client, email: str) -> str:
    return client.post(LOGIN, {"login": email, "password": "fel-losenord"}).content.decode()


def test_an_account_is_blocked_after_five_failures_and_told_when_to_try_again(world, client):
    for _ in range(5):
        fail(client, "ledamot@example.org")
    response = client.post(LOGIN, {"login": "ledamot@example.org", "password": PASSWORD})
    body = response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "Försök igen om 5 minuter" in body


def test_one_attacker_does_not_lock_out_the_others_behind_the_same_address(world, client):
    """Failures for one account from an IP leave every other account on that IP free to log in."""
    for _ in range(8):
        fail(client, "ledamot@example.org")
    response = client.post(LOGIN, {"login": "lasare@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_many_accounts_sprayed_from_one_address_hit_the_address_limit(world, client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "10/10m/ip,5/5m/key"}
    for n in range(10):
        fail(client, f"gissning{n}@example.org")
    body = client.post(LOGIN, {"login": "lasare@example.org", "password": PASSWORD}).content.decode()
    assert "_auth_user_id" not in client.session
    assert "Försök igen om 10 minuter" in body


def test_every_failed_login_is_audited_with_the_address(world, client):
    fail(client, "ledamot@example.org")
    fail(client, "okand@example.org")
    entries = list(AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).order_by("id"))
    assert [e.target_repr for e in entries] == ["ledamot@example.org", "okand@example.org"]
    assert entries[0].actor == world.users["ledamot"] and entries[1].actor is None
    assert entries[0].changes["ip"] == "127.0.0.1"
