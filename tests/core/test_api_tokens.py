"""API tokens obey the rules of a session: two-step verification where the role requires it, expiry,
last use shown, and the samordnare sees who holds tokens."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from samverkan.core.models import ApiToken
from samverkan.core.services import api_token_create, collaboration_update_settings
from tests.conftest import give_totp


def api_get(client, token: str, path: str = "/api/v1/notices"):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_polis_without_totp_is_refused_with_the_reason_and_admitted_once_activated(world, client):
    polis = world.users["polis"]
    Authenticator.objects.filter(user=polis).delete()
    _, token = api_token_create(user=polis, name="BI")
    response = api_get(client, token)
    assert response.status_code == 401
    assert "tvåstegsverifiering" in response.json()["detail"]
    give_totp(polis)
    assert api_get(client, token).status_code == 200


def test_a_role_newly_required_to_use_totp_stops_its_existing_tokens(world, client):
    ledamot = world.users["ledamot"]
    _, token = api_token_create(user=ledamot, name="Rapporter")
    assert api_get(client, token).status_code == 200
    collaboration_update_settings(
        collaboration=world.a,
        acting_user=world.users["samordnare"],
        description=world.a.description,
        mfa_required_roles=["polis", "ledamot"],
    )
    assert api_get(client, token).status_code == 401


def test_an_expired_token_is_refused_and_says_so(world, client):
    token_row, token = api_token_create(user=world.users["ledamot"], name="Gammal", days=1)
    ApiToken.objects.filter(pk=token_row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = api_get(client, token)
    assert response.status_code == 401
    assert "gått ut" in response.json()["detail"]


def test_an_unknown_token_gets_the_plain_401(world, client):
    response = api_get(client, "svk_" + "x" * 40)
    assert response.status_code == 401
    assert "gått ut" not in response.content.decode()


def test_a_token_expires_by_default_and_within_bounds(world, settings):
    settings.API_TOKEN_DAYS = 30
    token_row, _ = api_token_create(user=world.users["ledamot"], name="Standard")
    assert dt.timedelta(days=29) < token_row.expires_at - timezone.now() <= dt.timedelta(days=30)
    with pytest.raises(ValidationError):
        api_token_create(user=world.users["ledamot"], name="För länge", days=5000)


def test_use_is_recorded_and_shown_on_the_profile(world, client):
    token_row, token = api_token_create(user=world.users["ledamot"], name="Statistik")
    api_get(client, token)
    token_row.refresh_from_db()
    assert token_row.last_used_at is not None
    page = world.client("ledamot").get("/profil/").content.decode()
    assert timezone.localtime(token_row.expires_at).strftime("%Y-%m-%d") in page  # shown in Swedish time
    assert timezone.localtime(token_row.last_used_at).strftime("%Y-%m-%d %H:%M") in page


def test_the_samordnare_sees_which_members_hold_tokens(world):
    api_token_create(user=world.users["ledamot"], name="Ett")
    api_token_create(user=world.users["ledamot"], name="Två")
    page = world.client("samordnare").get(f"/samverkan/{world.a.pk}/medlemmar/").content.decode()
    assert "2 aktiva" in page
    other = world.client("ledamot").get(f"/samverkan/{world.a.pk}/medlemmar/").content.decode()
    assert "aktiva" not in other


def test_the_command_prints_a_token_with_expiry(world, capsys):
    call_command("api_token", "ledamot@example.org", "--days", "7")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("svk_")
    assert ApiToken.objects.get(hint=raw[:10]).expires_at < timezone.now() + dt.timedelta(days=8)
