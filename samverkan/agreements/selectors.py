"""Reads for agreements, scoped by the one visibility rule; one document model renders every output."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
from samverkan.core.models import Collaboration, Level, Organisation
from samverkan.core.selectors import get_for_user, parse_id
from samverkan.core.visibility import record_reads, visibility_q

# The rows that belong to one agreement and are reached through it.
Part = TypeVar("Part", FocusArea, FactSource, Signatory)

PUBLISHED = (Agreement.Status.GALLANDE, Agreement.Status.AVSLUTAD, Agreement.Status.ERSATT)


def _scope(queryset: QuerySet[Any], *, user: Any = None, public: bool = False) -> QuerySet[Any]:
    """Public outputs take öppen rows only; everything else what the user may read."""
    return queryset.public() if public else queryset.visible_to(user)  # type: ignore[attr-defined]


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


def group_list(*, user: Any, collaboration: Collaboration) -> QuerySet[Group]:
    return (
        Group.objects.visible_to(user)
        .filter(collaboration=collaboration)
        .select_related("reports_to", "meets_around")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=GroupMember.objects.visible_to(user).select_related("organisation", "person"),
            )
        )
    )


def promise_list(*, user: Any, collaboration: Collaboration) -> QuerySet[CitizenPromise]:
    return (
        CitizenPromise.objects.visible_to(user)
        .filter(collaboration=collaboration)
        .select_related("agreement", "replaced_by")
        .prefetch_related(
            Prefetch(
                "activities", queryset=PromiseActivity.objects.visible_to(user).select_related("responsible")
            )
        )
    )


# --- One row through the visibility rule, and the lists as the pages show them (logged) ---------------


def _one_visible(queryset: QuerySet[Any], *, user: Any, pk: Any, shown: bool = True) -> Any:
    """The row with ``pk`` if the user may read it (else 404); a begränsad row shown is audit-logged.

    ``shown=False``: the row is looked up to be changed or removed, not shown (the API reads again
    what its answer shows), so nothing is logged.
    """
    if shown:
        return get_for_user(queryset, user, pk)
    number = parse_id(pk)
    row = queryset.visible_to(user).filter(pk=number).first() if number else None  # type: ignore[attr-defined]
    if row is None:
        raise Http404
    return row


def get_agreement_part(
    model: type[Part], user: Any, agreement: Agreement, pk: Any, *, shown: bool = True
) -> Part:
    """A focus area, fact source or signatory of this agreement that the user may read (else 404)."""
    row: Part = _one_visible(model.objects.filter(agreement=agreement), user=user, pk=pk, shown=shown)
    return row


def get_group_for_user(user: Any, collaboration: Collaboration, pk: Any) -> Group:
    return _one_visible(Group.objects.filter(collaboration=collaboration), user=user, pk=pk)


def get_group_member_for_user(user: Any, group: Group, pk: Any, *, shown: bool = True) -> GroupMember:
    queryset = GroupMember.objects.filter(group=group).select_related("organisation", "person")
    return _one_visible(queryset, user=user, pk=pk, shown=shown)


def get_promise_for_user(user: Any, collaboration: Collaboration, pk: Any) -> CitizenPromise:
    return _one_visible(CitizenPromise.objects.filter(collaboration=collaboration), user=user, pk=pk)


def get_promise_activity_for_user(
    user: Any, promise: CitizenPromise, pk: Any, *, shown: bool = True
) -> PromiseActivity:
    return _one_visible(PromiseActivity.objects.filter(promise=promise), user=user, pk=pk, shown=shown)


def promises_for_display(*, user: Any, collaboration: Collaboration) -> list[CitizenPromise]:
    """The collaboration's promises as the list page shows them; begränsad ones are logged."""
    promises = list(promise_list(user=user, collaboration=collaboration))
    record_reads(user, promises)
    return promises


def promise_activities(*, user: Any, promise: CitizenPromise) -> list[PromiseActivity]:
    """The promise's activities the user may read, as its page shows them; begränsad ones are logged."""
    activities = list(
        PromiseActivity.objects.visible_to(user).filter(promise=promise).select_related("responsible")
    )
    record_reads(user, activities)
    return activities


def group_member_organisations(*, collaboration: Collaboration) -> QuerySet[Organisation]:
    """Organisations a group member may come from: the collaboration's parties, and organisations based
    in its kommuner or police areas (those only as invited; group_member_save enforces it)."""
    kommun_ids = list(collaboration.kommuner.values_list("kod", flat=True))
    area_ids = list(collaboration.police_areas.values_list("id", flat=True))
    party_ids = list(collaboration.participations.values_list("organisation_id", flat=True))
    return Organisation.objects.filter(
        Q(pk__in=party_ids) | Q(home_kommun_id__in=kommun_ids) | Q(police_area_id__in=area_ids)
    ).order_by("name")


@dataclass
class GroupNode:
    """A group with its relations, as one reader may see them: related groups the reader may not read
    are left out (None or missing), so a begränsad group's name never shows through a relation."""

    group: Group
    reports_to: Group | None
    meets_around: Group | None
    reporting: list[Group]
    surrounding: list[Group]
    agreements: list[Agreement]
    standing: list[GroupMember]
    invited: list[GroupMember]

    @property
    def rhythm(self) -> str:
        """ "4 möten per år · en per kvartal · polisstationen i Malå" (the parts that are filled in)."""
        group = self.group
        parts = [group.rhythm_note, group.place]
        if group.meetings_per_year:
            count = group.meetings_per_year
            parts.insert(0, ngettext("%(n)s möte per år", "%(n)s möten per år", count) % {"n": count})
        return " · ".join(p for p in parts if p)


