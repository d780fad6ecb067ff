"""Synthetic data at national scale for the benchmark (``samverkan bench``).

One collaboration per kommun, each with its organisations (aktörer, mixed kinds, ``home_kommun``
set; every tenth organisation is *not* a party, so the "add existing organisation" list has
candidates), its members (2 samordnare, 2 polis, 30 ledamöter, the rest läsare at 40 users), its
notices at mixed levels and an audit log of the creations. Rows are written with ``bulk_create``
in one transaction; one password hash is computed and shared by every user.

Everything is derived from a seeded ``random.Random`` walked in a fixed order (kommuner by kod),
so the same scale and seed give the same rows. Bench rows are recognisable (collaboration names
end with ``BENCH_TAG``, e-mail addresses end with ``BENCH_EMAIL_DOMAIN``), so the bench can tell
whether a database is already filled at a scale, and can run on top of other data (tests).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import QuerySet

from samverkan.core.models import (
    AuditEntry,
    Collaboration,
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

User = get_user_model()
K = Organisation.Kind

DEFAULT_SEED = 20240601
BATCH_SIZE = 2000
BENCH_TAG = " (bench)"
BENCH_EMAIL_DOMAIN = "bench.samverkan.invalid"
# Not a secret: the shared password of synthetic users in a throwaway database.
BENCH_PASSWORD = "bench-losenord-ej-hemligt"  # noqa: S105
BASE_DATE = dt.date(2025, 6, 1)  # fixed, so "deltar sedan" dates are deterministic too


@dataclass(frozen=True)
class Scale:
    """How much to generate: kommuner (one collaboration each) and rows per kommun/collaboration."""

    kommuner: int = 290
    organisations: int = 20
    users: int = 40
    notices: int = 30

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


NATIONAL = Scale()
SMALL = Scale(kommuner=5, organisations=5, users=8, notices=6)


# --- Deterministic plan ----------------------------------------------------------------------

FIRST_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kerstin", "Ingrid", "Malin",
    "Johanna", "Linnea", "Elin", "Sofia", "Ida", "Hanna", "Amira", "Fatima", "Aino", "Saga",
    "Lars", "Mikael", "Johan", "Per", "Erik", "Anders", "Karl", "Peter", "Jan", "Thomas",
    "Daniel", "Fredrik", "Hassan", "Ali", "Oskar", "Nils", "Mattias", "Jonas", "Björn", "Niklas",
)  # fmt: skip
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Lindberg",
    "Jakobsson", "Magnusson", "Lindström", "Lindqvist", "Olofsson", "Lundgren", "Berg", "Axelsson",
    "Bergström", "Lundberg", "Lind", "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg",
    "Henriksson", "Forsberg", "Sjöberg", "Ali", "Mohammed", "Wallin", "Engström", "Eklund",
)  # fmt: skip

# (kind, name template): {k} is the kommun's name, {o} its official name ("Malå kommun"). The
# first is the kommun (the samordnare's organisation), the second the police; kinds alternate so
# that even a small scale mixes them.
ORGANISATION_TEMPLATES: tuple[tuple[str, str], ...] = (
    (K.KOMMUNAL_FORVALTNING, "{o} – kommunledningsförvaltningen"),
    (K.POLIS, "Polisen – lokalpolisområde {k}"),
    (K.RADDNINGSTJANST, "Räddningstjänsten {k}"),
    (K.BOSTADSBOLAG, "{k} bostäder AB"),
    (K.FORENING, "Nattvandrarna i {k}"),
    (K.KOMMUNAL_FORVALTNING, "{o} – socialförvaltningen"),
    (K.REGION, "Vårdcentralen {k}"),
    (K.KOMMUNAL_FORVALTNING, "{o} – utbildningsförvaltningen"),
    (K.KYRKA, "{k} församling"),
    (K.NARINGSLIV, "Företagarna {k}"),
    (K.FORENING, "{k} IF"),
    (K.KOMMUNAL_FORVALTNING, "{o} – kultur- och fritidsförvaltningen"),
    (K.BOSTADSBOLAG, "Hyresgästföreningen {k}"),
    (K.KOMMUNAL_FORVALTNING, "{o} – samhällsbyggnadsförvaltningen"),
    (K.LANSSTYRELSE, "Länsstyrelsen – kontor i {k}"),
    (K.NARINGSLIV, "Centrumföreningen {k}"),
    (K.FORENING, "Brottsofferjouren {k}"),
    (K.ANNAN, "Trygghetsvärdarna {k}"),
    (K.FORENING, "Fritidsgården {k}"),
    (K.REGION, "Ungdomsmottagningen {k}"),
)

NOTICE_SUBJECTS = (
    "Skadegörelse vid skolan", "Trygghetsvandring", "Oro i centrum", "Inbrott i förråd",
    "Ungdomar samlas vid stationen", "Nedskräpning i parken", "Belysning saknas på gångvägen",
    "Möte med fastighetsägare", "Lägesbild inför sommaren", "Narkotikaförsäljning misstänks",
    "Bilbränder", "Klotter på idrottshallen", "Medborgardialog", "Polisens veckorapport",
)  # fmt: skip
NOTICE_SENTENCES = (
    "Flera boende har hört av sig under veckan.",
    "Polisen har ökat närvaron kvällstid.",
    "Fastighetsägaren ser över belysningen.",
    "Fritidsgården håller öppet längre på fredagar.",
    "Frågan tas upp på nästa samverkansmöte.",
    "Räddningstjänsten har rapporterat två mindre bränder.",
    "Skolan har informerat vårdnadshavare.",
    "Vi behöver fler vuxna ute under helgerna.",
    "Händelserna är koncentrerade till området kring torget.",
    "Uppföljning sker om fyra veckor.",
)
LEVEL_WEIGHTS = ((Level.OPPEN, 3), (Level.INTERN, 5), (Level.BEGRANSAD, 2))


def role_plan(users: int) -> list[str]:
    """Roles for ``users`` members: 2 samordnare, 2 polis, 6 läsare and 30 ledamöter at 40."""
    samordnare = max(1, users // 20)
    polis = max(1, users // 20) if users > 1 else 0
    lasare = max(1, users * 6 // 40) if users >= 4 else 0
    ledamot = max(0, users - samordnare - polis - lasare)
    counts = (
        (Role.SAMORDNARE, samordnare),
        (Role.POLIS, polis),
        (Role.LEDAMOT, ledamot),
        (Role.LASARE, lasare),
    )
    return [role.value for role, count in counts for _ in range(count)]


def participates(index: int) -> bool:
    """Every tenth organisation of a kommun is not (yet) a party to its collaboration."""
    return index % 10 != 9


def expected_counts(scale: Scale) -> dict[str, int]:
    participating = sum(1 for i in range(scale.organisations) if participates(i))
    return {
        "collaborations": scale.kommuner,
        "organisations": scale.kommuner * scale.organisations,
        "participations": scale.kommuner * participating,
        "users": scale.kommuner * scale.users,
        "memberships": scale.kommuner * scale.users,
        "notices": scale.kommuner * scale.notices,
    }


def choose_kommuner(count: int) -> list[Kommun]:
    """``count`` kommuner spread evenly over the country (all 290 at national scale), by kod."""
    every = list(Kommun.objects.select_related("lan").order_by("kod"))
    if count > len(every):
        raise ValueError(f"The reference data has {len(every)} kommuner, not {count}.")
    if count <= 0:
        raise ValueError("At least one kommun is needed.")
    return [every[i * len(every) // count] for i in range(count)]


def collaboration_name(kommun: Kommun) -> str:
    return f"Brottsförebyggande samverkan {kommun.namn}{BENCH_TAG}"


def _police_area_for(kommun_kod: str, areas: dict[str, list[PoliceArea]]) -> PoliceArea | None:
    candidates = areas.get(kommun_kod, [])
    lpos = [a for a in candidates if a.kind == PoliceArea.Kind.LOKALPOLISOMRADE]
    chosen = lpos or candidates
    return chosen[0] if chosen else None


def _police_areas_by_kommun() -> dict[str, list[PoliceArea]]:
    result: dict[str, list[PoliceArea]] = {}
    through = PoliceArea.kommuner.through.objects.select_related("policearea").order_by("policearea__namn")
    for row in through:
        result.setdefault(row.kommun_id, []).append(row.policearea)  # type: ignore[attr-defined]
    return result


def _notice_text(rng: random.Random) -> tuple[str, str]:
    title = f"{rng.choice(NOTICE_SUBJECTS)} – vecka {rng.randint(1, 52)}"
    body = " ".join(rng.sample(NOTICE_SENTENCES, k=rng.randint(2, 5)))
    return title, body


# --- Writing ---------------------------------------------------------------------------------


def bench_collaborations() -> QuerySet[Collaboration]:
    return Collaboration.objects.filter(name__endswith=BENCH_TAG)


def bench_counts() -> dict[str, int]:
    """Counts of bench rows (by tag), comparable with ``expected_counts``."""
    collaborations = bench_collaborations()
    kommun_ids = Collaboration.kommuner.through.objects.filter(collaboration__in=collaborations).values(
        "kommun_id"
    )
    return {
        "collaborations": collaborations.count(),
        "organisations": Organisation.objects.filter(home_kommun__in=kommun_ids).count(),
        "participations": Participation.objects.filter(collaboration__in=collaborations).count(),
        "users": User.objects.filter(email__endswith="@" + BENCH_EMAIL_DOMAIN).count(),
        "memberships": Membership.objects.filter(collaboration__in=collaborations).count(),
        "notices": Notice.objects.filter(collaboration__in=collaborations).count(),
    }


def is_filled(scale: Scale) -> bool:
    """True when the database holds exactly the bench rows of ``scale``."""
    return bench_counts() == expected_counts(scale)


def has_bench_data() -> bool:
    return (
        bench_collaborations().exists()
        or User.objects.filter(email__endswith="@" + BENCH_EMAIL_DOMAIN).exists()
    )


def database_counts() -> dict[str, int]:
    """Totals in the database (the scale the bench ran at), for the report."""
    return {
        "kommuner": Kommun.objects.count(),
        "collaborations": Collaboration.objects.count(),
        "organisations": Organisation.objects.count(),
        "participations": Participation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "notices": Notice.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
    }


def analyze() -> None:
    """Refresh the planner statistics on PostgreSQL after the bulk load.

    In production autovacuum does this within a minute of a large change; without it the first
    minutes of the bench would time plans made for empty tables. SQLite has no automatic ANALYZE,
    so it is left as a production database would be.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _bulk(model: Any, rows: list[Any]) -> list[Any]:
    return model.objects.bulk_create(rows, batch_size=BATCH_SIZE)  # type: ignore[no-any-return]


