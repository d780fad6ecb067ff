"""Analysis services: problems, raising them, evidence, scores, the triangle and the cause tree.

Every bad input is refused with a Swedish message naming the field, and nothing is written."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.analysis import services
from samverkan.analysis.models import Cause, CauseAnalysis, Evidence, Problem
from samverkan.analysis.models.causes import MAX_CAUSE_DEPTH
from samverkan.core.conflicts import EditConflict
from samverkan.core.models import AuditEntry, Level
from tests.analysis.factories import CauseFactory, ProblemFactory, picture_part

pytestmark = pytest.mark.django_db


def _problem(world, **fields):
    return services.problem_save(
        collaboration=world.a, acting_user=world.users["samordnare"], title="Buskörning", **fields
    )


def _counts():
    return (
        Problem.objects.count(),
        Cause.objects.count(),
        Evidence.objects.count(),
        CauseAnalysis.objects.count(),
    )


# --- Problems ------------------------------------------------------------------------------------------


def test_problem_save_creates_intern_by_default_and_audits(world):
    problem = _problem(world, area_code="ordning", where="Centrum")
    assert problem.level == Level.INTERN
    assert problem.created_by == world.users["samordnare"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, target_id=str(problem.pk)).exists()


@pytest.mark.parametrize("persona", ["polis", "ledamot", "lasare", "outsider"])
def test_only_the_samordnare_writes(world, persona):
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.problem_save(collaboration=world.a, acting_user=world.users[persona], title="x")
    assert _counts() == before


def test_unknown_area_is_refused(world):
    before = _counts()
    with pytest.raises(ValidationError) as error:
        _problem(world, area_code="rymden")
    assert error.value.message_dict["area_code"] == ["Okänt lägesbildsområde."]
    assert _counts() == before


def test_focus_area_of_another_collaboration_is_refused(world):
    from samverkan.agreements.models import FocusArea

    foreign = FocusArea.objects.filter(collaboration=world.b, level=Level.OPPEN).get()
    before = _counts()
    with pytest.raises(ValidationError) as error:
        _problem(world, focus_area=foreign)
    assert error.value.message_dict["focus_area"] == ["Det du pekar på finns inte i den här samverkan."]
    assert _counts() == before


def test_personnummer_in_a_problem_is_refused(world):
    before = _counts()
    with pytest.raises(ValidationError) as error:
        _problem(world, description="Gäller 19811218-9876 som bor där.")
    assert "description" in error.value.message_dict
    assert _counts() == before


def test_phone_number_in_an_open_problem_is_refused(world):
    with pytest.raises(ValidationError) as error:
        _problem(world, affected="Ring 070-123 45 67", level=Level.OPPEN)
    assert "affected" in error.value.message_dict


def test_a_stale_edit_is_a_conflict_and_saves_nothing(world, samordnare2):
    problem = _problem(world)
    services.problem_save(
        collaboration=world.a, problem=problem, acting_user=samordnare2, title="Buskörning i byn", version=1
    )
    stale = Problem.objects.get(pk=problem.pk)
    stale.version = 1
    with pytest.raises(EditConflict):
        services.problem_save(
            collaboration=world.a,
            problem=stale,
            acting_user=world.users["samordnare"],
            title="Annat",
            version=1,
        )
    assert Problem.objects.get(pk=problem.pk).title == "Buskörning i byn"


# --- Scores --------------------------------------------------------------------------------------------


def test_scores_rank_and_who_scored(world):
    problem = _problem(world)
    services.problem_score(
        problem=problem,
        acting_user=world.users["samordnare"],
        scores={"score_frequency": 3, "score_trend": 2, "score_cost": 1},
        scored_by="REK-gruppen",
    )
    problem.refresh_from_db()
    assert (problem.severity, problem.feasibility, problem.priority) == (5, 1, 6)
    assert problem.scored_by == "REK-gruppen" and problem.scored_on is not None


@pytest.mark.parametrize("bad", [4, -1, "2", True, 2.5])
def test_a_score_outside_the_scale_is_refused(world, bad):
    problem = _problem(world)
    with pytest.raises(ValidationError) as error:
        services.problem_score(
            problem=problem, acting_user=world.users["samordnare"], scores={"score_signal": bad}
        )
    assert error.value.message_dict["score_signal"] == ["Poängen ska vara ett heltal från 0 till 3."]
    problem.refresh_from_db()
    assert problem.score_signal is None and problem.scored_on is None


def test_an_unknown_criterion_is_refused(world):
    problem = _problem(world)
    with pytest.raises(ValidationError):
        services.problem_score(
            problem=problem, acting_user=world.users["samordnare"], scores={"score_luck": 1}
        )


# --- Raising from the agreed picture --------------------------------------------------------------------


def test_raise_from_a_cell_carries_the_text_and_the_evidence_link(world):
    version = world.situation["A"]["version"]
    part = picture_part(version, kind="cell", level=Level.INTERN)
    problem = services.problem_raise_from_item(
        collaboration=world.a, item=part, acting_user=world.users["samordnare"]
    )
    assert problem.origin == Problem.Origin.CELL
    assert problem.picture_version == version
    assert problem.area_code == "vald"
    assert "busstationen" in problem.description
    assert problem.title == "Hot och våld – Polisen"  # the area's title and who reported
    (link,) = problem.evidence.all()
    assert link.kind == Evidence.Kind.BILDDEL and link.picture_item == part
    assert link.level == Level.INTERN


def test_raise_from_a_begransad_summary_is_never_less_strict_than_its_source(world):
    version = world.situation["A"]["version"]
    part = picture_part(version, kind="summary", level=Level.BEGRANSAD, restricted_to="polis,samordnare")
    problem = services.problem_raise_from_item(
        collaboration=world.a, item=part, acting_user=world.users["samordnare"], level=Level.OPPEN
    )
    assert problem.origin == Problem.Origin.SAMMANFATTNING
    assert problem.level == Level.BEGRANSAD
    assert problem.restricted_roles == {"polis", "samordnare"}
    (link,) = problem.evidence.all()
    assert link.level == Level.BEGRANSAD and link.restricted_roles == {"polis", "samordnare"}


def test_raise_from_another_collaborations_part_is_refused(world):
    part = picture_part(world.situation["B"]["version"], level=Level.OPPEN)
    before = _counts()
    with pytest.raises(ValidationError) as error:
        services.problem_raise_from_item(
            collaboration=world.a, item=part, acting_user=world.users["samordnare"]
        )
    assert error.value.message_dict["picture_item"] == ["Det du pekar på finns inte i den här samverkan."]
    assert _counts() == before


def test_raise_from_a_part_the_writer_may_not_read_is_refused(world):
    part = picture_part(world.situation["A"]["version"], level=Level.BEGRANSAD, restricted_to="polis")
    before = _counts()
    with pytest.raises(ValidationError):
        services.problem_raise_from_item(
            collaboration=world.a, item=part, acting_user=world.users["samordnare"]
        )
    assert _counts() == before


def test_raise_from_a_signal_that_is_gone_is_refused(world):
    before = _counts()
    with pytest.raises(ValidationError) as error:
        services.problem_raise_from_signal(
            collaboration=world.a, key="polisen.handelser.vald|2418|ar", acting_user=world.users["samordnare"]
        )
    assert error.value.message_dict["signal"] == ["Signalen finns inte längre i statistiken."]
    assert _counts() == before


# --- Evidence ------------------------------------------------------------------------------------------


def test_evidence_takes_the_strictest_level_of_problem_and_source(world):
    problem = _problem(world)
    event = world.situation["A"]["events"][Level.BEGRANSAD]
    row = services.evidence_add(
        problem=problem,
        acting_user=world.users["samordnare"],
        kind=Evidence.Kind.HANDELSE,
        label="Händelsen",
        event=event,
    )
    assert row.level == Level.BEGRANSAD


def test_evidence_from_another_collaboration_is_refused(world):
    problem = _problem(world)
    event = world.situation["B"]["events"][Level.OPPEN]
    before = _counts()
    with pytest.raises(ValidationError) as error:
        services.evidence_add(
            problem=problem,
            acting_user=world.users["samordnare"],
            kind=Evidence.Kind.HANDELSE,
            label="x",
            event=event,
        )
    assert "event" in error.value.message_dict
    assert _counts() == before


def test_evidence_for_a_cause_of_another_problem_is_refused(world):
    problem = _problem(world)
    other = CauseFactory(problem=ProblemFactory(collaboration=world.a))
    with pytest.raises(ValidationError) as error:
        services.evidence_add(
            problem=problem,
            acting_user=world.users["samordnare"],
            kind=Evidence.Kind.OVRIGT,
            label="x",
            cause=other,
        )
    assert "cause" in error.value.message_dict


def test_evidence_with_a_kommun_outside_the_collaboration_is_refused(world):
    from samverkan.core.models import Kommun

    problem = _problem(world)
    with pytest.raises(ValidationError) as error:
        services.evidence_add(
            problem=problem,
            acting_user=world.users["samordnare"],
            kind=Evidence.Kind.OVRIGT,
            label="x",
            kommun=Kommun.objects.get(kod="2039"),
        )
    assert error.value.message_dict["kommun"] == ["Kommunen ingår inte i samverkan."]


# --- The triangle ----------------------------------------------------------------------------------------


def test_triangle_is_created_at_the_problems_level_and_conflicts_are_caught(world, samordnare2):
    problem = _problem(world, level=Level.BEGRANSAD, restricted_to=["polis", "samordnare"])
    analysis = services.analysis_save(
        problem=problem, acting_user=world.users["samordnare"], offender="Unga med moped"
    )
    assert analysis.level == Level.BEGRANSAD and analysis.version == 1
    services.analysis_save(problem=problem, acting_user=samordnare2, place="Torget", version=1)
    with pytest.raises(EditConflict):
        services.analysis_save(
            problem=problem, acting_user=world.users["samordnare"], place="Parken", version=1
        )
    assert CauseAnalysis.objects.get(problem=problem).place == "Torget"


def test_triangle_refuses_personnummer(world):
    problem = _problem(world)
    with pytest.raises(ValidationError) as error:
        services.analysis_save(
            problem=problem, acting_user=world.users["samordnare"], hypothesis="19811218-9876"
        )
    assert "hypothesis" in error.value.message_dict
    assert not CauseAnalysis.objects.filter(problem=problem).exists()


# --- The cause tree ----------------------------------------------------------------------------------


def _cause(world, problem, text, **fields):
    return services.cause_save(problem=problem, acting_user=world.users["samordnare"], text=text, **fields)


def test_a_cause_under_a_cause_takes_its_bone_and_level(world):
    problem = _problem(world)
    direct = _cause(world, problem, "Ingen belysning", bone=Cause.Bone.PLATS)
    indirect = _cause(world, problem, "Budgeten drogs in", parent=direct, bone=Cause.Bone.ANNAT)
    assert indirect.parent == direct and indirect.bone == Cause.Bone.PLATS
    assert indirect.level == problem.level


def test_moving_a_cause_under_its_own_cause_is_a_cycle(world):
    problem = _problem(world)
    a = _cause(world, problem, "A")
    b = _cause(world, problem, "B", parent=a)
    c = _cause(world, problem, "C", parent=b)
    for target in (a, c):
        with pytest.raises(ValidationError) as error:
            services.cause_save(
                problem=problem, cause=a, acting_user=world.users["samordnare"], text="A", parent=target
            )
        assert error.value.message_dict["parent"] == [
            "En orsak kan inte ligga under sig själv eller under en av sina egna orsaker."
        ]
    a.refresh_from_db()
    assert a.parent is None


def test_a_parent_in_another_problem_is_refused(world):
    problem = _problem(world)
    other = _cause(world, _problem(world), "Annan")
    with pytest.raises(ValidationError) as error:
        _cause(world, problem, "X", parent=other)
    assert error.value.message_dict["parent"] == [
        "Orsaken du vill lägga den under hör till ett annat problem."
    ]
    assert not Cause.objects.filter(text="X").exists()


def test_a_parent_in_another_collaboration_is_refused(world):
    problem = _problem(world)
    foreign = world.cycle["B"]["levels"][Level.OPPEN]["cause"]
    with pytest.raises(ValidationError) as error:
        _cause(world, problem, "X", parent=foreign)
    assert error.value.message_dict["parent"] == ["Det du pekar på finns inte i den här samverkan."]
    assert not Cause.objects.filter(text="X").exists()


def test_the_tree_is_bounded_in_depth_also_when_moving_a_branch(world):
    problem = _problem(world)
    parent = None
    chain = []
    for depth in range(MAX_CAUSE_DEPTH):
        parent = _cause(world, problem, f"Nivå {depth + 1}", parent=parent)
        chain.append(parent)
    with pytest.raises(ValidationError) as error:
        _cause(world, problem, "För djup", parent=parent)
    assert "högst 8 nivåer" in error.value.message_dict["parent"][0]
    # A branch two deep moved under level 7 would reach 9.
    branch = _cause(world, problem, "Gren")
    _cause(world, problem, "Gren 2", parent=branch)
    with pytest.raises(ValidationError):
        services.cause_save(
            problem=problem, cause=branch, acting_user=world.users["samordnare"], text="Gren", parent=chain[6]
        )
    services.cause_save(
        problem=problem, cause=branch, acting_user=world.users["samordnare"], text="Gren", parent=chain[5]
    )


def test_moving_a_branch_moves_its_causes_onto_the_new_bone(world):
    problem = _problem(world)
    place = _cause(world, problem, "Platsen", bone=Cause.Bone.PLATS)
    branch = _cause(world, problem, "Gren", bone=Cause.Bone.GARNINGSPERSON)
    leaf = _cause(world, problem, "Löv", parent=branch)
    services.cause_save(
        problem=problem, cause=branch, acting_user=world.users["samordnare"], text="Gren", parent=place
    )
    leaf.refresh_from_db()
    assert leaf.bone == Cause.Bone.PLATS


def test_deleting_a_cause_removes_its_causes_and_audits_each(world):
    problem = _problem(world)
    root = _cause(world, problem, "Rot")
    child = _cause(world, problem, "Barn", parent=root)
    ids = [root.pk, child.pk]
    services.cause_delete(cause=root, acting_user=world.users["samordnare"])
    assert not Cause.objects.filter(pk__in=ids).exists()
    deleted = AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, target_id__in=[str(pk) for pk in ids]
    )
    assert deleted.count() == 2


def test_deleting_a_problem_from_a_stale_version_is_a_conflict(world, samordnare2):
    problem = _problem(world)
    services.problem_save(
        collaboration=world.a, problem=problem, acting_user=samordnare2, title="Ny", version=1
    )
    with pytest.raises(EditConflict):
        services.problem_delete(problem=problem, acting_user=world.users["samordnare"], version=1)
    assert Problem.objects.filter(pk=problem.pk).exists()


def test_a_cause_refuses_personnummer_and_an_unknown_bone(world):
    problem = _problem(world)
    with pytest.raises(ValidationError) as error:
        _cause(world, problem, "Gäller 19811218-9876")
    assert "text" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _cause(world, problem, "X", bone="fjärde")
    assert error.value.message_dict["bone"] == ["Okänd del av triangeln."]
    assert not problem.causes.exists()
