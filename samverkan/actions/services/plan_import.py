"""Import of an action plan from a spreadsheet: our own export (any language, also after Excel or
LibreOffice saved it) or a sheet a group kept by hand, mapped on the preview page.

Read and validated whole before anything is written; errors name the sheet, the row and the column in
Swedish; then written in one transaction through the same rules as the pages (``action_save``'s, applied
to all rows at once by ``actions_update`` and ``actions_create``; ``followup_record``), so every rule
holds (guard, levels, conflicts, audit) and the import is all or nothing. A row with an ID updates that row (never a duplicate); a row without one is new; a row whose
values equal what is stored is left alone, so re-importing an unchanged export changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from samverkan.actions.models import Action, ActionPlan, FollowUp
from samverkan.actions.sheet_format import (
    ACTION_COLUMNS,
    CHOICES,
    FOLLOWUP_COLUMNS,
    LIST_SEPARATOR,
    MAX_FOLLOWUP_ROWS,
    MAX_ROWS,
    SHEET_ACTIONS,
    SHEET_FOLLOWUPS,
    Column,
    choice_lookup,
    column_lookup,
    normalise,
)
from samverkan.agreements.models import FocusArea
from samverkan.analysis.models import Cause
from samverkan.core import permissions
from samverkan.core.conflicts import EditConflict
from samverkan.core.exports.xlsx import FORMULA_PREFIXES
from samverkan.core.models import DEFAULT_RESTRICTED_TO, Level, Organisation, Person, decode_roles
from samverkan.core.personaldata import mask_personal_data
from samverkan.core.publication import bumps_deferred
from samverkan.indicators.limits import TABLE as TABLE_UPLOAD
from samverkan.indicators.limits import ImportFileError, check_size, limits
from samverkan.indicators.tables import (
    MAX_ERRORS,
    PREVIEW_COLUMNS,
    SAMPLE_ROWS,
    RowError,
    TableImportError,
    TableSource,
    ValueProblem,
    open_source,
    parse_number,
    read_table,
    source_size,
)
from samverkan.indicators.xlsx import sheet_titles

MAX_HOURS = Decimal(1_000_000)
MAX_COST = Decimal(10) ** 11


@dataclass
class SheetPreview:
    sheet: str
    columns: list[str]
    sample_rows: list[list[str]]
    row_count: int
    mapping: dict[str, str]  # field key → column heading in the file
    missing: list[str]  # headings of required fields the file has no column for
    is_own_format: bool


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    followups_created: int = 0
    followups_updated: int = 0
    followups_unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.followups_created + self.followups_updated


@dataclass
class _Row:
    line: int
    values: dict[str, str]  # field key → cell text


@dataclass
class _Errors:
    sheet: str
    found: list[RowError] = field(default_factory=list)

    def add(self, line: int, column: str, message: str) -> None:
        if len(self.found) < MAX_ERRORS:
            prefix = _("Bladet ”%(sheet)s”: ") % {"sheet": self.sheet} if self.sheet else ""
            self.found.append(RowError(line, column, prefix + message))

    def __bool__(self) -> bool:
        return bool(self.found)


# --- reading -----------------------------------------------------------------------------------------


def _sheet_names(name: str) -> list[str]:
    names = [name]
    for language in ("en", "sv"):
        with translation.override(language):
            names.append(_(name))
    return list(dict.fromkeys(names))


def _is_xlsx(source: TableSource, file_name: str) -> bool:
    stream, close = open_source(source)
    try:
        head = stream.read(4)
        stream.seek(0)
    finally:
        close()
    return head == b"PK\x03\x04" or file_name.lower().endswith(".xlsx")


def _open(source: TableSource, file_name: str, names: list[str], *, required: bool) -> Any:
    """The table of the first sheet called one of ``names`` (else the first sheet, when ``required``), or
    None when the file has no such sheet and it is not required. A CSV file is the actions sheet."""
    if not _is_xlsx(source, file_name):
        return read_table(source, file_name) if required else None
    stream, close = open_source(source)
    try:
        check_size(source_size(stream), TABLE_UPLOAD)
        titles = sheet_titles(stream, limits())
    finally:
        close()
    _rewind(source)
    name = next((n for n in names if n in titles), None)
    if name is None and not required:
        return None
    return read_table(source, file_name, sheet=name, refuse_merged=True)


def _rewind(source: TableSource) -> None:
    seek = getattr(source, "seek", None)
    if seek is not None:
        seek(0)


def _mapping_for(columns: list[str], spec: tuple[Column, ...]) -> dict[str, str]:
    lookup = column_lookup(spec)
    mapping: dict[str, str] = {}
    for heading in columns:
        key = lookup.get(normalise(heading))
        if key is not None and key not in mapping:
            mapping[key] = heading
    return mapping


def preview_plan_file(source: TableSource, file_name: str) -> SheetPreview:
    """The actions sheet's headings, a bounded sample and the suggested mapping (the preview page)."""
    table = _open(source, file_name, _sheet_names(SHEET_ACTIONS), required=True)
    with table:
        mapping = _mapping_for(table.columns, ACTION_COLUMNS)
        sample: list[list[str]] = []
        count = 0
        for _line, cells in table.rows:
            count += 1
            if count > MAX_ROWS:
                raise ImportFileError(_too_many_rows())
            if len(sample) < SAMPLE_ROWS:
                sample.append([c[:200] for c in cells[:PREVIEW_COLUMNS]])
        missing = [str(c.heading) for c in ACTION_COLUMNS if c.required and c.key not in mapping]
        return SheetPreview(
            sheet=_("Åtgärder"),
            columns=table.columns,
            sample_rows=sample,
            row_count=count,
            mapping=mapping,
            missing=missing,
            is_own_format="id" in mapping and not missing,
        )


