"""Issue 13's review of the analysis: a moved branch's causes are each saved through the writing kit
(audited, version raised), the problem page reads causes once, the evidence form picks an indicator."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverkan.analysis import services
from samverkan.analysis.models import Cause, Evidence
from samverkan.core.models import AuditEntry, Level

pytestmark = pytest.mark.django_db


def _problem(world, title="Buskörning", **fields):
    return services.problem_save(
        collaboration=world.a, acting_user=world.users["samordnare"], title=title, **fields
    )


def _cause(world, problem, text, **fields):
    return services.cause_save(problem=problem, acting_user=world.users["samordnare"], text=text, **fields)


# --- Item 2: a moved branch's causes go through the service -----------------------------------------------


def test_moving_a_branch_audits_and_versions_every_cause_that_follows_it(world):
    problem = _problem(world)
    place = _cause(world, problem, "Platsen", bone=Cause.Bone.PLATS)
    branch = _cause(world, problem, "Gren", bone=Cause.Bone.GARNINGSPERSON)
    child = _cause(world, problem, "Barn", parent=branch)
    grandchild = _cause(world, problem, "Barnbarn", parent=child)
    versions = {row.pk: row.version for row in (child, grandchild)}
    services.cause_save(
        problem=problem, cause=branch, acting_user=world.users["samordnare"], text="Gren", parent=place
    )
    for row in (child, grandchild):
        row.refresh_from_db()
        assert row.bone == Cause.Bone.PLATS
        assert row.version == versions[row.pk] + 1
        entry = AuditEntry.objects.filter(
            action=AuditEntry.Action.UPDATE, target_id=str(row.pk), target_type__icontains="cause"
        ).get()
        assert entry.actor == world.users["samordnare"]
        assert entry.changes["bone"] == [Cause.Bone.GARNINGSPERSON, Cause.Bone.PLATS]


def test_a_page_showing_the_old_bone_of_a_moved_child_is_told(world):
    from samverkan.core.conflicts import EditConflict

    problem = _problem(world)
    place = _cause(world, problem, "Platsen", bone=Cause.Bone.PLATS)
    branch = _cause(world, problem, "Gren", bone=Cause.Bone.GARNINGSPERSON)
    child = _cause(world, problem, "Barn", parent=branch)
    shown = child.version
    services.cause_save(
        problem=problem, cause=branch, acting_user=world.users["samordnare"], text="Gren", parent=place
    )
    with pytest.raises(EditConflict):
        services.cause_save(
            problem=problem,
            cause=Cause.objects.get(pk=child.pk),
            acting_user=world.users["samordnare"],
            text="Barn",
            bone=Cause.Bone.GARNINGSPERSON,
            parent=None,
            version=shown,
        )


# --- Item 4: the problem page reads causes once ---------------------------------------------------------


def _cause_reads(captured) -> int:
    return sum(1 for q in captured.captured_queries if re.search(r'FROM "analysis_cause"', q["sql"]))


def _evidence_reads(captured) -> int:
    return sum(1 for q in captured.captured_queries if re.search(r'FROM "analysis_evidence"', q["sql"]))


@pytest.mark.parametrize("persona", ["samordnare", "lasare"])
def test_the_problem_page_reads_causes_and_evidence_once(world, persona):
    problem = _problem(world, level="intern")
    root = _cause(world, problem, "Mörkt i tunneln")
    _cause(world, problem, "Trasig belysning", parent=root)
    _cause(world, problem, "Ingen vuxen ute")
    services.evidence_add(
        problem=problem, acting_user=world.users["samordnare"], kind="ovrigt", label="Fältrapport", cause=root
    )
    client = world.client(persona)
    page = reverse("analysis:problem_detail", args=[world.a.pk, problem.pk])
    client.get(page)  # session and caches warmed outside the count
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Trasig belysning" in body and "Fältrapport" in body
    assert _cause_reads(captured) == 1, [
        q["sql"] for q in captured.captured_queries if "analysis_cause" in q["sql"]
    ]
    assert _evidence_reads(captured) == 1
    if persona == "samordnare":
        # The add-a-cause form offers every readable cause as a parent, from the same read.
        assert body.count('<option value="') >= 3
