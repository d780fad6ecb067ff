"""Agreements (with fact sources, signatories and the year wheel) and focus areas.

Reads: ``Model.objects.visible_to(user)``; a row nested in an agreement is shown only if the agreement
is visible too. Writes: the object is looked up the same way (404), then ``can_edit_agreements`` (403),
then the service validates (422 naming the field).
"""

from enum import Enum
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, Model, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from samverkan.agreements import services
from samverkan.agreements.models import (
    Agreement,
    CitizenPromise,
    FactSource,
    FocusArea,
    FocusAreaChange,
    Group,
    Signatory,
)
from samverkan.agreements.selectors import AgreementDocument, GroupView, year_wheel
from samverkan.api.schemas_agreements import (
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
from samverkan.core import permissions, selectors
from samverkan.core.apikit import Pagination
from samverkan.core.models import Collaboration, Kommun, Organisation, PoliceArea
from samverkan.core.visibility import record_reads, visibility_q

router = Router(tags=["Överenskommelser"])
FOCUS = ["Fokusområden"]

M = TypeVar("M", bound=Model)


# --- Helpers shared with the groups and promises routers ----------------------------------------------


def find(queryset: QuerySet[M], pk: int) -> M:
    """The row if the (already visibility-scoped) queryset holds it, else 404."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def require_edit(user: Any, collaboration: Collaboration) -> None:
    if not permissions.can_edit_agreements(user, collaboration):
        raise PermissionDenied


def changes(payload: Schema, *, nullable: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields a PATCH sets (enums as plain values); null only where the field may be emptied."""
    data = plain(payload.dict(exclude_unset=True))
    empty = [name for name, value in data.items() if value is None and name not in nullable]
    if empty:
        raise ValidationError({name: gettext("Fältet kan inte vara tomt.") for name in empty})
    return data


def plain(data: dict[str, Any]) -> dict[str, Any]:
    return {name: value.value if isinstance(value, Enum) else value for name, value in data.items()}


def level_changes(data: dict[str, Any], obj: Any) -> dict[str, Any]:
    """level/restricted_to for a service call: taken from ``data`` (popped) or kept as they are."""
    return {
        "level": data.pop("level", obj.level),
        "restricted_to": data.pop("restricted_to", sorted(obj.restricted_roles)),
    }


def organisation_ref(
    user: Any, collaboration: Collaboration, pk: int | None, field: str, *, candidates: bool = False
) -> Organisation | None:
    """An organisation taking part in the collaboration (or, with ``candidates``, one it may add)."""
    if pk is None:
        return None
    org = selectors.organisation_list(user=user, collaboration=collaboration).filter(pk=pk).first()
    if org is None and candidates:
        org = selectors.organisation_candidates(user=user, collaboration=collaboration).filter(pk=pk).first()
    if org is None:
        raise ValidationError({field: gettext("Okänd organisation.")})
    return org


def agreement_refs(user: Any, collaboration: Collaboration, ids: list[int], field: str) -> list[Agreement]:
    """Agreements of the collaboration the user may see; any other id is a 422 naming ``field``."""
    found = list(Agreement.objects.visible_to(user).filter(collaboration=collaboration, pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({field: gettext("Okänd överenskommelse.")})
    return found


# --- Agreements ----------------------------------------------------------------------------------------


def agreement_queryset(user: Any) -> QuerySet[Agreement]:
    visible = Agreement.objects.visible_to(user)
    return (
        Agreement.objects.visible_to(user)
        .annotate(
            predecessor_visible=Exists(visible.filter(pk=OuterRef("predecessor_id"))),
            visible_successor_id=Subquery(
                visible.filter(predecessor_id=OuterRef("pk")).order_by().values("pk")[:1]
            ),
        )
        .prefetch_related("kommuner", "police_areas", "other_parties")
    )


def _find_agreement(request: HttpRequest, agreement_id: int, *, edit: bool = False) -> Agreement:
    agreement = find(Agreement.objects.visible_to(request.user).select_related("collaboration"), agreement_id)
    if edit:
        require_edit(request.user, agreement.collaboration)
    return agreement


def _agreement_detail(request: HttpRequest, agreement_id: int) -> Agreement:
    user = request.user
    agreement = find(
        agreement_queryset(user).prefetch_related(
            Prefetch(
                "fact_sources",
                queryset=FactSource.objects.visible_to(user),
                to_attr="api_fact_sources",
            ),
            Prefetch(
                "signatories",
                queryset=Signatory.objects.visible_to(user).select_related("organisation"),
                to_attr="api_signatories",
            ),
            Prefetch(
                "focus_areas",
                queryset=FocusArea.objects.visible_to(user).only("id", "agreement_id"),
                to_attr="api_focus_areas",
            ),
            Prefetch("groups", queryset=Group.objects.visible_to(user).only("id"), to_attr="api_groups"),
            Prefetch(
                "promises",
                queryset=CitizenPromise.objects.visible_to(user).only("id", "agreement_id"),
                to_attr="api_promises",
            ),
        ),
        agreement_id,
    )
    shown = [agreement, *agreement.api_fact_sources, *agreement.api_signatories]  # type: ignore[attr-defined]
    record_reads(user, shown)
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
            selectors.organisation_list(user=user, collaboration=collaboration).filter(pk__in=ids)
        )
        if len(parties["other_parties"]) != len(ids):
            raise ValidationError({"other_parties": gettext("Övriga parter måste vara aktörer i samverkan.")})
    return parties


@router.get("/agreements", response=list[AgreementOut])
@paginate(Pagination)
def agreement_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, collaboration: int | None = None, status: AgreementStatus | None = None
):
    qs = agreement_queryset(request.user)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if status:
        qs = qs.filter(status=status.value)
    return qs


@router.get("/agreements/{agreement_id}", response=AgreementDetailOut)
def agreement_detail(request: HttpRequest, agreement_id: int) -> Agreement:
    return _agreement_detail(request, agreement_id)


@router.post("/agreements", response={201: AgreementDetailOut})
def agreement_create(request: HttpRequest, payload: AgreementIn) -> Status:
    collaboration = selectors.get_collaboration_for_user(
        request.user, payload.collaboration, require=permissions.can_edit_agreements
    )
    data = plain(payload.dict(exclude={"collaboration"}))
    parties = _parties(request.user, collaboration, data)
    agreement = services.agreement_create(
        collaboration=collaboration, acting_user=request.user, **parties, **data
    )
    return Status(201, _agreement_detail(request, agreement.pk))


@router.patch("/agreements/{agreement_id}", response=AgreementDetailOut)
def agreement_update(request: HttpRequest, agreement_id: int, payload: AgreementPatch) -> Agreement:
    agreement = _find_agreement(request, agreement_id, edit=True)
    data = changes(payload)
    parties = _parties(request.user, agreement.collaboration, data)
    level = level_changes(data, agreement) if {"level", "restricted_to"} & set(data) else {}
    services.agreement_update(agreement=agreement, acting_user=request.user, **parties, **level, **data)
    return _agreement_detail(request, agreement_id)


@router.post("/agreements/{agreement_id}/status", response=AgreementDetailOut)
def agreement_set_status(request: HttpRequest, agreement_id: int, payload: AgreementStatusIn) -> Agreement:
    """utkast → gällande → avslutad (och tillbaka); ersatt blir en överenskommelse bara genom förnyelse."""
    agreement = _find_agreement(request, agreement_id, edit=True)
    services.agreement_set_status(agreement=agreement, status=payload.status.value, acting_user=request.user)
    return _agreement_detail(request, agreement_id)


@router.post("/agreements/{agreement_id}/renew", response={201: AgreementDetailOut})
def agreement_renew(request: HttpRequest, agreement_id: int, payload: AgreementRenewIn) -> Status:
    """Skapa nästa överenskommelse som utkast; den här blir ersatt. Går bara en gång."""
    agreement = _find_agreement(request, agreement_id, edit=True)
    successor = services.agreement_renew(agreement=agreement, acting_user=request.user, **payload.dict())
    return Status(201, _agreement_detail(request, successor.pk))


@router.get("/agreements/{agreement_id}/year-wheel", response=list[YearMonthOut])
def agreement_year_wheel(
    request: HttpRequest,
    agreement_id: int,
    year: int | None = Query(None, ge=1900, le=2200, description="Standard: innevarande år."),
) -> list[dict[str, Any]]:
    """Årshjulet: möten, faktakällor, utvärdering och periodens start och slut, månad för månad."""
    user = request.user
    agreement = _find_agreement(request, agreement_id)
    groups = list(
        Group.objects.visible_to(user)
        .filter(agreements=agreement)
        .select_related("meets_around")
        .order_by("-tier", "name")
    )
    visible_groups = {
        g.pk for g in Group.objects.visible_to(user).filter(collaboration=agreement.collaboration)
    }
    for group in groups:
        if group.meets_around_id not in visible_groups:
            group.meets_around = None  # its name would show in the wheel; never saved
    sources = list(FactSource.objects.visible_to(user).filter(agreement=agreement))
    document = AgreementDocument(
        agreement=agreement,
        public=False,
        kommuner=[],
        police_areas=[],
        other_parties=[],
        focus_areas=[],
        retired_focus_areas=[],
        fact_sources=sources,
        groups=[GroupView(group=g, standing=[], invited=[]) for g in groups],
        signatories=[],
        promises=[],
        replaced_promises=[],
        predecessor=None,
        successor=None,
    )
    record_reads(user, [agreement, *groups, *sources])
    months = year_wheel(document, year or timezone.localdate().year)
    return [
        {
            "month": number,
            "events": [{"title": e.title, "kind": e.kind, "detail": e.detail} for e in events],
        }
        for number, events in enumerate(months, start=1)
    ]


# --- Fact sources and signatories (nested in the agreement) --------------------------------------------


def _find_fact_source(
    request: HttpRequest, agreement_id: int, fact_source_id: int
) -> tuple[Agreement, FactSource]:
    """Both visible (else 404), then may the user edit (else 403)."""
    agreement = _find_agreement(request, agreement_id)
    source = find(FactSource.objects.visible_to(request.user).filter(agreement=agreement), fact_source_id)
    require_edit(request.user, agreement.collaboration)
    return agreement, source


def _find_signatory(
    request: HttpRequest, agreement_id: int, signatory_id: int
) -> tuple[Agreement, Signatory]:
    agreement = _find_agreement(request, agreement_id)
    row = find(Signatory.objects.visible_to(request.user).filter(agreement=agreement), signatory_id)
    require_edit(request.user, agreement.collaboration)
    return agreement, row


def _fact_source_fields(request: HttpRequest, agreement: Agreement, data: dict[str, Any]) -> dict[str, Any]:
    if "provider" in data:
        data["provider"] = organisation_ref(
            request.user, agreement.collaboration, data["provider"], "provider"
        )
    return data


@router.post("/agreements/{agreement_id}/fact-sources", response={201: FactSourceOut})
def fact_source_create(request: HttpRequest, agreement_id: int, payload: FactSourceIn) -> Status:
    agreement = _find_agreement(request, agreement_id, edit=True)
    data = _fact_source_fields(request, agreement, plain(payload.dict()))
    source = services.fact_source_save(agreement=agreement, acting_user=request.user, **data)
    record_reads(request.user, [source])
    return Status(201, source)


@router.patch("/agreements/{agreement_id}/fact-sources/{fact_source_id}", response=FactSourceOut)
def fact_source_update(
    request: HttpRequest, agreement_id: int, fact_source_id: int, payload: FactSourcePatch
) -> FactSource:
    agreement, source = _find_fact_source(request, agreement_id, fact_source_id)
    data = _fact_source_fields(request, agreement, changes(payload, nullable=("provider", "month")))
    current = {
        "kind": source.kind,
        "rhythm": source.rhythm,
        "description": source.description,
        "provider": source.provider,
        "month": source.month,
    }
    level = level_changes(data, source)
    saved = services.fact_source_save(
        agreement=agreement, fact_source=source, acting_user=request.user, **{**current, **data, **level}
    )
    record_reads(request.user, [saved])
    return saved


@router.delete("/agreements/{agreement_id}/fact-sources/{fact_source_id}", response={204: None})
def fact_source_delete(request: HttpRequest, agreement_id: int, fact_source_id: int) -> Status:
    _agreement, source = _find_fact_source(request, agreement_id, fact_source_id)
    services.fact_source_delete(fact_source=source, acting_user=request.user)
    return Status(204, None)


def _signatory_fields(request: HttpRequest, agreement: Agreement, data: dict[str, Any]) -> dict[str, Any]:
    if "organisation" in data:
        data["organisation"] = organisation_ref(
            request.user, agreement.collaboration, data["organisation"], "organisation"
        )
    return data


@router.post("/agreements/{agreement_id}/signatories", response={201: SignatoryOut})
def signatory_create(request: HttpRequest, agreement_id: int, payload: SignatoryIn) -> Status:
    agreement = _find_agreement(request, agreement_id, edit=True)
    data = _signatory_fields(request, agreement, plain(payload.dict()))
    return Status(201, services.signatory_save(agreement=agreement, acting_user=request.user, **data))


@router.patch("/agreements/{agreement_id}/signatories/{signatory_id}", response=SignatoryOut)
def signatory_update(
    request: HttpRequest, agreement_id: int, signatory_id: int, payload: SignatoryPatch
) -> Signatory:
    agreement, row = _find_signatory(request, agreement_id, signatory_id)
    data = _signatory_fields(request, agreement, changes(payload, nullable=("organisation", "signed_on")))
    current = {
        "name": row.name,
        "title": row.title,
        "organisation": row.organisation,
        "organisation_name": row.organisation_name,
        "signed_on": row.signed_on,
    }
    saved = services.signatory_save(
        agreement=agreement, signatory=row, acting_user=request.user, **{**current, **data}
    )
    record_reads(request.user, [saved])
    return saved


@router.delete("/agreements/{agreement_id}/signatories/{signatory_id}", response={204: None})
def signatory_delete(request: HttpRequest, agreement_id: int, signatory_id: int) -> Status:
    _agreement, row = _find_signatory(request, agreement_id, signatory_id)
    services.signatory_delete(signatory=row, acting_user=request.user)
    return Status(204, None)


# --- Focus areas ---------------------------------------------------------------------------------------


def focus_area_queryset(user: Any) -> QuerySet[FocusArea]:
    """Focus areas the user may read, in agreements the user may read."""
    visible = FocusArea.objects.visible_to(user)
    return (
        FocusArea.objects.visible_to(user)
        .filter(visibility_q(user, "agreement__"))
        .annotate(
            parent_visible=Exists(visible.filter(pk=OuterRef("parent_id"))),
            carried_from_visible=Exists(visible.filter(pk=OuterRef("carried_from_id"))),
        )
    )


def _find_focus_area(request: HttpRequest, focus_area_id: int, *, edit: bool = False) -> FocusArea:
    area = find(focus_area_queryset(request.user).select_related("agreement__collaboration"), focus_area_id)
    if edit:
        require_edit(request.user, area.agreement.collaboration)
    return area


def _focus_area_detail(request: HttpRequest, focus_area_id: int) -> FocusArea:
    user = request.user
    area = find(
        focus_area_queryset(user).prefetch_related(
            Prefetch(
                "children",
                queryset=FocusArea.objects.visible_to(user).only("id", "parent_id"),
                to_attr="api_children",
            ),
            Prefetch(
                "changes",
                queryset=FocusAreaChange.objects.select_related("changed_by"),
                to_attr="api_changes",
            ),
        ),
        focus_area_id,
    )
    record_reads(user, [area])
    return area


@router.get("/focus-areas", response=list[FocusAreaOut], tags=FOCUS)
@paginate(Pagination)
def focus_area_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    agreement: int | None = None,
    collaboration: int | None = None,
    status: FocusAreaStatus | None = None,
):
    qs = focus_area_queryset(request.user)
    if agreement is not None:
        qs = qs.filter(agreement_id=agreement)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if status:
        qs = qs.filter(status=status.value)
    return qs.order_by("agreement_id", "parent_id", "order", "id")


