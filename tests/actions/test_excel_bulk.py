"""The plan's spreadsheet at size: the export and the import of new or changed rows run a fixed number of
queries whatever the number of rows; actions are written together yet each keeps its audit entry, its
number, its links, its version, and the import raises the public pages' revision once; a row at fault, or
an action someone saved meanwhile, writes nothing."""

from __future__ import annotations

import io
from decimal import Decimal
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


# --- changed rows -------------------------------------------------------------------------------------


def _exported(world: Any) -> Any:
    from openpyxl import load_workbook

    plan, reader = world.cycle["A"]["plan"], world.users["samordnare"]
    return load_workbook(io.BytesIO(build_workbook(plan_sheet(plan, user=reader))))


def _saved(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _retitled(world: Any, rows: int, suffix: str) -> bytes:
    """The plan's export with the title of its first ``rows`` actions changed."""
    book = _exported(world)
    for row in list(book["Åtgärder"].iter_rows(min_row=2))[:rows]:
        row[2].value = f"{row[2].value} {suffix}"
    return _saved(book)


def _unbatched(queries: list[dict[str, Any]]) -> list[str]:
    """The queries but the bulk writes, which a database with a parameter limit (SQLite) splits in
    batches of some dozens of rows."""
    batched = ('UPDATE "actions_action" SET', 'INSERT INTO "core_auditentry"')
    return [q["sql"] for q in queries if not q["sql"].startswith(batched)]


def test_changed_rows_are_written_together_in_queries_that_do_not_grow_with_the_sheet(world):
    plan = world.cycle["A"]["plan"]
    _import(world, _sheet(world, 200))
    with CaptureQueriesContext(connection) as twenty:
        assert _import(world, _retitled(world, 20, "ändrad")).updated == 20
    with CaptureQueriesContext(connection) as two_hundred:
        assert _import(world, _retitled(world, 200, "igen")).updated == 200
    # Reads, links, target lines and the bump: the same for 200 changed rows as for 20.
    assert len(_unbatched(two_hundred.captured_queries)) == len(_unbatched(twenty.captured_queries))
    assert len(two_hundred.captured_queries) <= 60
    assert Action.objects.filter(plan=plan, title__endswith="igen").count() == 200


def test_changed_rows_move_their_version_on_and_are_audited_one_entry_each_with_one_bump(world):
    plan = world.cycle["A"]["plan"]
    intern = world.cycle["A"]["levels"][Level.INTERN]["action"]
    restricted = world.cycle["A"]["levels"][Level.BEGRANSAD]["action"]
    versions = dict(Action.objects.filter(plan=plan).values_list("pk", "version"))
    revision = public_revision(plan.collaboration_id)
    entries_before = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).count()
    book = _exported(world)
    for row in book["Åtgärder"].iter_rows(min_row=2):
        if row[0].value in (intern.pk, restricted.pk):
            row[2].value = f"Ny titel {row[0].value}"
    result = _import(world, _saved(book))
    assert (result.updated, result.unchanged) == (2, 1)
    assert public_revision(plan.collaboration_id) == revision + 1
    for action in (intern, restricted):
        action.refresh_from_db()
        assert action.title == f"Ny titel {action.pk}" and action.version == versions[action.pk] + 1
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE)
    assert entries.count() == entries_before + 2
    entry = entries.get(target_type="actions.action", target_id=str(intern.pk))
    assert entry.actor == world.users["samordnare"] and entry.collaboration_id == plan.collaboration_id
    assert entry.changes["title"] == ["KANARIE-A-INTERN åtgärd", f"Ny titel {intern.pk}"]
    assert entry.changes["version"] == [versions[intern.pk], versions[intern.pk] + 1]
    assert set(entry.changes) == {"title", "version"}  # the links did not change, nor did anything else
    hidden = entries.get(target_type="actions.action", target_id=str(restricted.pk))
    assert hidden.changes["title"] == ["(begränsat)", "(begränsat)"]


