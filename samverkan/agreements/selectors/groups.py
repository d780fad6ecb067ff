"""Groups and their members: lists, the group structure, and the API's reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import ngettext

from samverkan.agreements.models import (
    Agreement,
    Group,
    GroupMember,
)
from samverkan.agreements.selectors._common import _one_visible
from samverkan.core.models import Collaboration, Organisation
from samverkan.core.selectors import get_for_user, parse_id
from samverkan.core.visibility import record_reads


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


def get_group_for_user(user: Any, collaboration: Collaboration, pk: Any) -> Group:
    return _one_visible(Group.objects.filter(collaboration=collaboration), user=user, pk=pk)


def get_group_member_for_user(user: Any, group: Group, pk: Any, *, shown: bool = True) -> GroupMember:
    queryset = GroupMember.objects.filter(group=group).select_related("organisation", "person")
    return _one_visible(queryset, user=user, pk=pk, shown=shown)


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
