"""`samverkan demo` content: the seed situations, invented people, idempotent."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from samverkan.core.demo import load_demo
from samverkan.core.models import Collaboration, CountyReader, Membership, Notice, Role


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_without_the_shared_folder_has_its_open_data_signatories_and_network_pictures(
    monkeypatch, tmp_path, settings, client
):
    """The shipped subsets make the same demo on a machine without ../shared/data (an empty folder named
    by SAMVERKAN_SHARED_DATA failed with a traceback before; an absent one gave a demo without the data)."""
    import datetime as dt

    from django.utils import timezone

    from samverkan.indicators.models import DataPoint, Deso, ImportRun, PoliceEvent, RegisteredCrime
    from samverkan.indicators.signals import signals_for_collaboration
    from samverkan.situation.models import PictureVersion, Round

    empty = tmp_path / "shared"
    empty.mkdir()
    settings.SAMVERKAN_SHARED_DATA = str(empty)
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("SAMVERKAN_DEMO_PASSWORD", "demo-losenord-123")
    load_demo()

    kommuner = set(PoliceEvent.objects.values_list("kommun_id", flat=True))
    assert {"2418", "2560", "2039", "2417", "2422", "2505", "2506"} <= kommuner
    assert PoliceEvent.objects.count() > 1000
    assert DataPoint.objects.filter(indicator__code__startswith="bra.", kommun="2039").exists()
    assert DataPoint.objects.filter(indicator__code__startswith="ntu.", kommun="2039").exists()
    assert DataPoint.objects.filter(indicator__code__startswith="polisen.brott.", deso__isnull=False).exists()
    assert set(Deso.objects.values_list("kommun_id", flat=True)) == {"2039", "2062"}
    assert RegisteredCrime.objects.filter(kommun="2039").count() > 1000
    # Every real file went through an import service and left its run (provenance).
    assert ImportRun.objects.filter(file_name__startswith="polisen_handelser_demokommuner").exists()

    alvdalen = Collaboration.objects.get(name="Älvdalens kommun och LPO Mora")
    latest = Round.objects.filter(collaboration=alvdalen).latest("period_start")
    assert signals_for_collaboration(alvdalen, as_of=latest.period_end)

    network = Collaboration.objects.get(name__startswith="Inlandsnätverket")
    assert Round.objects.filter(collaboration=network).count() >= 4
    agreed = PictureVersion.objects.filter(picture__round__collaboration=network)
    assert agreed.exists()

    # Älvdalen's agreement in force (2022–2026) is signed, and on 6 December 2026 its home warns that it
    # ends in 25 days.
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2026, 12, 6))
    client.force_login(get_user_model().objects.get(email="tove.eriksson@alvdalen.example.org"))
    page = client.get(reverse("core:collaboration_home", args=[alvdalen.pk])).content.decode()
    assert "Samverkansöverenskommelse mellan Älvdalens kommun och Lokalpolisområde Mora 2022–2026" in page
    assert "Överenskommelsen går ut om 25 dagar" in page
    assert "Ingen har skrivit under" not in page

    # The network's agreed picture opens for a member.
    version = agreed.order_by("-picture__round__period_start").select_related("picture__round").first()
    client.force_login(get_user_model().objects.get(email="hanna.stromberg@norsjo.example.org"))
    response = client.get(
        reverse("situation:picture_version", args=[network.pk, version.picture.round_id, version.pk])
    )
    assert response.status_code == 200


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_carries_the_second_half_of_the_cycle(monkeypatch, tmp_path, settings):
    """Issue 13's demo: Malå's 2020–2022 plan followed up four times a year in all three colours with an
    escalated action; Älvdalen's problems raised from its agreed picture, analysed, with actions tied to
    their causes and an indicator with a target."""
    import datetime as dt

    from samverkan.actions.models import Action, ActionPlan, FollowUp, PlanVersion, Rating, WorkOrder
    from samverkan.actions.selectors.flags import flags_for_collaboration
    from samverkan.analysis.models import Cause, Evidence, Problem

    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("SAMVERKAN_DEMO_PASSWORD", "demo-losenord-123")
    load_demo()
    mala = Collaboration.objects.get(name="Malå kommun och LPO Skellefteå")
    plan = ActionPlan.objects.get(collaboration=mala, title="Åtgärdsplan 2020–2022")
    assert plan.actions.count() == 6 and PlanVersion.objects.filter(plan=plan).count() == 2
    followups = FollowUp.objects.filter(action__plan=plan)
    assert set(followups.values_list("rating", flat=True)) == set(Rating.values)
    assert len(set(followups.filter(followed_up_on__year=2021).values_list("followed_up_on", flat=True))) == 4
    samordnare = Membership.objects.filter(collaboration=mala, role=Role.SAMORDNARE).first().user
    flags = flags_for_collaboration(samordnare, mala, dt.date(2022, 12, 11))
    assert [f.action.title for f in flags if f.escalated] == [
        "Säker avlämningsplats och farthinder vid skolan"
    ]

    alvdalen = Collaboration.objects.get(name="Älvdalens kommun och LPO Mora")
    problems = Problem.objects.filter(collaboration=alvdalen)
    assert problems.count() == 2
    assert Evidence.objects.filter(problem__in=problems, picture_item__isnull=False).count() == 2
    assert Cause.objects.filter(problem__in=problems, parent__isnull=False).exists()
    tied = Action.objects.filter(collaboration=alvdalen, causes__isnull=False).distinct()
    assert tied.count() >= 2
    assert tied.filter(indicators__target__isnull=False).exists()
    # Statistics indicators draw their action's target on the indicator's chart (indicators.Target).
    for collaboration in (mala, alvdalen):
        assert Action.objects.filter(
            collaboration=collaboration, indicators__target_line__isnull=False
        ).exists()
    assert Action.objects.filter(
        collaboration=alvdalen, indicators__indicator__code="kommun.kommunens-kostnad-for-skadegorelse"
    ).exists()
    assert WorkOrder.objects.filter(collaboration=alvdalen).count() == 2
    load_demo()  # idempotent
    assert ActionPlan.objects.filter(collaboration__in=[mala, alvdalen]).count() == 2
