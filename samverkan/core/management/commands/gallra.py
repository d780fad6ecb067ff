from __future__ import annotations

from django.core.management.base import BaseCommand

from samverkan.core.retention import retention_purge, retention_report


class Command(BaseCommand):
    help = (
        "Gallring: list what each retention rule would remove now (default), or remove it with --execute "
        "(one transaction; one audit entry per rule and collaboration). Years: SAMVERKAN_RETENTION."
    )

    def add_arguments(self, parser):
        parser.add_argument("--execute", action="store_true", help="remove what is due (otherwise a dry run)")

    def handle(self, *args, execute: bool = False, **options):
        rows = retention_purge() if execute else retention_report()
        verb = "gallrat" if execute else "skulle gallras"
        for row in rows:
            what = "raderas" if row.rule.action == "delete" else "töms på fritext"
            oldest = f", äldsta {row.oldest:%Y-%m-%d}" if row.oldest else ""
            self.stdout.write(
                f"{row.rule.key}: {row.count} {verb} ({row.rule.label}, {what} efter {row.years} år, "
                f"före {row.cutoff:%Y-%m-%d}{oldest})"
            )
        if not execute:
            self.stdout.write("Torrkörning: inget ändrades. Kör med --execute för att gallra.")
