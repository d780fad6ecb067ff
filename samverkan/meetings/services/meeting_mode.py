"""Meeting mode: what the secretary records during the meeting, item by item.

Attendance, a point's notes/proposal/reservations (one field at a time, saved as you go, with conflict
detection), a point marked handled, follow-up ratings through the action plan's own service (linked to
the meeting), the joint picture agreed through the lägesbild's own service, and work orders through the
action plan's own service, due the group's next meeting. Nothing here writes another app's rows itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists
from django.utils.translation import gettext as _

from samverkan.actions.models import Action, FollowUp, WorkOrder
from samverkan.actions.services.followup import followup_record
from samverkan.actions.services.workorders import work_order_save
from samverkan.agreements.models import GroupMember
from samverkan.core.audit import snapshot
from samverkan.core.content import content_delete, content_save
from samverkan.core.models import Level, Organisation
from samverkan.meetings.models import AgendaItem, Attendance, Meeting, MeetingFollowUp
from samverkan.meetings.services.agenda import (
    _next_meeting,
    agenda_item_update,
    meeting_day,
    require_editable,
)
from samverkan.situation.models import PictureVersion, Round
from samverkan.situation.services.picture import picture_agree

# The texts written per point during the meeting, each saved on its own.
MEETING_FIELDS = ("notes", "proposal", "reservations")


# --- Attendance --------------------------------------------------------------------------------------


def attendance_prefill(*, meeting: Meeting, acting_user: Any) -> int:
    """The group's öppen members as present, once (attendance is printed in the public minutes, so a
    member recorded at a stricter level is not copied: the secretary adds them by hand if they are to be
    named). Returns the rows made."""
    # One query: no members at all once the meeting has any attendance (prefilled, or the secretary's).
    members = (
        GroupMember.objects.filter(group_id=meeting.group_id, level=Level.OPPEN)
        .filter(~Exists(Attendance.objects.filter(meeting=meeting)))
        .select_related("organisation", "person")
        .order_by("standing", "order", "pk")
    )
    made, seen = 0, set[int | None]([None])
    for order, member in enumerate(members, start=1):
        name = member.person.name if member.person else member.display_name
        row = Attendance(
            collaboration=meeting.collaboration,
            meeting=meeting,
            organisation=member.organisation,
            user=member.person.user if member.person and member.person.user_id not in seen else None,
            name=name[:200],
            role=str(member.get_role_display()),
            order=order,
        )
        content_save(row, acting_user=acting_user)
        seen.add(row.user_id)
        made += 1
    return made


@transaction.atomic
def attendance_set(
    *, meeting: Meeting, entries: Iterable[dict[str, Any]], acting_user: Any
) -> list[Attendance]:
    """Set the meeting's attendance to ``entries`` (each: ``id`` of an existing row or none for a new
    one, ``name``, ``status``, ``substitute_for``, ``role``, ``organisation``); rows not named are
    removed. A substitute names whom they stand in for."""
    require_editable(acting_user, meeting)
    current = {row.pk: row for row in Attendance.objects.select_for_update().filter(meeting=meeting)}
    kept: list[Attendance] = []
    errors: dict[str, str] = {}
    for index, entry in enumerate(entries):
        pk = entry.get("id")
        row = current.get(pk) if pk else None
        if pk and row is None:
            errors[f"{index}.id"] = _("Raden hör inte till mötet.")
            continue
        status = entry.get("status", Attendance.Status.NARVARANDE)
        if status not in Attendance.Status.values:
            errors[f"{index}.status"] = _("Välj närvarande, frånvarande eller ersättare.")
            continue
        name = (entry.get("name") if entry.get("name") is not None else (row.name if row else "")) or ""
        if not name.strip():
            errors[f"{index}.name"] = _("Ange namnet.")
            continue
        substitute_for = entry.get("substitute_for") or ""
        if status == Attendance.Status.ERSATTARE and not substitute_for.strip():
            errors[f"{index}.substitute_for"] = _("Ange vem ersättaren ersätter.")
            continue
        organisation = entry.get("organisation", row.organisation if row else None)
        if isinstance(organisation, int):
            organisation = Organisation.objects.filter(
                pk=organisation, participations__collaboration=meeting.collaboration
            ).first()
            if organisation is None:
                errors[f"{index}.organisation"] = _("Organisationen är inte aktör i samverkan.")
                continue
        before = snapshot(row) if row else None
        row = row or Attendance(collaboration=meeting.collaboration, meeting=meeting)
        row.name, row.status, row.substitute_for = name.strip()[:200], status, substitute_for.strip()
        row.role = entry.get("role", row.role) or ""
        row.organisation = organisation if isinstance(organisation, Organisation) else None
        row.order = index + 1
        try:
            content_save(row, acting_user=acting_user, before=before)
        except ValidationError as error:
            for name_, messages in error.message_dict.items():
                errors[f"{index}.{name_}"] = " ".join(messages)
            continue
        kept.append(row)
    if errors:
        raise ValidationError(errors)
    kept_ids = {row.pk for row in kept}
    for pk, row in current.items():
        if pk not in kept_ids:
            content_delete(row, acting_user=acting_user)
    return kept


# --- A point's texts ---------------------------------------------------------------------------------


def field_hash(value: str) -> str:
    """What the writer's form was shown of one text: sent back as ``seen`` with the edit."""
    return hashlib.sha256((value or "").encode()).hexdigest()[:16]


