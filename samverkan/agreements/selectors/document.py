"""One document model of an agreement for every output (page, print, PDF/A, portal, year wheel)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from samverkan.agreements.models import (
    Agreement,
    CitizenPromise,
    FactSource,
    FocusArea,
    FocusAreaChange,
    Group,
    GroupMember,
    PromiseActivity,
    Signatory,
)
from samverkan.agreements.selectors._common import PUBLISHED, _scope
from samverkan.core.models import Level
from samverkan.core.visibility import record_reads


@dataclass
class FocusAreaView:
    area: FocusArea
    children: list[FocusArea] = field(default_factory=list)
    changes: list[FocusAreaChange] = field(default_factory=list)


@dataclass
class GroupView:
    group: Group
    standing: list[GroupMember]
    invited: list[GroupMember]


@dataclass
class PromiseView:
    promise: CitizenPromise
    activities: list[PromiseActivity]


@dataclass
class AgreementDocument:
    """Everything one reader may see of one agreement, built once and rendered as page, print, PDF or API."""

    agreement: Agreement
    public: bool
    kommuner: list[Any]
    police_areas: list[Any]
    other_parties: list[Any]
    focus_areas: list[FocusAreaView]
    retired_focus_areas: list[FocusAreaView]
    fact_sources: list[FactSource]
    groups: list[GroupView]
    signatories: list[Signatory]
    promises: list[PromiseView]
    replaced_promises: list[PromiseView]
    predecessor: Agreement | None
    successor: Agreement | None

    @property
    def effects(self) -> list[str]:
        return [
            line.strip(" -•\t") for line in self.agreement.effects_sought.splitlines() if line.strip(" -•\t")
        ]

    @property
    def parties(self) -> list[str]:
        names = [k.officiellt_namn for k in self.kommuner] + [p.namn for p in self.police_areas]
        return names + [o.name for o in self.other_parties]


def agreement_document(agreement: Agreement, *, user: Any = None, public: bool = False) -> AgreementDocument:
    """Assemble the agreement for one reader (or for the public: öppen rows only)."""
    if public and (agreement.level != Level.OPPEN or agreement.status not in PUBLISHED):
        raise Http404
    scope = {"user": user, "public": public}
    areas = list(
        _scope(FocusArea.objects.filter(agreement=agreement), **scope)
        .prefetch_related("changes")
        .order_by("order", "id")
    )
    by_parent: dict[int | None, list[FocusArea]] = {}
    for area in areas:
        by_parent.setdefault(area.parent_id, []).append(area)
    tops = [
        FocusAreaView(area=a, children=by_parent.get(a.pk, []), changes=list(a.changes.all()))
        for a in by_parent.get(None, [])
    ]
    groups = []
    for group in _scope(agreement.groups.all(), **scope).order_by("-tier", "name"):
        members = list(_scope(group.members.all(), **scope).select_related("organisation", "person"))
        groups.append(
            GroupView(
                group=group,
                standing=[m for m in members if m.standing == GroupMember.Standing.STANDIGT],
                invited=[m for m in members if m.standing == GroupMember.Standing.INBJUDEN],
            )
        )

    def promises(queryset: QuerySet[CitizenPromise]) -> list[PromiseView]:
        return [
            PromiseView(
                promise=p, activities=list(_scope(p.activities.all(), **scope).select_related("responsible"))
            )
            for p in _scope(queryset, **scope)
        ]

    successor = Agreement.objects.filter(predecessor=agreement).first()
    neighbours = [a for a in (agreement.predecessor, successor) if a is not None]
    neighbour_qs = _scope(Agreement.objects.filter(pk__in=[a.pk for a in neighbours]), **scope)
    if public:  # the portal shows no drafts, so the public version must not link to one
        neighbour_qs = neighbour_qs.filter(status__in=PUBLISHED)
    visible_ids = set(neighbour_qs.values_list("pk", flat=True))
    document = AgreementDocument(
        agreement=agreement,
        public=public,
        kommuner=list(agreement.kommuner.order_by("namn")),
        police_areas=list(agreement.police_areas.order_by("namn")),
        other_parties=list(agreement.other_parties.order_by("name")),
        focus_areas=[v for v in tops if v.area.status == FocusArea.Status.AKTIVT],
        retired_focus_areas=[v for v in tops if v.area.status == FocusArea.Status.AVSLUTAT],
        fact_sources=list(_scope(agreement.fact_sources.all(), **scope).select_related("provider")),
        groups=groups,
        signatories=list(_scope(agreement.signatories.all(), **scope).select_related("organisation")),
        promises=promises(agreement.promises.all()),
        replaced_promises=promises(agreement.replaced_promises.all()),
        predecessor=agreement.predecessor if agreement.predecessor_id in visible_ids else None,
        successor=successor if successor is not None and successor.pk in visible_ids else None,
    )
    if not public:
        shown: list[Any] = [*areas, *document.fact_sources, *document.signatories]
        for g in groups:
            shown += [g.group, *g.standing, *g.invited]
        for p in document.promises + document.replaced_promises:
            shown += [p.promise, *p.activities]
        record_reads(user, shown)
    return document


# --- Årshjul ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearEvent:
    month: int
    title: str
    kind: str  # meeting, source, evaluation, agreement
    detail: str = ""


def meeting_months(meetings_per_year: int) -> list[int]:
    """Months for n evenly spread meetings: 4 → Feb, May, Aug, Nov (mid-quarter); 12 → every month."""
    n = max(1, min(12, meetings_per_year))
    step = 12 / n
    return sorted({int(i * step + step / 2) + 1 if step > 1 else i + 1 for i in range(n)})


def year_wheel(document: AgreementDocument, year: int) -> list[list[YearEvent]]:
    """The collaboration's recurring events in ``year``, month by month (index 0 = January)."""
    agreement = document.agreement
    months: list[list[YearEvent]] = [[] for _ in range(12)]

    def add(event: YearEvent) -> None:
        first = dt.date(year, event.month, 1)
        last = (dt.date(year + event.month // 12, event.month % 12 + 1, 1)) - dt.timedelta(days=1)
        if first <= agreement.end_date and last >= agreement.start_date:
            months[event.month - 1].append(event)

    visible_groups = {view.group.pk for view in document.groups}
    for view in document.groups:
        group = view.group
        if not group.meetings_per_year:
            continue
        detail = group.place
        # Name the other group only if this reader may see it (a begränsad group stays unnamed).
        if group.meets_around_id in visible_groups and group.meets_around_relation:
            detail = " · ".join(
                p
                for p in (group.place, f"{group.get_meets_around_relation_display()} {group.meets_around}")
                if p
            )
        for month in meeting_months(group.meetings_per_year):
            add(YearEvent(month, _("Möte: %(group)s") % {"group": group.name}, "meeting", detail))
    for source in document.fact_sources:
        if source.rhythm == FactSource.Rhythm.ARLIGEN and source.month:
            add(YearEvent(source.month, str(source), "source", source.get_rhythm_display()))
        elif source.rhythm == FactSource.Rhythm.KVARTALSVIS:
            for month in (3, 6, 9, 12):
                add(YearEvent(month, str(source), "source", source.get_rhythm_display()))
        elif source.rhythm == FactSource.Rhythm.TERTIALVIS:
            for month in (4, 8, 12):
                add(YearEvent(month, str(source), "source", source.get_rhythm_display()))
        elif source.rhythm == FactSource.Rhythm.MANADSVIS:
            for month in range(1, 13):
                add(YearEvent(month, str(source), "source", source.get_rhythm_display()))
    add(
        YearEvent(
            agreement.evaluation_month,
            _("Årlig utvärdering av %(year)s")
            % {"year": year - 1 if agreement.evaluation_month <= 3 else year},
            "evaluation",
            agreement.followup_reporting.splitlines()[0] if agreement.followup_reporting else "",
        )
    )
    if agreement.end_date.year == year:
        renew_by = agreement.end_date - dt.timedelta(days=90)
        if renew_by.year == year:
            months[renew_by.month - 1].append(
                YearEvent(renew_by.month, _("Påbörja förnyelse av överenskommelsen"), "agreement")
            )
        months[agreement.end_date.month - 1].append(
            YearEvent(
                agreement.end_date.month,
                _("Överenskommelsen upphör %(date)s") % {"date": agreement.end_date},
                "agreement",
            )
        )
    if agreement.start_date.year == year:
        months[agreement.start_date.month - 1].insert(
            0,
            YearEvent(
                agreement.start_date.month,
                _("Överenskommelsen börjar gälla %(date)s") % {"date": agreement.start_date},
                "agreement",
            ),
        )
    return months
