"""``samverkan bench --load``: the product under concurrent load, next to a floor view served the same way.

The bench database is served by gunicorn exactly as ``samverkan serve`` serves it (``core.serving``,
``SAMVERKAN_DEBUG=false``, on a free loopback port) with one extra URL, a bare view behind the same
middleware (``load_urls.floor``). ``wrk`` drives each target in turn for a bounded time; a Lua script
prints wrk's own summary as one JSON line, and counts every answer that is not a 2xx (wrk itself counts
only 4xx and 5xx). Each target's throughput and latencies are reported with their ratio to the floor's
in the same run, so a busy machine moves the absolute figures but not the comparison.

One difference from ``samverkan serve``: each worker holds at most its share of wrk's connections
(``--worker-connections``). wrk opens all its keep-alive connections at once, and gunicorn's workers
race to accept them: some runs gave every connection to one process, which halved a target's
throughput against a run where they were spread (the floor read 299 req/s or 571–597 req/s from run to
run). Behind the proxy the production topology puts in front, requests arrive spread over the
processes; the cap spreads wrk's connections in the same way. The access log names each line's process,
and each target's report gives the share of its requests the busiest worker answered.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.urls import reverse

from samverkan.bench.load_urls import FLOOR_PATH
from samverkan.bench.runner import text_table
from samverkan.core.bench import BenchContext
from samverkan.core.serving import effective_workers, gunicorn_argv
from samverkan.portal import bench_scenarios as portal_scenarios
from samverkan.situation import bench_scenarios as situation_scenarios

FLOOR = "floor"
WRK_THREADS = 2  # one per core of the machine the figures were first taken on; wrk needs connections ≥ this
_JSON_MARK = "SAMVERKAN_WRK "

# wrk's Lua hooks: count non-2xx answers per thread, then print the run's summary as one JSON line.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local non2xx = 0
  for _, thread in ipairs(threads) do non2xx = non2xx + (thread:get("non2xx") or 0) end
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx": %d, "connect": %d, "read": %d, '
    .. '"write": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f, '
    .. '"max_us": %d}\\n',
    "%(mark)s", summary.requests, summary.duration, summary.bytes, non2xx, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean,
    latency.max))
end
""".replace("%(mark)s", _JSON_MARK)


class LoadError(Exception):
    """The load bench cannot run or a target failed; the message says why."""


@dataclass(frozen=True)
class Target:
    name: str
    description: str
    path: str
    auth: str  # "session" (the persona's cookie), "bearer" (the persona's API token) or "anonymous"


# --- What is driven --------------------------------------------------------------------------------


def targets(ctx: BenchContext) -> list[Target]:
    """The floor first, then the pages and endpoint the load targets are set for (issue 12)."""
    return [
        Target(FLOOR, "A bare view behind every middleware, signed in (the floor)", FLOOR_PATH, "session"),
        Target(
            "situation.picture",
            "Gemensam lägesbild, a month in the middle of five years",
            situation_scenarios.picture_path(ctx),
            "session",
        ),
        Target(
            "situation.report_form",
            "The report form of the latest round",
            situation_scenarios.report_form_path(ctx),
            "session",
        ),
        Target("start", "The start page, signed in", "/", "session"),
        Target(
            "portal.collaboration",
            "The collaboration's public page, anonymous",
            reverse("portal:collaboration", kwargs={"collaboration_id": ctx.collaboration.pk}),
            "anonymous",
        ),
        Target(
            "portal.kommun",
            "A kommun's public portal page, anonymous (issue 15)",
            portal_scenarios.kommun_path(ctx),
            "anonymous",
        ),
        Target(
            "api.picture",
            "GET /api/v1/joint-pictures/{round} with a Bearer token",
            situation_scenarios.picture_api_path(ctx),
            "bearer",
        ),
    ]


def headers_for(target: Target, ctx: BenchContext) -> dict[str, str]:
    if target.auth == "session":
        cookie = ctx.client.cookies[settings.SESSION_COOKIE_NAME].value
        return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
    if target.auth == "bearer":
        return {"Authorization": f"Bearer {ctx.token}"}
    return {}


# --- wrk ---------------------------------------------------------------------------------------------


def wrk_executable() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise LoadError(
            "`samverkan bench --load` needs the load generator wrk, which is not installed "
            "(Debian/Ubuntu: apt-get install wrk; `make system-deps` installs it)."
        )
    return found


