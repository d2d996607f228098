"""`byline serve`: the production server (granian, WSGI) on one machine."""

import os
import shutil
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Byline with granian (WSGI)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("BYLINE_WORKERS", "1")),
                            help="Processes; one per core is a good start.")
        parser.add_argument("--threads", type=int,
                            default=int(os.environ.get("BYLINE_THREADS", "4")),
                            help="Blocking threads per worker (WSGI runs in threads).")

    def handle(self, *args, host, port, workers, threads, **options):
        granian = shutil.which("granian") or os.path.join(os.path.dirname(sys.executable),
                                                          "granian")
        if not os.path.exists(granian):
            raise CommandError("granian is not installed in this environment.")
        argv = [
            granian, "--interface", "wsgi", "--host", host, "--port", str(port),
            "--workers", str(workers), "--blocking-threads", str(threads),
            "--no-ws", "--log-level", "warning", "byline.wsgi:application",
        ]
        self.stdout.flush()
        os.execv(granian, argv)  # noqa: S606 - replaces this process, no shell
