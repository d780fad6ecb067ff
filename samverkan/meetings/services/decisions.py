"""Decisions, numbered per group and year ("§ 12/2026"): the next number is taken under a lock."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from samverkan.agreements.models import Group
from samverkan.core.content import apply_level, content_save
from samverkan.core.levels import LEVEL_RANK
from samverkan.meetings.models import AgendaItem, Decision, Meeting
from samverkan.meetings.services.agenda import local, require_editable


def decision_clash_message(year: int, number: int) -> str:
    return _(
        "Beslut § %(number)s/%(year)s finns redan för gruppen. Lämna numret tomt så får beslutet nästa lediga nummer."
    ) % {"number": number, "year": year}


def record_decision(
    *,
    meeting: Meeting,
    text: str,
    item: AgendaItem | None = None,
    number: int | None = None,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    acting_user: Any,
) -> Decision:
    """Record a decision of the meeting with the group's next number for the meeting's year (or the
    ``number`` asked for: a clash with an existing one is a clear ``ValidationError``). Its level is its
    item's unless another is chosen, never looser than the item's. The group row is locked while the
    number is taken, so two secretaries recording at once get n+1 and n+2; the unique constraint is the
    last guard (a clash there, as from another database session, is the same message)."""
    try:
        with transaction.atomic():
            return _record(
                meeting=meeting,
                text=text,
                item=item,
                number=number,
                level=level,
                restricted_to=restricted_to,
                acting_user=acting_user,
            )
    except IntegrityError as error:
        year = local(meeting.starts_at).year
        raise ValidationError({"number": decision_clash_message(year, number or 0)}) from error


def _record(
    *,
    meeting: Meeting,
    text: str,
    item: AgendaItem | None,
    number: int | None,
    level: str | None,
    restricted_to: Iterable[str] | None,
    acting_user: Any,
) -> Decision:
    require_editable(acting_user, meeting)
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Skriv vad mötet beslutade.")
    if item is not None and item.meeting_id != meeting.pk:
        errors["item"] = _("Punkten hör till ett annat möte.")
    if number is not None and not 1 <= number <= 100_000:
        errors["number"] = _("Ange ett nummer från 1 och uppåt.")
    if level is not None and item is not None and LEVEL_RANK.get(level, 0) < LEVEL_RANK[item.level]:
        errors["level"] = _("Beslutet kan inte ha lägre sekretessnivå än sin punkt.")
    if errors:
        raise ValidationError(errors)
    year = local(meeting.starts_at).year
    Group.objects.select_for_update().filter(pk=meeting.group_id).first()
    taken = Decision.objects.filter(group_id=meeting.group_id, year=year)
    if number is None:
        number = (taken.aggregate(n=Max("number"))["n"] or 0) + 1
    elif taken.filter(number=number).exists():
        raise ValidationError({"number": decision_clash_message(year, number)})
    decision = Decision(
        collaboration=meeting.collaboration,
        meeting=meeting,
        item=item,
        group_id=meeting.group_id,
        year=year,
        number=number,
        text=text,
        created_by=acting_user,
    )
    if level is None and item is not None:
        decision.level, decision.restricted_to = item.level, item.restricted_to
    else:
        apply_level(
            decision,
            user=acting_user,
            collaboration=meeting.collaboration,
            level=level,
            restricted_to=restricted_to,
            default="intern",
        )
    content_save(decision, acting_user=acting_user)
    return decision
