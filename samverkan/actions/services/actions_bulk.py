"""Many actions of a plan written at once: an imported sheet of a thousand rows.

Each row is held to ``action_save``'s rules (validation, level, personal-data guard, numbering, the
version moved on, an audit entry each), but the rows are read and written together: a fixed number of
queries plus one audit entry per action, instead of some twenty queries per action. All or nothing: a
row at fault raises before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from samverkan.actions.models import Action, ActionIndicator, ActionPlan
from samverkan.actions.services.actions import _next_number, _participants, _validate
from samverkan.actions.services.indicators import sync_target_line
from samverkan.actions.services.plan import require_plan_editor
from samverkan.analysis.models import Cause
from samverkan.core.audit import audit_entry, snapshot
from samverkan.core.content import apply_level, guard_public_text
from samverkan.core.models import AuditEntry, Collaboration, Organisation
from samverkan.core.publication import public_revision_bump


class ActionRowInvalid(Exception):
    """Row ``index`` of ``actions_create`` or ``actions_update`` broke a rule (``error``); nothing was
    written."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__(index, error)
        self.index, self.error = index, error


@transaction.atomic
def actions_create(*, plan: ActionPlan, rows: Sequence[Mapping[str, Any]], acting_user: Any) -> list[Action]:
    """Create many actions in ``plan`` at once: each row takes the keyword arguments of ``action_save``
    and is held to the same rules (numbered n+1). A row at fault raises ``ActionRowInvalid`` before
    anything is written."""
    collaboration = plan.collaboration
    require_plan_editor(acting_user, collaboration)
    participants = _participants(collaboration)
    contact_ok: dict[int, bool] = {}
    built: list[tuple[Action, list[Cause], list[Organisation], set[int]]] = []
    for index, given in enumerate(rows):
        try:
            values, causes, partners, problems = _read_row(
                given,
                plan=plan,
                collaboration=collaboration,
                participants=participants,
                contact_ok=contact_ok,
            )
            row = Action(
                collaboration=collaboration,
                plan=plan,
                number=0,  # numbered below, once every row passed
                **{name: values[name] for name in _ACTION_FIELDS},
            )
            _check_row(row, acting_user=acting_user, collaboration=collaboration, values=values)
        except ValidationError as error:
            raise ActionRowInvalid(index, error) from None
        problem_ids = {p.pk for p in problems} | {c.problem_id for c in causes if c.problem_id}
        built.append((row, causes, partners, problem_ids))
    if not built:
        return []
    first = _next_number(plan)
    states = []
    for offset, (row, *_links) in enumerate(built):
        row.number = first + offset
        states.append(snapshot(row))  # before the insert: no id yet, so no queries for its links
    created = Action.objects.bulk_create([row for row, *_links in built])
    through = {name: getattr(Action, name).through for name in ("causes", "problems", "partners")}
    through["causes"].objects.bulk_create(
        through["causes"](action_id=row.pk, cause_id=c.pk) for row, causes, _p, _i in built for c in causes
    )
    through["problems"].objects.bulk_create(
        through["problems"](action_id=row.pk, problem_id=pk) for row, _c, _p, ids in built for pk in ids
    )
    through["partners"].objects.bulk_create(
        through["partners"](action_id=row.pk, organisation_id=o.pk)
        for row, _c, partners, _i in built
        for o in partners
    )
    entries = []
    for state, (row, causes, partners, problem_ids) in zip(states, built, strict=True):
        state["id"] = row.pk
        state["causes"] = sorted(c.pk for c in causes)
        state["problems"] = sorted(problem_ids)
        state["partners"] = sorted(o.pk for o in partners)
        entries.append(audit_entry(actor=acting_user, action=AuditEntry.Action.CREATE, obj=row, after=state))
    AuditEntry.objects.bulk_create(entries)
    # bulk_create sends no post_save: the public pages' revision is raised here, once.
    public_revision_bump([collaboration.pk])
    return created


