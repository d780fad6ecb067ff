"""Writes for agreements, focus areas, groups and citizen promises.

Every function: keyword-only, atomic, takes ``acting_user``, checks ``can_edit_agreements``, validates
(ValidationError naming the field), writes the audit log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
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
from samverkan.core.audit import audit_change, snapshot
from samverkan.core.models import AuditEntry, Collaboration, Kommun, Level, Organisation, PoliceArea
from samverkan.core.permissions import can_edit_agreements
from samverkan.core.personaldata import ensure_publishable
from samverkan.core.services import check_level

Action = AuditEntry.Action
EARLIEST_SIGNATURE = dt.date(1990, 1, 1)
ACTIVE = (Agreement.Status.UTKAST, Agreement.Status.GALLANDE)


def _require(user: Any, collaboration: Collaboration) -> None:
    if not can_edit_agreements(user, collaboration):
        raise PermissionDenied


def _level(
    user: Any, collaboration: Collaboration, level: str | None, restricted_to: Iterable[str] | None
) -> dict[str, str]:
    level = level or Level.OPPEN
    return {"level": level, "restricted_to": check_level(user, collaboration, level, restricted_to or [])}


def _require_editable(agreement: Agreement) -> None:
    """A superseded agreement is history: it is read, not rewritten (its successor is changed instead)."""
    if agreement.status == Agreement.Status.ERSATT:
        raise ValidationError(_("En ersatt överenskommelse ändras inte; ändra dess efterföljare."))


def _apply_level(
    row: Any, user: Any, collaboration: Collaboration, level: str | None, restricted_to: Iterable[str] | None
) -> None:
    """Set the row's level; without one, an existing row keeps its own (never silently made öppen)."""
    if level is None and row.pk is not None:
        return
    for name, value in _level(user, collaboration, level, restricted_to).items():
        setattr(row, name, value)


# Free text that becomes public when the row is öppen: personal data is refused there (domain rule).
PUBLIC_TEXT_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Agreement: (
        "title",
        "purpose",
        "effects_sought",
        "communication_plan",
        "followup_rhythm",
        "followup_reporting",
    ),
    FocusArea: ("title", "description"),
    FactSource: ("description",),
    Group: ("name", "purpose", "rhythm_note", "place"),
    GroupMember: ("representing",),
    CitizenPromise: ("title", "text"),
    PromiseActivity: ("description",),
}


def _guard_publishable(obj: Model) -> None:
    if getattr(obj, "level", None) == Level.OPPEN:
        fields = PUBLIC_TEXT_FIELDS.get(type(obj), ())
        ensure_publishable(**{name: getattr(obj, name) for name in fields})


def _save(obj: Model, *, acting_user: Any, before: dict[str, Any] | None = None) -> None:
    _guard_publishable(obj)
    obj.full_clean()
    obj.save()
    audit_change(
        actor=acting_user,
        action=Action.UPDATE if before is not None else Action.CREATE,
        obj=obj,
        before=before,
        after=snapshot(obj),
    )


def _delete(obj: Model, *, acting_user: Any) -> None:
    audit_change(actor=acting_user, action=Action.DELETE, obj=obj, before=snapshot(obj))
    obj.delete()


def _next_order(queryset: Any) -> int:
    return (queryset.aggregate(m=Max("order"))["m"] or 0) + 1


# --- Agreements ----------------------------------------------------------------------------------


def _check_parties(
    collaboration: Collaboration,
    kommuner: Sequence[Kommun],
    police_areas: Sequence[PoliceArea],
    other_parties: Sequence[Organisation],
) -> None:
    errors: dict[str, str] = {}
    if not kommuner:
        errors["kommuner"] = _("Välj minst en kommun.")
    elif not set(k.pk for k in kommuner) <= set(collaboration.kommuner.values_list("kod", flat=True)):
        errors["kommuner"] = _("Kommunerna måste ingå i samverkan.")
    if not set(p.pk for p in police_areas) <= set(collaboration.police_areas.values_list("id", flat=True)):
        errors["police_areas"] = _("Polisområdena måste ingå i samverkan.")
    party_ids = set(collaboration.participations.values_list("organisation_id", flat=True))
    if not set(o.pk for o in other_parties) <= party_ids:
        errors["other_parties"] = _("Övriga parter måste vara aktörer i samverkan.")
    if errors:
        raise ValidationError(errors)


