"""Rounds (insamlingsomgångar) and reports: one per organisation per round, draft → submitted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_change, snapshot
from samverkan.core.conflicts import EditConflict, EditConflicts
from samverkan.core.content import check_level, content_save, guard_public_text
from samverkan.core.models import AuditEntry, Collaboration, Level, Organisation, Role
from samverkan.core.permissions import (
    can_manage_collaboration,
    can_manage_rounds,
    member_organisation_id,
    role_in,
)
from samverkan.core.shipped import shipped
from samverkan.core.visibility import can_read
from samverkan.situation.models import Answer, Question, Report, Round, StatusLevel, Template, Trend
from samverkan.situation.revision import bump_situation_revision

DEFAULT_DEADLINE_DAYS = 5


def period_bounds(period: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """The period that begins on ``start``; the start must be where such a period begins."""
    if period == Round.Period.WEEK:
        if start.weekday() != 0:
            raise ValidationError({"period_start": _("En vecka börjar på en måndag.")})
        return start, start + dt.timedelta(days=6)
    months = {Round.Period.MONTH: 1, Round.Period.QUARTER: 3, Round.Period.TERTIAL: 4}.get(period)  # type: ignore[call-overload]
    if months is None:
        raise ValidationError({"period": _("Okänd period.")})
    if start.day != 1 or (start.month - 1) % months:
        raise ValidationError(
            {
                "period_start": _("Perioden (%(period)s) måste börja på periodens första dag.")
                % {"period": Round.Period(period).label.lower()}
            }
        )
    month = start.month - 1 + months
    following = dt.date(start.year + month // 12, month % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


@transaction.atomic
def round_create(
    *,
    collaboration: Collaboration,
    template: Template,
    period: str,
    period_start: dt.date,
    deadline: dt.datetime | None = None,
    organisations: list[Organisation] | None = None,
    acting_user: Any,
) -> Round:
    """Open a round; by default every aktör is asked and the deadline is five days after the period.

    ``acting_user=None`` is the system itself (the schedule job); every person must be a samordnare.
    """
    if acting_user is not None and not can_manage_collaboration(acting_user, collaboration):
        raise PermissionDenied
    if template.collaboration_id not in (None, collaboration.pk) or not template.is_current:
        raise ValidationError(
            {"template": _("Välj den senaste versionen av en mall som samverkan får använda.")}
        )
    start, end = period_bounds(period, period_start)
    if Round.objects.filter(collaboration=collaboration, period=period, period_start=start).exists():
        raise ValidationError({"period_start": _("Det finns redan en omgång för den perioden.")})
    party_ids = set(collaboration.participations.values_list("organisation_id", flat=True))
    asked = (
        list(organisations)
        if organisations is not None
        else list(Organisation.objects.filter(pk__in=party_ids))
    )
    if not asked:
        raise ValidationError({"organisations": _("Välj minst en organisation att fråga.")})
    if any(org.pk not in party_ids for org in asked):
        raise ValidationError({"organisations": _("Bara aktörer i samverkan kan tillfrågas.")})
    if deadline is None:
        last_day = end + dt.timedelta(days=DEFAULT_DEADLINE_DAYS)
        deadline = timezone.make_aware(dt.datetime.combine(last_day, dt.time(23, 59)))
    if deadline.date() < start:
        raise ValidationError({"deadline": _("Sista dag kan inte vara före periodens början.")})
    row = Round.objects.create(
        collaboration=collaboration,
        template=template,
        period=period,
        period_start=start,
        period_end=end,
        deadline=deadline,
        created_by=acting_user,
    )
    row.organisations.set(asked)
    bump_situation_revision(row.collaboration_id)
    audit_change(actor=acting_user, action=AuditEntry.Action.CREATE, obj=row, after=snapshot(row))
    return row


def _require_round_manager(acting_user: Any, round_: Round) -> None:
    if not can_manage_rounds(acting_user, round_.collaboration):
        raise PermissionDenied


def _audited_round_update(round_: Round, acting_user: Any, **changes: Any) -> Round:
    before = snapshot(round_)
    for name, value in changes.items():
        setattr(round_, name, value)
    round_.save(update_fields=list(changes))
    audit_change(
        actor=acting_user, action=AuditEntry.Action.UPDATE, obj=round_, before=before, after=snapshot(round_)
    )
    return round_


@transaction.atomic
def round_close(*, round_: Round, acting_user: Any, now: dt.datetime | None = None) -> Round:
    """Close the round: no more changes; drafts and submitted reports are kept as they are."""
    _require_round_manager(acting_user, round_)
    if round_.closed_at is not None:
        raise ValidationError(_("Omgången är redan stängd."))
    return _audited_round_update(round_, acting_user, closed_at=now or timezone.now())


@transaction.atomic
def round_reopen(
    *, round_: Round, acting_user: Any, deadline: dt.datetime | None = None, now: dt.datetime | None = None
) -> Round:
    """Open a closed round again; a deadline that has passed must be moved at the same time."""
    _require_round_manager(acting_user, round_)
    now = now or timezone.now()
    if round_.closed_at is None and round_.deadline >= now:
        raise ValidationError(_("Omgången är redan öppen."))
    changes: dict[str, Any] = {"closed_at": None}
    if deadline is not None:
        changes.update(_deadline_changes(round_, deadline, now))
    elif round_.deadline < now:
        raise ValidationError(
            {"deadline": _("Sista dag har passerat. Ange en ny sista dag för att öppna igen.")}
        )
    return _audited_round_update(round_, acting_user, **changes)


@transaction.atomic
def round_update_deadline(
    *, round_: Round, deadline: dt.datetime, acting_user: Any, now: dt.datetime | None = None
) -> Round:
    """Move the deadline; reminders are sent again for the new date."""
    _require_round_manager(acting_user, round_)
    if round_.closed_at is not None:
        raise ValidationError({"deadline": _("Omgången är stängd. Öppna den igen för att ändra sista dag.")})
    return _audited_round_update(
        round_, acting_user, **_deadline_changes(round_, deadline, now or timezone.now())
    )


def _deadline_changes(round_: Round, deadline: dt.datetime, now: dt.datetime) -> dict[str, Any]:
    if deadline < now:
        raise ValidationError({"deadline": _("Sista dag måste ligga i framtiden.")})
    if deadline.date() < round_.period_start:
        raise ValidationError({"deadline": _("Sista dag kan inte vara före periodens början.")})
    return {"deadline": deadline, "reminder_sent_at": None, "deadline_reminder_sent_at": None}


def reporting_organisations(user: Any, collaboration: Collaboration) -> set[int]:
    """Organisations the user may report for: the one their membership names; a samordnare any.

    The role and organisation come from the request's memoised membership rows (read once a request for
    the visibility rule); only a samordnare's participations cost a query.
    """
    role = role_in(user, collaboration)
    if role is None or role == Role.LASARE:
        return set()
    if role == Role.SAMORDNARE:
        return set(collaboration.participations.values_list("organisation_id", flat=True))
    organisation_id = member_organisation_id(user, collaboration.pk)
    return {organisation_id} if organisation_id else set()


def _ensure_open(round_: Round) -> None:
    if not round_.is_open:
        raise ValidationError(_("Omgången är stängd. Ditt utkast finns kvar men kan inte längre ändras."))


@transaction.atomic
def report_get_or_create(*, round_: Round, organisation: Organisation, acting_user: Any) -> Report:
    """The organisation's report in the round (a new draft the first time; none once the round is closed)."""
    collaboration = round_.collaboration
    if organisation.pk not in reporting_organisations(acting_user, collaboration):
        raise PermissionDenied
    if not round_.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("Organisationen är inte tillfrågad i den här omgången.")})
    existing = Report.objects.filter(round=round_, organisation=organisation).first()
    if existing is not None:
        return existing
    _ensure_open(round_)
    report, created = Report.objects.get_or_create(
        round=round_,
        organisation=organisation,
        defaults={"collaboration": collaboration, "updated_by": acting_user},
    )
    if created:
        audit_change(actor=acting_user, action=AuditEntry.Action.CREATE, obj=report, after=snapshot(report))
    return report


