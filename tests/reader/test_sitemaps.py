"""sitemap.xml and robots.txt: what a search engine is told about a site."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest

from byline.content import services
from byline.reader import sitemaps
from byline.tenancy.models import Domain
from tests.factories import CategoryFactory, SiteFactory, TagFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return NOON


def xml(response) -> ET.Element:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314


def locations(root: ET.Element) -> list[str]:
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


def lastmods(root: ET.Element) -> list[str]:
    return [node.text for node in root.iterfind(".//sm:lastmod", NS)]


def test_sitemap_index_names_one_sitemap_per_type(site, site_client):
    make_post(site=site, title="Hello")

    root = xml(site_client.get("/sitemap.xml"))

    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert locations(root) == [f"http://demo.localhost/sitemap-{kind}.xml" for kind in
                               ("posts", "pages", "categories", "tags", "authors")]


def test_posts_sitemap_lists_public_posts_with_their_last_change(site, site_client, at_noon):
    post = make_post(site=site, title="Hello", published_at=NOON - timedelta(days=1))
    make_post(site=site, title="Draft", status="draft")
    make_post(site=site, title="Later", status="scheduled", published_at=NOON + timedelta(days=1))
    trashed = make_post(site=site, title="Trashed")
    services.post_trash(post=trashed, user=site.owner)
    make_post(site=SiteFactory(slug="other"), title="Elsewhere")

    root = xml(site_client.get("/sitemap-posts.xml"))

    assert locations(root) == ["http://demo.localhost" + post.get_absolute_url()]
    assert lastmods(root) == ["2026-03-10T12:00:00+00:00"]


def test_pages_sitemap_lists_published_pages(site, site_client):
    page = make_post(site=site, title="About", kind="page")
    make_post(site=site, title="Hello")

    root = xml(site_client.get("/sitemap-pages.xml"))

    assert locations(root) == ["http://demo.localhost/about/"]
    assert page.get_absolute_url() == "/about/"


def test_archive_sitemaps_list_categories_tags_and_authors_with_posts(site, site_client):
    crafts = CategoryFactory(site=site, slug="crafts")
    CategoryFactory(site=site, slug="empty")
    wool = TagFactory(site=site, slug="wool")
    ada = UserFactory(username="ada")
    make_post(site=site, author=ada, title="Hello", categories=[crafts], tags=[wool])
    make_post(site=site, author=UserFactory(username="drafter"), title="Draft", status="draft",
              categories=[CategoryFactory(site=site, slug="draft-only")])

    assert locations(xml(site_client.get("/sitemap-categories.xml"))) == [
        "http://demo.localhost/category/crafts/"]
    assert locations(xml(site_client.get("/sitemap-tags.xml"))) == [
        "http://demo.localhost/tag/wool/"]
    assert locations(xml(site_client.get("/sitemap-authors.xml"))) == [
        "http://demo.localhost/author/ada/"]


def test_sitemaps_under_the_slug_prefix_use_it(site, client):
    post = make_post(site=site, title="Hello")

    index = xml(client.get("/@demo/sitemap.xml"))
    posts = xml(client.get("/@demo/sitemap-posts.xml"))

    assert locations(index)[0] == "http://testserver/@demo/sitemap-posts.xml"
    assert locations(posts) == ["http://testserver/@demo" + post.get_absolute_url()]


def test_a_large_site_has_sitemaps_of_two_thousand_addresses(site, site_client, monkeypatch):
    monkeypatch.setattr(sitemaps.SiteSitemap, "limit", 2)
    for n in range(5):
        make_post(site=site, title=f"Post {n}")

    index = locations(xml(site_client.get("/sitemap.xml")))

    assert index[:3] == ["http://demo.localhost/sitemap-posts.xml",
                         "http://demo.localhost/sitemap-posts.xml?p=2",
                         "http://demo.localhost/sitemap-posts.xml?p=3"]
    assert len(locations(xml(site_client.get("/sitemap-posts.xml?p=3")))) == 1
    assert sitemaps.URLS_PER_SITEMAP == 2000


def test_an_unknown_sitemap_is_not_found(site, site_client):
    assert site_client.get("/sitemap-nope.xml").status_code == 404
    assert site_client.get("/sitemap-posts.xml?p=9").status_code == 404


def test_sitemaps_can_be_cached(site, site_client):
    response = site_client.get("/sitemap.xml")

    assert "public" in response["Cache-Control"]


def test_robots_txt_names_the_sitemap(site, site_client):
    response = site_client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text.splitlines() == ["User-agent: *", "Disallow:", "",
                                          "Sitemap: http://demo.localhost/sitemap.xml"]


def test_robots_txt_under_the_slug_prefix_names_that_sitemap(site, client):
    response = client.get("/@demo/robots.txt")

    assert "Sitemap: http://testserver/@demo/sitemap.xml" in response.text


def test_a_custom_domain_gets_sitemaps_and_robots_at_that_domain(site, client):
    Domain.objects.create(site=site, host="notes.example.com", is_primary=True)
    post = make_post(site=site, title="Hello")

    posts = xml(client.get("/sitemap-posts.xml", HTTP_HOST="notes.example.com"))
    robots = client.get("/robots.txt", HTTP_HOST="notes.example.com").text

    assert locations(posts) == ["http://notes.example.com" + post.get_absolute_url()]
    assert "Sitemap: http://notes.example.com/sitemap.xml" in robots
