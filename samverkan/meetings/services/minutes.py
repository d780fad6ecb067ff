"""The minutes as a record: the one lock check every edit path calls, the canonical content a justerare
approves (and its SHA-256), the secretary's edits of an item while the minutes are a draft, and
amendments (rättelser) once they are justerade — never a silent edit.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core import permissions
from samverkan.core.audit import snapshot
from samverkan.core.content import content_save
from samverkan.core.models import DEFAULT_RESTRICTED_TO, Level
from samverkan.meetings.models import (
    AgendaItem,
    Amendment,
    Attendance,
    Decision,
    Meeting,
    MeetingFollowUp,
    Minutes,
)
from samverkan.meetings.services.publishing import withdraw_public_approval

# The texts of an item the secretary writes into the minutes (the rest is the agenda's business).
ITEM_TEXT_FIELDS = ("title", "notes", "proposal", "reservations")


class MinutesLocked(ValidationError):
    """The minutes are out for justering or justerade: nothing of them may be edited (422 in the API)."""


def minutes_of(meeting: Meeting) -> Minutes:
    """The meeting's minutes, made as a draft on first use."""
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    return minutes


def ensure_editable(meeting: Meeting) -> None:
    """Refuse any edit of the meeting's minutes (items, notes, decisions, attendance) while they are
    locked: out for justering, or justerade (then a correction is an amendment). Every edit path — the
    minutes page, meeting mode, the agenda and the API — calls this one check before it writes."""
    status = Minutes.objects.filter(meeting=meeting).values_list("status", flat=True).first()
    if status is None or status == Minutes.Status.UTKAST:
        return
    if status == Minutes.Status.FOR_JUSTERING:
        message = _(
            "Protokollet är skickat för justering och är låst. Det kan ändras igen först om en justerare "
            "inte godkänner det."
        )
    else:
        message = _("Protokollet är justerat och låst. Gör en rättelse i stället för att ändra texten.")
    raise MinutesLocked(message, code="locked")


def canonical_content(meeting: Meeting) -> bytes:
    """The full minutes (every item at every level) as one deterministic serialisation: what a justerare
    approves and what the SHA-256 on the PDF's justering page is computed from. Sorted keys, rows in a
    fixed order, no timestamps of saving; amendments are not part of it (they come after justering)."""
    attendance = [
        {
            "name": row.name,
            "role": row.role,
            "status": row.status,
            "substitute_for": row.substitute_for,
            "organisation": row.organisation.name if row.organisation is not None else "",
        }
        for row in Attendance.objects.filter(meeting=meeting)
        .select_related("organisation")
        .order_by("order", "pk")
    ]
    decisions_by_item: dict[int | None, list[dict[str, Any]]] = {}
    for decision in Decision.objects.filter(meeting=meeting).order_by("year", "number"):
        decisions_by_item.setdefault(decision.item_id, []).append(
            {"label": decision.label, "level": decision.level, "text": decision.text}
        )
    followups_by_item: dict[int | None, list[dict[str, Any]]] = {}
    for link in (
        MeetingFollowUp.objects.filter(meeting=meeting)
        .select_related("followup__action")
        .order_by("followup_id")
    ):
        followup = link.followup
        followups_by_item.setdefault(link.item_id, []).append(
            {
                "action": followup.action.title,
                "level": followup.level,
                "rating": followup.rating,
                "done": followup.done,
                "outcome": followup.outcome,
                "reason": followup.reason,
            }
        )
    items = [
        {
            "id": item.pk,
            "order": item.order,
            "level": item.level,
            "restricted_to": item.restricted_to if item.level == Level.BEGRANSAD else "",
            "kind": item.kind,
            **{name: getattr(item, name) for name in ITEM_TEXT_FIELDS},
            "immediately_justerad": item.immediately_justerad,
            "decisions": decisions_by_item.get(item.pk, []),
            "followups": followups_by_item.get(item.pk, []),
        }
        for item in AgendaItem.objects.filter(meeting=meeting).order_by("order", "pk")
    ]
    content = {
        "meeting": {
            "id": meeting.pk,
            "group": meeting.group.name,
            "title": meeting.title,
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.ends_at.isoformat(),
            "place": meeting.place,
            "chair": _name(meeting.chair),
            "secretary": _name(meeting.secretary),
            "justerare": sorted(_name(user) for user in meeting.justerare.all()),
        },
        "attendance": attendance,
        "items": items,
        "decisions_without_item": decisions_by_item.get(None, []),
        "followups_without_item": followups_by_item.get(None, []),
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def content_sha256(meeting: Meeting) -> str:
    return hashlib.sha256(canonical_content(meeting)).hexdigest()


def _name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def item_update(
    *, item: AgendaItem, acting_user: Any, version: int | None = None, **texts: str
) -> AgendaItem:
    """The secretary corrects an item's text in the draft minutes (after a declined justering, say).
    Locked minutes refuse; a stale edit raises ``EditConflict`` with both texts."""
    meeting = item.meeting
    if not permissions.can_write_minutes(acting_user, meeting):
        raise PermissionDenied
    with transaction.atomic():
        ensure_editable(meeting)
        before = snapshot(item)
        for name, value in texts.items():
            if name not in ITEM_TEXT_FIELDS:
                raise ValueError(name)
            setattr(item, name, value)
        item.updated_by = acting_user
        content_save(item, acting_user=acting_user, before=before, expected_version=version)
    return item


def amend(*, meeting: Meeting, acting_user: Any, text: str, item: AgendaItem | None = None) -> Amendment:
    """A dated, visible correction of justerade minutes by a writer; its level is its item's (an
    amendment of the whole minutes is intern). Öppen amendments go through the personal-data guard.
    An approval of the public version given before it is withdrawn: it must be approved again."""
    if not permissions.can_write_minutes(acting_user, meeting):
        raise PermissionDenied
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or minutes.status != Minutes.Status.JUSTERAT:
        raise ValidationError(
            {
                "text": _(
                    "Rättelser görs i justerade protokoll. Ändra texten direkt så länge det är ett utkast."
                )
            }
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Skriv vad som rättas.")})
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("Punkten hör inte till mötet.")})
    amendment = Amendment(
        collaboration_id=meeting.collaboration_id,
        minutes=minutes,
        item=item,
        text=text,
        made_by=acting_user,
        level=item.level if item is not None else Level.INTERN,
        restricted_to=item.restricted_to if item is not None else DEFAULT_RESTRICTED_TO,
    )
    with transaction.atomic():
        content_save(amendment, acting_user=acting_user)
        withdraw_public_approval(minutes=minutes, acting_user=acting_user)
    return amendment