def default_answer_level(user: Any, collaboration: Collaboration) -> tuple[str, list[str]]:
    """Police answers start as begränsad (polis + samordnare); everyone else's as intern."""
    if role_in(user, collaboration) == Role.POLIS:
        return Level.BEGRANSAD, [Role.POLIS, Role.SAMORDNARE]
    return Level.INTERN, []


def _clean_answer(question: Question, data: dict[str, Any]) -> dict[str, Any]:
    """Validate one answer against its question's kind; the error names the question."""
    field = f"q{question.pk}"
    values: dict[str, Any] = {"status": "", "trend": "", "text": "", "number": None, "places": []}
    if question.kind == Question.Kind.STATUS:
        status = data.get("status") or ""
        if status and status not in StatusLevel.values:
            raise ValidationError({field: _("Läget måste vara grön, gul, orange eller röd.")})
        values["status"] = status
    elif question.kind == Question.Kind.TREND:
        trend = data.get("trend") or ""
        if trend and trend not in Trend.values:
            raise ValidationError({field: _("Okänd utveckling.")})
        values["trend"] = trend
    elif question.kind == Question.Kind.NUMBER:
        number = data.get("number")
        if number not in (None, ""):
            try:
                number = int(number)
            except (TypeError, ValueError):
                raise ValidationError({field: _("Ange ett heltal.")}) from None
            if number < 0:
                raise ValidationError({field: _("Antalet kan inte vara negativt.")})
        values["number"] = None if number in (None, "") else number
    elif question.kind == Question.Kind.PLACES:
        places = data.get("places") or []
        if not isinstance(places, list) or len(places) > 20:
            raise ValidationError({field: _("Ange högst 20 platser.")})
        cleaned = []
        for place in places:
            name = str(place.get("name", "") if isinstance(place, dict) else place).strip()[:200]
            if name:
                cleaned.append({"name": name})
        values["places"] = cleaned
    text = (data.get("text") or "").strip()
    if len(text) > 5_000:
        raise ValidationError({field: _("Texten får vara högst 5 000 tecken.")})
    values["text"] = text
    return values


