"""Focus areas: added, changed, retired and moved with a dated reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
from samverkan.core.content import apply_level, content_save, guard_public_text, next_order
from samverkan.core.models import AuditEntry
from samverkan.core.publication import public_revision_bump

Action = AuditEntry.Action


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


def _record_change(**fields: Any) -> FocusAreaChange:
    """Write one dated change; its reason is published with an öppen area, so it is guarded like it."""
    change = FocusAreaChange(**fields)
    guard_public_text(change)
    change.save()
    return change


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
        order=next_order(agreement.focus_areas.filter(parent=parent)),
    )
    apply_level(area, user=acting_user, collaboration=collaboration, level=level, restricted_to=restricted_to)
    content_save(area, acting_user=acting_user)
    _record_change(
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
    version: int | None = None,
) -> FocusArea:
    """Change a focus area's texts or level; ``version`` is the one the writer edited."""
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
    apply_level(
        focus_area,
        user=acting_user,
        collaboration=agreement.collaboration,
        level=level,
        restricted_to=restricted_to,
    )
    content_save(focus_area, acting_user=acting_user, before=before, expected_version=version)
    _record_change(
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
    content_save(focus_area, acting_user=acting_user, before=before)
    for child in focus_area.children.filter(status=FocusArea.Status.AKTIVT):
        focus_area_retire(focus_area=child, changed_on=changed_on, reason=reason, acting_user=acting_user)
    _record_change(
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
    public_revision_bump([focus_area.collaboration_id])  # the updates above send no signal
    audit_change(
        actor=acting_user, action=Action.UPDATE, obj=focus_area, after={"order": [a.pk for a in siblings]}
    )