def _check_period(agreement: Agreement) -> None:
    if agreement.start_date and agreement.end_date and agreement.end_date < agreement.start_date:
        raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})
    if agreement.status not in ACTIVE:
        return
    overlapping = (
        Agreement.objects.filter(collaboration_id=agreement.collaboration_id, status__in=ACTIVE)
        .filter(start_date__lte=agreement.end_date, end_date__gte=agreement.start_date)
        .exclude(pk=agreement.pk)
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "start_date": _("Perioden överlappar ”%(title)s” (%(period)s), som fortfarande är aktiv.")
                % {"title": overlapping.title, "period": overlapping.period_label}
            }
        )


AGREEMENT_TEXT_FIELDS = (
    "title",
    "start_date",
    "end_date",
    "purpose",
    "effects_sought",
    "communication_plan",
    "followup_rhythm",
    "followup_reporting",
    "evaluation_month",
    "signed_place",
)


@transaction.atomic
def agreement_create(
    *,
    collaboration: Collaboration,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    kommuner: Sequence[Kommun],
    police_areas: Sequence[PoliceArea] = (),
    other_parties: Sequence[Organisation] = (),
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    acting_user: Any,
    **text: Any,
) -> Agreement:
    _require(acting_user, collaboration)
    unknown = set(text) - set(AGREEMENT_TEXT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Okänt fält.") for name in unknown})
    _check_parties(collaboration, kommuner, police_areas, other_parties)
    agreement = Agreement(
        collaboration=collaboration,
        title=title,
        start_date=start_date,
        end_date=end_date,
        **text,
        **_level(acting_user, collaboration, level, restricted_to),
    )
    _check_period(agreement)
    _guard_publishable(agreement)
    agreement.full_clean()
    agreement.save()
    agreement.kommuner.set(kommuner)
    agreement.police_areas.set(police_areas)
    agreement.other_parties.set(other_parties)
    audit_change(actor=acting_user, action=Action.CREATE, obj=agreement, after=snapshot(agreement))
    return agreement


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    acting_user: Any,
    kommuner: Sequence[Kommun] | None = None,
    police_areas: Sequence[PoliceArea] | None = None,
    other_parties: Sequence[Organisation] | None = None,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    **text: Any,
) -> Agreement:
    collaboration = agreement.collaboration
    _require(acting_user, collaboration)
    _require_editable(agreement)
    unknown = set(text) - set(AGREEMENT_TEXT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Okänt fält.") for name in unknown})
    before = snapshot(agreement)
    for name, value in text.items():
        setattr(agreement, name, value)
    if level is not None:
        for name, value in _level(acting_user, collaboration, level, restricted_to).items():
            setattr(agreement, name, value)
    kommuner = list(agreement.kommuner.all()) if kommuner is None else list(kommuner)
    police_areas = list(agreement.police_areas.all()) if police_areas is None else list(police_areas)
    other_parties = list(agreement.other_parties.all()) if other_parties is None else list(other_parties)
    _check_parties(collaboration, kommuner, police_areas, other_parties)
    _check_period(agreement)
    _guard_publishable(agreement)
    agreement.full_clean()
    agreement.save()
    agreement.kommuner.set(kommuner)
    agreement.police_areas.set(police_areas)
    agreement.other_parties.set(other_parties)
    audit_change(
        actor=acting_user, action=Action.UPDATE, obj=agreement, before=before, after=snapshot(agreement)
    )
    return agreement


ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Agreement.Status.UTKAST: {Agreement.Status.GALLANDE},
    Agreement.Status.GALLANDE: {Agreement.Status.AVSLUTAD, Agreement.Status.UTKAST},
    Agreement.Status.AVSLUTAD: {Agreement.Status.GALLANDE},
    Agreement.Status.ERSATT: set(),
}


@transaction.atomic
def agreement_set_status(*, agreement: Agreement, status: str, acting_user: Any) -> Agreement:
    """utkast → gällande → avslutad (and back when a mistake is corrected); ersatt only by renewal."""
    _require(acting_user, agreement.collaboration)
    if status not in ALLOWED_TRANSITIONS.get(agreement.status, set()):
        raise ValidationError(
            {
                "status": _("Status kan inte ändras från %(old)s till %(new)s.")
                % {
                    "old": agreement.get_status_display(),
                    "new": dict(Agreement.Status.choices).get(status, status),
                }
            }
        )
    before = snapshot(agreement)
    agreement.status = status
    _check_period(agreement)
    agreement.save(update_fields=["status", "updated_at"])
    audit_change(
        actor=acting_user, action=Action.UPDATE, obj=agreement, before=before, after=snapshot(agreement)
    )
    return agreement