def _lock(report: Report) -> None:
    """Serialise writes to one report: an autosave and a "Skicka in" may arrive together, and each must
    see the answers the other created (else both insert the same answer)."""
    list(Report.objects.select_for_update().filter(pk=report.pk).values_list("pk", flat=True))


@transaction.atomic
def report_save(
    *,
    report: Report,
    answers: dict[int, dict[str, Any]],
    acting_user: Any,
    conflicts: list[EditConflict] | None = None,
    refused: dict[str, list[str]] | None = None,
) -> Report:
    """Save answers (a draft may be partial). ``answers`` maps question id → values, level, restricted_to
    and ``version``: the answer's version the writer started from (0: there was no answer yet).

    Each answer stands on its own. An answer someone else saved since is a conflict (named ``q<id>``);
    an answer the rules refuse (personal data, a value outside its question's kind, a level the writer
    may not set) is an error named ``q<id>``. Given the ``conflicts`` list and the ``refused`` dict (the
    form, which saves as you type), such an answer is left as it is and reported there while the other
    answers save. Without them (the API) nothing is saved: ``EditConflicts`` names every stale answer,
    a ValidationError every refused one. No ``version`` saves as before versions existed.
    """
    _lock(report)
    round_ = report.round
    if report.organisation_id not in reporting_organisations(acting_user, round_.collaboration):
        raise PermissionDenied
    _ensure_open(round_)
    questions = {q.pk: q for q in Question.objects.filter(section__template=round_.template_id)}
    existing = {a.question_id: a for a in report.answers.all()}
    stale: list[EditConflict] = []
    errors: dict[str, list[str]] = {}  # by question, for the form
    named: dict[str, list[str]] = {}  # as the API names them (a level's own errors by its field)
    for question_id, data in answers.items():
        key = f"q{question_id}"
        try:
            _answer_save(
                report=report,
                question=questions.get(int(question_id)),
                answer=existing.get(int(question_id)),
                data=data,
                acting_user=acting_user,
            )
        except EditConflict as conflict:
            stale.append(conflict)  # raised before anything of this answer was written
        except ValidationError as error:
            # Raised before anything of this answer was written; named by the question (the form's field).
            errors[key] = error.messages
            parts = error.message_dict if hasattr(error, "error_dict") else {key: error.messages}
            for name, messages in parts.items():
                target = name if name in ("level", "restricted_to") else key
                named.setdefault(target, []).extend(messages)
    if errors and refused is None:
        raise ValidationError(named)
    if stale and conflicts is None:
        raise EditConflicts(stale)
    if refused is not None:
        refused.update(errors)
    if conflicts is not None:
        conflicts.extend(stale)
    report.updated_by = acting_user
    report.save(update_fields=["updated_by", "updated_at"])
    bump_situation_revision(report.collaboration_id)
    return report


