"""Agreements (with fact sources, signatories and the year wheel) and focus areas.

Reads: the agreements selectors (a row nested in an agreement is shown only if the agreement is visible
too). Writes: the object is looked up the same way (404), then ``can_edit_agreements`` (403), then the
service validates (422 naming the field).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Status
from ninja.pagination import paginate

from samverkan.agreements import selectors, services
from samverkan.agreements.api.schemas import (
    AgreementDetailOut,
    AgreementIn,
    AgreementOut,
    AgreementPatch,
    AgreementRenewIn,
    AgreementStatus,
    AgreementStatusIn,
    FactSourceIn,
    FactSourceOut,
    FactSourcePatch,
    FocusAreaDetailOut,
    FocusAreaIn,
    FocusAreaMoveIn,
    FocusAreaOut,
    FocusAreaPatch,
    FocusAreaRetireIn,
    FocusAreaStatus,
    SignatoryIn,
    SignatoryOut,
    SignatoryPatch,
    YearMonthOut,
)
from samverkan.agreements.models import Agreement, FactSource, FocusArea, Signatory
from samverkan.agreements.selectors import Part
from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.apikit import (
    ContractRouter,
    Id,
    Pagination,
    level_changes,
    organisation_ref,
    patch_fields,
    plain,
    require,
    take_version,
)
from samverkan.core.models import Collaboration, Kommun, PoliceArea

router = ContractRouter(tags=["Överenskommelser"], operation_ids="samverkan_api_routers_agreements")
FOCUS = ["Fokusområden"]


def agreement_refs(user: Any, collaboration: Collaboration, ids: list[int], field: str) -> list[Agreement]:
    """Agreements of the collaboration the user may see; any other id is a 422 naming ``field``."""
    found = selectors.agreement_refs(user=user, collaboration=collaboration, ids=ids)
    if len(found) != len(set(ids)):
        raise ValidationError({field: gettext("Okänd överenskommelse.")})
    return found


# --- Agreements ----------------------------------------------------------------------------------------


def _find_agreement(request: HttpRequest, agreement_id: int, *, edit: bool = False) -> Agreement:
    agreement = selectors.get_agreement(request.user, agreement_id)
    if edit:
        require(permissions.can_edit_agreements(request.user, agreement.collaboration))
    return agreement


def _parties(user: Any, collaboration: Collaboration, data: dict[str, Any]) -> dict[str, Any]:
    """Turn kommunkoder and ids in ``data`` (popped) into rows; the service checks they are parties."""
    parties: dict[str, Any] = {}
    if "kommuner" in data:
        codes = set(data.pop("kommuner"))
        parties["kommuner"] = list(Kommun.objects.filter(kod__in=codes))
        if len(parties["kommuner"]) != len(codes):
            raise ValidationError({"kommuner": gettext("Okänd kommunkod.")})
    if "police_areas" in data:
        ids = set(data.pop("police_areas"))
        parties["police_areas"] = list(PoliceArea.objects.filter(pk__in=ids))
        if len(parties["police_areas"]) != len(ids):
            raise ValidationError({"police_areas": gettext("Okänt polisområde.")})
    if "other_parties" in data:
        ids = set(data.pop("other_parties"))
        parties["other_parties"] = list(
            core_selectors.organisation_list(user=user, collaboration=collaboration).filter(pk__in=ids)
        )
        if len(parties["other_parties"]) != len(ids):
            raise ValidationError({"other_parties": gettext("Övriga parter måste vara aktörer i samverkan.")})
    return parties


@router.get("/agreements", response=list[AgreementOut])
@paginate(Pagination)
def agreement_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, collaboration: Id | None = None, status: AgreementStatus | None = None
):
    qs = selectors.agreement_queryset(request.user)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if status:
        qs = qs.filter(status=status.value)
    return qs


@router.get("/agreements/{agreement_id}", response=AgreementDetailOut)
def agreement_detail(request: HttpRequest, agreement_id: Id) -> Agreement:
    return selectors.agreement_detail(user=request.user, pk=agreement_id)


@router.post("/agreements", response={201: AgreementDetailOut})
def agreement_create(request: HttpRequest, payload: AgreementIn) -> Status:
    collaboration = core_selectors.get_collaboration_for_user(
        request.user, payload.collaboration, require=permissions.can_edit_agreements
    )
    data = plain(payload.dict(exclude={"collaboration"}))
    parties = _parties(request.user, collaboration, data)
    agreement = services.agreement_create(
        collaboration=collaboration, acting_user=request.user, **parties, **data
    )
    return Status(201, selectors.agreement_detail(user=request.user, pk=agreement.pk))


@router.patch("/agreements/{agreement_id}", response=AgreementDetailOut)
def agreement_update(request: HttpRequest, agreement_id: Id, payload: AgreementPatch) -> Agreement:
    agreement = _find_agreement(request, agreement_id, edit=True)
    data = patch_fields(payload)
    parties = _parties(request.user, agreement.collaboration, data)
    level = level_changes(data, agreement) if {"level", "restricted_to"} & set(data) else {}
    services.agreement_update(agreement=agreement, acting_user=request.user, **parties, **level, **data)
    return selectors.agreement_detail(user=request.user, pk=agreement_id)


@router.post("/agreements/{agreement_id}/status", response=AgreementDetailOut)
def agreement_set_status(request: HttpRequest, agreement_id: Id, payload: AgreementStatusIn) -> Agreement:
    """utkast → gällande → avslutad (och tillbaka); ersatt blir en överenskommelse bara genom förnyelse."""
    agreement = _find_agreement(request, agreement_id, edit=True)
    services.agreement_set_status(agreement=agreement, status=payload.status.value, acting_user=request.user)
    return selectors.agreement_detail(user=request.user, pk=agreement_id)


@router.post("/agreements/{agreement_id}/renew", response={201: AgreementDetailOut})
def agreement_renew(request: HttpRequest, agreement_id: Id, payload: AgreementRenewIn) -> Status:
    """Skapa nästa överenskommelse som utkast; den här blir ersatt. Går bara en gång."""
    agreement = _find_agreement(request, agreement_id, edit=True)
    successor = services.agreement_renew(agreement=agreement, acting_user=request.user, **payload.dict())
    return Status(201, selectors.agreement_detail(user=request.user, pk=successor.pk))


@router.get("/agreements/{agreement_id}/year-wheel", response=list[YearMonthOut])
def agreement_year_wheel(
    request: HttpRequest,
    agreement_id: Id,
    year: int | None = Query(None, ge=1900, le=2200, description="Standard: innevarande år."),
) -> list[dict[str, Any]]:
    """Årshjulet: möten, faktakällor, utvärdering och periodens start och slut, månad för månad."""
    agreement = _find_agreement(request, agreement_id)
    months = selectors.agreement_year_wheel(
        user=request.user, agreement=agreement, year=year or timezone.localdate().year
    )
    return [
        {
            "month": number,
            "events": [{"title": e.title, "kind": e.kind, "detail": e.detail} for e in events],
        }
        for number, events in enumerate(months, start=1)
    ]


# --- Fact sources and signatories (nested in the agreement) --------------------------------------------


def _find_part(request: HttpRequest, model: type[Part], agreement_id: int, pk: int) -> tuple[Agreement, Part]:
    """Agreement and row visible (else 404), then may the user edit them (else 403)."""
    agreement = _find_agreement(request, agreement_id)
    row = selectors.get_agreement_part(model, request.user, agreement, pk, shown=False)
    require(permissions.can_edit_agreements(request.user, agreement.collaboration))
    return agreement, row


def _with_organisation(
    request: HttpRequest, agreement: Agreement, data: dict[str, Any], field: str
) -> dict[str, Any]:
    """``data`` with the organisation id in ``field`` (if given) turned into a party of the collaboration."""
    if field in data:
        data[field] = organisation_ref(request.user, agreement.collaboration, data[field], field)
    return data


@router.post("/agreements/{agreement_id}/fact-sources", response={201: FactSourceOut})
def fact_source_create(request: HttpRequest, agreement_id: Id, payload: FactSourceIn) -> Status:
    agreement = _find_agreement(request, agreement_id, edit=True)
    data = _with_organisation(request, agreement, plain(payload.dict()), "provider")
    source = services.fact_source_save(agreement=agreement, acting_user=request.user, **data)
    return Status(201, selectors.get_agreement_part(FactSource, request.user, agreement, source.pk))


@router.patch("/agreements/{agreement_id}/fact-sources/{fact_source_id}", response=FactSourceOut)
def fact_source_update(
    request: HttpRequest, agreement_id: Id, fact_source_id: Id, payload: FactSourcePatch
) -> FactSource:
    agreement, source = _find_part(request, FactSource, agreement_id, fact_source_id)
    data = _with_organisation(
        request, agreement, patch_fields(payload, nullable=("provider", "month")), "provider"
    )
    current = {
        "kind": source.kind,
        "rhythm": source.rhythm,
        "description": source.description,
        "provider": source.provider,
        "month": source.month,
    }
    level = level_changes(data, source)
    services.fact_source_save(
        agreement=agreement, fact_source=source, acting_user=request.user, **{**current, **data, **level}
    )
    return selectors.get_agreement_part(FactSource, request.user, agreement, fact_source_id)


@router.delete("/agreements/{agreement_id}/fact-sources/{fact_source_id}", response={204: None})
def fact_source_delete(request: HttpRequest, agreement_id: Id, fact_source_id: Id) -> Status:
    _agreement, source = _find_part(request, FactSource, agreement_id, fact_source_id)
    services.fact_source_delete(fact_source=source, acting_user=request.user)
    return Status(204, None)


@router.post("/agreements/{agreement_id}/signatories", response={201: SignatoryOut})
def signatory_create(request: HttpRequest, agreement_id: Id, payload: SignatoryIn) -> Status:
    agreement = _find_agreement(request, agreement_id, edit=True)
    data = _with_organisation(request, agreement, plain(payload.dict()), "organisation")
    return Status(201, services.signatory_save(agreement=agreement, acting_user=request.user, **data))


@router.patch("/agreements/{agreement_id}/signatories/{signatory_id}", response=SignatoryOut)
def signatory_update(
    request: HttpRequest, agreement_id: Id, signatory_id: Id, payload: SignatoryPatch
) -> Signatory:
    agreement, row = _find_part(request, Signatory, agreement_id, signatory_id)
    data = _with_organisation(
        request, agreement, patch_fields(payload, nullable=("organisation", "signed_on")), "organisation"
    )
    current = {
        "name": row.name,
        "title": row.title,
        "organisation": row.organisation,
        "organisation_name": row.organisation_name,
        "signed_on": row.signed_on,
    }
    services.signatory_save(
        agreement=agreement, signatory=row, acting_user=request.user, **{**current, **data}
    )
    return selectors.get_agreement_part(Signatory, request.user, agreement, signatory_id)


@router.delete("/agreements/{agreement_id}/signatories/{signatory_id}", response={204: None})
def signatory_delete(request: HttpRequest, agreement_id: Id, signatory_id: Id) -> Status:
    _agreement, row = _find_part(request, Signatory, agreement_id, signatory_id)
    services.signatory_delete(signatory=row, acting_user=request.user)
    return Status(204, None)


# --- Focus areas ---------------------------------------------------------------------------------------


def _find_focus_area(request: HttpRequest, focus_area_id: int) -> FocusArea:
    """A visible focus area in a visible agreement (else 404) that the user may edit (else 403)."""
    area = selectors.get_focus_area(request.user, focus_area_id)
    require(permissions.can_edit_agreements(request.user, area.agreement.collaboration))
    return area


@router.get("/focus-areas", response=list[FocusAreaOut], tags=FOCUS)
@paginate(Pagination)
def focus_area_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    agreement: Id | None = None,
    collaboration: Id | None = None,
    status: FocusAreaStatus | None = None,
):
    qs = selectors.focus_area_queryset(request.user)
    if agreement is not None:
        qs = qs.filter(agreement_id=agreement)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if status:
        qs = qs.filter(status=status.value)
    return qs.order_by("agreement_id", "parent_id", "order", "id")


@router.get("/focus-areas/{focus_area_id}", response=FocusAreaDetailOut, tags=FOCUS)
def focus_area_detail(request: HttpRequest, focus_area_id: Id) -> FocusArea:
    return selectors.focus_area_detail(user=request.user, pk=focus_area_id)


@router.post("/focus-areas", response={201: FocusAreaDetailOut}, tags=FOCUS)
def focus_area_create(request: HttpRequest, payload: FocusAreaIn) -> Status:
    agreement = _find_agreement(request, payload.agreement, edit=True)
    data = plain(payload.dict(exclude={"agreement"}))
    if data["parent"] is not None:
        parent = selectors.focus_area_ref(user=request.user, pk=data["parent"])
        if parent is None:
            raise ValidationError({"parent": gettext("Okänt fokusområde.")})
        data["parent"] = parent
    area = services.focus_area_add(agreement=agreement, acting_user=request.user, **data)
    return Status(201, selectors.focus_area_detail(user=request.user, pk=area.pk))


@router.patch("/focus-areas/{focus_area_id}", response=FocusAreaDetailOut, tags=FOCUS)
def focus_area_update(request: HttpRequest, focus_area_id: Id, payload: FocusAreaPatch) -> FocusArea:
    """När överenskommelsen gäller krävs en motivering (reason); ändringen sparas i historiken."""
    area = _find_focus_area(request, focus_area_id)
    data = patch_fields(payload, nullable=("changed_on",))
    level = level_changes(data, area) if {"level", "restricted_to"} & set(data) else {}
    services.focus_area_update(
        focus_area=area,
        title=data.get("title", area.title),
        description=data.get("description", area.description),
        changed_on=data.get("changed_on"),
        reason=data.get("reason", ""),
        acting_user=request.user,
        version=take_version(data),
        **level,
    )
    return selectors.focus_area_detail(user=request.user, pk=focus_area_id)


@router.post("/focus-areas/{focus_area_id}/retire", response=FocusAreaDetailOut, tags=FOCUS)
def focus_area_retire(request: HttpRequest, focus_area_id: Id, payload: FocusAreaRetireIn) -> FocusArea:
    """Avsluta fokusområdet (och dess delprioriteringar) med datum och motivering."""
    area = _find_focus_area(request, focus_area_id)
    services.focus_area_retire(
        focus_area=area, changed_on=payload.changed_on, reason=payload.reason, acting_user=request.user
    )
    return selectors.focus_area_detail(user=request.user, pk=focus_area_id)


@router.post("/focus-areas/{focus_area_id}/move", response=FocusAreaDetailOut, tags=FOCUS)
def focus_area_move(request: HttpRequest, focus_area_id: Id, payload: FocusAreaMoveIn) -> FocusArea:
    area = _find_focus_area(request, focus_area_id)
    services.focus_area_move(focus_area=area, direction=payload.direction, acting_user=request.user)
    return selectors.focus_area_detail(user=request.user, pk=focus_area_id)
