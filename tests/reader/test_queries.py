"""Public pages run a fixed number of queries, however much content they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from byline.content import services
from tests.factories import CategoryFactory, TagFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _fill(site, n: int) -> list:
    posts = []
    for i in range(n):
        author = UserFactory()
        post = make_post(site=site, author=author, title=f"Post {i}", source="Body.")
        post.categories.set([CategoryFactory(site=site)])
        post.tags.set([TagFactory(site=site), TagFactory(site=site)])
        posts.append(post)
    return posts


def test_home_runs_the_same_queries_for_two_posts_or_ten(site, site_client):
    _fill(site, 2)
    few = _count(site_client, "/")
    _fill(site, 8)
    assert _count(site_client, "/") == few


def test_post_page_runs_at_most_ten_queries_with_a_long_curated_list(site, site_client):
    posts = _fill(site, 6)
    post = posts[0]
    services.related_links_set(post=post, links=[services.LinkSpec(target=p) for p in posts[1:]]
                               + [services.LinkSpec(url="https://example.org/", title="Out")])
    assert _count(site_client, post.get_absolute_url()) <= 10
