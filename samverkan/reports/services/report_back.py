"""Report-back between groups (Älvsbyn): after a held meeting of the operative group, a short report to
the strategic group — what was decided and how the actions were rated — shown as a page and PDF/A at the
reader's level, and carried as one point into the linked strategic meeting's agenda.

The carried point holds only öppen and intern content (its level the strictest of them): begränsad items
stay with their own meeting and are counted, never quoted, since the strategic group's readers differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core.models import Level
from samverkan.meetings.models import AgendaItem, Attendance, Meeting
from samverkan.meetings.selectors.minutes import MinutesDocument, minutes_document
from samverkan.meetings.services.agenda import agenda_item_create

CARRIED_LEVELS = (Level.OPPEN, Level.INTERN)


@dataclass
class ReportBack:
    meeting: Meeting
    document: MinutesDocument
    present: int
    absent: int

    @property
    def linked(self) -> Meeting | None:
        return self.meeting.linked_meeting


def report_back(user: Any, meeting: Meeting) -> ReportBack:
    """The report as ``user`` may read it (the minutes' own visibility rule)."""
    document = minutes_document(user, meeting)
    absent = sum(1 for row in document.attendance if row.status == Attendance.Status.FRANVARANDE)
    return ReportBack(meeting, document, len(document.attendance) - absent, absent)


def summary_text(meeting: Meeting, acting_user: Any) -> tuple[str, str]:
    """The carried text and its level: öppen and intern items with their decisions and ratings."""
    document = minutes_document(acting_user, meeting)
    lines = [
        _("Återrapport från %(group)s, möte %(date)s.")
        % {"group": meeting.group.name, "date": f"{meeting.starts_at:%Y-%m-%d}"}
    ]
    level = Level.OPPEN.value
    withheld = 0
    for entry in document.entries:
        item = entry.item
        if item is None:
            continue
        if item.level not in CARRIED_LEVELS:
            withheld += 1
            continue
        if item.level == Level.INTERN:
            level = Level.INTERN.value
        lines.append(f"{item.order}. {item.title}")
        for decision in entry.decisions:
            if decision.level in CARRIED_LEVELS:
                level = Level.INTERN.value if decision.level == Level.INTERN else level
                lines.append(f"   {_('Beslut')} {decision.label}: {decision.text}")
        for followup in entry.followups:
            if followup.level in CARRIED_LEVELS and followup.action.level in CARRIED_LEVELS:
                if Level.INTERN in (followup.level, followup.action.level):
                    level = Level.INTERN.value
                lines.append(f"   {followup.action.title}: {followup.get_rating_display()}")
    if withheld:
        lines.append(
            _("%(count)s punkter med begränsad information redovisas i det egna protokollet.")
            % {"count": withheld}
        )
    return "\n".join(lines), level


@transaction.atomic
def report_back_carry(*, meeting: Meeting, acting_user: Any) -> AgendaItem:
    """Carry the report into the linked strategic meeting's agenda (once; the agenda's own rules apply:
    the samordnare writes it, and only while its minutes are a draft)."""
    linked = meeting.linked_meeting
    if linked is None:
        raise ValidationError(
            _("Mötet är inte kopplat till något möte i den strategiska gruppen."), code="link"
        )
    if meeting.status != Meeting.Status.GENOMFORT:
        raise ValidationError(_("Återrapporten görs efter att mötet har hållits."), code="state")
    title = _("Återrapport från %(group)s %(date)s") % {
        "group": meeting.group.name,
        "date": f"{meeting.starts_at:%Y-%m-%d}",
    }
    if AgendaItem.objects.filter(meeting=linked, title=title).exists():
        raise ValidationError(_("Återrapporten finns redan på det kopplade mötets dagordning."), code="twice")
    text, level = summary_text(meeting, acting_user)
    return agenda_item_create(
        meeting=linked, title=title, prepared_text=text, level=level, acting_user=acting_user
    )
