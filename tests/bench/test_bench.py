"""The benchmark harness: data generator, statistics, and `samverkan bench` end to end (small scale)."""

from __future__ import annotations

import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.http import HttpResponse

from samverkan.bench import generator, runner
from samverkan.core.bench import FLOOR, Scenario, bench_collaborations, load_scenarios
from samverkan.core.models import Level, Membership, Notice, Organisation, Participation, Role
from samverkan.indicators.bench_scenarios import archive_path

# --- Generator ------------------------------------------------------------------------------


def test_role_plan_at_national_scale():
    assert Counter(generator.role_plan(40)) == {
        Role.SAMORDNARE: 2,
        Role.POLIS: 2,
        Role.LEDAMOT: 30,
        Role.LASARE: 6,
    }
    small = Counter(generator.role_plan(8))
    assert sum(small.values()) == 8
    assert all(small[role] >= 1 for role in Role)


@pytest.mark.django_db
def test_generator_small_scale_creates_the_expected_counts():
    scale = generator.SMALL
    created = generator.generate(scale)
    expected = generator.expected_counts(scale)

    assert {k: created[k] for k in expected} == expected
    assert expected == {
        "collaborations": 5,
        "organisations": 25,
        "participations": 25,
        "users": 40,
        "memberships": 40,
        "notices": 30,
    }
    assert generator.bench_counts() == expected
    assert generator.is_filled(scale)
    assert not generator.is_filled(generator.Scale(kommuner=6, organisations=5, users=8, notices=6))

    for collaboration in bench_collaborations():
        roles = Counter(Membership.objects.filter(collaboration=collaboration).values_list("role", flat=True))
        assert roles == Counter(generator.role_plan(scale.users))
        assert collaboration.kommuner.count() == 1
    orgs = Organisation.objects.filter(participations__collaboration__in=bench_collaborations())
    assert not orgs.filter(home_kommun__isnull=True).exists()
    assert orgs.values("kind").distinct().count() >= 4
    levels = set(
        Notice.objects.filter(collaboration__in=bench_collaborations()).values_list("level", flat=True)
    )
    assert levels == set(Level.values)
    # One password hash shared by every generated user.
    assert (
        len(
            set(
                generator.User.objects.filter(email__endswith=generator.BENCH_EMAIL_DOMAIN).values_list(
                    "password", flat=True
                )
            )
        )
        == 1
    )


@pytest.mark.django_db
def test_national_scale_leaves_every_tenth_organisation_outside():
    scale = generator.Scale(kommuner=2, organisations=20, users=4, notices=2)
    generator.generate(scale)
    assert Participation.objects.filter(collaboration__in=bench_collaborations()).count() == 2 * 18
    assert generator.is_filled(scale)


def _fingerprint() -> dict[str, list[tuple]]:
    collaborations = bench_collaborations()
    return {
        "collaborations": list(
            collaborations.order_by("name").values_list("name", "description", "kommuner__kod")
        ),
        "organisations": list(
            Organisation.objects.filter(home_kommun__collaborations__in=collaborations)
            .order_by("home_kommun_id", "name")
            .values_list("name", "kind", "home_kommun_id", "police_area__namn", "org_number")
        ),
        "participations": list(
            Participation.objects.filter(collaboration__in=collaborations)
            .order_by("collaboration__name", "organisation__name")
            .values_list("collaboration__name", "organisation__name", "since")
        ),
        "memberships": list(
            Membership.objects.filter(collaboration__in=collaborations)
            .order_by("user__username")
            .values_list(
                "user__username",
                "user__first_name",
                "user__last_name",
                "collaboration__name",
                "role",
                "organisation__name",
            )
        ),
        "notices": list(
            Notice.objects.filter(collaboration__in=collaborations)
            .order_by("id")
            .values_list("collaboration__name", "title", "body", "level", "restricted_to", "author__username")
        ),
    }


@pytest.mark.django_db
def test_generator_is_deterministic():
    with transaction.atomic():
        generator.generate(generator.SMALL, seed=7)
        first = _fingerprint()
        transaction.set_rollback(True)
    assert not generator.has_bench_data()

    generator.generate(generator.SMALL, seed=7)
    assert _fingerprint() == first
    assert len(first["notices"]) == 30


# --- Statistics and the timing core -----------------------------------------------------------


def test_percentile_on_known_numbers():
    hundred = [float(n) for n in range(100, 0, -1)]  # unsorted on purpose
    assert runner.percentile(hundred, 50) == pytest.approx(50.5)
    assert runner.percentile(hundred, 95) == pytest.approx(95.05)
    assert runner.percentile(hundred, 0) == 1.0
    assert runner.percentile(hundred, 100) == 100.0

    four = [40.0, 10.0, 30.0, 20.0]
    assert runner.percentile(four, 50) == pytest.approx(25.0)
    assert runner.percentile(four, 95) == pytest.approx(38.5)
    assert runner.percentile([7.0], 95) == 7.0
    with pytest.raises(ValueError):
        runner.percentile([], 50)


def test_stats_of_known_numbers():
    stats = runner.Stats.of([5.0, 1.0, 3.0, 2.0, 4.0])
    assert stats == runner.Stats(median=3.0, p95=pytest.approx(4.8), min=1.0, max=5.0, mean=3.0)


def test_a_failed_request_is_an_error_not_a_timing():
    failing = Scenario(name="broken", func=lambda ctx: HttpResponse(status=404), description="")
    with pytest.raises(runner.BenchError, match=r"broken.*HTTP 404"):
        runner.run_scenario(failing, ctx=None, runs=3, warmup=0)  # type: ignore[arg-type]


