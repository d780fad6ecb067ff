"""Indicator bench scenarios: registered with their targets, and answering 200 on tiny data (a smoke test;
the figures themselves belong to `samverkan bench`)."""

from __future__ import annotations

import json

import pytest

from samverkan.bench import generator
from samverkan.core.bench import BenchContext, bench_collaborations, load_scenarios
from samverkan.indicators import bench_scenarios
from samverkan.indicators.models import DataPoint, ImportRun, PoliceEvent

TINY = generator.Scale(kommuner=2, organisations=5, users=8, notices=2, months=2, reporters=3, events=4)


def test_indicator_scenarios_are_registered_with_their_targets():
    scenarios = load_scenarios()
    assert "20,000" in scenarios["indicators.import_archive"].description
    assert "3×" in scenarios["indicators.import_archive"].description
    assert "3× floor" in scenarios["indicators.api"].description


def test_the_archive_is_looked_up_in_the_shared_data_folder(settings, tmp_path):
    settings.SAMVERKAN_SHARED_DATA = str(tmp_path)
    assert bench_scenarios.archive_path() == tmp_path / "police_events" / bench_scenarios.ARCHIVE_NAME
    assert bench_scenarios.archive_path(national=False).name == bench_scenarios.SNAPSHOT_NAME


@pytest.fixture
def ctx(db):
    generator.generate(TINY)
    return BenchContext.create(bench_collaborations().order_by("name").first())


@pytest.mark.django_db
def test_indicators_api_scenario_serves_ten_years_of_one_kommun(ctx):
    scenario = load_scenarios()["indicators.api"]
    response = scenario.func(ctx)
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    assert len(body["data_points"]) == bench_scenarios.SERIES_MONTHS
    kommun = ctx.collaboration.kommuner.first().kod
    assert {p["kommun"] for p in body["data_points"]} == {kommun}
    rows = DataPoint.objects.filter(indicator__code__startswith=bench_scenarios.SERIES_PREFIX).count()
    assert rows == 2 * bench_scenarios.SERIES_MONTHS * bench_scenarios.SERIES_INDICATORS
    # Made once: a second setup writes nothing.
    before = list(DataPoint.objects.filter(indicator__code__startswith="bench.").values_list("pk", flat=True))
    bench_scenarios.ensure_indicator_series()
    after = list(DataPoint.objects.filter(indicator__code__startswith="bench.").values_list("pk", flat=True))
    assert before == after


@pytest.mark.django_db
def test_import_archive_scenario_measures_first_and_repeated_import(ctx):
    path = bench_scenarios.archive_path(national=False)
    if not path.exists():
        pytest.skip("the shared API snapshot is absent")
    ctx.extra["indicators_archive_path"] = path
    scenario = load_scenarios()["indicators.import_archive"]
    response = scenario.func(ctx)
    assert response.status_code == 200
    figures = json.loads(response.content)
    assert figures["events"] == figures["imported"] == PoliceEvent.objects.count() == 500
    assert figures["first_import_events_per_s"] > 0 and figures["reimport_speedup"] > 0
    assert isinstance(figures["meets_targets"], bool)
    runs = ImportRun.objects.filter(kind=ImportRun.Kind.POLICE_EVENTS).count()
    assert scenario.func(ctx).status_code == 200  # a timed run: one more re-import, nothing written
    assert PoliceEvent.objects.count() == 500
    assert ImportRun.objects.filter(kind=ImportRun.Kind.POLICE_EVENTS).count() == runs + 1


@pytest.mark.django_db
def test_import_archive_scenario_skips_a_missing_file(ctx, tmp_path):
    ctx.extra["indicators_archive_path"] = tmp_path / "nothing.jsonl.gz"
    response = load_scenarios()["indicators.import_archive"].func(ctx)
    assert response.status_code == 200 and "missing" in json.loads(response.content)["skipped"]
    assert PoliceEvent.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["indicators.page", "indicators.overview"])
def test_indicator_page_scenarios_render_ten_years(ctx, name):
    response = load_scenarios()[name].func(ctx)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bänkindikator" in body
    if name == "indicators.page":
        # The table alternative holds every one of the 120 months.
        assert body.count("<tr") >= bench_scenarios.SERIES_MONTHS


@pytest.mark.django_db
@pytest.mark.parametrize("copy", [None, False], ids=["the database's fastest path", "executemany"])
def test_the_floor_writes_every_event_and_leaves_the_table_empty_for_the_import(ctx, monkeypatch, copy):
    path = bench_scenarios.archive_path(national=False)
    if not path.exists():
        pytest.skip("the shared API snapshot is absent")
    written = []
    real_empty = bench_scenarios._empty_police_tables

    def empty_after_counting() -> None:
        written.append(PoliceEvent.objects.count())
        real_empty()

    monkeypatch.setattr(bench_scenarios, "_empty_police_tables", empty_after_counting)
    seconds = bench_scenarios.measure_import_floor(path, copy=copy)
    assert seconds > 0
    assert written == [500]  # the floor's rows were in the table (committed with the floor's time) ...
    assert PoliceEvent.objects.count() == 0  # ... and are gone before the import
