"""`samverkan demo` content: the seed situations, invented people, idempotent."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from samverkan.core.demo import load_demo
from samverkan.core.models import Collaboration, CountyReader, Membership, Notice, Role


@pytest.mark.django_db
def test_demo_is_idempotent(monkeypatch, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("SAMVERKAN_DEMO_PASSWORD", "demo-losenord-123")
    load_demo()
    counts = [m.objects.count() for m in (Collaboration, Membership, Notice, get_user_model(), CountyReader)]
    load_demo()
    assert [
        m.objects.count() for m in (Collaboration, Membership, Notice, get_user_model(), CountyReader)
    ] == counts


@pytest.mark.django_db
def test_demo_has_the_seed_situations_with_every_role(monkeypatch, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("SAMVERKAN_DEMO_PASSWORD", "demo-losenord-123")
    load_demo()
    kommuner = {c.name: set(c.kommuner.values_list("kod", flat=True)) for c in Collaboration.objects.all()}
    assert {"2418"} in kommuner.values()
    assert {"2560"} in kommuner.values()
    assert {"2039"} in kommuner.values()
    assert {"2418", "2417", "2422", "2505", "2506"} in kommuner.values()
    for collaboration in Collaboration.objects.all():
        roles = set(collaboration.memberships.values_list("role", flat=True))
        assert roles == {r.value for r in Role}, collaboration
    mala = Collaboration.objects.get(kommuner="2418", name__startswith="Malå")
    assert mala.police_areas.filter(namn="LPO Skellefteå").exists()
    assert (
        get_user_model()
        .objects.get(email="karin.lindqvist@mala.example.org")
        .check_password("demo-losenord-123")
    )


@pytest.mark.django_db
def test_demo_command_prints_logins(monkeypatch, tmp_path, settings, capsys):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("SAMVERKAN_DEMO_PASSWORD", "demo-losenord-123")
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "demo-losenord-123" in out
    assert "karin.lindqvist@mala.example.org" in out
    assert "http://127.0.0.1:8000/" in out


@pytest.mark.django_db
def test_generated_demo_password_is_kept(monkeypatch, tmp_path, settings):
    from samverkan.core.demo import demo_password

    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("SAMVERKAN_DEMO_PASSWORD", raising=False)
    first = demo_password()
    assert demo_password() == first and len(first) >= 12
