"""The plan's spreadsheet at size: the export and the import of new rows run a fixed number of queries
whatever the number of rows; new actions are written together yet each keeps its audit entry, its number,
its links, and the import raises the public pages' revision once; a row at fault writes nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from samverkan.actions.excel import build_workbook
from samverkan.actions.models import Action
from samverkan.actions.selectors.excel import plan_sheet
from samverkan.actions.services.plan_import import plan_import
from samverkan.actions.sheet_format import ACTION_COLUMNS
from samverkan.core.models import AuditEntry, Level
from samverkan.core.publication import public_revision
from samverkan.indicators.tables import TableImportError

pytestmark = pytest.mark.django_db

KEYS = ("title", "responsible", "causes", "no_analysis_reason", "level", "start_date", "end_date")


def _sheet(world: Any, rows: int, *, bad_row: int | None = None) -> bytes:
    """``rows`` new actions (no ID), every other one tied to a cause; ``bad_row`` ends before it starts."""
    cause = world.cycle["A"]["levels"][Level.OPPEN]["cause"]
    headings = {c.key: str(c.heading) for c in ACTION_COLUMNS}
    book = Workbook()
    sheet = book.active
    sheet.title = "Åtgärder"
    sheet.append([headings[k] for k in KEYS])
    for n in range(rows):
        end = "2026-01-01" if n == bad_row else "2026-12-31"
        sheet.append(
            [
                f"Ny åtgärd {n}",
                world.org_a.name,
                f"{cause.pk}: {cause.text}" if n % 2 else "",
                "" if n % 2 else "Analysen görs i höst.",
                "Begränsad" if n == 2 else "Intern",
                "2026-02-01",
                end,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import(world: Any, content: bytes) -> Any:
    return plan_import(
        plan=world.cycle["A"]["plan"],
        source=content,
        file_name="plan.xlsx",
        acting_user=world.users["samordnare"],
    )


def test_new_rows_are_written_together_each_audited_numbered_and_linked_with_one_bump(world):
    plan = world.cycle["A"]["plan"]
    cause = world.cycle["A"]["levels"][Level.OPPEN]["cause"]
    last_number = max(Action.objects.filter(plan=plan).values_list("number", flat=True))
    revision = public_revision(plan.collaboration_id)
    small, large = _sheet(world, 4), _sheet(world, 12)
    with CaptureQueriesContext(connection) as four:
        assert _import(world, small).created == 4
    assert public_revision(plan.collaboration_id) == revision + 1  # one bump, not one per row
    with CaptureQueriesContext(connection) as twelve:
        assert _import(world, large).created == 12
    # Bounds that do not grow with the sheet: the same queries for 4 rows as for 12.
    assert len(twelve.captured_queries) <= len(four.captured_queries) <= 60
    created = list(Action.objects.filter(plan=plan, number__gt=last_number).order_by("number"))
    assert [a.number for a in created] == list(range(last_number + 1, last_number + 17))
    assert [a.title for a in created[:4]] == [f"Ny åtgärd {n}" for n in range(4)]
    tied = created[1]
    assert list(tied.causes.all()) == [cause] and list(tied.problems.all()) == [cause.problem]
    assert created[0].no_analysis_reason == "Analysen görs i höst." and not created[0].causes.exists()
    assert created[2].level == Level.BEGRANSAD and created[2].restricted_to  # the default roles
    entries = AuditEntry.objects.filter(
        target_type="actions.action",
        action=AuditEntry.Action.CREATE,
        target_id__in=[str(a.pk) for a in created],
    )
    assert entries.count() == 16
    entry = entries.get(target_id=str(tied.pk))
    assert entry.actor == world.users["samordnare"] and entry.collaboration_id == plan.collaboration_id
    assert entry.changes["title"] == [None, "Ny åtgärd 1"] and entry.changes["causes"] == [None, [cause.pk]]
    assert entry.changes["id"] == [None, tied.pk] and entry.changes["number"][1] == tied.number
    assert entries.get(target_id=str(created[2].pk)).changes["title"] == ["(begränsat)", "(begränsat)"]


def test_a_new_row_at_fault_writes_nothing_and_is_named(world):
    plan = world.cycle["A"]["plan"]
    before = (Action.objects.count(), AuditEntry.objects.count(), public_revision(plan.collaboration_id))
    with pytest.raises(TableImportError) as refused:
        _import(world, _sheet(world, 6, bad_row=4))
    assert "Rad 6" in str(refused.value.errors[0]) and "Slut" in str(refused.value.errors[0])
    after = (Action.objects.count(), AuditEntry.objects.count(), public_revision(plan.collaboration_id))
    assert after == before


def test_the_export_reads_the_plan_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    plan, reader = world.cycle["A"]["plan"], world.users["samordnare"]
    with CaptureQueriesContext(connection) as before:
        build_workbook(plan_sheet(plan, user=reader))
    _import(world, _sheet(world, 10))
    with django_assert_max_num_queries(len(before.captured_queries)):
        data = plan_sheet(plan, user=reader)
        build_workbook(data)
    assert len(data.actions) >= 10 and len(before.captured_queries) <= 12
