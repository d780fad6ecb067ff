"""The plan page, the follow-up sheet, the grid of ratings and the traceability page share what they read
of a plan between readers of one standing until the collaboration changes (actions/selectors/cache.py):
a reader of another role never gets another's rows, a change shows on the next request, begränsad rows
are logged on every view, the queries a page makes do not grow with the plan, and the rows a process
keeps for every thread are never changed by a reader's request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverkan.actions.models import Rating
from samverkan.actions.selectors.cache import cached_for_reader
from samverkan.core.models import Level
from samverkan.indicators.revision import DATA_POINTS, bump_data_revision
from tests.actions.factories_followup import make_action, make_followup, make_indicator, make_plan
from tests.audit import read_entries

TODAY = dt.date.today()


def _plan(world, size: int):
    """A plan in force today with ``size`` actions (every third begränsad for polis and samordnare), an
    indicator and three follow-ups each."""
    plan = make_plan(
        world.a, start_date=TODAY - dt.timedelta(days=400), end_date=TODAY + dt.timedelta(days=365)
    )
    for n in range(size):
        level = Level.BEGRANSAD if n % 3 == 0 else Level.OPPEN
        action = make_action(plan, world.org_a, title=f"Cacheåtgärd {n:02d}", level=level)
        make_indicator(action)
        for k, rating in enumerate((Rating.GRON, Rating.GUL, Rating.ROD)):
            make_followup(action, TODAY - dt.timedelta(days=90 * (3 - k)), rating)
    return plan


def _urls(world, plan) -> dict[str, str]:
    return {
        "plan": reverse("actions:plan_detail", args=[world.a.pk, plan.pk]),
        "sheet": reverse("actions:followup_sheet", args=[world.a.pk]),
        "trace": reverse("actions:trace", args=[world.a.pk, plan.pk]),
        "grid": reverse("actions:followup_grid", args=[world.a.pk, plan.pk]),
    }


def test_a_reader_of_another_role_never_gets_the_rows_cached_for_another(world):
    plan = _plan(world, 4)
    for name, url in _urls(world, plan).items():
        samordnare = world.client("samordnare").get(url).content.decode()
        assert "Cacheåtgärd 00" in samordnare and "Cacheåtgärd 03" in samordnare, name
        # Served from what the samordnare's request cached, the ledamot's page still lacks the begränsad.
        ledamot = world.client("ledamot").get(url).content.decode()
        assert "Cacheåtgärd 01" in ledamot and "Cacheåtgärd 00" not in ledamot, name
        assert "Cacheåtgärd 03" not in ledamot, name
        polis = world.client("polis").get(url).content.decode()
        assert "Cacheåtgärd 00" in polis, name


def _entries_naming(user, action) -> int:
    return sum(
        str(action.pk) in changes.get("read", {}).get("actions.action", [])
        for changes in read_entries(user).values_list("changes", flat=True)
    )


def test_a_change_shows_on_the_next_request_and_begransad_rows_are_logged_every_time(world):
    plan = _plan(world, 3)
    samordnare = world.users["samordnare"]
    client = world.client("samordnare")
    hidden = plan.actions.get(title="Cacheåtgärd 00")
    for name, url in _urls(world, plan).items():
        client.get(url)
        before = _entries_naming(samordnare, hidden)
        client.get(url)  # from the cache: the begränsad action is logged again
        assert _entries_naming(samordnare, hidden) == before + 1, name
    # A write through the models raises the collaboration's revision: every page shows it next time.
    hidden.title = "Omdöpt cacheåtgärd"
    hidden.save(update_fields=["title"])
    for name, url in _urls(world, plan).items():
        assert "Omdöpt cacheåtgärd" in client.get(url).content.decode(), name
    rated = plan.actions.get(title="Cacheåtgärd 01")
    field = f"id_a{rated.pk}-rating_2"  # grön, the third choice
    assert (
        f'aria-describedby="{field}_def" required' in client.get(_urls(world, plan)["sheet"]).content.decode()
    )
    make_followup(rated, TODAY, Rating.GRON)
    assert (
        f'aria-describedby="{field}_def" checked' in client.get(_urls(world, plan)["sheet"]).content.decode()
    )


@pytest.mark.parametrize("page", ["plan", "sheet", "trace", "grid"])
def test_a_page_s_queries_do_not_grow_with_the_plan(world, page):
    """Counted cold (the first request after a change: nothing cached) and warm, for a plan of 3 and
    of 12 actions."""
    client = world.client("samordnare")
    counts = {}
    for size in (3, 12):
        plan = _plan(world, size)
        url = _urls(world, plan)[page]
        client.get(url)  # the session and the database epoch, made on a first request
        plan.save(update_fields=["title"])  # raise the revision: the next request reads afresh
        with CaptureQueriesContext(connection) as cold:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert client.get(url).status_code == 200
        counts[size] = (len(cold.captured_queries), len(warm.captured_queries))
        plan.actions.all().delete()
        plan.delete()
    assert counts[3] == counts[12], counts
    cold, warm = counts[12]
    assert warm < cold <= 30, counts


def test_the_rows_kept_in_the_process_are_not_changed_by_a_reader(world):
    """The sheet's rows are kept as objects that every thread of the process reads: whether a reader may
    rate a row, and the suggestion made for them, go on new rows, never on the kept ones."""
    from samverkan.actions.selectors.cache import LOCAL
    from samverkan.actions.selectors.sheet import SheetRow, sheet_page

    _plan(world, 3)
    page = sheet_page(world.users["samordnare"], world.a, TODAY)
    assert page.rows and all(row.can_edit for row in page.rows)
    kept = [
        row
        for _expiry, value in LOCAL._entries.values()
        if isinstance(value, tuple)
        for row in (value[0] if isinstance(value[0], list) else [])
        if isinstance(row, SheetRow)
    ]
    assert kept and not any(row.can_edit for row in kept)
    assert not {id(row) for row in kept} & {id(row) for row in page.rows}
    again = sheet_page(world.users["samordnare"], world.a, TODAY)  # from the kept rows
    assert all(row.can_edit for row in again.rows) and not any(row.can_edit for row in kept)


def test_the_trace_page_shows_the_statistics_of_the_last_import(world):
    """The statistics indicators' latest values are imported data, which the collaboration's revision does
    not count: the kept document is keyed by the data points' revision too, which every import moves on."""
    from samverkan.actions.models import ActionIndicator
    from samverkan.actions.selectors.trace import trace_document
    from samverkan.core.models import Kommun
    from samverkan.indicators.models import DataPoint, Indicator

    plan = make_plan(world.a)
    indicator = Indicator.objects.create(
        code="test.inbrott", name="Inbrott", unit="antal", source="test", period_type="year", is_count=True
    )
    kommun = Kommun.objects.get(kod="2418")
    DataPoint.objects.create(indicator=indicator, kommun=kommun, period_start=dt.date(2024, 1, 1), value=90)
    bump_data_revision(DATA_POINTS)  # as the import that wrote the point does
    action = make_action(plan, world.org_a, title="Mot inbrott")
    make_indicator(action, source=ActionIndicator.Source.STATISTIK, indicator=indicator, kommun=kommun)
    user = world.users["samordnare"]
    assert trace_document(plan, user=user).actions[0].indicators[0].latest_value == 90
    DataPoint.objects.create(indicator=indicator, kommun=kommun, period_start=dt.date(2025, 1, 1), value=40)
    bump_data_revision(DATA_POINTS)
    assert trace_document(plan, user=user).actions[0].indicators[0].latest_value == 40