def _too_many_rows() -> str:
    return _("Bladet har fler än %(max)d rader; en åtgärdsplan har högst %(max)d åtgärder.") % {
        "max": MAX_ROWS
    }


def _too_many_followups() -> str:
    return _("Bladet har fler än %(max)d rader; en åtgärdsplan har högst %(max)d uppföljningar.") % {
        "max": MAX_FOLLOWUP_ROWS
    }


def _rows(
    table: Any, mapping: dict[str, str], spec: tuple[Column, ...], errors: _Errors, *, followups: bool = False
) -> Iterator[_Row]:
    """The rows as field key → cell text. The follow-ups sheet holds many rows per action: its bound is
    its own."""
    index = {heading: i for i, heading in enumerate(table.columns)}
    wanted = {c.key: index[mapping[c.key]] for c in spec if c.imported and mapping.get(c.key) in index}
    limit = MAX_FOLLOWUP_ROWS if followups else MAX_ROWS
    for count, (line, cells) in enumerate(table.rows, start=1):
        if count > limit:
            raise ImportFileError(_too_many_followups() if followups else _too_many_rows())
        yield _Row(line, {key: cells[i].strip() if i < len(cells) else "" for key, i in wanted.items()})


# --- values ------------------------------------------------------------------------------------------


def _parse_id(text: str) -> int | None:
    """A row id as Excel or LibreOffice writes it ("12", "12.0"); anything else (NaN, 1e2000000, text) is
    no id. Only digits are converted, so a hostile cell costs nothing."""
    match = re.fullmatch(r"(\d{1,18})(?:\.0+)?", text.strip())
    return int(match.group(1)) if match else None


def _day(text: str) -> dt.date | None:
    raw = text.strip()
    if not raw:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", raw)
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    raise ValueProblem(_("”%(value)s” är inget datum (ÅÅÅÅ-MM-DD).") % {"value": raw[:40]})


def _amount(text: str, maximum: Decimal) -> Decimal | None:
    value = parse_number(text)
    if value is None:
        return None
    if value < 0:
        raise ValueProblem(_("”%(value)s” är negativt.") % {"value": text[:40]})
    if value > maximum:
        raise ValueProblem(_("”%(value)s” är för stort.") % {"value": text[:40]})
    return value


def _text(text: str) -> str:
    # Our export put an apostrophe before text that looked like a formula; take it off again.
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


