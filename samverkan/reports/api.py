"""Yearly evaluations in the API: list and read at the reader's level, the files (PDF/A, DOCX, XLSX; full or
``?oppen=true``), and the samordnare's writes: create, edit the draft's sections (409 on a clash), record
the group's approval, a new version after approval, the public release (a second person), next year's plan."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from samverkan.core import selectors as core_selectors
from samverkan.core.apikit import ContractRouter, Id, InSchema, Pagination, Text, version_in, version_out
from samverkan.reports import exports, selectors
from samverkan.reports.models import Evaluation, EvaluationVersion
from samverkan.reports.permissions import can_edit_evaluation
from samverkan.reports.services import evaluation as services
from samverkan.reports.services.next_plan import next_plan_start

router = ContractRouter(tags=["Årlig utvärdering"], operation_ids="samverkan_api_routers_evaluations")


class EvaluationSectionOut(Schema):
    key: str
    title: str
    level: str
    withheld: bool = Field(..., description="Avsnittet finns men du får inte läsa det.")
    text: str


class EvaluationTableOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    withheld: int = Field(..., description="Rader du inte får läsa (visas inte).")
    totals: list[Any]


class EvaluationStepOut(Schema):
    key: str
    label: str
    done: bool
    evidence: str
    url: str


class EvaluationVersionOut(Schema):
    number: int
    status: str
    generated_at: dt.datetime
    approved_at: dt.datetime | None
    approved_decision: str
    approved_meeting: int | None
    content_sha256: str
    public_released_at: dt.datetime | None
    version: int = version_out()


class EvaluationOut(Schema):
    id: int
    collaboration: int
    year: int
    title: str
    latest: EvaluationVersionOut
    versions: list[int]


class EvaluationDetailOut(EvaluationOut):
    sections: list[EvaluationSectionOut]
    process: list[EvaluationStepOut]
    tables: list[EvaluationTableOut]


class EvaluationIn(InSchema):
    collaboration: Id
    year: int = Field(..., ge=1990, le=2100)


class EvaluationPatch(InSchema):
    summary: Text | None = None
    summary_level: str | None = Field(None, max_length=10)
    assessment: Text | None = None
    assessment_level: str | None = Field(None, max_length=10)
    proposals: Text | None = None
    proposals_level: str | None = Field(None, max_length=10)
    version: int | None = version_in()


class ApproveIn(InSchema):
    meeting: Id | None = Field(None, description="Mötet där gruppen godkände utvärderingen.")
    decision: str = Field("", max_length=40, description="Beslutets nummer, till exempel ”§ 4/2026”.")


class PlanCreatedOut(Schema):
    plan: int


def _version_out(version: EvaluationVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "status": version.status,
        "generated_at": version.generated_at,
        "approved_at": version.approved_at,
        "approved_decision": version.approved_decision,
        "approved_meeting": version.approved_meeting_id,
        "content_sha256": version.content_sha256,
        "public_released_at": version.public_released_at,
        "version": version.version,
    }


def _out(evaluation: Evaluation) -> dict[str, Any]:
    versions = list(evaluation.versions.order_by("-number"))
    return {
        "id": evaluation.pk,
        "collaboration": evaluation.collaboration_id,
        "year": evaluation.year,
        "title": evaluation.title,
        "latest": _version_out(versions[0]),
        "versions": [v.number for v in versions],
    }


def _detail(request: HttpRequest, evaluation: Evaluation, number: int | None, oppen: bool) -> dict[str, Any]:
    version = selectors.get_version(evaluation, number) if number else selectors.latest_version(evaluation)
    document = selectors.evaluation_document(version, user=request.user, public=oppen)
    return {
        **_out(evaluation),
        "latest": _version_out(version),
        "sections": [
            {"key": s.key, "title": s.title, "level": s.level, "withheld": s.withheld, "text": s.text}
            for s in document.sections
        ],
        "process": [vars(step) for step in document.process],
        "tables": [
            {
                "key": t.spec.key,
                "title": str(t.spec.title),
                "columns": [str(c) for c in t.spec.columns],
                "rows": t.rows,
                "withheld": t.withheld,
                "totals": t.totals,
            }
            for t in document.tables
        ],
    }


@router.get("/evaluations", response=list[EvaluationOut])
@paginate(Pagination)
def evaluation_list(request: HttpRequest, collaboration: Id | None = None):  # type: ignore[no-untyped-def]
    """Årliga utvärderingar i dina samverkan, nyaste året först. Filter: ``?collaboration=``."""
    queryset = Evaluation.objects.of_member(request.user).prefetch_related("versions")  # type: ignore[attr-defined]
    if collaboration is not None:
        queryset = queryset.filter(collaboration_id=collaboration)
    return [_out(e) for e in queryset.order_by("-year", "pk")]


def _document(
    request: HttpRequest, evaluation_id: int, version: int | None, oppen: bool
) -> selectors.EvaluationDocument:
    evaluation = selectors.get_evaluation_by_id(user=request.user, pk=evaluation_id)
    row = selectors.get_version(evaluation, version) if version else selectors.latest_version(evaluation)
    return selectors.evaluation_document(row, user=request.user, public=oppen)


_FILE = {"responses": {"200": {"description": "Fil", "content": {"application/octet-stream": {}}}}}


# Before the detail route: its {evaluation_id} would otherwise take "5.pdf" and answer 422.
@router.get("/evaluations/{evaluation_id}.pdf", response={200: None}, openapi_extra=_FILE)
def evaluation_pdf(
    request: HttpRequest, evaluation_id: Id, version: Id | None = None, oppen: bool = False
) -> HttpResponse:
    """Utvärderingen som PDF/A, på din nivå eller den öppna versionen (``?oppen=true``)."""
    return exports.evaluation_pdf_response(request, _document(request, evaluation_id, version, oppen))


@router.get("/evaluations/{evaluation_id}.docx", response={200: None}, openapi_extra=_FILE)
def evaluation_docx(
    request: HttpRequest, evaluation_id: Id, version: Id | None = None, oppen: bool = False
) -> HttpResponse:
    """Utvärderingen som Word-fil (DOCX) för kommunens egen redigering."""
    return exports.evaluation_docx_response(_document(request, evaluation_id, version, oppen))


@router.get("/evaluations/{evaluation_id}.xlsx", response={200: None}, openapi_extra=_FILE)
def evaluation_xlsx(
    request: HttpRequest, evaluation_id: Id, version: Id | None = None, oppen: bool = False
) -> HttpResponse:
    """Utvärderingens siffror som Excel (XLSX)."""
    return exports.evaluation_xlsx_response(_document(request, evaluation_id, version, oppen))


@router.get("/evaluations/{evaluation_id}", response=EvaluationDetailOut)
def evaluation_detail(
    request: HttpRequest, evaluation_id: Id, version: Id | None = None, oppen: bool = False
) -> dict[str, Any]:
    """Utvärderingen (senaste versionen eller ``?version=``) med det du får läsa; ``?oppen=true`` ger den öppna versionen."""
    evaluation = selectors.get_evaluation_by_id(user=request.user, pk=evaluation_id)
    return _detail(request, evaluation, version, oppen)


@router.post("/evaluations", response={201: EvaluationDetailOut})
def evaluation_create(request: HttpRequest, payload: EvaluationIn) -> Status:
    """Skapa årets utvärdering med fakta hämtade nu (samordnare). Året måste ha en överenskommelse."""
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, payload.collaboration, require=can_edit_evaluation
    )
    version = services.evaluation_create(
        collaboration=collaboration, year=payload.year, acting_user=request.user
    )
    return Status(201, _detail(request, version.evaluation, None, False))


@router.patch("/evaluations/{evaluation_id}", response=EvaluationDetailOut)
def evaluation_update(request: HttpRequest, evaluation_id: Id, payload: EvaluationPatch) -> dict[str, Any]:
    """Ändra utkastets texter och deras nivåer (samordnare). Godkänd version: 422. Skicka med ``version`` (409 vid krock)."""
    evaluation = selectors.get_evaluation_by_id(user=request.user, pk=evaluation_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    expected = data.pop("version", None)
    services.sections_save(
        version=selectors.latest_version(evaluation),
        acting_user=request.user,
        expected_version=expected,
        **data,
    )
    return _detail(request, evaluation, None, False)


@router.post("/evaluations/{evaluation_id}/approve", response=EvaluationDetailOut)
def evaluation_approve(request: HttpRequest, evaluation_id: Id, payload: ApproveIn) -> dict[str, Any]:
    """Registrera gruppens godkännande (samordnare); versionen låses. En andra gång: 422."""
    evaluation = selectors.get_evaluation_by_id(user=request.user, pk=evaluation_id)
    meeting = None
    if payload.meeting is not None:
        meeting = selectors.approval_meeting(evaluation, payload.meeting)
        if meeting is None:
            from django.core.exceptions import ValidationError
            from django.utils.translation import gettext

            raise ValidationError({"meeting": gettext("Mötet finns inte i samverkan.")})
    services.version_approve(
        version=selectors.latest_version(evaluation),
        acting_user=request.user,
        meeting=meeting,
        decision=payload.decision,
    )
    return _detail(request, evaluation, None, False)


@router.post("/evaluations/{evaluation_id}/new-version", response={201: EvaluationDetailOut})
def evaluation_new_version(request: HttpRequest, evaluation_id: Id) -> Status:
    """Ändra efter godkännande: en ny utkastversion; den godkända är oförändrad."""
    evaluation = selectors.get_evaluation_by_id(user=request.user, pk=evaluation_id)
    services.version_new(evaluation=evaluation, acting_user=request.user)
    return Status(201, _detail(request, evaluation, None, False))


@router.post("/evaluations/{evaluation_id}/release-public", response=EvaluationDetailOut)
def evaluation_release_public(request: HttpRequest, evaluation_id: Id) -> dict[str, Any]:
    """Frisläpp den offentliga versionen (en annan samordnare än den som registrerade godkännandet)."""
    evaluation = selectors.get_evaluation_by_id(user=request.user, pk=evaluation_id)
    version = selectors.approved_version(evaluation) or selectors.latest_version(evaluation)
    services.public_release(version=version, acting_user=request.user)
    return _detail(request, evaluation, version.number, False)


@router.post("/evaluations/{evaluation_id}/next-plan", response={201: PlanCreatedOut})
def evaluation_next_plan(request: HttpRequest, evaluation_id: Id) -> Status:
    """Starta nästa års åtgärdsplan från den godkända utvärderingen (samordnare)."""
    evaluation = selectors.get_evaluation_by_id(user=request.user, pk=evaluation_id)
    version = selectors.approved_version(evaluation) or selectors.latest_version(evaluation)
    plan = next_plan_start(version=version, acting_user=request.user)
    return Status(201, {"plan": plan.pk})
