"""The open data the demo ships: small gzip subsets of the shared reference folder, and how they are made.

``samverkan/indicators/data/demo/`` holds, for the demo kommuner and their neighbours, the police's
published events, SCB population, Brå and NTU for Dalarna, and Älvdalen's and Mora's DeSO areas, DeSO
population and registered crimes, with the crime-code key. ``samverkan vendor_demo_data [SRC]`` makes them
again from the shared folder (``../shared/data``, described in its SOURCES.md) and writes the folder's
SOURCES.md with each file's origin, licence, derivation and row count. The demo (``indicators.demo``)
reads only these files, so ``make demo`` shows the same on every machine.

No database here: the vendoring is plain file work, tested on its own.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DEMO_DATA_DIR = Path(__file__).resolve().parent / "data" / "demo"

# The kommuner whose police events the demo shows: the demo collaborations' (Malå, Älvsbyn, Älvdalen and
# the network's Norsjö, Sorsele, Arvidsjaur, Arjeplog) and the neighbours in the same police areas that
# the maps and comparisons show next to them (Piteå for Älvsbyn, Mora for Älvdalen).
EVENT_KOMMUNER = {
    "2417": "Norsjö",
    "2418": "Malå",
    "2422": "Sorsele",
    "2505": "Arvidsjaur",
    "2506": "Arjeplog",
    "2560": "Älvsbyn",
    "2581": "Piteå",
    "2039": "Älvdalen",
    "2062": "Mora",
}
# Dalarna's two kommuner in the demo's police area (LPO Mora): their DeSO areas and crimes are shipped.
CRIME_KOMMUNER = ("2039", "2062")

RETRIEVED = "2026-11-21"
_REGION_DALARNA = "`Region-Dalarna/brott`, commit `b4c5b465` (2026-01-21), from the file's git history"
_POLICE_LICENCE = (
    "Polismyndigheten's open data (published under the PSI law, 2010:566); the archiving repository has no "
    "licence file and says 'Data: Derived from Swedish Police Authority public information'."
)
_BRA_LICENCE = (
    "Brå: 'Den statistik som Brå löpande producerar och publicerar får vidareutnyttjas fritt' "
    "(bra.se/om-bra/om-webbplatsen/data-fran-bra.html); the repository has no licence file."
)
_SCB_LICENCE = "SCB open data, CC0 (scb.se/vara-tjanster/oppna-data)."
_REGION_LICENCE = (
    "Public-sector information (police deliveries published by Region Dalarna, Samhällsanalys); the "
    "repository has no licence file."
)


@dataclass(frozen=True)
class DemoFile:
    """One shipped file: where it comes from, how it is cut, and how the demo imports it."""

    name: str  # in DEMO_DATA_DIR, gzip-compressed
    source: str  # path inside the shared folder
    kind: str  # "police_events", "deso_areas" or a table format key (indicators.tables.FORMATS)
    origin: str
    licence: str
    derivation: str
    cut: Callable[[Path], tuple[bytes, int]]  # the source file → (content, rows)
    options: dict[str, str] = field(default_factory=dict)  # import options
    caveat: str = ""

    @property
    def path(self) -> Path:
        return DEMO_DATA_DIR / self.name

    @property
    def import_name(self) -> str:
        """The name the import report shows: the file as the demo reads it, uncompressed."""
        return self.name.removesuffix(".gz")

    def read(self) -> bytes:
        """The file's content, uncompressed."""
        return gzip.decompress(self.path.read_bytes())


def _whole_csv(path: Path) -> tuple[bytes, int]:
    data = path.read_bytes()
    return data, max(0, len(data.decode("utf-8").splitlines()) - 1)


def _csv_rows(column: str, values: tuple[str, ...]) -> Callable[[Path], tuple[bytes, int]]:
    """The header and the rows whose ``column`` is one of ``values``."""

    def cut(path: Path) -> tuple[bytes, int]:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            index = header.index(column)
            rows = [row for row in reader if row[index] in values]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue().encode(), len(rows)

    return cut


def _deso_features(path: Path) -> tuple[bytes, int]:
    collection = json.loads(path.read_text(encoding="utf-8"))
    features = [f for f in collection["features"] if f["properties"]["kommunkod"] in CRIME_KOMMUNER]
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    return text.encode(), len(features)


