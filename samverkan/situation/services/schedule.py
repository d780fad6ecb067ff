"""The round schedule: rounds open by rhythm, and members are reminded by e-mail before and on the deadline.

The daily jobs (``situation/tasks.py``) call ``open_due_rounds`` and ``send_due_reminders``; both are
idempotent, so a job that runs twice (or a day that is retried) opens no second round and sends nothing twice.
E-mails leave when the transaction that recorded them commits: one that rolls back sends nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_change, snapshot
from samverkan.core.models import AuditEntry, Collaboration, Membership, Organisation, Role
from samverkan.core.permissions import can_manage_rounds
from samverkan.situation.models import Report, Round, RoundSchedule, Template
from samverkan.situation.selectors.rounds import round_title
from samverkan.situation.services.rounds import round_create

logger = logging.getLogger(__name__)

DEFAULT_REMIND_DAYS_BEFORE = 3
REMINDED_ROLES = (Role.SAMORDNARE, Role.POLIS, Role.LEDAMOT)
_MONTHS = {Round.Period.MONTH: 1, Round.Period.QUARTER: 3, Round.Period.TERTIAL: 4}


def period_start_for(period: str, day: dt.date) -> dt.date:
    """The first day of the period (of this rhythm) that ``day`` falls in."""
    if period == Round.Period.WEEK:
        return day - dt.timedelta(days=day.weekday())
    months = _MONTHS.get(period)  # type: ignore[call-overload]
    if months is None:
        raise ValidationError({"period": _("Okänd period.")})
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


def current_version(template: Template) -> Template:
    """The latest version of a template (a schedule keeps working when its template is revised)."""
    while not template.is_current and hasattr(template, "next_version"):
        template = template.next_version
    return template


@transaction.atomic
def schedule_save(
    *,
    collaboration: Collaboration,
    template: Template,
    period: str,
    deadline_days: int,
    remind_days_before: int,
    organisations: list[Organisation],
    active: bool,
    acting_user: Any,
) -> RoundSchedule:
    """Create or change the collaboration's schedule (``organisations`` empty: every aktör is asked)."""
    if not can_manage_rounds(acting_user, collaboration):
        raise PermissionDenied
    if period not in Round.Period.values:
        raise ValidationError({"period": _("Okänd period.")})
    if template.collaboration_id not in (None, collaboration.pk) or not template.is_current:
        raise ValidationError(
            {"template": _("Välj den senaste versionen av en mall som samverkan får använda.")}
        )
    if not 0 <= deadline_days <= 60:
        raise ValidationError({"deadline_days": _("Ange mellan 0 och 60 dagar.")})
    if not 0 <= remind_days_before <= 30:
        raise ValidationError({"remind_days_before": _("Ange mellan 0 och 30 dagar.")})
    party_ids = set(collaboration.participations.values_list("organisation_id", flat=True))
    if any(org.pk not in party_ids for org in organisations):
        raise ValidationError({"organisations": _("Bara aktörer i samverkan kan tillfrågas.")})
    schedule = RoundSchedule.objects.filter(collaboration=collaboration).first()
    before = snapshot(schedule) if schedule else None
    if schedule is None:
        schedule = RoundSchedule(collaboration=collaboration)
    schedule.template = template
    schedule.period = period
    schedule.deadline_days = deadline_days
    schedule.remind_days_before = remind_days_before
    schedule.active = active
    schedule.updated_by = acting_user
    schedule.save()
    schedule.organisations.set(organisations)
    audit_change(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        obj=schedule,
        before=before,
        after=snapshot(schedule),
    )
    return schedule


def open_due_rounds(*, today: dt.date | None = None) -> list[Round]:
    """Open the current period's round for every active schedule that lacks one (idempotent)."""
    today = today or timezone.localdate()
    opened = []
    schedules = RoundSchedule.objects.filter(active=True, collaboration__is_active=True).select_related(
        "collaboration", "template"
    )
    for schedule in schedules:
        start = period_start_for(schedule.period, today)
        exists = Round.objects.filter(
            collaboration=schedule.collaboration, period=schedule.period, period_start=start
        ).exists()
        if exists:
            continue
        end = _period_end(schedule.period, start)
        last_day = end + dt.timedelta(days=schedule.deadline_days)
        try:
            opened.append(
                round_create(
                    collaboration=schedule.collaboration,
                    template=current_version(schedule.template),
                    period=schedule.period,
                    period_start=start,
                    deadline=timezone.make_aware(dt.datetime.combine(last_day, dt.time(23, 59))),
                    organisations=list(schedule.organisations.all()) or None,
                    acting_user=None,
                )
            )
        except (ValidationError, IntegrityError) as error:
            # One collaboration's bad schedule must not stop the others; the samordnare sees no round.
            logger.warning("Schedule %s could not open a round: %s", schedule.pk, error)
    return opened


