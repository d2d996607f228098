"""The site setting "Feeds carry the full text", from the dashboard to the feed."""

import re

import feedparser
import pytest
from django.test import Client

from byline.tenancy.models import Site
from tests.factories import make_post

pytestmark = pytest.mark.django_db

URL = "/dashboard/demo/settings/"


def settings_form(site: Site, **changes) -> dict:
    data = {
        "title": site.title, "tagline": site.tagline, "language": site.language,
        "timezone": site.timezone, "is_public": "on", "theme": site.theme,
        "posts_per_page": site.posts_per_page, "comments_open_by_default": "on",
        "comments_hold_first_time": "on", "comments_close_after_days": "",
        "comment_thread_depth": 5, "custom_domain": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def owner_client(site) -> Client:
    client = Client()
    client.force_login(site.owner)
    return client


def test_settings_offer_full_text_feeds_checked_by_default(site, owner_client):
    html = owner_client.get(URL).content.decode()

    assert '<label for="id_feed_full_content">Feeds carry the full text</label>' in html
    checkbox = re.search(r'<input [^>]*name="feed_full_content"[^>]*>', html).group(0)
    assert 'type="checkbox"' in checkbox
    assert " checked" in checkbox


def test_unticking_full_text_makes_feeds_carry_excerpts(site, owner_client, site_client):
    make_post(site=site, title="Looms", source="The whole story of looms.", excerpt="Short.")

    response = owner_client.post(URL, settings_form(site))

    assert response.status_code == 302
    site.refresh_from_db()
    assert site.feed_full_content is False
    entry = feedparser.parse(site_client.get("/feed/").content).entries[0]
    assert entry.summary == "Short."
    assert "content" not in entry


def test_ticking_full_text_puts_the_body_back(site, owner_client, site_client):
    Site.objects.filter(pk=site.pk).update(feed_full_content=False)
    make_post(site=site, title="Looms", source="The whole story of looms.")

    owner_client.post(URL, settings_form(site, feed_full_content="on"))

    site.refresh_from_db()
    assert site.feed_full_content is True
    entry = feedparser.parse(site_client.get("/feed/").content).entries[0]
    assert "The whole story of looms." in entry.content[0].value
