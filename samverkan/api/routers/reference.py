"""Reference data: län and kommuner (readable by every authenticated client)."""

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate

from samverkan.api.pagination import Pagination
from samverkan.api.schemas import KommunOut, LanOut, MeOut
from samverkan.core.models import Kommun, Lan, Membership

router = Router(tags=["Referensdata"])


@router.get("/me", response=MeOut, tags=["Konto"])
def me(request: HttpRequest) -> dict:
    user = request.auth  # type: ignore[attr-defined]
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.get_full_name(),
        "memberships": list(Membership.objects.filter(user=user)),
    }


@router.get("/lan", response=list[LanOut])
@paginate(Pagination)
def lan_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    return Lan.objects.select_related("polisregion").order_by("kod")


@router.get("/lan/{kod}", response=LanOut)
def lan_detail(request: HttpRequest, kod: str) -> Lan:
    lan = Lan.objects.select_related("polisregion").filter(kod=kod).first()
    if lan is None:
        raise Http404
    return lan


@router.get("/kommuner", response=list[KommunOut])
@paginate(Pagination)
def kommun_list(request: HttpRequest, lan: str | None = None):  # type: ignore[no-untyped-def]
    qs = Kommun.objects.order_by("kod")
    if lan:
        qs = qs.filter(lan_id=lan)
    return qs


@router.get("/kommuner/{kod}", response=KommunOut)
def kommun_detail(request: HttpRequest, kod: str) -> Kommun:
    kommun = Kommun.objects.filter(kod=kod).first()
    if kommun is None:
        raise Http404
    return kommun
