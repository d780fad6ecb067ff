"""The action plan to and from Excel: the export's shape and confidentiality, the import's rules and its
bad input (each: a Swedish message naming sheet, row and column, nothing written)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from samverkan.actions.excel import build_csv, build_workbook
from samverkan.actions.models import Action, FollowUp, Rating
from samverkan.actions.selectors.excel import plan_sheet
from samverkan.actions.services.plan_import import plan_import, preview_plan_file
from samverkan.actions.sheet_format import ACTION_COLUMNS, MAX_ROWS
from samverkan.core.models import Level
from samverkan.indicators.limits import ImportFileError
from samverkan.indicators.tables import TableImportError
from tests.indicators.test_upload_limits import deflate_bomb

pytestmark = pytest.mark.django_db


def _plan(world: Any) -> Any:
    return world.cycle["A"]["plan"]


def _export(world: Any, persona: str = "samordnare") -> bytes:
    return build_workbook(plan_sheet(_plan(world), user=world.users[persona]))


def _texts(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row
    )


def _import(world: Any, content: bytes, name: str = "plan.xlsx", **kwargs: Any) -> Any:
    return plan_import(
        plan=_plan(world), source=content, file_name=name, acting_user=world.users["samordnare"], **kwargs
    )


def _counts() -> tuple[int, int]:
    return Action.objects.count(), FollowUp.objects.count()


# --- export ------------------------------------------------------------------------------------------


def test_the_export_is_built_for_excel(world):
    book = load_workbook(io.BytesIO(_export(world)))
    assert book.sheetnames == ["Åtgärder", "Uppföljningar", "Indikatorer", "Om filen"]
    actions = book["Åtgärder"]
    assert [c.value for c in actions[1]] == [str(c.heading) for c in ACTION_COLUMNS]
    assert actions.freeze_panes == "A2" and actions.auto_filter.ref.startswith("A1:")
    ids = [row[0] for row in actions.iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == sorted(a.pk for a in Action.objects.filter(plan=_plan(world)))
    followups = book["Uppföljningar"]
    rating = next(c for c in followups[2] if c.value == "Gul")
    assert rating.fill.start_color.rgb.endswith("FFEB9C")  # colour, and the word: never colour alone
    validations = followups.data_validations.dataValidation
    assert any(v.formula1 == '"Röd,Gul,Grön"' for v in validations)


def test_the_export_holds_only_what_the_reader_may_read(world):
    for persona, allowed in (
        ("samordnare", {"OPPEN", "INTERN", "BEGRANSAD"}),
        ("lasare", {"OPPEN", "INTERN"}),
    ):
        text = _texts(_export(world, persona))
        for level in ("OPPEN", "INTERN", "BEGRANSAD"):
            assert (f"KANARIE-A-{level}" in text) == (level in allowed), (persona, level)
        assert "KANARIE-B" not in text


def test_a_formula_is_written_as_text_and_read_back_as_written(world):
    action = world.cycle["A"]["levels"][Level.OPPEN]["action"]
    Action.objects.filter(pk=action.pk).update(
        title='=HYPERLINK("http://x")', description="+46 är ett prefix"
    )
    content = _export(world)
    sheet = load_workbook(io.BytesIO(content))["Åtgärder"]
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in titles
    assert _import(world, content).changed == 0


def test_the_csv_is_the_actions_sheet(world):
    text = build_csv(plan_sheet(_plan(world), user=world.users["samordnare"])).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("ID;Nr;Åtgärd")
    assert "KANARIE-A-BEGRANSAD åtgärd" in text


# --- import: round trips -----------------------------------------------------------------------------


def test_an_unchanged_export_imports_back_with_no_change(world):
    before = {a.pk: a.version for a in Action.objects.all()}
    result = _import(world, _export(world))
    assert result.changed == 0 and result.unchanged == 3 and result.followups_unchanged == 3
    assert {a.pk: a.version for a in Action.objects.all()} == before


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (libreoffice-calc-nogui) is not installed"
)
def test_saved_by_libreoffice_it_imports_back_with_no_change(world, tmp_path):
    source = tmp_path / "plan.xlsx"
    source.write_bytes(_export(world))
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = (out / "plan.xlsx").read_bytes()
    assert saved != source.read_bytes()
    result = _import(world, saved)
    assert result.changed == 0, result


def test_a_row_with_an_id_updates_and_a_row_without_one_is_new(world):
    content = _export(world)
    book = load_workbook(io.BytesIO(content))
    sheet = book["Åtgärder"]
    sheet.cell(row=2, column=3, value="Ny titel")
    sheet.append(
        [
            None,
            None,
            "Helt ny åtgärd",
            "",
            "",
            "Social",
            "Lång sikt",
            world.org_a.name,
            "",
            "",
            "2026-01-01",
            "2026-06-30",
            "",
            "12,5",
            "1 000",
            "Planerad",
            "Intern",
            "",
            "Före analysen",
        ]
    )
    result = _import(world, _save(book))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    new = Action.objects.get(title="Helt ny åtgärd")
    assert (
        new.planned_hours == Decimal("12.5") and new.planned_cost == 1000 and new.kind == Action.Kind.SOCIAL
    )
    assert new.number == 4
    # Importing the same file again changes nothing more: the new row has no ID, so export first.
    again = _import(world, _export(world))
    assert again.changed == 0


def test_a_restricted_row_changed_in_the_sheet_keeps_its_roles(world):
    action = world.cycle["A"]["levels"][Level.BEGRANSAD]["action"]
    Action.objects.filter(pk=action.pk).update(restricted_to="samordnare")

    def retitle(sheet: Any) -> None:
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == action.pk:
                row[2].value = "Ny titel på den begränsade"

    result = _import(world, _with_actions(world, retitle))
    assert result.updated == 1
    action.refresh_from_db()
    assert (action.title, action.level, action.restricted_to) == (
        "Ny titel på den begränsade",
        Level.BEGRANSAD,
        "samordnare",
    )


def test_a_plain_sheet_is_mapped_and_gets_the_reason_for_a_missing_analysis(world):
    book = Workbook()
    sheet = book.active
    sheet.title = "Vår plan"
    sheet.append(["Vad", "Vem", "Klart"])
    sheet.append(["Trygghetsvandring i centrum", world.org_a.name, "2026-05-31"])
    preview = preview_plan_file(_save(book), "plan.xlsx")
    assert preview.missing == ["Åtgärd", "Ansvarig organisation"] and not preview.is_own_format
    result = _import(
        world,
        _save(book),
        mapping={"title": "Vad", "responsible": "Vem", "end_date": "Klart"},
        default_no_analysis_reason="Fanns i Excel före analysen.",
    )
    assert result.created == 1
    action = Action.objects.get(title="Trygghetsvandring i centrum")
    assert action.no_analysis_reason == "Fanns i Excel före analysen." and action.end_date == dt.date(
        2026, 5, 31
    )


def test_a_follow_up_row_is_added_through_the_follow_up_rules(world):
    action = world.cycle["A"]["levels"][Level.INTERN]["action"]
    book = load_workbook(io.BytesIO(_export(world)))
    book["Uppföljningar"].append(
        [None, action.pk, None, None, "2026-06-10", "REK juni", "Grön", "Klart", "", ""]
    )
    with pytest.raises(TableImportError) as refused:
        _import(world, _save(book))  # gul → grön without a reason
    assert "Uppföljningar" in str(refused.value.errors[0])
    assert FollowUp.objects.filter(action=action).count() == 1
    book["Uppföljningar"].cell(row=book["Uppföljningar"].max_row, column=10, value="Målet nått")
    result = _import(world, _save(book))
    assert result.followups_created == 1
    assert FollowUp.objects.get(action=action, followed_up_on=dt.date(2026, 6, 10)).rating == Rating.GRON


# --- import: bad input --------------------------------------------------------------------------------


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_actions(world: Any, change: Any) -> bytes:
    book = load_workbook(io.BytesIO(_export(world)))
    change(book["Åtgärder"])
    return _save(book)


def _refused(world: Any, content: bytes, name: str = "plan.xlsx") -> list[str]:
    before = _counts()
    with pytest.raises(TableImportError) as refused:
        _import(world, content, name)
    assert _counts() == before
    return [str(e) for e in refused.value.errors]


def test_an_action_without_responsible_organisation_is_refused_by_row_and_column(world):
    errors = _refused(world, _with_actions(world, lambda s: s.cell(row=3, column=8, value="")))
    assert errors == ["Rad 3, kolumn ”Ansvarig organisation”: Bladet ”Åtgärder”: Värdet saknas."]


def test_an_unknown_organisation_is_refused(world):
    errors = _refused(world, _with_actions(world, lambda s: s.cell(row=2, column=8, value="Okänd förening")))
    assert "Okänd förening" in errors[0] and "Ansvarig organisation" in errors[0]


def test_text_in_a_date_cell_and_end_before_start_are_refused(world):
    errors = _refused(world, _with_actions(world, lambda s: s.cell(row=2, column=11, value="nästa vecka")))
    assert "”nästa vecka” är inget datum" in errors[0] and "kolumn ”Start”" in errors[0]

    def end_before_start(sheet: Any) -> None:
        sheet.cell(row=2, column=11, value=dt.datetime(2026, 5, 1))
        sheet.cell(row=2, column=12, value=dt.datetime(2026, 4, 1))

    errors = _refused(world, _with_actions(world, end_before_start))
    assert "Rad 2" in errors[0] and "Slut" in errors[0]


def test_an_id_twice_or_of_another_plan_is_refused(world):
    other = world.cycle["B"]["levels"][Level.OPPEN]["action"]
    errors = _refused(world, _with_actions(world, lambda s: s.cell(row=2, column=1, value=other.pk)))
    assert "ingen åtgärd i den här planen" in errors[0]

    def twice(sheet: Any) -> None:
        sheet.cell(row=3, column=1, value=sheet.cell(row=2, column=1).value)
        sheet.cell(row=3, column=3, value="Annan titel")

    errors = _refused(world, _with_actions(world, twice))
    assert "förekommer på flera rader" in errors[0]


def test_a_cause_of_another_collaboration_is_refused(world):
    cause = world.cycle["B"]["levels"][Level.OPPEN]["cause"]
    errors = _refused(world, _with_actions(world, lambda s: s.cell(row=2, column=18, value=f"{cause.pk}: x")))
    assert "ingen orsak i samverkans orsaksanalyser" in errors[0]


def test_a_foreign_file_names_the_missing_columns(world):
    book = Workbook()
    book.active.append(["Kommun", "År", "Antal"])
    book.active.append(["Malå", 2024, 3])
    with pytest.raises(ImportFileError, match="Filen saknar kolumner för ”Åtgärd”, ”Ansvarig organisation”"):
        _import(world, _save(book))


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04 trasig", "plan.xlsx", "Excel"),
        ("Det här är ett brev, inte ett kalkylblad.".encode(), "plan.xlsx", "Excel"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "plan.xls", ".xls"),
    ],
    ids=["broken", "renamed-text", "old-xls"],
)
def test_a_file_that_is_no_spreadsheet_is_refused(world, content, name, message):
    before = _counts()
    with pytest.raises(ImportFileError, match=message):
        _import(world, content, name)
    assert _counts() == before


def test_merged_cells_are_refused_naming_them(world):
    def merge(sheet: Any) -> None:
        sheet.merge_cells("C2:D2")

    with pytest.raises(ImportFileError, match=r"sammanfogade cellområden.*C2:D2"):
        _import(world, _with_actions(world, merge))


def test_ten_thousand_rows_are_refused(world):
    lines = ["Åtgärd;Ansvarig organisation"] + [f"Åtgärd {n};{world.org_a.name}" for n in range(10_000)]
    before = _counts()
    with pytest.raises(ImportFileError, match=f"högst {MAX_ROWS}|fler än"):
        _import(world, "\n".join(lines).encode(), "plan.csv")
    assert _counts() == before


def test_a_zip_bomb_is_refused_before_it_is_unpacked(world):
    with pytest.raises(ImportFileError):
        _import(world, deflate_bomb(300))


# --- pages and API ------------------------------------------------------------------------------------


def _urls(world: Any) -> dict[str, str]:
    plan = _plan(world)
    return {
        name: reverse(f"actions:{name}", args=[world.a.pk, plan.pk])
        for name in ("plan_xlsx", "plan_csv", "plan_import", "plan_import_confirm")
    }


def test_the_import_pages_preview_then_write(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client = world.client("samordnare")
    urls = _urls(world)
    book = load_workbook(io.BytesIO(client.get(urls["plan_xlsx"]).content))
    book["Åtgärder"].cell(row=2, column=3, value="Ändrad i Excel")
    upload = io.BytesIO(_save(book))
    upload.name = "plan.xlsx"
    preview = client.post(urls["plan_import"], {"file": upload})
    assert preview.status_code == 200 and "Exporterad härifrån" in preview.content.decode()
    form = preview.context["form"]
    data = {f.html_name: f.value() or "" for f in form}
    done = client.post(urls["plan_import_confirm"], data, follow=True)
    assert "1 ändrade åtgärder" in done.content.decode()
    assert Action.objects.filter(title="Ändrad i Excel").exists()
    assert not any(Path(tmp_path, "uploads").glob("[0-9a-f]*"))  # the stored upload is gone


def test_only_the_samordnare_imports(world):
    urls = _urls(world)
    for persona, status in (("ledamot", 403), ("lasare", 403), ("outsider", 404)):
        assert world.client(persona).get(urls["plan_import"]).status_code == status, persona
    assert world.client("lasare").get(urls["plan_xlsx"]).status_code == 200
    assert world.client("outsider").get(urls["plan_xlsx"]).status_code == 404


def test_the_api_gives_the_current_plan_as_xlsx(world):
    from samverkan.core.services import api_token_create

    token = api_token_create(user=world.users["lasare"], name="excel")[1]
    response = world.client("anonymous").get(
        f"/api/v1/collaborations/{world.a.pk}/action-plan.xlsx", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    text = _texts(response.content)
    assert "KANARIE-A-INTERN åtgärd" in text and "KANARIE-A-BEGRANSAD" not in text
    outsider = api_token_create(user=world.users["outsider"], name="excel")[1]
    response = world.client("anonymous").get(
        f"/api/v1/collaborations/{world.a.pk}/action-plan.xlsx", HTTP_AUTHORIZATION=f"Bearer {outsider}"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("cell", ["NaN", "1e2000000", "sNaN", "12abc"])
def test_a_hostile_id_in_the_follow_up_sheet_is_a_row_error(world, cell):
    book = load_workbook(io.BytesIO(_export(world)))
    book["Uppföljningar"].append([None, cell, None, None, "2026-06-10", "", "Grön", "", "", "Skäl"])
    errors = _refused(world, _save(book))
    assert "Ingen åtgärd i planen har det ID:t." in errors[0]
