"""Make the demo's shipped open data again from the shared reference folder.

    samverkan vendor_demo_data [SRC]

SRC defaults to ``SAMVERKAN_SHARED_DATA``, else ../shared/data. Writes the gzip subsets and SOURCES.md in
``samverkan/indicators/data/demo`` (``--output`` elsewhere); what is cut and why is in
``samverkan.indicators.demo_data``. Then ``indicators/shipped_text.py``, which marks the tables' indicator
names for translation (``samverkan.indicators.shipped_catalogue``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from samverkan.indicators.demo_data import DEMO_DATA_DIR, vendor
from samverkan.indicators.shared_data import SharedDataMissing, shared_data_dir
from samverkan.indicators.shipped_catalogue import write_shipped_text_module


class Command(BaseCommand):
    help = "Cut the demo's open data (gzip subsets and SOURCES.md) out of the shared reference folder."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", nargs="?", help="the shared folder (default: SAMVERKAN_SHARED_DATA)")
        parser.add_argument("--output", default=str(DEMO_DATA_DIR))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["source"]:
            source: Path | None = Path(options["source"])
        else:
            try:
                source = shared_data_dir()
            except SharedDataMissing as exc:
                raise CommandError(str(exc)) from None
        if source is None:
            raise CommandError("Ingen delad referensmapp: ange SRC eller SAMVERKAN_SHARED_DATA.")
        try:
            done = vendor(source, Path(options["output"]))
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Kan inte läsa {source}: {exc}") from None
        for item in done:
            self.stdout.write(f"{item.file.name}: {item.rows} rader, {item.size // 1024} kB")
        total = sum(item.size for item in done)
        self.stdout.write(f"Totalt {total // 1024} kB → {options['output']}")
        if Path(options["output"]).resolve() == DEMO_DATA_DIR:
            # The tables' names are shipped texts: mark them again for the English catalogue.
            self.stdout.write(f"Skrev {write_shipped_text_module()}")