def test_an_import_that_changes_data_points_is_shown_on_the_next_request(world):
    """The measured values of statistics indicators come from imports, which do not touch the plan: the
    cache is keyed by the data points' revision too, so the next request builds afresh."""
    builds = []

    def build():
        builds.append(1)
        return len(builds)

    reader = world.users["samordnare"]
    assert cached_for_reader("probe", reader, world.a.pk, (), build) == 1
    assert cached_for_reader("probe", reader, world.a.pk, (), build) == 1  # cached
    bump_data_revision(DATA_POINTS)  # what an import that changes data points does
    assert cached_for_reader("probe", reader, world.a.pk, (), build) == 2


def test_the_plan_page_logs_its_begransad_actions_and_counted_indicators_on_every_view(world):
    """The rows come from the cache with the ids of what they show at begränsad (no second read): each view
    logs the same actions and indicators, under the collaboration, and a reader who may not read them logs
    nothing."""
    plan = _plan(world, 3)
    hidden = plan.actions.get(title="Cacheåtgärd 00")
    indicator = hidden.indicators.get()
    url = _urls(world, plan)["plan"]
    samordnare = world.users["samordnare"]
    client = world.client("samordnare")
    for view in (1, 2):  # built, then from the cache
        assert client.get(url).status_code == 200
        entries = list(read_entries(samordnare).filter(collaboration=world.a))
        assert len(entries) == view
        read = entries[-1].changes["read"]
        assert read["actions.action"] == [str(hidden.pk)]
        assert read["actions.actionindicator"] == [str(indicator.pk)]
    ledamot = world.users["ledamot"]
    world.client("ledamot").get(url)
    assert not read_entries(ledamot).exists()


