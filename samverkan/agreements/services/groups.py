"""Groups, their members and relations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.agreements.models import (
    Agreement,
    Group,
    GroupMember,
)
from samverkan.agreements.services._common import _require
from samverkan.core.audit import audit_change, snapshot
from samverkan.core.content import (
    apply_level,
    claim_version,
    content_delete,
    content_save,
    guard_public_text,
    next_order,
)
from samverkan.core.models import AuditEntry, Collaboration, Organisation

Action = AuditEntry.Action

GROUP_FIELDS = (
    "name",
    "kind",
    "tier",
    "purpose",
    "meetings_per_year",
    "rhythm_note",
    "place",
    "reports_to",
    "meets_around",
    "meets_around_relation",
    "is_active",
)


def _check_group_relations(group: Group) -> None:
    errors = {}
    for name in ("reports_to", "meets_around"):
        other = getattr(group, name)
        if other is None:
            continue
        if other.collaboration_id != group.collaboration_id:
            errors[name] = _("Gruppen måste höra till samma samverkan.")
        elif group.pk and other.pk == group.pk:
            errors[name] = _("En grupp kan inte relatera till sig själv.")
    if group.meets_around_id and not group.meets_around_relation:
        errors["meets_around_relation"] = _("Ange om gruppen möts före, efter eller både före och efter.")
    if group.meets_around_relation and not group.meets_around_id:
        errors["meets_around"] = _("Välj vilken grupp gruppen möts före eller efter.")
    chain, seen = group.reports_to, {group.pk}
    while chain is not None and not errors:
        if chain.pk in seen:
            errors["reports_to"] = _("Rapporteringen skulle gå i cirkel.")
        seen.add(chain.pk)
        chain = chain.reports_to
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def group_save(
    *,
    collaboration: Collaboration,
    agreements: Sequence[Agreement] | None = None,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    group: Group | None = None,
    acting_user: Any,
    version: int | None = None,
    **fields: Any,
) -> Group:
    """Create a group, or change ``group`` from its ``version`` (EditConflict if someone saved since)."""
    _require(acting_user, collaboration)
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise ValidationError({name: _("Okänt fält.") for name in unknown})
    if any(a.collaboration_id != collaboration.pk for a in agreements or ()):
        raise ValidationError({"agreements": _("Överenskommelsen hör till en annan samverkan.")})
    before = snapshot(group) if group else None
    row = group or Group(collaboration=collaboration)
    for name, value in fields.items():
        setattr(row, name, value)
    apply_level(row, user=acting_user, collaboration=collaboration, level=level, restricted_to=restricted_to)
    _check_group_relations(row)
    guard_public_text(row)
    row.full_clean()
    claim_version(row, before=before, expected_version=version)
    row.save()
    # None leaves the links as they are; an empty list clears them.
    if agreements is not None:
        row.agreements.set(agreements)
    audit_change(
        actor=acting_user,
        action=Action.UPDATE if before is not None else Action.CREATE,
        obj=row,
        before=before,
        after=snapshot(row),
    )
    return row


@transaction.atomic
def group_member_save(
    *,
    group: Group,
    organisation: Organisation | None = None,
    person_name: str = "",
    representing: str = "",
    standing: str = GroupMember.Standing.STANDIGT,
    role: str = GroupMember.GroupRole.LEDAMOT,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    member: GroupMember | None = None,
    acting_user: Any,
) -> GroupMember:
    """A member is an organisation, a person, or a named interest; outsiders only as invited."""
    collaboration = group.collaboration
    _require(acting_user, collaboration)
    if organisation is None and not person_name.strip() and not representing.strip():
        raise ValidationError({"organisation": _("Välj en organisation eller skriv vem som deltar.")})
    is_party = (
        organisation is not None and collaboration.participations.filter(organisation=organisation).exists()
    )
    if organisation is not None and not is_party and standing != GroupMember.Standing.INBJUDEN:
        raise ValidationError(
            {
                "standing": _("%(org)s är inte aktör i samverkan och kan bara delta som inbjuden.")
                % {"org": organisation}
            }
        )
    from samverkan.core.models import Person

    person = None
    if person_name.strip():
        if member is not None and member.person is not None and member.person.name == person_name.strip():
            person = member.person  # unchanged: do not create the same person again on every edit
        elif organisation:
            person = Person.objects.filter(
                name=person_name.strip(), affiliations__organisation=organisation
            ).first()
        if person is None:
            person = Person.objects.create(name=person_name.strip())
            if organisation is not None:
                person.organisations.add(organisation)
    before = snapshot(member) if member else None
    row = member or GroupMember(collaboration=collaboration, group=group, order=next_order(group.members))
    row.organisation, row.person, row.representing, row.standing, row.role = (
        organisation,
        person,
        representing.strip(),
        standing,
        role,
    )
    apply_level(row, user=acting_user, collaboration=collaboration, level=level, restricted_to=restricted_to)
    content_save(row, acting_user=acting_user, before=before)
    return row


@transaction.atomic
def group_member_remove(*, member: GroupMember, acting_user: Any) -> None:
    _require(acting_user, member.group.collaboration)
    content_delete(member, acting_user=acting_user)
