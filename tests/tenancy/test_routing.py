"""How a request finds its site: by host, by custom domain, or under /@slug/."""

from datetime import UTC, datetime

import pytest
from django.urls import get_script_prefix, reverse

from byline.tenancy.models import Domain
from tests.factories import CategoryFactory, SiteFactory, TagFactory, make_post

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
NO_SITE = "There is no site at this address"


def test_a_site_is_served_at_its_own_subdomain(site, client):
    response = client.get("/", HTTP_HOST="demo.localhost")

    assert response.status_code == 200
    assert "Demo Site" in response.text


def test_a_site_is_served_at_its_subdomain_with_a_port(site, client):
    response = client.get("/", HTTP_HOST="demo.localhost:8000")

    assert response.status_code == 200
    assert "Demo Site" in response.text


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "testserver"])
def test_a_site_is_served_under_its_prefix_on_the_platform_host(site, client, host):
    response = client.get("/@demo/", HTTP_HOST=host)

    assert response.status_code == 200
    assert "Demo Site" in response.text


def test_a_custom_domain_serves_its_site(site, client):
    Domain.objects.create(site=site, host="notes.example.com")

    response = client.get("/", HTTP_HOST="notes.example.com")

    assert response.status_code == 200
    assert "Demo Site" in response.text


def test_an_unknown_subdomain_is_a_helpful_404(site, client):
    response = client.get("/", HTTP_HOST="nosuchsite.localhost")

    assert response.status_code == 404
    assert NO_SITE in response.text


@pytest.mark.parametrize("path", ["/@nosuchsite/", "/@nosuchsite", "/@/"])
def test_an_unknown_prefix_is_a_helpful_404(site, client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert NO_SITE in response.text


def test_an_unknown_custom_host_is_a_helpful_404(site, client):
    response = client.get("/", HTTP_HOST="blog.example.org")

    assert response.status_code == 404
    assert NO_SITE in response.text


def test_the_prefix_without_a_trailing_slash_redirects_to_the_site(site, client):
    response = client.get("/@demo")

    assert response.status_code == 301
    assert response["Location"] == "/@demo/"


def test_the_prefix_redirect_keeps_the_query_string(site, client):
    response = client.get("/@demo?page=2")

    assert response.status_code == 301
    assert response["Location"] == "/@demo/?page=2"


def test_links_on_a_page_under_the_prefix_keep_the_prefix(site, client, time_machine):
    time_machine.move_to(NOON, tick=False)
    make_post(site=site, title="Hello world")

    html = client.get("/@demo/").text

    assert 'href="/@demo/" rel="home"' in html
    assert 'href="/@demo/2026/03/10/hello-world/"' in html


def test_category_and_archive_links_under_the_prefix_keep_the_prefix(site, client,
                                                                      time_machine):
    time_machine.move_to(NOON, tick=False)
    travel = CategoryFactory(site=site, name="Travel", slug="travel")
    tag = TagFactory(site=site, name="trains", slug="trains")
    make_post(site=site, title="Hello world", categories=[travel], tags=[tag])

    html = client.get("/@demo/2026/03/10/hello-world/").text

    assert 'href="/@demo/category/travel/"' in html
    assert 'href="/@demo/tag/trains/"' in html
    assert 'href="/@demo/2026/03/"' in html
    assert 'href="/@demo/author/' in html


def test_links_on_the_sites_own_host_have_no_prefix(site, site_client, time_machine):
    time_machine.move_to(NOON, tick=False)
    make_post(site=site, title="Hello world")

    html = site_client.get("/").text

    assert 'href="/" rel="home"' in html
    assert 'href="/2026/03/10/hello-world/"' in html
    assert "/@demo/" not in html


def test_a_post_under_the_prefix_is_found_at_its_prefixed_permalink(site, client,
                                                                     time_machine):
    time_machine.move_to(NOON, tick=False)
    make_post(site=site, title="Hello world", source="Body of the greeting.")

    response = client.get("/@demo/2026/03/10/hello-world/")

    assert response.status_code == 200
    assert "Body of the greeting." in response.text


def test_the_prefix_does_not_leak_into_addresses_built_after_the_request(site, client):
    client.get("/@demo/")

    assert get_script_prefix() == "/"
    assert reverse("landing") == "/"
    assert reverse("reader:home", urlconf="byline.site_urls") == "/"


def test_the_prefix_does_not_leak_after_a_404_under_the_prefix(site, client):
    client.get("/@demo/no-such-page/")

    assert get_script_prefix() == "/"


def test_two_sites_each_serve_their_own_post_at_the_same_address(site, client, time_machine):
    time_machine.move_to(NOON, tick=False)
    other = SiteFactory(slug="other", title="Other Site")
    make_post(site=site, title="Hello world", source="Written for demo.")
    make_post(site=other, title="Hello world", source="Written for other.")

    demo_page = client.get("/2026/03/10/hello-world/", HTTP_HOST="demo.localhost").text
    other_page = client.get("/2026/03/10/hello-world/", HTTP_HOST="other.localhost").text

    assert "Written for demo." in demo_page
    assert "Written for other." not in demo_page
    assert "Written for other." in other_page
    assert "Written for demo." not in other_page


def test_a_sites_home_never_lists_another_sites_posts(site, site_client):
    make_post(site=SiteFactory(slug="other"), title="Someone else's news")
    make_post(site=site, title="Our own news")

    html = site_client.get("/").text

    assert "Our own news" in html
    assert "Someone else" not in html
