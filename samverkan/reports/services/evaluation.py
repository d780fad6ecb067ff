"""The yearly evaluation's writes: create (facts generated), refresh the facts of a draft, edit the
sections (conflict-checked, personal data refused in öppen ones), record the group's approval (locks the
version), edit after approval (a new draft version, never a silent change), release the public version
(a second person) and start next year's plan from it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_change
from samverkan.core.conflicts import check_version
from samverkan.core.models import AuditEntry, Collaboration, Level
from samverkan.core.personaldata import ensure_no_identity_numbers, ensure_publishable
from samverkan.core.publication import public_revision_bump
from samverkan.core.years import YEARS
from samverkan.meetings.models import Meeting
from samverkan.reports.models import SECTIONS, Evaluation, EvaluationVersion
from samverkan.reports.permissions import can_edit_evaluation, can_release_public_evaluation
from samverkan.reports.services.facts import agreements_of_year, generate_facts

MAX_SECTION = 10_000


def _require_editor(user: Any, collaboration: Collaboration) -> None:
    if not can_edit_evaluation(user, collaboration):
        raise PermissionDenied(_("Bara samordnaren skriver och godkänner den årliga utvärderingen."))


def _state(version: EvaluationVersion) -> dict[str, Any]:
    """What the audit log keeps of a version (not the facts: they are the snapshot itself)."""
    state: dict[str, Any] = {"number": version.number, "status": version.status}
    for name in SECTIONS:
        state[name] = getattr(version, name)
        state[f"{name}_level"] = version.section_level(name)
    state["approved_at"] = version.approved_at.isoformat() if version.approved_at else None
    state["public_released_at"] = (
        version.public_released_at.isoformat() if version.public_released_at else None
    )
    return state


def _audit(version: EvaluationVersion, actor: Any, before: dict[str, Any] | None) -> None:
    audit_change(
        actor=actor,
        action=AuditEntry.Action.UPDATE if before is not None else AuditEntry.Action.CREATE,
        obj=version,
        before=before,
        after=_state(version),
        collaboration_id=version.collaboration_id,
    )


def _check_year(collaboration: Collaboration, year: int) -> None:
    if not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
        raise ValidationError(
            {"year": _("Ange ett år mellan %(first)s och %(last)s.") % {"first": YEARS[0], "last": YEARS[1]}}
        )
    if not agreements_of_year(collaboration, year):
        raise ValidationError(
            {
                "year": _(
                    "Ingen överenskommelse gäller år %(year)s: utvärderingen görs för ett år med en överenskommelse."
                )
                % {"year": year}
            }
        )


def evaluation_create(*, collaboration: Collaboration, year: int, acting_user: Any) -> EvaluationVersion:
    """Create the year's evaluation with version 1, its facts generated now."""
    _require_editor(acting_user, collaboration)
    _check_year(collaboration, year)
    facts = generate_facts(collaboration, year)
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                collaboration=collaboration, year=year, created_by=acting_user
            )
            version = EvaluationVersion.objects.create(
                collaboration=collaboration,
                evaluation=evaluation,
                number=1,
                facts=facts,
                generated_at=timezone.now(),
                created_by=acting_user,
            )
            _audit(version, acting_user, None)
    except IntegrityError as exc:
        raise ValidationError(
            {"year": _("Det finns redan en utvärdering för år %(year)s.") % {"year": year}}
        ) from exc
    return version


def _draft(version: EvaluationVersion) -> EvaluationVersion:
    locked = EvaluationVersion.objects.select_for_update().get(pk=version.pk)
    if locked.locked:
        raise ValidationError(
            _("Versionen är godkänd och låst. Ändra utvärderingen genom att skapa en ny version."),
            code="locked",
        )
    return locked


def facts_refresh(*, version: EvaluationVersion, acting_user: Any) -> EvaluationVersion:
    """Generate a draft's facts again from what the system holds now (an approved version keeps its own)."""
    _require_editor(acting_user, version.evaluation.collaboration)
    facts = generate_facts(version.evaluation.collaboration, version.evaluation.year)
    with transaction.atomic():
        row = _draft(version)
        before = _state(row)
        row.facts, row.generated_at = facts, timezone.now()
        row.version += 1
        row.save()
        _audit(row, acting_user, before)
    return row


def _guard_sections(texts: dict[str, str], levels: dict[str, str]) -> None:
    errors: dict[str, list[str]] = {}
    for name, text in texts.items():
        if len(text) > MAX_SECTION:
            errors.setdefault(name, []).append(_("Texten får vara högst %(n)s tecken.") % {"n": MAX_SECTION})
        if "\x00" in text:
            errors.setdefault(name, []).append(_("Texten innehåller otillåtna tecken."))
        if levels[name] not in Level.values:
            errors.setdefault(f"{name}_level", []).append(_("Okänd sekretessnivå."))
    if errors:
        raise ValidationError(errors)
    # A personnummer never, at any level; phone numbers and e-mail never in a section that is öppen.
    ensure_no_identity_numbers(**texts)
    ensure_publishable(**{name: text for name, text in texts.items() if levels[name] == Level.OPPEN})