_ACTION_FIELDS = (
    "title",
    "description",
    "kind",
    "horizon",
    "focus_area",
    "no_analysis_reason",
    "responsible",
    "contact",
    "start_date",
    "end_date",
    "expected_effect",
    "planned_hours",
    "planned_cost",
    "status",
)
_RELATED_FIELDS = ("collaboration", "plan", "focus_area", "responsible", "contact")
_NEW_ACTION_DEFAULTS: dict[str, Any] = {
    "description": "",
    "kind": Action.Kind.SITUATIONELL,
    "horizon": Action.Horizon.KORT,
    "focus_area": None,
    "causes": (),
    "problems": (),
    "no_analysis_reason": "",
    "contact": None,
    "partners": (),
    "start_date": None,
    "end_date": None,
    "expected_effect": "",
    "planned_hours": None,
    "planned_cost": None,
    "status": Action.Status.PLANERAD,
    "level": None,
    "restricted_to": None,
}


class ActionRowChanged(Exception):
    """Row ``index`` of ``actions_update``: someone saved the action after the caller read it (its version
    moved on); nothing was written."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


@transaction.atomic
def actions_update(
    *, plan: ActionPlan, rows: Sequence[tuple[Action, Mapping[str, Any]]], acting_user: Any
) -> list[Action]:
    """Change many actions of ``plan`` at once: each pair is the ``action`` and the other keyword arguments
    (no ``version``) that ``action_save`` takes, held to its rules: an action's problems become those named
    and those of its causes, its chart lines follow its title and level, its version moves on. The version
    an action was read at is the one expected: an action saved by someone else since raises
    ``ActionRowChanged``, a row at fault ``ActionRowInvalid``; nothing is written then."""
    collaboration = plan.collaboration
    require_plan_editor(acting_user, collaboration)
    if not rows:
        return []
    participants = _participants(collaboration)
    contact_ok: dict[int, bool] = {}
    ids = [action.pk for action, _given in rows]
    # Locked before they are compared, as action_save locks its row: the versions stay what was read.
    saved_versions = dict(Action.objects.select_for_update().filter(pk__in=ids).values_list("pk", "version"))
    links = _links_of(ids)
    built: list[tuple[Action, dict[str, Any], dict[str, set[int]]]] = []
    for index, (row, given) in enumerate(rows):
        before = _state(row, {name: links[name][row.pk].keys() for name in _LINK_COLUMNS})
        try:
            values, causes, partners, problems = _read_row(
                given,
                plan=plan,
                collaboration=collaboration,
                participants=participants,
                contact_ok=contact_ok,
            )
            for name in _ACTION_FIELDS:
                setattr(row, name, values[name])
            _check_row(row, acting_user=acting_user, collaboration=collaboration, values=values)
        except ValidationError as error:
            raise ActionRowInvalid(index, error) from None
        if saved_versions.get(row.pk) != row.version:
            raise ActionRowChanged(index)
        row.version += 1
        wanted = {
            "causes": {c.pk for c in causes},
            "problems": {p.pk for p in problems} | {c.problem_id for c in causes},
            "partners": {o.pk for o in partners},
        }
        built.append((row, before, wanted))
    now = timezone.now()
    for row, _before, _wanted in built:
        row.updated_at = now  # bulk_update does not apply auto_now
    Action.objects.bulk_update(
        [row for row, _before, _wanted in built],
        [*_ACTION_FIELDS, "level", "restricted_to", "version", "updated_at"],
    )
    _write_links(built, links)
    _refresh_target_labels({row.pk: row for row, _before, _wanted in built})
    AuditEntry.objects.bulk_create(
        audit_entry(
            actor=acting_user,
            action=AuditEntry.Action.UPDATE,
            obj=row,
            before=before,
            after=_state(row, wanted),
        )
        for row, before, wanted in built
    )
    # bulk_update sends no post_save: the public pages' revision is raised here, once.
    public_revision_bump([collaboration.pk])
    return [row for row, _before, _wanted in built]


def _validate_values(
    values: Mapping[str, Any],
    *,
    causes: list[Cause],
    partners: list[Organisation],
    problems: list[Any],
    plan: ActionPlan,
    collaboration: Collaboration,
    participants: set[int],
    contact_ok: dict[int, bool],
) -> None:
    """``action_save``'s validation of one row's arguments, with what the caller read once for all rows."""
    _validate(
        collaboration=collaboration,
        plan=plan,
        responsible=values["responsible"],
        partners=partners,
        contact=values["contact"],
        causes=causes,
        problems=problems,
        focus_area=values["focus_area"],
        no_analysis_reason=values["no_analysis_reason"],
        start_date=values["start_date"],
        end_date=values["end_date"],
        planned_hours=values["planned_hours"],
        planned_cost=values["planned_cost"],
        participants=participants,
        contact_ok=contact_ok,
    )


# An action's many-to-many links and the column of the linked row in each through table.
_LINK_COLUMNS = {"causes": "cause_id", "problems": "problem_id", "partners": "organisation_id"}


def _links_of(ids: list[int]) -> dict[str, dict[int, dict[int, int]]]:
    """The links of the actions ``ids``: link name → action id → {linked row id: through row id}."""
    found: dict[str, dict[int, dict[int, int]]] = {}
    for name, column in _LINK_COLUMNS.items():
        by_action: dict[int, dict[int, int]] = {pk: {} for pk in ids}
        rows = getattr(Action, name).through.objects.filter(action_id__in=ids)
        for through_id, action_id, linked in rows.values_list("id", "action_id", column):
            by_action[action_id][linked] = through_id
        found[name] = by_action
    return found


def _write_links(
    built: list[tuple[Action, dict[str, Any], dict[str, set[int]]]],
    links: dict[str, dict[int, dict[int, int]]],
) -> None:
    """Each link as ``set()`` would leave it: what is gone removed, what is new added (two queries a link)."""
    for name, column in _LINK_COLUMNS.items():
        through = getattr(Action, name).through
        gone: list[int] = []
        new: list[Any] = []
        for row, _before, wanted in built:
            had = links[name][row.pk]
            gone.extend(through_id for linked, through_id in had.items() if linked not in wanted[name])
            new.extend(through(action_id=row.pk, **{column: pk}) for pk in sorted(wanted[name] - had.keys()))
        if gone:
            through.objects.filter(pk__in=gone).delete()
        if new:
            through.objects.bulk_create(new)


def _refresh_target_labels(actions: dict[int, Action]) -> None:
    """The statistics chart lines of the actions follow their new title and level (as
    ``refresh_target_labels`` does for one)."""
    lines = (
        ActionIndicator.objects.filter(action_id__in=list(actions))
        .exclude(target_line=None)
        .select_related("target_line")
    )
    for indicator in lines:
        indicator.action = actions[indicator.action_id]
        sync_target_line(indicator)


def _state(row: Action, links: Mapping[str, Any]) -> dict[str, Any]:
    """The action as ``action_save`` logs it (its fields and the ids of its links), with no query."""
    state = snapshot(row, many_to_many=False)
    state.update({name: sorted(ids) for name, ids in links.items()})
    return state


def _read_row(
    given: Mapping[str, Any],
    *,
    plan: ActionPlan,
    collaboration: Collaboration,
    participants: Any,
    contact_ok: dict[int, bool],
) -> tuple[dict[str, Any], list[Cause], list[Organisation], list[Any]]:
    """A row's values with the defaults of a new action, its links as lists, checked as ``action_save``
    checks them (``_validate_values``)."""
    values = {**_NEW_ACTION_DEFAULTS, **given}
    causes, partners, problems = list(values["causes"]), list(values["partners"]), list(values["problems"])
    _validate_values(
        values,
        causes=causes,
        partners=partners,
        problems=problems,
        plan=plan,
        collaboration=collaboration,
        participants=participants,
        contact_ok=contact_ok,
    )
    return values, causes, partners, problems


def _check_row(
    row: Action, *, acting_user: Any, collaboration: Collaboration, values: dict[str, Any]
) -> None:
    """``action_save``'s checks of one row: its level, the personal-data guard, the model's validation.
    The related rows were checked against the collaboration by the caller (full_clean would read each
    again), and the number is given later (new rows) or does not change (the only unique part)."""
    apply_level(
        row,
        user=acting_user,
        collaboration=collaboration,
        level=values["level"],
        restricted_to=values["restricted_to"],
    )
    guard_public_text(row)
    row.full_clean(exclude=[*_RELATED_FIELDS, "number"], validate_unique=False, validate_constraints=False)
