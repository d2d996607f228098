"""Moving out as WXR: the file WordPress's importer reads, with every field it needs,
nothing from another site, nothing from the trash, and text that survives any content."""

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from byline.content.media import media_upload
from byline.content.models import Post
from byline.discussion.models import Comment
from byline.porting import export as export_module
from byline.porting.export import (
    ATTACHMENT_ID_OFFSET,
    TAG_ID_OFFSET,
    WxrExport,
    absolute_urls,
    cdata,
    site_base_url,
    write_wxr,
)
from byline.tenancy.models import Domain, Site
from byline.tenancy.roles import Role
from tests.content.test_media_images import jpeg_bytes, photo
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    SiteFactory,
    TagFactory,
    UserFactory,
    make_post,
)

pytestmark = pytest.mark.django_db

NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
BASE = "https://moving.example.com"
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
AWKWARD = "Ends with ]]> and <b>tags</b> & “quotes” 🔥"


@dataclass
class Moving:
    """A site with one of everything an export must carry."""

    site: Site
    author: object
    published: Post
    draft: Post
    private: Post
    scheduled: Post
    trashed: Post
    about: Post
    team: Post
    parent_cat: object
    child_cat: object
    tag: object
    top: Comment
    reply: Comment
    pending: Comment
    spam: Comment
    pingback: Comment
    media: object


def comment(post, **fields) -> Comment:
    defaults = {"site": post.site, "post": post, "author_name": "Guest",
                "author_email": "guest@example.net", "body": "Hello.",
                "html": "<p>Hello.</p>", "status": Comment.Status.APPROVED,
                "created_at": NOW - timedelta(hours=1)}
    defaults.update(fields)
    return Comment.objects.create(**defaults)


def build_moving_site() -> Moving:
    """Everything is created at NOW (time-travelled), in a site east of UTC so that
    local and GMT dates differ."""
    site = SiteFactory(slug="moving", title="Moving & Co", tagline="Boxes <and> tape",
                       timezone="Europe/Paris", language="fr")
    author = MembershipFactory(site=site, role=Role.AUTHOR,
                               user=UserFactory(username="camille", first_name="Camille",
                                                last_name="Doré", display_name="Camille D."),
                               ).user
    # The child category is created first, so a naive order would put it before its parent.
    child_cat = CategoryFactory(site=site, name="Night trains", slug="night-trains")
    parent_cat = CategoryFactory(site=site, name="Trains & Travel", slug="trains",
                                 description=f"Rails. {AWKWARD}")
    child_cat.parent = parent_cat
    child_cat.save()
    tag = TagFactory(site=site, name="slow ünïcode", slug="slow-ünïcode")
    media = media_upload(site=site, uploaded_by=author,
                         file=SimpleUploadedFile("sleeper.jpg", jpeg_bytes(photo((800, 600)))),
                         alt_text="A sleeper cabin", caption="Cabin 12, at dawn")
    published = make_post(
        site=site, author=author, title="Crème brûlée & <friends>",
        source="Dessert on the **night train** ü 🔥.\n\n![cabin](" + media.url + ")",
        published_at=NOW - timedelta(days=2), excerpt=AWKWARD, categories=[child_cat],
        tags=[tag], featured_image=media, sticky=True, allow_pings=False, slug="creme-brulee")
    draft = make_post(site=site, title="Half a thought", status="draft", source="Later.")
    private = make_post(site=site, title="Just for us", status="private",
                        published_at=NOW - timedelta(days=1), password="")
    scheduled = make_post(site=site, title="Coming soon", status="scheduled",
                          published_at=NOW + timedelta(days=3), password="open sesame",
                          allow_comments=False)
    trashed = make_post(site=site, title="Regrettable", published_at=NOW - timedelta(days=5))
    Post.objects.filter(pk=trashed.pk).update(trashed_at=NOW)
    about = make_post(site=site, kind="page", title="About", source="Who we are.")
    team = make_post(site=site, kind="page", title="Team", source="Us.", parent=about,
                     menu_order=3)
    top = comment(published, author_name="Ana ]]> Guest", author_url="https://ana.example/?a=1&b=2",
                  author_ip="203.0.113.9", body="First!", html="<p>First! ]]&gt;</p>")
    reply = comment(published, parent=top, user=author, author_name="Camille D.",
                    author_email="camille@example.com", created_at=NOW - timedelta(minutes=30))
    pending = comment(published, status=Comment.Status.PENDING, author_ip="2001:db8::1")
    spam = comment(published, status=Comment.Status.SPAM, author_name="Cheap pills")
    pingback = comment(published, kind=Comment.Kind.PINGBACK, author_name="Other blog",
                       author_url="https://other.example/post/", author_email="")
    comment(trashed, author_name="Gone with its post")
    return Moving(site=site, author=author, published=published, draft=draft,
                  private=private, scheduled=scheduled, trashed=trashed, about=about,
                  team=team, parent_cat=parent_cat, child_cat=child_cat, tag=tag, top=top,
                  reply=reply, pending=pending, spam=spam, pingback=pingback, media=media)