def _answer_save(
    *,
    report: Report,
    question: Question | None,
    answer: Answer | None,
    data: dict[str, Any],
    acting_user: Any,
) -> None:
    """Validate and save one answer (nothing when it is empty and new, or unchanged); ValidationError or
    EditConflict before anything of it is written."""
    round_ = report.round
    if question is None:
        raise ValidationError(_("Frågan hör inte till omgångens mall."))
    if answer is not None and not can_read(acting_user, answer):
        # A colleague's begränsad answer the user cannot read must not be overwritten unseen.
        raise ValidationError(_("Frågan har ett begränsat svar som du inte får läsa eller ändra."))
    values = _clean_answer(question, data)
    default_level, default_roles = default_answer_level(acting_user, round_.collaboration)
    level = data.get("level") or (answer.level if answer is not None else default_level)
    roles = data.get("restricted_to") or (answer.restricted_roles if answer is not None else default_roles)
    encoded = check_level(acting_user, round_.collaboration, level, roles)
    guard_public_text(Answer(level=level, text=values["text"], places=values["places"]))
    if answer is None:
        if values["number"] is None and not any(v for k, v in values.items() if k != "number"):
            return  # nothing to keep: an empty field in a draft is not an answer
        answer = Answer(collaboration=round_.collaboration, report=report, question=question)
    before = snapshot(answer) if answer.pk else None
    for name, value in values.items():
        setattr(answer, name, value)
    answer.level, answer.restricted_to = level, encoded
    if before is not None and snapshot(answer) == before:
        return  # unchanged (autosave posts the whole form): no write, no audit entry
    content_save(
        answer,
        acting_user=acting_user,
        before=before,
        expected_version=data.get("version"),
        conflict_key=f"q{question.pk}",
    )


@transaction.atomic
def report_submit(*, report: Report, acting_user: Any) -> Report:
    """Submit the report; every required question must be answered. It stays editable until the round closes."""
    _lock(report)
    round_ = report.round
    if report.organisation_id not in reporting_organisations(acting_user, round_.collaboration):
        raise PermissionDenied
    _ensure_open(round_)
    answered = {a.question_id: a for a in report.answers.all()}
    missing = []
    for question in Question.objects.filter(
        section__template=round_.template_id, required=True
    ).select_related("section"):
        answer = answered.get(question.pk)
        if answer is None or not (
            answer.status or answer.trend or answer.text or answer.number is not None or answer.places
        ):
            missing.append(question)
    if missing:
        raise ValidationError(
            {
                f"q{q.pk}": _("Besvara frågan i området ”%(section)s”.")
                % {"section": shipped(q.section.title)}
                for q in missing
            }
        )
    before = snapshot(report)
    report.status = Report.Status.INSKICKAD
    report.submitted_at = timezone.now()
    report.submitted_by = acting_user
    report.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    bump_situation_revision(report.collaboration_id)
    audit_change(
        actor=acting_user, action=AuditEntry.Action.UPDATE, obj=report, before=before, after=snapshot(report)
    )
    return report


_reporting_organisations = reporting_organisations  # the name other modules used first
