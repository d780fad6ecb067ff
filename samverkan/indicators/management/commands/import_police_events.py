"""``samverkan import_police_events FILE [--user EMAIL]``: the police's open events from a file."""

from __future__ import annotations

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from samverkan.indicators.models import ImportRun
from samverkan.indicators.services import DuplicateImportError, ImportFileError, import_police_events

LISTED = 20


class Command(BaseCommand):
    help = _(
        "Importera polisens händelser från en fil: JSON-lista eller JSON Lines, okomprimerad eller gzip. "
        "Samma händelse (id) två gånger skapar inga dubbletter; en ändrad version ersätter den gamla."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Filen att importera."))
        parser.add_argument("--user", help=_("E-postadress till den som importerar (för spårbarheten)."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Läs filen igen även om samma fil redan har importerats."),
        )

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(
                    _("Det finns ingen användare med e-postadressen %(email)s.") % {"email": options["user"]}
                )
        path = Path(options["file"])
        started = time.perf_counter()
        try:
            run = import_police_events(
                path, file_name=path.name, acting_user=user, allow_duplicate=options["force"]
            )
        except DuplicateImportError as exc:
            self.stdout.write(str(exc))
            return
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self.report(run, time.perf_counter() - started)

    def report(self, run: ImportRun, seconds: float) -> None:
        counts = run.counts
        write = self.stdout.write
        write(_("Import av %(file)s klar.") % {"file": run.file_name})
        write(_("  Poster i filen:   %(n)d") % {"n": counts["lines"]})
        write(_("  Nya:              %(n)d") % {"n": counts["imported"]})
        write(_("  Uppdaterade:      %(n)d") % {"n": counts["updated"]})
        write(_("  Oförändrade:      %(n)d") % {"n": counts["unchanged"]})
        if counts.get("older_versions"):
            write(
                _("    varav äldre versioner som inte ersatte nyare: %(n)d") % {"n": counts["older_versions"]}
            )
        write(_("  Hoppade över:     %(n)d") % {"n": counts["skipped"]})
        write(_("  Flaggade (okänd plats, importerade ändå): %(n)d") % {"n": counts["flagged"]})
        if counts["skipped"]:
            write(_("Orsaker till att poster hoppades över:"))
            for reason, n in counts["skipped_reasons"].items():
                write(f"  {n:>7}  {reason}")
            write(_("De första överhoppade posterna:"))
            for row in counts["skipped_rows"][:LISTED]:
                write(_("  rad %(line)d: %(reason)s") % row)
        if counts["flagged"]:
            write(_("De första flaggade händelserna:"))
            for row in counts["flagged_rows"][:LISTED]:
                write(_("  rad %(line)d: id %(id)s, plats ”%(location)s”") % row)
        rate = counts["lines"] / seconds if seconds > 0 else 0.0
        write(
            _("Tid: %(seconds).2f s (%(rate)s händelser/s).")
            % {"seconds": seconds, "rate": f"{rate:,.0f}".replace(",", " ")}
        )