def _same_day_next_period(agreement: Agreement) -> tuple[dt.date, dt.date]:
    start = agreement.end_date + dt.timedelta(days=1)
    try:
        end = agreement.end_date.replace(
            year=agreement.end_date.year + (agreement.end_date.year - agreement.start_date.year + 1)
        )
    except ValueError:  # 29 February
        end = start + (agreement.end_date - agreement.start_date)
    return start, end


def renewed_title(agreement: Agreement, start: dt.date, end: dt.date) -> str:
    """The old title with its years moved on ("… 2020–2022" → "… 2023–2025"); years appended otherwise."""
    years = f"{start.year}–{end.year}"
    span = re.compile(rf"{agreement.start_date.year}\s*[–-]\s*{agreement.end_date.year}")
    if span.search(agreement.title):
        return span.sub(years, agreement.title, count=1)
    return f"{agreement.title} {years}"


@transaction.atomic
def agreement_renew(
    *,
    agreement: Agreement,
    acting_user: Any,
    title: str | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> Agreement:
    """Create the next agreement as a draft carrying over parties, groups, fact sources and active focus
    areas (linked to the ones they continue); the old agreement becomes ersatt. Renewing twice fails."""
    collaboration = agreement.collaboration
    _require(acting_user, collaboration)
    # Lock the row so two simultaneous renewals cannot both pass the check below.
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if Agreement.objects.filter(predecessor=agreement).exists():
        raise ValidationError(_("Överenskommelsen är redan förnyad."))
    if agreement.status == Agreement.Status.UTKAST:
        raise ValidationError(_("Ett utkast kan inte förnyas; sätt det i kraft först."))
    default_start, default_end = _same_day_next_period(agreement)
    start_date = start_date or default_start
    end_date = end_date or default_end
    if start_date <= agreement.start_date:
        raise ValidationError({"start_date": _("Den nya perioden måste börja efter den gamlas start.")})
    before = snapshot(agreement)
    agreement.status = Agreement.Status.ERSATT
    agreement.save(update_fields=["status", "updated_at"])
    audit_change(
        actor=acting_user, action=Action.UPDATE, obj=agreement, before=before, after=snapshot(agreement)
    )

    successor = Agreement(
        collaboration=collaboration,
        predecessor=agreement,
        title=title or renewed_title(agreement, start_date, end_date),
        start_date=start_date,
        end_date=end_date,
        status=Agreement.Status.UTKAST,
        level=agreement.level,
        restricted_to=agreement.restricted_to,
        **{
            name: getattr(agreement, name)
            for name in AGREEMENT_TEXT_FIELDS
            if name not in ("title", "start_date", "end_date", "signed_place")
        },
    )
    successor.title = successor.title[:200]
    _check_period(successor)
    successor.full_clean()
    successor.save()
    successor.kommuner.set(agreement.kommuner.all())
    successor.police_areas.set(agreement.police_areas.all())
    successor.other_parties.set(agreement.other_parties.all())
    for source in agreement.fact_sources.all():
        source.pk = None
        source.agreement = successor
        source.save()
    today = timezone.localdate()
    copies: dict[int, FocusArea] = {}
    for area in agreement.focus_areas.filter(status=FocusArea.Status.AKTIVT).order_by(
        "parent_id", "order", "id"
    ):
        if area.parent_id is not None and area.parent_id not in copies:
            continue  # a sub-priority of a retired area stays behind with it
        old_pk = area.pk
        area.pk = None
        area.agreement = successor
        area.carried_from_id = old_pk
        area.parent = copies.get(area.parent_id) if area.parent_id else None
        area.save()
        copies[old_pk] = area
        FocusAreaChange.objects.create(
            focus_area=area,
            collaboration=collaboration,
            kind=FocusAreaChange.Kind.FORT_VIDARE,
            changed_on=today,
            reason=_("Förnyelse av ”%(title)s”.") % {"title": agreement.title},
            after=snapshot(area),
            changed_by=acting_user,
        )
    for group in agreement.groups.all():
        group.agreements.add(successor)
    # Open actions keep pointing at their focus areas; carried_from links old and new areas, so the
    # action plan (a later issue) follows an action from one period into the next.
    audit_change(actor=acting_user, action=Action.CREATE, obj=successor, after=snapshot(successor))
    return successor


# --- Focus areas ------------------------------------------------------------------------------------


def _focus_reason_required(agreement: Agreement, reason: str) -> None:
    """Once an agreement is in force, every change to its focus areas is dated and reasoned."""
    if agreement.status != Agreement.Status.UTKAST and not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Ange varför fokusområdet ändras; överenskommelsen gäller redan.")}
        )


