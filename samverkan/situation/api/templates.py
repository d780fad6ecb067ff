"""Lägesbild templates: the shipped ones (every user) and each collaboration's own (its members)."""

from django.db.models import Q
from django.http import HttpRequest
from ninja.pagination import paginate

from samverkan.core.apikit import ContractRouter, Id, Pagination
from samverkan.situation.api.schemas import TemplateDetailOut, TemplateOut
from samverkan.situation.models import STATUS_MEANING, StatusLevel, Template, Trend
from samverkan.situation.selectors import rounds as selectors

router = ContractRouter(tags=["Lägesbild"], operation_ids="samverkan_api_routers_situation_templates")


def status_scale() -> list[dict[str, str]]:
    return [
        {"value": level.value, "label": str(level.label), "meaning": str(STATUS_MEANING[level])}
        for level in StatusLevel
    ]


def trend_scale() -> list[dict[str, str]]:
    return [{"value": trend.value, "label": str(trend.label), "meaning": ""} for trend in Trend]


@router.get("/templates", response=list[TemplateOut])
@paginate(Pagination)
def template_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, collaboration: Id | None = None, current: bool | None = None
):
    """Mallar som följer med produkten och mallar i dina samverkansgrupper.

    ``?collaboration=`` ger de mallar den samverkan kan använda (produktens och sina egna);
    ``?current=true`` bara den senaste versionen av varje mall.
    """
    qs = selectors.templates_for(request.user)
    if collaboration is not None:
        qs = qs.filter(Q(collaboration__isnull=True) | Q(collaboration_id=collaboration))
    if current is not None:
        qs = qs.filter(is_current=current)
    return qs.order_by("name", "-version", "id")


@router.get("/templates/{template_id}", response=TemplateDetailOut)
def template_detail(request: HttpRequest, template_id: Id) -> Template:
    """Mallen med områden (med områdeskod), frågor (typ, obligatorisk) och lägesskalan med betydelser."""
    template = selectors.get_template(request.user, template_id)
    template.status_scale = status_scale()  # type: ignore[attr-defined]
    template.trend_scale = trend_scale()  # type: ignore[attr-defined]
    return template