class _Resolver:
    """Names and labels in cells → the collaboration's rows the acting user may use."""

    def __init__(self, plan: ActionPlan, user: Any) -> None:
        collaboration = plan.collaboration
        participants = Organisation.objects.filter(participations__collaboration=collaboration)
        self.organisations = {normalise(o.name): o for o in participants}
        self.people = {
            normalise(p.name): p for p in Person.objects.filter(organisations__in=participants).distinct()
        }
        areas = FocusArea.objects.visible_to(user).filter(collaboration=collaboration)
        if plan.agreement_id:
            areas = areas.filter(agreement_id=plan.agreement_id)
        self.focus_areas = {normalise(a.title): a for a in areas}
        self.causes = {c.pk: c for c in Cause.objects.visible_to(user).filter(collaboration=collaboration)}
        self.choices = {key: choice_lookup(choices) for key, choices in CHOICES.items()}

    def choice(self, key: str, text: str) -> str | None:
        if not text:
            return None
        found = self.choices[key].get(normalise(text))
        if found is None:
            raise ValueProblem(_("”%(value)s” är inget av de tillåtna värdena.") % {"value": text[:40]})
        return found

    def organisation(self, text: str) -> Organisation | None:
        if not text:
            return None
        found = self.organisations.get(normalise(text))
        if found is None:
            raise ValueProblem(
                _("”%(value)s” är ingen av samverkans organisationer.")
                % {"value": mask_personal_data(text[:80])}
            )
        return found

    def cause_list(self, text: str) -> list[Cause]:
        causes = []
        for part in (p.strip() for p in text.split(LIST_SEPARATOR)):
            if not part:
                continue
            match = re.match(r"(\d+)\s*(?::|$)", part)
            cause = self.causes.get(int(match.group(1))) if match else None
            if cause is None:
                raise ValueProblem(
                    _("”%(value)s” är ingen orsak i samverkans orsaksanalyser (ange orsakens ID).")
                    % {"value": mask_personal_data(part[:60])}
                )
            causes.append(cause)
        return causes


# --- actions -----------------------------------------------------------------------------------------

_ACTION_PARSERS: dict[str, Callable[[_Resolver, str], Any]] = {
    "title": lambda r, t: _text(t),
    "description": lambda r, t: _text(t),
    "expected_effect": lambda r, t: _text(t),
    "no_analysis_reason": lambda r, t: _text(t),
    "kind": lambda r, t: r.choice("kind", t),
    "horizon": lambda r, t: r.choice("horizon", t),
    "status": lambda r, t: r.choice("status", t),
    "level": lambda r, t: r.choice("level", t),
    "responsible": lambda r, t: r.organisation(t),
    "partners": lambda r, t: [o for o in (r.organisation(p.strip()) for p in t.split(LIST_SEPARATOR)) if o],
    "start_date": lambda r, t: _day(t),
    "end_date": lambda r, t: _day(t),
    "planned_hours": lambda r, t: _amount(t, MAX_HOURS),
    "planned_cost": lambda r, t: _amount(t, MAX_COST),
    "causes": lambda r, t: r.cause_list(t),
}


def _current(action: Action) -> dict[str, Any]:
    return {
        "title": action.title,
        "description": action.description,
        "expected_effect": action.expected_effect,
        "no_analysis_reason": action.no_analysis_reason,
        "kind": action.kind,
        "horizon": action.horizon,
        "status": action.status,
        "level": action.level,
        "responsible": action.responsible,
        "partners": sorted(action.partners.all(), key=lambda o: o.pk),
        "start_date": action.start_date,
        "end_date": action.end_date,
        "planned_hours": action.planned_hours,
        "planned_cost": action.planned_cost,
        "causes": sorted(action.causes.all(), key=lambda c: c.pk),
        # No column of the sheet names problems: they stay (those linked in the form and those of the
        # causes), as saving the form with the problems it shows keeps them; new causes add theirs.
        "problems": sorted(action.problems.all(), key=lambda p: p.pk),
        "focus_area": action.focus_area,
        "contact": action.contact,
    }


def _same(key: str, stored: Any, given: Any) -> bool:
    if isinstance(stored, list) or isinstance(given, list):
        return sorted(x.pk for x in stored or []) == sorted(x.pk for x in given or [])
    if isinstance(stored, Decimal) or isinstance(given, Decimal):
        return stored == given  # Decimal("12") == Decimal("12.0")
    if isinstance(stored, str) or isinstance(given, str):
        return (stored or "").replace("\r\n", "\n").strip() == (given or "").replace("\r\n", "\n").strip()
    return bool(stored == given)