def test_before_runs_before_every_call_and_outside_the_timing(monkeypatch):
    """``Scenario.before``: once before each warm-up, timed and query-counting call, and its time (here a
    whole second of the fake clock) is not in the timed runs."""
    clock = {"now": 0.0}
    monkeypatch.setattr(runner.time, "perf_counter", lambda: clock["now"])
    calls: list[str] = []

    def before(ctx):
        calls.append("before")
        clock["now"] += 1.0

    def func(ctx):
        calls.append("call")
        clock["now"] += 0.002
        return HttpResponse("ok")

    prepared = Scenario(name="prepared", func=func, description="", before=before)
    result = runner.run_scenario(prepared, ctx=None, runs=2, warmup=1)  # type: ignore[arg-type]
    assert calls == ["before", "call"] * 4  # warm-up, two timed runs, the query count
    assert result.times_ms == [pytest.approx(2.0), pytest.approx(2.0)]


def test_bench_database_is_never_the_configured_one(settings):
    sqlite = runner.bench_database_name(
        {"ENGINE": "django.db.backends.sqlite3", "NAME": "/x/samverkan.sqlite3"}
    )
    assert sqlite == str(settings.VAR_DIR / "bench.sqlite3")
    pg = runner.bench_database_name({"ENGINE": "django.db.backends.postgresql", "NAME": "samverkan"})
    assert pg == "test_samverkan_bench"


# --- The command ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db
def test_bench_command_end_to_end(tmp_path):
    path = tmp_path / "out" / "bench.json"
    out, err = StringIO(), StringIO()
    call_command(
        "bench",
        "--small",
        "--in-place",
        "--runs",
        "2",
        "--warmup",
        "0",
        "--json",
        str(path),
        stdout=out,
        stderr=err,
    )

    report = json.loads(path.read_text(encoding="utf-8"))
    names = [s["name"] for s in report["scenarios"]]
    assert names == list(load_scenarios())
    assert names[0] == report["floor"] == FLOOR
    assert {"collaboration_home", "members", "organisations", "notices", "audit_log", "api_kommuner"} <= set(
        names
    )
    floor = report["scenarios"][0]
    assert floor["median_vs_floor"] == 1.0
    for s in report["scenarios"]:
        assert s["runs"] == 2
        assert len(s["times_ms"]) == 2
        assert 0 < s["min_ms"] <= s["median_ms"] <= s["p95_ms"] <= s["max_ms"]
        # Without the shared data folder (a bare checkout) the archive scenario has nothing to import.
        if s["name"] != "indicators.import_archive" or archive_path(national=False).exists():
            assert s["queries"] > 0, s["name"]
    assert report["scale"]["requested"] == generator.SMALL.as_dict()
    assert report["scale"]["counts"]["collaborations"] >= 5
    assert report["generation"]["reused"] is False
    assert report["machine"]["cpu_count"]
    assert report["database"]["vendor"]

    text = out.getvalue()
    assert "med×floor" in text and "queries" in text
    assert f"JSON report: {path}" in text


@pytest.mark.django_db
def test_bench_command_runs_a_subset_and_reuses_filled_data(tmp_path):
    generator.generate(generator.SMALL)
    path = tmp_path / "subset.json"
    call_command(
        "bench", "--small", "--in-place", "--runs", "1", "--warmup", "1",
        "--scenario", "api_kommuner", "--json", str(path), stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    report = json.loads(path.read_text(encoding="utf-8"))
    assert [s["name"] for s in report["scenarios"]] == [FLOOR, "api_kommuner"]
    assert report["warmup"] == 1  # the command's warm-up runs here, on two cheap scenarios
    assert report["generation"]["reused"] is True


@pytest.mark.django_db
def test_bench_command_rejects_unknown_scenarios():
    with pytest.raises(CommandError, match="Unknown scenario"):
        call_command(
            "bench", "--small", "--in-place", "--scenario", "nope", stdout=StringIO(), stderr=StringIO()
        )


@pytest.mark.django_db
def test_in_place_never_empties_a_database_with_other_bench_data():
    generator.generate(generator.SMALL)
    with pytest.raises(CommandError, match="another scale"):
        call_command(
            "bench", "--kommuner", "3", "--small", "--in-place", stdout=StringIO(), stderr=StringIO()
        )


@pytest.mark.django_db
def test_context_gives_clients_for_other_roles():
    from samverkan.core.bench import BenchContext

    generator.generate(generator.SMALL)
    ctx = BenchContext.create(bench_collaborations().order_by("name").first())
    home = f"/samverkan/{ctx.collaboration.pk}/"
    for role in ("polis", "ledamot", "lasare"):  # polis needs two-step verification: given a TOTP device
        assert ctx.client_as(role).get(home).status_code == 200
    assert ctx.client_as("polis") is ctx.client_as("polis")
    assert ctx.api_get("/api/v1/me").json()["email"] == ctx.user.email


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="a page cache of SQLite's")
def test_the_generator_gives_the_sqlite_page_cache_back():
    """Loading runs with a 256 MB page cache; the scenarios are then measured on the same connection, so a
    bench that generated its data would have measured with a bigger cache than one that reused it."""

    def cache_size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return int(cursor.fetchone()[0])

    before = cache_size()
    assert before != -262144
    generator.generate(generator.SMALL)
    assert cache_size() == before
