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


# --- Item 5: the evidence form picks an indicator --------------------------------------------------------


def _indicators():
    from tests.indicators.factories import DataPointFactory, IndicatorFactory

    ours = IndicatorFactory(name="Anmälda skadegörelsebrott")
    DataPointFactory(indicator=ours)  # a value for Malå, one of A's kommuner
    foreign = IndicatorFactory(name="Främmande indikator")
    DataPointFactory(indicator=foreign, kommun_id="2039")  # Älvdalen's only (not one of A's)
    return ours, foreign


def _evidence_url(world, problem):
    return reverse("analysis:evidence_create", args=[world.a.pk, problem.pk])


def test_evidence_form_offers_the_collaborations_indicators_only(world):
    _indicators()
    problem = _problem(world)
    body = world.client("samordnare").get(_evidence_url(world, problem)).content.decode()
    assert 'name="indicator"' in body and "Anmälda skadegörelsebrott" in body
    assert "Främmande indikator" not in body


def test_indicator_evidence_links_the_indicator_and_names_itself_after_it(world):
    ours, _foreign = _indicators()
    problem = _problem(world)
    client = world.client("samordnare")
    response = client.post(_evidence_url(world, problem), {"kind": "indikator", "indicator": ours.pk})
    assert response.status_code == 302, response.content.decode()[-2000:]
    row = Evidence.objects.get(problem=problem)
    assert (row.kind, row.indicator, row.label) == ("indikator", ours, "Anmälda skadegörelsebrott")
    assert row.level == Level.INTERN


@pytest.mark.parametrize("picked", ["none", "foreign"])
def test_indicator_evidence_without_a_valid_indicator_is_refused_beside_the_picker(world, picked):
    _ours, foreign = _indicators()
    problem = _problem(world)
    data = {"kind": "indikator", "label": "Statistik"}
    if picked == "foreign":
        data["indicator"] = foreign.pk
    response = world.client("samordnare").post(_evidence_url(world, problem), data)
    assert response.status_code == 422
    assert "indicator" in response.context["form"].errors
    assert not Evidence.objects.filter(problem=problem).exists()


def test_other_evidence_is_unchanged_and_keeps_no_indicator(world):
    ours, _foreign = _indicators()
    problem = _problem(world)
    client = world.client("samordnare")
    refused = client.post(_evidence_url(world, problem), {"kind": "ovrigt", "indicator": ours.pk})
    assert refused.status_code == 422 and "label" in refused.context["form"].errors
    done = client.post(
        _evidence_url(world, problem), {"kind": "ovrigt", "label": "Fältrapport", "indicator": ours.pk}
    )
    assert done.status_code == 302
    assert Evidence.objects.get(problem=problem).indicator is None


def test_the_service_refuses_an_indicator_outside_the_collaborations_statistics(world):
    from django.core.exceptions import ValidationError

    _ours, foreign = _indicators()
    problem = _problem(world)
    for indicator in (None, foreign):
        with pytest.raises(ValidationError) as error:
            services.evidence_add(
                problem=problem,
                acting_user=world.users["samordnare"],
                kind="indikator",
                label="Statistik",
                indicator=indicator,
            )
        assert "indicator" in error.value.message_dict
    assert not Evidence.objects.filter(problem=problem).exists()


# --- Item 9: "Lyft som problem" on the agreed joint picture -----------------------------------------------


def _version_url(world):
    rows = world.situation["A"]
    return reverse("situation:picture_version", args=[world.a.pk, rows["round"].pk, rows["version"].pk])


def test_the_agreed_picture_offers_raising_each_part_to_who_may_edit_the_analysis(world):
    from tests.analysis.factories import picture_part

    version = world.situation["A"]["version"]
    cell = picture_part(version, kind="cell", level=Level.INTERN, text="Stölder ur bilar vid stationen")
    secret = picture_part(version, kind="summary", level=Level.BEGRANSAD, text="HEMLIG SAMMANFATTNING")
    events = picture_part(version, kind="event", level=Level.INTERN, text="Inte lyftbar")
    raise_url = reverse("analysis:problem_raise", args=[world.a.pk])
    body = world.client("samordnare").get(_version_url(world)).content.decode()
    assert f'action="{raise_url}"' in body
    assert f'name="picture_item" value="{cell.pk}"' in body
    assert f'name="picture_item" value="{secret.pk}"' in body
    assert f'name="picture_item" value="{events.pk}"' not in body
    open_version = world.client("samordnare").get(_version_url(world) + "?oppen=1").content.decode()
    assert 'name="picture_item"' not in open_version
    for persona in ("polis", "ledamot", "lasare"):
        page = world.client(persona).get(_version_url(world)).content.decode()
        assert 'name="picture_item"' not in page, persona
    # The button is the raise page's own form: one click makes the problem, with the link as evidence.
    response = world.client("samordnare").post(raise_url, {"picture_item": cell.pk})
    assert response.status_code == 302
    assert Evidence.objects.filter(picture_item=cell, problem__picture_version=version).exists()


def test_situation_does_not_import_analysis():
    import pathlib

    import samverkan.situation as situation

    root = pathlib.Path(situation.__file__).parent
    for path in root.rglob("*.py"):
        assert "samverkan.analysis" not in path.read_text(encoding="utf-8"), path
