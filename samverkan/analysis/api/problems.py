"""Problems (prioriterade problem) and their causes (orsaksanalys).

Every member reads through the one visibility rule; the samordnare writes (``can_edit_analysis``).
A write sent with the ``version`` it read answers 409 with both texts if someone saved since.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Status
from ninja.pagination import paginate

from samverkan.analysis import selectors, services
from samverkan.analysis.api.schemas import (
    CauseIn,
    CauseOut,
    CausePatch,
    ProblemIn,
    ProblemOut,
    ProblemPatch,
    ProblemStatus,
)
from samverkan.analysis.models import Cause, Problem
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.apikit import (
    ContractRouter,
    Id,
    Pagination,
    Version,
    patch_fields,
    plain,
    require,
    take_version,
)
from samverkan.core.models import Collaboration

router = ContractRouter(tags=["Problem och orsaker"], operation_ids="samverkan_api_routers_analysis")

SCORES = tuple(services.SCORE_FIELDS)


def _focus_area(user: Any, collaboration: Collaboration, data: dict[str, Any]) -> None:
    """The focus area id as a row the user may read in the collaboration (the service refuses others)."""
    if data.get("focus_area") is not None:
        row = (
            selectors.focus_area_choices(user=user, collaboration=collaboration)
            .filter(pk=data["focus_area"])
            .first()
        )
        if row is None:
            raise ValidationError({"focus_area": gettext("Okänt fokusområde.")})
        data["focus_area"] = row


def _problem_out(user: Any, pk: int) -> Problem:
    return core_selectors.get_for_user(selectors.problem_queryset(user), user, pk)


def _split_scores(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data.pop(name) for name in SCORES if name in data}


@router.get("/collaborations/{collaboration_id}/problems", response=list[ProblemOut])
@paginate(Pagination)
def problem_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, collaboration_id: Id, status: ProblemStatus | None = None
):
    """Samverkans problem som du får läsa, med poängen på Brås kriterier."""
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    qs = selectors.problem_queryset(request.user).filter(collaboration=collaboration).order_by("id")
    if status:
        qs = qs.filter(status=status.value)
    return qs


@router.post("/collaborations/{collaboration_id}/problems", response={201: ProblemOut})
def problem_create(request: HttpRequest, collaboration_id: Id, payload: ProblemIn) -> Status:
    """Nytt problem (samordnare)."""
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, collaboration_id, require=permissions.can_edit_analysis
    )
    data = plain(payload.dict())
    _focus_area(request.user, collaboration, data)
    scores = _split_scores(data)
    scored_by, scored_on = data.pop("scored_by"), data.pop("scored_on")
    texts: dict[str, Any] = {
        name: data.pop(name) or "" for name in ("description", "where", "when", "affected", "area_code")
    }
    status = data.pop("status") or Problem.Status.AKTIVT
    scored = any(value is not None for value in scores.values()) or scored_by or scored_on
    problem = services.problem_save(
        collaboration=collaboration,
        acting_user=request.user,
        status=status,
        scores=scores if scored else None,
        scored_by=scored_by or "",
        scored_on=scored_on,
        **texts,
        **data,
    )
    return Status(201, _problem_out(request.user, problem.pk))


@router.get("/problems/{problem_id}", response=ProblemOut)
def problem_detail(request: HttpRequest, problem_id: Id) -> Problem:
    return _problem_out(request.user, problem_id)


def _find_problem(request: HttpRequest, problem_id: int) -> Problem:
    """Visible (else 404), then may the user change it (else 403)."""
    problem = selectors.get_problem(request.user, problem_id, shown=False)
    require(permissions.can_edit_analysis(request.user, problem.collaboration))
    return problem


@router.patch("/problems/{problem_id}", response=ProblemOut)
def problem_update(request: HttpRequest, problem_id: Id, payload: ProblemPatch) -> Problem:
    """Ändra problemet och dess poäng (samordnare); en poäng kan tömmas med null."""
    problem = _find_problem(request, problem_id)
    data = patch_fields(payload, nullable=("focus_area", "scored_on", *SCORES))
    version = take_version(data)
    if "focus_area" in data:
        _focus_area(request.user, problem.collaboration, data)
    scores = _split_scores(data)
    services.problem_update(
        problem=problem,
        acting_user=request.user,
        version=version,
        scores=scores,
        scored_by=data.pop("scored_by", None),
        scored_on=data.pop("scored_on", None),
        **data,
    )
    return _problem_out(request.user, problem_id)


@router.delete("/problems/{problem_id}", response={204: None})
def problem_delete(request: HttpRequest, problem_id: Id, version: Version | None = None) -> Status:
    """Ta bort problemet med dess orsaksanalys (samordnare). Med ``?version=`` bara om ingen har ändrat
    det sedan dess (annars 409)."""
    problem = _find_problem(request, problem_id)
    services.problem_delete(problem=problem, acting_user=request.user, version=version)
    return Status(204, None)


# --- Causes --------------------------------------------------------------------------------------------


def _parent(request: HttpRequest, problem: Problem, pk: int | None) -> Cause | None:
    """The parent named by id: a cause the user may read; of another problem the service refuses it."""
    if pk is None:
        return None
    row = selectors.cause_api_queryset(request.user).filter(pk=pk).first()
    if row is None or row.collaboration_id != problem.collaboration_id:
        raise ValidationError({"parent": gettext("Det du pekar på finns inte i den här samverkan.")})
    return row


@router.get("/problems/{problem_id}/causes", response=list[CauseOut])
@paginate(Pagination)
def cause_list(request: HttpRequest, problem_id: Id):  # type: ignore[no-untyped-def]
    """Problemets orsaker som du får läsa: direkta (utan parent) och deras orsaker."""
    problem = selectors.get_problem(request.user, problem_id)
    return selectors.cause_api_queryset(request.user).filter(problem=problem)


@router.post("/problems/{problem_id}/causes", response={201: CauseOut})
def cause_create(request: HttpRequest, problem_id: Id, payload: CauseIn) -> Status:
    """Ny orsak (samordnare), under ``parent`` om den anges."""
    problem = _find_problem(request, problem_id)
    data = plain(payload.dict())
    data["parent"] = _parent(request, problem, data["parent"])
    cause = services.cause_save(problem=problem, acting_user=request.user, **data)
    return Status(201, _cause_out(request.user, cause.pk))


def _cause_out(user: Any, pk: int) -> Cause:
    return core_selectors.get_for_user(selectors.cause_api_queryset(user), user, pk)


@router.get("/causes/{cause_id}", response=CauseOut)
def cause_detail(request: HttpRequest, cause_id: Id) -> Cause:
    return _cause_out(request.user, cause_id)


def _find_cause(request: HttpRequest, cause_id: int) -> Cause:
    cause = selectors.get_cause(request.user, cause_id, shown=False)
    require(permissions.can_edit_analysis(request.user, cause.problem.collaboration))
    return cause


@router.patch("/causes/{cause_id}", response=CauseOut)
def cause_update(request: HttpRequest, cause_id: Id, payload: CausePatch) -> Cause:
    """Ändra orsaken eller flytta den under en annan (samordnare); ``parent: null`` gör den direkt."""
    cause = _find_cause(request, cause_id)
    data = patch_fields(payload, nullable=("parent",))
    version = take_version(data)
    current: dict[str, Any] = {
        "text": cause.text,
        "bone": cause.bone,
        "evidence_note": cause.evidence_note,
        "parent": cause.parent,
    }
    if "parent" in data:
        data["parent"] = _parent(request, cause.problem, data["parent"])
    services.cause_save(
        problem=cause.problem,
        cause=cause,
        acting_user=request.user,
        version=version,
        **{**current, **data},
    )
    return _cause_out(request.user, cause_id)


@router.delete("/causes/{cause_id}", response={204: None})
def cause_delete(request: HttpRequest, cause_id: Id, version: Version | None = None) -> Status:
    """Ta bort orsaken och orsakerna under den (samordnare)."""
    cause = _find_cause(request, cause_id)
    services.cause_delete(cause=cause, acting_user=request.user, version=version)
    return Status(204, None)
