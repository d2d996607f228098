"""Automatic related posts under "Find also to read": chosen on save, shown in one query."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from byline.content import services
from byline.reader.models import RelatedPost
from byline.reader.related import recompute_site, store_related
from tests.factories import CategoryFactory, SiteFactory, TagFactory, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (index, related-posts task) as each write commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def publish(site, committed):
    def _publish(title, *, hours_ago: int = 1, **fields):
        fields.setdefault("site", site)
        fields.setdefault("published_at", timezone.now() - timedelta(hours=hours_ago))
        with committed():
            return make_post(title=title, source=f"About {title.lower()}.", **fields)
    return _publish


@pytest.fixture
def tags(site):
    return {name: TagFactory(site=site, name=name, slug=name) for name in
            ("bread", "rye", "oven", "cheese")}


def _related_titles(post) -> list[str]:
    return list(RelatedPost.objects.filter(post=post).order_by("position")
                .values_list("target__title", flat=True))


def _shown(site_client, post) -> list[str]:
    content = site_client.get(post.get_absolute_url()).content.decode()
    block = re.search(r'<ul class="find-also-list find-also-auto">(.*?)</ul>', content, re.S)
    return re.findall(r'class="u-url p-name" href="[^"]*">(.*?)</a>', block.group(1)) if block \
        else []


def _resave(post, committed):
    with committed():
        return services.post_update(post=post, editor=post.author, title=post.title)


def test_posts_sharing_more_tags_come_first(publish, tags, committed):
    one = publish("Plain loaf", tags=[tags["cheese"]], hours_ago=1)
    two = publish("Dark loaf", tags=[tags["bread"], tags["rye"]], hours_ago=2)
    publish("Unrelated", hours_ago=3)
    post = publish("Rye sourdough", tags=[tags["bread"], tags["rye"], tags["cheese"]])
    assert _related_titles(post)[:2] == [two.title, one.title]
    assert "Unrelated" not in _related_titles(post)


def test_shared_categories_count(site, publish):
    baking = CategoryFactory(site=site, name="Baking")
    other = publish("Scones", categories=[baking])
    publish("Gardening", categories=[CategoryFactory(site=site)])
    post = publish("Muffins", categories=[baking])
    assert _related_titles(post) == [other.title]


def test_words_shared_by_the_titles_relate_posts_without_tags(publish):
    other = publish("Winter squash soup")
    publish("Fixing the shed roof")
    post = publish("Squash harvest")
    assert _related_titles(post) == [other.title]


def test_at_most_three_are_shown(site_client, publish, tags):
    for n in range(5):
        publish(f"Bread {n}", tags=[tags["bread"]], hours_ago=n + 2)
    post = publish("Bread again", tags=[tags["bread"]])
    assert len(_shown(site_client, post)) == 3


def test_never_the_post_itself_a_draft_a_page_or_another_sites_post(site, publish, tags):
    publish("Draft bread", tags=[tags["bread"]], status="draft")
    publish("Bread page", tags=[tags["bread"]], kind="page")
    elsewhere = SiteFactory()
    publish("Bread elsewhere", site=elsewhere,
            tags=[TagFactory(site=elsewhere, name="bread", slug="bread")])
    publish("Future bread", tags=[tags["bread"]], published_at=timezone.now() + timedelta(days=1))
    post = publish("Bread", tags=[tags["bread"]])
    assert _related_titles(post) == []


def test_the_curated_list_is_not_repeated(site_client, publish, tags, committed):
    curated = publish("Rye starter", tags=[tags["bread"], tags["rye"]], hours_ago=2)
    other = publish("Oven spring", tags=[tags["bread"]], hours_ago=3)
    post = publish("Rye loaf", tags=[tags["bread"], tags["rye"]])
    with committed():
        services.related_links_set(post=post, links=[services.LinkSpec(target=curated)])
    _resave(post, committed)
    assert _related_titles(post) == [other.title]
    assert _shown(site_client, post) == [other.title]


def test_a_post_curated_after_the_choice_is_not_shown_twice(site_client, publish, tags):
    first = publish("Rye starter", tags=[tags["rye"]], hours_ago=2)
    post = publish("Rye loaf", tags=[tags["rye"]])
    assert _related_titles(post) == [first.title]
    services.related_links_set(post=post, links=[services.LinkSpec(target=first)])
    assert _shown(site_client, post) == []


def test_related_posts_are_recomputed_when_the_post_is_saved(publish, tags, committed):
    cheese = publish("Cheese board", tags=[tags["cheese"]], hours_ago=2)
    post = publish("Loaf", tags=[tags["bread"]])
    assert _related_titles(post) == []
    with committed():
        services.post_update(post=post, editor=post.author, tags=[tags["cheese"]])
    assert _related_titles(post) == [cheese.title]


def test_a_target_unpublished_later_disappears_from_the_page(site, site_client, publish, tags):
    other = publish("Oven temperatures", tags=[tags["oven"]], hours_ago=2)
    post = publish("Wood oven", tags=[tags["oven"]])
    assert _shown(site_client, post) == [other.title]
    services.post_trash(post=other, user=site.owner)
    assert _shown(site_client, post) == []


def test_recompute_site_chooses_for_every_post(site, publish, tags):
    post = publish("Rye", tags=[tags["rye"]], hours_ago=2)
    publish("More rye", tags=[tags["rye"]])
    RelatedPost.objects.all().delete()
    assert recompute_site(site) == 2
    assert _related_titles(post) == ["More rye"]


def test_storing_twice_keeps_one_list(publish, tags):
    publish("Rye", tags=[tags["rye"]], hours_ago=2)
    post = publish("More rye", tags=[tags["rye"]])
    store_related(post)
    store_related(post)
    assert _related_titles(post) == ["Rye"]


def test_the_post_page_with_related_posts_stays_within_ten_queries(site_client, publish, tags,
                                                                   committed):
    others = [publish(f"Bread {n}", tags=[tags["bread"]], hours_ago=n + 2) for n in range(6)]
    post = publish("Bread", tags=[tags["bread"]])
    with committed():
        services.related_links_set(post=post, links=[services.LinkSpec(target=others[0]),
                                                     services.LinkSpec(url="https://example.org/",
                                                                       title="Out")])
    assert len(_shown(site_client, post)) == 3
    with CaptureQueriesContext(connection) as queries:
        assert site_client.get(post.get_absolute_url()).status_code == 200
    assert len(queries) <= 10


def test_a_new_list_bumps_the_sites_content_version_and_the_same_list_does_not(site, publish,
                                                                               tags):
    publish("Rye", tags=[tags["rye"]], hours_ago=2)
    post = publish("More rye", tags=[tags["rye"]])
    RelatedPost.objects.all().delete()
    site.refresh_from_db()
    before = site.content_version
    store_related(post)
    site.refresh_from_db()
    assert site.content_version == before + 1
    store_related(post)
    site.refresh_from_db()
    assert site.content_version == before + 1
