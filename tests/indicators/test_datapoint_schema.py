"""The data points' table as migration 0006 left it: no database check of the keys the imports take from the
database (checked per row at commit, ~70,000 lookups for a police archive), none of the redundant indexes."""

from __future__ import annotations

import pytest
from django.db import connection

from samverkan.indicators.models import DataPoint


def _constraints() -> dict[str, dict]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, DataPoint._meta.db_table)


@pytest.mark.django_db
def test_only_the_deso_key_is_checked_by_the_database():
    checked = {c["columns"][0] for c in _constraints().values() if c["foreign_key"]}
    assert checked == {"deso_id"}


@pytest.mark.django_db
def test_no_index_repeats_another_and_each_key_is_still_indexed():
    indexes = [tuple(c["columns"]) for c in _constraints().values() if c["index"] or c["unique"]]
    assert ("kommun_id",) not in indexes  # the (kommun, indicator, period_start) index serves
    assert ("kommun_id", "indicator_id", "period_start") in indexes
    for column in ("indicator_id", "lan_id", "import_run_id", "deso_id"):
        assert any(index[0] == column for index in indexes), column
    # PostgreSQL's LIKE indexes (varchar_pattern_ops) came with the foreign keys' own indexes.
    assert indexes.count(("lan_id",)) == 1


@pytest.mark.django_db
def test_orm_deletes_still_guard_the_unchecked_keys(world):
    from django.db.models import ProtectedError
    from django.utils import timezone

    from samverkan.indicators.models import ImportRun, Indicator

    indicator = Indicator.objects.create(code="test.schema", name="Test", unit="antal")
    run = ImportRun.objects.create(
        kind=ImportRun.Kind.POLICE_EVENTS, file_name="f", sha256="0" * 64, started_at=timezone.now()
    )
    DataPoint.objects.create(
        indicator=indicator, kommun_id="2418", period_start="2024-01-01", value=1, import_run=run
    )
    with pytest.raises(ProtectedError):
        run.delete()
    indicator.delete()  # CASCADE through the ORM
    assert not DataPoint.objects.filter(import_run=run).exists()
