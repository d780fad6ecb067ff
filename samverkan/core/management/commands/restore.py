from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samverkan.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database's content with a backup made by `samverkan backup` (checksum checked first)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path: Path, yes: bool = False, **options):
        if not yes:
            answer = input(f"Allt innehåll i databasen ersätts med {path}. Skriv 'ja' för att fortsätta: ")
            if answer.strip().lower() != "ja":
                raise CommandError("Avbrutet; inget ändrades.")
        try:
            backup_restore(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Återställd från {path}.")
