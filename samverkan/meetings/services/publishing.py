"""Publishing justerade minutes: the personal-data guard over every öppen part, the approval of the
public version by a second person (never the secretary; audit-logged), then publishing by the samordnare.
The public version itself is rendered from the structured minutes (``selectors.minutes.public_document``),
never by masking a finished document."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import permissions
from samverkan.core.audit import audit_change, snapshot
from samverkan.core.content import public_text_fields
from samverkan.core.models import AuditEntry, Level
from samverkan.core.personaldata import ensure_publishable
from samverkan.core.publication import public_revision_bump
from samverkan.meetings.models import AgendaItem, Amendment, Attendance, Decision, Meeting, Minutes


def guard_public_version(meeting: Meeting) -> None:
    """Refuse (naming the item) when any öppen part of the minutes holds personal data: every öppen
    item, its öppen decisions and amendments, and the names in the attendance list."""
    rows: list[tuple[str, Any]] = [
        (_("Närvarolistan"), row) for row in Attendance.objects.filter(meeting=meeting)
    ]
    for item in AgendaItem.objects.filter(meeting=meeting, level=Level.OPPEN).order_by("order", "pk"):
        rows.append((_("Punkt %(order)s ”%(title)s”") % {"order": item.order, "title": item.title}, item))
    for decision in Decision.objects.filter(meeting=meeting, level=Level.OPPEN):
        rows.append((_("Beslut %(label)s") % {"label": decision.label}, decision))
    for amendment in Amendment.objects.filter(minutes__meeting=meeting, level=Level.OPPEN):
        rows.append((_("Rättelsen %(date)s") % {"date": f"{amendment.made_at:%Y-%m-%d}"}, amendment))
    for where, row in rows:
        texts = {name: str(getattr(row, name) or "") for name in public_text_fields(row)}
        try:
            ensure_publishable(**texts)
        except ValidationError as error:
            found = "; ".join(message for message in error.messages)
            raise ValidationError(
                _("%(where)s innehåller personuppgifter och kan inte publiceras: %(found)s")
                % {"where": where, "found": found},
                code="personal_data",
            ) from error


def _justerade(meeting: Meeting) -> Minutes:
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None or minutes.status != Minutes.Status.JUSTERAT:
        raise ValidationError(_("Protokollet är inte justerat och kan inte publiceras."), code="state")
    if meeting.level != Level.OPPEN:
        raise ValidationError(_("Mötet är inte öppet och kan inte publiceras."), code="state")
    return minutes


def _audit(minutes: Minutes, actor: Any, before: dict[str, Any]) -> None:
    audit_change(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=minutes,
        before=before,
        after=snapshot(minutes),
        collaboration_id=minutes.meeting.collaboration_id,
    )


def approve_public_version(*, meeting: Meeting, acting_user: Any) -> Minutes:
    """A second person (not the secretary) approves the public version after reading it beside the full
    minutes; the approval is recorded in the audit log."""
    if not permissions.can_approve_public_minutes(acting_user, meeting):
        raise PermissionDenied(
            _(
                "Den offentliga versionen godkänns av en andra person: samordnaren eller ordföranden, inte sekreteraren."
            )
        )
    with transaction.atomic():
        minutes = _justerade(meeting)
        if minutes.published_at is not None:
            raise ValidationError(_("Protokollet är redan publicerat."), code="state")
        guard_public_version(meeting)
        before = snapshot(minutes)
        minutes.public_approved_by = acting_user
        minutes.public_approved_at = timezone.now()
        minutes.version += 1
        minutes.save()
        _audit(minutes, acting_user, before)
    return minutes


def publish(*, meeting: Meeting, acting_user: Any) -> Minutes:
    """Publish the public version (samordnare): only justerade minutes whose public version a second
    person approved; the guard runs once more (an amendment may have come since)."""
    if not permissions.can_manage_meetings(acting_user, meeting.collaboration):
        raise PermissionDenied(_("Bara samordnaren publicerar protokoll."))
    with transaction.atomic():
        minutes = _justerade(meeting)
        if minutes.published_at is not None:
            raise ValidationError(_("Protokollet är redan publicerat."), code="state")
        if minutes.public_approved_at is None:
            raise ValidationError(
                _(
                    "Den offentliga versionen måste godkännas av en andra person innan protokollet publiceras."
                ),
                code="approval",
            )
        guard_public_version(meeting)
        before = snapshot(minutes)
        minutes.published_at = timezone.now()
        minutes.published_by = acting_user
        minutes.version += 1
        minutes.save()
        _audit(minutes, acting_user, before)
        # Minutes hang off the meeting, not the collaboration: the public pages' revision is raised here.
        public_revision_bump([meeting.collaboration_id])
    return minutes
