"""The Reader: a signed-in user's list of new posts from the sites they follow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from byline.discussion.models import Follow
from tests.factories import SiteFactory, make_post

pytestmark = pytest.mark.django_db


def follow(user, *sites):
    for site in sites:
        Follow.objects.create(site=site, user=user)


@pytest.fixture
def client_for(reader):
    client = Client()
    client.force_login(reader)
    return client


def test_a_guest_is_asked_to_sign_in(db):
    response = Client().get("/reader/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/reader/")


def test_posts_of_followed_sites_newest_first_linking_to_the_post(reader, client_for):
    now = timezone.now()
    birds = SiteFactory(slug="birds", title="Birds")
    trees = SiteFactory(slug="trees", title="Trees")
    unfollowed = SiteFactory(slug="fish", title="Fish")
    follow(reader, birds, trees)
    old = make_post(site=birds, title="Old wren", published_at=now - timedelta(days=3))
    new = make_post(site=trees, title="New oak", published_at=now - timedelta(hours=1))
    # Titles no generated name could contain ("Carp" once matched a "Carpenter").
    make_post(site=unfollowed, title="Unfollowed carp pond")
    make_post(site=birds, title="Secret draft", status="draft")
    make_post(site=birds, title="Tomorrow", status="scheduled",
              published_at=now + timedelta(days=1))
    page = client_for.get("/reader/").content.decode()
    assert page.index("New oak") < page.index("Old wren")
    assert "Unfollowed carp pond" not in page
    assert "Secret draft" not in page and "Tomorrow" not in page
    y, m, d = new.local_date_parts()
    assert f'href="/@trees/{y}/{m:02d}/{d:02d}/{new.slug}/">New oak</a>' in page
    y, m, d = old.local_date_parts()
    assert f'href="/@birds/{y}/{m:02d}/{d:02d}/{old.slug}/">Old wren</a>' in page


def test_the_reader_is_paginated(reader, client_for):
    site = SiteFactory(slug="busy")
    follow(reader, site)
    for i in range(25):
        make_post(site=site, title=f"Note {i:02d}",
                  published_at=timezone.now() - timedelta(minutes=i + 1))
    first = client_for.get("/reader/").content.decode()
    second = client_for.get("/reader/?page=2").content.decode()
    assert first.count('class="h-entry reader-entry"') == 20
    assert second.count('class="h-entry reader-entry"') == 5
    assert "Note 00" in first and "Note 24" in second
    assert client_for.get("/reader/?page=9").status_code == 404


def test_someone_following_nothing_is_shown_how_to_start(client_for):
    page = client_for.get("/reader/").content.decode()
    assert "You don't follow any sites yet." in page


def test_the_reader_is_private_and_never_cached(client_for):
    response = client_for.get("/reader/")
    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_reader_runs_the_same_queries_for_three_posts_or_twenty(reader, client_for):
    sites = [SiteFactory() for _ in range(3)]
    follow(reader, *sites)
    for site in sites:
        make_post(site=site)
    with CaptureQueriesContext(connection) as few:
        client_for.get("/reader/")
    for i in range(17):
        make_post(site=sites[i % 3], title=f"More {i}")
    with CaptureQueriesContext(connection) as many:
        client_for.get("/reader/")
    assert len(many) == len(few)
