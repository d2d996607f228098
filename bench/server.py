"""The production server, started the way `make run` starts it, on a throwaway home.

A fresh BYLINE_HOME (SQLite under it), `migrate`, `collectstatic`, `seed_demo`, then
`byline serve` (granian) on a free loopback port. Every BYLINE_* variable of the calling
shell is dropped, so a developer's settings never leak into the figures.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Server:
    base: str  # http://127.0.0.1:PORT
    port: int
    home: Path
    database: Path
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def production_server(*, settings: dict[str, str] | None = None,
                      timeout: float = 60) -> Iterator[Server]:
    """Yield a running `byline serve` on SQLite with the demo seeded; stop it afterwards.

    ``settings`` adds BYLINE_* variables (e.g. BYLINE_COMMENT_MIN_SECONDS=0) on top of the
    production defaults: database task queue, mail thrown away.
    """
    home = Path(tempfile.mkdtemp(prefix="byline-bench-"))
    database = home / "var" / "byline.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BYLINE_")}
    env.update({
        "BYLINE_HOME": str(home),
        "BYLINE_DATABASE_URL": f"sqlite:///{database}",
        "BYLINE_SECRET_KEY": secrets.token_urlsafe(48),
        "BYLINE_TASK_BACKEND": "database",
        "BYLINE_EMAIL_URL": "dummymail://",
        "DJANGO_SETTINGS_MODULE": "byline.settings.base",
        **(settings or {}),
    })
    (home / "var").mkdir()
    byline = [sys.executable, "-m", "byline"]
    proc = None
    log_path = home / "server.log"
    try:
        for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"],
                        ["seed_demo"]):
            done = subprocess.run(byline + command, env=env, cwd=ROOT,  # noqa: S603 - our argv
                                  capture_output=True, text=True)
            if done.returncode:
                raise RuntimeError(f"byline {command[0]} failed:\n{done.stdout}{done.stderr}")
        port = free_port()
        with log_path.open("wb") as log:
            proc = subprocess.Popen(  # noqa: S603 - our own argv, no shell
                [*byline, "serve", "--port", str(port)], env=env, cwd=ROOT, stdout=log,
                stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()  # noqa: S310 - http only
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("byline serve did not start:\n"
                                       + log_path.read_text(errors="replace")) from None
                time.sleep(0.2)
        yield Server(base=base, port=port, home=home, database=database, log=log_path)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(home, ignore_errors=True)
