"""What a page's head tells search engines, link previews and feed readers: canonical,
description, Open Graph, Twitter card, JSON-LD BlogPosting and feed autodiscovery."""

import json
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import feedparser
import pytest

from byline.content.models import Media
from byline.tenancy.services import site_update
from tests.factories import CategoryFactory, TagFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
HOST = "http://demo.localhost"


class Head(HTMLParser):
    """The <head>'s meta, link and JSON-LD, as a crawler collects them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.scripts: list[str] = []
        self._in_ld = False
        self.feed(html[: html.index("</head>")])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta[attrs.get("property") or attrs.get("name")] = attrs["content"]
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.scripts.append("")

    def handle_data(self, data):
        if self._in_ld:
            self.scripts[-1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def link(self, rel: str) -> str | None:
        return next((link["href"] for link in self.links if link.get("rel") == rel), None)

    def feeds(self) -> dict[str, str]:
        return {link["title"]: link["href"] for link in self.links
                if link.get("rel") == "alternate" and link.get("type") == "application/rss+xml"}

    def json_ld(self) -> dict:
        (script,) = self.scripts
        return json.loads(script)


def head(client, path: str) -> Head:
    response = client.get(path)
    assert response.status_code == 200
    return Head(response.content.decode())


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return NOON


@pytest.fixture
def image(site) -> Media:
    return Media.objects.create(site=site, file="sites/1/loom.jpg", size=10,
                                mime_type="image/jpeg", width=1200, height=800,
                                alt_text="A loom")


@pytest.fixture
def post(site, image, at_noon):
    author = UserFactory(username="ada", display_name="Ada Lovelace")
    return make_post(site=site, author=author, title="On looms", source="The **first** words.",
                     excerpt="Cards that tell a loom what to weave.",
                     published_at=NOON - timedelta(hours=2), featured_image=image,
                     categories=[CategoryFactory(site=site, name="Machines")],
                     tags=[TagFactory(site=site, name="weaving")])


# --- A post -----------------------------------------------------------------------------


def test_post_head_has_canonical_and_description(site, site_client, post):
    page = head(site_client, post.get_absolute_url())

    assert page.link("canonical") == HOST + post.get_absolute_url()
    assert page.meta["description"] == "Cards that tell a loom what to weave."


def test_post_head_has_open_graph_article_meta(site, site_client, post):
    meta = head(site_client, post.get_absolute_url()).meta

    assert meta["og:type"] == "article"
    assert meta["og:title"] == "On looms"
    assert meta["og:description"] == "Cards that tell a loom what to weave."
    assert meta["og:url"] == HOST + post.get_absolute_url()
    assert meta["og:site_name"] == "Demo Site"
    assert meta["og:image"] == HOST + "/media/sites/1/loom.jpg"
    assert meta["og:image:alt"] == "A loom"
    assert meta["article:published_time"] == "2026-03-10T10:00:00+00:00"
    assert meta["article:modified_time"] == "2026-03-10T12:00:00+00:00"


def test_post_with_an_image_has_a_large_twitter_card(site, site_client, post):
    meta = head(site_client, post.get_absolute_url()).meta

    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:title"] == "On looms"
    assert meta["twitter:description"] == "Cards that tell a loom what to weave."
    assert meta["twitter:image"] == HOST + "/media/sites/1/loom.jpg"


def test_post_without_an_image_has_a_summary_card(site, site_client):
    post = make_post(site=site, title="Plain", source="Just words, nothing else here.")

    meta = head(site_client, post.get_absolute_url()).meta

    assert meta["twitter:card"] == "summary"
    assert "og:image" not in meta
    assert meta["description"] == "Just words, nothing else here."


def test_post_json_ld_is_a_blog_posting(site, site_client, post):
    data = head(site_client, post.get_absolute_url()).json_ld()

    permalink = HOST + post.get_absolute_url()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "On looms"
    assert data["datePublished"] == "2026-03-10T10:00:00+00:00"
    assert data["dateModified"] == "2026-03-10T12:00:00+00:00"
    assert data["author"] == {"@type": "Person", "name": "Ada Lovelace",
                              "url": HOST + "/author/ada/"}
    assert data["image"] == [HOST + "/media/sites/1/loom.jpg"]
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": permalink}
    assert data["publisher"] == {"@type": "Organization", "name": "Demo Site",
                                 "url": HOST + "/"}
    assert data["keywords"] == ["weaving"]
    assert data["articleSection"] == ["Machines"]


def test_json_ld_cannot_be_broken_out_of_by_a_title(site, site_client):
    title = "</script><script>alert(1)</script> & <!-- more"
    post = make_post(site=site, title=title, excerpt="a < b && c > d")

    response = site_client.get(post.get_absolute_url())
    html = response.content.decode()
    script = html[html.index('<script type="application/ld+json">'):]
    script = script[: script.index("</script>")]

    assert "<" not in script.removeprefix('<script type="application/ld+json">')
    assert "&" not in script
    data = Head(html).json_ld()
    assert data["headline"] == title
    assert data["description"] == "a < b && c > d"
    assert "<script>alert(1)" not in html


def test_a_protected_post_tells_nothing_of_its_text(site, site_client, image):
    post = make_post(site=site, title="Locked", source="Secret words.", excerpt="Secret excerpt.",
                     password="sesame", featured_image=image)

    response = site_client.get(post.get_absolute_url())
    page = Head(response.content.decode())

    assert page.meta["description"] == "This post is password protected."
    assert page.meta["og:description"] == "This post is password protected."
    assert "og:image" not in page.meta
    assert "Secret" not in "".join(page.scripts)
    assert "Secret" not in response.content.decode()


def test_a_preview_is_not_indexed(site, client):
    draft = make_post(site=site, title="Draft", status="draft")
    client.force_login(site.owner)

    page = head(client, "/@demo" + draft.get_absolute_url())

    assert page.meta["robots"] == "noindex"
    assert not any("Comments Feed" in title and "Draft" in title for title in page.feeds())


def test_canonical_under_the_slug_prefix_keeps_it(site, client, post):
    page = head(client, "/@demo" + post.get_absolute_url())

    assert page.link("canonical") == "http://testserver/@demo" + post.get_absolute_url()
    assert page.feeds()["Demo Site » Feed"] == "http://testserver/@demo/feed/"


# --- Lists ------------------------------------------------------------------------------


def test_home_is_a_website_with_the_tagline_as_description(site, site_client, post):
    page = head(site_client, "/")

    assert page.link("canonical") == HOST + "/"
    assert page.meta["og:type"] == "website"
    assert page.meta["description"] == "Notes from somewhere"
    assert page.meta["og:title"] == "Demo Site"
    assert page.scripts == []


def test_second_page_of_a_list_is_its_own_canonical(site, site_client, at_noon):
    site_update(site=site, posts_per_page=1)
    make_post(site=site, title="One")
    make_post(site=site, title="Two")

    assert head(site_client, "/?page=2").link("canonical") == HOST + "/?page=2"


def test_archive_descriptions_say_what_is_listed(site, site_client, post):
    category = post.categories.get()
    category.description = "Machines that make things."
    category.save()

    assert head(site_client, category.get_absolute_url()).meta["description"] == (
        "Machines that make things.")
    assert head(site_client, post.tags.get().get_absolute_url()).meta["description"] == (
        "Posts tagged “weaving” on Demo Site.")
    assert head(site_client, "/author/ada/").meta["og:title"] == "Author: Ada Lovelace"


# --- Feed autodiscovery -----------------------------------------------------------------


@pytest.mark.parametrize("theme", ["canvas", "press"])
def test_every_page_names_the_site_and_comments_feeds(site, site_client, post, theme):
    site_update(site=site, theme=theme)
    about = make_post(site=site, kind="page", title="About")

    for path in ("/", post.get_absolute_url(), about.get_absolute_url(), "/2026/03/",
                 "/author/ada/"):
        feeds = head(site_client, path).feeds()
        assert feeds["Demo Site » Feed"] == HOST + "/feed/", path
        assert feeds["Demo Site » Comments Feed"] == HOST + "/comments/feed/", path


def test_archives_and_posts_name_their_own_feeds(site, site_client, post):
    category, tag = post.categories.get(), post.tags.get()

    expected = {
        category.get_absolute_url(): ("Demo Site » Machines Category Feed",
                                      f"{HOST}/category/{category.slug}/feed/"),
        tag.get_absolute_url(): ("Demo Site » weaving Tag Feed", f"{HOST}/tag/{tag.slug}/feed/"),
        "/author/ada/": ("Demo Site » Posts by Ada Lovelace Feed", f"{HOST}/author/ada/feed/"),
        post.get_absolute_url(): ("Demo Site » On looms Comments Feed",
                                  f"{HOST}{post.get_absolute_url()}feed/"),
    }
    for path, (title, href) in expected.items():
        assert head(site_client, path).feeds()[title] == href


def test_every_discovered_feed_is_a_working_feed(site, site_client, post):
    paths = ["/", post.get_absolute_url(), post.categories.get().get_absolute_url(),
             post.tags.get().get_absolute_url(), "/author/ada/"]
    hrefs = {href for path in paths for href in head(site_client, path).feeds().values()}

    assert len(hrefs) == 6
    for href in hrefs:
        parsed = feedparser.parse(site_client.get(href.removeprefix(HOST)).content)
        assert parsed.bozo == 0, href


def test_the_not_found_page_still_names_the_feeds_but_no_canonical(site, site_client):
    response = site_client.get("/no-such-page/")
    page = Head(response.content.decode())

    assert response.status_code == 404
    assert page.feeds()["Demo Site » Feed"] == HOST + "/feed/"
    assert page.link("canonical") is None
