"""Publishing justerade minutes: the personal-data guard over every öppen part, the approval of the
public version by a second person (never the secretary; audit-logged), then publishing by the samordnare.
The public version itself is rendered from the structured minutes (``selectors.minutes.public_document``),
never by masking a finished document.

An amendment made after the approval withdraws it (audited): the public version has changed, so a second
person reads it again and the samordnare publishes it again. Until then the portal keeps showing the
version as it was published (amendments made after the publishing are left out of it)."""

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
        if minutes.public_approved_at is not None:
            raise ValidationError(_("Den offentliga versionen är redan godkänd."), code="state")
        if wrote_amendment(acting_user, minutes):
            raise PermissionDenied(
                _(
                    "Du har gjort en rättelse i protokollet. Den offentliga versionen godkänns av någon "
                    "som inte har skrivit i det."
                )
            )
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
        if minutes.public_approved_at is None:
            raise ValidationError(
                _(
                    "Den offentliga versionen måste godkännas av en andra person innan protokollet publiceras."
                ),
                code="approval",
            )
        if not needs_publishing(minutes):
            raise ValidationError(_("Protokollet är redan publicerat."), code="state")
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


def needs_publishing(minutes: Minutes) -> bool:
    """Approved and not yet published as approved: never published, or approved again after an
    amendment since the last publishing."""
    approved = minutes.public_approved_at
    return approved is not None and (minutes.published_at is None or minutes.published_at < approved)


def withdraw_public_approval(*, minutes: Minutes, acting_user: Any) -> bool:
    """The minutes changed (an amendment) after a second person approved the public version: the
    approval no longer covers what would go out. Reset it (audited) so the new public version is read
    and approved again before it is published again. True when there was an approval to withdraw."""
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
        if minutes.public_approved_at is None:
            return False
        before = snapshot(minutes)
        minutes.public_approved_by = None
        minutes.public_approved_at = None
        minutes.version += 1
        minutes.save()
        _audit(minutes, acting_user, before)
    return True


def wrote_amendment(user: Any, minutes: Minutes) -> bool:
    """Whether ``user`` made an amendment of the minutes: then they are not the second pair of eyes."""
    if minutes.pk is None:
        return False
    return Amendment.objects.filter(minutes=minutes, made_by_id=getattr(user, "pk", None)).exists()
