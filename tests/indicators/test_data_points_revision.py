"""The data points' revision: every import that creates, changes or removes data points moves it on, and a
number is never handed out twice (what the statistics beside a joint picture and the action plan's pages are
cached under)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from samverkan.indicators.models import DataPoint, RegisteredCrime
from samverkan.indicators.revision import DATA_POINTS, bump_data_revision, current_data_revision
from samverkan.indicators.services.crime_statistics import crime_indicators_recompute
from samverkan.indicators.services.table_import import import_table
from samverkan.situation.selectors.picture.statistics import statistics_revision
from tests.indicators.test_crime_statistics import KEY, crimes
from tests.indicators.test_table_import import bra
from tests.situation.test_picture_statistics import OCTOBER
from tests.situation.test_picture_statistics import _import as import_police_events

pytestmark = pytest.mark.django_db


class _RolledBack(Exception):
    pass


def test_no_number_before_any_import_and_reading_makes_no_row():
    assert current_data_revision(DATA_POINTS) == 0
    assert statistics_revision() == "0"
    assert current_data_revision(DATA_POINTS) == 0


def test_a_rolled_back_bump_never_gives_the_next_committed_number():
    """On SQLite a rolled-back import's row ids come round again, so ids cannot tell two imports apart; a
    memo made inside the rolled-back transaction must not match what the next import commits."""
    bump_data_revision(DATA_POINTS)
    committed = current_data_revision(DATA_POINTS)
    seen_inside = None
    with pytest.raises(_RolledBack), transaction.atomic():
        bump_data_revision(DATA_POINTS)
        seen_inside = current_data_revision(DATA_POINTS)
        raise _RolledBack
    assert current_data_revision(DATA_POINTS) == committed
    bump_data_revision(DATA_POINTS)
    assert current_data_revision(DATA_POINTS) not in {committed, seen_inside}


def test_a_police_import_moves_the_statistics_revision_on():
    before = statistics_revision()
    import_police_events([(OCTOBER, "Misshandel", 3)])
    after = statistics_revision()
    assert after != before
    import_police_events([(OCTOBER, "Misshandel", 0)])  # nothing new to count: no point changes
    assert statistics_revision() == after


def test_a_table_import_moves_it_on_and_an_unchanged_reimport_does_not():
    import_table(
        data=bra("2062,Mora,2024,Totalt antal anmälda brott,Antal,1700"), file_name="a.csv", format_key="bra"
    )
    after_first = statistics_revision()
    assert after_first != "0"
    import_table(
        data=bra("2062,Mora,2024,Totalt antal anmälda brott,Antal,1700"),
        file_name="a.csv",
        format_key="bra",
        force=True,
    )
    assert statistics_revision() == after_first
    import_table(
        data=bra("2062,Mora,2024,Totalt antal anmälda brott,Antal,1701"), file_name="b.csv", format_key="bra"
    )
    assert statistics_revision() != after_first


def test_a_recount_that_only_removes_points_moves_it_on():
    """The newest point and the newest import stay what they were when points are only removed: a revision
    read off them (as it was) did not change, and the picture kept showing the removed counts."""
    import_table(data=KEY.encode(), file_name="nyckel.csv", format_key="crime_codes")
    import_table(
        data=crimes("LPO Mora,2039,Älvdalen,,,2024,202401,1201,True,3"),
        file_name="a.csv",
        format_key="crime_statistics",
    )
    assert DataPoint.objects.filter(kommun_id="2039", period_start=dt.date(2024, 1, 1)).exists()
    before = statistics_revision()
    RegisteredCrime.objects.filter(kommun_id="2039").delete()
    assert crime_indicators_recompute(kommuner={"2039"}) > 0
    assert not DataPoint.objects.filter(kommun_id="2039", period_start=dt.date(2024, 1, 1)).exists()
    assert statistics_revision() != before
