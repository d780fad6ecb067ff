"""``samverkan import_statistics FORMAT FILE [--map field=column] [--option key=value] [--user EMAIL] [--force]``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samverkan.indicators.models import ImportRun
from samverkan.indicators.services.table_import import (
    DuplicateImportError,
    ImportFileError,
    TableImportError,
    import_table,
)
from samverkan.indicators.tables import FORMATS

LISTED = 20


def user_by_email(email: str | None) -> Any:
    if not email:
        return None
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        raise CommandError(_("Det finns ingen användare med e-postadressen %(email)s.") % {"email": email})
    return user


def pairs(values: list[str], what: str) -> dict[str, str]:
    """["a=b", …] → {"a": "b"}; a value without "=" is an error naming ``what``."""
    result: dict[str, str] = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip():
            raise CommandError(
                _("%(what)s ska skrivas som nyckel=värde: %(value)s") % {"what": what, "value": value}
            )
        result[key.strip()] = rest.strip()
    return result


def write_report(write: Any, run: ImportRun, seconds: float) -> None:
    counts = run.counts
    write(_("Import av %(file)s klar.") % {"file": run.file_name})
    write(_("  Rader i filen:    %(n)d") % {"n": counts["lines"]})
    write(_("  Nya:              %(n)d") % {"n": counts["imported"]})
    write(_("  Uppdaterade:      %(n)d") % {"n": counts["updated"]})
    write(_("  Oförändrade:      %(n)d") % {"n": counts["unchanged"]})
    write(_("  Hoppade över:     %(n)d") % {"n": counts["skipped"]})
    write(_("  Flaggade (importerade ändå): %(n)d") % {"n": counts["flagged"]})
    if counts.get("removed"):
        write(_("  Borttagna rader som filen inte längre har: %(n)d") % {"n": counts["removed"]})
    if counts.get("new_deso"):
        write(_("  Nya DeSO-områden utan gräns: %(n)d") % {"n": counts["new_deso"]})
    if counts["skipped"]:
        write(_("Orsaker till att rader hoppades över:"))
        for reason, n in counts["skipped_reasons"].items():
            write(f"  {n:>7}  {reason}")
        write(_("De första överhoppade raderna:"))
        for row in counts["skipped_rows"][:LISTED]:
            write(_("  rad %(line)d: %(reason)s") % row)
    if counts["flagged"]:
        write(_("De första flaggade raderna:"))
        for row in counts["flagged_rows"][:LISTED]:
            write(_("  rad %(line)d: %(reason)s") % row)
    write(_("Tid: %(seconds).2f s.") % {"seconds": seconds})


def errors_text(exc: TableImportError) -> str:
    lines = [str(exc)] + [f"  {error}" for error in exc.errors[:LISTED]]
    if len(exc.errors) > LISTED:
        lines.append(_("  … och %(n)d fel till.") % {"n": len(exc.errors) - LISTED})
    lines.append(_("Ingenting har importerats."))
    return "\n".join(lines)


class Command(BaseCommand):
    help = _(
        "Importera en statistiktabell (CSV eller XLSX): Brå, NTU, SCB:s folkmängd, kommunens egen serie, "
        "brottskodsnyckeln eller polisens registrerade brott. Allt eller inget: vid fel importeras ingenting."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=sorted(FORMATS), help=_("Tabellens format."))
        parser.add_argument("file", help=_("Filen att importera."))
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FÄLT=KOLUMN",
            help=_("Koppla ett fält till en kolumn."),
        )
        parser.add_argument(
            "--option",
            action="append",
            default=[],
            metavar="NYCKEL=VÄRDE",
            help=_("En inställning, t.ex. year=2024."),
        )
        parser.add_argument("--user", help=_("E-postadress till den som importerar (för spårbarheten)."))
        parser.add_argument(
            "--force", action="store_true", help=_("Importera även om samma fil redan importerats.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        path = Path(options["file"])
        mapping = pairs(options["map"], "--map") or None
        started = time.perf_counter()
        try:
            # The file is read as a stream within the upload limits (a refusal is an ImportFileError).
            run = import_table(
                data=path,
                file_name=path.name,
                format_key=options["format"],
                mapping=mapping,
                options=pairs(options["option"], "--option"),
                user=user,
                force=options["force"],
            )
        except DuplicateImportError as exc:
            self.stdout.write(str(exc))
            return
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        except TableImportError as exc:
            raise CommandError(errors_text(exc)) from exc
        write_report(self.stdout.write, run, time.perf_counter() - started)
