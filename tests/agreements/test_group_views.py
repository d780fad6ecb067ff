"""Group pages through Django's client: every member reads, the samordnare writes; errors name the field."""

from __future__ import annotations

from typing import Any

import pytest

from samverkan.agreements.models import Group, GroupMember
from samverkan.core.models import AuditEntry, Level, Person
from tests.agreements.factories import GroupFactory, GroupMemberFactory
from tests.conftest import CANARIES_A, CANARIES_B
from tests.factories import OrganisationFactory

MEMBERS_OF_A = ("samordnare", "polis", "ledamot", "lasare")


def _url(world: Any, suffix: str = "", collaboration: Any = None) -> str:
    return f"/samverkan/{(collaboration or world.a).pk}/grupper/{suffix}"


def _body(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def alvsbyn(world):
    """A strategic Folkhälsorådet and an operative BRÅ that meets before and after it and reports to it."""
    strategic = GroupFactory(
        collaboration=world.a,
        name="Folkhälsorådet",
        kind=Group.Kind.FOLKHALSORAD,
        tier=Group.Tier.STRATEGISK,
        meetings_per_year=4,
        rhythm_note="en per kvartal",
        place="polisstationen i Malå",
        level=Level.OPPEN,
    )
    operative = GroupFactory(
        collaboration=world.a,
        name="Brottsförebyggande rådet",
        kind=Group.Kind.BRA,
        tier=Group.Tier.OPERATIV,
        reports_to=strategic,
        meets_around=strategic,
        meets_around_relation=Group.Relation.FORE_OCH_EFTER,
        level=Level.OPPEN,
    )
    GroupMemberFactory(
        group=strategic,
        organisation=world.org_a,
        role=GroupMember.GroupRole.ORDFORANDE,
        level=Level.OPPEN,
    )
    return {"strategic": strategic, "operative": operative}


def _outsider_org(name: str = "Malå församling") -> Any:
    """Based in Malå (so it may be chosen) but not an aktör of collaboration A."""
    return OrganisationFactory(name=name, home_kommun_id="2418")


def _group_data(**overrides: Any) -> dict[str, Any]:
    data = {"name": "Ny grupp", "kind": "rek", "tier": "operativ", "level": "oppen", "is_active": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Reading ----------------------------------------------------------------------------------------


def test_list_shows_strategic_before_operative_with_rhythm_and_relations(world, alvsbyn):
    body = _body(world.client("ledamot").get(_url(world)))
    assert body.index("Strategiska grupper") < body.index("Folkhälsorådet") < body.index("Operativa grupper")
    assert body.index("Operativa grupper") < body.index("Brottsförebyggande rådet")
    assert "4 möten per år · en per kvartal · polisstationen i Malå" in body
    assert "Möts före och efter" in body
    assert "Rapporterar till" in body
    assert "1 ständig medlem" in body


@pytest.mark.parametrize("persona", MEMBERS_OF_A)
def test_every_member_reads_list_and_detail(world, alvsbyn, persona):
    client = world.client(persona)
    assert client.get(_url(world)).status_code == 200
    response = client.get(_url(world, f"{alvsbyn['strategic'].pk}/"))
    assert response.status_code == 200
    body = _body(response)
    assert "Ständiga medlemmar" in body and "Inbjudna" in body
    assert "Ordförande" in body and world.org_a.name in body
    assert "Brottsförebyggande rådet" in body and "rapporterar hit" in body


@pytest.mark.parametrize("persona", ["ledamot", "lasare", "polis"])
def test_only_samordnare_gets_edit_buttons(world, alvsbyn, persona):
    group = alvsbyn["strategic"]
    for path in (_url(world), _url(world, f"{group.pk}/")):
        body = _body(world.client(persona).get(path))
        assert "Ny grupp" not in body
        assert "Ändra gruppen" not in body and "Lägg till medlem" not in body
        assert f"/medlemmar/{group.members.get().pk}/" not in body
    body = _body(world.client("samordnare").get(_url(world, f"{group.pk}/")))
    assert "Ändra gruppen" in body and "Lägg till medlem" in body


def test_outsider_gets_404(world, alvsbyn):
    client = world.client("outsider")
    group = alvsbyn["strategic"]
    member = group.members.get()
    for suffix in ("", "ny/", f"{group.pk}/", f"{group.pk}/andra/", f"{group.pk}/medlemmar/ny/"):
        assert client.get(_url(world, suffix)).status_code == 404, suffix
    assert client.post(_url(world, f"{group.pk}/medlemmar/{member.pk}/"), {"remove": "1"}).status_code == 404
    # A's group through the outsider's own collaboration: still not found.
    for suffix in (f"{group.pk}/", f"{group.pk}/andra/", f"{group.pk}/medlemmar/{member.pk}/"):
        assert client.get(_url(world, suffix, collaboration=world.b)).status_code == 404, suffix
    assert GroupMember.objects.filter(pk=member.pk).exists()


def test_anonymous_is_sent_to_login(world, alvsbyn):
    response = world.client("anonymous").get(_url(world))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


# --- A ledamot sees but cannot change ------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ledamot", "lasare", "polis"])
def test_too_weak_role_gets_403_and_nothing_is_saved(world, alvsbyn, persona):
    client = world.client(persona)
    group = alvsbyn["strategic"]
    member = group.members.get()
    groups, members = Group.objects.count(), GroupMember.objects.count()
    posts = [
        ("ny/", _group_data(name="Obehörig")),
        (f"{group.pk}/andra/", _group_data(name="Obehörig", tier="strategisk")),
        (f"{group.pk}/medlemmar/ny/", {"representing": "Obehörig", "standing": "standig", "role": "ledamot"}),
        (f"{group.pk}/medlemmar/{member.pk}/", {"representing": "Obehörig", "standing": "inbjuden"}),
        (f"{group.pk}/medlemmar/{member.pk}/", {"remove": "1"}),
    ]
    for suffix, data in posts:
        response = client.post(_url(world, suffix), data)
        assert response.status_code == 403, suffix
        assert "Du saknar behörighet" in _body(response)
    assert client.get(_url(world, "ny/")).status_code == 403
    assert (Group.objects.count(), GroupMember.objects.count()) == (groups, members)
    group.refresh_from_db()
    member.refresh_from_db()
    assert group.name == "Folkhälsorådet"
    assert member.standing == GroupMember.Standing.STANDIGT and not member.representing


# --- Writing groups ------------------------------------------------------------------------------------


def test_samordnare_creates_group_and_is_redirected_to_it(world, alvsbyn):
    agreement = world.agreements["A"]["agreement"]
    data = _group_data(
        name="EST-gruppen",
        kind="est",
        meetings_per_year="10",
        place="Kommunhuset",
        reports_to=alvsbyn["operative"].pk,
        meets_around=alvsbyn["operative"].pk,
        meets_around_relation="efter",
        agreements=[agreement.pk],
    )
    response = world.client("samordnare").post(_url(world, "ny/"), data)
    group = Group.objects.get(name="EST-gruppen")
    assert response.status_code == 302
    assert response["Location"] == _url(world, f"{group.pk}/")
    assert group.collaboration == world.a and group.reports_to == alvsbyn["operative"]
    assert list(group.agreements.all()) == [agreement]
    assert AuditEntry.objects.filter(target_type="agreements.group", target_id=str(group.pk)).exists()


def test_group_form_error_names_field_and_saves_nothing(world):
    count = Group.objects.count()
    response = world.client("samordnare").post(_url(world, "ny/"), _group_data(name=""))
    body = _body(response)
    assert response.status_code == 200
    assert "Det finns fel i formuläret" in body and 'href="#id_name"' in body
    assert Group.objects.count() == count


def test_group_cannot_report_to_itself(world, alvsbyn):
    group = alvsbyn["strategic"]
    response = world.client("samordnare").post(
        _url(world, f"{group.pk}/andra/"), _group_data(name="Folkhälsorådet", reports_to=group.pk)
    )
    body = _body(response)
    assert response.status_code == 200
    assert 'href="#id_reports_to"' in body
    group.refresh_from_db()
    assert group.reports_to is None


def test_reporting_in_a_cycle_is_refused_on_the_field(world, alvsbyn):
    strategic, operative = alvsbyn["strategic"], alvsbyn["operative"]  # operative reports to strategic
    response = world.client("samordnare").post(
        _url(world, f"{strategic.pk}/andra/"),
        _group_data(name="Folkhälsorådet", tier="strategisk", reports_to=operative.pk),
    )
    body = _body(response)
    assert response.status_code == 200
    assert 'href="#id_reports_to"' in body and "Rapporteringen skulle gå i cirkel." in body
    strategic.refresh_from_db()
    assert strategic.reports_to is None and strategic.name == "Folkhälsorådet"


@pytest.mark.parametrize(
    ("meets_around", "relation", "field"),
    [(True, "", "meets_around_relation"), (False, "fore", "meets_around")],
)
def test_meeting_relation_needs_both_group_and_when(world, alvsbyn, meets_around, relation, field):
    data = _group_data(
        name="Halv relation",
        meets_around=alvsbyn["strategic"].pk if meets_around else None,
        meets_around_relation=relation,
    )
    response = world.client("samordnare").post(_url(world, "ny/"), data)
    assert response.status_code == 200
    assert f'href="#id_{field}"' in _body(response)
    assert not Group.objects.filter(name="Halv relation").exists()


def test_group_of_another_collaboration_is_not_a_choice(world, alvsbyn):
    response = world.client("samordnare").post(
        _url(world, "ny/"), _group_data(name="Fel samverkan", reports_to=world.agreements["B"]["group"].pk)
    )
    assert response.status_code == 200
    assert 'href="#id_reports_to"' in _body(response)
    assert not Group.objects.filter(name="Fel samverkan").exists()


def test_unticking_every_agreement_removes_the_links(world):
    group = world.agreements["A"]["group"]
    assert group.agreements.exists()
    response = world.client("samordnare").post(
        _url(world, f"{group.pk}/andra/"), _group_data(name=group.name, kind="rek")
    )
    assert response.status_code == 302
    assert not group.agreements.exists()


# --- Members -------------------------------------------------------------------------------------------


def test_outside_organisation_as_standing_member_is_refused_on_standing(world, alvsbyn):
    church = _outsider_org()
    group = alvsbyn["strategic"]
    count = GroupMember.objects.count()
    response = world.client("samordnare").post(
        _url(world, f"{group.pk}/medlemmar/ny/"),
        {"organisation": church.pk, "standing": "standig", "role": "ledamot", "level": "oppen"},
    )
    body = _body(response)
    assert response.status_code == 200
    assert 'href="#id_standing_0"' in body
    assert "Malå församling är inte aktör i samverkan och kan bara delta som inbjuden." in body
    assert GroupMember.objects.count() == count


def test_outside_organisation_as_invited_member_is_saved(world, alvsbyn):
    church = _outsider_org()
    group = alvsbyn["strategic"]
    response = world.client("samordnare").post(
        _url(world, f"{group.pk}/medlemmar/ny/"),
        {
            "organisation": church.pk,
            "person_name": "Kim Kyrkoherde",
            "standing": "inbjuden",
            "role": "adjungerad",
            "level": "oppen",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url(world, f"{group.pk}/")
    member = GroupMember.objects.get(group=group, organisation=church)
    assert member.standing == GroupMember.Standing.INBJUDEN and member.role == "adjungerad"
    assert member.person is not None and member.person.name == "Kim Kyrkoherde"
    body = _body(world.client("ledamot").get(_url(world, f"{group.pk}/")))
    assert body.index("Inbjudna") < body.index("Malå församling")


def test_organisation_from_elsewhere_is_not_a_choice(world, alvsbyn):
    response = world.client("samordnare").post(
        _url(world, f"{alvsbyn['strategic'].pk}/medlemmar/ny/"),
        {"organisation": world.org_b.pk, "standing": "inbjuden", "role": "ledamot", "level": "oppen"},
    )
    assert response.status_code == 200
    assert 'href="#id_organisation"' in _body(response)
    assert not GroupMember.objects.filter(organisation=world.org_b).exists()


def test_member_needs_an_organisation_a_person_or_an_interest(world, alvsbyn):
    count = GroupMember.objects.count()
    response = world.client("samordnare").post(
        _url(world, f"{alvsbyn['strategic'].pk}/medlemmar/ny/"),
        {"standing": "standig", "role": "ledamot", "level": "oppen"},
    )
    assert response.status_code == 200
    assert 'href="#id_organisation"' in _body(response)
    assert GroupMember.objects.count() == count


def test_interest_without_organisation_is_a_member(world, alvsbyn):
    group = alvsbyn["operative"]
    response = world.client("samordnare").post(
        _url(world, f"{group.pk}/medlemmar/ny/"),
        {
            "representing": "Det lokala privata näringslivet",
            "standing": "standig",
            "role": "ledamot",
            "level": "oppen",
        },
    )
    assert response.status_code == 302
    assert group.members.get().representing == "Det lokala privata näringslivet"


def test_samordnare_edits_and_removes_a_member(world, alvsbyn):
    client = world.client("samordnare")
    group = alvsbyn["strategic"]
    member = group.members.get()
    path = _url(world, f"{group.pk}/medlemmar/{member.pk}/")
    data = {
        "organisation": world.org_a.pk,
        "person_name": "Alva Ordförande",
        "standing": "standig",
        "role": "sammankallande",
        "level": "oppen",
    }
    assert client.get(path).status_code == 200
    assert client.post(path, data).status_code == 302
    assert client.post(path, data).status_code == 302  # saved twice: the same person, not a copy
    member.refresh_from_db()
    assert member.role == "sammankallande"
    assert Person.objects.filter(name="Alva Ordförande").count() == 1
    response = client.post(path, {"remove": "1"})
    assert response.status_code == 302
    assert not GroupMember.objects.filter(pk=member.pk).exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, target_type="agreements.groupmember", target_id=str(member.pk)
    ).exists()


def test_member_of_another_group_is_404(world, alvsbyn):
    member = alvsbyn["strategic"].members.get()
    path = _url(world, f"{alvsbyn['operative'].pk}/medlemmar/{member.pk}/")
    assert world.client("samordnare").post(path, {"remove": "1"}).status_code == 404
    assert GroupMember.objects.filter(pk=member.pk).exists()


# --- Confidentiality (canaries) ---------------------------------------------------------------------------


@pytest.fixture
def restricted(world, alvsbyn):
    """A begränsad group, a begränsad member of an öppen group, and an öppen group reporting to the secret one."""
    secret = GroupFactory(
        collaboration=world.a,
        name=f"{CANARIES_A[Level.BEGRANSAD]} grupp",
        kind=Group.Kind.EST,
        level=Level.BEGRANSAD,
    )
    GroupMemberFactory(
        group=alvsbyn["strategic"],
        representing=f"{CANARIES_A[Level.BEGRANSAD]} medlem",
        level=Level.BEGRANSAD,
    )
    GroupFactory(
        collaboration=world.a,
        name="Öppen grupp under en hemlig",
        kind=Group.Kind.ANNAN,
        reports_to=secret,
        meets_around=secret,
        meets_around_relation=Group.Relation.FORE,
        level=Level.OPPEN,
    )
    return secret


def _pages_of_a(world: Any, alvsbyn: dict[str, Any]) -> list[str]:
    open_groups = Group.objects.filter(collaboration=world.a, level__in=[Level.OPPEN, Level.INTERN])
    return [_url(world)] + [_url(world, f"{g.pk}/") for g in open_groups]


@pytest.mark.parametrize("persona", ["ledamot", "lasare"])
def test_begransad_groups_and_members_never_reach_ledamot_or_lasare(world, restricted, alvsbyn, persona):
    client = world.client(persona)
    for path in _pages_of_a(world, alvsbyn):
        body = _body(client.get(path))
        assert CANARIES_A[Level.BEGRANSAD] not in body, path
    assert client.get(_url(world, f"{restricted.pk}/")).status_code == 404
    # The öppen group still shows, without naming the group it reports to.
    assert "Öppen grupp under en hemlig" in _body(client.get(_url(world)))


def test_samordnare_reads_begransad_and_the_read_is_logged(world, restricted):
    client = world.client("samordnare")
    assert CANARIES_A[Level.BEGRANSAD] in _body(client.get(_url(world)))
    assert client.get(_url(world, f"{restricted.pk}/")).status_code == 200
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, target_type="agreements.group", target_id=str(restricted.pk)
    ).exists()


@pytest.mark.parametrize("persona", MEMBERS_OF_A)
def test_members_of_a_see_intern_content_and_nothing_of_b(world, persona):
    client = world.client(persona)
    group = world.agreements["A"]["group"]
    bodies = [_body(client.get(_url(world))), _body(client.get(_url(world, f"{group.pk}/")))]
    assert CANARIES_A[Level.OPPEN] in bodies[0]
    assert CANARIES_A[Level.INTERN] in bodies[1]  # the intern member of A's group
    for body in bodies:
        assert not any(canary in body for canary in CANARIES_B)