def _check_change_date(agreement: Agreement, changed_on: dt.date) -> None:
    if changed_on > timezone.localdate():
        raise ValidationError({"changed_on": _("Datumet kan inte ligga i framtiden.")})
    if changed_on < agreement.start_date - dt.timedelta(days=366):
        raise ValidationError({"changed_on": _("Datumet ligger långt före överenskommelsens period.")})


@transaction.atomic
def focus_area_add(
    *,
    agreement: Agreement,
    title: str,
    description: str = "",
    parent: FocusArea | None = None,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    changed_on: dt.date | None = None,
    reason: str = "",
    acting_user: Any,
) -> FocusArea:
    collaboration = agreement.collaboration
    _require(acting_user, collaboration)
    _require_editable(agreement)
    changed_on = changed_on or timezone.localdate()
    _focus_reason_required(agreement, reason)
    _check_change_date(agreement, changed_on)
    if parent is not None and (parent.agreement_id != agreement.pk or parent.parent_id is not None):
        raise ValidationError(
            {"parent": _("Delprioriteringar hör till ett fokusområde i samma överenskommelse.")}
        )
    area = FocusArea(
        collaboration=collaboration,
        agreement=agreement,
        parent=parent,
        title=title,
        description=description,
        order=_next_order(agreement.focus_areas.filter(parent=parent)),
        **_level(acting_user, collaboration, level, restricted_to),
    )
    _save(area, acting_user=acting_user)
    FocusAreaChange.objects.create(
        focus_area=area,
        collaboration=collaboration,
        kind=FocusAreaChange.Kind.TILLAGT,
        changed_on=changed_on,
        reason=reason.strip() or _("Ingick när överenskommelsen togs fram."),
        after=snapshot(area),
        changed_by=acting_user,
    )
    return area


@transaction.atomic
def focus_area_update(
    *,
    focus_area: FocusArea,
    title: str,
    description: str,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    changed_on: dt.date | None = None,
    reason: str = "",
    acting_user: Any,
) -> FocusArea:
    agreement = focus_area.agreement
    _require(acting_user, agreement.collaboration)
    _require_editable(agreement)
    if focus_area.status == FocusArea.Status.AVSLUTAT:
        raise ValidationError(_("Fokusområdet är avslutat och ändras inte längre."))
    changed_on = changed_on or timezone.localdate()
    _focus_reason_required(agreement, reason)
    _check_change_date(agreement, changed_on)
    before = snapshot(focus_area)
    focus_area.title, focus_area.description = title, description
    if level is not None:
        for name, value in _level(acting_user, agreement.collaboration, level, restricted_to).items():
            setattr(focus_area, name, value)
    _save(focus_area, acting_user=acting_user, before=before)
    FocusAreaChange.objects.create(
        focus_area=focus_area,
        collaboration=agreement.collaboration,
        kind=FocusAreaChange.Kind.ANDRAT,
        changed_on=changed_on,
        reason=reason.strip() or _("Ändrat i utkastet."),
        before=before,
        after=snapshot(focus_area),
        changed_by=acting_user,
    )
    return focus_area


