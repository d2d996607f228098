"""Microformats2 on public pages, read back with the mf2py parser the way other blogs
(Webmention receivers, readers, IndieWeb tools) read them: what it finds must be the post."""

from datetime import UTC, datetime, timedelta

import mf2py
import pytest
from django.utils import timezone

from byline.content.models import Media
from byline.discussion.models import Comment
from byline.tenancy.services import site_update
from tests.factories import CategoryFactory, TagFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
HOST = "http://demo.localhost"
BODY = "A *first* paragraph.\n\nA second paragraph with [a link](https://example.org/)."


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return NOON


@pytest.fixture(params=["canvas", "press"])
def theme(request, site):
    site_update(site=site, theme=request.param)
    return request.param


def parse(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200
    return mf2py.parse(doc=response.content.decode(), url=HOST + path)


def moment(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")


def entries(parsed: dict) -> list[dict]:
    """Every h-entry on the page, top-level or inside an h-feed."""
    found = []
    for item in parsed["items"]:
        if "h-entry" in item["type"]:
            found.append(item)
        found.extend(child for child in item.get("children", []) if "h-entry" in child["type"])
    return found


def the_entry(parsed: dict) -> dict:
    (entry,) = entries(parsed)
    return entry["properties"]


def the_feed(parsed: dict) -> dict:
    (feed,) = [item for item in parsed["items"] if "h-feed" in item["type"]]
    return feed


def comment(post, *, status="approved", name="Ada Guest", body="Nice post.", **extra):
    return Comment.objects.create(site=post.site, post=post, status=status, author_name=name,
                                  author_email="ada@example.org", body=body,
                                  html=f"<p>{body}</p>",
                                  created_at=extra.pop("created_at", timezone.now()), **extra)


@pytest.fixture
def post(site, at_noon):
    author = UserFactory(username="ada", display_name="Ada Lovelace")
    image = Media.objects.create(site=site, file="sites/1/loom.jpg", size=10,
                                 mime_type="image/jpeg", width=1200, height=800,
                                 alt_text="A loom")
    return make_post(site=site, author=author, title="On looms & cards", source=BODY,
                     published_at=NOON - timedelta(hours=2), featured_image=image,
                     categories=[CategoryFactory(site=site, name="Machines")],
                     tags=[TagFactory(site=site, name="weaving")])


# --- The post page ----------------------------------------------------------------------


def test_post_page_h_entry_reads_back_as_the_post(site, site_client, post, theme):
    entry = the_entry(parse(site_client, post.get_absolute_url()))

    permalink = HOST + post.get_absolute_url()
    assert entry["name"] == ["On looms & cards"]
    assert entry["url"] == [permalink]
    assert entry["uid"] == [permalink]
    assert moment(entry["published"][0]) == post.published_at
    assert moment(entry["updated"][0]) == post.updated_at.replace(microsecond=0)
    assert sorted(entry["category"]) == ["Machines", "weaving"]
    assert entry["featured"][0]["value"] == HOST + "/media/sites/1/loom.jpg"


def test_post_page_h_entry_content_is_the_posts_html(site, site_client, post, theme):
    entry = the_entry(parse(site_client, post.get_absolute_url()))

    (content,) = entry["content"]
    assert content["html"] == post.html.strip()
    assert content["value"].startswith("A first paragraph.")
    assert "https://example.org/" in content["html"]


def test_post_author_is_one_h_card_with_name_url_and_photo(site, site_client, post, theme):
    entry = the_entry(parse(site_client, post.get_absolute_url()))

    (author,) = entry["author"]
    assert author["type"] == ["h-card"]
    assert author["properties"]["name"] == ["Ada Lovelace"]
    assert author["properties"]["url"] == [HOST + "/author/ada/"]
    assert author["properties"]["photo"][0].startswith(HOST + "/")


def test_approved_comments_are_h_cite_comments_of_the_entry(site, site_client, post, theme):
    first = comment(post, name="Ada Guest", body="Lovely looms.", author_url="https://ada.example/",
                    created_at=NOON - timedelta(minutes=30))
    comment(post, name="Bea", body="Me too.", parent=first, created_at=NOON - timedelta(minutes=5))
    comment(post, name="Pat", body="Held back.", status="pending")
    comment(post, name="Sam", body="Buy now.", status="spam")

    entry = the_entry(parse(site_client, post.get_absolute_url()))

    (top,) = entry["comment"]
    assert top["type"] == ["h-cite"]
    ada = top["properties"]
    assert ada["author"][0]["properties"]["name"] == ["Ada Guest"]
    assert ada["author"][0]["properties"]["url"] == ["https://ada.example/"]
    assert ada["author"][0]["properties"]["photo"]
    assert moment(ada["published"][0]) == NOON - timedelta(minutes=30)
    assert ada["content"] == [{"html": "<p>Lovely looms.</p>", "value": "Lovely looms.",
                               "lang": site.language}]
    assert ada["url"] == [f"{HOST}{post.get_absolute_url()}#comment-{first.pk}"]
    # A reply is a comment on the comment it answers, as threads are in mf2.
    (reply,) = ada["comment"]
    assert reply["type"] == ["h-cite"]
    assert reply["properties"]["author"][0]["properties"]["name"] == ["Bea"]


def test_a_protected_post_shows_no_content_to_parsers(site, site_client, at_noon):
    post = make_post(site=site, title="Locked", source="Secret words.", password="sesame")
    comment(post, body="A reply behind the password.")

    entry = the_entry(parse(site_client, post.get_absolute_url()))

    assert entry["name"] == ["Locked"]
    assert "content" not in entry
    assert "comment" not in entry


def test_a_page_is_an_h_entry_too(site, site_client, at_noon):
    page = make_post(site=site, kind="page", title="About", source="Who writes here.",
                     published_at=NOON - timedelta(days=3))

    entry = the_entry(parse(site_client, page.get_absolute_url()))

    assert entry["name"] == ["About"]
    assert entry["url"] == [HOST + "/about/"]
    assert moment(entry["published"][0]) == page.published_at
    assert entry["content"][0]["value"] == "Who writes here."


# --- Lists ------------------------------------------------------------------------------


def test_home_is_an_h_feed_of_h_entry_summaries(site, site_client, post, theme):
    make_post(site=site, title="Older", excerpt="An older one.",
              published_at=NOON - timedelta(days=1))

    feed = the_feed(parse(site_client, "/"))

    children = [c["properties"] for c in feed["children"] if "h-entry" in c["type"]]
    assert [c["name"] for c in children] == [["On looms & cards"], ["Older"]]
    first, second = children
    assert first["url"] == first["uid"] == [HOST + post.get_absolute_url()]
    assert moment(first["published"][0]) == post.published_at
    assert moment(first["updated"][0]) == post.updated_at.replace(microsecond=0)
    assert first["summary"] == ["A first paragraph. A second paragraph with a link."]
    assert first["author"][0]["properties"]["name"] == ["Ada Lovelace"]
    assert first["author"][0]["properties"]["url"] == [HOST + "/author/ada/"]
    assert first["category"] == ["Machines"]
    assert second["summary"] == ["An older one."]


@pytest.mark.parametrize("path", ["/category/{category}/", "/tag/{tag}/", "/author/ada/",
                                  "/2026/03/", "/2026/"])
def test_archives_are_h_feeds_of_the_posts(site, site_client, post, path):
    path = path.format(category=post.categories.get().slug, tag=post.tags.get().slug)

    feed = the_feed(parse(site_client, path))

    (child,) = feed["children"]
    assert child["type"] == ["h-entry"]
    assert child["properties"]["name"] == ["On looms & cards"]
    assert child["properties"]["url"] == [HOST + post.get_absolute_url()]
    assert feed["properties"]["name"]
