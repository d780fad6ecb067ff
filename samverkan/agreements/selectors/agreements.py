"""Agreements and focus areas: lists, one row, and the API's annotated reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from samverkan.agreements.models import (
    Agreement,
    CitizenPromise,
    FactSource,
    FocusArea,
    FocusAreaChange,
    Group,
    Signatory,
)
from samverkan.agreements.selectors._common import PUBLISHED, Part, _one_visible, _scope
from samverkan.agreements.selectors.document import AgreementDocument, GroupView, YearEvent, year_wheel
from samverkan.core.models import Collaboration
from samverkan.core.selectors import get_for_user, parse_id
from samverkan.core.visibility import record_reads, visibility_q


def agreement_list(*, user: Any, collaboration: Collaboration) -> QuerySet[Agreement]:
    """The collaboration's agreements the user may read; ``predecessor_visible`` says whether the
    predecessor may be named to this reader."""
    return (
        Agreement.objects.visible_to(user)
        .filter(collaboration=collaboration)
        .annotate(
            predecessor_visible=Exists(
                Agreement.objects.visible_to(user).filter(pk=OuterRef("predecessor_id"))
            )
        )
        .prefetch_related("kommuner", "police_areas")
        .select_related("predecessor")
    )


def get_agreement_for_user(user: Any, collaboration: Collaboration, pk: Any) -> Agreement:
    number = parse_id(pk)
    agreement = (
        agreement_list(user=user, collaboration=collaboration).filter(pk=number).first() if number else None
    )
    if agreement is None:
        raise Http404
    record_reads(user, [agreement])
    return agreement


def current_agreement(
    *, user: Any, collaboration: Collaboration, on: dt.date | None = None
) -> Agreement | None:
    """The agreement in force on a day (today), else the latest active one."""
    qs = agreement_list(user=user, collaboration=collaboration)
    on = on or timezone.localdate()
    in_force = qs.filter(status=Agreement.Status.GALLANDE, start_date__lte=on, end_date__gte=on).first()
    agreement = in_force or qs.filter(status__in=[Agreement.Status.GALLANDE, Agreement.Status.UTKAST]).first()
    if agreement is not None:
        record_reads(user, [agreement])
    return agreement


def signatory_count(*, user: Any, agreement: Agreement) -> int:
    """How many of the agreement's signatories the user may read (a count: no row is shown)."""
    return int(_scope(agreement.signatories.all(), user=user).count())


def public_agreements(*, collaboration: Collaboration) -> QuerySet[Agreement]:
    """Agreements that may appear on the public pages: öppen and no longer a draft."""
    return (
        Agreement.objects.public()
        .filter(collaboration=collaboration, status__in=PUBLISHED)
        .prefetch_related("kommuner", "police_areas")
    )


def get_public_agreement(*, collaboration: Collaboration, pk: Any) -> Agreement:
    """A published agreement of the collaboration, else 404 — the same answer for every other case."""
    number = parse_id(pk)
    agreement = public_agreements(collaboration=collaboration).filter(pk=number).first() if number else None
    if agreement is None:
        raise Http404
    return agreement


def visible_successor(*, user: Any, agreement: Agreement) -> Agreement | None:
    """The agreement that replaced this one, if the user may read it (shown: a begränsad read is logged)."""
    successor = Agreement.objects.visible_to(user).filter(predecessor=agreement).first()
    if successor is not None:
        record_reads(user, [successor])
    return successor


def focus_area_parents(*, user: Any, agreement: Agreement) -> QuerySet[FocusArea]:
    """The active top-level focus areas of the agreement a new sub-priority may be placed under."""
    return FocusArea.objects.visible_to(user).filter(
        agreement=agreement, parent=None, status=FocusArea.Status.AKTIVT
    )


def get_agreement_part(
    model: type[Part], user: Any, agreement: Agreement, pk: Any, *, shown: bool = True
) -> Part:
    """A focus area, fact source or signatory of this agreement that the user may read (else 404)."""
    row: Part = _one_visible(model.objects.filter(agreement=agreement), user=user, pk=pk, shown=shown)
    return row


# --- The API's reads: querysets annotated with what a reference may name, and one row in full --------------
#
# A reference to another levelled row (predecessor, parent, reports_to, …) comes with an annotation saying
# whether this reader may see that row, so the API gives an id the reader may not see as null.


def agreement_queryset(user: Any) -> QuerySet[Agreement]:
    """Agreements the user may read, with their parties and whether the neighbours may be named."""
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


def get_agreement(user: Any, pk: Any) -> Agreement:
    """An agreement the user may read (else 404), looked up to be changed or to reach its rows (not logged)."""
    return _one_visible(Agreement.objects.select_related("collaboration"), user=user, pk=pk, shown=False)


def agreement_detail(*, user: Any, pk: Any) -> Agreement:
    """One agreement with the rows the user may read in ``api_*``; the begränsad ones shown are logged."""
    agreement: Agreement = get_for_user(
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
        user,
        pk,
    )
    record_reads(user, [*agreement.api_fact_sources, *agreement.api_signatories])  # type: ignore[attr-defined]
    return agreement


def agreement_refs(*, user: Any, collaboration: Collaboration, ids: list[int]) -> list[Agreement]:
    """The agreements of the collaboration among ``ids`` that the user may read (references, not logged)."""
    return list(Agreement.objects.visible_to(user).filter(collaboration=collaboration, pk__in=ids))


def agreement_year_wheel(*, user: Any, agreement: Agreement, year: int) -> list[list[YearEvent]]:
    """The agreement's year wheel from the groups and fact sources the user may read; begränsad ones logged."""
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
    return year_wheel(document, year)


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


def get_focus_area(user: Any, pk: Any) -> FocusArea:
    """A focus area the user may read, in an agreement the user may read (else 404); not logged."""
    queryset = focus_area_queryset(user).select_related("agreement__collaboration")
    return _one_visible(queryset, user=user, pk=pk, shown=False)


def focus_area_ref(*, user: Any, pk: Any) -> FocusArea | None:
    """A focus area the user may read, named in a request (a parent); else None."""
    number = parse_id(pk)
    return FocusArea.objects.visible_to(user).filter(pk=number).first() if number else None


def focus_area_detail(*, user: Any, pk: Any) -> FocusArea:
    """One focus area with its visible sub-priorities and its history; a begränsad one is logged."""
    queryset = focus_area_queryset(user).prefetch_related(
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
    )
    area: FocusArea = get_for_user(queryset, user, pk)
    return area
