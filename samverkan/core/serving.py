"""How the product is served: the gunicorn command line of ``samverkan serve`` (and of ``bench --load``,
which must serve the product exactly as production does for its figures to mean anything)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings


def effective_workers(workers: int) -> int:
    """SQLite allows one writer: one process whose threads serve concurrent requests."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return 1
    return workers


def gunicorn_argv(
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
    wsgi: str = "samverkan.wsgi:application",
    worker_connections: int | None = None,
    access_log_format: str | None = None,
) -> list[str]:
    """The gunicorn command line (``python -m gunicorn …``) for ``workers`` processes of ``threads`` threads;
    ``worker_connections`` caps the connections each process holds (gunicorn's default, 1000, otherwise),
    ``access_log_format`` replaces the access log's format (the load bench names each line's process)."""
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        wsgi,
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(effective_workers(workers)),
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "--timeout",
        "60",
        # Per data folder and port, so two instances on one machine never share gunicorn's control socket.
        "--control-socket",
        str(Path(settings.VAR_DIR) / f"gunicorn-{port}.ctl"),
    ]
    if worker_connections is not None:
        argv += ["--worker-connections", str(worker_connections)]
    if access_log_format is not None:
        argv += ["--access-logformat", access_log_format]
    return argv
