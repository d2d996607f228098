"""A single post or page as a reader sees it: its address and what it shows, in order."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from byline.content.services import LinkSpec, related_links_set
from byline.tenancy.roles import Role
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    SiteFactory,
    TagFactory,
    UserFactory,
    make_post,
)

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

FIGURE = ('<figure><img src="/media/loom.png" alt="A loom">'
          "<figcaption>The Jacquard loom</figcaption></figure>")


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return NOON


def positions(html: str, *texts: str) -> list[int]:
    """Where each text first appears in the page's body, for checking their order."""
    body = html[html.index("<body"):]
    return [body.index(text) for text in texts]


def get_started_link(html: str) -> tuple[str, str]:
    """The address and text of the first link in the "Design a site like this" bar."""
    bar = html[html.index("Design a site like this with Byline"):]
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', bar)
    return link.group(1), link.group(2)


# --- Addresses ------------------------------------------------------------------------


def test_a_post_is_found_at_its_dated_permalink(site, site_client, at_noon):
    make_post(site=site, title="Hello world", source="Greetings.")

    response = site_client.get("/2026/03/10/hello-world/")

    assert response.status_code == 200
    assert "Greetings." in response.text


def test_a_post_late_in_the_utc_day_has_the_next_days_date_in_auckland(client, at_noon):
    kiwi = SiteFactory(slug="kiwi", timezone="Pacific/Auckland")
    make_post(site=kiwi, title="Late night", source="Written late.",
              published_at=datetime(2026, 1, 15, 23, 30, tzinfo=UTC))

    response = client.get("/2026/01/16/late-night/", HTTP_HOST="kiwi.localhost")

    assert response.status_code == 200
    assert "January 16, 2026" in response.text


def test_a_post_at_the_utc_date_redirects_to_the_sites_local_date(client, at_noon):
    kiwi = SiteFactory(slug="kiwi", timezone="Pacific/Auckland")
    make_post(site=kiwi, title="Late night",
              published_at=datetime(2026, 1, 15, 23, 30, tzinfo=UTC))

    response = client.get("/2026/01/15/late-night/", HTTP_HOST="kiwi.localhost")

    assert response.status_code == 301
    assert response["Location"] == "/2026/01/16/late-night/"


def test_a_wrong_date_in_the_address_redirects_to_the_permalink(site, site_client, at_noon):
    make_post(site=site, title="Hello world")

    response = site_client.get("/2019/01/01/hello-world/")

    assert response.status_code == 301
    assert response["Location"] == "/2026/03/10/hello-world/"


def test_a_wrong_date_under_the_prefix_redirects_to_the_prefixed_permalink(site, client,
                                                                            at_noon):
    make_post(site=site, title="Hello world")

    response = client.get("/@demo/2019/01/01/hello-world/")

    assert response.status_code == 301
    assert response["Location"] == "/@demo/2026/03/10/hello-world/"


def test_a_post_with_a_unicode_slug_is_found_at_its_permalink(site, site_client, at_noon):
    make_post(site=site, title="Ünïcödé 日本語 post", source="Letters kept.")

    response = site_client.get("/2026/03/10/ünïcödé-日本語-post/", follow=True)

    assert response.status_code == 200
    assert "Letters kept." in response.text


def test_an_unknown_post_is_a_friendly_404(site, site_client):
    response = site_client.get("/2026/03/10/no-such-post/")

    assert response.status_code == 404
    assert "Nothing here" in response.text
    assert "Go to the home page of Demo Site" in response.text


def test_a_page_is_found_at_its_slug(site, site_client, at_noon):
    make_post(site=site, kind="page", title="About me", source="I write things.")

    response = site_client.get("/about-me/")

    assert response.status_code == 200
    assert "I write things." in response.text


def test_a_page_is_found_under_the_prefix(site, client, at_noon):
    make_post(site=site, kind="page", title="About me", source="I write things.")

    response = client.get("/@demo/about-me/")

    assert response.status_code == 200
    assert "I write things." in response.text


def test_a_published_page_is_in_the_sites_menu(site, site_client, at_noon):
    make_post(site=site, kind="page", title="About me")

    assert '<a href="/about-me/"' in site_client.get("/").text


def test_a_post_is_not_found_at_a_pages_address(site, site_client, at_noon):
    make_post(site=site, title="Hello world")

    assert site_client.get("/hello-world/").status_code == 404


# --- What the page shows, in order ------------------------------------------------------