@transaction.atomic
def focus_area_retire(
    *, focus_area: FocusArea, changed_on: dt.date | None = None, reason: str, acting_user: Any
) -> FocusArea:
    agreement = focus_area.agreement
    _require(acting_user, agreement.collaboration)
    _require_editable(agreement)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Ange varför fokusområdet avslutas.")})
    if focus_area.status == FocusArea.Status.AVSLUTAT:
        raise ValidationError(_("Fokusområdet är redan avslutat."))
    changed_on = changed_on or timezone.localdate()
    _check_change_date(agreement, changed_on)
    before = snapshot(focus_area)
    focus_area.status = FocusArea.Status.AVSLUTAT
    _save(focus_area, acting_user=acting_user, before=before)
    for child in focus_area.children.filter(status=FocusArea.Status.AKTIVT):
        focus_area_retire(focus_area=child, changed_on=changed_on, reason=reason, acting_user=acting_user)
    FocusAreaChange.objects.create(
        focus_area=focus_area,
        collaboration=agreement.collaboration,
        kind=FocusAreaChange.Kind.AVSLUTAT,
        changed_on=changed_on,
        reason=reason.strip(),
        before=before,
        after=snapshot(focus_area),
        changed_by=acting_user,
    )
    return focus_area


@transaction.atomic
def focus_area_move(*, focus_area: FocusArea, direction: int, acting_user: Any) -> None:
    """Swap places with the neighbour above (-1) or below (+1) among its siblings."""
    _require(acting_user, focus_area.agreement.collaboration)
    _require_editable(focus_area.agreement)
    siblings = list(
        focus_area.agreement.focus_areas.filter(parent_id=focus_area.parent_id).order_by("order", "id")
    )
    index = next(i for i, a in enumerate(siblings) if a.pk == focus_area.pk)
    other = index + (1 if direction > 0 else -1)
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, area in enumerate(siblings, start=1):
        if area.order != position:
            FocusArea.objects.filter(pk=area.pk).update(order=position)
    audit_change(
        actor=acting_user, action=Action.UPDATE, obj=focus_area, after={"order": [a.pk for a in siblings]}
    )


# --- Fact sources and signatories ----------------------------------------------------------------------


@transaction.atomic
def fact_source_save(
    *,
    agreement: Agreement,
    kind: str,
    rhythm: str,
    description: str = "",
    provider: Organisation | None = None,
    month: int | None = None,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    fact_source: FactSource | None = None,
    acting_user: Any,
) -> FactSource:
    collaboration = agreement.collaboration
    _require(acting_user, collaboration)
    _require_editable(agreement)
    if provider is not None and not collaboration.participations.filter(organisation=provider).exists():
        raise ValidationError({"provider": _("Organisationen är inte aktör i samverkan.")})
    before = snapshot(fact_source) if fact_source else None
    source = fact_source or FactSource(
        collaboration=collaboration, agreement=agreement, order=_next_order(agreement.fact_sources)
    )
    source.kind, source.rhythm, source.description, source.provider, source.month = (
        kind,
        rhythm,
        description,
        provider,
        month,
    )
    _apply_level(source, acting_user, collaboration, level, restricted_to)
    _save(source, acting_user=acting_user, before=before)
    return source


@transaction.atomic
def fact_source_delete(*, fact_source: FactSource, acting_user: Any) -> None:
    _require(acting_user, fact_source.agreement.collaboration)
    _require_editable(fact_source.agreement)
    _delete(fact_source, acting_user=acting_user)


def _check_signature_date(agreement: Agreement, signed_on: dt.date | None) -> None:
    if signed_on is None:
        return
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("Ett underskriftsdatum kan inte ligga i framtiden.")})
    if signed_on < EARLIEST_SIGNATURE:
        raise ValidationError({"signed_on": _("Datumet är orimligt tidigt.")})
    if signed_on > agreement.end_date:
        raise ValidationError(
            {"signed_on": _("Överenskommelsen kan inte undertecknas efter att den har upphört.")}
        )
    if signed_on < agreement.start_date - dt.timedelta(days=2 * 366):
        raise ValidationError({"signed_on": _("Datumet ligger mer än två år före överenskommelsens start.")})


@transaction.atomic
def signatory_save(
    *,
    agreement: Agreement,
    name: str,
    title: str,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    signed_on: dt.date | None = None,
    signatory: Signatory | None = None,
    acting_user: Any,
) -> Signatory:
    collaboration = agreement.collaboration
    _require(acting_user, collaboration)
    _require_editable(agreement)
    _check_signature_date(agreement, signed_on)
    if organisation is None and not organisation_name.strip():
        raise ValidationError({"organisation": _("Ange vilken part personen skriver under för.")})
    if (
        organisation is not None
        and not collaboration.participations.filter(organisation=organisation).exists()
    ):
        raise ValidationError({"organisation": _("Organisationen är inte aktör i samverkan.")})
    before = snapshot(signatory) if signatory else None
    row = signatory or Signatory(
        collaboration=collaboration, agreement=agreement, order=_next_order(agreement.signatories)
    )
    row.name, row.title, row.organisation, row.organisation_name, row.signed_on = (
        name,
        title,
        organisation,
        organisation_name,
        signed_on,
    )
    _save(row, acting_user=acting_user, before=before)
    return row


