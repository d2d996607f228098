"""WordPress → Byline → WXR: a real WordPress export (the importer's own test file),
imported and exported again, says the same things in the same elements as the file
WordPress wrote: items, statuses, slugs, dates, terms, comments and their threading."""

import io
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest

from byline.porting.export import write_wxr
from tests.factories import SiteFactory

importer = pytest.importorskip("byline.porting.importer")

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
# The samples that are whole exports as WordPress writes them. (The others test the
# importer's edge cases: items without dates, hijacked namespaces, invisible characters
# in logins, which the importer deliberately normalises.)
SAMPLES = ["small-export.xml", "valid-wxr-1.1.xml", "term-formats.xml", "slashes.xml",
           "post-content-blank-lines.xml", "crazy-cdata-escaped.xml"]
CONTENT = "http://purl.org/rss/1.0/modules/content/"


def parse(data: bytes) -> ET.Element:
    # WordPress's own sample and our own export, in a test: not untrusted input.
    return ET.fromstring(data)  # noqa: S314


def wp_ns(root: ET.Element) -> dict[str, str]:
    version = root.findtext("channel/{http://wordpress.org/export/1.2/}wxr_version")
    version = version or "1.1"
    return {"wp": f"http://wordpress.org/export/{version}/",
            "dc": "http://purl.org/dc/elements/1.1/"}


def summary_of(root: ET.Element) -> dict:
    """What a WXR says, keyed by what survives a move (slugs, not ids)."""
    ns = wp_ns(root)

    def get(element, name):
        return (element.findtext(f"wp:{name}", namespaces=ns) or "").strip()

    items = {}
    for item in root.iterfind("channel/item"):
        ids = {get(c, "comment_id"): c for c in item.iterfind("wp:comment", ns)}
        comments = sorted(
            (unescape(get(c, "comment_author")), get(c, "comment_author_email"),
             get(c, "comment_date_gmt"), get(c, "comment_approved"),
             get(c, "comment_type") or "comment",
             unescape(get(ids[get(c, "comment_parent")], "comment_author"))
             if get(c, "comment_parent") in ids else None)
            for c in ids.values())
        # Post formats ("aside") and custom taxonomies have no Byline equivalent: the
        # importer reports them.
        terms = sorted((c.get("domain"), c.get("nicename")) for c in item.iterfind("category")
                       if c.get("nicename") and c.get("domain") in ("category", "post_tag"))
        # Keyed by title: a WordPress draft has no slug yet (Byline gives it one).
        items[(get(item, "post_type"), unescape(item.findtext("title") or ""))] = {
            "slug": get(item, "post_name"),
            "status": get(item, "status"),
            "date_gmt": get(item, "post_date_gmt"),
            "creator": item.findtext("dc:creator", namespaces=ns),
            "password": get(item, "post_password"),
            "sticky": get(item, "is_sticky"),
            "menu_order": get(item, "menu_order"),
            "comments": comments,
            "terms": terms,
        }
    categories = sorted(
        (get(c, "category_nicename"), unescape(get(c, "cat_name")),
         get(c, "category_parent"), unescape(get(c, "category_description")))
        for c in root.iterfind("channel/wp:category", ns))
    tags = sorted((get(t, "tag_slug"), unescape(get(t, "tag_name")))
                  for t in root.iterfind("channel/wp:tag", ns))
    return {"items": items, "categories": categories, "tags": tags}


@pytest.fixture(params=SAMPLES)
def sample(request) -> Path:
    return DATA / request.param


@pytest.fixture
def original(sample) -> dict:
    return summary_of(parse(sample.read_bytes()))


@pytest.fixture
def exported(sample) -> dict:
    site = SiteFactory(slug="trunk", timezone="UTC")
    with sample.open("rb") as source:
        importer.import_wxr(site=site, file=source)
    out = io.BytesIO()
    write_wxr(site=site, out=out, base_url="https://trunk.example.com")
    return summary_of(parse(out.getvalue()))


def test_the_same_posts_and_pages_with_status_dates_and_authors(original, exported):
    assert set(exported["items"]) == set(original["items"])
    for key, was in original["items"].items():
        now = exported["items"][key]
        for field in ("status", "date_gmt", "creator", "password", "sticky", "menu_order"):
            assert now[field] == was[field], (key, field)
        assert now["slug"] == was["slug"] or (was["status"] == "draft" and not was["slug"])


def test_the_same_comments_with_their_threading(original, exported):
    for key, was in original["items"].items():
        assert exported["items"][key]["comments"] == was["comments"], key


def test_the_same_terms_on_each_post(original, exported):
    for key, was in original["items"].items():
        assert exported["items"][key]["terms"] == was["terms"], key


def test_the_same_category_tree_and_tags(original, exported):
    assert exported["categories"] == original["categories"]
    assert exported["tags"] == original["tags"]