def group_structure(*, user: Any, collaboration: Collaboration) -> list[GroupNode]:
    """The collaboration's groups, strategic before operative, each with its visible relations and members."""
    groups = list(
        group_list(user=user, collaboration=collaboration)
        .prefetch_related(Prefetch("agreements", queryset=Agreement.objects.visible_to(user)))
        .order_by("-tier", "name")
    )
    by_pk = {g.pk: g for g in groups}
    nodes = []
    for g in groups:
        members = list(g.members.all())
        nodes.append(
            GroupNode(
                group=g,
                reports_to=by_pk.get(g.reports_to_id) if g.reports_to_id else None,
                meets_around=by_pk.get(g.meets_around_id) if g.meets_around_id else None,
                reporting=[o for o in groups if o.reports_to_id == g.pk],
                surrounding=[o for o in groups if o.meets_around_id == g.pk],
                agreements=list(g.agreements.all()),
                standing=[m for m in members if m.standing == GroupMember.Standing.STANDIGT],
                invited=[m for m in members if m.standing == GroupMember.Standing.INBJUDEN],
            )
        )
    return nodes


def group_overview(*, user: Any, collaboration: Collaboration) -> list[GroupNode]:
    """The group structure as the list page shows it; the begränsad groups listed are logged."""
    nodes = group_structure(user=user, collaboration=collaboration)
    record_reads(user, [node.group for node in nodes])
    return nodes


def get_group_node(user: Any, collaboration: Collaboration, pk: Any) -> GroupNode:
    """One group as group_structure shows it (else 404); begränsad reads shown on the page are logged."""
    node = next(
        (n for n in group_structure(user=user, collaboration=collaboration) if n.group.pk == pk), None
    )
    if node is None:
        raise Http404
    related = [g for g in (node.reports_to, node.meets_around) if g] + node.reporting + node.surrounding
    record_reads(user, [node.group, *node.standing, *node.invited, *related])
    return node


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


def group_queryset(user: Any) -> QuerySet[Group]:
    """Groups the user may read, with the agreements they may read and whether relations may be named."""
    visible = Group.objects.visible_to(user)
    return (
        Group.objects.visible_to(user)
        .annotate(
            reports_to_visible=Exists(visible.filter(pk=OuterRef("reports_to_id"))),
            meets_around_visible=Exists(visible.filter(pk=OuterRef("meets_around_id"))),
        )
        .prefetch_related(
            Prefetch(
                "agreements",
                queryset=Agreement.objects.visible_to(user).only("id"),
                to_attr="api_agreements",
            )
        )
    )


def get_group(user: Any, pk: Any) -> Group:
    """A group the user may read (else 404), looked up to be changed or to reach its members; not logged."""
    return _one_visible(Group.objects.select_related("collaboration"), user=user, pk=pk, shown=False)


def group_ref(*, user: Any, collaboration: Collaboration, pk: Any) -> Group | None:
    """A group of the collaboration the user may read, named in a request (a relation); else None."""
    number = parse_id(pk)
    return (
        Group.objects.visible_to(user).filter(collaboration=collaboration, pk=number).first()
        if number
        else None
    )


def group_detail(*, user: Any, pk: Any) -> Group:
    """One group with its visible members and related groups; the begränsad ones shown are logged."""
    visible = Group.objects.visible_to(user).only("id", "reports_to_id", "meets_around_id")
    queryset = group_queryset(user).prefetch_related(
        Prefetch(
            "members",
            queryset=GroupMember.objects.visible_to(user).select_related("organisation", "person"),
            to_attr="api_members",
        ),
        Prefetch("reporting_groups", queryset=visible, to_attr="api_reporting_groups"),
        Prefetch("surrounding_groups", queryset=visible, to_attr="api_surrounding_groups"),
    )
    group: Group = get_for_user(queryset, user, pk)
    record_reads(user, group.api_members)  # type: ignore[attr-defined]
    return group


def promise_queryset(user: Any) -> QuerySet[CitizenPromise]:
    """Promises the user may read, and whether the agreements they name may be named."""
    visible = Agreement.objects.visible_to(user)
    return CitizenPromise.objects.visible_to(user).annotate(
        agreement_visible=Exists(visible.filter(pk=OuterRef("agreement_id"))),
        replaced_by_visible=Exists(visible.filter(pk=OuterRef("replaced_by_id"))),
    )


def get_promise(user: Any, pk: Any) -> CitizenPromise:
    """A promise the user may read (else 404), looked up to be changed or to reach its activities; not logged."""
    return _one_visible(CitizenPromise.objects.select_related("collaboration"), user=user, pk=pk, shown=False)


def promise_detail(*, user: Any, pk: Any) -> CitizenPromise:
    """One promise with its visible activities; the begränsad ones shown are logged."""
    queryset = promise_queryset(user).prefetch_related(
        Prefetch(
            "activities",
            queryset=PromiseActivity.objects.visible_to(user),
            to_attr="api_activities",
        )
    )
    promise: CitizenPromise = get_for_user(queryset, user, pk)
    record_reads(user, promise.api_activities)  # type: ignore[attr-defined]
    return promise
