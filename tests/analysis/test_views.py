"""Analysis pages through the Django test client, as each persona: the ranked list, the forms, raising
from the agreed picture, the cause analysis page with its drawings, adding a cause in place (htmx) and
without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from samverkan.analysis import services
from samverkan.analysis.models import Cause, CauseAnalysis, Evidence, Problem
from samverkan.core.models import Level
from tests.analysis.factories import picture_part

pytestmark = pytest.mark.django_db


def url(name, world, *args):
    return reverse(f"analysis:{name}", args=[world.a.pk, *args])


def _problem(world, title="Buskörning", **fields):
    return services.problem_save(
        collaboration=world.a, acting_user=world.users["samordnare"], title=title, **fields
    )


def _score(world, problem, **scores):
    services.problem_score(problem=problem, acting_user=world.users["samordnare"], scores=scores)


# --- The ranked list ---------------------------------------------------------------------------------


def test_ranked_list_orders_by_total_then_severity_and_shows_every_score(world):
    low = _problem(world, "Klotter")
    _score(world, low, score_frequency=1)
    serious = _problem(world, "Rån")
    _score(world, serious, score_consequences=3, score_resources=1)  # total 4, severity 3
    feasible = _problem(world, "Nedskräpning")
    _score(world, feasible, score_frequency=1, score_resources=3)  # total 4, severity 1
    body = world.client("lasare").get(url("problem_list", world)).content.decode()
    positions = [body.index(title) for title in ("Rån", "Nedskräpning", "Klotter")]
    assert positions == sorted(positions)
    assert "<caption" in body and 'scope="colgroup"' in body and 'aria-sort="ascending"' in body
    by_title = world.client("lasare").get(url("problem_list", world) + "?sortera=-title").content.decode()
    assert by_title.index("Rån") < by_title.index("Nedskräpning") < by_title.index("Klotter")


@pytest.mark.parametrize(
    ("persona", "sees_begransad"), [("samordnare", True), ("polis", True), ("ledamot", False)]
)
def test_ranked_list_follows_the_visibility_rule(world, persona, sees_begransad):
    body = world.client(persona).get(url("problem_list", world)).content.decode()
    assert "KANARIE-A-INTERN problem" in body
    assert ("KANARIE-A-BEGRANSAD problem" in body) is sees_begransad
    assert "KANARIE-B" not in body


# --- Writing --------------------------------------------------------------------------------------------


def test_samordnare_creates_a_problem(world):
    response = world.client("samordnare").post(
        url("problem_create", world),
        {"title": "Inbrott i förråd", "area_code": "ordning", "status": "aktivt", "level": "intern"},
    )
    problem = Problem.objects.get(title="Inbrott i förråd")
    assert response.status_code == 302 and response["Location"] == url("problem_detail", world, problem.pk)


@pytest.mark.parametrize("persona", ["polis", "ledamot", "lasare"])
def test_other_roles_may_not_write(world, persona):
    before = Problem.objects.count()
    client = world.client(persona)
    assert client.post(url("problem_create", world), {"title": "x", "level": "intern"}).status_code == 403
    problem = world.cycle["A"]["levels"][Level.OPPEN]["problem"]
    assert client.post(url("problem_score", world, problem.pk), {"score_signal": "2"}).status_code == 403
    assert (
        client.post(url("cause_create", world, problem.pk), {"text": "x", "bone": "annat"}).status_code == 403
    )
    assert Problem.objects.count() == before
    assert not Cause.objects.filter(text="x").exists()


def test_scoring_form_saves_and_refuses_a_score_outside_the_scale(world):
    problem = _problem(world)
    client = world.client("samordnare")
    page = client.get(url("problem_score", world, problem.pk)).content.decode()
    assert page.count('type="radio"') == 8 * 4 and "Hur ofta problemet förekommer." in page
    bad = client.post(
        url("problem_score", world, problem.pk), {"score_signal": "4", "version": problem.version}
    )
    assert bad.status_code == 200 and "Välj ett giltigt alternativ" in bad.content.decode()
    problem.refresh_from_db()
    assert problem.score_signal is None
    ok = client.post(
        url("problem_score", world, problem.pk),
        {"score_signal": "2", "score_cost": "0", "scored_by": "REK-gruppen", "version": problem.version},
    )
    assert ok.status_code == 302
    problem.refresh_from_db()
    assert (problem.score_signal, problem.score_cost, problem.scored_by) == (2, 0, "REK-gruppen")


def test_two_people_editing_a_problem_the_second_is_told(world, samordnare2):
    problem = _problem(world)
    data = {
        "title": "Buskörning i centrum",
        "status": "aktivt",
        "level": "intern",
        "version": problem.version,
    }
    assert world.client("samordnare2").post(url("problem_edit", world, problem.pk), data).status_code == 302
    stale = world.client("samordnare").post(
        url("problem_edit", world, problem.pk), {**data, "title": "Annat"}
    )
    assert stale.status_code == 409
    assert "Buskörning i centrum" in stale.content.decode()
    assert Problem.objects.get(pk=problem.pk).title == "Buskörning i centrum"


# --- Raising from the agreed picture --------------------------------------------------------------------


def test_raise_page_lists_the_agreed_parts_and_raises_in_one_click(world):
    part = picture_part(world.situation["A"]["version"], kind="cell", text="Stölder ur bilar vid stationen")
    client = world.client("samordnare")
    page = client.get(url("problem_raise", world)).content.decode()
    assert "Stölder ur bilar vid stationen" in page and f'name="picture_item" value="{part.pk}"' in page
    response = client.post(url("problem_raise", world), {"picture_item": part.pk})
    problem = Problem.objects.get(description="Stölder ur bilar vid stationen")
    assert response.status_code == 302 and response["Location"] == url("problem_edit", world, problem.pk)
    assert problem.evidence.get().picture_item == part


def test_raise_page_hides_parts_above_the_readers_role_and_refuses_foreign_parts(world):
    secret = picture_part(world.situation["A"]["version"], level=Level.BEGRANSAD, text="HEMLIG DEL")
    assert "HEMLIG DEL" not in world.client("ledamot").get(url("problem_raise", world)).content.decode()
    assert (
        world.client("ledamot").post(url("problem_raise", world), {"picture_item": secret.pk}).status_code
        == 403
    )
    foreign = picture_part(world.situation["B"]["version"], level=Level.OPPEN)
    before = Problem.objects.count()
    assert (
        world.client("samordnare").post(url("problem_raise", world), {"picture_item": foreign.pk}).status_code
        == 404
    )
    response = world.client("samordnare").post(url("problem_raise", world), {"signal": "finns.inte|2418|ar"})
    assert (
        response.status_code == 422
        and "Signalen finns inte längre i statistiken." in response.content.decode()
    )
    assert Problem.objects.count() == before


# --- The cause analysis page ---------------------------------------------------------------------------


def _analysed(world):
    problem = _problem(world, level=Level.OPPEN)
    services.analysis_save(
        problem=problem, acting_user=world.users["samordnare"], offender="Unga <med> mopeder"
    )
    direct = services.cause_save(
        problem=problem,
        acting_user=world.users["samordnare"],
        text="Ingen fritidsgård",
        bone="garningsperson",
    )
    services.cause_save(
        problem=problem,
        acting_user=world.users["samordnare"],
        text="HEMLIG ORSAK",
        parent=direct,
        level=Level.BEGRANSAD,
        restricted_to=["polis", "samordnare"],
    )
    return problem, direct


def test_analysis_page_draws_and_lists_every_cause_the_reader_may_read(world):
    problem, _direct = _analysed(world)
    body = world.client("samordnare").get(url("problem_detail", world, problem.pk)).content.decode()
    assert body.count('role="img"') == 3
    assert "Unga &lt;med&gt; mopeder" in body
    # Each cause in the drawings and in the lists beside them.
    assert body.count("Ingen fritidsgård") >= 4 and "HEMLIG ORSAK" in body
    ledamot = world.client("ledamot").get(url("problem_detail", world, problem.pk)).content.decode()
    assert "Ingen fritidsgård" in ledamot and "HEMLIG ORSAK" not in ledamot
    assert 'hx-post="' not in ledamot


def test_adding_a_cause_in_place_with_htmx_redraws_the_analysis(world):
    problem, direct = _analysed(world)
    response = world.client("samordnare").post(
        url("cause_create", world, problem.pk),
        {"text": "Lokalen såldes", "bone": "annat", "parent": direct.pk},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="analysis-drawings"')
    assert "Lokalen såldes" in body
    cause = Cause.objects.get(text="Lokalen såldes")
    assert cause.parent == direct and cause.bone == "garningsperson"


def test_adding_a_cause_without_javascript_posts_and_redirects(world):
    problem, _direct = _analysed(world)
    response = world.client("samordnare").post(
        url("cause_create", world, problem.pk), {"text": "Mörk park", "bone": "plats"}
    )
    assert response.status_code == 302 and response["Location"] == url("problem_detail", world, problem.pk)
    assert Cause.objects.filter(text="Mörk park", parent=None).exists()


def test_a_parent_from_another_problem_is_refused_in_the_form(world):
    problem, _direct = _analysed(world)
    other = world.cycle["A"]["levels"][Level.OPPEN]["cause"]
    response = world.client("samordnare").post(
        url("cause_create", world, problem.pk), {"text": "Fel ställe", "bone": "annat", "parent": other.pk}
    )
    assert response.status_code == 422 and "Välj ett giltigt alternativ" in response.content.decode()
    assert not Cause.objects.filter(text="Fel ställe").exists()


def test_moving_a_cause_under_its_own_cause_is_refused(world):
    problem, direct = _analysed(world)
    child = Cause.objects.get(text="HEMLIG ORSAK")
    response = world.client("samordnare").post(
        url("cause_edit", world, problem.pk, direct.pk),
        {"text": direct.text, "bone": direct.bone, "parent": child.pk, "version": direct.version},
    )
    assert response.status_code == 422
    direct.refresh_from_db()
    assert direct.parent is None


def test_deleting_a_cause_removes_its_branch(world):
    problem, direct = _analysed(world)
    response = world.client("samordnare").post(
        url("cause_edit", world, problem.pk, direct.pk), {"delete": "1"}
    )
    assert response.status_code == 302
    assert not problem.causes.exists()


def test_triangle_form_saves_and_reports_a_conflict(world, samordnare2):
    problem, _direct = _analysed(world)
    analysis = CauseAnalysis.objects.get(problem=problem)
    data = {"offender": "Unga", "place": "Torget", "version": analysis.version}
    assert world.client("samordnare2").post(url("triangle_edit", world, problem.pk), data).status_code == 302
    stale = world.client("samordnare").post(
        url("triangle_edit", world, problem.pk), {**data, "place": "Parken"}
    )
    assert stale.status_code == 409
    assert CauseAnalysis.objects.get(problem=problem).place == "Torget"


def test_evidence_form_adds_a_link(world):
    problem, direct = _analysed(world)
    response = world.client("samordnare").post(
        url("evidence_create", world, problem.pk),
        {"kind": "ovrigt", "label": "Trygghetsvandring maj", "cause": direct.pk},
    )
    assert response.status_code == 302
    row = Evidence.objects.get(label="Trygghetsvandring maj")
    assert row.cause == direct and row.level == Level.OPPEN


def test_the_collaboration_menu_leads_to_the_problems(world):
    body = world.client("lasare").get(reverse("core:collaboration_home", args=[world.a.pk])).content.decode()
    assert re.search(r'href="' + re.escape(url("problem_list", world)) + '"', body)


def test_a_focus_area_the_reader_may_not_read_is_not_named(world):
    from samverkan.agreements.models import FocusArea

    secret = FocusArea.objects.get(collaboration=world.a, level=Level.BEGRANSAD)
    problem = _problem(world, focus_area=secret)
    assert (
        "KANARIE-A-BEGRANSAD fokus"
        in world.client("samordnare").get(url("problem_detail", world, problem.pk)).content.decode()
    )
    body = world.client("ledamot").get(url("problem_detail", world, problem.pk)).content.decode()
    assert "KANARIE-A-BEGRANSAD" not in body


def test_deleting_a_problem_or_cause_from_a_stale_page_is_refused(world):
    from samverkan.analysis.models import Cause, Problem
    from samverkan.core.models import Level

    rows = world.cycle["A"]["levels"][Level.OPPEN]
    problem, cause = rows["problem"], rows["cause"]
    client = world.client("samordnare")
    base = f"/samverkan/{world.a.pk}/problem/{problem.pk}/"
    Cause.objects.filter(pk=cause.pk).update(version=cause.version + 1)
    client.post(base + f"orsaker/{cause.pk}/", {"delete": "1", "version": str(cause.version)})
    assert Cause.objects.filter(pk=cause.pk).exists()
    Problem.objects.filter(pk=problem.pk).update(version=problem.version + 1)
    client.post(base + "andra/", {"delete": "1", "version": str(problem.version)})
    assert Problem.objects.filter(pk=problem.pk).exists()
    client.post(base + "andra/", {"delete": "1", "version": str(problem.version + 1)})
    assert not Problem.objects.filter(pk=problem.pk).exists()
