"""`samverkan bench --curve`: the points, the log-log fit, the tables, and the command at tiny sizes."""

from __future__ import annotations

import json
import math
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.http import HttpResponse

from samverkan.bench import curve, generator, runner
from samverkan.core.bench import FLOOR, Scenario, bench_collaborations

# --- Points ----------------------------------------------------------------------------------------


def test_points_are_parsed_distinct_and_ascending():
    assert curve.parse_points("40, 1,10,1", low=1, high=290, option="--curve-kommuner") == [1, 10, 40]
    assert curve.parse_points("", low=1, high=290, option="--curve-kommuner") == []
    with pytest.raises(curve.CurveError, match="outside 1–290"):
        curve.parse_points("0,10", low=1, high=290, option="--curve-kommuner")
    with pytest.raises(curve.CurveError, match="--curve-years: 'två' is not a whole number"):
        curve.parse_points("1,två", low=1, high=10, option="--curve-years")


def test_years_scale_events_with_the_span_and_leave_the_default_alone():
    assert generator.NATIONAL.months == 60 and generator.NATIONAL.events == 3_450
    one = generator.with_years(generator.NATIONAL, 1)
    assert (one.months, one.events, one.kommuner, one.reporters) == (12, 690, 290, 15)
    assert generator.with_years(generator.NATIONAL, 5) == generator.NATIONAL
    assert generator.with_years(generator.SMALL, 2).events == 40 * 24 // 6
    with pytest.raises(ValueError, match="between 1 and 10"):
        generator.with_years(generator.NATIONAL, 11)


def test_plan_holds_the_other_size_fixed_and_shares_a_common_point():
    axes = curve.plan(kommuner_points=[1, 40], years_points=[1, 5], years_kommuner=40)
    assert [(p.size, p.scale.kommuner, p.scale.months) for p in axes[curve.KOMMUNER]] == [
        (1, 1, 60),
        (40, 40, 60),
    ]
    assert [(p.size, p.scale.kommuner, p.scale.months) for p in axes[curve.YEARS]] == [
        (1, 40, 12),
        (5, 40, 60),
    ]
    assert axes[curve.KOMMUNER][1].scale == axes[curve.YEARS][1].scale  # measured once
    assert list(curve.plan(kommuner_points=[], years_points=[2], years_kommuner=3)) == [curve.YEARS]
    with pytest.raises(curve.CurveError, match="at least one axis"):
        curve.plan(kommuner_points=[], years_points=[], years_kommuner=40)


def test_each_point_has_its_own_bench_database(settings):
    assert curve.database_suffix(generator.Scale(kommuner=40)) == "curve_k40_m60"
    assert curve.database_suffix(generator.with_years(generator.Scale(kommuner=40), 2)) == "curve_k40_m24"
    small = curve.database_suffix(generator.SMALL)
    assert small.startswith("curve_k5_m6_") and small != curve.database_suffix(
        generator.Scale(kommuner=5, organisations=6, users=8, notices=6, months=6, reporters=4, events=40)
    )
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/x/samverkan.sqlite3"}
    assert runner.bench_database_name(sqlite, "curve_k1_m60") == str(
        settings.VAR_DIR / "bench_curve_k1_m60.sqlite3"
    )
    pg = {"ENGINE": "django.db.backends.postgresql", "NAME": "samverkan"}
    assert runner.bench_database_name(pg, "curve_k1_m60") == "test_samverkan_bench_curve_k1_m60"
    with pytest.raises(ValueError, match="letters, digits"):
        runner.bench_database_name(pg, "x; drop")


# --- The fit -----------------------------------------------------------------------------------------


def test_loglog_exponent_of_known_curves():
    sizes = [1, 10, 40, 290]
    assert curve.loglog_exponent(sizes, [5.0] * 4) == pytest.approx(0.0)
    assert curve.loglog_exponent(sizes, [3.0 * s for s in sizes]) == pytest.approx(1.0)
    assert curve.loglog_exponent(sizes, [0.5 * s * s for s in sizes]) == pytest.approx(2.0)
    assert curve.loglog_exponent(sizes, [7.0 * math.sqrt(s) for s in sizes]) == pytest.approx(0.5)
    # Least squares through noisy points: log2 of (1, 2, 4) against log2 of (1, 2, 8) has slope 1.5.
    assert curve.loglog_exponent([1, 2, 4], [1.0, 2.0, 8.0]) == pytest.approx(1.5)
    assert curve.loglog_exponent([10], [4.0]) is None
    assert curve.loglog_exponent([10, 10], [4.0, 5.0]) is None


