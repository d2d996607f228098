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


def bench_env(home: Path, settings: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a server on `home`: the caller's, minus every BYLINE_* variable,
    plus production defaults (database task queue, mail thrown away) and `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BYLINE_")}
    env.update({
        "BYLINE_HOME": str(home),
        "BYLINE_DATABASE_URL": f"sqlite:///{home / 'var' / 'byline.sqlite3'}",
        "BYLINE_SECRET_KEY": (home / "secret").read_text().strip()
        if (home / "secret").exists() else "",
        "BYLINE_TASK_BACKEND": "database",
        "BYLINE_EMAIL_URL": "dummymail://",
        "BYLINE_PAGE_CACHE_DIR": str(home / "var" / "pagecache"),
        "DJANGO_SETTINGS_MODULE": "byline.settings.base",
        **(settings or {}),
    })
    return env


def run_byline(home: Path, *command: str, settings: dict[str, str] | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "byline", *command],  # noqa: S603 - our argv
                          env=bench_env(home, settings), cwd=ROOT, capture_output=True,
                          text=True)
    if done.returncode:
        raise RuntimeError(f"byline {command[0]} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def prepare_home(*, seed: list[list[str]] | None = None) -> Path:
    """A fresh BYLINE_HOME, migrated, static collected and seeded (`seed_demo` unless other
    commands are given; each is a `byline` argv, or a script under bench/ ending in .py)."""
    home = Path(tempfile.mkdtemp(prefix="byline-bench-"))
    (home / "var").mkdir()
    (home / "secret").write_text(secrets.token_urlsafe(48))
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"],
                    *(seed or [["seed_demo"]])):
        if command[0].endswith(".py"):
            done = subprocess.run([sys.executable, str(ROOT / "bench" / command[0]),  # noqa: S603
                                   *command[1:]], env=bench_env(home), cwd=ROOT,
                                  capture_output=True, text=True)
            if done.returncode:
                raise RuntimeError(f"{command[0]} failed:\n{done.stdout}{done.stderr}")
            print(done.stdout.strip(), flush=True)
        else:
            run_byline(home, *command)
    return home


@contextmanager
def serve(home: Path, *, settings: dict[str, str] | None = None, workers: int = 1,
          port: int | None = None, timeout: float = 60) -> Iterator[Server]:
    """`byline serve` (granian) on a prepared home; stopped afterwards."""
    port = port or free_port()
    log_path = home / f"server-{port}.log"
    env = bench_env(home, settings)
    proc = None
    try:
        with log_path.open("wb") as log:
            proc = subprocess.Popen(  # noqa: S603 - our own argv, no shell
                [sys.executable, "-m", "byline", "serve", "--port", str(port),
                 "--workers", str(workers)],
                env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
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
        yield Server(base=base, port=port, home=home,
                     database=home / "var" / "byline.sqlite3", log=log_path)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def production_server(*, settings: dict[str, str] | None = None,
                      timeout: float = 60) -> Iterator[Server]:
    """Yield a running `byline serve` on SQLite with the demo seeded; stop it afterwards.

    ``settings`` adds BYLINE_* variables (e.g. BYLINE_COMMENT_MIN_SECONDS=0) on top of the
    production defaults: database task queue, mail thrown away.
    """
    home = prepare_home()
    try:
        with serve(home, settings=settings, timeout=timeout) as server:
            yield server
    finally:
        shutil.rmtree(home, ignore_errors=True)