def sections_save(
    *,
    version: EvaluationVersion,
    acting_user: Any,
    expected_version: int | None = None,
    **values: str,
) -> EvaluationVersion:
    """Change a draft's sections (``summary``, ``summary_level``, …) from ``expected_version``
    (EditConflict with both texts if someone saved since). A locked version refuses (422)."""
    _require_editor(acting_user, version.evaluation.collaboration)
    unknown = set(values) - {*SECTIONS, *(f"{n}_level" for n in SECTIONS)}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("Okänt fält.")})
    with transaction.atomic():
        row = _draft(version)
        texts = {name: values.get(name, getattr(row, name)) for name in SECTIONS}
        levels = {name: values.get(f"{name}_level", row.section_level(name)) for name in SECTIONS}
        _guard_sections(texts, levels)
        sent = {**texts, **{f"{n}_level": levels[n] for n in SECTIONS}}
        row.version = check_version(row, expected_version, sent) + 1
        before = _state(row)
        for name, value in sent.items():
            setattr(row, name, value)
        row.save()
        _audit(row, acting_user, before)
    return row


def content_sha256(version: EvaluationVersion) -> str:
    """The approved content's fingerprint: facts and sections with their levels, canonical JSON."""
    content = {"facts": version.facts, **{n: getattr(version, n) for n in SECTIONS}}
    content.update({f"{n}_level": version.section_level(n) for n in SECTIONS})
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def version_approve(
    *,
    version: EvaluationVersion,
    acting_user: Any,
    meeting: Meeting | None = None,
    decision: str = "",
) -> EvaluationVersion:
    """Record that the group approved the draft (who, when, at which meeting and decision); it is locked
    for good. Approving an approved version is refused."""
    _require_editor(acting_user, version.evaluation.collaboration)
    if meeting is not None and meeting.collaboration_id != version.collaboration_id:
        raise ValidationError({"meeting": _("Mötet hör till en annan samverkan.")})
    if len(decision) > 40 or "\x00" in decision:
        raise ValidationError(
            {"decision": _("Ange beslutets nummer med högst 40 tecken, till exempel ”§ 4/2026”.")}
        )
    with transaction.atomic():
        row = _draft(version)
        before = _state(row)
        row.status = EvaluationVersion.Status.GODKAND
        row.approved_by, row.approved_at = acting_user, timezone.now()
        row.approved_meeting, row.approved_decision = meeting, decision.strip()
        row.content_sha256 = content_sha256(row)
        row.version += 1
        row.save()
        _audit(row, acting_user, before)
    return row


def version_new(*, evaluation: Evaluation, acting_user: Any) -> EvaluationVersion:
    """Edit after approval: a new draft version with the latest version's sections and fresh facts; the
    approved version stays as it was. Refused while a draft exists (edit that one)."""
    _require_editor(acting_user, evaluation.collaboration)
    facts = generate_facts(evaluation.collaboration, evaluation.year)
    with transaction.atomic():
        Evaluation.objects.select_for_update().filter(pk=evaluation.pk).first()
        latest = evaluation.versions.order_by("-number").first()
        assert latest is not None
        if not latest.locked:
            raise ValidationError(_("Det finns redan ett utkast av utvärderingen: ändra det."), code="draft")
        row = EvaluationVersion(
            collaboration=evaluation.collaboration,
            evaluation=evaluation,
            number=latest.number + 1,
            facts=facts,
            generated_at=timezone.now(),
            created_by=acting_user,
        )
        for name in SECTIONS:
            setattr(row, name, getattr(latest, name))
            setattr(row, f"{name}_level", latest.section_level(name))
        row.save()
        _audit(row, acting_user, None)
    return row


def public_release(*, version: EvaluationVersion, acting_user: Any) -> EvaluationVersion:
    """Release the public version of an approved evaluation (a second samordnare, not the one who recorded
    the approval); öppen sections are checked once more. The portal shows it from then on."""
    if not can_release_public_evaluation(acting_user, version):
        raise PermissionDenied(
            _(
                "Den offentliga versionen frisläpps av en andra person: en annan samordnare än den som registrerade godkännandet."
            )
        )
    with transaction.atomic():
        row = EvaluationVersion.objects.select_for_update().get(pk=version.pk)
        if not row.locked:
            raise ValidationError(
                _("Utvärderingen måste vara godkänd innan den offentliga versionen frisläpps."), code="state"
            )
        if row.public_released_at is not None:
            raise ValidationError(_("Den offentliga versionen är redan frisläppt."), code="state")
        texts = {n: getattr(row, n) for n in SECTIONS if row.section_level(n) == Level.OPPEN}
        ensure_publishable(**texts)
        before = _state(row)
        row.public_released_by, row.public_released_at = acting_user, timezone.now()
        row.version += 1
        row.save()
        _audit(row, acting_user, before)
        public_revision_bump([row.collaboration_id])
    return row


def next_year_start(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year + 1, 1, 1), dt.date(year + 1, 12, 31)
