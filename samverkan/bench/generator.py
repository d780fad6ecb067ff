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

Lägesbild (``generate_situation``, called by ``generate``): every collaboration answers the shipped
six-area template in monthly rounds (5 years at national scale, counted back from the current month so
the latest round is open), ``reporters`` organisations asked per round, each with a report holding
status and trend for every area and a free text in some; and ``events`` händelser per collaboration
with points around the kommun's centre at mixed levels. At national scale that is ≈261,000 reports,
≈3.2 million answers and ≈1 million events, so these rows skip the ORM: raw ``executemany`` in big
batches (``COPY`` on PostgreSQL) with ids assigned here.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from samverkan.core.bench import BENCH_TAG, bench_collaborations
from samverkan.core.dbstats import analyze_tables
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
from samverkan.indicators.bulk import indexes_built_after

User = get_user_model()
K = Organisation.Kind

DEFAULT_SEED = 20240601
BATCH_SIZE = 2000
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
    months: int = 60  # lägesbild: monthly rounds per collaboration
    reporters: int = 15  # organisations asked (and reporting) per round
    events: int = 3_450  # händelser per collaboration (≈1 million at 290)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


NATIONAL = Scale()
SMALL = Scale(kommuner=5, organisations=5, users=8, notices=6, months=6, reporters=4, events=40)
MAX_YEARS = 10


def with_years(scale: Scale, years: int) -> Scale:
    """``scale`` with ``years`` of monthly rounds, and events for that span at ``scale``'s rate per month.

    Events are spread over the rounds' span, so a longer history holds more of them, as a real one would;
    at the national rate (3,450 over 60 months) that is 690 events a year per collaboration.
    """
    if not 1 <= years <= MAX_YEARS:
        raise ValueError(f"years must be between 1 and {MAX_YEARS}, not {years}.")
    months = 12 * years
    events = round(scale.events * months / scale.months) if scale.months else scale.events
    return replace(scale, months=months, events=events)


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
    """True when the database holds exactly the bench rows of ``scale`` (lägesbild rows included)."""
    return bench_counts() == expected_counts(scale) and situation_counts() == expected_situation_counts(scale)


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
        **{f"situation_{name}": count for name, count in situation_totals().items()},
    }


def analyze() -> None:
    """Refresh the planner statistics after the bulk load, on both databases.

    In production autovacuum (PostgreSQL) or the imports and the nightly task (``core.dbstats``, both
    databases) do this; without it the bench would time plans made for empty tables.
    """
    analyze_tables()


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
        **generate_situation(scale, collaborations, seed=seed),
    }


# --- Lägesbild: rounds, reports, answers and events (raw bulk inserts) ---------------------------

RAW_BATCH = 20_000
ROUND_DEADLINE_DAYS = 5
STATUS_CODES = ("gron", "gul", "orange", "rod")
SITUATION_TEXTS = (
    "Fler händelser kvällstid än förra månaden, främst i centrum.",
    "Lugnt. Inget nytt att rapportera.",
    "Personalen har märkt oro bland unga vid busstationen.",
    "Signaler om narkotikaförsäljning som vi följer upp tillsammans med polisen.",
    "Skadegörelsen har minskat sedan belysningen byttes.",
    "Vi har fått frågor från boende om buskörning på helgerna.",
    "Ett par hotfulla samtal till handläggare efter beslut; rutinerna ses över.",
    "Klotter med symboler har sanerats.",
)
EVENT_DESCRIPTIONS = (
    "Skadegörelse på en busskur.",
    "Stök och höga ljud sent på natten.",
    "Inbrott i ett förråd.",
    "Brand i en papperskorg.",
    "Buskörning i centrum.",
    "Bråk mellan några ungdomar.",
    "Misstänkt narkotikaförsäljning.",
    "Klistermärken med propaganda.",
    "Hotfullt samtal till en handläggare.",
    "Langning av alkohol misstänks.",
)
EVENT_PLACE_NAMES = (
    "Centrum",
    "Busstationen",
    "Skolan",
    "Fritidsgården",
    "Torget",
    "Idrottsplatsen",
    "Badplatsen",
)


def situation_months(months: int, today: dt.date | None = None) -> list[dt.date]:
    """First days of the ``months`` months ending with the current one (oldest first)."""
    today = today or dt.date.today()
    index = today.year * 12 + today.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def _reporter_count(scale: Scale) -> int:
    return min(scale.reporters, sum(1 for i in range(scale.organisations) if participates(i)))


