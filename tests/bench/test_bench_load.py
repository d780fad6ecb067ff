"""`samverkan bench --load`: wrk's summary read right, a clear refusal without wrk, and the report's shape
from a real run at the smallest scale (gunicorn and wrk as subprocesses, on a throwaway bench database)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from samverkan.bench import load
from samverkan.core.bench import bench_collaborations

WRK_LINE = (
    'SAMVERKAN_WRK {"requests": 500, "duration_us": 2000000, "bytes": 1000000, "non_2xx": 3, "connect": 0, '
    '"read": 1, "write": 0, "timeout": 2, "p50_us": 12000, "p90_us": 30000, "p99_us": 81500, '
    '"mean_us": 15000.5, "max_us": 120000}'
)


def test_wrk_summary_is_read_in_the_report_s_units():
    parsed = load.parse_wrk_output("Running 2s test @ http://127.0.0.1:1/\n" + WRK_LINE + "\n")
    assert parsed["req_per_s"] == 250.0
    assert (parsed["p50_ms"], parsed["p99_ms"], parsed["max_ms"]) == (12.0, 81.5, 120.0)
    assert parsed["non_2xx"] == 3
    assert parsed["socket_errors"] == {"connect": 0, "read": 1, "write": 0, "timeout": 2}
    assert parsed["bytes_per_response"] == 2000


def test_wrk_output_without_a_summary_is_an_error():
    with pytest.raises(load.LoadError, match="no summary"):
        load.parse_wrk_output("unable to connect to 127.0.0.1:1 Connection refused\n")


@pytest.mark.django_db
def test_without_wrk_the_load_bench_refuses_before_generating_anything(monkeypatch):
    monkeypatch.setattr(load.shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="wrk"):
        call_command("bench", "--load", "--small", "--in-place", stdout=StringIO(), stderr=StringIO())
    assert not bench_collaborations().exists()


@pytest.mark.django_db
def test_load_options_are_bounded():
    with pytest.raises(CommandError, match="--duration"):
        call_command("bench", "--load", "--duration", "0", "--small", "--in-place", stdout=StringIO())


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (make system-deps installs it)")
def test_an_in_memory_database_is_refused_not_served(monkeypatch):
    if connection.vendor != "sqlite" or not connection.creation.is_in_memory_db(
        connection.settings_dict["NAME"]
    ):
        pytest.skip("the test database is not in memory here")
    with pytest.raises(CommandError, match="in-memory"):
        call_command(
            "bench",
            "--load",
            "--small",
            "--in-place",
            "--runs",
            "1",
            "--warmup",
            "0",
            stdout=StringIO(),
            stderr=StringIO(),
        )


def _bench_database_url() -> str | None:
    """A database of its own for the subprocess: a file in its var folder on SQLite (None), a new
    PostgreSQL database beside the test database otherwise."""
    if connection.vendor == "sqlite":
        return None
    base = load.database_url().rsplit("/", 1)[0]
    return f"{base}/{connection.settings_dict['NAME']}_load"


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (make system-deps installs it)")
def test_load_bench_end_to_end_at_the_smallest_scale(tmp_path):
    report_path = tmp_path / "load.json"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SAMVERKAN_VAR_DIR"] = str(tmp_path / "var")
    url = _bench_database_url()
    if url:
        env["DATABASE_URL"] = url
    samverkan = str(Path(sys.executable).parent / "samverkan")
    argv = [samverkan, "bench", "--load", "--small", "--runs", "1", "--warmup", "0", "--duration", "1"]
    result = subprocess.run(
        [*argv, "--connections", "2", "--json", str(report_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    report = json.loads(report_path.read_text(encoding="utf-8"))
    run = report["load"]
    names = [t["name"] for t in run["targets"]]
    assert names == [
        "floor",
        "situation.picture",
        "situation.report_form",
        "start",
        "portal.collaboration",
        "portal.kommun",
        "api.picture",
    ]
    assert run["floor"] == "floor" and run["connections"] == 2 and run["duration_s"] == 1
    assert run["tool"].startswith("wrk")
    for target in run["targets"]:
        assert target["requests"] > 0 and target["req_per_s"] > 0
        assert 0 < target["p50_ms"] <= target["p99_ms"] <= target["max_ms"]
        assert target["non_2xx"] == 0, target
        assert set(target["socket_errors"]) == {"connect", "read", "write", "timeout"}
        assert target["response_bytes"] > 0
        assert target["req_per_s_vs_floor"] > 0 and len(target["load_average_after"]) == 3
    assert run["targets"][0]["req_per_s_vs_floor"] == 1.0
    assert "req/s×floor" in result.stdout and "api.picture" in result.stdout
    # Served by gunicorn, as `samverkan serve` serves the product.
    assert "Booting worker" in (tmp_path / "var" / "bench-load-server.log").read_text()


@pytest.mark.parametrize("failure", [load.LoadError("a target failed"), KeyboardInterrupt()])
def test_the_server_is_stopped_when_the_run_fails_or_is_interrupted(monkeypatch, tmp_path, failure):
    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def popen(argv, **kwargs):
        started.append(real_popen([sys.executable, "-c", "import time; time.sleep(600)"], **kwargs))
        return started[-1]

    monkeypatch.setattr(load, "database_url", lambda: "sqlite:///unused")
    monkeypatch.setattr(load.subprocess, "Popen", popen)
    monkeypatch.setattr(load, "_wait_until_up", lambda server, port, log_path: None)
    with pytest.raises(type(failure)), load.served(workers=1, threads=1, log_path=tmp_path / "server.log"):
        raise failure
    assert started and started[0].poll() is not None


def test_the_load_table_aligns_its_columns():
    target = {
        "name": "floor",
        "req_per_s": 1234.5,
        "p50_ms": 1.0,
        "p99_ms": 12.25,
        "non_2xx": 0,
        "socket_errors": {"connect": 0, "read": 1},
        "req_per_s_vs_floor": 1.0,
        "p99_vs_floor": None,
        "load_average_after": [0.5, 0.4, 0.3],
    }
    table = load.format_load_table(
        {
            "targets": [target, {**target, "name": "a_longer_target"}],
            "server": {"workers": 2, "threads": 4},
            "wrk_threads": 2,
            "connections": 8,
            "duration_s": 5,
        }
    ).splitlines()
    assert table[0].startswith("target           ") and table[0].endswith("busiest worker")
    assert set(table[1]) == {"-", " "}
    assert len({len(line) for line in table[:4]}) == 1
    assert table[2].split()[-2:] == ["-", "-"] and table[3].startswith("a_longer_target")


def test_the_busiest_workers_share_counts_one_targets_requests_after_the_runs_start(tmp_path):
    log = tmp_path / "server.log"
    log.write_text("worker=1 /bench/golv/\n" * 5)
    start = log.stat().st_size
    with log.open("a") as more:
        more.write("worker=1 /lagesbild/\n" * 3 + "worker=2 /lagesbild/\n" + "[INFO] Booting worker\n")
        more.write("worker=2 /bench/golv/\n")
    assert load.busiest_share(log, start, "/lagesbild/?x=1") == 0.75
    assert load.busiest_share(log, start, "/ingen/") is None


def test_each_worker_holds_its_share_of_the_connections_and_the_log_names_it(monkeypatch, tmp_path):
    argv = load_argv(monkeypatch, tmp_path, workers=2, connections=50)
    assert argv[argv.index("--worker-connections") + 1] == "25"
    assert argv[argv.index("--access-logformat") + 1] == load.ACCESS_LOG_FORMAT
    assert "--worker-connections" not in load_argv(monkeypatch, tmp_path, workers=1, connections=50)


def load_argv(monkeypatch, tmp_path, *, workers: int, connections: int) -> list[str]:
    started: list[list[str]] = []
    real_popen = subprocess.Popen

    def popen(argv, **kwargs):
        started.append(argv)
        return real_popen([sys.executable, "-c", "pass"], **kwargs)

    monkeypatch.setattr(load, "database_url", lambda: "sqlite:///unused")
    monkeypatch.setattr(load.subprocess, "Popen", popen)
    monkeypatch.setattr(load, "_wait_until_up", lambda server, port, log_path: None)
    monkeypatch.setattr(load, "effective_workers", lambda asked: asked)
    with load.served(workers=workers, threads=8, log_path=tmp_path / "server.log", connections=connections):
        pass
    return started[0]


def test_a_server_that_stops_answering_is_a_load_error_not_a_traceback(monkeypatch, tmp_path, settings):
    """Before, an OSError from the pre-run check (or wrk's own timeout) escaped as a traceback."""
    from contextlib import contextmanager

    settings.VAR_DIR = tmp_path

    @contextmanager
    def served(**kwargs):
        yield load.free_port()  # nothing listens there

    monkeypatch.setattr(load, "wrk_executable", lambda: "wrk")
    monkeypatch.setattr(load, "served", served)
    monkeypatch.setattr(load, "targets", lambda ctx: [load.Target(load.FLOOR, "floor", "/", "none")])
    monkeypatch.setattr(load, "headers_for", lambda target, ctx: {})
    with pytest.raises(load.LoadError, match="did not answer"):
        load.run_load(None, names=None, duration=1, connections=1, timeout=1, workers=1, threads=1)

    def too_slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], 62)

    monkeypatch.setattr(load.subprocess, "run", too_slow)
    with pytest.raises(load.LoadError, match="did not finish within 62 s"):
        load.run_wrk("wrk", "http://127.0.0.1:1/", headers={}, duration=1, connections=1, timeout=1)
