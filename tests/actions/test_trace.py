"""The traceability page: problem → causes → actions → indicators → ratings, per reader; the öppen version
(canaries), a focus area, print and PDF/A (read back with pdftotext)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse

from samverkan.actions.models import ActionPlan, Rating
from samverkan.actions.selectors.trace import trace_document
from samverkan.analysis.models import Cause
from samverkan.core.models import Level
from tests.actions.factories_followup import make_followup
from tests.agreements.factories import FocusAreaFactory


def _pdf_text(pdf: bytes) -> str:
    assert shutil.which("pdftotext"), "pdftotext (Debian poppler-utils) is needed: make system-deps"
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def _url(world, name="actions:trace"):
    return reverse(name, args=[world.a.pk, world.cycle["A"]["plan"].pk])


@pytest.fixture
def decided(world):
    plan = world.cycle["A"]["plan"]
    plan.status = ActionPlan.Status.FASTSTALLD
    plan.save()
    opened = world.cycle["A"]["levels"][Level.OPPEN]
    # A why → why chain under the öppen cause, and a later follow-up.
    Cause.objects.create(
        collaboration=world.a,
        level=Level.OPPEN,
        problem=opened["problem"],
        parent=opened["cause"],
        text="Ingen vuxen närvaro på kvällarna",
    )
    make_followup(opened["action"], dt.date(2026, 6, 1), Rating.GRON, reason="Målet nått")
    return plan


def test_the_chain_for_each_reader(world, decided):
    samordnare = world.client("samordnare").get(_url(world)).content.decode()
    for level in ("OPPEN", "INTERN", "BEGRANSAD"):
        for part in ("problem", "orsak", "åtgärd", "indikator"):
            assert f"KANARIE-A-{level} {part}" in samordnare
    assert "Ingen vuxen närvaro på kvällarna" in samordnare and "rating--gron" in samordnare
    for persona in ("ledamot", "lasare"):
        html = world.client(persona).get(_url(world)).content.decode()
        assert "KANARIE-A-INTERN åtgärd</" in html
        assert "KANARIE-A-BEGRANSAD" not in html and "KANARIE-B" not in html
    assert world.client("outsider").get(_url(world)).status_code == 404


def test_the_open_version_has_open_rows_only_and_says_what_was_left_out(world, decided):
    document = trace_document(decided, public=True)
    titles = [t.action.title for t in document.actions]
    assert titles == ["KANARIE-A-OPPEN åtgärd"]
    assert document.withheld_actions == 2
    html = world.client("samordnare").get(_url(world, "actions:trace_public")).content.decode()
    assert (
        "KANARIE-A-OPPEN åtgärd</" in html
        and "KANARIE-A-INTERN" not in html
        and "KANARIE-A-BEGRANSAD" not in html
    )
    assert "2 åtgärder i planen är inte offentliga" in html


def test_an_open_action_with_a_stricter_follow_up_shows_a_neutral_line(world, decided):
    action = world.cycle["A"]["levels"][Level.OPPEN]["action"]
    make_followup(
        action, dt.date(2026, 7, 1), Rating.ROD, level=Level.INTERN, done="KANARIE-A-INTERN uppföljning"
    )
    html = world.client("samordnare").get(_url(world, "actions:trace_public")).content.decode()
    assert "1 uppföljning är inte offentlig" in html and "KANARIE-A-INTERN uppföljning" not in html


def test_a_draft_plan_has_no_open_version(world):
    html = world.client("samordnare").get(_url(world, "actions:trace_public")).content.decode()
    assert "Planen visas inte för allmänheten" in html and "KANARIE-A-OPPEN åtgärd</" not in html
    assert (
        world.client("samordnare").get(_url(world, "actions:trace_pdf") + "?offentlig=1").status_code == 404
    )


def test_one_focus_area(world, decided):
    agreement = world.agreements["A"]["agreement"]
    focus = FocusAreaFactory(agreement=agreement, title="Narkotika bland unga", level=Level.OPPEN)
    opened = world.cycle["A"]["levels"][Level.OPPEN]["action"]
    opened.focus_area = focus
    opened.save()
    html = world.client("ledamot").get(_url(world) + f"?fokusomrade={focus.pk}").content.decode()
    assert "Narkotika bland unga" in html and "KANARIE-A-OPPEN åtgärd</" in html
    assert "KANARIE-A-INTERN åtgärd</" not in html
    whole = world.client("ledamot").get(_url(world)).content.decode()
    assert f'<option value="{focus.pk}"' in whole
    hidden = FocusAreaFactory(
        agreement=agreement, title="Dolt", level=Level.BEGRANSAD, restricted_to="samordnare"
    )
    assert world.client("ledamot").get(_url(world) + f"?fokusomrade={hidden.pk}").status_code == 404
    assert world.client("ledamot").get(_url(world) + "?fokusomrade=abc").status_code == 404


def test_a_hidden_focus_area_is_not_named_by_a_visible_action(world, decided):
    agreement = world.agreements["A"]["agreement"]
    hidden = FocusAreaFactory(
        agreement=agreement,
        title="KANARIE-A-BEGRANSAD fokus",
        level=Level.BEGRANSAD,
        restricted_to="samordnare",
    )
    opened = world.cycle["A"]["levels"][Level.OPPEN]["action"]
    opened.focus_area = hidden
    opened.save()
    html = world.client("ledamot").get(_url(world)).content.decode()
    assert "KANARIE-A-OPPEN åtgärd</" in html and "KANARIE-A-BEGRANSAD" not in html


def test_print_page(world, decided):
    html = world.client("lasare").get(_url(world, "actions:trace_print")).content.decode()
    assert (
        'data-action="print"' in html
        and "KANARIE-A-OPPEN åtgärd</" in html
        and "KANARIE-A-BEGRANSAD" not in html
    )


@pytest.mark.slow
def test_pdf_full_and_open(world, decided, tmp_path):
    client = world.client("samordnare")
    response = client.get(_url(world, "actions:trace_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "sparbarhet.pdf"
    pdf.write_bytes(response.content)
    assert shutil.which("pdfinfo"), "pdfinfo (Debian poppler-utils) is needed: make system-deps"
    meta = subprocess.run(["pdfinfo", "-meta", pdf], capture_output=True, check=True, text=True).stdout
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    text = _pdf_text(response.content)
    assert "KANARIE-A-OPPEN" in text and "KANARIE-A-BEGRANSAD" in text
    public = _pdf_text(client.get(_url(world, "actions:trace_pdf") + "?offentlig=1").content)
    assert (
        "KANARIE-A-OPPEN" in public
        and "KANARIE-A-INTERN" not in public
        and "KANARIE-A-BEGRANSAD" not in public
    )
    ledamot = _pdf_text(world.client("ledamot").get(_url(world, "actions:trace_pdf")).content)
    assert "KANARIE-A-INTERN" in ledamot and "KANARIE-A-BEGRANSAD" not in ledamot
