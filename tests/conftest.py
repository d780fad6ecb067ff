"""Shared fixtures: reference data once per session, and the personas every test speaks of.

Personas (style.md): samordnare, polis, ledamot, läsare in collaboration A; an outsider who is
samordnare of collaboration B; anonymous. Each collaboration holds canary notices at every level so
a leak shows up as a canary string in a response.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from samverkan.core.models import Collaboration, Level, Notice, Role
from samverkan.core.reference import load_reference
from tests.factories import (
    MembershipFactory,
    NoticeFactory,
    OrganisationFactory,
    ParticipationFactory,
    UserFactory,
)

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def give_totp(user: Any) -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TOTP_SECRET)


CANARIES_A = {
    Level.OPPEN: "KANARIE-A-OPPEN",
    Level.INTERN: "KANARIE-A-INTERN",
    Level.BEGRANSAD: "KANARIE-A-BEGRANSAD",
}
CANARY_A_POLIS_ONLY = "KANARIE-A-BARA-POLIS"
CANARIES_B = ("KANARIE-B-OPPEN", "KANARIE-B-INTERN", "KANARIE-B-BEGRANSAD")


@dataclass
class World:
    a: Collaboration
    b: Collaboration
    users: dict[str, Any]
    notices: dict[str, Notice]
    org_a: Any
    org_b: Any
    agreements: dict[str, Any]

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client


PERSONAS = ("samordnare", "polis", "ledamot", "lasare", "outsider", "anonymous")


@pytest.fixture
def world(db) -> World:
    from tests.factories import CollaborationFactory

    a = CollaborationFactory(name="Malå testsamverkan", kommuner=["2418"])
    b = CollaborationFactory(name="Älvdalen testsamverkan", kommuner=["2039"])
    org_a = OrganisationFactory(name="Malå kommun – test", home_kommun_id="2418")
    org_b = OrganisationFactory(name="Älvdalens kommun – test", home_kommun_id="2039")
    ParticipationFactory(collaboration=a, organisation=org_a)
    ParticipationFactory(collaboration=b, organisation=org_b)
    users = {
        "samordnare": UserFactory(username="samordnare", email="samordnare@example.org"),
        "polis": UserFactory(username="polis", email="polis@example.org"),
        "ledamot": UserFactory(username="ledamot", email="ledamot@example.org"),
        "lasare": UserFactory(username="lasare", email="lasare@example.org"),
        "outsider": UserFactory(username="outsider", email="outsider@example.org"),
    }
    for persona, role in [
        ("samordnare", Role.SAMORDNARE),
        ("polis", Role.POLIS),
        ("ledamot", Role.LEDAMOT),
        ("lasare", Role.LASARE),
    ]:
        MembershipFactory(user=users[persona], collaboration=a, role=role, organisation=org_a)
    MembershipFactory(user=users["outsider"], collaboration=b, role=Role.SAMORDNARE, organisation=org_b)
    give_totp(users["polis"])
    notices = {}
    for level, canary in CANARIES_A.items():
        notices[level] = NoticeFactory(
            collaboration=a, title=canary, body=f"{canary} text", level=level, author=users["samordnare"]
        )
    notices["polis_only"] = NoticeFactory(
        collaboration=a,
        title=CANARY_A_POLIS_ONLY,
        body=f"{CANARY_A_POLIS_ONLY} text",
        level=Level.BEGRANSAD,
        restricted_to="polis",
        author=users["polis"],
    )
    for canary, level in zip(CANARIES_B, (Level.OPPEN, Level.INTERN, Level.BEGRANSAD), strict=True):
        notices[canary] = NoticeFactory(
            collaboration=b, title=canary, body=f"{canary} text", level=level, author=users["outsider"]
        )
    agreements = _agreement_content(a, b, org_a, org_b)
    return World(a=a, b=b, users=users, notices=notices, org_a=org_a, org_b=org_b, agreements=agreements)


def _agreement_content(a: Collaboration, b: Collaboration, org_a: Any, org_b: Any) -> dict[str, Any]:
    """Agreement rows at every level carrying the canaries (substrings), in both collaborations."""
    import datetime as dt

    from samverkan.agreements.models import (
        Agreement,
        CitizenPromise,
        FactSource,
        FocusArea,
        Group,
        GroupMember,
        PromiseActivity,
        Signatory,
    )

    rows: dict[str, Any] = {}
    for c, tag, org in ((a, "A", org_a), (b, "B", org_b)):
        agreement = Agreement.objects.create(
            collaboration=c,
            title=f"KANARIE-{tag}-OPPEN överenskommelse",
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2026, 12, 31),
            status=Agreement.Status.GALLANDE,
            level=Level.OPPEN,
            purpose="Tryggare kommun",
            effects_sought="Ökad trygghet\nMinskad brottslighet",
        )
        agreement.kommuner.set(c.kommuner.all())
        for level in (Level.OPPEN, Level.INTERN, Level.BEGRANSAD):
            FocusArea.objects.create(
                collaboration=c, agreement=agreement, title=f"KANARIE-{tag}-{level.name} fokus", level=level
            )
        FactSource.objects.create(
            collaboration=c,
            agreement=agreement,
            kind=FactSource.Kind.UNDERRATTELSER,
            rhythm=FactSource.Rhythm.VARJE_MOTE,
            description=f"KANARIE-{tag}-BEGRANSAD källa",
            level=Level.BEGRANSAD,
        )
        Signatory.objects.create(
            collaboration=c,
            agreement=agreement,
            name="Ada Test",
            title="Kommunalråd",
            organisation=org,
            level=Level.OPPEN,
        )
        group = Group.objects.create(
            collaboration=c,
            name=f"KANARIE-{tag}-OPPEN grupp",
            kind=Group.Kind.REK,
            meetings_per_year=4,
            level=Level.OPPEN,
        )
        group.agreements.add(agreement)
        GroupMember.objects.create(
            collaboration=c, group=group, representing=f"KANARIE-{tag}-INTERN medlem", level=Level.INTERN
        )
        promise = CitizenPromise.objects.create(
            collaboration=c,
            title=f"KANARIE-{tag}-INTERN löfte",
            text="Fler kvällspromenader",
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2024, 12, 31),
            agreement=agreement,
            level=Level.INTERN,
        )
        PromiseActivity.objects.create(
            collaboration=c,
            promise=promise,
            description=f"KANARIE-{tag}-INTERN aktivitet",
            level=Level.INTERN,
        )
        rows[tag] = {"agreement": agreement, "group": group, "promise": promise}
    return rows
