"""``samverkan import_deso_areas FILE [--user EMAIL] [--force]``: DeSO boundaries from GeoJSON."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samverkan.indicators.management.commands.import_statistics import (
    errors_text,
    user_by_email,
    write_report,
)
from samverkan.indicators.services.deso import import_deso_areas
from samverkan.indicators.services.table_import import DuplicateImportError, ImportFileError, TableImportError


class Command(BaseCommand):
    help = _("Importera DeSO-områden med gränser från en GeoJSON-fil (egenskaperna desokod och kommunkod).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("GeoJSON-filen."))
        parser.add_argument("--user", help=_("E-postadress till den som importerar (för spårbarheten)."))
        parser.add_argument(
            "--force", action="store_true", help=_("Importera även om samma fil redan importerats.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["user"])
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Filen kunde inte öppnas: %(error)s") % {"error": exc.strerror}) from exc
        started = time.perf_counter()
        try:
            run = import_deso_areas(data=data, file_name=path.name, user=user, force=options["force"])
        except DuplicateImportError as exc:
            self.stdout.write(str(exc))
            return
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        except TableImportError as exc:
            raise CommandError(errors_text(exc)) from exc
        write_report(self.stdout.write, run, time.perf_counter() - started)
