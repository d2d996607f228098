"""Posts, categories and curated links as stored: queries, addresses and constraints."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from byline.content.models import Post, RelatedLink
from tests.factories import CategoryFactory, SiteFactory, make_post

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return NOON


def test_the_public_sees_published_posts(site, at_noon):
    post = make_post(site=site, title="Out now")

    assert list(Post.objects.for_site(site).published()) == [post]


@pytest.mark.parametrize(
    ("status", "published_at"),
    [
        pytest.param("draft", None, id="draft"),
        pytest.param("private", NOON - timedelta(hours=1), id="private"),
        pytest.param("scheduled", NOON + timedelta(hours=1), id="scheduled-later"),
    ],
)
def test_the_public_does_not_see_unpublished_posts(site, at_noon, status, published_at):
    make_post(site=site, title="Not yet", status=status, published_at=published_at)

    assert not Post.objects.for_site(site).published().exists()


def test_a_scheduled_post_is_public_once_its_time_has_come(site, at_noon, time_machine):
    post = make_post(site=site, title="Later", status="scheduled",
                     published_at=NOON + timedelta(minutes=5))

    time_machine.move_to(NOON + timedelta(minutes=5), tick=False)

    assert list(Post.objects.for_site(site).published()) == [post]


def test_another_sites_posts_are_not_in_this_sites_queries(site, at_noon):
    make_post(site=SiteFactory(slug="other"), title="Theirs")

    assert not Post.objects.for_site(site).exists()


def test_a_posts_address_carries_the_date_in_the_sites_time_zone(db):
    site = SiteFactory(slug="kiwi", timezone="Pacific/Auckland")
    post = make_post(site=site, title="Late night",
                     published_at=datetime(2026, 1, 15, 23, 30, tzinfo=UTC))

    assert post.get_absolute_url() == "/2026/01/16/late-night/"


def test_a_pages_address_is_its_slug(site):
    page = make_post(site=site, title="About me", kind="page")

    assert page.get_absolute_url() == "/about-me/"


def test_a_category_includes_its_descendants(site):
    travel = CategoryFactory(site=site, name="Travel", slug="travel")
    japan = CategoryFactory(site=site, name="Japan", slug="japan", parent=travel)
    kyoto = CategoryFactory(site=site, name="Kyoto", slug="kyoto", parent=japan)
    CategoryFactory(site=site, name="Food", slug="food")

    assert sorted(travel.descendant_ids()) == sorted([travel.pk, japan.pk, kyoto.pk])


def test_a_related_link_may_point_at_a_post(site):
    post, other = make_post(site=site, title="One"), make_post(site=site, title="Two")

    RelatedLink.objects.create(post=post, target=other)

    assert post.related_links.get().label == "Two"


def test_a_related_link_may_point_at_an_address(site):
    post = make_post(site=site, title="One")

    RelatedLink.objects.create(post=post, url="https://example.com/essay")

    assert post.related_links.get().label == "https://example.com/essay"


def test_a_related_link_cannot_point_at_both_a_post_and_an_address(site):
    post, other = make_post(site=site, title="One"), make_post(site=site, title="Two")

    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(post=post, target=other, url="https://example.com/")


def test_a_related_link_must_point_somewhere(site):
    post = make_post(site=site, title="One")

    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(post=post)
