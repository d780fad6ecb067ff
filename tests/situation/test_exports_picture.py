"""Joint picture exports, read back: XLSX with openpyxl, PDF with pdftotext (poppler-utils)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.core.exports.xlsx import FORMULA_PREFIXES, safe_cell
from samverkan.situation.models import Question
from tests.situation.factories import question
from tests.situation.test_picture import submit_world_report

BEGRANSAD, INTERN, OPPEN = "KANARIE-A-BEGRANSAD", "KANARIE-A-INTERN", "KANARIE-A-OPPEN"


def _url(world, name, version=False):
    kwargs = {"collaboration_id": world.a.pk, "round_id": world.situation["A"]["round"].pk}
    if version:
        kwargs["version_id"] = world.situation["A"]["version"].pk
    return reverse(f"situation:{name}", kwargs=kwargs)


def xlsx_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode()


def _pdf(client, url) -> bytes:
    response = client.get(url)
    if response.status_code == 503:
        pytest.skip("WeasyPrint/Pango is not installed")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return response.content


@pytest.fixture
def submitted(world):
    submit_world_report(world)
    return world


# --- XLSX -----------------------------------------------------------------------------------------------


def test_live_xlsx_has_the_sheets_with_headers_frozen_panes_and_widths(submitted):
    response = submitted.client("samordnare").get(_url(submitted, "picture_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="lagesbild-manad-2026-10-01-utkast.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["Översikt", "Läge per aktör"]
    assert {"Fritexter", "Händelser", "Händelser per månad", "Sammanfattningar"} <= set(workbook.sheetnames)
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    overview = workbook["Översikt"]
    assert [c.value for c in overview[1]] == ["Område", submitted.org_a.name, "Händelser"]
    assert overview["A3"].value == "Hot och våld"
    assert overview["B3"].value.startswith("Gul, ökar")
    assert overview["C3"].value == 3
    for sheet in workbook:
        assert sheet.freeze_panes == "B2"
        assert sheet.column_dimensions["A"].width > 10
    events = workbook["Händelser"]
    assert events.max_row == 4 and events["A2"].value.year == 2026
    months = workbook["Händelser per månad"]
    assert months.max_row == 13 and months.cell(13, months.max_column).value == 3


@pytest.mark.parametrize(
    ("persona", "entitled"), [("samordnare", True), ("polis", True), ("ledamot", False), ("lasare", False)]
)
def test_live_xlsx_holds_begransad_only_for_entitled_roles(submitted, persona, entitled):
    text = xlsx_text(submitted.client(persona).get(_url(submitted, "picture_xlsx")).content)
    assert INTERN in text
    assert (BEGRANSAD in text) is entitled
    assert "KANARIE-B" not in text


@pytest.mark.parametrize(
    ("persona", "entitled"), [("samordnare", True), ("ledamot", False), ("lasare", False)]
)
def test_version_xlsx_holds_begransad_only_for_entitled_roles(world, persona, entitled):
    text = xlsx_text(world.client(persona).get(_url(world, "picture_version_xlsx", version=True)).content)
    assert "KANARIE-A-INTERN fastställd" in text
    assert ("KANARIE-A-BEGRANSAD fastställd" in text) is entitled


@pytest.mark.parametrize("persona", ["samordnare", "ledamot"])
def test_open_version_xlsx_holds_only_open_parts(world, persona):
    response = world.client(persona).get(_url(world, "picture_version_xlsx", version=True) + "?oppen=1")
    assert "-v1-oppen.xlsx" in response["Content-Disposition"]
    text = xlsx_text(response.content)
    assert "KANARIE-A-OPPEN fastställd" in text
    assert INTERN not in text and BEGRANSAD not in text


def test_xlsx_text_that_looks_like_a_formula_stays_text(world):
    round_ = world.situation["A"]["round"]
    text_q = question(round_, Question.Kind.TEXT, "ordning")
    submit_world_report(world, extra={text_q.pk: {"text": '=HYPERLINK("http://example.org","klicka")'}})
    workbook = load_workbook(io.BytesIO(world.client("ledamot").get(_url(world, "picture_xlsx")).content))
    values = [c.value for row in workbook["Fritexter"].iter_rows(min_row=2) for c in row]
    assert '\'=HYPERLINK("http://example.org","klicka")' in values
    assert not any(
        isinstance(v, str) and v.startswith("=")
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for v in row
    )


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_safe_cell_defuses_every_formula_prefix(prefix):
    assert safe_cell(f"{prefix}1+1") == f"'{prefix}1+1"
    assert safe_cell("Lugnt") == "Lugnt"
    assert safe_cell(3) == 3
    assert safe_cell("a\x00b") == "ab"


def test_exports_need_membership(world):
    for name, version in (("picture_xlsx", False), ("picture_pdf", False), ("picture_version_pdf", True)):
        assert world.client("outsider").get(_url(world, name, version)).status_code == 404


def test_exports_are_get_only(world):
    assert world.client("samordnare").post(_url(world, "picture_xlsx")).status_code == 405


# --- PDF ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "entitled"), [("samordnare", True), ("ledamot", False)])
def test_live_pdf_holds_begransad_only_for_entitled_roles(submitted, persona, entitled):
    text = pdf_text(_pdf(submitted.client(persona), _url(submitted, "picture_pdf")))
    assert "Hot och våld" in text and INTERN in text
    assert (BEGRANSAD in text) is entitled


@pytest.mark.parametrize(("persona", "entitled"), [("samordnare", True), ("ledamot", False)])
def test_version_pdf_holds_begransad_only_for_entitled_roles(world, persona, entitled):
    content = _pdf(world.client(persona), _url(world, "picture_version_pdf", version=True))
    text = pdf_text(content)
    assert "fastställd version 1" in text.lower()
    assert "KANARIE-A-INTERN fastställd" in text
    assert ("KANARIE-A-BEGRANSAD fastställd" in text) is entitled
    if shutil.which("pdfinfo"):
        meta = subprocess.run(["pdfinfo", "-meta", "-"], input=content, capture_output=True).stdout.decode()
        if not meta:  # older pdfinfo reads files only
            return
        assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta


def test_open_version_pdf_holds_only_open_parts(world):
    text = pdf_text(
        _pdf(world.client("samordnare"), _url(world, "picture_version_pdf", version=True) + "?oppen=1")
    )
    assert "KANARIE-A-OPPEN fastställd" in text
    assert INTERN not in text and BEGRANSAD not in text


def test_pdf_without_weasyprint_answers_503_in_swedish(world, monkeypatch):
    def missing(html):
        raise ImportError("no pango")

    monkeypatch.setattr("samverkan.core.exports.pdf.render_pdf", missing)
    response = world.client("ledamot").get(_url(world, "picture_pdf"))
    assert response.status_code == 503
    assert "PDF kan inte skapas just nu" in response.content.decode()
