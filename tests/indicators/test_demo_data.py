"""The demo's shipped open data: how it is cut from the shared folder, that the shipped files are what the
script makes, that the demo imports them without that folder, and the one-line message for a
SAMVERKAN_SHARED_DATA that names a missing folder."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from samverkan.indicators import bench_scenarios, demo_data, shared_data
from samverkan.indicators.demo_data import DEMO_FILES, vendor

SHARED = Path(
    os.environ.get("SAMVERKAN_SHARED_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data"
)


def _event(event_id: int, location: str, title_place: str) -> str:
    return json.dumps(
        {
            "id": event_id,
            "datetime": "2025-06-01 9:05:00 +02:00",
            "name": f"1 juni 09:05, Stöld, {title_place}",
            "summary": "Stöld.",
            "url": f"/h/{event_id}",
            "type": "Stöld",
            "location": {"name": location, "gps": "65.1,18.7"},
        },
        ensure_ascii=False,
    )


def _fake_shared_folder(root: Path) -> Path:
    """The eight source files with a few rows each, some of which the cut must drop."""
    files = {
        "municipalities/population_scb_2024.csv": "kommun_kod,kommun_namn,population\n2418,Malå,3000\n",
        "bra_ntu/bra_anmalda_brott_dalarna_kommuner_2017-2024.csv": (
            "regionkod,geografi,ar,variabel,enhet,varde\n2039,Älvdalen,2024,Bilbrott,Antal,5.0\n"
        ),
        "bra_ntu/ntu_trygghet_dalarna_kommuner_2016-2025.csv": (
            "regionkod,geografi,ar,variabel,enhet,varde\n2039,Älvdalen,2025,Otrygghet,Andel,11.0\n"
        ),
        "polisen_brottsstatistik_dalarna/befolkning_deso_dalarna_2022-2025.csv": (
            "desokod,kommunkod,kommun,ar,folkmangd\n2039A0010,2039,Älvdalen,2024,900.0\n"
            "2080C1010,2080,Falun,2024,1500.0\n"
        ),
        "polisen_brottsstatistik_dalarna/brottskod_kategorinyckel.csv": "brottskod,brottskod_text\n9316,Stöld\n",
        "polisen_brottsstatistik_dalarna/polisen_brott_dalarna_deso_manad_2022-2025.csv": (
            "lpo,kommunkod,kommun,desokod,regso_namn,inskr_ar,inskr_armanad,brottskod,deso_undertryckt,antal_brott\n"
            "LPO Mora,2062,Mora,2062C1080,Mora,2024,202401,9316,False,2\n"
            'LPO Falun,2080,Falun,2080C1010,"Falun, centrum",2024,202401,9316,False,3\n'
        ),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    features = [
        {"type": "Feature", "properties": {"desokod": code, "kommunkod": code[:4]}, "geometry": None}
        for code in ("2039A0010", "2062C1080", "2080C1010")
    ]
    (root / "geo").mkdir()
    (root / "geo/deso_dalarna_2025.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    (root / "police_events").mkdir()
    events = [
        _event(1, "Malå", "Malå"),  # by location
        _event(2, "Dalarnas län", "Mora"),  # by the title's last part (county-level location)
        _event(3, "Landskrona", "Landskrona"),  # not a demo kommun
        _event(4, "arjeplog", "Arjeplog"),  # the police's casing differs now and then
    ]
    (root / "police_events/polisen_events_2022-09_to_2026-08.jsonl.gz").write_bytes(
        gzip.compress(("\n".join(events) + "\n").encode())
    )
    return root


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_vendor_cuts_the_demo_subsets_and_describes_them(tmp_path):
    source = _fake_shared_folder(tmp_path / "shared")
    out = tmp_path / "out"
    call_command("vendor_demo_data", str(source), output=str(out), stdout=io.StringIO())
    files = {f.name: gzip.decompress((out / f.name).read_bytes()) for f in DEMO_FILES}

    events = [json.loads(line) for line in files[DEMO_FILES[0].name].decode().splitlines()]
    assert [e["id"] for e in events] == [1, 2, 4]
    crimes = _rows(files["polisen_brott_deso_alvdalen_mora_2022-2025.csv.gz"])
    assert [row[1] for row in crimes[1:]] == ["2062"]
    population = _rows(files["befolkning_deso_alvdalen_mora_2022-2025.csv.gz"])
    assert [row[0] for row in population[1:]] == ["2039A0010"]
    areas = json.loads(files["deso_alvdalen_mora_2025.geojson.gz"])
    assert [f["properties"]["desokod"] for f in areas["features"]] == ["2039A0010", "2062C1080"]
    assert files["scb_folkmangd_kommuner_2024.csv.gz"] == (
        (source / "municipalities/population_scb_2024.csv").read_bytes()
    )

    sources = (out / "SOURCES.md").read_text(encoding="utf-8")
    for demo_file in DEMO_FILES:
        assert f"## `{demo_file.name}`" in sources
    assert "| 3 events |" in sources and "| 2 areas |" in sources and "| 1 rows |" in sources
    assert sources.count("**Licence:**") == len(DEMO_FILES)

    # The same source gives the same bytes (no time stamp in the gzip header), so a re-run is no change.
    before = {f.name: (out / f.name).read_bytes() for f in DEMO_FILES}
    vendor(source, out)
    assert {f.name: (out / f.name).read_bytes() for f in DEMO_FILES} == before


def test_vendor_names_the_files_a_source_folder_lacks(tmp_path):
    with pytest.raises(CommandError, match="police_events/"):
        call_command("vendor_demo_data", str(tmp_path), output=str(tmp_path / "out"))


@pytest.mark.skipif(not SHARED.exists(), reason="the shared data folder is missing")
def test_the_shipped_files_are_what_the_script_makes_from_the_shared_folder(tmp_path):
    vendor(SHARED, tmp_path)
    for demo_file in DEMO_FILES:
        made = gzip.decompress((tmp_path / demo_file.name).read_bytes())
        assert demo_file.read() == made, demo_file.name
    # The descriptions and row counts agree; only compressed sizes may differ with another zlib.
    shipped = (demo_data.DEMO_DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    made = (tmp_path / "SOURCES.md").read_text(encoding="utf-8")
    assert _without_sizes(shipped) == _without_sizes(made)


def _without_sizes(sources: str) -> list[str]:
    return [
        line.split("|")[:4] if line.startswith("|") else line
        for line in sources.splitlines()
        if not line.startswith(("Total:", "- **Size:**"))
    ]


def test_the_shipped_data_is_small_and_complete():
    sizes = {f.name: f.path.stat().st_size for f in DEMO_FILES}
    assert sum(sizes.values()) < 2_000_000
    shipped = {p.name for p in demo_data.DEMO_DATA_DIR.iterdir()}
    assert shipped == set(sizes) | {"SOURCES.md"}


def test_a_shared_folder_that_does_not_exist_is_named_in_one_line(settings, tmp_path):
    missing = tmp_path / "finns-inte"
    settings.SAMVERKAN_SHARED_DATA = str(missing)
    message = f"SAMVERKAN_SHARED_DATA pekar på en mapp som inte finns: {missing}"
    with pytest.raises(shared_data.SharedDataMissing) as caught:
        shared_data.shared_data_dir()
    assert str(caught.value) == message
    with pytest.raises(CommandError) as command:
        call_command("vendor_demo_data", output=str(tmp_path / "out"))
    assert str(command.value) == message


@pytest.mark.slow
def test_the_command_line_gets_one_line_and_a_failing_exit_code(tmp_path):
    missing = tmp_path / "finns-inte"
    env = {**os.environ, "SAMVERKAN_SHARED_DATA": str(missing), "SAMVERKAN_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "samverkan", "vendor_demo_data", "--output", str(tmp_path / "out")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"CommandError: SAMVERKAN_SHARED_DATA pekar på en mapp som inte finns: {missing}"
    ]


@pytest.mark.django_db
def test_the_bench_skips_the_archive_with_the_same_message(settings, tmp_path, capsys):
    missing = tmp_path / "finns-inte"
    settings.SAMVERKAN_SHARED_DATA = str(missing)
    response = bench_scenarios.import_archive(types.SimpleNamespace(extra={}))
    body = json.loads(response.content)
    assert body["skipped"].startswith(f"SAMVERKAN_SHARED_DATA pekar på en mapp som inte finns: {missing}")
    assert "pekar på en mapp som inte finns" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_demo_statistics_need_no_shared_folder(settings, monkeypatch):
    """SAMVERKAN_SHARED_DATA unset and no ../shared/data: the shipped files are imported all the same."""
    from samverkan.core.reference import load_reference
    from samverkan.core.registry import run_reference_loaders
    from samverkan.indicators.demo import load_demo_statistics
    from samverkan.indicators.models import DataPoint, Deso, ImportRun, PoliceEvent, RegisteredCrime

    settings.SAMVERKAN_SHARED_DATA = ""
    monkeypatch.setattr(shared_data, "shared_data_dir", lambda: None)
    load_reference()
    run_reference_loaders()
    notes = load_demo_statistics()
    assert len(notes) == len(DEMO_FILES) + 2 and not any("redan" in n for n in notes)
    assert PoliceEvent.objects.count() > 1000 and Deso.objects.count() == 17
    assert RegisteredCrime.objects.exists()
    assert DataPoint.objects.filter(indicator__code__startswith="bra.").exists()
    assert DataPoint.objects.filter(indicator__code__startswith="ntu.").exists()
    assert ImportRun.objects.count() == len(DEMO_FILES) + 2
    # Again: every file is recognised (same SHA-256) and nothing is imported twice.
    assert all("redan importerad" in n for n in load_demo_statistics())
    assert ImportRun.objects.count() == len(DEMO_FILES) + 2
