import os
import sys

from django.core.management.base import BaseCommand

from samverkan.core.serving import effective_workers, gunicorn_argv


class Command(BaseCommand):
    help = "Serve Samverkan with gunicorn (static files through whitenoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("SAMVERKAN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("SAMVERKAN_THREADS", "8")))

    def handle(self, *args, host, port, workers, threads, **options):
        if effective_workers(workers) != workers:
            self.stderr.write("SQLite: one worker process (threads serve concurrent requests).")
        argv = gunicorn_argv(host=host, port=port, workers=workers, threads=threads)
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn, fixed argv
