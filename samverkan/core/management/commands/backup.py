from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samverkan.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database (SQLite online backup; PostgreSQL pg_dump) with a "
        "SHA-256 beside it, and keep the newest --keep backups (default SAMVERKAN_BACKUP_KEEP, 14)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="write to this file instead of the backup folder")
        parser.add_argument("--keep", type=int, help="how many backups to keep in the folder (0: keep all)")

    def handle(self, *args, output=None, keep=None, **options):
        try:
            backup = backup_create(destination=output, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{backup.path} ({backup.size} byte, sha256 {backup.sha256})")
