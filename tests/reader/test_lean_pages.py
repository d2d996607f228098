"""The post page is lean (issue 5): its HTML, CSS and JS together stay under 60 KB for a
typical post, it asks no other host for anything, and no script blocks rendering."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from byline.content.models import Category, Tag
from byline.tenancy.models import Site
from tests.discussion.comment_helpers import guest_comment
from tests.factories import make_post

pytestmark = pytest.mark.django_db

BUDGET = 60 * 1024
TYPICAL = """A walk along the canal on a grey morning, and what it taught me about patience.

> The water does not hurry, yet everything gets done.

Some notes from the way:

- the lock keeper had painted his gate again, a deep green this time;
- two herons, one on each bank, ignoring each other with great dignity;
- the café at the basin opens at eight, not half past seven as the sign says.

I keep coming back to the same question: **what would it take to walk like this every
week?** Probably less than I think. Next time I will go the long way round, past the old
mill, and see whether the herons are still there.
""" * 3


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.styles: list[str] = []
        self.scripts: list[dict] = []
        self.in_head = False
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.styles.append(attrs["href"])
        if tag == "script":
            self.scripts.append({**attrs, "in_head": self.in_head})
        for name in ("src", "href"):
            if tag in ("img", "script", "link", "iframe", "source") and attrs.get(name):
                if tag == "link" and attrs.get("rel") not in ("stylesheet", "icon",
                                                                "preload", "modulepreload"):
                    continue  # canonical, alternate: addresses, not requests
                self.addresses.append(attrs[name])

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


@pytest.fixture
def typical_post(site: Site):
    site.comments_hold_first_time = False
    site.save()
    post = make_post(site=site, title="Along the canal, slowly", source=TYPICAL,
                     published_at=timezone.now() - timezone.timedelta(days=1))
    post.categories.add(Category.objects.create(site=site, name="Walks", slug="walks"))
    post.tags.add(Tag.objects.create(site=site, name="canal", slug="canal"))
    for n in range(5):
        guest_comment(post, f"Lovely walk, thank you. Comment number {n}.")
    return post


def _static_size(url: str) -> int:
    path = re.sub(r"^/static/", "", urlsplit(url).path)
    found = finders.find(path)
    assert found, f"{url} is not a static file"
    with open(found, "rb") as handle:
        return len(handle.read())


def test_the_post_page_with_its_css_and_js_is_under_60_kb(site_client, typical_post):
    response = site_client.get(typical_post.get_absolute_url())
    html = response.content
    assets = Assets()
    assets.feed(html.decode())
    total = len(html) + sum(_static_size(url) for url in assets.styles) + sum(
        _static_size(script["src"]) for script in assets.scripts if script.get("src"))
    assert assets.styles, "the page has its stylesheets"
    assert 10 * 1024 < total < BUDGET, f"{total:,} bytes"


def test_the_post_page_asks_no_other_host_for_anything(site_client, typical_post):
    assets = Assets()
    assets.feed(site_client.get(typical_post.get_absolute_url()).content.decode())
    foreign = [a for a in assets.addresses if urlsplit(a).netloc not in ("", "demo.localhost")]
    assert foreign == []


def test_no_script_blocks_rendering(site_client, typical_post):
    assets = Assets()
    assets.feed(site_client.get(typical_post.get_absolute_url()).content.decode())
    blocking = [s for s in assets.scripts if s.get("src") and "defer" not in s
                and "async" not in s and s.get("type") != "module"]
    assert blocking == []
    inline_in_head = [s for s in assets.scripts if not s.get("src") and s["in_head"]
                      and s.get("type") != "application/ld+json"]
    assert inline_in_head == []