def wrk_version(wrk: str) -> str:
    result = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return (
        (result.stdout or result.stderr).strip().splitlines()[0] if (result.stdout or result.stderr) else ""
    )


def parse_wrk_output(output: str) -> dict[str, Any]:
    """The JSON line the Lua script printed, in the report's units (ms, req/s)."""
    for line in output.splitlines():
        if line.startswith(_JSON_MARK):
            raw = json.loads(line[len(_JSON_MARK) :])
            break
    else:
        raise LoadError(f"wrk printed no summary:\n{output.strip()[-2000:]}")
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "req_per_s": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "mean_ms": round(raw["mean_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "non_2xx": raw["non_2xx"],
        "socket_errors": {k: raw[k] for k in ("connect", "read", "write", "timeout")},
        "bytes_per_response": round(raw["bytes"] / raw["requests"]) if raw["requests"] else 0,
    }


def run_wrk(
    wrk: str, url: str, *, headers: dict[str, str], duration: int, connections: int, timeout: int
) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        argv = [
            wrk,
            f"-t{min(WRK_THREADS, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            f"--timeout={timeout}s",
            "-s",
            script.name,
        ]
        for name, value in headers.items():
            argv += ["-H", f"{name}: {value}"]
        result = subprocess.run(  # noqa: S603 - our argv, no shell
            [*argv, url], capture_output=True, text=True, timeout=duration + timeout + 60, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise LoadError(f"wrk did not finish within {error.timeout:.0f} s against {url}.") from error
    finally:
        Path(script.name).unlink(missing_ok=True)
    if result.returncode != 0:
        raise LoadError(f"wrk failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
    return parse_wrk_output(result.stdout)


# --- The server ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_url() -> str:
    """A DATABASE_URL naming the database the bench is connected to now (the bench database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.creation.is_in_memory_db(db["NAME"]):  # type: ignore[attr-defined]
            raise LoadError(
                "The server process cannot see an in-memory SQLite database; run without --in-place."
            )
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if connection.vendor != "postgresql":
        raise LoadError(f"--load serves SQLite or PostgreSQL, not {connection.vendor}.")
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(str(db['NAME']), safe='')}"


def fetch_status(port: int, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """(status, body length) of one GET, redirects not followed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


# Each access-log line: the worker's process id, then the path (``busiest_share``).
ACCESS_LOG_FORMAT = "worker=%(p)s %(U)s"


def connections_per_worker(connections: int, workers: int) -> int | None:
    """The most connections one worker may hold so that ``connections`` are spread over ``workers``."""
    workers = effective_workers(workers)
    return None if workers <= 1 else -(-connections // workers)


@contextmanager
def served(*, workers: int, threads: int, log_path: Path, connections: int = 0) -> Iterator[int]:
    """gunicorn serving the current (bench) database as ``samverkan serve`` would, with ``connections``
    spread over its workers (see the module); yields its port."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samverkan.bench.load_settings",
        "DATABASE_URL": database_url(),
        "SAMVERKAN_DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    argv = gunicorn_argv(
        host="127.0.0.1",
        port=port,
        workers=workers,
        threads=threads,
        worker_connections=connections_per_worker(connections, workers) if connections else None,
        access_log_format=ACCESS_LOG_FORMAT,
    )
    with log_path.open("wb") as log:
        server = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            _wait_until_up(server, port, log_path)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_up(server: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise LoadError(f"The server stopped (exit {server.returncode}):\n{_tail(log_path)}")
        try:
            if fetch_status(port, "/healthz", {})[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise LoadError(f"The server did not answer /healthz within 120 s:\n{_tail(log_path)}")


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def busiest_share(log_path: Path, start: int, path: str) -> float | None:
    """Of the requests for ``path`` logged after byte ``start`` of the server's log, the share the busiest
    worker answered (0.5 with two workers evenly loaded); None when none was logged."""
    counts: dict[str, int] = {}
    with log_path.open("rb") as log:
        log.seek(start)
        for raw in log:
            worker, _space, logged = raw.decode(errors="replace").strip().partition(" ")
            if worker.startswith("worker=") and logged == path.split("?", 1)[0]:
                counts[worker] = counts.get(worker, 0) + 1
    total = sum(counts.values())
    return round(max(counts.values()) / total, 3) if total else None


# --- The run ---------------------------------------------------------------------------------------------


def run_load(
    ctx: BenchContext,
    *,
    names: list[str] | None,
    duration: int,
    connections: int,
    timeout: int,
    workers: int,
    threads: int,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Serve, check that every target answers 200, drive each with wrk; the ``load`` part of the report."""
    wrk = wrk_executable()
    chosen = [t for t in targets(ctx) if t.name == FLOOR or not names or t.name in names]
    unknown = sorted(set(names or ()) - {t.name for t in targets(ctx)})
    if unknown:
        raise LoadError(f"Unknown load target: {', '.join(unknown)}. Known: {target_names(ctx)}.")
    log_path = Path(settings.VAR_DIR) / "bench-load-server.log"
    results: list[dict[str, Any]] = []
    with served(workers=workers, threads=threads, log_path=log_path, connections=connections) as port:
        for target in chosen:
            headers = headers_for(target, ctx)
            try:
                status, size = fetch_status(port, target.path, headers)
            except OSError as error:  # refused, reset or timed out: the server is gone or stuck
                raise LoadError(
                    f"Load target {target.name!r} ({target.path}) did not answer ({error}). "
                    f"Server log: {log_path}\n{_tail(log_path)}"
                ) from error
            if status != 200:
                raise LoadError(
                    f"Load target {target.name!r} ({target.path}) answered HTTP {status} before the run; "
                    f"a failing page is an error, not a timing. Server log: {log_path}"
                )
            load_before = os.getloadavg()
            logged_before = log_path.stat().st_size
            measured = run_wrk(
                wrk,
                f"http://127.0.0.1:{port}{target.path}",
                headers=headers,
                duration=duration,
                connections=connections,
                timeout=timeout,
            )
            result = {
                "name": target.name,
                "description": target.description,
                "path": target.path,
                "auth": target.auth,
                "response_bytes": size,
                **measured,
                "busiest_worker_share": busiest_share(log_path, logged_before, target.path),
                "load_average_before": [round(v, 2) for v in load_before],
                "load_average_after": [round(v, 2) for v in os.getloadavg()],
            }
            if progress is not None:
                progress(result)
            results.append(result)
    floor = results[0]
    for result in results:
        result["req_per_s_vs_floor"] = _ratio(result["req_per_s"], floor["req_per_s"])
        result["p50_vs_floor"] = _ratio(result["p50_ms"], floor["p50_ms"])
        result["p99_vs_floor"] = _ratio(result["p99_ms"], floor["p99_ms"])
    return {
        "tool": wrk_version(wrk),
        "duration_s": duration,
        "connections": connections,
        "wrk_threads": min(WRK_THREADS, connections),
        "timeout_s": timeout,
        "server": {
            "workers": effective_workers(workers),
            "threads": threads,
            "connections_per_worker": connections_per_worker(connections, workers),
            "debug": False,
            "picture_cache": bool(settings.SITUATION_PICTURE_CACHE),
            "cache_backend": settings.CACHES["default"]["BACKEND"],
        },
        "floor": FLOOR,
        "targets": results,
    }


def target_names(ctx: BenchContext) -> str:
    return ", ".join(t.name for t in targets(ctx))


def _ratio(value: float, floor: float) -> float | None:
    return round(value / floor, 3) if floor else None


def format_load_table(load: dict[str, Any]) -> str:
    header = (
        "target",
        "req/s",
        "p50 ms",
        "p99 ms",
        "non-2xx",
        "sock err",
        "req/s×floor",
        "p99×floor",
        "busiest worker",
    )
    rows = [header]
    for t in load["targets"]:
        rows.append(
            (
                t["name"],
                f"{t['req_per_s']:.1f}",
                f"{t['p50_ms']:.1f}",
                f"{t['p99_ms']:.1f}",
                str(t["non_2xx"]),
                str(sum(t["socket_errors"].values())),
                f"{t['req_per_s_vs_floor']:.3f}" if t["req_per_s_vs_floor"] is not None else "-",
                f"{t['p99_vs_floor']:.2f}" if t["p99_vs_floor"] is not None else "-",
                f"{t['busiest_worker_share']:.0%}" if t.get("busiest_worker_share") is not None else "-",
            )
        )
    lines = text_table(rows)
    server = load["server"]
    lines.append(
        f"wrk: {load['wrk_threads']} threads, {load['connections']} connections, {load['duration_s']} s per "
        f"target; gunicorn: {server['workers']} worker(s) × {server['threads']} threads; load average after "
        f"the last target: {', '.join(str(v) for v in load['targets'][-1]['load_average_after'])}"
    )
    return "\n".join(lines)