@pytest.fixture
def moving() -> Moving:
    with time_machine.travel(NOW, tick=False):
        return build_moving_site()


def parse(data: str | bytes) -> ET.Element:
    # Our own export, in a test: not untrusted input.
    return ET.fromstring(data)  # noqa: S314


def export_text(site: Site, base: str = BASE) -> str:
    with time_machine.travel(NOW, tick=False):
        return "".join(WxrExport(site=site, base_url=base))


@pytest.fixture
def wxr(moving) -> ET.Element:
    return parse(export_text(moving.site).encode("utf-8"))


def items(root: ET.Element) -> dict[str, ET.Element]:
    """Items by wp:post_id."""
    return {item.findtext("wp:post_id", namespaces=NS): item
            for item in root.iterfind("channel/item")}


def item_for(root: ET.Element, post) -> ET.Element:
    return items(root)[str(post.pk)]


def wp(element: ET.Element, name: str) -> str | None:
    return element.findtext(f"wp:{name}", namespaces=NS)


def comments_of(item: ET.Element) -> dict[str, ET.Element]:
    return {c.findtext("wp:comment_id", namespaces=NS): c
            for c in item.iterfind("wp:comment", NS)}


# --- The file ------------------------------------------------------------------------------


def test_the_file_is_utf8_xml_that_a_parser_reads(moving):
    data = b"".join(WxrExport(site=moving.site, base_url=BASE).bytes())

    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8" ?>')
    root = parse(data)
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert "Crème brûlée &amp; &lt;friends&gt;" in [i.findtext("title") for i in root.iter("item")]


def test_the_channel_describes_the_site(wxr):
    channel = wxr.find("channel")

    assert channel.findtext("title") == "Moving & Co"
    assert channel.findtext("link") == BASE + "/"
    assert channel.findtext("description") == "Boxes <and> tape"
    assert channel.findtext("pubDate") == "Mon, 15 Jun 2026 12:00:00 +0000"
    assert channel.findtext("language") == "fr"
    assert wp(channel, "wxr_version") == "1.2"
    assert wp(channel, "base_site_url") == BASE
    assert wp(channel, "base_blog_url") == BASE


def test_every_author_is_listed_with_login_email_and_names(moving, wxr):
    authors = {wp(a, "author_login"): a for a in wxr.iterfind("channel/wp:author", NS)}

    assert set(authors) == {"camille", moving.site.owner.username}
    camille = authors["camille"]
    assert wp(camille, "author_id") == str(moving.author.pk)
    assert wp(camille, "author_email") == moving.author.email
    assert wp(camille, "author_display_name") == "Camille D."
    assert wp(camille, "author_first_name") == "Camille"
    assert wp(camille, "author_last_name") == "Doré"


