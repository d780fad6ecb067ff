"""Writes for lägesbild: templates (versioned), rounds and reports. The joint picture follows next."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_change, snapshot
from samverkan.core.models import AuditEntry, Collaboration, Level, Membership, Organisation, Role
from samverkan.core.permissions import can_manage_collaboration
from samverkan.core.personaldata import ensure_publishable
from samverkan.core.services import check_level
from samverkan.situation.models import Answer, Question, Report, Round, Section, StatusLevel, Template, Trend


@transaction.atomic
def template_revise(
    *,
    template: Template,
    collaboration: Collaboration,
    sections: list[dict[str, Any]],
    name: str | None = None,
    description: str | None = None,
    acting_user: Any,
) -> Template:
    """Save a revision as a new version; reports made with the old version keep it unchanged.

    ``sections``: ``[{"title", "description", "focus_area", "questions": [{"kind", "text", "help_text",
    "required"}]}]`` in order. A shipped template (no collaboration) is revised into the collaboration's own.
    """
    if not can_manage_collaboration(acting_user, collaboration):
        raise PermissionDenied
    if template.collaboration_id not in (None, collaboration.pk):
        raise PermissionDenied
    if not template.is_current:
        raise ValidationError(_("Bara den senaste versionen av en mall kan revideras."))
    if not sections or not any(s.get("questions") for s in sections):
        raise ValidationError({"sections": _("En mall behöver minst ett område med en fråga.")})
    for index, spec in enumerate(sections, start=1):
        for question in spec.get("questions", []):
            if question.get("kind") not in Question.Kind.values:
                raise ValidationError({"sections": _("Område %(n)s har en okänd frågetyp.") % {"n": index}})
            if not (question.get("text") or "").strip():
                raise ValidationError({"sections": _("Område %(n)s har en fråga utan text.") % {"n": index}})
    own = template.collaboration_id == collaboration.pk
    if own:
        Template.objects.filter(pk=template.pk).update(is_current=False)
    revision = Template.objects.create(
        collaboration=collaboration,
        name=name or template.name,
        description=template.description if description is None else description,
        version=template.version + 1 if own else 1,
        previous=template if own else None,
    )
    for order, spec in enumerate(sections, start=1):
        row = Section.objects.create(
            template=revision,
            order=order,
            title=spec["title"],
            description=spec.get("description", ""),
            focus_area=spec.get("focus_area"),
        )
        for q_order, question in enumerate(spec.get("questions", []), start=1):
            Question.objects.create(
                section=row,
                order=q_order,
                kind=question["kind"],
                text=question["text"].strip(),
                help_text=question.get("help_text", ""),
                required=bool(question.get("required")),
            )
    audit_change(
        actor=acting_user,
        action=AuditEntry.Action.CREATE,
        obj=revision,
        after=snapshot(revision),
        collaboration_id=collaboration.pk,
    )
    return revision


def template_as_sections(template: Template) -> list[dict[str, Any]]:
    """A template's content in the shape ``template_revise`` takes (the starting point of a revision)."""
    return [
        {
            "title": section.title,
            "description": section.description,
            "focus_area": section.focus_area,
            "questions": [
                {"kind": q.kind, "text": q.text, "help_text": q.help_text, "required": q.required}
                for q in section.questions.all()
            ],
        }
        for section in template.sections.prefetch_related("questions")
    ]


# --- Rounds and reports -----------------------------------------------------------------------------------

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
    """Open a round; by default every aktör is asked and the deadline is five days after the period."""
    if not can_manage_collaboration(acting_user, collaboration):
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
    audit_change(actor=acting_user, action=AuditEntry.Action.CREATE, obj=row, after=snapshot(row))
    return row


def _reporting_organisations(user: Any, collaboration: Collaboration) -> set[int]:
    """Organisations the user may report for: the one their membership names; a samordnare any."""
    membership = Membership.objects.filter(user=user, collaboration=collaboration).first()
    if membership is None or membership.role == Role.LASARE:
        return set()
    if membership.role == Role.SAMORDNARE:
        return set(collaboration.participations.values_list("organisation_id", flat=True))
    return {membership.organisation_id} if membership.organisation_id else set()


def _ensure_open(round_: Round) -> None:
    if not round_.is_open:
        raise ValidationError(_("Omgången är stängd. Ditt utkast finns kvar men kan inte längre ändras."))


@transaction.atomic
def report_get_or_create(*, round_: Round, organisation: Organisation, acting_user: Any) -> Report:
    """The organisation's report in the round (a new draft the first time)."""
    collaboration = round_.collaboration
    if organisation.pk not in _reporting_organisations(acting_user, collaboration):
        raise PermissionDenied
    if not round_.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("Organisationen är inte tillfrågad i den här omgången.")})
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
    role = (
        Membership.objects.filter(user=user, collaboration=collaboration)
        .values_list("role", flat=True)
        .first()
    )
    if role == Role.POLIS:
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


@transaction.atomic
def report_save(*, report: Report, answers: dict[int, dict[str, Any]], acting_user: Any) -> Report:
    """Save answers (a draft may be partial). ``answers`` maps question id → values, level, restricted_to."""
    round_ = report.round
    if report.organisation_id not in _reporting_organisations(acting_user, round_.collaboration):
        raise PermissionDenied
    _ensure_open(round_)
    questions = {q.pk: q for q in Question.objects.filter(section__template=round_.template_id)}
    existing = {a.question_id: a for a in report.answers.all()}
    default_level, default_roles = default_answer_level(acting_user, round_.collaboration)
    for question_id, data in answers.items():
        question = questions.get(int(question_id))
        if question is None:
            raise ValidationError({f"q{question_id}": _("Frågan hör inte till omgångens mall.")})
        values = _clean_answer(question, data)
        level = data.get("level") or (
            existing[question.pk].level if question.pk in existing else default_level
        )
        roles = data.get("restricted_to") or (
            existing[question.pk].restricted_roles if question.pk in existing else default_roles
        )
        encoded = check_level(acting_user, round_.collaboration, level, roles)
        if level == Level.OPPEN:
            try:
                ensure_publishable(text=values["text"])
            except ValidationError as error:
                raise ValidationError({f"q{question.pk}": error.messages}) from None
        answer = existing.get(question.pk) or Answer(
            collaboration=round_.collaboration, report=report, question=question
        )
        before = snapshot(answer) if answer.pk else None
        for name, value in values.items():
            setattr(answer, name, value)
        answer.level, answer.restricted_to = level, encoded
        answer.save()
        audit_change(
            actor=acting_user,
            action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
            obj=answer,
            before=before,
            after=snapshot(answer),
        )
    report.updated_by = acting_user
    report.save(update_fields=["updated_by", "updated_at"])
    return report


@transaction.atomic
def report_submit(*, report: Report, acting_user: Any) -> Report:
    """Submit the report; every required question must be answered. It stays editable until the round closes."""
    round_ = report.round
    if report.organisation_id not in _reporting_organisations(acting_user, round_.collaboration):
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
                f"q{q.pk}": _("Besvara frågan i området ”%(section)s”.") % {"section": q.section.title}
                for q in missing
            }
        )
    before = snapshot(report)
    report.status = Report.Status.INSKICKAD
    report.submitted_at = timezone.now()
    report.submitted_by = acting_user
    report.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    audit_change(
        actor=acting_user, action=AuditEntry.Action.UPDATE, obj=report, before=before, after=snapshot(report)
    )
    return report