def expected_situation_counts(scale: Scale) -> dict[str, int]:
    rounds = scale.kommuner * scale.months
    return {
        "rounds": rounds,
        "reports": rounds * _reporter_count(scale),
        "events": scale.kommuner * scale.events,
    }


def situation_counts() -> dict[str, int]:
    """Lägesbild rows of the bench collaborations, comparable with ``expected_situation_counts``."""
    from samverkan.situation.models import Event, Report, Round

    collaborations = bench_collaborations()
    return {
        "rounds": Round.objects.filter(collaboration__in=collaborations).count(),
        "reports": Report.objects.filter(collaboration__in=collaborations).count(),
        "events": Event.objects.filter(collaboration__in=collaborations).count(),
    }


def situation_totals() -> dict[str, int]:
    from samverkan.situation.models import Answer, Event, Report, Round

    return {
        "rounds": Round.objects.count(),
        "reports": Report.objects.count(),
        "answers": Answer.objects.count(),
        "events": Event.objects.count(),
    }


class _RawTable:
    """INSERT rows of ``model`` given as tuples in ``attnames`` order, bypassing the ORM.

    Concrete fields not named get their default (so a later nullable or defaulted column does not
    break the generator). SQLite: ``executemany`` in batches; PostgreSQL: ``COPY … FROM STDIN``.
    """

    def __init__(self, model: Any, attnames: tuple[str, ...]) -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [name for name in attnames if name not in fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no field {unknown}.")
        extra = [f for name, f in fields.items() if name not in attnames and not f.primary_key]
        self.extra_values = tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra)
        self.table = model._meta.db_table
        columns = [fields[name].column for name in attnames] + [f.column for f in extra]
        quote = connection.ops.quote_name
        self.columns = ", ".join(quote(c) for c in columns)
        self.placeholders = ", ".join(["%s"] * len(columns))
        self.rows = 0

    def insert(self, rows: Any) -> None:
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row + self.extra_values if self.extra_values else row)
            if len(batch) >= RAW_BATCH:
                self._write(batch)
                batch = []
        if batch:
            self._write(batch)

    def _write(self, batch: list[tuple[Any, ...]]) -> None:
        self.rows += len(batch)
        table = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({self.columns}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {table} ({self.columns}) VALUES ({self.placeholders})",  # noqa: S608
                    batch,
                )


