import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Samverkan with gunicorn (static files through whitenoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("SAMVERKAN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("SAMVERKAN_THREADS", "8")))

    def handle(self, *args, host, port, workers, threads, **options):
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and workers > 1:
            self.stderr.write("SQLite: one worker process (threads serve concurrent requests).")
            workers = 1
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "samverkan.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
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
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn, fixed argv