@transaction.atomic
def signatory_delete(*, signatory: Signatory, acting_user: Any) -> None:
    _require(acting_user, signatory.agreement.collaboration)
    _require_editable(signatory.agreement)
    _delete(signatory, acting_user=acting_user)


# --- Groups ---------------------------------------------------------------------------------------------

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
    **fields: Any,
) -> Group:
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
    _apply_level(row, acting_user, collaboration, level, restricted_to)
    _check_group_relations(row)
    _guard_publishable(row)
    row.full_clean()
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
    row = member or GroupMember(collaboration=collaboration, group=group, order=_next_order(group.members))
    row.organisation, row.person, row.representing, row.standing, row.role = (
        organisation,
        person,
        representing.strip(),
        standing,
        role,
    )
    _apply_level(row, acting_user, collaboration, level, restricted_to)
    _save(row, acting_user=acting_user, before=before)
    return row


@transaction.atomic
def group_member_remove(*, member: GroupMember, acting_user: Any) -> None:
    _require(acting_user, member.group.collaboration)
    _delete(member, acting_user=acting_user)


# --- Citizen promises ----------------------------------------------------------------------------------


@transaction.atomic
def promise_save(
    *,
    collaboration: Collaboration,
    title: str,
    text: str,
    start_date: dt.date,
    end_date: dt.date,
    status: str = CitizenPromise.Status.PLANERAT,
    agreement: Agreement | None = None,
    replaced_by: Agreement | None = None,
    is_public: bool = True,
    promise: CitizenPromise | None = None,
    acting_user: Any,
) -> CitizenPromise:
    _require(acting_user, collaboration)
    for name, value in (("agreement", agreement), ("replaced_by", replaced_by)):
        if value is not None and value.collaboration_id != collaboration.pk:
            raise ValidationError({name: _("Överenskommelsen hör till en annan samverkan.")})
    if end_date < start_date:
        raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})
    before = snapshot(promise) if promise else None
    row = promise or CitizenPromise(collaboration=collaboration)
    row.title, row.text, row.start_date, row.end_date, row.status = title, text, start_date, end_date, status
    row.agreement, row.replaced_by = agreement, replaced_by
    # Whether citizens may read it is the confidentiality level: public promises are öppen. A begränsad
    # promise (admin, import) stays begränsad unless made public; "not public" must never widen readers.
    if is_public:
        row.level = Level.OPPEN
    elif row.level != Level.BEGRANSAD:
        row.level = Level.INTERN
    _save(row, acting_user=acting_user, before=before)
    # Activities take their promise's level (promise_activity_save); keep them in step when it changes.
    row.activities.exclude(level=row.level, restricted_to=row.restricted_to).update(
        level=row.level, restricted_to=row.restricted_to
    )
    return row


@transaction.atomic
def promise_activity_save(
    *,
    promise: CitizenPromise,
    description: str,
    responsible: Organisation | None = None,
    status: str = CitizenPromise.Status.PLANERAT,
    due: dt.date | None = None,
    activity: PromiseActivity | None = None,
    acting_user: Any,
) -> PromiseActivity:
    collaboration = promise.collaboration
    _require(acting_user, collaboration)
    if responsible is not None and not collaboration.participations.filter(organisation=responsible).exists():
        raise ValidationError({"responsible": _("Organisationen är inte aktör i samverkan.")})
    before = snapshot(activity) if activity else None
    row = activity or PromiseActivity(
        collaboration=collaboration,
        promise=promise,
        order=_next_order(promise.activities),
        level=promise.level,
    )
    row.description, row.responsible, row.status, row.due = description, responsible, status, due
    _save(row, acting_user=acting_user, before=before)
    return row


@transaction.atomic
def promise_activity_delete(*, activity: PromiseActivity, acting_user: Any) -> None:
    _require(acting_user, activity.promise.collaboration)
    _delete(activity, acting_user=acting_user)