def test_each_author_is_on_one_line_for_wordpress_line_based_parser(moving):
    lines = [line for line in export_text(moving.site).splitlines() if "<wp:author>" in line]

    assert len(lines) == 2
    assert all(line.strip().endswith("</wp:author>") for line in lines)


def test_categories_come_parent_first_with_nicename_parent_and_description(moving, wxr):
    categories = list(wxr.iterfind("channel/wp:category", NS))
    slugs = [wp(c, "category_nicename") for c in categories]

    assert slugs == ["trains", "night-trains"]
    parent, child = categories
    assert wp(parent, "term_id") == str(moving.parent_cat.pk)
    assert wp(parent, "cat_name") == "Trains &amp; Travel"
    assert wp(parent, "category_parent") == ""
    assert unescape(wp(parent, "category_description")) == f"Rails. {AWKWARD}"
    assert wp(child, "category_parent") == "trains"
    assert wp(child, "cat_name") == "Night trains"


def test_tags_are_listed_with_slug_and_name(moving, wxr):
    (tag,) = wxr.iterfind("channel/wp:tag", NS)

    assert wp(tag, "term_id") == str(TAG_ID_OFFSET + moving.tag.pk)
    assert wp(tag, "tag_slug") == "slow-ünïcode"
    assert wp(tag, "tag_name") == "slow ünïcode"


# --- Posts ---------------------------------------------------------------------------------


def test_a_published_post_carries_every_field(moving, wxr):
    post = moving.published
    item = item_for(wxr, post)

    assert item.findtext("title") == "Crème brûlée &amp; &lt;friends&gt;"
    assert item.findtext("link") == f"{BASE}/2026/06/13/creme-brulee/"
    assert item.findtext("pubDate") == "Sat, 13 Jun 2026 12:00:00 +0000"
    assert item.findtext("dc:creator", namespaces=NS) == "camille"
    guid = item.find("guid")
    assert guid.get("isPermaLink") == "false" and guid.text == f"{BASE}/?p={post.pk}"
    assert item.findtext("content:encoded", namespaces=NS).startswith(
        "<p>Dessert on the <strong>night train</strong> ü 🔥.</p>")
    assert unescape(item.findtext("excerpt:encoded", namespaces=NS)) == AWKWARD
    assert wp(item, "post_id") == str(post.pk)
    # Paris is two hours ahead of UTC in June.
    assert wp(item, "post_date") == "2026-06-13 14:00:00"
    assert wp(item, "post_date_gmt") == "2026-06-13 12:00:00"
    assert wp(item, "comment_status") == "open"
    assert wp(item, "ping_status") == "closed"
    assert wp(item, "post_name") == "creme-brulee"
    assert wp(item, "status") == "publish"
    assert wp(item, "post_parent") == "0"
    assert wp(item, "menu_order") == "0"
    assert wp(item, "post_type") == "post"
    assert wp(item, "post_password") == ""
    assert wp(item, "is_sticky") == "1"


def test_the_html_is_the_stored_sanitised_body_with_absolute_media_links(moving, wxr):
    content = item_for(wxr, moving.published).findtext("content:encoded", namespaces=NS)

    assert f'src="{BASE}{moving.media.url}"' in content
    assert 'src="/' not in content


def test_a_post_lists_its_categories_and_tags_by_nicename(moving, wxr):
    terms = [(c.get("domain"), c.get("nicename"), c.text)
             for c in item_for(wxr, moving.published).iterfind("category")]

    assert terms == [("category", "night-trains", "Night trains"),
                     ("post_tag", "slow-ünïcode", "slow ünïcode")]


def test_term_attributes_keep_wordpress_order_for_its_regex_parser(moving):
    text = export_text(moving.site)

    assert '<category domain="category" nicename="night-trains"><![CDATA[Night trains]]>' in text


@pytest.mark.parametrize(("which", "status"), [
    ("published", "publish"), ("draft", "draft"), ("private", "private"),
    ("scheduled", "future"),
])
def test_each_status_is_exported_as_wordpress_names_it(moving, wxr, which, status):
    assert wp(item_for(wxr, getattr(moving, which)), "status") == status


