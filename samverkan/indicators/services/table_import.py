"""Import of statistics tables (Brå, NTU, SCB population, the kommun's own series, crime statistics).

One entry point, ``import_table``, for the command and the upload page. A file is read row by row into a
plan; any row error (up to ``MAX_ERRORS`` are collected) raises ``TableImportError`` and the transaction
leaves nothing behind. Counts are per data line: imported + updated + unchanged + skipped == lines.
The shared machinery is in ``table_runs``, the formats in ``table_formats`` and ``crime_statistics``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.indicators.limits import ImportFileError
from samverkan.indicators.models import ImportRun
from samverkan.indicators.services.police_events import DuplicateImportError
from samverkan.indicators.services.table_formats import handlers
from samverkan.indicators.services.table_runs import (
    ImportContext,
    Places,
    check_not_duplicate,
    finish_run,
    start_run,
)
from samverkan.indicators.tables import (
    FORMATS,
    RowError,
    TableFormat,
    TableImportError,
    TableSource,
    hash_source,
    read_table,
    suggest_mapping,
)

__all__ = ["DuplicateImportError", "ImportFileError", "TableImportError", "import_table"]


# --- the entry point ---------------------------------------------------------------------------------


def resolve_mapping(format_: TableFormat, columns: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """The mapping without blanks, checked against the format's fields and the file's header."""
    cleaned = {key: column.strip() for key, column in mapping.items() if column and column.strip()}
    errors: list[RowError] = []
    known = {f.key for f in format_.fields}
    for key in sorted(set(cleaned) - known):
        errors.append(RowError(1, key, _("Formatet har inget fält ”%(key)s”.") % {"key": key}))
    found = ", ".join(f"”{c}”" for c in columns if c) or _("(inga)")
    unmapped = [f.label for f in format_.fields if f.required and f.key not in cleaned]
    if unmapped:
        errors.append(
            RowError(
                1,
                "",
                _("Ingen kolumn vald för: %(fields)s. Filen har kolumnerna: %(found)s.")
                % {"fields": ", ".join(f"”{u}”" for u in unmapped), "found": found},
            )
        )
    missing = sorted({column for column in cleaned.values() if column not in columns})
    if missing:
        errors.append(
            RowError(
                1,
                "",
                _("Kolumnerna %(missing)s finns inte i filen. Filen har kolumnerna: %(found)s.")
                % {"missing": ", ".join(f"”{c}”" for c in missing), "found": found},
            )
        )
    if errors:
        raise TableImportError(errors)
    return {key: column for key, column in cleaned.items() if key in known}


def _clean_options(format_: TableFormat, options: dict[str, str]) -> dict[str, str]:
    cleaned = {key: str(value).strip() for key, value in options.items() if str(value).strip()}
    known = {o.key for o in format_.options}
    errors = [
        RowError(0, key, _("Okänd inställning ”%(key)s”.") % {"key": key})
        for key in sorted(set(cleaned) - known)
    ]
    errors += [
        RowError(0, o.key, _("Inställningen ”%(label)s” måste anges.") % {"label": o.label})
        for o in format_.options
        if o.required and o.key not in cleaned
    ]
    if errors:
        raise TableImportError(errors)
    return cleaned


def import_table(
    *,
    data: TableSource,
    file_name: str,
    format_key: str,
    mapping: dict[str, str] | None = None,
    options: dict[str, str] | None = None,
    user: Any = None,
    allowed_kommuner: set[str] | None = None,
    force: bool = False,
) -> ImportRun:
    """Import a statistics table in one of ``FORMATS``; all or nothing (``TableImportError`` lists why).

    ``data`` is the file's bytes, its path or a binary file object; it is read as a stream, within the
    limits of ``limits`` (``ImportFileError`` past them, with nothing written).
    """
    format_ = FORMATS.get(format_key)
    if format_ is None:
        raise ImportFileError(_("Okänt tabellformat: %(key)s") % {"key": format_key})
    sha256 = hash_source(data)
    check_not_duplicate(kind=format_.kind, sha256=sha256, force=force)
    with read_table(data, file_name) as table:
        chosen = resolve_mapping(
            format_, table.columns, suggest_mapping(format_, table.columns) if mapping is None else mapping
        )
        cleaned_options = _clean_options(format_, options or {})
        with transaction.atomic():
            run = start_run(
                kind=format_.kind,
                file_name=file_name,
                sha256=sha256,
                user=user,
                options={"format": format_key, "mapping": chosen, "options": cleaned_options},
            )
            context = ImportContext(
                run=run, table=table, mapping=chosen, options=cleaned_options, places=Places(allowed_kommuner)
            )
            handlers()[format_key](context)
            return finish_run(run, context.result(), user)