def test_verdicts_by_exponent():
    assert curve.verdict(None) == "one point, no curve"
    assert curve.verdict(-0.5).startswith("falls")
    assert curve.verdict(0.05) == "flat"
    assert curve.verdict(0.4) == "grows slowly (sublinearly)"
    assert curve.verdict(1.0) == "grows ~linearly"
    assert curve.verdict(1.5) == "grows faster than linearly"
    assert curve.verdict(2.0) == "grows ~quadratically or faster"


def _point_report(size: int, timings: dict[str, float]) -> dict:
    """A bench report at one point with given medians (p95 = 1.5 × median)."""
    floor = timings[FLOOR]
    return {
        "scale": {
            "counts": {"situation_reports": 100 * size, "situation_events": 10 * size, "audit_entries": size}
        },
        "generation": {"reused": False, "seconds": 1.5},
        "database": {"name": f"bench_{size}", "vendor": "sqlite", "version": "3.40.1"},
        "persona": {"role": "samordnare"},
        "load_average": {"before": [1.0, 2.0, 3.0], "after": [1.5, 2.0, 3.0]},
        "scenarios": [
            {
                "name": name,
                "runs": 10,
                "median_ms": median,
                "p95_ms": median * 1.5,
                "min_ms": median / 2,
                "median_vs_floor": round(median / floor, 2),
                "p95_vs_floor": round(median / floor, 2),
                "queries": 3,
                "response_bytes": 100,
                "times_ms": [median] * 10,
            }
            for name, median in timings.items()
        ],
    }


def test_curve_report_and_tables_from_known_timings():
    axes = curve.plan(
        kommuner_points=[1, 10, 100], years_points=[1, 5], years_kommuner=100, base=generator.NATIONAL
    )
    # The floor flat; the list linear in kommuner, flat in years; the picture flat in kommuner and as the
    # square root of the years.
    root5 = 10 * math.sqrt(5)
    known = {
        (1, 60): {FLOOR: 2.0, "list": 4.0, "picture": root5},
        (10, 60): {FLOOR: 2.0, "list": 40.0, "picture": root5},
        (100, 60): {FLOOR: 2.0, "list": 400.0, "picture": root5},
        (100, 12): {FLOOR: 2.0, "list": 400.0, "picture": 10.0},
    }
    measured = []

    def measure(point: curve.Point, *, first: bool, last: bool) -> dict:
        key = (point.scale.kommuner, point.scale.months)
        measured.append(key)
        assert first and last
        return _point_report(point.scale.kommuner, known[key])

    results = curve.run_curve(axes, measure)
    assert measured == [(1, 60), (10, 60), (100, 60), (100, 12)]  # 100 kommuner × 5 years once
    kommuner, years = results
    fits = {f["name"]: f for f in kommuner["fits"]}
    assert fits[FLOOR]["exponent"] == 0.0 and fits[FLOOR]["verdict"] == "flat"
    assert fits["list"]["exponent"] == pytest.approx(1.0) and fits["list"]["verdict"] == "grows ~linearly"
    assert fits["list"]["growth"] == 100.0 and fits["list"]["exponent_vs_floor"] == pytest.approx(1.0)
    assert fits["list"]["exponent_of_min"] == pytest.approx(1.0)
    picture = {f["name"]: f for f in years["fits"]}["picture"]
    assert picture["exponent"] == pytest.approx(0.5) and picture["growth"] == 2.24
    assert {f["name"]: f for f in years["fits"]}["list"]["verdict"] == "flat"
    assert {f["name"]: f for f in kommuner["fits"]}["picture"]["exponent"] == 0.0
    assert years["fixed"] == {"kommuner": 100} and years["sizes"] == [1, 5]
    assert kommuner["fixed"] == {"months": 60}
    assert [s["name"] for s in kommuner["points"][1]["scenarios"]] == [FLOOR, "list", "picture"]
    assert "times_ms" not in kommuner["points"][1]["scenarios"][0]

    report = curve.build_curve_report(
        results, runs=10, warmup=3, budget_s=5.0, passes=1, database={"vendor": "sqlite", "version": "3.40.1"}
    )
    text = curve.format_curve(report)
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("scenario"))
    assert header.split()[-2:] == ["min", "exp."]
    assert header.split()[:-2] == [
        "scenario",
        "1",
        "kommun",
        "10",
        "kommuner",
        "100",
        "kommuner",
        "exponent",
        "×floor",
        "exp.",
    ]
    row = next(line for line in lines if line.startswith("list "))
    assert row.split() == [
        "list",
        "4.0/6.0",
        "×2.00",
        "40.0/60.0",
        "×20.00",
        "400.0/600.0",
        "×200.00",
        "1.00",
        "1.00",
        "1.00",
    ]
    years_row = [line for line in lines if line.startswith("picture ")][1]
    assert years_row.split() == [
        "picture",
        "10.0/15.0",
        "×5.00",
        "22.4/33.5",
        "×11.18",
        "0.50",
        "0.50",
        "0.50",
    ]
    assert (
        "  list: grows ~linearly (p50 ∝ size^1.00, ×100.00 from 1 kommun to 100 kommuner; ×floor ∝ size^1.00, "
        "min ∝ size^1.00)" in lines
    )
    assert (
        "  picture: grows slowly (sublinearly) (p50 ∝ size^0.50, ×2.24 from 1 year to 5 years; ×floor ∝ size^0.50, "
        "min ∝ size^0.50)" in lines
    )
    assert (
        "  10 kommuner: 1000 reports, 100 events, 10 audit entries (generated in 1.5 s; 1-minute load average 1.00→1.50)"
        in lines
    )
    assert text.count("Collaborations (one per kommun), 60 months of rounds each") == 1
    assert "Years of monthly rounds, 100 collaborations" in text


