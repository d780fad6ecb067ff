"""Justering: the secretary sends the draft minutes to the named justerare (locked while out); each
approves the canonical content (its SHA-256 recorded with the answer) or declines with comments per item
(back to draft); when all have approved the minutes are justerade and locked for good. A daily job reminds
justerare who have not answered as the due date nears (once a day at most, whatever the runs)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samverkan.core import permissions
from samverkan.core.audit import audit_change, snapshot
from samverkan.core.models import AuditEntry
from samverkan.meetings.models import AgendaItem, JusteringItemComment, JusteringResponse, Meeting, Minutes
from samverkan.meetings.services.minutes import content_sha256, minutes_of

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Practice: minutes are justerade within 14 days of the meeting.
JUSTERING_DAYS = 14
# Reminders start this many days before the due date (and continue, daily, while overdue).
REMINDER_LEAD_DAYS = 3


def justering_due_on(meeting: Meeting) -> dt.date:
    return meeting.starts_at.astimezone(STOCKHOLM).date() + dt.timedelta(days=JUSTERING_DAYS)


def _locked_minutes(meeting: Meeting) -> Minutes:
    minutes = minutes_of(meeting)
    return Minutes.objects.select_for_update().get(pk=minutes.pk)


def _audit(minutes: Minutes, actor: Any, before: dict[str, Any]) -> None:
    audit_change(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=minutes,
        before=before,
        after=snapshot(minutes),
        collaboration_id=minutes.meeting.collaboration_id,
    )


def send_for_justering(*, meeting: Meeting, acting_user: Any) -> Minutes:
    """Draft → out for justering: a new round, due 14 days after the meeting day, the minutes locked."""
    if not permissions.can_write_minutes(acting_user, meeting):
        raise PermissionDenied
    with transaction.atomic():
        minutes = _locked_minutes(meeting)
        if minutes.status != Minutes.Status.UTKAST:
            raise ValidationError(
                _("Protokollet är redan skickat för justering eller justerat."), code="state"
            )
        if not meeting.justerare.exists():
            raise ValidationError(
                {"justerare": _("Ange minst en justerare för mötet innan protokollet skickas för justering.")}
            )
        before = snapshot(minutes)
        minutes.status = Minutes.Status.FOR_JUSTERING
        minutes.justering_round += 1
        minutes.sent_for_justering_at = timezone.now()
        minutes.sent_by = acting_user
        minutes.justering_due_on = justering_due_on(meeting)
        minutes.justering_reminded_on = None
        minutes.version += 1
        minutes.save()
        _audit(minutes, acting_user, before)
    return minutes


def _answerable(meeting: Meeting, acting_user: Any, seen_sha256: str | None) -> tuple[Minutes, str]:
    if not permissions.is_named_justerare(acting_user, meeting):
        raise PermissionDenied(_("Bara de justerare som är utsedda för mötet kan justera protokollet."))
    minutes = _locked_minutes(meeting)
    if minutes.status != Minutes.Status.FOR_JUSTERING:
        raise ValidationError(_("Protokollet är inte ute för justering."), code="state")
    if JusteringResponse.objects.filter(
        minutes=minutes, round=minutes.justering_round, justerare=acting_user
    ).exists():
        raise ValidationError(_("Du har redan svarat i den här justeringsomgången."), code="answered")
    sha = content_sha256(meeting)
    if seen_sha256 and seen_sha256 != sha:
        raise ValidationError(
            {"content_sha256": _("Protokollet har ändrats sedan du läste det. Läs det igen innan du svarar.")}
        )
    return minutes, sha


def approve(*, meeting: Meeting, acting_user: Any, seen_sha256: str | None = None) -> Minutes:
    """A named justerare approves the content as it is now (its SHA-256 recorded). The last approval
    makes the minutes justerade: the time, the approved SHA-256, locked for good."""
    with transaction.atomic():
        minutes, sha = _answerable(meeting, acting_user, seen_sha256)
        JusteringResponse.objects.create(
            minutes=minutes,
            round=minutes.justering_round,
            justerare=acting_user,
            answer=JusteringResponse.Answer.GODKAND,
            content_sha256=sha,
        )
        approved = set(
            JusteringResponse.objects.filter(
                minutes=minutes, round=minutes.justering_round, answer=JusteringResponse.Answer.GODKAND
            ).values_list("justerare_id", flat=True)
        )
        named = set(meeting.justerare.values_list("pk", flat=True))
        before = snapshot(minutes)
        if named <= approved:
            minutes.status = Minutes.Status.JUSTERAT
            minutes.justerat_at = timezone.now()
            minutes.content_sha256 = sha
            minutes.version += 1
            minutes.save()
        _audit(minutes, acting_user, before)
    return minutes


def decline(
    *,
    meeting: Meeting,
    acting_user: Any,
    comment: str = "",
    item_comments: dict[int, str] | None = None,
    seen_sha256: str | None = None,
) -> Minutes:
    """A named justerare does not approve: a comment and/or comments per item; the minutes go back to
    the secretary as a draft (the comments shown beside the items)."""
    item_comments = {int(k): v.strip() for k, v in (item_comments or {}).items() if v and v.strip()}
    comment = (comment or "").strip()
    if not comment and not item_comments:
        raise ValidationError(
            {"comment": _("Skriv vad som behöver ändras, för hela protokollet eller en punkt.")}
        )
    with transaction.atomic():
        minutes, sha = _answerable(meeting, acting_user, seen_sha256)
        items = {
            item.pk: item for item in AgendaItem.objects.filter(meeting=meeting, pk__in=list(item_comments))
        }
        unknown = set(item_comments) - set(items)
        if unknown:
            raise ValidationError(
                {"item_comments": _("En kommentar gäller en punkt som inte finns i protokollet.")}
            )
        response = JusteringResponse(
            minutes=minutes,
            round=minutes.justering_round,
            justerare=acting_user,
            answer=JusteringResponse.Answer.AVBOJD,
            comment=comment,
            content_sha256=sha,
        )
        response.full_clean()
        response.save()
        for pk, text in item_comments.items():
            row = JusteringItemComment(response=response, item=items[pk], comment=text)
            row.full_clean()
            row.save()
        before = snapshot(minutes)
        minutes.status = Minutes.Status.UTKAST
        minutes.version += 1
        minutes.save()
        _audit(minutes, acting_user, before)
    return minutes


def unanswered_justerare(minutes: Minutes) -> list[Any]:
    answered = set(
        JusteringResponse.objects.filter(minutes=minutes, round=minutes.justering_round).values_list(
            "justerare_id", flat=True
        )
    )
    return [user for user in minutes.meeting.justerare.order_by("pk") if user.pk not in answered]


def send_due_reminders(*, today: dt.date | None = None) -> int:
    """E-mail each justerare who has not answered minutes due within a few days (or overdue). The day is
    recorded on the minutes before the mails are queued (sent when that commits), so a repeated or
    doubled run the same day sends nothing twice. Returns the mails queued."""
    today = today or timezone.localdate()
    due = Minutes.objects.filter(
        status=Minutes.Status.FOR_JUSTERING,
        justering_due_on__lte=today + dt.timedelta(days=REMINDER_LEAD_DAYS),
    ).exclude(justering_reminded_on=today)
    queued = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            minutes = (
                Minutes.objects.select_for_update()
                .select_related("meeting__group")
                .filter(pk=pk, status=Minutes.Status.FOR_JUSTERING)
                .exclude(justering_reminded_on=today)
                .first()
            )
            if minutes is None:
                continue  # answered, or reminded by another run meanwhile
            minutes.justering_reminded_on = today
            minutes.save(update_fields=["justering_reminded_on"])
            messages = []
            with translation.override(settings.LANGUAGE_CODE):
                for user in unanswered_justerare(minutes):
                    if user.email:
                        messages.append(_reminder_message(minutes, user))
            if messages:
                transaction.on_commit(lambda m=messages: send_mass_mail(m, fail_silently=False))  # type: ignore[misc]
                queued += len(messages)
    return queued


def _reminder_message(minutes: Minutes, user: Any) -> tuple[str, str, str, list[str]]:
    meeting = minutes.meeting
    path = reverse(
        "meetings:justering", kwargs={"collaboration_id": meeting.collaboration_id, "meeting_id": meeting.pk}
    )
    context = {
        "minutes": minutes,
        "meeting": meeting,
        "user": user,
        "url": settings.SAMVERKAN_BASE_URL.rstrip("/") + path,
        "site_name": settings.SAMVERKAN_SITE_NAME,
        "meeting_day": meeting.starts_at.astimezone(STOCKHOLM).date(),
    }
    subject = _("Påminnelse: protokoll att justera senast %(date)s") % {"date": minutes.justering_due_on}
    body = render_to_string("meetings/email/justering_reminder.txt", context)
    return (subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
