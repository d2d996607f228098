"""Fifty guests commenting on one post at the same moment: nothing is lost or doubled."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from byline.discussion.models import Comment
from tests.discussion.concurrent_comments import GUESTS, post_all
from tests.factories import SiteFactory, make_post

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_fifty_guests_posting_at_once_lose_nothing(tmp_path):
    if connection.vendor == "postgresql":
        site = SiteFactory(slug="crowd", comments_hold_first_time=False)
        post = make_post(site=site, title="Crowded")
        errors = post_all(post.pk)
        bodies = list(Comment.objects.filter(post=post).values_list("body", flat=True))
        assert errors == []
        assert len(bodies) == len(set(bodies)) == GUESTS
        assert Comment.objects.filter(post=post).approved().count() == GUESTS
        return
    # SQLite: the test database lives in memory, which threads cannot share; run the same
    # threads in a fresh process against a database file, as a deployment would.
    env = {**os.environ, "BYLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'crowd.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "byline.settings.test",
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
    result = subprocess.run([sys.executable, "-m", "tests.discussion.concurrent_comments"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"errors=0 stored={GUESTS} distinct={GUESTS}" in result.stdout, result.stdout
