"""Demo statistics: real open data for the demo kommuner, plus a few invented municipal series.

Real data comes from the shared reference folder (``settings.SAMVERKAN_SHARED_DATA``, else ``../shared/data``
next to the checkout) when it is there:

- the police's published events for the demo kommuner and their neighbours (the archive's subset file);
- SCB population per kommun (2024) and per DeSO in Dalarna;
- Brå reported crime and NTU safety estimates for Dalarna's kommuner (Älvdalen and Mora among them);
- the police's registered crimes per DeSO and month for Älvdalen and Mora, with DeSO boundaries and the
  crime-code key that maps codes to the lägesbild areas.

Without the folder the demo still runs; it says what it skipped. The municipal series (cost of vandalism and
of graffiti removal) are invented figures of plausible size, marked as demo data in their description.
Every import goes through the same services as an upload, so the demo also shows their import reports.
Re-running skips files already imported (same SHA-256).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.text import slugify

from samverkan.indicators.models import Indicator, Target
from samverkan.indicators.services.police_events import DuplicateImportError, import_police_events

logger = logging.getLogger(__name__)

# Dalarna's two kommuner in the demo's police area (LPO Mora): their DeSO crime statistics are imported.
DEMO_CRIME_KOMMUNER = ("2039", "2062")

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


def shared_data_dir() -> Path | None:
    """The shared reference data folder, if this machine has it: ``SAMVERKAN_SHARED_DATA`` when set (taken
    as it is), else ../shared/data next to the checkout or the working directory."""
    if settings.SAMVERKAN_SHARED_DATA:
        return Path(settings.SAMVERKAN_SHARED_DATA)
    candidates = []
    repo_root = Path(__file__).resolve().parents[2]  # the checkout (samverkan/indicators/demo.py)
    candidates += [repo_root.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"]
    for path in candidates:
        if (path / "SOURCES.md").is_file():
            return path
    return None


def _once(label: str, run: Callable[[], Any], notes: list[str]) -> None:
    """Run one import; an identical file imported before is skipped, not an error."""
    try:
        run()
        notes.append(label)
    except DuplicateImportError:
        notes.append(f"{label} (redan importerad)")


def _rows_for_kommuner(path: Path, column: str, kommuner: tuple[str, ...]) -> bytes:
    """The CSV file's header and the rows of ``kommuner`` (the demo needs two of Dalarna's fifteen)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        index = header.index(column)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(row for row in reader if row[index] in kommuner)
    return out.getvalue().encode()


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
    from samverkan.indicators.services.deso import import_deso_areas
    from samverkan.indicators.services.table_import import import_table

    notes: list[str] = []
    data = shared_data_dir()
    if data is not None:
        events = data / "police_events" / "polisen_events_target_municipalities.jsonl"
        _once(
            "Polisens händelser för demokommunerna och grannarna",
            lambda: import_police_events(events, file_name=events.name, acting_user=admin),
            notes,
        )

        def table(format_key: str, path: Path, body: bytes | None = None, **options: str) -> None:
            _once(
                f"{path.name}",
                lambda: import_table(
                    data=body if body is not None else path.read_bytes(),
                    file_name=path.name,
                    format_key=format_key,
                    options=options or None,
                    user=admin,
                ),
                notes,
            )

        table("population", data / "municipalities" / "population_scb_2024.csv", year="2024")
        deso = data / "geo" / "deso_dalarna_2025.geojson"
        _once(
            deso.name,
            lambda: import_deso_areas(data=deso.read_bytes(), file_name=deso.name, user=admin),
            notes,
        )
        crime_dir = data / "polisen_brottsstatistik_dalarna"
        table("deso_population", crime_dir / "befolkning_deso_dalarna_2022-2025.csv")
        table("crime_codes", crime_dir / "brottskod_kategorinyckel.csv")
        crimes = crime_dir / "polisen_brott_dalarna_deso_manad_2022-2025.csv"
        table("crime_statistics", crimes, _rows_for_kommuner(crimes, "kommunkod", DEMO_CRIME_KOMMUNER))
        table("bra", data / "bra_ntu" / "bra_anmalda_brott_dalarna_kommuner_2017-2024.csv")
        table("ntu", data / "bra_ntu" / "ntu_trygghet_dalarna_kommuner_2016-2025.csv")
    else:
        notes.append("Delade referensdata saknas: polisens händelser, Brå, NTU och DeSO hoppas över.")

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
    _demo_targets()
    return notes


def _demo_targets() -> None:
    """Two targets so the charts show a target line (the action plan will set these later)."""
    from samverkan.core.models import Collaboration, Kommun

    wanted = [
        ("kommun.kommunens-kostnad-for-skadegorelse", "2039", Decimal(250_000), "Älvdalen"),
        ("polisen.handelser.ordning", "2418", Decimal(1), "Malå"),
    ]
    for code, kommun_code, value, collaboration_word in wanted:
        indicator = Indicator.objects.filter(code=code).first()
        kommun = Kommun.objects.filter(pk=kommun_code).first()
        collaboration = Collaboration.objects.filter(name__icontains=collaboration_word).first()
        if indicator is None or kommun is None or collaboration is None:
            continue
        Target.objects.get_or_create(
            indicator=indicator,
            kommun=kommun,
            collaboration=collaboration,
            defaults={"value": value, "label": "Mål i handlingsplanen (demo)"},
        )