@transaction.atomic
def generate(scale: Scale = NATIONAL, *, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Fill the database with ``scale`` bench rows; returns the number of rows created per kind.

    Expects no bench rows yet (check with ``has_bench_data``); other rows are left alone.
    """
    from allauth.account.models import EmailAddress

    load_reference()
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    kommuner = choose_kommuner(scale.kommuner)
    areas = _police_areas_by_kommun()
    password = make_password(BENCH_PASSWORD)
    roles = role_plan(scale.users)

    # Organisations, per kommun in template order.
    organisations: list[Organisation] = []
    for kommun in kommuner:
        used: set[str] = set()
        for index in range(scale.organisations):
            kind, template = ORGANISATION_TEMPLATES[index % len(ORGANISATION_TEMPLATES)]
            name = template.format(k=kommun.namn, o=kommun.officiellt_namn)
            if index >= len(ORGANISATION_TEMPLATES) or name in used:
                name = f"{name} {index // len(ORGANISATION_TEMPLATES) + 1}"
            used.add(name)
            organisations.append(
                Organisation(
                    name=name[:200],
                    kind=kind,
                    home_kommun=kommun,
                    police_area=_police_area_for(kommun.kod, areas) if kind == K.POLIS else None,
                    org_number=f"{rng.choice('2578')}{rng.randint(10000, 99999)}-{rng.randint(1000, 9999)}",
                )
            )
    organisations = _bulk(Organisation, organisations)

    collaborations = _bulk(
        Collaboration,
        [
            Collaboration(
                name=collaboration_name(kommun),
                description=(
                    f"Lokal samverkan mellan {kommun.namn} kommun och polisen. "
                    "Syntetiska data för prestandamätning."
                ),
            )
            for kommun in kommuner
        ],
    )
    _bulk(
        Collaboration.kommuner.through,
        [
            Collaboration.kommuner.through(collaboration=c, kommun=k)
            for c, k in zip(collaborations, kommuner, strict=True)
        ],
    )
    police_links = []
    for collaboration, kommun in zip(collaborations, kommuner, strict=True):
        area = _police_area_for(kommun.kod, areas)
        if area is not None:
            police_links.append(
                Collaboration.police_areas.through(collaboration=collaboration, policearea=area)
            )
    _bulk(Collaboration.police_areas.through, police_links)

    # Participations.
    participations: list[Participation] = []
    parties: list[list[Organisation]] = []
    for k_index, collaboration in enumerate(collaborations):
        own = organisations[k_index * scale.organisations : (k_index + 1) * scale.organisations]
        party = [org for index, org in enumerate(own) if participates(index)]
        parties.append(party)
        participations.extend(
            Participation(
                collaboration=collaboration,
                organisation=org,
                since=BASE_DATE - dt.timedelta(days=rng.randint(0, 5 * 365)),
            )
            for org in party
        )
    _bulk(Participation, participations)

    # Users, their e-mail addresses and memberships.
    users: list[Any] = []
    member_roles: list[str] = []
    for kommun in kommuner:
        for index, role in enumerate(roles):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            username = f"bench-{kommun.kod}-{index:03d}"
            users.append(
                User(
                    username=username,
                    email=f"{username}@{BENCH_EMAIL_DOMAIN}",
                    first_name=first,
                    last_name=last,
                    password=password,
                )
            )
            member_roles.append(role)
    users = _bulk(User, users)
    _bulk(EmailAddress, [EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users])

    memberships: list[Membership] = []
    writers: list[list[Any]] = []
    for k_index, collaboration in enumerate(collaborations):
        party = parties[k_index]
        own_users = users[k_index * scale.users : (k_index + 1) * scale.users]
        own_roles = member_roles[k_index * scale.users : (k_index + 1) * scale.users]
        writers.append([u for u, r in zip(own_users, own_roles, strict=True) if r != Role.LASARE])
        for user, role in zip(own_users, own_roles, strict=True):
            if role == Role.SAMORDNARE:
                org: Organisation | None = party[0] if party else None
            elif role == Role.POLIS:
                org = next((o for o in party if o.kind == K.POLIS), None)
            else:
                org = rng.choice(party) if party and rng.random() < 0.9 else None
            memberships.append(
                Membership(user=user, collaboration=collaboration, role=role, organisation=org)
            )
    memberships = _bulk(Membership, memberships)

    # Notices at mixed levels; some begränsad notices are for the police only.
    levels = [level for level, _w in LEVEL_WEIGHTS]
    weights = [w for _l, w in LEVEL_WEIGHTS]
    notices: list[Notice] = []
    for k_index, collaboration in enumerate(collaborations):
        for _n in range(scale.notices):
            level = rng.choices(levels, weights)[0]
            title, body = _notice_text(rng)
            restricted = "polis" if level == Level.BEGRANSAD and rng.random() < 0.25 else "polis,samordnare"
            author = rng.choice(writers[k_index]) if writers[k_index] else None
            notices.append(
                Notice(
                    collaboration=collaboration,
                    title=title,
                    body=body,
                    level=level,
                    restricted_to=restricted,
                    author=author,
                )
            )
    notices = _bulk(Notice, notices)

    # The audit log a collaboration would have: every membership and notice created.
    samordnare_of = {m.collaboration_id: m.user for m in reversed(memberships) if m.role == Role.SAMORDNARE}
    entries: list[AuditEntry] = []
    for m in memberships:
        entries.append(
            AuditEntry(
                collaboration_id=m.collaboration_id,
                actor=samordnare_of.get(m.collaboration_id),
                action=AuditEntry.Action.CREATE,
                target_type="core.membership",
                target_id=str(m.pk),
                target_repr=f"{m.user.email} ({m.get_role_display()})"[:200],
                changes={"role": [None, m.role]},
            )
        )
    for n in notices:
        is_restricted = n.level == Level.BEGRANSAD
        entries.append(
            AuditEntry(
                collaboration_id=n.collaboration_id,
                actor=n.author,
                action=AuditEntry.Action.CREATE,
                target_type="core.notice",
                target_id=str(n.pk),
                target_repr=f"meddelande #{n.pk}" if is_restricted else n.title,
                changes={"level": [None, n.level]}
                if is_restricted
                else {"level": [None, n.level], "title": [None, n.title]},
            )
        )
    entries = _bulk(AuditEntry, entries)

    return {
        "collaborations": len(collaborations),
        "organisations": len(organisations),
        "participations": len(participations),
        "users": len(users),
        "memberships": len(memberships),
        "notices": len(notices),
        "audit_entries": len(entries),
    }
