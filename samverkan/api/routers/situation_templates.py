"""Lägesbild templates: the shipped ones (every user) and each collaboration's own (its members)."""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from samverkan.api.routers.agreements import find
from samverkan.api.schemas_situation import TemplateDetailOut, TemplateOut
from samverkan.core.apikit import Pagination
from samverkan.core.visibility import membership_roles
from samverkan.situation.models import STATUS_MEANING, Question, Section, StatusLevel, Template, Trend

router = Router(tags=["Lägesbild"])


def template_queryset(user: Any) -> QuerySet[Template]:
    """Shipped templates and those of the user's collaborations."""
    return Template.objects.filter(
        Q(collaboration__isnull=True) | Q(collaboration_id__in=list(membership_roles(user)))
    )


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
    request: HttpRequest, collaboration: int | None = None, current: bool | None = None
):
    """Mallar som följer med produkten och mallar i dina samverkansgrupper.

    ``?collaboration=`` ger de mallar den samverkan kan använda (produktens och sina egna);
    ``?current=true`` bara den senaste versionen av varje mall.
    """
    qs = template_queryset(request.user)
    if collaboration is not None:
        qs = qs.filter(Q(collaboration__isnull=True) | Q(collaboration_id=collaboration))
    if current is not None:
        qs = qs.filter(is_current=current)
    return qs.order_by("name", "-version", "id")


@router.get("/templates/{template_id}", response=TemplateDetailOut)
def template_detail(request: HttpRequest, template_id: int) -> Template:
    """Mallen med områden (med områdeskod), frågor (typ, obligatorisk) och lägesskalan med betydelser."""
    template = find(
        template_queryset(request.user).prefetch_related(
            Prefetch(
                "sections",
                queryset=Section.objects.order_by("order", "id").prefetch_related(
                    Prefetch(
                        "questions",
                        queryset=Question.objects.order_by("order", "id"),
                        to_attr="api_questions",
                    )
                ),
                to_attr="api_sections",
            )
        ),
        template_id,
    )
    template.status_scale = status_scale()  # type: ignore[attr-defined]
    template.trend_scale = trend_scale()  # type: ignore[attr-defined]
    return template