def _parse_action(row: _Row, resolver: _Resolver, mapping: dict[str, str], errors: _Errors) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for key, text in row.values.items():
        if key in ("id", "number"):
            continue
        try:
            if key == "focus_area":
                parsed[key] = resolver.focus_areas.get(normalise(text)) if text else None
                if text and parsed[key] is None:
                    raise ValueProblem(
                        _("”%(value)s” är inget fokusområde i överenskommelsen.") % {"value": text[:60]}
                    )
            elif key == "contact":
                parsed[key] = resolver.people.get(normalise(text)) if text else None
                if text and parsed[key] is None:
                    raise ValueProblem(_("Kontaktpersonen finns inte bland organisationernas personer."))
            elif key in _ACTION_PARSERS:
                parsed[key] = _ACTION_PARSERS[key](resolver, text)
        except ValueProblem as problem:
            errors.add(row.line, mapping.get(key, key), str(problem))
    for column in ACTION_COLUMNS:
        if column.required and column.key in row.values and not row.values[column.key]:
            errors.add(row.line, mapping.get(column.key, column.key), _("Värdet saknas."))
    return parsed


# --- the import --------------------------------------------------------------------------------------


def plan_import(
    *,
    plan: ActionPlan,
    source: TableSource,
    file_name: str,
    acting_user: Any,
    mapping: dict[str, str] | None = None,
    default_no_analysis_reason: str = "",
) -> ImportResult:
    """Import the actions (and, from our own format, the follow-ups) of ``plan`` from a file.

    ``mapping`` (field key → column heading) comes from the preview page for a sheet of the group's own;
    None takes the headings as they are (our export). ``default_no_analysis_reason`` is given to new or
    changed actions that name neither a cause nor a reason (a hand-kept sheet predates the analysis).
    Raises ``ImportFileError`` (the file as a whole) or ``TableImportError`` (rows); nothing is written then.
    """
    if not permissions.can_edit_action_plan(acting_user, plan.collaboration):
        raise ImportFileError(_("Du får inte ändra åtgärdsplanen."))
    resolver = _Resolver(plan, acting_user)
    existing = {
        a.pk: a
        for a in Action.objects.visible_to(acting_user)
        .filter(plan=plan)
        .select_related("responsible", "contact", "focus_area")
        .prefetch_related("partners", "causes", "problems")
    }
    result = ImportResult()
    action_changes, action_errors = _read_actions(
        plan, source, file_name, mapping, resolver, existing, default_no_analysis_reason, result
    )
    _rewind(source)
    followup_changes, followup_errors = _read_followups(
        source, file_name, resolver, existing, acting_user, result
    )
    errors = action_errors.found + followup_errors.found
    if errors:
        raise TableImportError(errors[:MAX_ERRORS])
    try:
        # One revision bump at the end, not two queries per row written.
        with transaction.atomic(), bumps_deferred():
            _write_actions(plan, action_changes, acting_user, result)
            _write_followups(followup_changes, acting_user, result)
    except _RowFailed as failed:
        raise TableImportError([failed.error]) from None
    return result


class _RowFailed(Exception):
    def __init__(self, error: RowError) -> None:
        self.error = error


def _keep_unreadable(action: Action, parsed: dict[str, Any], resolver: _Resolver) -> None:
    """What the importer may not read was not in their file: it stays as it is (never dropped)."""
    if "causes" in parsed:
        hidden = [c for c in action.causes.all() if c.pk not in resolver.causes]
        parsed["causes"] = [*parsed["causes"], *hidden]
    if action.focus_area_id and action.focus_area not in resolver.focus_areas.values():
        parsed.pop("focus_area", None)