def event_kommun(record: dict[str, object]) -> str | None:
    """The demo kommun an archived event belongs to: its location, or the title's last part (the police
    gave only the county as location from January 2026 and name the kommun at the end of the title)."""
    names = {name.casefold(): code for code, name in EVENT_KOMMUNER.items()}
    location = record.get("location")
    place = location.get("name", "") if isinstance(location, dict) else ""
    title = str(record.get("name", ""))
    for candidate in (str(place), title.rsplit(",", 1)[-1]):
        code = names.get(candidate.strip().casefold())
        if code:
            return code
    return None


def _events(path: Path) -> tuple[bytes, int]:
    """The archive's lines (kept verbatim, in the archive's order) of the demo kommuner's events."""
    kept: list[bytes] = []
    with gzip.open(path, "rb") as handle:
        for line in handle:
            if line.strip() and event_kommun(json.loads(line)) is not None:
                kept.append(line.rstrip(b"\r\n") + b"\n")
    return b"".join(kept), len(kept)


_CRIME_DIR = "polisen_brottsstatistik_dalarna"
DEMO_FILES: tuple[DemoFile, ...] = (
    DemoFile(
        name="polisen_handelser_demokommuner_2022-2026.jsonl.gz",
        source="police_events/polisen_events_2022-09_to_2026-08.jsonl.gz",
        kind="police_events",
        origin=(
            "`dnouri/polisen-se-events-history` (`events.json` over its git history, a 30-minute scrape of "
            "https://polisen.se/api/events), replayed and de-duplicated by id (last-seen version kept)"
        ),
        licence=_POLICE_LICENCE,
        derivation=(
            "the archive's lines whose `location.name`, or the title's part after its last comma, is one of "
            + ", ".join(f"{name} ({code})" for code, name in EVENT_KOMMUNER.items())
            + "; lines verbatim, in the archive's order"
        ),
        cut=_events,
        caveat=(
            "the police's exact re-use terms for the events API were not verified when the shared folder was "
            "assembled; check them before redistributing the data outside this project's demo."
        ),
    ),
    DemoFile(
        name="scb_folkmangd_kommuner_2024.csv.gz",
        source="municipalities/population_scb_2024.csv",
        kind="population",
        origin="`dnouri/crimecity3k` `data/municipalities/population.csv` (SCB FolkmangdNov 2024)",
        licence=_SCB_LICENCE,
        derivation="the whole file (all 290 kommuner)",
        cut=_whole_csv,
        options={"year": "2024"},
    ),
    DemoFile(
        name="deso_alvdalen_mora_2025.geojson.gz",
        source="geo/deso_dalarna_2025.geojson",
        kind="deso_areas",
        origin=f"{_REGION_DALARNA}, `app/data/deso_sf.rds` converted to GeoJSON (WGS84, 6 decimals)",
        licence="SCB's DeSO boundaries (DeSO 2025_v1), CC0.",
        derivation="the features whose `kommunkod` is 2039 (Älvdalen) or 2062 (Mora)",
        cut=_deso_features,
    ),
    DemoFile(
        name="befolkning_deso_alvdalen_mora_2022-2025.csv.gz",
        source=f"{_CRIME_DIR}/befolkning_deso_dalarna_2022-2025.csv",
        kind="deso_population",
        origin=f"{_REGION_DALARNA}, `app/data/bef_deso.rds` (SCB population per DeSO; 2025 may be imputed)",
        licence=_SCB_LICENCE,
        derivation="the rows whose `kommunkod` is 2039 or 2062",
        cut=_csv_rows("kommunkod", CRIME_KOMMUNER),
    ),
    DemoFile(
        name="brottskod_kategorinyckel.csv.gz",
        source=f"{_CRIME_DIR}/brottskod_kategorinyckel.csv",
        kind="crime_codes",
        origin=f"{_REGION_DALARNA}, `app/data/brott_niva_nyckel.rds` pivoted to one row per crime code",
        licence=_REGION_LICENCE,
        derivation="the whole file (every crime code with its levels and question area)",
        cut=_whole_csv,
    ),
    DemoFile(
        name="polisen_brott_deso_alvdalen_mora_2022-2025.csv.gz",
        source=f"{_CRIME_DIR}/polisen_brott_dalarna_deso_manad_2022-2025.csv",
        kind="crime_statistics",
        origin=(
            f"{_REGION_DALARNA}, `app/data/brott_polisen.rds` (the police's deliveries per kommun and year), "
            "summed to months; sensitive crime codes have no DeSO (aggregated per kommun)"
        ),
        licence=_REGION_LICENCE,
        derivation="the rows whose `kommunkod` is 2039 or 2062",
        cut=_csv_rows("kommunkod", CRIME_KOMMUNER),
        caveat=(
            "registrations include non-crimes such as wildlife accidents, so totals exceed Brå's reported "
            "crime; verify the terms before redistributing the data outside this project's demo."
        ),
    ),
    DemoFile(
        name="bra_anmalda_brott_dalarna_2017-2024.csv.gz",
        source="bra_ntu/bra_anmalda_brott_dalarna_kommuner_2017-2024.csv",
        kind="bra",
        origin=f"{_REGION_DALARNA}, `app/data/bra_kommunindikatorer.rds` (scraped from Brå's kommun workbooks)",
        licence=_BRA_LICENCE,
        derivation="the whole file (Dalarna's 15 kommuner, Dalarnas län and Hela landet)",
        cut=_whole_csv,
    ),
    DemoFile(
        name="ntu_trygghet_dalarna_2016-2025.csv.gz",
        source="bra_ntu/ntu_trygghet_dalarna_kommuner_2016-2025.csv",
        kind="ntu",
        origin=f"{_REGION_DALARNA}, `app/data/bra_kommunindikatorer.rds` (Brå's NTU small-area estimates)",
        licence=_BRA_LICENCE,
        derivation="the whole file (Dalarna's 15 kommuner, Dalarnas län and Hela landet)",
        cut=_whole_csv,
    ),
)


