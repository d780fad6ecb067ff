"""Rounds (insamlingsomgångar) and reports with their answers.

Rounds and reports are read by every member of their collaboration; answers through
``Answer.objects.visible_to(user)`` (begränsad answers only to the roles named on them, and audit-logged).
Writes: the object is looked up the same way (404), then the service decides (403 / 422 naming the field).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Body, Router, Status
from ninja.pagination import paginate

from samverkan.api.routers.agreements import find, organisation_ref
from samverkan.api.routers.situation_templates import template_queryset
from samverkan.api.schemas_situation import (
    AnswerIn,
    Completeness,
    ReportDetailOut,
    ReportIn,
    ReportOut,
    ReportStatus,
    RoundDetailOut,
    RoundIn,
    RoundOut,
)
from samverkan.core import permissions, selectors
from samverkan.core.apikit import Pagination
from samverkan.core.models import Organisation
from samverkan.core.visibility import membership_roles, record_reads
from samverkan.situation.models import Answer, Report, Round
from samverkan.situation.services import report_get_or_create, report_save, report_submit, round_create

router = Router(tags=["Lägesbild"])


def _member_of(user: Any) -> list[int]:
    return list(membership_roles(user))


# --- Rounds --------------------------------------------------------------------------------------------


def round_queryset(user: Any) -> QuerySet[Round]:
    """Rounds of the user's collaborations."""
    return Round.objects.filter(collaboration_id__in=_member_of(user))


def _round_detail(request: HttpRequest, round_id: int) -> Round:
    round_ = find(
        round_queryset(request.user).prefetch_related(
            Prefetch(
                "organisations", queryset=Organisation.objects.order_by("name"), to_attr="api_organisations"
            )
        ),
        round_id,
    )
    reports = {
        r.organisation_id: r
        for r in Report.objects.filter(round=round_).only("id", "organisation_id", "status", "submitted_at")
    }
    completeness = []
    for org in round_.api_organisations:  # type: ignore[attr-defined]
        report = reports.get(org.pk)
        completeness.append(
            {
                "organisation": org.pk,
                "organisation_name": org.name,
                "state": Completeness(report.status) if report else Completeness.EJ_PABORJAD,
                "report": report.pk if report else None,
                "submitted_at": report.submitted_at if report else None,
            }
        )
    round_.api_completeness = completeness  # type: ignore[attr-defined]
    return round_


@router.get("/rounds", response=list[RoundOut])
@paginate(Pagination)
def round_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, collaboration: int | None = None, open: bool | None = None
):
    """Insamlingsomgångar, senaste perioden först. ``?open=true``: bara de som tar emot rapporter nu."""
    qs = round_queryset(request.user)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if open is not None:
        accepting = {"closed_at__isnull": True, "deadline__gte": timezone.now()}
        qs = qs.filter(**accepting) if open else qs.exclude(**accepting)
    return qs.order_by("-period_start", "-id")


@router.get("/rounds/{round_id}", response=RoundDetailOut)
def round_detail(request: HttpRequest, round_id: int) -> Round:
    """Omgången med tillfrågade organisationer och vilka som har rapporterat."""
    return _round_detail(request, round_id)


@router.post("/rounds", response={201: RoundDetailOut})
def round_open(request: HttpRequest, payload: RoundIn) -> Status:
    """Öppna en omgång (samordnare). Utan ``organisations`` tillfrågas alla aktörer i samverkan."""
    collaboration = selectors.get_collaboration_for_user(
        request.user, payload.collaboration, require=permissions.can_manage_rounds
    )
    template = template_queryset(request.user).filter(pk=payload.template).first()
    if template is None:
        raise ValidationError({"template": gettext("Okänd mall.")})
    organisations = None
    if payload.organisations is not None:
        ids = set(payload.organisations)
        organisations = list(
            selectors.organisation_list(user=request.user, collaboration=collaboration).filter(pk__in=ids)
        )
        if len(organisations) != len(ids):
            raise ValidationError({"organisations": gettext("Bara aktörer i samverkan kan tillfrågas.")})
    created = round_create(
        collaboration=collaboration,
        template=template,
        period=payload.period.value,
        period_start=payload.period_start,
        deadline=payload.deadline,
        organisations=organisations,
        acting_user=request.user,
    )
    return Status(201, _round_detail(request, created.pk))