def _read_actions(
    plan: ActionPlan,
    source: TableSource,
    file_name: str,
    mapping: dict[str, str] | None,
    resolver: _Resolver,
    existing: dict[int, Action],
    default_reason: str,
    result: ImportResult,
) -> tuple[list[tuple[int, Action | None, dict[str, Any]]], _Errors]:
    errors = _Errors(_("Åtgärder"))
    changes: list[tuple[int, Action | None, dict[str, Any]]] = []
    table = _open(source, file_name, _sheet_names(SHEET_ACTIONS), required=True)
    with table:
        mapping = mapping or _mapping_for(table.columns, ACTION_COLUMNS)
        unknown = [heading for heading in mapping.values() if heading not in table.columns]
        if unknown:
            raise ImportFileError(
                _("Kolumnen ”%(column)s” finns inte i filen.") % {"column": unknown[0][:80]}
            )
        missing = [str(c.heading) for c in ACTION_COLUMNS if c.required and c.key not in mapping]
        if missing:
            raise ImportFileError(
                _(
                    "Filen saknar kolumner för %(columns)s. Välj på förhandsgranskningen vilka av filens "
                    "kolumner som motsvarar dem."
                )
                % {"columns": ", ".join(f"”{m}”" for m in missing)}
            )
        seen: set[int] = set()
        for row in _rows(table, mapping, ACTION_COLUMNS, errors):
            action = None
            id_text = row.values.get("id", "")
            if id_text:
                number = _parse_id(id_text)
                action = existing.get(number) if number is not None else None
                if action is None:
                    errors.add(
                        row.line,
                        mapping["id"],
                        _("ID ”%(value)s” är ingen åtgärd i den här planen.") % {"value": id_text[:20]},
                    )
                    continue
                if action.pk in seen:
                    errors.add(
                        row.line, mapping["id"], _("ID %(id)d förekommer på flera rader.") % {"id": action.pk}
                    )
                    continue
                seen.add(action.pk)
            parsed = _parse_action(row, resolver, mapping, errors)
            if action is not None:
                _keep_unreadable(action, parsed, resolver)
                current = _current(action)
                if all(_same(k, current.get(k), v) for k, v in parsed.items()):
                    result.unchanged += 1
                    continue
                merged = {**current, **parsed}
            else:
                merged = parsed
            if not merged.get("causes") and not merged.get("no_analysis_reason") and default_reason:
                merged["no_analysis_reason"] = default_reason
            changes.append((row.line, action, merged))
    return changes, errors


def _write_actions(
    plan: ActionPlan,
    changes: list[tuple[int, Action | None, dict[str, Any]]],
    user: Any,
    result: ImportResult,
) -> None:
    """Changed rows together through ``actions_update``, new rows through ``actions_create``: the rules of
    ``action_save`` (conflict checks, target labels, an audit entry each) written in bulk, so a sheet of a
    thousand rows costs a fixed number of queries and not some twenty a row."""
    from samverkan.actions.services.actions_bulk import (
        ActionRowChanged,
        ActionRowInvalid,
        actions_create,
        actions_update,
    )

    changed: list[tuple[int, Action, dict[str, Any]]] = []
    new: list[tuple[int, dict[str, Any]]] = []
    for line, action, values in changes:
        arguments = {k: v for k, v in values.items() if v is not None or k in ("responsible",)}
        arguments.setdefault("responsible", None)
        _keep_roles(arguments, action)
        if action is None:
            new.append((line, arguments))
        else:
            changed.append((line, action, arguments))
    try:
        if changed:
            result.updated += len(
                actions_update(plan=plan, rows=[(a, args) for _l, a, args in changed], acting_user=user)
            )
    except ActionRowInvalid as invalid:
        raise _RowFailed(_row_error(_("Åtgärder"), changed[invalid.index][0], invalid.error)) from None
    except ActionRowChanged as stale:
        raise _RowFailed(
            RowError(changed[stale.index][0], "", _("Någon ändrade åtgärden under importen. Försök igen."))
        ) from None
    try:
        if new:
            result.created += len(actions_create(plan=plan, rows=[a for _l, a in new], acting_user=user))
    except ActionRowInvalid as invalid:
        raise _RowFailed(_row_error(_("Åtgärder"), new[invalid.index][0], invalid.error)) from None


def _keep_roles(arguments: dict[str, Any], row: Any) -> None:
    """A sheet holds the level, not the roles a begränsad row is restricted to: an unchanged level is left as
    it is (its roles with it), and a row made begränsad by the sheet gets the default roles."""
    if row is not None and arguments.get("level") == row.level:
        arguments.pop("level")
    elif arguments.get("level") == Level.BEGRANSAD:
        arguments["restricted_to"] = sorted(decode_roles(DEFAULT_RESTRICTED_TO))


def _row_error(sheet: str, line: int, error: ValidationError) -> RowError:
    if hasattr(error, "message_dict"):
        field_name, messages = next(iter(error.message_dict.items()))
        column = next((str(c.heading) for c in ACTION_COLUMNS + FOLLOWUP_COLUMNS if c.key == field_name), "")
        message = " ".join(messages)
    else:
        column, message = "", " ".join(error.messages)
    return RowError(line, column, _("Bladet ”%(sheet)s”: ") % {"sheet": sheet} + message)


