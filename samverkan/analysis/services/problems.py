"""Problems: entered directly or raised from an agreed joint picture or a statistics signal, their
evidence links and their scores on Brå's criteria."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.analysis.models import RAISABLE_PICTURE_KINDS, Evidence, Problem
from samverkan.analysis.models.problems import CRITERIA, SCORE_MAX
from samverkan.analysis.selectors import indicator_choices
from samverkan.analysis.services._common import check_ref, require_analyst
from samverkan.core.areas import AREA_CODES, area_title
from samverkan.core.audit import snapshot
from samverkan.core.conflicts import check_version
from samverkan.core.content import apply_level, check_level, content_delete, content_save
from samverkan.core.levels import strictest
from samverkan.core.models import Collaboration, Kommun, Level, encode_roles
from samverkan.indicators.models import Indicator
from samverkan.indicators.signals import signals_for_collaboration
from samverkan.situation.models import PictureItem

# What a problem keeps as text; the forms and the API take these names.
SCORE_FIELDS = tuple(name for name, _label, _help in CRITERIA)
# A prefilled title is cut to the model's length with room for the ellipsis.
TITLE_MAX = 200


def _check_area(area_code: str) -> None:
    if area_code and area_code not in AREA_CODES:
        raise ValidationError({"area_code": _("Okänt lägesbildsområde.")})


def _check_focus_area(user: Any, collaboration: Collaboration, focus_area: Any) -> None:
    check_ref(user, collaboration, "focus_area", focus_area)


@transaction.atomic
def problem_save(
    *,
    collaboration: Collaboration,
    acting_user: Any,
    title: str,
    description: str = "",
    where: str = "",
    when: str = "",
    affected: str = "",
    area_code: str = "",
    focus_area: Any = None,
    status: str = Problem.Status.AKTIVT,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    problem: Problem | None = None,
    version: int | None = None,
    scores: Mapping[str, int | None] | None = None,
    scored_by: str = "",
    scored_on: dt.date | None = None,
) -> Problem:
    """Create a problem, or change ``problem`` from its ``version`` (EditConflict if someone saved since);
    with ``scores``, scored in the same save."""
    require_analyst(acting_user, collaboration)
    if problem is not None and problem.collaboration_id != collaboration.pk:
        raise ValidationError(_("Problemet hör till en annan samverkan."))
    _check_area(area_code)
    _check_focus_area(acting_user, collaboration, focus_area)
    if status not in Problem.Status.values:
        raise ValidationError({"status": _("Okänd status.")})
    before = snapshot(problem) if problem else None
    row = problem or Problem(collaboration=collaboration, created_by=acting_user)
    row.title, row.description, row.where, row.when, row.affected = title, description, where, when, affected
    row.area_code, row.focus_area, row.status = area_code, focus_area, status
    apply_level(
        row,
        user=acting_user,
        collaboration=collaboration,
        level=level,
        restricted_to=restricted_to,
        default=Level.INTERN,
    )
    if scores is not None:
        _apply_scores(row, scores, scored_by, scored_on)
    content_save(row, acting_user=acting_user, before=before, expected_version=version)
    return row


def _apply_scores(
    row: Problem, scores: Mapping[str, int | None], scored_by: str, scored_on: dt.date | None
) -> None:
    """Set the group's scores (each 0–3 or unset), who scored and when (today unless given)."""
    unknown = set(scores) - set(SCORE_FIELDS)
    if unknown:
        raise ValidationError(_("Okänt kriterium: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    errors = {}
    for name, value in scores.items():
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= SCORE_MAX
        ):
            errors[name] = _("Poängen ska vara ett heltal från 0 till %(max)s.") % {"max": SCORE_MAX}
    if errors:
        raise ValidationError(errors)
    for name, value in scores.items():
        setattr(row, name, value)
    row.scored_by = scored_by
    row.scored_on = scored_on or timezone.localdate()


@transaction.atomic
def problem_score(
    *,
    problem: Problem,
    acting_user: Any,
    scores: Mapping[str, int | None],
    scored_by: str = "",
    scored_on: dt.date | None = None,
    version: int | None = None,
) -> Problem:
    """Set the group's scores on Brå's criteria, who scored and when."""
    require_analyst(acting_user, problem.collaboration)
    before = snapshot(problem)
    _apply_scores(problem, scores, scored_by, scored_on)
    content_save(problem, acting_user=acting_user, before=before, expected_version=version)
    return problem


@transaction.atomic
def problem_update(
    *,
    problem: Problem,
    acting_user: Any,
    version: int | None = None,
    scores: Mapping[str, int | None] | None = None,
    scored_by: str | None = None,
    scored_on: dt.date | None = None,
    **fields: Any,
) -> Problem:
    """Change what is given of a problem's text, level and scores in one step (the API's PATCH)."""
    current = {
        "title": problem.title,
        "description": problem.description,
        "where": problem.where,
        "when": problem.when,
        "affected": problem.affected,
        "area_code": problem.area_code,
        "focus_area": problem.focus_area,
        "status": problem.status,
        "level": problem.level,
        "restricted_to": sorted(problem.restricted_roles),
    }
    unknown = set(fields) - set(current)
    if unknown:
        raise ValidationError(_("Okänt fält: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    problem_save(
        collaboration=problem.collaboration,
        problem=problem,
        acting_user=acting_user,
        version=version,
        **{**current, **fields},
    )
    if scores or scored_by is not None or scored_on is not None:
        problem_score(
            problem=problem,
            acting_user=acting_user,
            scores=scores or {},
            scored_by=problem.scored_by if scored_by is None else scored_by,
            scored_on=scored_on or problem.scored_on,
        )
    return problem


@transaction.atomic
def problem_delete(*, problem: Problem, acting_user: Any, version: int | None = None) -> None:
    """Remove a problem with its analysis, causes and evidence; from ``version``, only if nobody has
    changed it since (EditConflict)."""
    require_analyst(acting_user, problem.collaboration)
    check_version(problem, version, {"title": ""})
    content_delete(problem, acting_user=acting_user)


# --- Raising a problem from what the group has agreed on or what the statistics show ------------------


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _levels(*rows: Any) -> tuple[str, str]:
    """The strictest level of ``rows`` and its roles, encoded; a begränsad whole that no role may read
    entirely is refused rather than widened."""
    level, roles = strictest((row.level, row.restricted_to) for row in rows)
    if level != Level.BEGRANSAD:
        return level, rows[0].restricted_to
    if not roles:
        raise ValidationError(_("Ingen roll får läsa både problemet och underlaget; ändra sekretessnivån."))
    return level, encode_roles(roles)


def _new_problem_level(
    acting_user: Any, collaboration: Collaboration, source: Any, level: str | None, restricted_to: Any
) -> tuple[str, str]:
    """A raised problem carries the source's text, so it is never less strict than the source."""
    chosen = level or Level.INTERN
    roles = check_level(acting_user, collaboration, chosen, restricted_to or [])
    if source is None:
        return chosen, roles
    final, final_roles = strictest([(chosen, roles), (source.level, source.restricted_to)])
    if final == Level.BEGRANSAD:
        # The writer's own role must still read it (check_level), or the raise is refused.
        return final, check_level(acting_user, collaboration, final, sorted(final_roles))
    return final, roles


@transaction.atomic
def problem_raise_from_item(
    *,
    collaboration: Collaboration,
    item: Any,
    acting_user: Any,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
) -> Problem:
    """One click on a part of an agreed joint picture: a problem prefilled from it, with the link."""
    require_analyst(acting_user, collaboration)
    check_ref(acting_user, collaboration, "picture_item", item)

    if item.kind not in RAISABLE_PICTURE_KINDS:
        raise ValidationError({"picture_item": _("Lyft ett problem från en ruta eller en sammanfattning.")})
    summary = item.kind == PictureItem.Kind.SUMMARY
    area = area_title(item.area_code) if item.area_code else item.section_title
    if summary:
        title = area
    else:
        who = item.organisation_name
        title = f"{area} – {who}" if who else area
    row_level, roles = _new_problem_level(acting_user, collaboration, item, level, restricted_to)
    problem = Problem(
        collaboration=collaboration,
        created_by=acting_user,
        title=_cut(title or _("Problem från lägesbilden"), TITLE_MAX),
        description=_cut(item.text, 5_000),
        area_code=item.area_code if item.area_code in AREA_CODES else "",
        origin=Problem.Origin.SAMMANFATTNING if summary else Problem.Origin.CELL,
        picture_version_id=item.version_id,
        level=row_level,
        restricted_to=roles,
    )
    content_save(problem, acting_user=acting_user)
    _link(
        problem,
        acting_user=acting_user,
        kind=Evidence.Kind.BILDDEL,
        label=_cut(
            f"{item.get_kind_display()}: {item.section_title}"
            + (f" ({item.organisation_name})" if item.organisation_name else ""),
            500,
        ),
        picture_item=item,
        source=item,
    )
    return problem


def signal_key(signal: Any) -> str:
    """A signal is computed, not stored: it is named by what it is about."""
    return f"{signal.indicator_code}|{signal.kommun_code}|{'ar' if signal.against_last_year else 'period'}"


@transaction.atomic
def problem_raise_from_signal(
    *,
    collaboration: Collaboration,
    key: str,
    acting_user: Any,
    as_of: dt.date | None = None,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
) -> Problem:
    """One click on a current statistics signal: a problem prefilled from it, with the link."""
    require_analyst(acting_user, collaboration)

    signals = signals_for_collaboration(collaboration, as_of=as_of or timezone.localdate(), limit=50)
    signal = next((s for s in signals if signal_key(s) == key), None)
    if signal is None:
        raise ValidationError({"signal": _("Signalen finns inte längre i statistiken.")})
    row_level, roles = _new_problem_level(acting_user, collaboration, None, level, restricted_to)
    sentence = str(signal.sentence)
    problem = Problem(
        collaboration=collaboration,
        created_by=acting_user,
        title=_cut(f"{signal.area_title}: {signal.kommun_name}", TITLE_MAX),
        description=_cut(f"{sentence} ({signal.period_label})", 5_000),
        where=_cut(signal.kommun_name, 300),
        area_code=signal.area_code if signal.area_code in AREA_CODES else "",
        origin=Problem.Origin.SIGNAL,
        level=row_level,
        restricted_to=roles,
    )
    content_save(problem, acting_user=acting_user)
    _link(
        problem,
        acting_user=acting_user,
        kind=Evidence.Kind.SIGNAL,
        label=_cut(sentence, 500),
        indicator=Indicator.objects.filter(code=signal.indicator_code).first(),
        kommun=Kommun.objects.filter(kod=signal.kommun_code).first(),
    )
    return problem


# --- Evidence ------------------------------------------------------------------------------------------


def _link(problem: Problem, *, acting_user: Any, source: Any = None, **fields: Any) -> Evidence:
    """An evidence row at least as strict as its problem and its source (readers of the link may read both)."""
    level, roles = _levels(problem, *([source] if source is not None else []))
    evidence = Evidence(
        collaboration_id=problem.collaboration_id,
        problem=problem,
        level=level,
        restricted_to=roles,
        **fields,
    )
    content_save(evidence, acting_user=acting_user)
    return evidence


@transaction.atomic
def evidence_add(
    *,
    problem: Problem,
    acting_user: Any,
    kind: str,
    label: str,
    note: str = "",
    cause: Any = None,
    picture_item: Any = None,
    answer: Any = None,
    event: Any = None,
    indicator: Any = None,
    kommun: Kommun | None = None,
) -> Evidence:
    """Link ``problem`` (or one of its causes) to what shows it; every source readable and of the same
    collaboration (statistics are public; a kommun must be one of the collaboration's)."""
    collaboration = problem.collaboration
    require_analyst(acting_user, collaboration)
    if kind not in Evidence.Kind.values:
        raise ValidationError({"kind": _("Okänd typ av underlag.")})
    if cause is not None and cause.problem_id != problem.pk:
        raise ValidationError({"cause": _("Orsaken hör till ett annat problem.")})
    sources = {"picture_item": picture_item, "answer": answer, "event": event}
    for field, row in sources.items():
        check_ref(acting_user, collaboration, field, row)
    if kommun is not None and not collaboration.kommuner.filter(pk=kommun.pk).exists():
        raise ValidationError({"kommun": _("Kommunen ingår inte i samverkan.")})
    if kind == Evidence.Kind.INDIKATOR:
        if indicator is None:
            raise ValidationError({"indicator": _("Välj en indikator i statistiken.")})
        if not indicator_choices(collaboration=collaboration).filter(pk=indicator.pk).exists():
            raise ValidationError(
                {"indicator": _("Indikatorn finns inte i statistiken för samverkans kommuner.")}
            )
    if not label.strip():
        raise ValidationError({"label": _("Beskriv underlaget.")})
    strict = [row for row in (cause, *sources.values()) if row is not None]
    level, roles = _levels(problem, *strict)
    evidence = Evidence(
        collaboration=collaboration,
        problem=problem,
        cause=cause,
        kind=kind,
        label=label,
        note=note,
        picture_item=picture_item,
        answer=answer,
        event=event,
        indicator=indicator,
        kommun=kommun,
        level=level,
        restricted_to=roles,
    )
    content_save(evidence, acting_user=acting_user)
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, acting_user: Any) -> None:
    require_analyst(acting_user, evidence.problem.collaboration)
    content_delete(evidence, acting_user=acting_user)