@router.get("/focus-areas/{focus_area_id}", response=FocusAreaDetailOut, tags=FOCUS)
def focus_area_detail(request: HttpRequest, focus_area_id: int) -> FocusArea:
    return _focus_area_detail(request, focus_area_id)


@router.post("/focus-areas", response={201: FocusAreaDetailOut}, tags=FOCUS)
def focus_area_create(request: HttpRequest, payload: FocusAreaIn) -> Status:
    agreement = _find_agreement(request, payload.agreement, edit=True)
    data = plain(payload.dict(exclude={"agreement"}))
    if data["parent"] is not None:
        parent = FocusArea.objects.visible_to(request.user).filter(pk=data["parent"]).first()
        if parent is None:
            raise ValidationError({"parent": gettext("Okänt fokusområde.")})
        data["parent"] = parent
    area = services.focus_area_add(agreement=agreement, acting_user=request.user, **data)
    return Status(201, _focus_area_detail(request, area.pk))


@router.patch("/focus-areas/{focus_area_id}", response=FocusAreaDetailOut, tags=FOCUS)
def focus_area_update(request: HttpRequest, focus_area_id: int, payload: FocusAreaPatch) -> FocusArea:
    """När överenskommelsen gäller krävs en motivering (reason); ändringen sparas i historiken."""
    area = _find_focus_area(request, focus_area_id, edit=True)
    data = changes(payload, nullable=("changed_on",))
    level = level_changes(data, area) if {"level", "restricted_to"} & set(data) else {}
    services.focus_area_update(
        focus_area=area,
        title=data.get("title", area.title),
        description=data.get("description", area.description),
        changed_on=data.get("changed_on"),
        reason=data.get("reason", ""),
        acting_user=request.user,
        **level,
    )
    return _focus_area_detail(request, focus_area_id)


@router.post("/focus-areas/{focus_area_id}/retire", response=FocusAreaDetailOut, tags=FOCUS)
def focus_area_retire(request: HttpRequest, focus_area_id: int, payload: FocusAreaRetireIn) -> FocusArea:
    """Avsluta fokusområdet (och dess delprioriteringar) med datum och motivering."""
    area = _find_focus_area(request, focus_area_id, edit=True)
    services.focus_area_retire(
        focus_area=area, changed_on=payload.changed_on, reason=payload.reason, acting_user=request.user
    )
    return _focus_area_detail(request, focus_area_id)


@router.post("/focus-areas/{focus_area_id}/move", response=FocusAreaDetailOut, tags=FOCUS)
def focus_area_move(request: HttpRequest, focus_area_id: int, payload: FocusAreaMoveIn) -> FocusArea:
    area = _find_focus_area(request, focus_area_id, edit=True)
    services.focus_area_move(focus_area=area, direction=payload.direction, acting_user=request.user)
    return _focus_area_detail(request, focus_area_id)
