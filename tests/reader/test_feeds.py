"""A site's feeds, read back the way a feed reader reads them (feedparser): RSS 2.0 and
Atom at WordPress's addresses, full text or excerpt as the site chooses, and nothing a
reader of the site could not see."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from byline.content import services
from byline.content.models import Media, Post
from byline.discussion.models import Comment
from byline.tenancy.services import site_update
from tests.factories import CategoryFactory, SiteFactory, TagFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
BODY = "The **first** paragraph of the body, long enough to be worth reading.\n\nA second one."


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return NOON


def parse(response):
    assert response.status_code == 200, response.status_code
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def titles(feed) -> list[str]:
    return [entry.title for entry in feed.entries]


def comment(post, *, status="approved", name="Ada Guest", body="Nice post.", kind="comment",
            when=None, **extra) -> Comment:
    return Comment.objects.create(
        site=post.site, post=post, kind=kind, status=status, author_name=name,
        author_email="ada@example.org", body=body, html=f"<p>{body}</p>",
        created_at=when or timezone.now(), **extra)


def image(site, **extra) -> Media:
    return Media.objects.create(site=site, file="sites/1/2026/03/loom.jpg", size=48213,
                                mime_type="image/jpeg", width=1200, height=800,
                                alt_text="A loom", **extra)


# --- The site's posts ------------------------------------------------------------------


def test_site_feed_is_rss2_with_the_posts_newest_first(site, site_client, at_noon):
    make_post(site=site, title="Older", published_at=NOON - timedelta(days=2))
    make_post(site=site, title="Newer", published_at=NOON - timedelta(days=1))

    response = site_client.get("/feed/")
    feed = parse(response)

    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert feed.version == "rss20"
    assert feed.feed.title == "Demo Site"
    assert feed.feed.link == "http://demo.localhost/"
    assert titles(feed) == ["Newer", "Older"]


def test_an_entry_carries_link_guid_dates_author_and_categories(site, site_client, at_noon):
    author = UserFactory(username="ada", display_name="Ada Lovelace")
    post = make_post(site=site, author=author, title="Looms", source=BODY,
                     published_at=NOON - timedelta(hours=3),
                     categories=[CategoryFactory(site=site, name="Machines")],
                     tags=[TagFactory(site=site, name="weaving")])

    response = site_client.get("/feed/")
    entry = parse(response).entries[0]

    permalink = "http://demo.localhost" + post.get_absolute_url()
    assert entry.link == permalink
    assert entry.id == permalink
    assert f'<guid isPermaLink="true">{permalink}</guid>'.encode() in response.content
    assert entry.published_parsed[:6] == (2026, 3, 10, 9, 0, 0)
    assert entry.author == "Ada Lovelace"
    assert {t.term for t in entry.tags} == {"Machines", "weaving"}
    assert entry.comments == permalink + "#comments"


def test_atom_feed_has_ids_updated_dates_and_author_names(site, site_client, at_noon):
    author = UserFactory(username="ada", display_name="Ada Lovelace")
    post = make_post(site=site, author=author, title="Looms", source=BODY)

    response = site_client.get("/feed/atom/")
    feed = parse(response)

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert feed.version == "atom10"
    assert feed.feed.title == "Demo Site"
    assert feed.feed.updated_parsed[:6] == (2026, 3, 10, 12, 0, 0)
    entry = feed.entries[0]
    assert entry.id == "http://demo.localhost" + post.get_absolute_url()
    assert entry.updated_parsed[:6] == (2026, 3, 10, 12, 0, 0)
    assert entry.published_parsed[:6] == (2026, 3, 10, 11, 0, 0)
    assert entry.author_detail.name == "Ada Lovelace"
    assert entry.author_detail.href == "http://demo.localhost/author/ada/"


def test_rss2_address_serves_the_same_feed_as_feed(site, site_client):
    make_post(site=site, title="Hello")

    assert titles(parse(site_client.get("/feed/rss2/"))) == ["Hello"]
    assert titles(parse(site_client.get("/feed/rss/"))) == ["Hello"]


@pytest.mark.parametrize(("query", "target"), [
    ("rss2", "/feed/"), ("rss", "/feed/"), ("atom", "/feed/atom/"),
    ("comments-rss2", "/comments/feed/"), ("comments-atom", "/comments/feed/atom/"),
])
def test_wordpress_query_feeds_redirect_to_the_feed(site, site_client, query, target):
    response = site_client.get(f"/?feed={query}")

    assert response.status_code == 301
    assert response["Location"] == target


def test_an_unknown_query_feed_is_not_found(site, site_client):
    assert site_client.get("/?feed=nonsense").status_code == 404


def test_feeds_under_the_slug_prefix_link_there(site, client):
    post = make_post(site=site, title="Hello")

    feed = parse(client.get("/@demo/feed/"))

    assert feed.feed.link == "http://testserver/@demo/"
    assert feed.entries[0].link == "http://testserver/@demo" + post.get_absolute_url()


def test_feeds_can_be_cached_briefly_by_anyone(site, site_client):
    make_post(site=site, title="Hello")

    response = site_client.get("/feed/")

    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert response.has_header("Last-Modified")


# --- Full text or excerpt ---------------------------------------------------------------


def test_full_text_feeds_carry_the_body_as_html(site, site_client):
    make_post(site=site, title="Looms", source=BODY)

    rss = parse(site_client.get("/feed/")).entries[0]
    atom = parse(site_client.get("/feed/atom/")).entries[0]

    for entry in (rss, atom):
        assert "<strong>first</strong>" in entry.content[0].value
        assert "A second one." in entry.content[0].value
        assert entry.summary.startswith("The first paragraph")


def test_excerpt_feeds_carry_only_the_excerpt(site, site_client):
    site_update(site=site, feed_full_content=False)
    make_post(site=site, title="Looms", source=BODY, excerpt="Hand-written summary.")

    for address in ("/feed/", "/feed/atom/"):
        entry = parse(site_client.get(address)).entries[0]
        assert "content" not in entry
        assert entry.summary == "Hand-written summary."


def test_password_protected_posts_keep_their_text_out_of_feeds(site, site_client):
    make_post(site=site, title="Secret", source="The hidden words.", password="sesame",
              featured_image=image(site))

    for address in ("/feed/", "/feed/atom/"):
        response = site_client.get(address)
        entry = parse(response).entries[0]
        assert entry.title == "Secret"
        assert entry.summary == "This post is password protected."
        assert "content" not in entry
        assert not entry.get("enclosures")
        assert b"hidden words" not in response.content


def test_a_title_with_markup_characters_reads_back_as_typed(site, site_client):
    make_post(site=site, title="Fish & chips <for two>")
    comment(Post.objects.get(), name="Bo <b>& co</b>")

    assert titles(parse(site_client.get("/feed/"))) == ["Fish & chips <for two>"]
    assert titles(parse(site_client.get("/feed/atom/"))) == ["Fish & chips <for two>"]
    assert titles(parse(site_client.get("/comments/feed/"))) == [
        "Comment on Fish & chips <for two> by Bo <b>& co</b>"]


def test_featured_image_is_an_enclosure(site, site_client):
    make_post(site=site, title="Looms", featured_image=image(site))

    for address in ("/feed/", "/feed/atom/"):
        enclosure = parse(site_client.get(address)).entries[0].enclosures[0]
        assert enclosure.href == "http://demo.localhost/media/sites/1/2026/03/loom.jpg"
        assert enclosure.type == "image/jpeg"
        assert enclosure.length == "48213"


# --- What never gets in -----------------------------------------------------------------


def test_drafts_scheduled_trashed_pages_and_other_sites_stay_out(site, site_client, at_noon):
    make_post(site=site, title="Public")
    make_post(site=site, title="Draft", status="draft")
    make_post(site=site, title="Tomorrow", status="scheduled",
              published_at=NOON + timedelta(days=1))
    make_post(site=site, title="Private", status="private")
    make_post(site=site, title="About", kind="page")
    trashed = make_post(site=site, title="Trashed")
    services.post_trash(post=trashed, user=site.owner)
    make_post(site=SiteFactory(slug="other"), title="Elsewhere")

    for address in ("/feed/", "/feed/atom/"):
        assert titles(parse(site_client.get(address))) == ["Public"]


def test_a_scheduled_post_appears_once_its_time_comes(site, site_client, time_machine):
    time_machine.move_to(NOON, tick=False)
    make_post(site=site, title="Soon", status="scheduled", published_at=NOON + timedelta(hours=1))
    assert titles(parse(site_client.get("/feed/"))) == []

    time_machine.move_to(NOON + timedelta(hours=2), tick=False)
    assert titles(parse(site_client.get("/feed/"))) == ["Soon"]


def test_an_empty_site_has_a_valid_empty_feed(site, site_client):
    assert titles(parse(site_client.get("/feed/"))) == []
    assert titles(parse(site_client.get("/feed/atom/"))) == []


def test_feeds_carry_the_twenty_newest_posts(site, site_client, at_noon):
    for n in range(25):
        make_post(site=site, title=f"Post {n}", published_at=NOON - timedelta(hours=n + 1))

    assert titles(parse(site_client.get("/feed/"))) == [f"Post {n}" for n in range(20)]


# --- Category, tag and author feeds -----------------------------------------------------


def test_category_feed_has_the_category_and_its_children(site, site_client):
    crafts = CategoryFactory(site=site, name="Crafts", slug="crafts")
    weaving = CategoryFactory(site=site, name="Weaving", slug="weaving", parent=crafts)
    make_post(site=site, title="In crafts", categories=[crafts])
    make_post(site=site, title="In weaving", categories=[weaving])
    make_post(site=site, title="Elsewhere", categories=[CategoryFactory(site=site)])

    for address in ("/category/crafts/feed/", "/category/crafts/feed/atom/"):
        feed = parse(site_client.get(address))
        assert sorted(titles(feed)) == ["In crafts", "In weaving"]
        assert feed.feed.title == "Demo Site » Crafts Category Feed"
        assert feed.feed.link == "http://demo.localhost/category/crafts/"


def test_tag_feed_has_the_tagged_posts(site, site_client):
    wool = TagFactory(site=site, name="wool", slug="wool")
    make_post(site=site, title="Tagged", tags=[wool])
    make_post(site=site, title="Untagged")

    feed = parse(site_client.get("/tag/wool/feed/"))

    assert titles(feed) == ["Tagged"]
    assert feed.feed.link == "http://demo.localhost/tag/wool/"
    assert titles(parse(site_client.get("/tag/wool/feed/atom/"))) == ["Tagged"]


def test_author_feed_has_the_authors_posts(site, site_client):
    ada = UserFactory(username="ada", display_name="Ada Lovelace")
    make_post(site=site, author=ada, title="By Ada")
    make_post(site=site, title="By the owner")

    feed = parse(site_client.get("/author/ada/feed/"))

    assert titles(feed) == ["By Ada"]
    assert feed.feed.title == "Demo Site » Posts by Ada Lovelace Feed"
    assert titles(parse(site_client.get("/author/ada/feed/atom/"))) == ["By Ada"]


def test_archive_feeds_of_unknown_things_are_not_found(site, site_client):
    UserFactory(username="nobody")  # exists, but has published nothing here

    for address in ("/category/nope/feed/", "/tag/nope/feed/", "/author/nope/feed/",
                    "/author/nobody/feed/"):
        assert site_client.get(address).status_code == 404, address


def test_a_category_of_another_site_has_no_feed_here(site, site_client):
    other = SiteFactory(slug="other")
    CategoryFactory(site=other, slug="theirs")

    assert site_client.get("/category/theirs/feed/").status_code == 404


# --- Comments ---------------------------------------------------------------------------


def test_comments_feed_has_approved_comments_only(site, site_client, at_noon):
    post = make_post(site=site, title="Looms")
    comment(post, name="Ada", body="Approved words.", when=NOON - timedelta(minutes=5))
    comment(post, name="Pat", body="Pending words.", status="pending")
    comment(post, name="Sam", body="Spam words.", status="spam")
    comment(post, name="Tom", body="Trashed words.", status="trash")

    response = site_client.get("/comments/feed/")
    feed = parse(response)

    assert feed.feed.title == "Comments for Demo Site"
    assert titles(feed) == ["Comment on Looms by Ada"]
    entry = feed.entries[0]
    assert entry.author == "Ada"
    assert entry.summary == "<p>Approved words.</p>"
    approved = post.comments.get(status="approved")
    assert entry.link.endswith(post.get_absolute_url() + f"#comment-{approved.pk}")
    assert entry.published_parsed[:6] == (2026, 3, 10, 11, 55, 0)
    assert b"Pending words" not in response.content


def test_comments_feed_leaves_out_protected_draft_and_other_sites_posts(site, site_client):
    comment(make_post(site=site, title="Open"), body="Visible.")
    comment(make_post(site=site, title="Locked", password="sesame"), body="Behind a password.")
    draft = make_post(site=site, title="Was public")
    comment(draft, body="On a post now drafted.")
    services.post_update(post=draft, editor=site.owner, status="draft")
    comment(make_post(site=SiteFactory(slug="other"), title="Theirs"), body="Elsewhere.")

    for address in ("/comments/feed/", "/comments/feed/atom/"):
        response = site_client.get(address)
        assert titles(parse(response)) == ["Comment on Open by Ada Guest"]
        assert b"Behind a password" not in response.content


def test_a_posts_comments_feed_lists_its_approved_comments(site, site_client, at_noon):
    post = make_post(site=site, title="Looms")
    other = make_post(site=site, title="Other")
    comment(post, name="Ada", when=NOON - timedelta(minutes=2))
    comment(post, name="Bea", when=NOON - timedelta(minutes=1))
    comment(post, name="Pat", status="pending")
    comment(other, name="Oz")

    for suffix in ("feed/", "feed/rss2/", "feed/atom/"):
        feed = parse(site_client.get(post.get_absolute_url() + suffix))
        assert feed.feed.title == "Comments on: Looms"
        assert titles(feed) == ["By: Bea", "By: Ada"]
        assert feed.feed.link == "http://demo.localhost" + post.get_absolute_url()


def test_a_protected_posts_comments_feed_is_empty(site, site_client):
    post = make_post(site=site, title="Locked", password="sesame")
    comment(post, body="Behind a password.")

    response = site_client.get(post.get_absolute_url() + "feed/")

    assert titles(parse(response)) == []
    assert b"Behind a password" not in response.content


def test_a_drafts_comments_feed_is_not_found(site, site_client):
    draft = make_post(site=site, title="Draft", status="draft")

    assert site_client.get(draft.get_absolute_url() + "feed/").status_code == 404


def test_a_comment_authors_website_is_their_link(site, site_client):
    comment(make_post(site=site), name="Ada", author_url="https://ada.example/")

    entry = parse(site_client.get("/comments/feed/atom/")).entries[0]

    assert entry.author_detail.href == "https://ada.example/"


# --- Cost ---------------------------------------------------------------------------------


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        parse(client.get(address))
    return len(queries)


def _fill(site, n: int) -> None:
    for i in range(n):
        post = make_post(site=site, author=UserFactory(), title=f"Post {i}",
                         featured_image=image(site), categories=[CategoryFactory(site=site)],
                         tags=[TagFactory(site=site)])
        comment(post, name=f"Reader {i}")


@pytest.mark.parametrize("address", ["/feed/", "/feed/atom/", "/comments/feed/"])
def test_a_feed_runs_the_same_queries_for_two_entries_or_ten(site, site_client, address):
    _fill(site, 2)
    few = _queries(site_client, address)
    _fill(site, 8)

    assert _queries(site_client, address) == few


def test_a_comment_authors_odd_address_is_not_a_link(site, site_client):
    comment(make_post(site=site), name="Eve", author_url="javascript:alert(1)")

    response = site_client.get("/comments/feed/atom/")

    assert "href" not in parse(response).entries[0].author_detail
    assert b"javascript:" not in response.content
