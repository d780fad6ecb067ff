from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Status
from ninja.pagination import paginate

from samverkan.api.pagination import Pagination
from samverkan.api.schemas import OrganisationIn, OrganisationOut, OrganisationPatch
from samverkan.core import permissions, selectors, services
from samverkan.core.models import Kommun, Organisation

router = Router(tags=["Aktörer"])


@router.get("/organisations", response=list[OrganisationOut])
@paginate(Pagination)
def organisation_list(request: HttpRequest, collaboration: int | None = None):  # type: ignore[no-untyped-def]
    qs = selectors.organisation_list(user=request.user)
    if collaboration is not None:
        qs = qs.filter(participations__collaboration_id=collaboration)
    return qs


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def organisation_detail(request: HttpRequest, organisation_id: int) -> Organisation:
    return selectors.get_organisation_for_user(request.user, organisation_id)


@router.post("/organisations", response={201: OrganisationOut})
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Status:
    collaboration = selectors.get_collaboration_for_user(
        request.user, payload.collaboration, require=permissions.can_manage_collaboration
    )
    kommun = None
    if payload.home_kommun:
        kommun = collaboration.kommuner.filter(kod=payload.home_kommun).first()
        if kommun is None and not Kommun.objects.filter(kod=payload.home_kommun).exists():
            raise ValidationError({"home_kommun": gettext("Okänd kommunkod.")})
        kommun = kommun or Kommun.objects.get(kod=payload.home_kommun)
    org = services.organisation_create(
        collaboration=collaboration,
        name=payload.name,
        kind=payload.kind,
        home_kommun=kommun,
        acting_user=request.user,
    )
    return Status(201, org)


@router.patch("/organisations/{organisation_id}", response=OrganisationOut)
def organisation_update(
    request: HttpRequest, organisation_id: int, payload: OrganisationPatch
) -> Organisation:
    org = selectors.get_organisation_for_user(request.user, organisation_id)
    collaboration = selectors.get_collaboration_for_user(request.user, payload.collaboration)
    fields = payload.dict(exclude_unset=True, exclude={"collaboration"})
    if "kind" in fields and fields["kind"] not in Organisation.Kind.values:
        raise ValidationError({"kind": gettext("Okänd typ av aktör.")})
    return services.organisation_update(
        organisation=org, collaboration=collaboration, acting_user=request.user, **fields
    )