# --- follow-ups --------------------------------------------------------------------------------------


def _read_followups(
    source: TableSource,
    file_name: str,
    resolver: _Resolver,
    existing: dict[int, Action],
    user: Any,
    result: ImportResult,
) -> tuple[list[tuple[int, Action, FollowUp | None, dict[str, Any]]], _Errors]:
    errors = _Errors(_("Uppföljningar"))
    changes: list[tuple[int, Action, FollowUp | None, dict[str, Any]]] = []
    table = _open(source, file_name, _sheet_names(SHEET_FOLLOWUPS), required=False)
    if table is None:
        return changes, errors
    with table:
        mapping = _mapping_for(table.columns, FOLLOWUP_COLUMNS)
        missing = [str(c.heading) for c in FOLLOWUP_COLUMNS if c.required and c.key not in mapping]
        if missing:
            errors.add(0, "", _("Bladet saknar kolumnerna %(columns)s.") % {"columns": ", ".join(missing)})
            return changes, errors
        stored = {
            f.pk: f
            for f in FollowUp.objects.visible_to(user)
            .filter(action_id__in=list(existing))
            .select_related("action")
        }
        for row in _rows(table, mapping, FOLLOWUP_COLUMNS, errors, followups=True):
            values = row.values
            action_id = _parse_id(values.get("action_id", ""))
            action = existing.get(action_id) if action_id is not None else None
            if action is None:
                errors.add(row.line, mapping["action_id"], _("Ingen åtgärd i planen har det ID:t."))
                continue
            parsed: dict[str, Any] = {}
            for key, parse in (
                ("followed_up_on", _day),
                ("rating", lambda t: resolver.choice("rating", t)),
                ("level", lambda t: resolver.choice("level", t)),
                ("hours_spent", lambda t: _amount(t, MAX_HOURS)),
                ("cost_spent", lambda t: _amount(t, MAX_COST)),
                ("occasion", _text),
                ("done", _text),
                ("outcome", _text),
                ("reason", _text),
            ):
                if key in values:
                    try:
                        parsed[key] = parse(values[key])
                    except ValueProblem as problem:
                        errors.add(row.line, mapping[key], str(problem))
            if not parsed.get("rating") or not parsed.get("followed_up_on"):
                if "rating" in parsed and "followed_up_on" in parsed:
                    errors.add(row.line, "", _("Datum och bedömning måste vara ifyllda."))
                continue
            followup = None
            id_text = values.get("id", "")
            if id_text:
                number = _parse_id(id_text)
                followup = stored.get(number) if number is not None else None
                if followup is None or followup.action_id != action.pk:
                    errors.add(
                        row.line,
                        mapping["id"],
                        _("ID ”%(value)s” är ingen uppföljning av åtgärden.") % {"value": id_text[:20]},
                    )
                    continue
                if followup.followed_up_on != parsed["followed_up_on"]:
                    errors.add(
                        row.line,
                        mapping["followed_up_on"],
                        _("En uppföljnings datum kan inte ändras genom import."),
                    )
                    continue
                if all(_same(k, getattr(followup, k), v) for k, v in parsed.items()):
                    result.followups_unchanged += 1
                    continue
            changes.append((row.line, action, followup, parsed))
    return changes, errors


def _write_followups(
    changes: list[tuple[int, Action, FollowUp | None, dict[str, Any]]], user: Any, result: ImportResult
) -> None:
    from samverkan.actions.services.followup import followup_record

    # Oldest first, so each follow-up's "changed colour" is judged against the one before it.
    for line, action, followup, values in sorted(changes, key=lambda c: (c[1].pk, c[3]["followed_up_on"])):
        arguments = {k: v for k, v in values.items() if v is not None}
        for text in ("done", "outcome", "reason", "occasion"):
            arguments.setdefault(text, "")
        _keep_roles(arguments, followup)
        try:
            followup_record(
                action=action,
                acting_user=user,
                version=followup.version if followup is not None else None,
                **arguments,
            )
        except ValidationError as error:
            raise _RowFailed(_row_error(_("Uppföljningar"), line, error)) from None
        except EditConflict:
            raise _RowFailed(
                RowError(line, "", _("Någon ändrade uppföljningen under importen. Försök igen."))
            ) from None
        if followup is None:
            result.followups_created += 1
        else:
            result.followups_updated += 1