def test_visits_go_forth_and_back():
    assert curve.visit_order(3, 1) == [0, 1, 2]
    assert curve.visit_order(3, 2) == [0, 1, 2, 2, 1, 0]
    assert curve.visit_order(2, 3) == [0, 1, 1, 0, 0, 1]


def test_visits_of_a_point_are_timed_together():
    first = _point_report(1, {FLOOR: 2.0, "list": 4.0})
    second = _point_report(1, {FLOOR: 4.0, "list": 12.0})
    second["generation"] = {"reused": True, "seconds": 0.0}
    merged = curve.merge_visits([first, second])
    floor, listed = merged["scenarios"]
    assert (floor["runs"], floor["median_ms"], floor["median_vs_floor"]) == (20, 3.0, 1.0)
    assert (listed["runs"], listed["median_ms"], listed["min_ms"], listed["max_ms"]) == (20, 8.0, 4.0, 12.0)
    assert listed["median_vs_floor"] == round(8.0 / 3.0, 2)
    assert listed["p95_vs_floor"] == round(listed["p95_ms"] / floor["p95_ms"], 2)
    assert merged["generation"] == {"reused": False, "seconds": 1.5}  # as the first visit made the data
    assert merged["load_averages"] == [first["load_average"], second["load_average"]]
    assert first["scenarios"][1]["runs"] == 10  # the visits' own reports are left as they were

    calls = []

    def measure(point: curve.Point, *, first: bool, last: bool) -> dict:
        calls.append((point.size, first, last))
        return _point_report(point.size, {FLOOR: 2.0, "list": 4.0 * point.size})

    axes = curve.plan(kommuner_points=[1, 2], years_points=[], years_kommuner=1)
    (axis,) = curve.run_curve(axes, measure, passes=2)
    assert calls == [(1, True, False), (2, True, False), (2, False, True), (1, False, True)]
    assert [p["scenarios"][1]["runs"] for p in axis["points"]] == [20, 20]
    assert axis["fits"][1]["exponent"] == pytest.approx(1.0)
    with pytest.raises(curve.CurveError, match="one pass"):
        curve.run_curve(axes, measure, passes=0)


# --- The timing budget and the caches ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_budget_stops_the_timed_runs_after_the_minimum():
    calls = []

    def quick(ctx):
        calls.append(1)
        return HttpResponse("ok")

    scenario = Scenario(name="quick", func=quick, description="")
    result = runner.run_scenario(scenario, ctx=None, runs=50, warmup=1, budget_s=1e-9)  # type: ignore[arg-type]
    assert len(result.times_ms) == runner.BUDGET_MIN_RUNS and len(calls) == 1 + 3 + 1
    assert len(runner.run_scenario(scenario, ctx=None, runs=5, warmup=0).times_ms) == 5  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="budget_s"):
        runner.run_scenario(scenario, ctx=None, runs=5, warmup=0, budget_s=0)  # type: ignore[arg-type]


