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


@pytest.mark.django_db
def test_demo_agreements_follow_the_seed_shapes(monkeypatch, tmp_path, settings):
    from samverkan.agreements.models import Agreement, CitizenPromise, FocusArea, Group

    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("SAMVERKAN_DEMO_PASSWORD", "demo-losenord-123")
    load_demo()
    load_demo()  # idempotent for agreements too
    assert Agreement.objects.filter(predecessor__isnull=True).count() == 4
    mala = Agreement.objects.get(title__contains="Malå kommun och Polisen 2020–2022")
    assert mala.status == "ersatt" and mala.successor.status == "gallande"
    fraud = FocusArea.objects.get(agreement=mala, title="Bedrägerier")
    assert fraud.changes.get().kind == "tillagt" and fraud.changes.get().reason
    assert FocusArea.objects.filter(agreement=mala, parent__title="Trafik och buskörning").count() == 3
    rek = Group.objects.get(name="REK-gruppen i Malå")
    assert rek.meetings_per_year == 4 and rek.members.filter(standing="inbjuden").count() >= 5
    assert CitizenPromise.objects.get(title="Medborgarlöften 2017–2018").replaced_by == mala
    bra = Group.objects.get(name="Brottsförebyggande rådet")
    assert bra.reports_to.name == "Folkhälsorådet" and bra.meets_around_relation == "fore_och_efter"
    alvdalen = Agreement.objects.get(title__contains="Älvdalens kommun och Lokalpolisområde Mora 2019–2021")
    assert alvdalen.focus_areas.count() == 6
    network = Agreement.objects.get(title__contains="fem inlandskommuner 2014–2017")
    assert set(network.kommuner.values_list("kod", flat=True)) == {"2418", "2417", "2422", "2505", "2506"}
    assert {k.lan_id for k in network.kommuner.all()} == {"24", "25"}