@dataclass(frozen=True)
class Vendored:
    file: DemoFile
    rows: int
    size: int  # bytes, compressed


def vendor(source: Path, output: Path = DEMO_DATA_DIR) -> list[Vendored]:
    """Cut every ``DEMO_FILES`` entry out of the shared folder ``source`` into ``output`` (gzip, no time
    stamp, so the same source gives the same bytes) and write ``output/SOURCES.md``."""
    missing = [f.source for f in DEMO_FILES if not (source / f.source).is_file()]
    if missing:
        raise FileNotFoundError(f"{source} saknar: {', '.join(missing)}")
    output.mkdir(parents=True, exist_ok=True)
    done = []
    for demo_file in DEMO_FILES:
        content, rows = demo_file.cut(source / demo_file.source)
        packed = gzip.compress(content, compresslevel=9, mtime=0)
        (output / demo_file.name).write_bytes(packed)
        done.append(Vendored(demo_file, rows, len(packed)))
    (output / "SOURCES.md").write_text(sources_markdown(done), encoding="utf-8")
    return done


def _unit(demo_file: DemoFile) -> str:
    if demo_file.kind == "police_events":
        return "events"
    if demo_file.kind == "deso_areas":
        return "areas"
    return "rows"


def sources_markdown(done: list[Vendored]) -> str:
    """The folder's SOURCES.md: each file's origin, licence, derivation and size."""
    total = sum(v.size for v in done)
    lines = [
        "# The demo's open data: sources, licences, derivation",
        "",
        "Written by `samverkan vendor_demo_data SRC` (`samverkan/indicators/demo_data.py`) from the shared",
        f"reference folder (retrieved {RETRIEVED}; its SOURCES.md describes every source file in full). All",
        "data is real public data, cut to what the demo shows and gzip-compressed; no value is changed.",
        "`samverkan demo` imports these files through the same import services as an upload (one ImportRun",
        "each), so the demo needs no other data. Do not edit the files by hand: run the command again.",
        "",
        f"Total: {len(done)} files, {total:,} bytes compressed.",
        "",
        "| file | imported as | rows | bytes | source file in the shared folder |",
        "|---|---|---|---|---|",
    ]
    for v in done:
        f = v.file
        lines.append(f"| `{f.name}` | {f.kind} | {v.rows:,} {_unit(f)} | {v.size:,} | `{f.source}` |")
    for v in done:
        f = v.file
        lines += [
            "",
            f"## `{f.name}`",
            "",
            f"- **Origin:** {f.origin}.",
            f"- **Licence:** {f.licence}",
            f"- **Derivation:** {f.derivation}.",
            f"- **Size:** {v.rows:,} {_unit(f)}, {v.size:,} bytes compressed.",
        ]
        if f.caveat:
            lines.append(f"- **Caveat:** {f.caveat}")
    return "\n".join(lines) + "\n"
