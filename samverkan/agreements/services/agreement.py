"""Agreements: create, update, status, renewal."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.agreements.models import (
    Agreement,
    FocusArea,
    FocusAreaChange,
)
from samverkan.agreements.services._common import _require, _require_editable
from samverkan.core.audit import audit_change, snapshot
from samverkan.core.content import apply_level, claim_version, guard_public_text
from samverkan.core.models import AuditEntry, Collaboration, Kommun, Organisation, PoliceArea
from samverkan.core.years import outside_years

Action = AuditEntry.Action
ACTIVE = (Agreement.Status.UTKAST, Agreement.Status.GALLANDE)


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
    )
    apply_level(
        agreement, user=acting_user, collaboration=collaboration, level=level, restricted_to=restricted_to
    )
    _check_period(agreement)
    guard_public_text(agreement)
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
    version: int | None = None,
    **text: Any,
) -> Agreement:
    """Change the agreement's texts, parties or level; ``version`` is the one the writer edited
    (``EditConflict`` with both texts if someone saved since)."""
    collaboration = agreement.collaboration
    _require(acting_user, collaboration)
    _require_editable(agreement)
    unknown = set(text) - set(AGREEMENT_TEXT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Okänt fält.") for name in unknown})
    before = snapshot(agreement)
    for name, value in text.items():
        setattr(agreement, name, value)
    apply_level(
        agreement, user=acting_user, collaboration=collaboration, level=level, restricted_to=restricted_to
    )
    kommuner = list(agreement.kommuner.all()) if kommuner is None else list(kommuner)
    police_areas = list(agreement.police_areas.all()) if police_areas is None else list(police_areas)
    other_parties = list(agreement.other_parties.all()) if other_parties is None else list(other_parties)
    _check_parties(collaboration, kommuner, police_areas, other_parties)
    _check_period(agreement)
    guard_public_text(agreement)
    agreement.full_clean()
    claim_version(agreement, before=before, expected_version=version)
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
    try:
        default_start, default_end = _same_day_next_period(agreement)
    except OverflowError:  # an end written near year 9999 (before the forms kept to the product's years)
        default_start = default_end = dt.date.max
    start_date = start_date or default_start
    end_date = end_date or default_end
    for field, day in (("start_date", start_date), ("end_date", end_date)):
        problem = outside_years(day)
        if problem:
            raise ValidationError({field: problem})
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
    guard_public_text(successor)  # the new title is typed at renewal
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