@pytest.fixture
def full_post(site, at_noon):
    ada = UserFactory(username="ada", display_name="Ada Lovelace",
                      bio="Counts things that count.")
    MembershipFactory(site=site, user=ada, role=Role.AUTHOR)
    science = CategoryFactory(site=site, name="Science", slug="science")
    engines = TagFactory(site=site, name="engines", slug="engines")
    earlier = make_post(site=site, author=ada, title="Earlier notes",
                        published_at=NOON - timedelta(days=2))
    unfinished = make_post(site=site, author=ada, title="Unfinished sketch", status="draft")
    post = make_post(
        site=site, author=ada, title="Engines of thought", source_format="html",
        source=f"<p>The opening paragraph.</p>{FIGURE}<p>The closing paragraph.</p>",
        categories=[science], tags=[engines],
    )
    related_links_set(post=post, links=[
        LinkSpec(url="https://example.com/babbage", title="Babbage's letters"),
        LinkSpec(target=unfinished),
        LinkSpec(target=earlier),
    ])
    return post


POST_URL = "/2026/03/10/engines-of-thought/"


def test_the_post_page_shows_its_parts_in_order(full_post, site_client):
    html = site_client.get(POST_URL).text

    order = positions(
        html,
        "Design a site like this with Byline",
        "Engines of thought",
        "March 10, 2026",
        "Science",
        'rel="tag">engines</a>',  # the theme draws the "#" before a tag
        "The opening paragraph.",
        "<figcaption>The Jacquard loom</figcaption>",
        "The closing paragraph.",
        "Find also to read",
        "Babbage&#x27;s letters",
        "Earlier notes",
        "Published by",
        "Counts things that count.",
        "Be the first to like this.",
        "Leave a Reply",
    )
    assert order == sorted(order)


def test_the_body_keeps_images_with_their_captions(full_post, site_client):
    html = site_client.get(POST_URL).text

    assert '<img src="/media/loom.png" alt="A loom">' in html
    assert "<figcaption>The Jacquard loom</figcaption>" in html


def test_find_also_to_read_hides_an_entry_pointing_at_a_draft(full_post, site_client):
    html = site_client.get(POST_URL).text

    assert "Unfinished sketch" not in html


def test_find_also_to_read_links_to_the_related_post(full_post, site_client):
    html = site_client.get(POST_URL).text

    assert '<a class="u-url p-name" href="/2026/03/08/earlier-notes/">Earlier notes</a>' in html


def test_the_author_box_names_the_author(full_post, site_client):
    html = site_client.get(POST_URL).text

    assert re.search(r"Published by\s*<a [^>]*>Ada Lovelace</a>", html)


def test_the_author_box_links_to_the_authors_posts(full_post, site_client):
    html = site_client.get(POST_URL).text

    assert 'href="/author/ada/">View all posts by Ada Lovelace</a>' in html


def test_the_get_started_bar_leads_to_get_started_on_the_platform(full_post, site_client):
    html = site_client.get(POST_URL).text

    assert get_started_link(html) == ("http://localhost/start/", "Get started")


def test_the_get_started_bar_under_the_prefix_leads_to_get_started_on_this_host(full_post, client):
    html = client.get("/@demo" + POST_URL).text

    assert get_started_link(html) == ("/start/", "Get started")


def test_a_signed_in_member_does_not_see_the_get_started_bar(full_post, site_client):
    site_client.force_login(full_post.author)

    html = site_client.get(POST_URL).text

    assert "Engines of thought" in html
    assert "Design a site like this" not in html


def test_a_post_without_related_links_has_no_find_also_section(site, site_client, at_noon):
    make_post(site=site, title="Alone")

    assert "Find also to read" not in site_client.get("/2026/03/10/alone/").text


def test_a_post_with_comments_closed_says_so(site, site_client, at_noon):
    make_post(site=site, title="Quiet", allow_comments=False)

    assert "Comments are closed." in site_client.get("/2026/03/10/quiet/").text


def test_a_page_has_no_author_box_or_reply_form(site, site_client, at_noon):
    make_post(site=site, kind="page", title="About me")

    html = site_client.get("/about-me/").text

    assert "Published by" not in html
    assert "Leave a Reply" not in html


def test_a_published_post_is_not_marked_as_a_preview(full_post, site_client):
    assert "Preview." not in site_client.get(POST_URL).text


def test_the_author_avatar_on_a_post_is_an_image(full_post, site_client):
    html = site_client.get(POST_URL).text
    src = html.split('class="u-photo avatar" src="', 1)[1].split('"', 1)[0]

    response = site_client.get(src)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
