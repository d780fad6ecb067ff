"""Login: wrong password, throttling, MFA for required roles, closed sign-up, password reset."""

from __future__ import annotations

from django.core.cache import cache

from samverkan.core.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory

LOGIN = "/konto/login/"


def test_wrong_password_gives_clear_message(world, client):
    response = client.post(LOGIN, {"login": "ledamot@example.org", "password": "fel-losenord"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "lösenordet är felaktigt" in body
    assert "error-summary" in body


def test_login_is_throttled_after_repeated_failures(world, client):
    cache.clear()
    for _ in range(5):
        client.post(LOGIN, {"login": "ledamot@example.org", "password": "fel"})
    response = client.post(LOGIN, {"login": "ledamot@example.org", "password": "losenord-for-test-1"})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    cache.clear()


def test_correct_login_redirects_to_start(world, client):
    cache.clear()
    response = client.post(LOGIN, {"login": "ledamot@example.org", "password": "losenord-for-test-1"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_signup_is_closed(client, db):
    response = client.get("/konto/signup/")
    assert response.status_code == 200
    assert "id_email" not in response.content.decode()


def test_polis_without_totp_is_sent_to_mfa_page(world):
    polis = UserFactory(username="nypolis", email="nypolis@example.org")
    MembershipFactory(user=polis, collaboration=world.a, role=Role.POLIS)
    from django.test import Client

    client = Client()
    client.force_login(polis)
    response = client.get(f"/samverkan/{world.a.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/tvastegsverifiering-kravs/"
    assert client.get("/konto/tvastegsverifiering-kravs/").status_code == 200
    # Activation itself asks for the password again (allauth's reauthentication), not a loop back here.
    response = client.get("/konto/2fa/totp/activate/")
    assert response["Location"].startswith("/konto/reauthenticate/")


def test_mfa_requirement_follows_collaboration_setting(world):
    ledamot = world.users["ledamot"]
    client = world.client("ledamot")
    assert client.get("/").status_code == 200
    world.a.mfa_required_roles = "ledamot,polis"
    world.a.save()
    assert client.get("/").status_code == 302
    Membership.objects.filter(user=ledamot).delete()
    assert client.get("/").status_code == 200


def test_password_reset_sends_email(world, client, mailoutbox):
    response = client.post("/konto/password/reset/", {"email": "ledamot@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
