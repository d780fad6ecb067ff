"""Demo statistics: real open data for the demo kommuner, plus a few invented municipal series.

The real data is shipped with the code (``indicators/data/demo``, made by ``samverkan vendor_demo_data``
from the shared reference folder; its SOURCES.md names each file's origin and licence), so every machine
gets the same demo without that folder:

- the police's published events for the demo kommuner and their neighbours;
- SCB population per kommun (2024) and per DeSO in Älvdalen and Mora;
- Brå reported crime and NTU safety estimates for Dalarna's kommuner (Älvdalen and Mora among them);
- the police's registered crimes per DeSO and month for Älvdalen and Mora, with their DeSO boundaries and
  the crime-code key that maps codes to the lägesbild areas.

The municipal series (cost of vandalism and of graffiti removal) are invented figures of plausible size,
marked as demo data in their description. Every import goes through the same services as an upload, so
the demo also shows their import reports. Re-running skips files already imported (same SHA-256).
"""

from __future__ import annotations

import csv
import functools
import io
import logging
from collections.abc import Callable
from typing import Any

from django.utils.text import slugify

from samverkan.indicators.demo_data import DEMO_FILES, DemoFile
from samverkan.indicators.services.police_events import DuplicateImportError, import_police_events

logger = logging.getLogger(__name__)

# Invented yearly costs (kronor) of vandalism and graffiti removal, 2019–2025, per kommun.
DEMO_SERIES: tuple[tuple[str, str, str, dict[str, tuple[int, ...]]], ...] = (
    (
        "Kommunens kostnad för skadegörelse",
        "ordning",
        "lower",
        {
            "2418": (212_000, 198_500, 241_000, 265_400, 230_100, 251_800, 219_900),
            "2039": (305_000, 288_200, 330_700, 361_000, 342_500, 298_400, 276_300),
            "2560": (402_300, 415_800, 398_000, 447_900, 468_200, 431_000, 405_600),
        },
    ),
    (
        "Kommunens kostnad för klottersanering",
        "ordning",
        "lower",
        {
            "2418": (48_000, 51_200, 39_900, 44_100, 57_800, 52_300, 46_000),
            "2039": (61_500, 58_000, 66_400, 72_900, 69_300, 63_100, 55_800),
        },
    ),
)
SERIES_FIRST_YEAR = 2019


def _once(label: str, run: Callable[[], Any], notes: list[str]) -> None:
    """Run one import; an identical file imported before is skipped, not an error."""
    try:
        run()
        notes.append(label)
    except DuplicateImportError:
        notes.append(f"{label} (redan importerad)")


def _import_shipped(demo_file: DemoFile, admin: Any) -> Any:
    """One shipped file through the import service an upload of it would use."""
    from samverkan.indicators.services.deso import import_deso_areas
    from samverkan.indicators.services.table_import import import_table

    if demo_file.kind == "police_events":
        return import_police_events(demo_file.path, file_name=demo_file.import_name, acting_user=admin)
    if demo_file.kind == "deso_areas":
        return import_deso_areas(data=demo_file.read(), file_name=demo_file.import_name, user=admin)
    return import_table(
        data=demo_file.read(),
        file_name=demo_file.import_name,
        format_key=demo_file.kind,
        options=demo_file.options or None,
        user=admin,
    )


def _series_csv(values: dict[str, tuple[int, ...]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["kommun", "period", "varde"])
    for kommun, figures in values.items():
        for offset, figure in enumerate(figures):
            writer.writerow([kommun, SERIES_FIRST_YEAR + offset, figure])
    return out.getvalue().encode()


def load_demo_statistics(admin: Any = None) -> list[str]:
    """Import the demo statistics; returns one line per step for the demo's printout."""
    from samverkan.indicators.services.table_import import import_table

    notes: list[str] = []
    for demo_file in DEMO_FILES:
        _once(demo_file.import_name, functools.partial(_import_shipped, demo_file, admin), notes)

    for name, area, better, values in DEMO_SERIES:

        def series(name: str = name, area: str = area, better: str = better, values: Any = values) -> Any:
            return import_table(
                data=_series_csv(values),
                file_name=f"demo-{slugify(name)}.csv",
                format_key="series",
                options={
                    "indicator_name": name,
                    "unit": "kr",
                    "area_code": area,
                    "better": better,
                    "description": "Påhittade siffror för demon.",
                },
                user=admin,
            )

        _once(name, series, notes)
    return notes
