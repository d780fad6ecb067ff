"""Shared fixtures: reference data once per session, and the personas every test speaks of.

Personas (style.md): samordnare, polis, ledamot, läsare in collaboration A; an outsider who is
samordnare of collaboration B; anonymous. Each collaboration holds canary notices at every level so
a leak shows up as a canary string in a response.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import validate_django_db

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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` (seconds each) run first, in their own order, the rest after them as collected.
    With ``-n 2 --maxschedchunk 16`` (make test) both workers start on the long tests and end on short ones:
    a long test left for the end kept one worker busy for minutes while the other idled. (Without the small
    chunks xdist hands the first worker all of them in its first batch: the same wait, at the end again.)"""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    global _db_blocker
    with django_db_blocker.unblock():
        load_reference()
    _db_blocker = django_db_blocker


@pytest.fixture
def reference_reloaded(transactional_db: None) -> None:
    """For a transactional test (``usefixtures``): such tests flush every table afterwards, the session's
    reference data included, so each loads it again."""
    load_reference()


@pytest.fixture(scope="module")
def reference_restored_after_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Put the reference data back for the tests that run after a transactional module on the same worker."""
    yield
    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the rolled-back database of an earlier test may have had the
    same ids and public revisions (the portal's page cache keys) with other content."""
    from django.core.cache import cache

    from samverkan.actions.selectors.cache import LOCAL as ACTION_PAGES
    from samverkan.situation.selectors.picture.cache import LOCAL

    cache.clear()
    # The joint picture's per-process memo too: the committed world's rounds keep their ids and creation
    # times from test to test, and a rolled-back import's ids come round again on SQLite, so a picture or
    # statistics memo of an earlier test would be keyed as this test's.
    LOCAL.clear()
    ACTION_PAGES.clear()  # the action plan's pages, for the same reason


@pytest.fixture(autouse=True)
def _swedish():
    """Each test starts in Swedish, the default: a test that activates English must not leave it on for
    the tests that run after it in the same process."""
    from django.utils import translation

    translation.activate("sv")
    yield
    translation.deactivate()


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
    situation: dict[str, Any]
    cycle: dict[str, Any]

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client


PERSONAS = ("samordnare", "polis", "ledamot", "lasare", "outsider", "anonymous")


@pytest.fixture
def world(db) -> World:
    """The personas' world. Most of the suite's tests ask for it, so it is built once per worker and
    committed (``pytest_runtest_setup`` below), and each test gets its own copy of the Python objects
    while the test runs in its own rolled-back transaction: every test meets the same pristine rows.
    Where no committed world is there (a transactional test, the worker's first test), it is built here."""
    if _committed is not None:
        return copy.deepcopy(_committed.world)
    return _built_world()


def _built_world() -> World:
    """Built with its public-revision bumps put off to the end (one per collaboration instead of two
    queries per row)."""
    from samverkan.core.publication import bumps_deferred

    with bumps_deferred():
        return _build_world()


# --- the committed world ---------------------------------------------------------------------------
#
# An ordinary test that asks for ``world`` finds it committed before its transaction opens; any other
# test that touches the database finds the database as if no world had been built: the committed world
# is deleted first (its rows by primary key, recorded when it was built) and built again on the next
# test that wants it. Tests are grouped by file, so this happens rarely. A transactional test flushes
# every table afterwards, so each test checks (one query) that the committed world is still there.

_db_blocker: Any = None  # set once the session's test database is ready (``django_db_setup``)


@dataclass
class _CommittedWorld:
    world: World
    rows: dict[str, tuple[str, list[Any]]]  # table → (primary key column, the world's primary keys)


_committed: _CommittedWorld | None = None

