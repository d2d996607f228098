"""Parts of a page kept per site change (reader/memo.py) never hide a change."""

import pytest
from django.utils import timezone

from byline.content import services as content_services
from tests.discussion.comment_helpers import guest_comment
from tests.factories import CategoryFactory, make_post

pytestmark = pytest.mark.django_db


def test_a_scheduled_posts_category_appears_in_the_sidebar_when_its_time_comes(
        site, site_client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    make_post(site=site, title="Now")
    garden = CategoryFactory(site=site, name="Gardening", slug="gardening")
    make_post(site=site, title="Later", status="scheduled", categories=[garden],
              published_at=timezone.now() + timezone.timedelta(minutes=1))
    assert "Gardening" not in site_client.get("/").content.decode()
    # Sooner than the cache's own age limit (five minutes): the site's next_change_at
    # bounds it.
    time_machine.shift(timezone.timedelta(minutes=2))
    assert "Gardening" in site_client.get("/").content.decode()


def test_a_new_category_appears_in_the_sidebar_at_once(site, site_client):
    post = make_post(site=site, title="Now")
    assert "Orchards" not in site_client.get("/").content.decode()
    orchards = CategoryFactory(site=site, name="Orchards", slug="orchards")
    content_services.post_update(post=post, editor=post.author, categories=[orchards])
    assert "Orchards" in site_client.get("/").content.decode()


def test_a_guest_sees_a_newly_approved_comment_in_the_thread(site, site_client):
    site.comments_hold_first_time = False
    site.save()
    post = make_post(site=site, title="Talk")
    guest_comment(post, "First words.")
    assert "First words." in site_client.get(post.get_absolute_url()).content.decode()
    guest_comment(post, "Second words.")
    html = site_client.get(post.get_absolute_url()).content.decode()
    assert "Second words." in html and "2 thoughts on" in html


def test_with_the_fragment_cache_off_every_part_is_rendered_afresh(settings, site,
                                                                   site_client):
    settings.BYLINE_FRAGMENT_CACHE = False
    site.comments_hold_first_time = False
    site.save()
    garden = CategoryFactory(site=site, name="Gardening", slug="gardening")
    post = make_post(site=site, title="Talk", categories=[garden])
    guest_comment(post, "First words.")
    html = site_client.get(post.get_absolute_url()).content.decode()
    assert "First words." in html and "Gardening" in html and "Talk" in html
    from django.core.cache import cache

    assert not any("fragment" in str(key) for key in getattr(cache, "_cache", {}))