def test_a_cached_page_reads_its_key_in_one_query_and_the_key_follows_every_change(world):
    """The database's epoch, the collaboration's revision and the data points' revision are read together
    (a page served from the cache made three queries of them): the same numbers as each read alone, moved
    by each kind of change, and the epoch made on first use as ``database_epoch`` makes it."""
    from samverkan.actions.selectors.cache import _key_revisions
    from samverkan.core.models import DatabaseEpoch
    from samverkan.core.publication import database_epoch, public_revision, public_revision_bump
    from samverkan.indicators.revision import current_data_revision

    def alone():
        return database_epoch(), public_revision(world.a.pk), current_data_revision(DATA_POINTS)

    before = alone()
    with CaptureQueriesContext(connection) as read:
        assert _key_revisions(world.a.pk) == before
    assert len(read.captured_queries) == 1
    public_revision_bump([world.a.pk])
    bump_data_revision(DATA_POINTS)
    after = _key_revisions(world.a.pk)
    assert after == alone() and after[1] == before[1] + 1 and after[2] > before[2]
    DatabaseEpoch.objects.all().delete()  # a recreated database: a new epoch on first use
    epoch = _key_revisions(world.a.pk)[0]
    assert epoch and epoch != before[0] and epoch == database_epoch()
    unchanged = max(world.a.pk, world.b.pk) + 1000  # no revision row yet: 0, as public_revision says
    assert _key_revisions(unchanged)[1] == public_revision(unchanged) == 0

    builds = []

    def build():
        builds.append(1)
        return len(builds)

    reader = world.users["samordnare"]
    assert cached_for_reader("probe", reader, world.a.pk, (), build, memo=True) == 1
    with CaptureQueriesContext(connection) as hit:
        assert cached_for_reader("probe", reader, world.a.pk, (), build, memo=True) == 1
    assert len(hit.captured_queries) == 1


@pytest.mark.parametrize(
    ("page", "swedish", "english"),
    [
        ("plan", "<td>Pågår</td>", "<td>In progress</td>"),
        ("trace", "<dt>Ansvarig</dt>", "<dt>Responsible</dt>"),
    ],
)
def test_a_rendered_list_is_kept_per_language(world, page, swedish, english):
    """The plan page's actions and the traceability page's document are kept rendered: a reader in
    English after one in Swedish (same standing, same revision) gets them in English, and back."""
    from django.conf import settings

    plan = _plan(world, 2)
    url = _urls(world, plan)[page]
    client = world.client("samordnare")
    first = client.get(url).content.decode()
    assert swedish in first and english not in first
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    in_english = client.get(url).content.decode()
    assert english in in_english and swedish not in in_english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    assert swedish in client.get(url).content.decode()


def test_the_plan_page_names_a_begransad_agreement_only_to_its_readers_and_logs_it_on_every_view(world):
    """The plan's agreement is kept with the page's content per standing: a reader who may not read it is
    never shown its title, and one who may has it logged on every view, from the cache too."""
    from samverkan.agreements.models import Agreement

    agreement = Agreement.objects.create(
        collaboration=world.a,
        title="Hemlig överenskommelse",
        start_date=TODAY - dt.timedelta(days=400),
        end_date=TODAY + dt.timedelta(days=365),
        level=Level.BEGRANSAD,
    )
    plan = _plan(world, 1)
    plan.agreement = agreement
    plan.save(update_fields=["agreement"])
    url = _urls(world, plan)["plan"]
    samordnare = world.users["samordnare"]
    client = world.client("samordnare")
    for view in (1, 2):  # built, then from the cache
        assert "Hemlig överenskommelse" in client.get(url).content.decode()
        entries = list(read_entries(samordnare).filter(collaboration=world.a))
        assert len(entries) == view
        assert entries[-1].changes["read"]["agreements.agreement"] == [str(agreement.pk)]
    assert "Hemlig överenskommelse" not in world.client("ledamot").get(url).content.decode()