def _period_end(period: str, start: dt.date) -> dt.date:
    from samverkan.situation.services.rounds import period_bounds

    return period_bounds(period, start)[1]


# --- Reminders ------------------------------------------------------------------------------------------


def reminder_recipients(round_: Round) -> list[Membership]:
    """Members (samordnare, polis, ledamot) whose organisation is asked and has not submitted."""
    submitted = Report.objects.filter(round=round_, status=Report.Status.INSKICKAD).values_list(
        "organisation_id", flat=True
    )
    return list(
        Membership.objects.filter(
            collaboration_id=round_.collaboration_id,
            role__in=REMINDED_ROLES,
            organisation__in=round_.organisations.exclude(pk__in=submitted),
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "organisation", "collaboration")
        .order_by("user__email")
    )


def _messages(round_: Round, kind: str) -> list[tuple[str, str, str, list[str]]]:
    base = settings.SAMVERKAN_BASE_URL.rstrip("/")
    url = base + reverse("situation:round_detail", args=[round_.collaboration_id, round_.pk])
    messages: list[tuple[str, str, str, list[str]]] = []
    with translation.override(settings.LANGUAGE_CODE):
        for membership in reminder_recipients(round_):
            context = {
                "membership": membership,
                "round": round_,
                "round_title": round_title(round_),
                "collaboration": round_.collaboration,
                "deadline": timezone.localtime(round_.deadline),
                "kind": kind,
                "url": url,
                "site_name": settings.SAMVERKAN_SITE_NAME,
            }
            subject = " ".join(render_to_string("situation/email/reminder_subject.txt", context).split())
            body = str(render_to_string("situation/email/reminder.txt", context))
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [membership.user.email]))
    return messages


def _send(round_: Round, kind: str) -> int:
    """Queue the round's reminders for the commit of the current transaction; returns how many."""
    messages = _messages(round_, kind)
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(messages)


@transaction.atomic
def round_remind(*, round_: Round, acting_user: Any) -> int:
    """The samordnare's "remind now": e-mail everyone whose organisation has not submitted."""
    if not can_manage_rounds(acting_user, round_.collaboration):
        raise PermissionDenied
    if not round_.is_open:
        raise ValidationError(_("Omgången är stängd; det finns inget att påminna om."))
    count = _send(round_, "manual")
    audit_change(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        obj=round_,
        before={"påminnelser": 0},
        after={"påminnelser": count},
    )
    return count


def _remind_days(round_: Round) -> int:
    schedule = RoundSchedule.objects.filter(collaboration_id=round_.collaboration_id).first()
    return schedule.remind_days_before if schedule else DEFAULT_REMIND_DAYS_BEFORE


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind once ``remind_days_before`` the deadline and once on the deadline day; returns e-mails sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    due = Round.objects.filter(
        closed_at__isnull=True, deadline__gte=now, collaboration__is_active=True
    ).values_list("pk", flat=True)
    for pk in due:
        with transaction.atomic():
            # Locked and re-read, so two workers running the job at once send one reminder.
            round_ = Round.objects.select_for_update().select_related("collaboration").get(pk=pk)
            deadline_day = timezone.localdate(round_.deadline)
            if deadline_day == today and round_.deadline_reminder_sent_at is None:
                kind, flag = "deadline", "deadline_reminder_sent_at"
            elif (
                round_.reminder_sent_at is None
                and deadline_day - dt.timedelta(days=_remind_days(round_)) <= today < deadline_day
            ):
                kind, flag = "before", "reminder_sent_at"
            else:
                continue
            setattr(round_, flag, now)
            round_.save(update_fields=[flag])
            sent += _send(round_, kind)
    return sent
