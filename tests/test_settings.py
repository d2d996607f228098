"""Production settings: the deploy checklist passes, passwords use Argon2, and SQLite is
tuned for concurrent writers (SECURITY-CASES 50 and 53)."""

import json
import os
import secrets
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

from byline.settings import base

SQLITE_ENGINE = "django.db.backends.sqlite3"
BYLINE = Path(sys.executable).with_name("byline")


def production_env(home: Path, **overrides: str) -> dict[str, str]:
    """The environment of a production install: no test settings, a fresh home."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("BYLINE_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="byline.settings.base",
        BYLINE_HOME=str(home),
        BYLINE_DATABASE_URL=f"sqlite:///{home / 'byline.sqlite3'}",
        BYLINE_SECRET_KEY=secrets.token_urlsafe(50),
        BYLINE_HTTPS="1",
        BYLINE_DEBUG="0",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v}


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)


# --- Deployment checklist (SECURITY-CASES 50) -------------------------------------------


def test_the_deploy_check_passes_with_production_settings(tmp_path):
    result = run([str(BYLINE), "check", "--deploy", "--fail-level", "WARNING"],
                 production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_fails_without_https(tmp_path):
    result = run([str(BYLINE), "check", "--deploy", "--fail-level", "WARNING"],
                 production_env(tmp_path, BYLINE_HTTPS=""))

    assert result.returncode != 0
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT


def test_argon2_is_the_first_password_hasher():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


class QuickArgon2(Argon2PasswordHasher):
    """The production hasher with toy costs: the library is what is being checked."""

    time_cost, memory_cost, parallelism = 1, 64, 1


def test_argon2_is_installed_and_hashes_passwords():
    hasher = QuickArgon2()

    encoded = hasher.encode("correct horse battery staple", hasher.salt())

    assert encoded.startswith("argon2$")
    assert hasher.verify("correct horse battery staple", encoded)


def test_the_site_may_not_be_framed_by_others():
    assert base.X_FRAME_OPTIONS == "DENY"


# --- SQLite tuning (SECURITY-CASES 53) ----------------------------------------------------


def sqlite_options(path: Path) -> dict:
    return base.tune_database({"ENGINE": SQLITE_ENGINE, "NAME": str(path)})["OPTIONS"]


def test_sqlite_transactions_take_the_write_lock_at_begin(tmp_path):
    assert sqlite_options(tmp_path / "db.sqlite3")["transaction_mode"] == "IMMEDIATE"


def test_sqlite_waits_for_a_busy_database_instead_of_failing_at_once(tmp_path):
    assert sqlite_options(tmp_path / "db.sqlite3")["timeout"] >= 5


def test_sqlite_asks_for_write_ahead_logging(tmp_path):
    assert "journal_mode=WAL" in sqlite_options(tmp_path / "db.sqlite3")["init_command"]


def test_postgresql_connections_are_kept_open_and_checked():
    db = base.tune_database({"ENGINE": "django.db.backends.postgresql", "NAME": "byline"})

    assert db["CONN_MAX_AGE"] > 0
    assert db["CONN_HEALTH_CHECKS"] is True


PROBE = """
import json, sqlite3, django
django.setup()
from django.db import connection, transaction
with connection.cursor() as cursor:
    pragmas = {name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
               for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
    cursor.execute("CREATE TABLE probe (n INTEGER)")
with transaction.atomic():
    connection.cursor().execute("SELECT count(*) FROM probe").fetchone()
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        second_writer = "got the write lock"
    except sqlite3.OperationalError as exc:
        second_writer = str(exc)
    other.close()
print(json.dumps({"pragmas": pragmas, "second_writer": second_writer}))
"""


@pytest.fixture(scope="module")
def configured_sqlite(tmp_path_factory):
    """What a real file-based SQLite database looks like through the configured connection."""
    home = tmp_path_factory.mktemp("byline-home")
    result = run([sys.executable, "-c", PROBE], production_env(home))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_sqlite_database_file_runs_in_wal_mode(configured_sqlite):
    assert configured_sqlite["pragmas"]["journal_mode"] == "wal"


def test_a_sqlite_database_enforces_foreign_keys(configured_sqlite):
    assert configured_sqlite["pragmas"]["foreign_keys"] == 1


def test_a_sqlite_connection_waits_when_the_database_is_busy(configured_sqlite):
    assert configured_sqlite["pragmas"]["busy_timeout"] >= 5000


def test_a_sqlite_transaction_holds_the_write_lock_before_it_writes(configured_sqlite):
    assert configured_sqlite["second_writer"] == "database is locked"


# --- 16 concurrent read-then-write transactions (SECURITY-CASES 53) ----------------------

WORKERS = 16

sqlite_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != SQLITE_ENGINE,
    reason="SQLite's locking matters only where Byline runs on SQLite",
)


def connect(path: Path, options: dict) -> sqlite3.Connection:
    """A stdlib connection set up the way Django sets up one with these OPTIONS."""
    conn = sqlite3.connect(path, timeout=options["timeout"], isolation_level=None,
                           check_same_thread=False)
    for statement in options["init_command"].split(";"):
        if statement.strip():
            conn.execute(statement)
    return conn


def counter_database(tmp_path: Path) -> tuple[Path, dict]:
    path = tmp_path / "counter.sqlite3"
    options = sqlite_options(path)
    conn = connect(path, options)
    conn.execute("CREATE TABLE counter (value INTEGER NOT NULL)")
    conn.execute("INSERT INTO counter VALUES (0)")
    conn.close()
    return path, options


def increment_concurrently(path: Path, options: dict, transaction_mode: str,
                           all_read_first: bool) -> tuple[int, list[str]]:
    """WORKERS threads each read the counter and write it back plus one, in one transaction.

    They start together; with `all_read_first` every transaction has read before any
    writes, the worst interleaving a DEFERRED transaction can meet.
    """
    start = threading.Barrier(WORKERS, timeout=10)
    read = threading.Barrier(WORKERS, timeout=10)
    errors: list[str] = []

    def worker() -> None:
        conn = connect(path, options)
        try:
            start.wait()
            conn.execute(f"BEGIN {transaction_mode}")
            (value,) = conn.execute("SELECT value FROM counter").fetchone()
            if all_read_first:
                read.wait()
            else:
                time.sleep(0.002)  # hold the lock a moment so the others must queue
            conn.execute("UPDATE counter SET value = ?", (value + 1,))
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            errors.append(str(exc))
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    conn = connect(path, options)
    (value,) = conn.execute("SELECT value FROM counter").fetchone()
    conn.close()
    return value, errors


@sqlite_only
def test_sixteen_concurrent_writers_never_meet_a_locked_database(tmp_path):
    path, options = counter_database(tmp_path)

    value, errors = increment_concurrently(path, options, options["transaction_mode"],
                                           all_read_first=False)

    assert errors == []
    assert value == WORKERS


@sqlite_only
def test_deferred_transactions_that_read_then_write_meet_a_locked_database(tmp_path):
    path, options = counter_database(tmp_path)

    value, errors = increment_concurrently(path, options, "DEFERRED", all_read_first=True)

    assert "database is locked" in errors
    assert value < WORKERS
