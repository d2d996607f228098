"""`make bench` works: the comment benchmark posts real comments to a real server.

No timing assertions here (speed is measured by `make bench`, never by tests): these only
prove the harness measures what it says, and fails loudly when it could not.
"""

import sqlite3

import pytest

from bench import comment_post
from bench.server import production_server


def test_comment_benchmark_stores_every_comment_it_times_and_enqueues_its_notification():
    n = 3
    per_scenario = comment_post.WARMUP + n
    with production_server(settings={"BYLINE_COMMENT_MIN_SECONDS": "0"}) as server:
        results = comment_post.measure_on(server, n=n)
        with sqlite3.connect(server.database) as db:
            statuses = dict(db.execute(
                "SELECT status, COUNT(*) FROM discussion_comment "
                "WHERE author_email LIKE '%@bench.example.com' GROUP BY status").fetchall())
            addresses = db.execute(
                "SELECT COUNT(DISTINCT author_ip) FROM discussion_comment "
                "WHERE author_email LIKE '%@bench.example.com'").fetchone()[0]
            queued = db.execute("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                                "WHERE task_path LIKE '%comment_notify'").fetchone()[0]

    assert statuses == {"pending": per_scenario, "approved": per_scenario}
    assert addresses == 2 * per_scenario
    assert queued == 2 * per_scenario
    assert [scenario.status for scenario, _ in results] == ["pending", "approved"]
    for _, summary in results:
        assert 0 < summary["min"] <= summary["median"] <= summary["p90"] <= summary["max"]


def test_comment_benchmark_fails_loudly_when_the_server_refuses_the_comments():
    # With the form's default three-second minimum, a comment sent at once is refused (400):
    # the benchmark must stop, not report timings of refusals.
    with (production_server() as server,
          pytest.raises(comment_post.BenchError, match="answered 400, not 302")):
        comment_post.measure_on(server, n=2)