_DB_FIXTURES = frozenset(
    {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
)
_TRANSACTIONAL_FIXTURES = frozenset(
    {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture (``db`` opens the test's transaction in one): commit the world for an ordinary
    test that asks for it, take it away for every other test that uses the database."""
    if _db_blocker is None:  # the worker's first database test: the world fixture builds its own
        return
    names = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    transactional = bool(names & _TRANSACTIONAL_FIXTURES) or bool(
        marker is not None and validate_django_db(marker)[0]  # (transaction, reset_sequences, …)
    )
    uses_db = marker is not None or bool(names & _DB_FIXTURES)
    if not uses_db:
        return
    with _db_blocker.unblock():
        _forget_committed_world_if_flushed()
        if "world" in names and not transactional:
            if _committed is None:
                _commit_world()
        elif _committed is not None:
            _delete_committed_world()


def _forget_committed_world_if_flushed() -> None:
    global _committed
    if _committed is not None and not Collaboration.objects.filter(pk=_committed.world.a.pk).exists():
        _committed = None


def _commit_world() -> None:
    """Build the world in a transaction of its own, as the old per-test fixture did (Swedish, fast
    password hashing, an empty cache), and record every row it made."""
    global _committed
    from django.core.cache import cache
    from django.db import transaction
    from django.test import override_settings
    from django.utils import translation

    before = _max_primary_keys()
    with (
        transaction.atomic(),
        translation.override("sv"),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        cache.clear()
        world = _built_world()
        rows = _rows_since(before)
    cache.clear()
    _committed = _CommittedWorld(world=world, rows=rows)


def _delete_committed_world() -> None:
    """Delete the committed world's rows (the foreign keys are checked at commit, so in any order)."""
    global _committed
    from django.core.cache import cache
    from django.db import connection, transaction

    assert _committed is not None
    with transaction.atomic(), connection.cursor() as cursor:
        qn = connection.ops.quote_name
        for table, (pk_column, pks) in _committed.rows.items():
            for start in range(0, len(pks), 500):
                chunk = pks[start : start + 500]
                cursor.execute(
                    f"DELETE FROM {qn(table)} WHERE {qn(pk_column)} IN ({', '.join(['%s'] * len(chunk))})",
                    chunk,
                )
    _committed = None
    cache.clear()


def _tables() -> list[tuple[str, Any]]:
    """Every table the models own (many-to-many tables included), with its primary-key field."""
    from django.apps import apps

    tables: dict[str, Any] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            tables.setdefault(meta.db_table, meta.pk)
    return sorted(tables.items())


def _max_primary_keys() -> dict[str, tuple[bool, Any, int]]:
    """Per table: whether its primary key is an integer, the largest one, and its row count."""
    from django.db import connection
    from django.db.models import AutoField, BigAutoField, SmallAutoField

    qn = connection.ops.quote_name
    result: dict[str, tuple[bool, Any, int]] = {}
    with connection.cursor() as cursor:
        for table, pk in _tables():
            integer = isinstance(pk, AutoField | BigAutoField | SmallAutoField)
            select = f"MAX({qn(pk.column)})" if integer else "NULL"
            cursor.execute(f"SELECT {select}, COUNT(*) FROM {qn(table)}")
            top, count = cursor.fetchone()
            result[table] = (integer, top, count)
    return result


def _rows_since(before: dict[str, tuple[bool, Any, int]]) -> dict[str, tuple[str, list[Any]]]:
    """The rows added since ``before``, per table. Building the world must add rows only, with integer
    keys: a row it changed or keyed otherwise could not be taken away by key, so that fails here."""
    from django.db import connection

    qn = connection.ops.quote_name
    after = _max_primary_keys()
    rows: dict[str, tuple[str, list[Any]]] = {}
    with connection.cursor() as cursor:
        for table, pk in _tables():
            integer, top, count_before = before[table]
            count_after = after[table][2]
            if count_after == count_before:
                continue
            assert integer, f"the test world adds rows to {table}, whose primary key is not an integer"
            cursor.execute(
                f"SELECT {qn(pk.column)} FROM {qn(table)} WHERE {qn(pk.column)} > %s",
                [top if top is not None else -(2**62)],
            )
            pks = [row[0] for row in cursor.fetchall()]
            assert len(pks) == count_after - count_before, f"the test world changed rows of {table}"
            rows[table] = (pk.column, pks)
    return rows


def _build_world() -> World:
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
    situation = _situation_content(a, b, org_a, org_b, users)
    cycle = _cycle_content(a, b, org_a, org_b, agreements, situation, users)
    return World(
        a=a,
        b=b,
        users=users,
        notices=notices,
        org_a=org_a,
        org_b=org_b,
        agreements=agreements,
        situation=situation,
        cycle=cycle,
    )


@pytest.fixture
def samordnare2(world: World) -> Any:
    """A second samordnare of collaboration A (persona "samordnare2"), editing at the same time as the
    first: the edit-conflict tests' other writer."""
    user = UserFactory(username="samordnare2", email="samordnare2@example.org")
    MembershipFactory(user=user, collaboration=world.a, role=Role.SAMORDNARE, organisation=world.org_a)
    world.users["samordnare2"] = user
    return user


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


def _situation_content(
    a: Collaboration, b: Collaboration, org_a: Any, org_b: Any, users: dict[str, Any]
) -> dict[str, Any]:
    """Per collaboration: an open monthly round with org's report (answers at every level), events at
    every level, a joint picture with a begränsad summary and an agreed version with items at every level.
    Rows are made directly so the fixture does not depend on the services under test."""
    import datetime as dt

    from django.utils import timezone

    from samverkan.situation.defaults import ensure_default_template, ensure_event_categories
    from samverkan.situation.models import (
        Answer,
        AreaSummary,
        Event,
        EventCategory,
        JointPicture,
        PictureItem,
        PictureVersion,
        Place,
        Question,
        Report,
        Round,
    )

    template = ensure_default_template()
    ensure_event_categories()
    category = EventCategory.objects.filter(collaboration=None, area_code="vald").first()
    section = template.sections.get(area_code="vald")
    status_q = section.questions.get(kind=Question.Kind.STATUS)
    text_q = section.questions.get(kind=Question.Kind.TEXT)
    places_q = section.questions.get(kind=Question.Kind.PLACES)
    rows: dict[str, Any] = {"template": template}
    for tag, c, org, kommun, author in (
        ("A", a, org_a, "2418", users["samordnare"]),
        ("B", b, org_b, "2039", users["outsider"]),
    ):
        round_ = Round.objects.create(
            collaboration=c,
            template=template,
            period=Round.Period.MONTH,
            period_start=dt.date(2026, 10, 1),
            period_end=dt.date(2026, 10, 31),
            deadline=timezone.now() + dt.timedelta(days=30),
        )
        round_.organisations.set([org])
        report = Report.objects.create(collaboration=c, round=round_, organisation=org)
        Answer.objects.create(
            collaboration=c, report=report, question=status_q, status="gul", level=Level.INTERN
        )
        Answer.objects.create(
            collaboration=c,
            report=report,
            question=text_q,
            text=f"KANARIE-{tag}-BEGRANSAD svar",
            level=Level.BEGRANSAD,
        )
        Answer.objects.create(
            collaboration=c,
            report=report,
            question=places_q,
            text=f"KANARIE-{tag}-INTERN platser",
            places=[{"name": f"KANARIE-{tag}-INTERN torget"}],
            level=Level.INTERN,
        )
        place = Place.objects.create(collaboration=c, kommun_id=kommun, name=f"Torget {tag}")
        events = {}
        for level in (Level.OPPEN, Level.INTERN, Level.BEGRANSAD):
            events[level] = Event.objects.create(
                collaboration=c,
                level=level,
                category=category,
                occurred_at=timezone.make_aware(dt.datetime(2026, 10, 12, 22, 30)),
                kommun_id=kommun,
                place=place,
                place_name=place.name,
                description=f"KANARIE-{tag}-{level.name} händelse",
                organisation=org,
                reported_by=author,
            )
        picture = JointPicture.objects.create(collaboration=c, round=round_)
        AreaSummary.objects.create(
            collaboration=c,
            picture=picture,
            section=section,
            text=f"KANARIE-{tag}-BEGRANSAD sammanfattning",
            level=Level.BEGRANSAD,
        )
        version = PictureVersion.objects.create(
            collaboration=c, picture=picture, number=1, meeting_date=dt.date(2026, 11, 10), meeting="REK"
        )
        for level in (Level.OPPEN, Level.INTERN, Level.BEGRANSAD):
            PictureItem.objects.create(
                collaboration=c,
                version=version,
                level=level,
                kind=PictureItem.Kind.TEXT,
                section_order=section.order,
                section_title=section.title,
                area_code=section.area_code,
                organisation_name=org.name,
                question_text=text_q.text,
                text=f"KANARIE-{tag}-{level.name} fastställd",
            )
        rows[tag] = {
            "round": round_,
            "report": report,
            "events": events,
            "place": place,
            "picture": picture,
            "version": version,
        }
    return rows


def _cycle_content(
    a: Collaboration,
    b: Collaboration,
    org_a: Any,
    org_b: Any,
    agreements: dict[str, Any],
    situation: dict[str, Any],
    users: dict[str, Any],
) -> dict[str, Any]:
    """Steps 3–6 per collaboration: problems, causes, a plan with actions, indicators, follow-ups, values
    and work orders, one of each at every level, each carrying the level's canary. Made directly."""
    import datetime as dt

    from samverkan.actions.models import (
        Action,
        ActionIndicator,
        ActionPlan,
        FollowUp,
        IndicatorValue,
        PlanVersion,
        PlanVersionItem,
        Rating,
        WorkOrder,
    )
    from samverkan.analysis.models import Cause, CauseAnalysis, Evidence, Problem

    rows: dict[str, Any] = {}
    for tag, c, org, author in (("A", a, org_a, users["samordnare"]), ("B", b, org_b, users["outsider"])):
        plan = ActionPlan.objects.create(
            collaboration=c,
            agreement=agreements[tag]["agreement"],
            title=f"KANARIE-{tag}-OPPEN åtgärdsplan",
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2026, 12, 31),
            level=Level.OPPEN,
        )
        version = PlanVersion.objects.create(
            collaboration=c, plan=plan, number=1, decided_on=dt.date(2024, 2, 1), decided_by="REK-gruppen"
        )
        per_level: dict[str, dict[str, Any]] = {}
        for number, level in enumerate((Level.OPPEN, Level.INTERN, Level.BEGRANSAD), start=1):
            canary = f"KANARIE-{tag}-{level.name}"
            problem = Problem.objects.create(
                collaboration=c,
                level=level,
                title=f"{canary} problem",
                description=f"{canary} vad",
                area_code="vald",
                picture_version=situation[tag]["version"],
                origin=Problem.Origin.CELL,
                score_frequency=2,
            )
            Evidence.objects.create(
                collaboration=c,
                level=level,
                problem=problem,
                kind=Evidence.Kind.OVRIGT,
                label=f"{canary} underlag",
            )
            CauseAnalysis.objects.create(
                collaboration=c, level=level, problem=problem, hypothesis=f"{canary} hypotes"
            )
            cause = Cause.objects.create(
                collaboration=c,
                level=level,
                problem=problem,
                bone=Cause.Bone.PLATS,
                text=f"{canary} orsak",
            )
            action = Action.objects.create(
                collaboration=c,
                level=level,
                plan=plan,
                number=number,
                title=f"{canary} åtgärd",
                responsible=org,
                start_date=dt.date(2024, 3, 1),
                end_date=dt.date(2026, 6, 30),
            )
            action.causes.add(cause)
            action.problems.add(problem)
            indicator = ActionIndicator.objects.create(
                collaboration=c,
                level=level,
                action=action,
                name=f"{canary} indikator",
                baseline=10,
                target=5,
                direction=ActionIndicator.Direction.MINSKA,
            )
            followup = FollowUp.objects.create(
                collaboration=c,
                level=level,
                action=action,
                followed_up_on=dt.date(2026, 3, 10),
                done=f"{canary} gjort",
                rating=Rating.GUL,
            )
            IndicatorValue.objects.create(
                collaboration=c,
                level=level,
                followup=followup,
                indicator=indicator,
                value=8,
                note=f"{canary} värde",
            )
            work_order = WorkOrder.objects.create(
                collaboration=c,
                level=level,
                action=action,
                organisation=org,
                title=f"{canary} uppdrag",
                due_on=dt.date(2026, 12, 20),
            )
            PlanVersionItem.objects.create(
                collaboration=c,
                level=level,
                version=version,
                kind=PlanVersionItem.Kind.ATGARD,
                source_id=action.pk,
                data={"title": f"{canary} fastställd åtgärd"},
            )
            per_level[level] = {
                "problem": problem,
                "cause": cause,
                "action": action,
                "indicator": indicator,
                "followup": followup,
                "work_order": work_order,
            }
        rows[tag] = {"plan": plan, "version": version, "levels": per_level}
        rows[tag]["meeting"] = _meeting_content(tag, c, agreements[tag]["group"], author)
    return rows


def _meeting_content(tag: str, c: Collaboration, group: Any, author: Any) -> dict[str, Any]:
    """A meeting of the group (öppen: when and where) with attendance, and per level an agenda item, a
    decision and an amendment carrying the level's canary; the minutes justerade. Made directly."""
    import datetime as dt

    from samverkan.meetings.models import AgendaItem, Amendment, Attendance, Decision, Meeting, Minutes

    start = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
    meeting = Meeting.objects.create(
        collaboration=c,
        level=Level.OPPEN,
        group=group,
        title=f"KANARIE-{tag}-OPPEN möte",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="Polisstationen",
    )
    Attendance.objects.create(collaboration=c, meeting=meeting, name=f"KANARIE-{tag}-OPPEN deltagare")
    minutes = Minutes.objects.create(meeting=meeting, status=Minutes.Status.JUSTERAT)
    items: dict[str, Any] = {}
    for number, level in enumerate((Level.OPPEN, Level.INTERN, Level.BEGRANSAD), start=1):
        canary = f"KANARIE-{tag}-{level.name}"
        item = AgendaItem.objects.create(
            collaboration=c,
            level=level,
            meeting=meeting,
            order=number,
            title=f"{canary} punkt",
            notes=f"{canary} anteckning",
        )
        decision = Decision.objects.create(
            collaboration=c,
            level=level,
            meeting=meeting,
            item=item,
            group=group,
            year=2026,
            number=number,
            text=f"{canary} beslut",
        )
        Amendment.objects.create(
            collaboration=c,
            level=level,
            minutes=minutes,
            item=item,
            text=f"{canary} rättelse",
            made_by=author,
        )
        items[level] = {"item": item, "decision": decision}
    return {"meeting": meeting, "minutes": minutes, "levels": items}
