"""The yearly evaluation: facts from every step, the one visibility rule in every output, approval that
locks, versions after approval, the public release by a second person, and next year's plan."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.actions.models import Action, ActionPlan
from samverkan.core.models import Level
from samverkan.reports import exports
from samverkan.reports.models import EvaluationVersion
from samverkan.reports.selectors import evaluation_document, public_evaluations
from samverkan.reports.services import evaluation as services
from samverkan.reports.services.next_plan import next_plan_start
from tests.conftest import CANARIES_A, CANARIES_B, CANARY_A_POLIS_ONLY
from tests.situation.test_exports_picture import pdf_text, xlsx_text

PERSONNUMMER = "19121212-1212"
NOT_PUBLIC = {CANARIES_A[Level.INTERN], CANARIES_A[Level.BEGRANSAD], CANARY_A_POLIS_ONLY, *CANARIES_B}


def docx_text(content: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(content))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def draft(world):
    return services.evaluation_create(collaboration=world.a, year=2026, acting_user=world.users["samordnare"])


def test_facts_come_from_every_step_with_their_levels(world, draft):
    tables = draft.facts["tables"]
    levels = {row["level"] for row in tables["actions"]}
    assert levels == {"oppen", "intern", "begransad"}
    titles = [row["cells"][1] for row in tables["actions"]]
    assert f"{CANARIES_A[Level.OPPEN]} åtgärd" in titles
    assert any(row["cells"][4] == "Gul" for row in tables["actions"])
    assert tables["focus_areas"][0]["cells"][0].startswith("KANARIE-A")
    assert {r["cells"][5] for r in tables["indicators"]} == {"nej"}  # 8 against a target of 5, to reduce
    assert tables["meetings"][0]["cells"][1] == 1  # one meeting held in 2026
    steps = {step["key"]: step["done"] for step in draft.facts["process"]}
    assert steps == {
        "lagesbild": True,
        "analys": True,
        "atgardsplan": True,
        "uppfoljning": True,
        "samordning": True,
    }


def test_every_output_honours_the_reader_and_the_open_version_holds_only_open_content(world, draft):
    draft = services.sections_save(
        version=draft,
        acting_user=world.users["samordnare"],
        summary="Året i korthet",
        summary_level=Level.OPPEN,
        assessment=f"{CANARIES_A[Level.BEGRANSAD]} bedömning",
        assessment_level=Level.BEGRANSAD,
    )
    public = evaluation_document(draft, public=True)
    for render, read in (
        (exports.pdf_bytes, pdf_text),
        (exports.docx_bytes, docx_text),
        (exports.xlsx_bytes, xlsx_text),
    ):
        text = read(render(public))
        assert CANARIES_A[Level.OPPEN] in text, render
        assert not {c for c in NOT_PUBLIC if c in text}, render
        if render is not exports.xlsx_bytes:
            assert "Året i korthet" in text
    ledamot = exports.docx_bytes(evaluation_document(draft, user=world.users["ledamot"]))
    text = docx_text(ledamot)
    assert CANARIES_A[Level.INTERN] in text and CANARIES_A[Level.BEGRANSAD] not in text
    full = xlsx_text(exports.xlsx_bytes(evaluation_document(draft, user=world.users["samordnare"])))
    assert CANARIES_A[Level.BEGRANSAD] in full and CANARY_A_POLIS_ONLY not in full


def test_approval_locks_and_later_edits_make_a_new_version(world, draft, samordnare2):
    samordnare = world.users["samordnare"]
    meeting = world.cycle["A"]["meeting"]["meeting"]
    approved = services.version_approve(
        version=draft, acting_user=samordnare, meeting=meeting, decision="§ 4/2026"
    )
    assert approved.locked and approved.content_sha256 and approved.approved_meeting == meeting
    with pytest.raises(ValidationError):
        services.version_approve(version=approved, acting_user=samordnare)
    with pytest.raises(ValidationError):
        services.sections_save(version=approved, acting_user=samordnare, summary="tyst ändring")
    approved.refresh_from_db()
    assert approved.summary == "" and approved.status == EvaluationVersion.Status.GODKAND
    # The one who recorded the approval may not release the public version; a second samordnare may.
    with pytest.raises(PermissionDenied):
        services.public_release(version=approved, acting_user=samordnare)
    assert public_evaluations([world.a.pk]) == []
    services.public_release(version=approved, acting_user=samordnare2)
    with pytest.raises(ValidationError):
        services.public_release(version=approved, acting_user=samordnare2)
    [listed] = public_evaluations([world.a.pk, world.b.pk])
    assert (listed.year, listed.collaboration, listed.public_version.number) == (2026, world.a, 1)
    second = services.version_new(evaluation=approved.evaluation, acting_user=samordnare)
    assert second.number == 2 and not second.locked
    services.sections_save(version=second, acting_user=samordnare, summary="Ny text")
    approved.refresh_from_db()
    assert approved.summary == "" and public_evaluations([world.a.pk])[0].public_version.number == 1
    with pytest.raises(ValidationError):
        services.version_new(evaluation=approved.evaluation, acting_user=samordnare)


def test_bad_input_is_refused_with_nothing_written(world, draft):
    samordnare = world.users["samordnare"]
    with pytest.raises(ValidationError) as error:
        services.evaluation_create(collaboration=world.a, year=2019, acting_user=samordnare)
    assert "year" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.evaluation_create(collaboration=world.a, year=2026, acting_user=samordnare)
    with pytest.raises(ValidationError) as error:
        services.sections_save(version=draft, acting_user=samordnare, summary=f"Se {PERSONNUMMER}")
    assert "summary" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.sections_save(
            version=draft, acting_user=samordnare, proposals="Ring 070-123 45 67", proposals_level=Level.OPPEN
        )
    with pytest.raises(PermissionDenied):
        services.evaluation_create(collaboration=world.a, year=2025, acting_user=world.users["ledamot"])
    draft.refresh_from_db()
    assert (draft.summary, draft.proposals, draft.version) == ("", "", 1)


def test_next_years_plan_carries_open_red_and_yellow_actions_and_the_proposals(world, draft):
    samordnare = world.users["samordnare"]
    draft = services.sections_save(
        version=draft,
        acting_user=samordnare,
        proposals="Fler vuxna ute på helger",
        proposals_level=Level.OPPEN,
    )
    with pytest.raises(ValidationError):
        next_plan_start(version=draft, acting_user=samordnare)
    approved = services.version_approve(version=draft, acting_user=samordnare)
    plan = next_plan_start(version=approved, acting_user=samordnare)
    assert plan.status == ActionPlan.Status.UTKAST and plan.start_date.year == 2027
    assert plan.description == "Fler vuxna ute på helger" and plan.predecessor == world.cycle["A"]["plan"]
    carried = Action.objects.filter(plan=plan).order_by("number")
    assert [a.level for a in carried] == ["oppen", "intern", "begransad"]
    assert all(a.causes.exists() for a in carried)


def test_statistics_and_survey_results_are_compared_with_the_year_before(world):
    """Imported indicators of the collaboration's kommun (Malå): a survey estimate with its interval, a
    monthly count summed over full years, one with a month missing (left out), a small count (suppressed)."""
    import datetime as dt
    from decimal import Decimal

    from samverkan.indicators import suppression
    from samverkan.indicators.models import DataPoint, Indicator

    def indicator(code: str, name: str, period: str, *, count: bool) -> Indicator:
        return Indicator.objects.create(
            code=code,
            name=name,
            unit="antal" if count else "procent",
            source="Testkälla",
            period_type=period,
            is_count=count,
        )

    survey = indicator("test.trygghet", "Otrygghet utomhus kvällstid", Indicator.Period.YEAR, count=False)
    thefts = indicator("test.stolder", "Stölder", Indicator.Period.MONTH, count=True)
    gaps = indicator("test.luckor", "Skadegörelse", Indicator.Period.MONTH, count=True)
    few = indicator("test.fa", "Rån", Indicator.Period.YEAR, count=True)
    rows = [
        DataPoint(
            indicator=survey,
            kommun_id="2418",
            period_start=dt.date(2025, 1, 1),
            value=Decimal("30"),
            ci_low=Decimal("27"),
            ci_high=Decimal("33"),
        ),
        DataPoint(
            indicator=survey,
            kommun_id="2418",
            period_start=dt.date(2026, 1, 1),
            value=Decimal("20"),
            ci_low=Decimal("17"),
            ci_high=Decimal("23"),
        ),
        DataPoint(indicator=few, kommun_id="2418", period_start=dt.date(2025, 1, 1), value=Decimal("2")),
        DataPoint(indicator=few, kommun_id="2418", period_start=dt.date(2026, 1, 1), value=Decimal("9")),
        # Another kommun's figures are not the collaboration's.
        DataPoint(indicator=few, kommun_id="2039", period_start=dt.date(2026, 1, 1), value=Decimal("90")),
    ]
    for year, per_month in ((2025, 10), (2026, 20)):
        for month in range(1, 13):
            rows.append(
                DataPoint(
                    indicator=thefts,
                    kommun_id="2418",
                    period_start=dt.date(year, month, 1),
                    value=Decimal(per_month),
                )
            )
            if month != 7 or year != 2026:
                rows.append(
                    DataPoint(
                        indicator=gaps,
                        kommun_id="2418",
                        period_start=dt.date(year, month, 1),
                        value=Decimal(50),
                    )
                )
    DataPoint.objects.bulk_create(rows)

    version = services.evaluation_create(
        collaboration=world.a, year=2026, acting_user=world.users["samordnare"]
    )
    table = {row["cells"][0]: row["cells"] for row in version.facts["tables"]["indicator_trends"]}
    assert table["Otrygghet utomhus kvällstid"][2:] == [20, 30, "-33 % (signifikant)"]  # intervals apart
    assert table["Stölder"][2:] == [240, 120, "+100 % (signifikant)"]  # 12 months each, exact test
    assert "Skadegörelse" not in table  # July 2026 is missing: no yearly sum is made up
    # Last year's 2 is below the threshold: shown as "fewer than", and nothing is compared.
    assert table["Rån"][2:] == [9, suppression.fewer_than(suppression.threshold()), "–"]
    assert all(row["level"] == "oppen" for row in version.facts["tables"]["indicator_trends"])
    # The öppen document shows the table.
    text = docx_text(exports.docx_bytes(evaluation_document(version, public=True)))
    assert "Statistik och enkäter" in text and "Otrygghet utomhus kvällstid" in text and "-33 %" in text


def test_the_evaluation_pdfs_are_pdf_a_3b(world, draft, tmp_path):
    """The record's copy and the public one: PDF/A-3b as far as it can be checked without veraPDF."""
    from tests.meetings.test_minutes import assert_pdf_a

    full = exports.pdf_bytes(evaluation_document(draft, user=world.users["samordnare"]))
    assert_pdf_a(full, tmp_path / "utvardering.pdf")
    public = exports.pdf_bytes(evaluation_document(draft, public=True))
    assert_pdf_a(public, tmp_path / "utvardering-offentlig.pdf")
    assert not {c for c in NOT_PUBLIC if c in pdf_text(public)}
