"""Concurrent clicks never count a like twice (SECURITY-CASES 54).

Real threads, each with its own database connection, press Like at the same moment.
On PostgreSQL the inserts race for real: the loser waits for the winner's transaction
and then hits the unique constraint inside its savepoint. On SQLite, Byline's IMMEDIATE
transactions serialise writers, so the clicks take turns; the savepoint path is also
exercised directly by the last test, on both databases."""

import json
import os
import secrets
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from byline.discussion import social
from byline.discussion.models import Like
from tests.factories import SiteFactory, UserFactory, make_post

CLICKS = 12


def press_together(jobs) -> list[BaseException]:
    """Run each job in its own thread, all released at once; return what they raised."""
    start = threading.Barrier(len(jobs), timeout=30)
    errors: list[BaseException] = []

    def run(job):
        try:
            start.wait()
            job()
        except BaseException as exc:  # reported to the test, whatever it is
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


@pytest.fixture
def post(transactional_db):
    site = SiteFactory(slug="demo")
    return make_post(site=site, title="Busy post")


@pytest.fixture(scope="module")
def sqlite_file_race(tmp_path_factory) -> dict:
    """The same races against a real SQLite file, set up as in production (WAL,
    IMMEDIATE transactions, a busy timeout), in a fresh process."""
    home = tmp_path_factory.mktemp("likes-race")
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("BYLINE_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SETTINGS_MODULE="byline.settings.base", BYLINE_HOME=str(home),
               BYLINE_DATABASE_URL=f"sqlite:///{home / 'byline.sqlite3'}",
               BYLINE_SECRET_KEY=secrets.token_urlsafe(50), BYLINE_TASK_BACKEND="immediate",
               PYTHONPATH=str(root))
    result = subprocess.run([sys.executable, "-m", "tests.discussion.likes_race", str(CLICKS)],
                            env=env, cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def on_this_database() -> bool:
    """SQLite's in-memory test database cannot host a real race (its shared-cache table
    locks fail instead of waiting), so on SQLite the race runs against a file."""
    return connection.vendor != "sqlite"


def test_many_readers_liking_at_once_are_each_counted_once(post, request):
    if not on_this_database():
        race = request.getfixturevalue("sqlite_file_race")
        assert race["many_errors"] == []
        assert race["many_count"] == CLICKS
        return
    readers = UserFactory.create_batch(CLICKS)
    errors = press_together([lambda u=u: social.like_toggle(post=post, user=u)
                             for u in readers])
    assert errors == []
    assert Like.objects.filter(post=post).count() == CLICKS
    assert sorted(Like.objects.values_list("user_id", flat=True)) == sorted(
        u.pk for u in readers)


def test_one_reader_clicking_many_times_at_once_never_makes_two_likes(post, request):
    if not on_this_database():
        race = request.getfixturevalue("sqlite_file_race")
        assert race["one_errors"] == []
        assert race["one_count"] in (0, 1)
        return
    reader = UserFactory()
    errors = press_together([lambda: social.like_toggle(post=post, user=reader)] * CLICKS)
    assert errors == []
    assert Like.objects.filter(post=post, user=reader).count() in (0, 1)


def test_a_like_stored_by_a_concurrent_click_counts_once_and_the_click_reports_liked(
        post, monkeypatch):
    """The moment of the race, made deterministic: another click has stored the like
    after this one looked for it (its delete found nothing) and before it inserts."""
    reader = UserFactory()
    Like.objects.create(site=post.site, post=post, user=reader)
    real_filter = Like.objects.filter

    class MissedByDelete:
        def __init__(self, qs):
            self.qs = qs

        def delete(self):
            return 0, {}

    monkeypatch.setattr(Like.objects, "filter",
                        lambda *a, **kw: MissedByDelete(real_filter(*a, **kw)))
    assert social.like_toggle(post=post, user=reader) is True
    monkeypatch.undo()
    assert Like.objects.filter(post=post, user=reader).count() == 1
    assert connection.in_atomic_block is False  # the savepoint rolled back cleanly
