"""The platform's landing page: an invitation to sign up and a directory of live sites."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import SiteFactory, make_post

pytestmark = pytest.mark.django_db


def test_the_landing_page_invites_visitors_to_get_started(client):
    response = client.get("/")

    assert response.status_code == 200
    assert '<a class="button button-large" href="/start/">Get started</a>' \
        in response.text


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "testserver"])
def test_the_landing_page_is_served_on_every_platform_host(client, host):
    response = client.get("/", HTTP_HOST=host)

    assert response.status_code == 200
    assert "Sites on Byline" in response.text


def test_the_directory_lists_a_public_site_with_posts(site, client):
    make_post(site=site, title="Hello world")

    html = client.get("/").text

    assert '<a href="/@demo/">Demo Site</a>' in html
    assert "1 post ·" in html


def test_the_directory_leaves_out_a_private_site(client):
    hidden = SiteFactory(slug="hidden", title="Hidden Garden", is_public=False)
    make_post(site=hidden, title="Hello world")

    html = client.get("/").text

    assert "Hidden Garden" not in html
    assert "/@hidden/" not in html


def test_the_directory_leaves_out_a_site_with_only_drafts(client):
    quiet = SiteFactory(slug="quiet", title="Quiet Corner")
    make_post(site=quiet, title="Not yet", status="draft")

    assert "Quiet Corner" not in client.get("/").text


def test_the_directory_leaves_out_a_site_with_only_pages(client):
    brochure = SiteFactory(slug="brochure", title="Brochure Site")
    make_post(site=brochure, title="About", kind="page")

    assert "Brochure Site" not in client.get("/").text


def test_the_directory_lists_the_most_recently_active_site_first(client):
    now = timezone.now()
    dormant = SiteFactory(slug="dormant", title="Dormant Diary")
    busy = SiteFactory(slug="busy", title="Busy Bulletin")
    make_post(site=dormant, title="Long ago", published_at=now - timedelta(days=30))
    make_post(site=busy, title="Just now", published_at=now - timedelta(minutes=5))

    html = client.get("/").text

    assert html.index("Busy Bulletin") < html.index("Dormant Diary")


def test_an_empty_directory_invites_the_first_site(client):
    assert "No public sites yet. Be the first." in client.get("/").text


def test_an_unknown_platform_page_is_a_404_page(client):
    response = client.get("/no-such-thing/")

    assert response.status_code == 404
    assert "Page not found" in response.text
