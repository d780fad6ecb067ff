"""API shapes for agreements, focus areas, groups and citizen promises.

Nested rows are read from attributes the selectors prefetch with ``visible_to(user)`` (``api_*``), and
references to other confidential rows (predecessor, parent, reports_to, …) from annotations that say
whether the user may see the referenced row: an id the user may not see is given as null.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ninja import Field, Schema

from samverkan.agreements.models import (
    Agreement,
    CitizenPromise,
    FactSource,
    FocusArea,
    Group,
    GroupMember,
)
from samverkan.core.apikit import (
    DEFAULT_ROLES,
    Codes,
    ConfidentialOut,
    Day,
    Id,
    IdList,
    InSchema,
    Roles,
    named_choices,
    version_in,
    version_out,
)
from samverkan.core.models import Level

if TYPE_CHECKING:
    AgreementStatus = Agreement.Status
    FocusAreaStatus = FocusArea.Status
    PromiseStatus = CitizenPromise.Status
    FactSourceKind = FactSource.Kind
    FactSourceRhythm = FactSource.Rhythm
    GroupKind = Group.Kind
    GroupTier = Group.Tier
    GroupRelation = Group.Relation
    MemberStanding = GroupMember.Standing
    MemberRole = GroupMember.GroupRole
else:
    AgreementStatus = named_choices("AgreementStatus", Agreement.Status)
    FocusAreaStatus = named_choices("FocusAreaStatus", FocusArea.Status)
    PromiseStatus = named_choices("PromiseStatus", CitizenPromise.Status)
    FactSourceKind = named_choices("FactSourceKind", FactSource.Kind)
    FactSourceRhythm = named_choices("FactSourceRhythm", FactSource.Rhythm)
    GroupKind = named_choices("GroupKind", Group.Kind)
    GroupTier = named_choices("GroupTier", Group.Tier)
    GroupRelation = named_choices("GroupRelation", Group.Relation)
    MemberStanding = named_choices("MemberStanding", GroupMember.Standing)
    MemberRole = named_choices("MemberRole", GroupMember.GroupRole)


def _visible_ref(obj: Any, name: str) -> int | None:
    """The id in ``<name>_id`` if the annotation ``<name>_visible`` says the user may read that row."""
    return getattr(obj, f"{name}_id") if getattr(obj, f"{name}_visible", False) else None


def _ids(obj: Any, attr: str) -> list[int]:
    return [row.pk for row in getattr(obj, attr)]


# --- Agreements ----------------------------------------------------------------------------------------


class FactSourceOut(ConfidentialOut):
    id: int
    kind: str
    description: str
    rhythm: str
    provider: int | None = Field(None, alias="provider_id")
    month: int | None
    order: int


class SignatoryOut(ConfidentialOut):
    id: int
    name: str
    title: str
    organisation: int | None = Field(None, alias="organisation_id")
    organisation_name: str
    party_name: str
    signed_on: dt.date | None
    order: int


class AgreementOut(ConfidentialOut):
    id: int
    collaboration: int = Field(..., alias="collaboration_id")
    title: str
    start_date: dt.date
    end_date: dt.date
    status: str
    purpose: str
    effects_sought: str
    communication_plan: str
    followup_rhythm: str
    followup_reporting: str
    evaluation_month: int
    signed_place: str
    kommuner: list[str] = Field(..., description="Kommunkoder.")
    police_areas: list[int] = Field(..., description="Polisområdenas id.")
    other_parties: list[int] = Field(..., description="Övriga parter: organisationernas id.")
    predecessor: int | None = Field(None, description="Föregående överenskommelse, om du får se den.")
    successor: int | None = Field(None, description="Efterföljande överenskommelse, om du får se den.")
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = version_out()

    @staticmethod
    def resolve_kommuner(obj: Any) -> list[str]:
        return [k.kod for k in obj.kommuner.all()]

    @staticmethod
    def resolve_police_areas(obj: Any) -> list[int]:
        return [p.pk for p in obj.police_areas.all()]

    @staticmethod
    def resolve_other_parties(obj: Any) -> list[int]:
        return [o.pk for o in obj.other_parties.all()]

    @staticmethod
    def resolve_predecessor(obj: Any) -> int | None:
        return _visible_ref(obj, "predecessor")

    @staticmethod
    def resolve_successor(obj: Any) -> int | None:
        return getattr(obj, "visible_successor_id", None)


class AgreementDetailOut(AgreementOut):
    fact_sources: list[FactSourceOut] = Field(..., alias="api_fact_sources")
    signatories: list[SignatoryOut] = Field(..., alias="api_signatories")
    focus_areas: list[int] = Field(..., description="Fokusområdenas id (aktiva och avslutade).")
    groups: list[int] = Field(..., description="Gruppernas id.")
    promises: list[int] = Field(..., description="Medborgarlöften som ingår i överenskommelsen.")

    @staticmethod
    def resolve_focus_areas(obj: Any) -> list[int]:
        return _ids(obj, "api_focus_areas")

    @staticmethod
    def resolve_groups(obj: Any) -> list[int]:
        return _ids(obj, "api_groups")

    @staticmethod
    def resolve_promises(obj: Any) -> list[int]:
        return _ids(obj, "api_promises")


class AgreementIn(InSchema):
    collaboration: Id
    title: str = Field(..., min_length=1, max_length=200)
    start_date: Day
    end_date: Day
    kommuner: Codes = Field(..., description="Kommunkoder; minst en, alla i samverkan.")
    police_areas: IdList = []
    other_parties: IdList = []
    purpose: str = Field("", max_length=10_000)
    effects_sought: str = Field("", max_length=10_000, description="En effekt per rad.")
    communication_plan: str = Field("", max_length=10_000)
    followup_rhythm: str = Field("", max_length=200)
    followup_reporting: str = Field("", max_length=5_000)
    evaluation_month: int = Field(1, ge=1, le=12)
    signed_place: str = Field("", max_length=100)
    level: Level = Level.OPPEN
    restricted_to: Roles = DEFAULT_ROLES


class AgreementPatch(InSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    start_date: Day | None = None
    end_date: Day | None = None
    kommuner: Codes | None = None
    police_areas: IdList | None = None
    other_parties: IdList | None = None
    purpose: str | None = Field(None, max_length=10_000)
    effects_sought: str | None = Field(None, max_length=10_000)
    communication_plan: str | None = Field(None, max_length=10_000)
    followup_rhythm: str | None = Field(None, max_length=200)
    followup_reporting: str | None = Field(None, max_length=5_000)
    evaluation_month: int | None = Field(None, ge=1, le=12)
    signed_place: str | None = Field(None, max_length=100)
    level: Level | None = None
    restricted_to: Roles | None = None
    version: int | None = version_in()


class AgreementStatusIn(InSchema):
    status: AgreementStatus


class AgreementRenewIn(InSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    start_date: Day | None = None
    end_date: Day | None = None


class YearEventOut(Schema):
    title: str
    kind: str = Field(..., description="meeting, source, evaluation eller agreement.")
    detail: str


class YearMonthOut(Schema):
    month: int
    events: list[YearEventOut]


class FactSourceIn(InSchema):
    kind: FactSourceKind
    rhythm: FactSourceRhythm
    description: str = Field("", max_length=300)
    provider: Id | None = None
    month: int | None = Field(None, ge=1, le=12)
    level: Level = Level.OPPEN
    restricted_to: Roles = DEFAULT_ROLES


class FactSourcePatch(InSchema):
    kind: FactSourceKind | None = None
    rhythm: FactSourceRhythm | None = None
    description: str | None = Field(None, max_length=300)
    provider: Id | None = None
    month: int | None = Field(None, ge=1, le=12)
    level: Level | None = None
    restricted_to: Roles | None = None


class SignatoryIn(InSchema):
    name: str = Field(..., min_length=1, max_length=200)
    title: str = Field(..., min_length=1, max_length=200)
    organisation: Id | None = None
    organisation_name: str = Field("", max_length=200)
    signed_on: Day | None = None


class SignatoryPatch(InSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    title: str | None = Field(None, min_length=1, max_length=200)
    organisation: Id | None = None
    organisation_name: str | None = Field(None, max_length=200)
    signed_on: Day | None = None


# --- Focus areas ---------------------------------------------------------------------------------------


class FocusAreaChangeOut(Schema):
    id: int
    changed_on: dt.date
    kind: str
    reason: str
    changed_by: str | None

    @staticmethod
    def resolve_changed_by(obj: Any) -> str | None:
        user = obj.changed_by
        return (user.get_full_name() or user.email) if user else None


class FocusAreaOut(ConfidentialOut):
    id: int
    collaboration: int = Field(..., alias="collaboration_id")
    agreement: int = Field(..., alias="agreement_id")
    parent: int | None = Field(None, description="Fokusområdet detta är en delprioritering till.")
    title: str
    description: str
    order: int
    status: str
    carried_from: int | None = Field(None, description="Fokusområdet i föregående överenskommelse.")
    version: int = version_out()

    @staticmethod
    def resolve_parent(obj: Any) -> int | None:
        return _visible_ref(obj, "parent")

    @staticmethod
    def resolve_carried_from(obj: Any) -> int | None:
        return _visible_ref(obj, "carried_from")


class FocusAreaDetailOut(FocusAreaOut):
    children: list[int] = Field(..., description="Delprioriteringar.")
    changes: list[FocusAreaChangeOut] = Field(..., alias="api_changes")

    @staticmethod
    def resolve_children(obj: Any) -> list[int]:
        return _ids(obj, "api_children")


class FocusAreaIn(InSchema):
    agreement: Id
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5_000)
    parent: Id | None = None
    level: Level = Level.OPPEN
    restricted_to: Roles = DEFAULT_ROLES
    changed_on: Day | None = Field(None, description="Standard: i dag.")
    reason: str = Field("", max_length=2_000, description="Krävs när överenskommelsen inte är ett utkast.")


class FocusAreaPatch(InSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5_000)
    level: Level | None = None
    restricted_to: Roles | None = None
    changed_on: Day | None = None
    reason: str = Field("", max_length=2_000, description="Krävs när överenskommelsen inte är ett utkast.")
    version: int | None = version_in()


class FocusAreaRetireIn(InSchema):
    changed_on: Day | None = None
    reason: str = Field(..., max_length=2_000)


class FocusAreaMoveIn(InSchema):
    direction: int = Field(..., ge=-1, le=1, description="-1 = upp, 1 = ned bland syskonen.")


# --- Groups --------------------------------------------------------------------------------------------


class GroupMemberOut(ConfidentialOut):
    id: int
    organisation: int | None = Field(None, alias="organisation_id")
    organisation_name: str | None = Field(None, alias="organisation.name")
    person_name: str | None = Field(None, alias="person.name")
    representing: str
    display_name: str
    standing: str
    role: str
    order: int


class GroupOut(ConfidentialOut):
    id: int
    collaboration: int = Field(..., alias="collaboration_id")
    name: str
    kind: str
    tier: str
    purpose: str
    meetings_per_year: int | None
    rhythm_note: str
    place: str
    reports_to: int | None
    meets_around: int | None
    meets_around_relation: str
    is_active: bool
    agreements: list[int]
    version: int = version_out()

    @staticmethod
    def resolve_reports_to(obj: Any) -> int | None:
        return _visible_ref(obj, "reports_to")

    @staticmethod
    def resolve_meets_around(obj: Any) -> int | None:
        return _visible_ref(obj, "meets_around")

    @staticmethod
    def resolve_agreements(obj: Any) -> list[int]:
        return _ids(obj, "api_agreements")


class GroupDetailOut(GroupOut):
    members: list[GroupMemberOut] = Field(..., alias="api_members")
    reporting_groups: list[int] = Field(..., description="Grupper som rapporterar till denna.")
    surrounding_groups: list[int] = Field(..., description="Grupper som möts i anslutning till denna.")

    @staticmethod
    def resolve_reporting_groups(obj: Any) -> list[int]:
        return _ids(obj, "api_reporting_groups")

    @staticmethod
    def resolve_surrounding_groups(obj: Any) -> list[int]:
        return _ids(obj, "api_surrounding_groups")


class GroupIn(InSchema):
    collaboration: Id
    name: str = Field(..., min_length=1, max_length=200)
    kind: GroupKind
    tier: GroupTier = GroupTier.OPERATIV
    purpose: str = Field("", max_length=5_000)
    meetings_per_year: int | None = Field(None, ge=1, le=366)
    rhythm_note: str = Field("", max_length=200)
    place: str = Field("", max_length=200)
    reports_to: Id | None = None
    meets_around: Id | None = None
    meets_around_relation: GroupRelation | None = None
    agreements: IdList = []
    level: Level = Level.OPPEN
    restricted_to: Roles = DEFAULT_ROLES


class GroupPatch(InSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: GroupKind | None = None
    tier: GroupTier | None = None
    purpose: str | None = Field(None, max_length=5_000)
    meetings_per_year: int | None = Field(None, ge=1, le=366)
    rhythm_note: str | None = Field(None, max_length=200)
    place: str | None = Field(None, max_length=200)
    reports_to: Id | None = None
    meets_around: Id | None = None
    meets_around_relation: GroupRelation | None = None
    is_active: bool | None = None
    agreements: IdList | None = Field(None, description="Ersätter kopplingarna; [] tar bort dem.")
    level: Level | None = None
    restricted_to: Roles | None = None
    version: int | None = version_in()


class GroupMemberIn(InSchema):
    organisation: Id | None = None
    representing: str = Field("", max_length=200, description="Fritext när ingen organisation väljs.")
    person_name: str = Field("", max_length=200)
    standing: MemberStanding = MemberStanding.STANDIGT
    role: MemberRole = MemberRole.LEDAMOT
    level: Level = Level.OPPEN
    restricted_to: Roles = DEFAULT_ROLES


class GroupMemberPatch(InSchema):
    organisation: Id | None = None
    representing: str | None = Field(None, max_length=200)
    person_name: str | None = Field(None, max_length=200)
    standing: MemberStanding | None = None
    role: MemberRole | None = None
    level: Level | None = None
    restricted_to: Roles | None = None


# --- Citizen promises ----------------------------------------------------------------------------------


class PromiseActivityOut(ConfidentialOut):
    id: int
    description: str
    responsible: int | None = Field(None, alias="responsible_id")
    status: str
    due: dt.date | None
    order: int


class PromiseOut(ConfidentialOut):
    id: int
    collaboration: int = Field(..., alias="collaboration_id")
    title: str
    text: str
    start_date: dt.date
    end_date: dt.date
    status: str
    is_public: bool
    agreement: int | None
    replaced_by: int | None
    version: int = version_out()

    @staticmethod
    def resolve_is_public(obj: Any) -> bool:
        return bool(obj.level == Level.OPPEN)

    @staticmethod
    def resolve_agreement(obj: Any) -> int | None:
        return _visible_ref(obj, "agreement")

    @staticmethod
    def resolve_replaced_by(obj: Any) -> int | None:
        return _visible_ref(obj, "replaced_by")


class PromiseDetailOut(PromiseOut):
    activities: list[PromiseActivityOut] = Field(..., alias="api_activities")


class PromiseIn(InSchema):
    collaboration: Id
    title: str = Field(..., min_length=1, max_length=200)
    text: str = Field(..., min_length=1, max_length=5_000)
    start_date: Day
    end_date: Day
    status: PromiseStatus = PromiseStatus.PLANERAT
    agreement: Id | None = None
    replaced_by: Id | None = None
    is_public: bool = Field(True, description="Offentliga löften är öppna, andra interna.")


class PromisePatch(InSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    text: str | None = Field(None, min_length=1, max_length=5_000)
    start_date: Day | None = None
    end_date: Day | None = None
    status: PromiseStatus | None = None
    agreement: Id | None = None
    replaced_by: Id | None = None
    is_public: bool | None = None
    version: int | None = version_in()


class PromiseActivityIn(InSchema):
    description: str = Field(..., min_length=1, max_length=500)
    responsible: Id | None = None
    status: PromiseStatus = PromiseStatus.PLANERAT
    due: Day | None = None


class PromiseActivityPatch(InSchema):
    description: str | None = Field(None, min_length=1, max_length=500)
    responsible: Id | None = None
    status: PromiseStatus | None = None
    due: Day | None = None