def test_a_scheduled_post_whose_time_has_come_is_published(moving):
    with time_machine.travel(NOW + timedelta(days=4), tick=False):
        root = parse("".join(WxrExport(site=moving.site, base_url=BASE)))

    assert wp(item_for(root, moving.scheduled), "status") == "publish"


def test_a_scheduled_post_keeps_its_date_password_and_closed_comments(moving, wxr):
    item = item_for(wxr, moving.scheduled)

    assert wp(item, "post_date_gmt") == "2026-06-18 12:00:00"
    assert wp(item, "post_password") == "open sesame"
    assert wp(item, "comment_status") == "closed"


def test_an_undated_draft_has_wordpress_zero_gmt_date(moving, wxr):
    item = item_for(wxr, moving.draft)

    assert wp(item, "post_date") == "2026-06-15 14:00:00"  # when it was written, local
    assert wp(item, "post_date_gmt") == "0000-00-00 00:00:00"


def test_trashed_posts_and_their_comments_are_left_out(moving, wxr):
    text = export_text(moving.site)

    assert str(moving.trashed.pk) not in items(wxr)
    assert "Regrettable" not in text
    assert "Gone with its post" not in text


def test_pages_keep_their_parent_and_menu_order(moving, wxr):
    about, team = item_for(wxr, moving.about), item_for(wxr, moving.team)

    assert wp(about, "post_type") == "page"
    assert wp(team, "post_type") == "page"
    assert wp(team, "post_parent") == str(moving.about.pk)
    assert wp(team, "menu_order") == "3"
    assert team.findtext("link") == f"{BASE}/team/"


def test_content_with_cdata_end_survives(moving):
    tricky = '<p>Code: a]]>b, and ]]]]> twice</p>'
    Post.objects.filter(pk=moving.published.pk).update(html=tricky)

    root = parse(export_text(moving.site).encode())

    assert item_for(root, moving.published).findtext("content:encoded", namespaces=NS) == tricky


def test_plain_text_fields_are_html_as_wordpress_keeps_them(moving):
    text = export_text(moving.site)

    # Titles, names and excerpts are HTML in WordPress: "&" is "&amp;" there, and "<b>"
    # typed in a Byline excerpt is text, not bold.
    assert "<title>Crème brûlée &amp;amp; &amp;lt;friends&amp;gt;</title>" in text
    assert "<![CDATA[Ends with ]]&gt; and &lt;b&gt;tags&lt;/b&gt; &amp; “quotes” 🔥]]>" in text