def test_cached_pages_are_forgotten_between_points():
    from samverkan.situation.selectors.picture.cache import LOCAL

    cache.set("curve-test", 1)
    LOCAL.set("curve-test", 1, 60)
    curve.forget_cached_pages()
    assert cache.get("curve-test") is None and LOCAL.get("curve-test") is None


# --- The command ---------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db
def test_curve_command_end_to_end_in_place(tmp_path):
    path = tmp_path / "curve.json"
    out, err = StringIO(), StringIO()
    call_command(
        "bench", "--curve", "--small", "--in-place", "--curve-kommuner", "1,2", "--curve-years", "1,2",
        "--curve-years-kommuner", "1", "--runs", "2", "--warmup", "0", "--curve-passes", "2",
        "--scenario", "situation.rounds", "--scenario", "situation.picture_api", "--json", str(path),
        stdout=out, stderr=err,
    )  # fmt: skip

    report = json.loads(path.read_text(encoding="utf-8"))
    kommuner, years = report["axes"]
    assert (kommuner["axis"], kommuner["sizes"], years["axis"], years["sizes"]) == (
        "kommuner",
        [1, 2],
        "years",
        [1, 2],
    )
    assert [p["scale"]["months"] for p in years["points"]] == [12, 24]
    assert [p["counts"]["situation_rounds"] for p in years["points"]] == [12, 24]
    assert [p["counts"]["collaborations"] for p in kommuner["points"]] == [1, 2]
    for axis in (kommuner, years):
        assert [f["name"] for f in axis["fits"]] == [FLOOR, "situation.picture_api", "situation.rounds"]
        for point in axis["points"]:
            assert [s["name"] for s in point["scenarios"]] == [
                FLOOR,
                "situation.picture_api",
                "situation.rounds",
            ]
            assert all(s["runs"] == 2 * 2 and s["median_ms"] > 0 for s in point["scenarios"])
            assert point["scenarios"][0]["median_vs_floor"] == 1.0
        assert all(isinstance(f["exponent"], float) for f in axis["fits"])
    assert report["runs"] == 2 and report["passes"] == 2 and report["budget_s"] == curve.DEFAULT_BUDGET_S
    text = out.getvalue()
    assert "Years of monthly rounds, 1 collaborations" in text and "situation.rounds: " in text
    assert f"JSON report: {path}" in text
    # Every point was rolled back: the test database holds no bench rows afterwards.
    assert not generator.has_bench_data() and not bench_collaborations().exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_curve_leaves_the_import_out_unless_asked(tmp_path):
    path = tmp_path / "curve.json"
    call_command(
        "bench", "--curve", "--small", "--in-place", "--curve-kommuner", "1", "--curve-years", "",
        "--runs", "1", "--warmup", "0", "--curve-budget", "0.01", "--curve-passes", "1", "--json", str(path),
        stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    names = [s["name"] for s in json.loads(path.read_text())["axes"][0]["points"][0]["scenarios"]]
    assert "indicators.import_archive" not in names
    assert {
        FLOOR,
        "situation.picture",
        "situation.report_form",
        "situation.rounds",
        "portal.collaboration",
    } <= set(names)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--load"], "--load does not go with it"),
        (["--kommuner", "3"], "--kommuner does not go with it"),
        (["--years", "2"], "--years does not go with it"),
        (["--curve-kommuner", "0,10"], "outside 1–290"),
        (["--curve-years", "11"], "outside 1–10"),
        (["--curve-kommuner", "", "--curve-years", ""], "at least one axis"),
        (["--curve-budget", "0"], "--curve-budget"),
        (["--curve-passes", "0"], "--curve-passes"),
        (["--curve-years-kommuner", "291"], "--curve-years-kommuner"),
        (["--keep", "--in-place"], "exclude each other"),
    ],
)
def test_curve_command_refuses_what_it_cannot_do(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("bench", "--curve", *args, stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_plain_bench_takes_years(tmp_path):
    path = tmp_path / "years.json"
    call_command(
        "bench", "--small", "--years", "1", "--in-place", "--runs", "1", "--warmup", "0",
        "--scenario", "situation.rounds", "--json", str(path), stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    report = json.loads(path.read_text())
    assert report["scale"]["requested"]["months"] == 12 and report["scale"]["requested"]["events"] == 80
    assert report["scale"]["counts"]["situation_rounds"] >= 5 * 12
    with pytest.raises(CommandError, match="--years: years must be between 1 and 10"):
        call_command("bench", "--small", "--years", "0", "--in-place", stdout=StringIO(), stderr=StringIO())