# --- Reports -------------------------------------------------------------------------------------------


def report_queryset(user: Any) -> QuerySet[Report]:
    """Reports in the user's collaborations (their answers are filtered separately)."""
    return Report.objects.filter(collaboration_id__in=_member_of(user)).select_related("organisation")


def _find_report(request: HttpRequest, report_id: int) -> Report:
    return find(report_queryset(request.user).select_related("round__collaboration"), report_id)


def _report_detail(request: HttpRequest, report_id: int) -> Report:
    user = request.user
    report = find(
        report_queryset(user).prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.visible_to(user).order_by(
                    "question__section__order", "question__order", "question_id"
                ),
                to_attr="api_answers",
            )
        ),
        report_id,
    )
    record_reads(user, report.api_answers)  # type: ignore[attr-defined]
    return report


@router.get("/reports", response=list[ReportOut])
@paginate(Pagination)
def report_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    round: int | None = None,
    collaboration: int | None = None,
    organisation: int | None = None,
    status: ReportStatus | None = None,
):
    """Rapporter (utan svar; hämta en rapport för dess svar)."""
    qs = report_queryset(request.user)
    if round is not None:
        qs = qs.filter(round_id=round)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if organisation is not None:
        qs = qs.filter(organisation_id=organisation)
    if status:
        qs = qs.filter(status=status.value)
    return qs.order_by("-round_id", "organisation__name", "id")


@router.get("/reports/{report_id}", response=ReportDetailOut)
def report_detail(request: HttpRequest, report_id: int) -> Report:
    """Rapporten med de svar du får läsa, vart och ett med sin sekretessnivå."""
    return _report_detail(request, report_id)


@router.post("/reports", response={200: ReportDetailOut, 201: ReportDetailOut})
def report_start(request: HttpRequest, payload: ReportIn) -> Status:
    """Organisationens rapport i omgången: ett nytt utkast (201) eller det som redan finns (200).

    Du rapporterar för organisationen ditt medlemskap anger; samordnaren för alla aktörer.
    """
    round_ = round_queryset(request.user).select_related("collaboration").filter(pk=payload.round).first()
    if round_ is None:
        raise ValidationError({"round": gettext("Okänd omgång.")})
    organisation = organisation_ref(request.user, round_.collaboration, payload.organisation, "organisation")
    assert organisation is not None
    existed = Report.objects.filter(round=round_, organisation=organisation).exists()
    report = report_get_or_create(round_=round_, organisation=organisation, acting_user=request.user)
    return Status(200 if existed else 201, _report_detail(request, report.pk))


@router.put("/reports/{report_id}/answers", response=ReportDetailOut)
def report_answers_save(request: HttpRequest, report_id: int, payload: Body[dict[int, AnswerIn]]) -> Report:
    """Spara svar: frågans id → svar. Svar som inte finns med lämnas orörda (ett utkast får vara ofullständigt).

    Fel i ett svar anges med frågans id, t.ex. ``q12``. När omgången har stängt sparas inget och
    utkastet finns kvar som det var.
    """
    report = _find_report(request, report_id)
    answers = {}
    for question_id, answer in payload.items():
        data = answer.dict(exclude_none=True)
        if "level" in data:
            data["level"] = data["level"].value if hasattr(data["level"], "value") else data["level"]
        answers[question_id] = data
    report_save(report=report, answers=answers, acting_user=request.user)
    return _report_detail(request, report_id)


@router.post("/reports/{report_id}/submit", response=ReportDetailOut)
def report_send(request: HttpRequest, report_id: int) -> Report:
    """Skicka in rapporten; alla obligatoriska frågor måste vara besvarade. Den går att ändra tills omgången stänger."""
    report = _find_report(request, report_id)
    report_submit(report=report, acting_user=request.user)
    return _report_detail(request, report_id)
