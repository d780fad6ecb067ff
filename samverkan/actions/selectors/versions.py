"""Decided versions of a plan: the list, and one version's frozen parts read through ``visible_to``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from samverkan.actions.models import ActionPlan, PlanVersion, PlanVersionItem
from samverkan.core.selectors import parse_id
from samverkan.core.visibility import record_reads


def version_list(*, user: Any, plan: ActionPlan) -> QuerySet[PlanVersion]:
    """The plan's decided versions (a version row holds no content; its parts carry the levels), with
    how many parts this reader may read."""
    readable = PlanVersionItem.objects.visible_to(user)  # type: ignore[attr-defined]
    return (
        PlanVersion.objects.filter(plan=plan)
        .annotate(action_count=Count("items", filter=Q(items__in=readable, items__kind="atgard")))
        .order_by("-number")
    )


def get_version(*, user: Any, plan: ActionPlan, pk: Any) -> PlanVersion:
    """One decided version of a plan the user may read (the plan was fetched through the rule)."""
    number = parse_id(pk)
    version = PlanVersion.objects.filter(plan=plan, pk=number).first() if number else None
    if version is None:
        raise Http404
    return version


@dataclass
class VersionView:
    version: PlanVersion
    problems: list[PlanVersionItem] = field(default_factory=list)
    causes: dict[int, list[PlanVersionItem]] = field(default_factory=dict)
    actions: list[PlanVersionItem] = field(default_factory=list)
    indicators: dict[int, list[PlanVersionItem]] = field(default_factory=dict)

    def causes_of(self, action: PlanVersionItem) -> list[PlanVersionItem]:
        ids = set(action.data.get("causes", []))
        return [c for rows in self.causes.values() for c in rows if c.source_id in ids]


def version_view(*, user: Any, version: PlanVersion) -> VersionView:
    """The frozen parts this reader may read, arranged as the version page shows them; begränsad parts
    shown are logged."""
    items = list(PlanVersionItem.objects.visible_to(user).filter(version=version).order_by("order", "pk"))  # type: ignore[attr-defined]
    record_reads(user, items)
    view = VersionView(version=version)
    for item in items:
        if item.kind == PlanVersionItem.Kind.PROBLEM:
            view.problems.append(item)
        elif item.kind == PlanVersionItem.Kind.ORSAK:
            view.causes.setdefault(item.data.get("problem", 0), []).append(item)
        elif item.kind == PlanVersionItem.Kind.ATGARD:
            view.actions.append(item)
        else:
            view.indicators.setdefault(item.data.get("action", 0), []).append(item)
    return view