def test_cdata_splits_its_end_the_way_wordpress_does():
    assert cdata("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>"


def test_control_characters_that_xml_forbids_are_dropped(moving):
    Post.objects.filter(pk=moving.published.pk).update(title="Bell\x07 and form\x0c feed")

    root = parse(export_text(moving.site).encode())

    assert item_for(root, moving.published).findtext("title") == "Bell and form feed"


# --- Attachments ---------------------------------------------------------------------------


def test_media_are_attachments_with_url_caption_and_alt_text(moving, wxr):
    media = moving.media
    item = items(wxr)[str(ATTACHMENT_ID_OFFSET + media.pk)]
    url = BASE + media.url

    assert wp(item, "post_type") == "attachment"
    assert wp(item, "status") == "inherit"
    assert wp(item, "attachment_url") == url
    assert item.find("guid").text == url
    assert item.findtext("excerpt:encoded", namespaces=NS) == "Cabin 12, at dawn"
    assert item.findtext("dc:creator", namespaces=NS) == "camille"
    assert wp(item, "post_parent") == str(moving.published.pk)
    meta = {wp(m, "meta_key"): wp(m, "meta_value") for m in item.iterfind("wp:postmeta", NS)}
    assert meta == {"_wp_attachment_image_alt": "A sleeper cabin"}


def test_a_featured_image_is_the_post_thumbnail_id(moving, wxr):
    item = item_for(wxr, moving.published)
    meta = {wp(m, "meta_key"): wp(m, "meta_value") for m in item.iterfind("wp:postmeta", NS)}

    assert meta["_thumbnail_id"] == str(ATTACHMENT_ID_OFFSET + moving.media.pk)


def test_attachments_come_before_the_posts_that_use_them(moving, wxr):
    types = [wp(i, "post_type") for i in wxr.iterfind("channel/item")]

    assert types[0] == "attachment"
    assert "attachment" not in types[1:]


# --- Comments ------------------------------------------------------------------------------


def test_comments_carry_author_email_url_ip_dates_and_content(moving, wxr):
    top = comments_of(item_for(wxr, moving.published))[str(moving.top.pk)]

    assert wp(top, "comment_author") == "Ana ]]&gt; Guest"
    assert wp(top, "comment_author_email") == "guest@example.net"
    assert wp(top, "comment_author_url") == "https://ana.example/?a=1&b=2"
    assert wp(top, "comment_author_IP") == "203.0.113.9"
    assert wp(top, "comment_date") == "2026-06-15 13:00:00"
    assert wp(top, "comment_date_gmt") == "2026-06-15 11:00:00"
    assert wp(top, "comment_content") == "<p>First! ]]&gt;</p>"
    assert wp(top, "comment_approved") == "1"
    assert wp(top, "comment_type") == ""
    assert wp(top, "comment_parent") == "0"
    assert wp(top, "comment_user_id") == "0"


def test_a_reply_points_at_its_parent_and_its_member(moving, wxr):
    reply = comments_of(item_for(wxr, moving.published))[str(moving.reply.pk)]

    assert wp(reply, "comment_parent") == str(moving.top.pk)
    assert wp(reply, "comment_user_id") == str(moving.author.pk)


def test_parents_come_before_their_replies(moving, wxr):
    ids = list(comments_of(item_for(wxr, moving.published)))

    assert ids.index(str(moving.top.pk)) < ids.index(str(moving.reply.pk))


@pytest.mark.parametrize(("which", "approved", "kind"), [
    ("pending", "0", ""), ("spam", "spam", ""), ("pingback", "1", "pingback"),
])
def test_comment_status_and_type_use_wordpress_values(moving, wxr, which, approved, kind):
    found = comments_of(item_for(wxr, moving.published))[str(getattr(moving, which).pk)]

    assert wp(found, "comment_approved") == approved
    assert wp(found, "comment_type") == kind


@pytest.mark.parametrize(("kind", "wp_type"), [
    (Comment.Kind.TRACKBACK, "trackback"), (Comment.Kind.WEBMENTION, "webmention"),
])
def test_trackbacks_and_webmentions_keep_their_type(moving, kind, wp_type):
    mention = comment(moving.published, kind=kind, author_name="A blog")

    root = parse(export_text(moving.site).encode())

    found = comments_of(item_for(root, moving.published))[str(mention.pk)]
    assert wp(found, "comment_type") == wp_type


def test_a_trashed_comment_is_marked_trash(moving):
    Comment.objects.filter(pk=moving.pending.pk).update(status=Comment.Status.TRASH)

    root = parse(export_text(moving.site).encode())

    found = comments_of(item_for(root, moving.published))[str(moving.pending.pk)]
    assert wp(found, "comment_approved") == "trash"


def test_an_ipv6_address_is_kept(moving, wxr):
    found = comments_of(item_for(wxr, moving.published))[str(moving.pending.pk)]

    assert wp(found, "comment_author_IP") == "2001:db8::1"


# --- Other sites ---------------------------------------------------------------------------


def test_another_sites_content_is_never_included(moving):
    other = SiteFactory(slug="elsewhere")
    stranger = make_post(site=other, title="Not yours", source="Secret other-site text")
    comment(stranger, author_name="Other commenter")
    CategoryFactory(site=other, name="Other category", slug="other-category")
    TagFactory(site=other, name="other-tag", slug="other-tag")
    media_upload(site=other, uploaded_by=other.owner,
                 file=SimpleUploadedFile("o.jpg", jpeg_bytes(photo((300, 200)))),
                 alt_text="other alt")

    text = export_text(moving.site)

    for secret in ("Not yours", "Secret other-site text", "Other commenter", "Other category",
                   "other-tag", "other alt", other.owner.username):
        assert secret not in text
    root = parse(text.encode())
    assert len(items(root)) == 7  # 1 attachment, 4 posts, 2 pages


def test_counts_say_what_the_file_holds(moving):
    out = io.BytesIO()

    with time_machine.travel(NOW, tick=False):
        counts = write_wxr(site=moving.site, out=out, base_url=BASE)

    assert (counts.posts, counts.pages, counts.attachments, counts.comments, counts.categories,
            counts.tags, counts.authors) == (4, 2, 1, 5, 2, 1, 2)
    assert out.getvalue().endswith(b"</channel>\n</rss>\n")


def test_an_empty_site_exports_a_valid_file(db):
    site = SiteFactory(slug="empty")

    root = parse(export_text(site).encode())

    assert list(root.iter("item")) == []
    assert len(root.findall("channel/wp:author", NS)) == 1  # the owner


def test_the_export_is_read_in_a_fixed_number_of_queries_per_batch(
        moving, django_assert_max_num_queries):
    for n in range(20):
        make_post(site=moving.site, title=f"More {n}", published_at=timezone.now())

    with django_assert_max_num_queries(25):
        "".join(WxrExport(site=moving.site, base_url=BASE))


def test_posts_are_read_a_batch_at_a_time_as_the_file_is_written(moving, monkeypatch):
    monkeypatch.setattr(export_module, "BATCH_SIZE", 3)
    for n in range(10):
        make_post(site=moving.site, title=f"Batch {n}", published_at=timezone.now())
    chunks = iter(WxrExport(site=moving.site, base_url=BASE))

    with CaptureQueriesContext(connection) as queries:
        first_post = next(c for c in chunks if "<wp:post_type><![CDATA[post]]>" in c)
    post_reads = [q for q in queries if 'FROM "content_post"' in q["sql"] and "LIMIT" in q["sql"]]

    # Only the first batch has been read when the first post goes out.
    assert "Crème brûlée" in first_post
    assert len(post_reads) == 1
    assert sum(1 for c in chunks if "<item>" in c) == 15  # the rest, batch by batch


# --- Addresses -----------------------------------------------------------------------------


def test_the_base_address_is_the_primary_custom_domain(moving):
    Domain.objects.create(site=moving.site, host="moving.example.org", is_primary=True)

    assert site_base_url(moving.site, scheme="https") == "https://moving.example.org"


def test_the_base_address_defaults_to_the_site_host_with_a_dev_port(moving, settings):
    settings.BYLINE_BASE_DOMAIN = "localhost"

    assert site_base_url(moving.site, scheme="http", port="8000") == "http://moving.localhost:8000"
    assert site_base_url(moving.site, scheme="https", port=443) == "https://moving.localhost"


def test_site_paths_in_html_become_absolute_and_others_stay():
    html = ('<a href="/2026/01/02/x/">x</a><a href="https://else.example/">e</a>'
            '<a href="//cdn.example/x">c</a><a href="#top">t</a>'
            '<img src="/media/a.jpg" '
            'srcset="/media/a-480w.jpg 480w, https://s3.example/a.jpg 960w">')

    result = absolute_urls(html, BASE)

    assert f'href="{BASE}/2026/01/02/x/"' in result
    assert 'href="https://else.example/"' in result
    assert 'href="//cdn.example/x"' in result
    assert 'href="#top"' in result
    assert f'srcset="{BASE}/media/a-480w.jpg 480w, https://s3.example/a.jpg 960w"' in result
