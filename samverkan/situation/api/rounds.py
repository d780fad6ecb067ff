"""Rounds (insamlingsomgångar) and reports with their answers.

Rounds and reports are read by every member of their collaboration; answers through the visibility
rule (begränsad answers only to the roles named on them, and audit-logged), all through the selectors.
Writes: the object is looked up the same way (404), then the service decides (403 / 422 naming the field).
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Body, Status
from ninja.pagination import paginate

from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.apikit import ContractRouter, Id, Pagination, organisation_ref
from samverkan.situation.api.schemas import (
    Answers,
    Completeness,
    ReportDetailOut,
    ReportIn,
    ReportOut,
    ReportStatus,
    RoundDetailOut,
    RoundIn,
    RoundOut,
)
from samverkan.situation.models import Report, Round
from samverkan.situation.selectors import rounds as selectors
from samverkan.situation.services import report_get_or_create, report_save, report_submit, round_create

router = ContractRouter(tags=["Lägesbild"], operation_ids="samverkan_api_routers_situation_rounds")


# --- Rounds --------------------------------------------------------------------------------------------


def _round_detail(request: HttpRequest, round_id: int) -> Round:
    round_ = selectors.get_round(request.user, round_id)
    states = selectors.round_completeness(round_)
    round_.api_organisations = [state.organisation for state in states]  # type: ignore[attr-defined]
    round_.api_completeness = [  # type: ignore[attr-defined]
        {
            "organisation": state.organisation.pk,
            "organisation_name": state.organisation.name,
            "state": Completeness(state.report.status) if state.report else Completeness.EJ_PABORJAD,
            "report": state.report.pk if state.report else None,
            "submitted_at": state.report.submitted_at if state.report else None,
        }
        for state in states
    ]
    return round_


@router.get("/rounds", response=list[RoundOut])
@paginate(Pagination)
def round_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, collaboration: Id | None = None, open: bool | None = None
):
    """Insamlingsomgångar, senaste perioden först. ``?open=true``: bara de som tar emot rapporter nu."""
    qs = selectors.rounds_for(request.user)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if open is not None:
        accepting = {"closed_at__isnull": True, "deadline__gte": timezone.now()}
        qs = qs.filter(**accepting) if open else qs.exclude(**accepting)
    return qs.order_by("-period_start", "-id")


@router.get("/rounds/{round_id}", response=RoundDetailOut)
def round_detail(request: HttpRequest, round_id: Id) -> Round:
    """Omgången med tillfrågade organisationer och vilka som har rapporterat."""
    return _round_detail(request, round_id)


@router.post("/rounds", response={201: RoundDetailOut})
def round_open(request: HttpRequest, payload: RoundIn) -> Status:
    """Öppna en omgång (samordnare). Utan ``organisations`` tillfrågas alla aktörer i samverkan."""
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, payload.collaboration, require=permissions.can_manage_rounds
    )
    template = selectors.templates_for(request.user).filter(pk=payload.template).first()
    if template is None:
        raise ValidationError({"template": gettext("Okänd mall.")})
    organisations = None
    if payload.organisations is not None:
        ids = set(payload.organisations)
        organisations = list(
            core_selectors.organisation_list(user=request.user, collaboration=collaboration).filter(
                pk__in=ids
            )
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


def _report_detail(request: HttpRequest, report_id: int) -> Report:
    report = selectors.get_report(request.user, report_id)
    report.api_answers = selectors.visible_answers(user=request.user, report=report)  # type: ignore[attr-defined]
    return report


@router.get("/reports", response=list[ReportOut])
@paginate(Pagination)
def report_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    round: Id | None = None,
    collaboration: Id | None = None,
    organisation: Id | None = None,
    status: ReportStatus | None = None,
):
    """Rapporter (utan svar; hämta en rapport för dess svar)."""
    qs = selectors.reports_for(request.user)
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
def report_detail(request: HttpRequest, report_id: Id) -> Report:
    """Rapporten med de svar du får läsa, vart och ett med sin sekretessnivå."""
    return _report_detail(request, report_id)


@router.post("/reports", response={200: ReportDetailOut, 201: ReportDetailOut})
def report_start(request: HttpRequest, payload: ReportIn) -> Status:
    """Organisationens rapport i omgången: ett nytt utkast (201) eller det som redan finns (200).

    Du rapporterar för organisationen ditt medlemskap anger; samordnaren för alla aktörer.
    """
    round_ = (
        selectors.rounds_for(request.user).select_related("collaboration").filter(pk=payload.round).first()
    )
    if round_ is None:
        raise ValidationError({"round": gettext("Okänd omgång.")})
    organisation = organisation_ref(request.user, round_.collaboration, payload.organisation, "organisation")
    assert organisation is not None
    existed = selectors.has_report(round_=round_, organisation=organisation)
    report = report_get_or_create(round_=round_, organisation=organisation, acting_user=request.user)
    return Status(200 if existed else 201, _report_detail(request, report.pk))


@router.put("/reports/{report_id}/answers", response=ReportDetailOut)
def report_answers_save(request: HttpRequest, report_id: Id, payload: Body[Answers]) -> Report:
    """Spara svar: frågans id → svar. Svar som inte finns med lämnas orörda (ett utkast får vara ofullständigt).

    Skicka med varje svars ``version`` från rapporten: har någon annan ändrat ett av svaren sedan dess
    blir svaret 409 och inget sparas.

    Fel i ett svar anges med frågans id, t.ex. ``q12``. När omgången har stängt sparas inget och
    utkastet finns kvar som det var.
    """
    report = selectors.get_report(request.user, report_id)
    answers = {}
    for question_id, answer in payload.items():
        data = answer.dict(exclude_none=True)
        if "level" in data:
            data["level"] = data["level"].value if hasattr(data["level"], "value") else data["level"]
        answers[question_id] = data
    report_save(report=report, answers=answers, acting_user=request.user)
    return _report_detail(request, report_id)


@router.post("/reports/{report_id}/submit", response=ReportDetailOut)
def report_send(request: HttpRequest, report_id: Id) -> Report:
    """Skicka in rapporten; alla obligatoriska frågor måste vara besvarade. Den går att ändra tills omgången stänger."""
    report = selectors.get_report(request.user, report_id)
    report_submit(report=report, acting_user=request.user)
    return _report_detail(request, report_id)
