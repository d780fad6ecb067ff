"""Demo content modelled on real situations (Malå, Älvsbyn, Älvdalen, the five-kommun network).

All people are invented. Re-running leaves the same state: rows are looked up by natural keys.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction

from samverkan.core import services
from samverkan.core.models import (
    Collaboration,
    CountyReader,
    Kommun,
    Level,
    Membership,
    Notice,
    Organisation,
    Participation,
    PoliceArea,
    Role,
)
from samverkan.core.reference import load_reference
from samverkan.core.registry import DemoContext, run_demo_loaders, run_reference_loaders

User = get_user_model()
K = Organisation.Kind


@dataclass(frozen=True)
class DemoPerson:
    name: str
    email: str
    role: str
    organisation: str


@dataclass(frozen=True)
class DemoNotice:
    author: str
    title: str
    body: str
    level: str
    restricted_to: tuple[str, ...] = (Role.POLIS, Role.SAMORDNARE)


@dataclass(frozen=True)
class DemoCollaboration:
    name: str
    description: str
    kommuner: tuple[str, ...]
    police_areas: tuple[str, ...]
    organisations: tuple[tuple[str, str, str | None, str | None], ...]  # name, kind, kommunkod, police area
    people: tuple[DemoPerson, ...]
    notices: tuple[DemoNotice, ...] = field(default=())


MALA = DemoCollaboration(
    name="Malå kommun och LPO Skellefteå",
    description=(
        "REK-gruppen i Malå: kommunen, polisen och lokala aktörer möts en gång per kvartal på "
        "polisstationen. ANDT-samordnaren kallar och för protokoll."
    ),
    kommuner=("2418",),
    police_areas=("LPO Skellefteå",),
    organisations=(
        ("Malå kommun – kommunledningen", K.KOMMUNAL_FORVALTNING, "2418", None),
        ("Malå kommun – socialtjänsten", K.KOMMUNAL_FORVALTNING, "2418", None),
        ("Malå kommun – skolan", K.KOMMUNAL_FORVALTNING, "2418", None),
        ("Malå kommun – fritidsgården", K.KOMMUNAL_FORVALTNING, "2418", None),
        ("Polisen, LPO Skellefteå", K.POLIS, "2482", "LPO Skellefteå"),
        ("Malå räddningstjänst", K.RADDNINGSTJANST, "2418", None),
        ("Hälsocentralen i Malå, Region Västerbotten", K.REGION, "2418", None),
        ("Malå församling", K.KYRKA, "2418", None),
        ("Företagare i Malå", K.NARINGSLIV, "2418", None),
    ),
    people=(
        DemoPerson(
            "Karin Lindqvist",
            "karin.lindqvist@mala.example.org",
            Role.SAMORDNARE,
            "Malå kommun – kommunledningen",
        ),
        DemoPerson(
            "Erik Holmgren", "erik.holmgren@polisen.example.org", Role.POLIS, "Polisen, LPO Skellefteå"
        ),
        DemoPerson("Sofia Berg", "sofia.berg@mala.example.org", Role.LEDAMOT, "Malå kommun – socialtjänsten"),
        DemoPerson("Johan Nyström", "johan.nystrom@mala.example.org", Role.LEDAMOT, "Malå kommun – skolan"),
        DemoPerson("Lina Åberg", "lina.aberg@mala.example.org", Role.LEDAMOT, "Malå kommun – fritidsgården"),
        DemoPerson("Per Öhman", "per.ohman@mala.example.org", Role.LASARE, "Malå kommun – kommunledningen"),
    ),
    notices=(
        DemoNotice(
            "karin.lindqvist@mala.example.org",
            "Nästa REK-möte",
            "Vi ses på polisstationen i början av nästa kvartal. Ta med er bild av läget i er verksamhet.",
            Level.INTERN,
        ),
        DemoNotice(
            "erik.holmgren@polisen.example.org",
            "Underrättelse inför kvartalsmötet",
            "Ökad narkotikaförsäljning kring busstationen kvällstid enligt polisens underrättelser. "
            "Detaljer redovisas muntligt på mötet.",
            Level.BEGRANSAD,
        ),
        DemoNotice(
            "karin.lindqvist@mala.example.org",
            "Medborgarenkäten är ute",
            "Årets medborgarenkät om trygghet i Malå är öppen under hela månaden.",
            Level.OPPEN,
        ),
    ),
)

ALVSBYN = DemoCollaboration(
    name="Älvsbyns kommun och LPO Piteå älvdal",
    description=(
        "Strategiskt arbete i folkhälsorådet och operativt arbete i brottsförebyggande rådet, som möts "
        "före och efter folkhälsorådet. Fokus på barn och unga."
    ),
    kommuner=("2560",),
    police_areas=("LPO Piteå älvdal",),
    organisations=(
        ("Älvsbyns kommun – kommunledningen", K.KOMMUNAL_FORVALTNING, "2560", None),
        ("Älvsbyns kommun – socialtjänsten", K.KOMMUNAL_FORVALTNING, "2560", None),
        ("Älvsbyns kommun – barn och utbildning", K.KOMMUNAL_FORVALTNING, "2560", None),
        ("Polisen, LPO Piteå älvdal", K.POLIS, "2581", "LPO Piteå älvdal"),
        ("Region Norrbotten, närsjukvården i Älvsbyn", K.REGION, "2560", None),
        ("Företagarföreningen i Älvsbyn", K.NARINGSLIV, "2560", None),
        ("Föreningsrådet i Älvsbyn", K.FORENING, "2560", None),
    ),
    people=(
        DemoPerson(
            "Maria Sundberg",
            "maria.sundberg@alvsbyn.example.org",
            Role.SAMORDNARE,
            "Älvsbyns kommun – kommunledningen",
        ),
        DemoPerson("Anders Lund", "anders.lund@polisen.example.org", Role.POLIS, "Polisen, LPO Piteå älvdal"),
        DemoPerson(
            "Helena Forsberg",
            "helena.forsberg@alvsbyn.example.org",
            Role.LEDAMOT,
            "Region Norrbotten, närsjukvården i Älvsbyn",
        ),
        DemoPerson(
            "Oskar Vikström",
            "oskar.vikstrom@alvsbyn.example.org",
            Role.LEDAMOT,
            "Företagarföreningen i Älvsbyn",
        ),
        DemoPerson(
            "Gunnel Strand",
            "gunnel.strand@alvsbyn.example.org",
            Role.LASARE,
            "Älvsbyns kommun – kommunledningen",
        ),
    ),
    notices=(
        DemoNotice(
            "maria.sundberg@alvsbyn.example.org",
            "Folkhälsorådet samlas på torsdag",
            "Första mötet under den nya överenskommelsen. Vi går igenom underlaget för lägesbilden.",
            Level.INTERN,
        ),
    ),
)

ALVDALEN = DemoCollaboration(
    name="Älvdalens kommun och LPO Mora",
    description="Arbetsgruppen BRÅ i Älvdalen. Lägesbilden samlas in varje månad enligt länsstyrelsens mall.",
    kommuner=("2039",),
    police_areas=("LPO Mora",),
    organisations=(
        ("Älvdalens kommun – kommunledningen", K.KOMMUNAL_FORVALTNING, "2039", None),
        ("Älvdalens kommun – skola och fritid", K.KOMMUNAL_FORVALTNING, "2039", None),
        ("Älvdalens kommun – individ- och familjeomsorgen", K.KOMMUNAL_FORVALTNING, "2039", None),
        ("Polisen, LPO Mora", K.POLIS, "2062", "LPO Mora"),
        ("Räddningstjänsten i Älvdalen", K.RADDNINGSTJANST, "2039", None),
        ("Älvdalens bostadsbolag", K.BOSTADSBOLAG, "2039", None),
    ),
    people=(
        DemoPerson(
            "Ingrid Mattsson",
            "ingrid.mattsson@alvdalen.example.org",
            Role.SAMORDNARE,
            "Älvdalens kommun – kommunledningen",
        ),
        DemoPerson("Nils Hedin", "nils.hedin@polisen.example.org", Role.POLIS, "Polisen, LPO Mora"),
        DemoPerson(
            "Tove Eriksson",
            "tove.eriksson@alvdalen.example.org",
            Role.LEDAMOT,
            "Älvdalens kommun – skola och fritid",
        ),
        DemoPerson("Björn Ek", "bjorn.ek@alvdalen.example.org", Role.LEDAMOT, "Älvdalens bostadsbolag"),
        DemoPerson(
            "Eva Larsson",
            "eva.larsson@alvdalen.example.org",
            Role.LASARE,
            "Älvdalens kommun – kommunledningen",
        ),
    ),
    notices=(
        DemoNotice(
            "nils.hedin@polisen.example.org",
            "Klotter med gängsymboler vid skolan",
            "Polisen har noterat nya klottertaggar som kan kopplas till en kriminell grupp. Följs upp.",
            Level.BEGRANSAD,
        ),
    ),
)

NETWORK = DemoCollaboration(
    name="Inlandsnätverket: Malå, Norsjö, Sorsele, Arvidsjaur och Arjeplog",
    description=(
        "Fem mindre inlandskommuner i två län har en gemensam överenskommelse med polisen för trygga "
        "uppväxtvillkor i glesbygd."
    ),
    kommuner=("2418", "2417", "2422", "2505", "2506"),
    police_areas=("LPO Skellefteå", "LPO Lycksele", "LPO Piteå älvdal"),
    organisations=(
        ("Malå kommun – kommunledningen", K.KOMMUNAL_FORVALTNING, "2418", None),
        ("Norsjö kommun – kommunledningen", K.KOMMUNAL_FORVALTNING, "2417", None),
        ("Sorsele kommun – kommunledningen", K.KOMMUNAL_FORVALTNING, "2422", None),
        ("Arvidsjaurs kommun – kommunledningen", K.KOMMUNAL_FORVALTNING, "2505", None),
        ("Arjeplogs kommun – kommunledningen", K.KOMMUNAL_FORVALTNING, "2506", None),
        ("Polisen, LPO Skellefteå", K.POLIS, "2482", "LPO Skellefteå"),
        ("Polisen, LPO Lycksele", K.POLIS, "2481", "LPO Lycksele"),
        ("Polisen, LPO Piteå älvdal", K.POLIS, "2581", "LPO Piteå älvdal"),
        ("Länsstyrelsen Västerbotten", K.LANSSTYRELSE, None, None),
        ("Länsstyrelsen Norrbotten", K.LANSSTYRELSE, None, None),
    ),
    people=(
        DemoPerson(
            "Karin Lindqvist",
            "karin.lindqvist@mala.example.org",
            Role.SAMORDNARE,
            "Malå kommun – kommunledningen",
        ),
        DemoPerson(
            "Erik Holmgren", "erik.holmgren@polisen.example.org", Role.POLIS, "Polisen, LPO Skellefteå"
        ),
        DemoPerson(
            "Hanna Strömberg",
            "hanna.stromberg@norsjo.example.org",
            Role.LEDAMOT,
            "Norsjö kommun – kommunledningen",
        ),
        DemoPerson(
            "Jenny Wikström",
            "jenny.wikstrom@sorsele.example.org",
            Role.LEDAMOT,
            "Sorsele kommun – kommunledningen",
        ),
        DemoPerson(
            "David Nordin",
            "david.nordin@arvidsjaur.example.org",
            Role.LEDAMOT,
            "Arvidsjaurs kommun – kommunledningen",
        ),
        DemoPerson(
            "Elin Sandberg",
            "elin.sandberg@arjeplog.example.org",
            Role.LEDAMOT,
            "Arjeplogs kommun – kommunledningen",
        ),
        DemoPerson(
            "Ulf Marklund",
            "ulf.marklund@lansstyrelsen.example.org",
            Role.LASARE,
            "Länsstyrelsen Västerbotten",
        ),
    ),
    notices=(
        DemoNotice(
            "karin.lindqvist@mala.example.org",
            "Nätverksträff för samordnarna",
            "Samordnare och kontaktpoliser från alla fem kommuner träffas digitalt för att jämföra lägesbilder.",
            Level.INTERN,
        ),
    ),
)

DEMO_COLLABORATIONS = (MALA, ALVSBYN, ALVDALEN, NETWORK)
ADMIN_EMAIL = "admin@samverkan.example.org"
COUNTY_READER = ("Sara Dahl", "sara.dahl@lansstyrelsen.example.org", "20")  # Länsstyrelsen Dalarna


def base_url(host: str, port: int) -> str:
    """The address the demo serves on, as a browser (and a link in an e-mail) would reach it."""
    if host in ("", "0.0.0.0"):  # noqa: S104 - every interface: this machine answers on its loopback too
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 literal in a URL
    return f"http://{host}:{port}"


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::", "")  # noqa: S104 - names, not a bind


def serve_environment(*, host: str, port: int, debug: bool, environ: Mapping[str, str]) -> dict[str, str]:
    """What the served demo adds to its environment (gunicorn reads its settings afresh).

    Django's debug pages are off unless ``debug`` (``--debug``) or the environment already chose; links
    in e-mails point at ``host``:``port`` unless ``SAMVERKAN_BASE_URL`` is set; a host other than this
    machine's own names is allowed unless ``ALLOWED_HOSTS`` is set.
    """
    changes: dict[str, str] = {}
    if debug:
        changes["SAMVERKAN_DEBUG"] = "true"
    elif "SAMVERKAN_DEBUG" not in environ:
        changes["SAMVERKAN_DEBUG"] = "false"
    if not environ.get("SAMVERKAN_BASE_URL"):
        changes["SAMVERKAN_BASE_URL"] = base_url(host, port)
    if "ALLOWED_HOSTS" not in environ and host not in LOCAL_HOSTS:
        changes["ALLOWED_HOSTS"] = f"127.0.0.1,localhost,{host}"
    return changes


def demo_password() -> str:
    """SAMVERKAN_DEMO_PASSWORD, or one generated once and kept under var/ so re-runs keep it."""
    from_env = os.environ.get("SAMVERKAN_DEMO_PASSWORD")
    if from_env:
        return from_env
    path = Path(settings.VAR_DIR) / "demo_password"
    if path.exists():
        return path.read_text().strip()
    password = "-".join(secrets.token_urlsafe(4) for _ in range(3))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password)
    path.chmod(0o600)
    return password


def _user(email: str, name: str, password_hash: str) -> Any:
    from allauth.account.models import EmailAddress

    first, _sep, last = name.partition(" ")
    user, _ = User.objects.get_or_create(
        email=email, defaults={"username": email.split("@")[0], "first_name": first, "last_name": last}
    )
    if user.password != password_hash:
        user.password = password_hash
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"primary": True, "verified": True})
    return user


def _organisation(name: str, kind: str, kommun: str | None, area: str | None) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        name=name,
        home_kommun_id=kommun,
        defaults={
            "kind": kind,
            "police_area": PoliceArea.objects.filter(namn=area).first() if area else None,
        },
    )
    return org


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo; returns (collaboration, role, e-mail) rows for the login list."""
    load_reference()
    run_reference_loaders()
    password = demo_password()
    # Every demo account shares one hash; hashing is deliberately slow, so it is done at most once.
    existing = User.objects.filter(email=ADMIN_EMAIL).first()
    if existing is not None and check_password(password, existing.password):
        password_hash = existing.password
    else:
        password_hash = make_password(password)
    admin = _user(ADMIN_EMAIL, "Ada Administratör", password_hash)
    if not admin.is_superuser:  # type: ignore[attr-defined]
        User.objects.filter(pk=admin.pk).update(is_superuser=True, is_staff=True)  # type: ignore[attr-defined]
    logins: list[tuple[str, str, str]] = [("–", "superanvändare", ADMIN_EMAIL)]
    samordnare: dict[str, Any] = {}
    for spec in DEMO_COLLABORATIONS:
        collaboration, created = Collaboration.objects.get_or_create(
            name=spec.name, defaults={"description": spec.description}
        )
        if created:
            collaboration.kommuner.set(Kommun.objects.filter(kod__in=spec.kommuner))
            collaboration.police_areas.set(PoliceArea.objects.filter(namn__in=spec.police_areas))
        orgs = {
            name: _organisation(name, kind, kommun, area) for name, kind, kommun, area in spec.organisations
        }
        for org in orgs.values():
            Participation.objects.get_or_create(collaboration=collaboration, organisation=org)
        users = {}
        for person in spec.people:
            user = _user(person.email, person.name, password_hash)
            users[person.email] = user
            Membership.objects.update_or_create(
                user=user,
                collaboration=collaboration,
                defaults={"role": person.role, "organisation": orgs[person.organisation]},
            )
            logins.append((spec.name, str(Role(person.role).label), person.email))
            if person.role == Role.SAMORDNARE:
                samordnare.setdefault(spec.name, user)
        for notice in spec.notices:
            if not Notice.objects.filter(collaboration=collaboration, title=notice.title).exists():
                services.notice_create(
                    collaboration=collaboration,
                    title=notice.title,
                    body=notice.body,
                    level=notice.level,
                    restricted_to=notice.restricted_to,
                    acting_user=users[notice.author],
                )
    # The apps' demo content (agreements, lägesbild, statistics …) builds on the collaborations above.
    run_demo_loaders(DemoContext(admin=admin, samordnare=samordnare))
    name, email, lan = COUNTY_READER
    reader = _user(email, name, password_hash)
    CountyReader.objects.get_or_create(user=reader, lan_id=lan)
    logins.append(("Dalarnas län", "regional läsare", email))
    return logins