def test_a_changed_row_gets_the_links_and_the_log_that_action_save_gives_it(world):
    """The bulk path against the row-by-row service it stands in for: the same row, links and log."""
    from django.db import transaction

    from samverkan.actions.services.actions import action_save
    from samverkan.actions.services.actions_bulk import actions_update
    from tests.factories import OrganisationFactory, ParticipationFactory

    plan = world.cycle["A"]["plan"]
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    other_cause = world.cycle["A"]["levels"][Level.OPPEN]["cause"]
    partner = OrganisationFactory(name="Polisen – test")
    ParticipationFactory(collaboration=world.a, organisation=partner)
    arguments = {
        "title": "Samma ändring två vägar",
        "responsible": world.org_a,
        "causes": [other_cause],
        "partners": [partner],
        "status": Action.Status.PAGAR,
        "planned_hours": Decimal("12.5"),
    }

    def outcome(write: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        with transaction.atomic():
            row = Action.objects.get(pk=action.pk)
            write(row)
            row = Action.objects.get(pk=action.pk)
            state = {
                **{f: getattr(row, f) for f in ("title", "status", "planned_hours", "version", "level")},
                "causes": sorted(row.causes.values_list("pk", flat=True)),
                "problems": sorted(row.problems.values_list("pk", flat=True)),
                "partners": sorted(row.partners.values_list("pk", flat=True)),
            }
            log = AuditEntry.objects.filter(target_type="actions.action", target_id=str(action.pk)).latest(
                "id"
            )
            transaction.set_rollback(True)
        return state, log.changes

    user = world.users["samordnare"]
    one = outcome(lambda row: action_save(plan=plan, action=row, acting_user=user, **arguments))
    bulk = outcome(lambda row: actions_update(plan=plan, rows=[(row, arguments)], acting_user=user))
    assert bulk == one
    assert one[0]["problems"] == [other_cause.problem_id] and one[0]["partners"] == [partner.pk]


def test_a_changed_row_at_fault_writes_nothing_and_is_named(world):
    plan = world.cycle["A"]["plan"]
    book = _exported(world)  # logs its begränsad row as read: counted before
    before = (
        sorted(Action.objects.values_list("pk", "title", "version")),
        AuditEntry.objects.count(),
        public_revision(plan.collaboration_id),
    )
    rows = list(book["Åtgärder"].iter_rows(min_row=2))
    rows[0][2].value = "Den här ändringen går inte igenom"
    rows[2][10].value, rows[2][11].value = "2026-05-01", "2026-04-01"  # ends before it starts
    with pytest.raises(TableImportError) as refused:
        _import(world, _saved(book))
    assert "Rad 4" in str(refused.value.errors[0]) and "Slut" in str(refused.value.errors[0])
    after = (
        sorted(Action.objects.values_list("pk", "title", "version")),
        AuditEntry.objects.count(),
        public_revision(plan.collaboration_id),
    )
    assert after == before


def test_an_action_saved_by_someone_else_during_the_import_is_refused_and_nothing_written(world, monkeypatch):
    from django.db.models import F

    from samverkan.actions.services import plan_import as importer

    plan = world.cycle["A"]["plan"]
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    book = _exported(world)
    rows = list(book["Åtgärder"].iter_rows(min_row=2))
    for row in rows:
        row[2].value = f"{row[2].value} ändrad"
    read_followups = importer._read_followups

    def someone_saves_meanwhile(*args: Any, **kwargs: Any) -> Any:
        # After the actions were read and compared, before anything is written.
        Action.objects.filter(pk=action.pk).update(title="Sparad under tiden", version=F("version") + 1)
        return read_followups(*args, **kwargs)

    monkeypatch.setattr(importer, "_read_followups", someone_saves_meanwhile)
    entries = AuditEntry.objects.count()
    with pytest.raises(TableImportError) as refused:
        _import(world, _saved(book))
    assert "Någon ändrade åtgärden under importen" in str(refused.value.errors[0])
    line = next(r[0].row for r in rows if r[0].value == action.pk)
    assert f"Rad {line}" in str(refused.value.errors[0])
    assert not Action.objects.filter(plan=plan, title__endswith="ändrad").exists()
    assert Action.objects.get(pk=action.pk).title == "Sparad under tiden"
    assert AuditEntry.objects.count() == entries


def test_the_follow_ups_sheet_has_a_bound_of_its_own_so_a_large_plan_imports_back(world, monkeypatch):
    """A plan's export holds more follow-ups than actions (200 × 12 = 2,400, where a plan has at most 2,000
    actions): it imports back unchanged; past the follow-ups' own bound the sheet is refused as such."""
    import datetime as dt

    from samverkan.actions.models import Rating
    from samverkan.actions.services import plan_import as importer
    from samverkan.indicators.limits import ImportFileError
    from tests.actions.factories_followup import make_followup

    make_followup(world.cycle["A"]["levels"][Level.OPPEN]["action"], dt.date(2026, 1, 12), Rating.GUL)
    content = _saved(_exported(world))  # three actions, four follow-ups
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    result = _import(world, content)
    assert result.changed == 0 and result.followups_unchanged == 4
    monkeypatch.setattr(importer, "MAX_FOLLOWUP_ROWS", 3)
    with pytest.raises(ImportFileError, match="högst 3 uppföljningar"):
        _import(world, content)


def test_a_reimported_action_keeps_a_problem_linked_directly_as_the_form_keeps_it(world):
    """The sheet has no column for problems: an action's problems stay what they are (those linked in the
    form and those of its causes), as saving the form with the problems it shows keeps them."""
    intern = world.cycle["A"]["levels"][Level.INTERN]
    action, direct = intern["action"], world.cycle["A"]["levels"][Level.OPPEN]["problem"]
    action.problems.add(direct)
    linked = set(action.problems.values_list("pk", flat=True))
    assert direct.pk in linked and direct.pk not in {c.problem_id for c in action.causes.all()}
    book = _exported(world)
    (row,) = [r for r in book["Åtgärder"].iter_rows(min_row=2) if str(r[0].value) == str(action.pk)]
    row[2].value = f"{row[2].value} (ändrad)"
    assert _import(world, _saved(book)).updated == 1
    action.refresh_from_db()
    assert action.title.endswith("(ändrad)")
    assert set(action.problems.values_list("pk", flat=True)) == linked