def _next_id(model: Any) -> int:
    from django.db.models import Max

    return int(model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _db_time() -> Any:
    """Converter from naive UTC datetimes to what the database driver expects."""
    if connection.vendor == "postgresql":
        return lambda value: value.replace(tzinfo=dt.UTC)
    return lambda value: value.isoformat(" ")


def _db_date() -> Any:
    if connection.vendor == "postgresql":
        return lambda value: value
    return lambda value: value.isoformat()


def generate_situation(
    scale: Scale,
    collaborations: list[Collaboration],
    *,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Lägesbild rows for the bench ``collaborations``; returns the number of rows created per kind.

    On SQLite with a 256 MB page cache while loading, given back afterwards: the same connection then
    measures the scenarios, and a bench that generated its data must not measure with a bigger cache
    than one that reused it (``--keep``)."""
    if connection.vendor != "sqlite":
        return _generate_situation(scale, collaborations, seed=seed, today=today)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        return _generate_situation(scale, collaborations, seed=seed, today=today)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _generate_situation(
    scale: Scale,
    collaborations: list[Collaboration],
    *,
    seed: int,
    today: dt.date | None,
) -> dict[str, int]:
    from django.core.management.color import no_style

    from samverkan.situation.defaults import ensure_default_template, ensure_event_categories
    from samverkan.situation.models import Answer, Event, EventCategory, Question, Report, Round

    if not collaborations or scale.months <= 0:
        return {"rounds": 0, "reports": 0, "answers": 0, "events": 0}
    rng = random.Random(seed + 4)  # noqa: S311 - synthetic data, not security
    rand = rng.random
    template = ensure_default_template()
    ensure_event_categories()
    sections = list(template.sections.order_by("order"))
    question = {(q.section_id, q.kind): q.pk for q in Question.objects.filter(section__template=template)}
    area_questions = [
        (
            question[(s.pk, Question.Kind.STATUS)],
            question[(s.pk, Question.Kind.TREND)],
            question.get((s.pk, Question.Kind.TEXT)),
        )
        for s in sections
    ]
    categories = list(
        EventCategory.objects.filter(collaboration__isnull=True, active=True).values_list("pk", flat=True)
    )
    month_starts = situation_months(scale.months, today)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    ts, day = _db_time(), _db_date()
    police_roles = "polis,samordnare"

    ids = [c.pk for c in collaborations]
    kommun_of = dict(
        Collaboration.kommuner.through.objects.filter(collaboration_id__in=ids).values_list(
            "collaboration_id", "kommun_id"
        )
    )
    centre = {
        k.kod: (k.centroid_lat or 62.0, k.centroid_lon or 15.0)
        for k in Kommun.objects.filter(kod__in=kommun_of.values())
    }
    parties: dict[int, list[tuple[int, str]]] = {}
    for collaboration_id, org_id, kind in (
        Participation.objects.filter(collaboration_id__in=ids)
        .order_by("collaboration_id", "organisation_id")
        .values_list("collaboration_id", "organisation_id", "organisation__kind")
    ):
        parties.setdefault(collaboration_id, []).append((org_id, kind))
    writer_of: dict[tuple[int, int], int] = {}
    samordnare: dict[int, int] = {}
    police_user: dict[int, int] = {}
    writers: dict[int, list[tuple[int | None, int | None]]] = {}
    for collaboration_id, user_id, role, org_id in (
        Membership.objects.filter(collaboration_id__in=ids)
        .exclude(role=Role.LASARE)
        .order_by("user__username")
        .values_list("collaboration_id", "user_id", "role", "organisation_id")
    ):
        writers.setdefault(collaboration_id, []).append((user_id, org_id))
        if role == Role.SAMORDNARE:
            samordnare.setdefault(collaboration_id, user_id)
        if role == Role.POLIS:
            police_user.setdefault(collaboration_id, user_id)
        if org_id is not None:
            writer_of.setdefault((collaboration_id, org_id), user_id)

    rounds_table = _RawTable(
        Round,
        ("id", "collaboration_id", "template_id", "period", "period_start", "period_end", "deadline",
         "closed_at", "reminder_sent_at", "deadline_reminder_sent_at", "created_by_id", "created_at"),
    )  # fmt: skip
    asked_table = _RawTable(Round.organisations.through, ("round_id", "organisation_id"))
    reports_table = _RawTable(
        Report,
        ("id", "collaboration_id", "round_id", "organisation_id", "status", "submitted_at", "submitted_by_id",
         "updated_at", "updated_by_id"),
    )  # fmt: skip
    answers_table = _RawTable(
        Answer,
        ("collaboration_id", "level", "restricted_to", "report_id", "question_id", "status", "trend", "text",
         "number", "places"),
    )  # fmt: skip
    events_table = _RawTable(
        Event,
        ("collaboration_id", "level", "restricted_to", "category_id", "occurred_at", "kommun_id", "place_id",
         "place_name", "latitude", "longitude", "description", "organisation_id", "reported_by_id", "source",
         "created_at", "updated_at"),
    )  # fmt: skip
    empty_places = "[]"  # JSON text, as both backends store it
    round_id, report_id = _next_id(Round), _next_id(Report)
    reporter_count = _reporter_count(scale)
    areas = len(sections)
    # New bench tables: their indexes built once after the millions of rows, not kept up row by row.
    with indexes_built_after(Round, Round.organisations.through, Report, Answer, Event, table_is_empty=True):
        for collaboration_id in ids:
            reporters = parties.get(collaboration_id, [])[:reporter_count]
            creator = samordnare.get(collaboration_id)
            base = [[rng.choice((0, 0, 1, 1, 2))] for _ in range(areas)]
            for walk in base:
                for _m in range(1, len(month_starts)):
                    step = rand()
                    walk.append(min(3, max(0, walk[-1] + (1 if step < 0.2 else -1 if step < 0.4 else 0))))
            rounds, asked, reports, answers = [], [], [], []
            previous = [[-1] * areas for _ in reporters]
            for month, start in enumerate(month_starts):
                following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
                end = following - dt.timedelta(days=1)
                deadline = dt.datetime.combine(end + dt.timedelta(days=ROUND_DEADLINE_DAYS), dt.time(21, 59))
                closed = deadline < now
                created = dt.datetime.combine(start, dt.time(4, 0))
                rounds.append(
                    (round_id, collaboration_id, template.pk, Round.Period.MONTH.value, day(start), day(end), ts(deadline),
                     ts(deadline + dt.timedelta(minutes=1)) if closed else None,
                     ts(deadline - dt.timedelta(days=3)) if deadline - dt.timedelta(days=3) < now else None,
                     ts(deadline - dt.timedelta(hours=8)) if closed else None, creator, ts(min(created, now)))
                )  # fmt: skip
                for index, (org_id, kind) in enumerate(reporters):
                    asked.append((round_id, org_id))
                    writer = police_user.get(collaboration_id) if kind == K.POLIS else None
                    writer = writer or writer_of.get((collaboration_id, org_id)) or creator
                    draft = not closed and rand() < 0.5
                    submitted = min(
                        dt.datetime.combine(end, dt.time(7))
                        + dt.timedelta(minutes=int(rand() * 4 * 24 * 60)),
                        now,
                    )
                    reports.append(
                        (report_id, collaboration_id, round_id, org_id, "utkast" if draft else "inskickad",
                         None if draft else ts(submitted), None if draft else writer, ts(submitted), writer)
                    )  # fmt: skip
                    if kind == K.POLIS:
                        level, roles = Level.BEGRANSAD.value, police_roles
                    else:
                        level = Level.OPPEN.value if rand() < 0.15 else Level.INTERN.value
                        roles = police_roles
                    text_area = int(rand() * areas) if rand() < 0.25 else -1
                    last = previous[index]
                    for area, (status_q, trend_q, text_q) in enumerate(area_questions):
                        roll = rand()
                        status = min(
                            3, max(0, base[area][month] + (1 if roll < 0.075 else -1 if roll < 0.15 else 0))
                        )
                        before = last[area]
                        if 0.15 <= roll < 0.19:
                            trend = "vet_ej"
                        elif before < 0 or before == status:
                            trend = "oforandrat"
                        else:
                            trend = "okar" if status > before else "minskar"
                        last[area] = status
                        answers.append(
                            (
                                collaboration_id,
                                level,
                                roles,
                                report_id,
                                status_q,
                                STATUS_CODES[status],
                                "",
                                "",
                                None,
                                empty_places,
                            )
                        )
                        answers.append(
                            (
                                collaboration_id,
                                level,
                                roles,
                                report_id,
                                trend_q,
                                "",
                                trend,
                                "",
                                None,
                                empty_places,
                            )
                        )
                        if area == text_area and text_q is not None:
                            text = rng.choice(SITUATION_TEXTS)
                            answers.append(
                                (
                                    collaboration_id,
                                    level,
                                    roles,
                                    report_id,
                                    text_q,
                                    "",
                                    "",
                                    text,
                                    None,
                                    empty_places,
                                )
                            )
                    report_id += 1
                round_id += 1
            rounds_table.insert(rounds)
            asked_table.insert(asked)
            reports_table.insert(reports)
            answers_table.insert(answers)

        # Events: spread over the whole span, sorted by time per collaboration (appends to the indexes).
        first = dt.datetime.combine(month_starts[0], dt.time(0))
        span = max(1, int((now - first).total_seconds()))
        levels = (Level.BEGRANSAD.value, Level.INTERN.value, Level.INTERN.value, Level.OPPEN.value)
        for collaboration_id in ids:
            kommun = kommun_of.get(collaboration_id)
            if kommun is None:
                continue
            lat0, lon0 = centre[kommun]
            reporters = parties.get(collaboration_id, [])
            candidates = writers.get(collaboration_id) or [(samordnare.get(collaboration_id), None)]
            rows = []
            event_org: int | None
            event_user: int | None
            lat: float | None
            lon: float | None
            for _n in range(scale.events):
                occurred = first + dt.timedelta(seconds=int(rand() * span))
                level = levels[int(rand() * 4)]
                if level == Level.BEGRANSAD:
                    event_org = next((o for o, kind in reporters if kind == K.POLIS), None)
                    event_user = police_user.get(collaboration_id) or candidates[0][0]
                else:
                    event_user, event_org = candidates[int(rand() * len(candidates))]
                if rand() < 0.92:
                    lat, lon = (
                        round(lat0 + (rand() - 0.5) / 50, 5),
                        round(lon0 + (rand() - 0.5) / 50, 5),
                    )
                else:
                    lat = lon = None
                rows.append(
                    (collaboration_id, level, police_roles, categories[int(rand() * len(categories))], occurred, kommun,
                     None, EVENT_PLACE_NAMES[int(rand() * len(EVENT_PLACE_NAMES))], lat, lon,
                     EVENT_DESCRIPTIONS[int(rand() * len(EVENT_DESCRIPTIONS))], event_org, event_user, "medlem")
                )  # fmt: skip
            rows.sort(key=lambda row: row[4])
            events_table.insert((*row[:4], ts(row[4]), *row[5:], ts(row[4]), ts(row[4])) for row in rows)

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Round, Report]):
                cursor.execute(sql)
    return {
        "rounds": rounds_table.rows,
        "reports": reports_table.rows,
        "answers": answers_table.rows,
        "events": events_table.rows,
    }