@transaction.atomic
def item_field_save(
    *,
    item: AgendaItem,
    name: str,
    value: str,
    version: int | None,
    seen: str = "",
    acting_user: Any,
) -> AgendaItem:
    """Save one of the point's meeting texts (notes, proposal, reservations) from ``version``.

    Each text is saved on its own while the point's other texts are written too (by the same secretary
    a moment ago, or a second one): when the point moved on since ``version`` but this text is still
    what the writer was shown (``seen``, its ``field_hash``), nobody else changed it and it is saved;
    otherwise ``EditConflict`` holds both texts and nothing is written."""
    if name not in MEETING_FIELDS:
        raise ValidationError({"field": _("Fältet kan inte sparas här.")})
    saved = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if version is not None and saved.version != version and seen and field_hash(getattr(saved, name)) == seen:
        version = None
    return agenda_item_update(item=saved, acting_user=acting_user, version=version, **{name: value})


def item_mark_handled(*, item: AgendaItem, handled: bool, acting_user: Any) -> AgendaItem:
    """Mark the point handled (or not): an unhandled point is carried to the group's next agenda."""
    return agenda_item_update(item=item, acting_user=acting_user, handled=handled)


def _note_in_source(item: AgendaItem, key: str, pk: int) -> None:
    """Remember a row made at this point (read by the minutes), without moving the point's version: it
    is bookkeeping, not a text anyone edits."""
    source = dict(item.source or {})
    source[key] = [*source.get(key, []), pk]
    AgendaItem.objects.filter(pk=item.pk).update(source=source)
    item.source = source


# --- Follow-up, work orders, the joint picture --------------------------------------------------------


@transaction.atomic
def meeting_followup(
    *, meeting: Meeting, item: AgendaItem | None, action: Action, acting_user: Any, **arguments: Any
) -> FollowUp:
    """Rate an action at the meeting through the action plan's follow-up service (its validation: a
    reason when the colour changes), dated the meeting's day, and link it to the meeting."""
    require_editable(acting_user, meeting)
    if action.collaboration_id != meeting.collaboration_id:
        raise ValidationError({"action": _("Åtgärden hör till en annan samverkan.")})
    arguments.setdefault("followed_up_on", meeting_day(meeting))
    arguments.setdefault("occasion", str(meeting)[:200])
    row = followup_record(action=action, acting_user=acting_user, **arguments)
    MeetingFollowUp.objects.update_or_create(followup=row, defaults={"meeting": meeting, "item": item})
    return row


@transaction.atomic
def meeting_work_order(
    *,
    meeting: Meeting,
    item: AgendaItem | None,
    title: str,
    organisation: Organisation | None,
    description: str = "",
    action: Action | None = None,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    acting_user: Any,
) -> WorkOrder:
    """A work order given at the meeting, through the action plan's service: due the group's next
    meeting (its date when one is planned)."""
    require_editable(acting_user, meeting)
    following = _next_meeting(meeting)
    due_on: dt.date | None = meeting_day(following) if following is not None else None
    if level is None and item is not None and action is None:
        level, restricted_to = item.level, sorted(item.restricted_roles)
    order = work_order_save(
        collaboration=meeting.collaboration,
        title=title,
        organisation=organisation,
        description=description,
        due_on=due_on,
        due_next_meeting=due_on is None,
        action=action,
        level=level,
        restricted_to=restricted_to,
        acting_user=acting_user,
    )
    if item is not None:
        _note_in_source(item, "new_work_orders", order.pk)
    return order


@transaction.atomic
def meeting_picture_agree(
    *, meeting: Meeting, item: AgendaItem | None, round_: Round, acting_user: Any
) -> PictureVersion:
    """Agree the round's joint picture at this meeting, through the lägesbild's own service (which
    decides who may)."""
    require_editable(acting_user, meeting)
    if round_.collaboration_id != meeting.collaboration_id:
        raise PermissionDenied
    version = picture_agree(
        round_=round_,
        acting_user=acting_user,
        meeting=(meeting.title or meeting.group.name)[:200],
        meeting_date=meeting_day(meeting),
    )
    if item is not None:
        _note_in_source(item, "picture_versions", version.pk)
    return version
