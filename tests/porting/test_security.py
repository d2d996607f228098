"""Hostile exports (SECURITY-CASES 45–47): entity tricks refuse the whole file, scripts
never survive, attachments at private addresses are never fetched."""

from html.parser import HTMLParser

import pytest

from byline.content.models import Media, Post
from byline.discussion.models import Comment
from byline.porting.importer import WXRError
from byline.porting.models import ImportRef
from tests.linkbacks.local_server import Handler, local_server
from tests.porting.helpers import run_import

pytestmark = pytest.mark.django_db

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n{doctype}'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Hostile</title>'
        "<wp:wxr_version>1.2</wp:wxr_version>"
        "<wp:base_site_url>https://hostile.example</wp:base_site_url>\n")
TAIL = "</channel></rss>\n"


def item(wp_id: int, *, title: str = "A post", content: str = "<p>Hello</p>",
         post_type: str = "post", extra: str = "") -> str:
    return (f"<item><title>{title}</title><wp:post_id>{wp_id}</wp:post_id>"
            f"<wp:post_type>{post_type}</wp:post_type><wp:status>publish</wp:status>"
            f"<wp:post_date_gmt>2020-01-02 03:04:05</wp:post_date_gmt>"
            f"<content:encoded><![CDATA[{content}]]></content:encoded>{extra}</item>\n")


def wxr(tmp_path, *items: str, doctype: str = "") -> str:
    path = tmp_path / "hostile.xml"
    path.write_text(HEAD.format(doctype=doctype) + "".join(items) + TAIL, encoding="utf-8")
    return path


XXE = ('<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n', "&xxe;")
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;'
          '&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;'
          '&lol1;&lol1;&lol1;&lol1;">]>\n', "&lol2;")
PARAMETER = ('<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://169.254.169.254/x.dtd">'
             "%remote;]>\n", "text")
EXTERNAL_DTD = ('<!DOCTYPE rss SYSTEM "http://169.254.169.254/rss.dtd">\n', "text")
PLAIN_DOCTYPE = ("<!DOCTYPE rss>\n", "text")


@pytest.mark.parametrize(("doctype", "body"), [XXE, LAUGHS, PARAMETER, EXTERNAL_DTD,
                                               PLAIN_DOCTYPE],
                         ids=["xxe", "billion-laughs", "parameter-entity", "external-dtd",
                              "any-doctype"])
def test_any_doctype_or_entity_refuses_the_whole_file(site, tmp_path, doctype, body):
    path = tmp_path / "evil.xml"
    path.write_text(HEAD.format(doctype=doctype) + item(1) + "<item><title>" + body
                    + "</title></item>" + TAIL)
    with pytest.raises(WXRError, match=r"DOCTYPE|entity"):
        run_import(site, path)
    assert not Post.objects.for_site(site).exists()
    assert not ImportRef.objects.filter(site=site).exists()


def test_a_file_that_is_not_a_wordpress_export_is_refused(site, tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><item><title>x'
                    "</title></item></channel></rss>")
    with pytest.raises(WXRError, match="not a WordPress export"):
        run_import(site, path)
    path.write_text('<?xml version="1.0"?><html><body>hi</body></html>')
    with pytest.raises(WXRError, match="not a WordPress export"):
        run_import(site, path)


class _Elements(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags, self.attributes = set(), set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.update((name, value or "") for name, value in attrs)


def live_handlers(html: str) -> list[str]:
    """Event-handler attributes and script URLs as a browser would parse them."""
    found = _Elements(html)
    return [f"{name}={value}" for name, value in found.attributes
            if name.startswith("on") or value.strip().lower().startswith("javascript:")]


def test_scripts_in_posts_and_comments_do_not_survive(site, tmp_path):
    comment = ("<wp:comment><wp:comment_id>1</wp:comment_id>"
               "<wp:comment_author><![CDATA[<script>alert(1)</script>Eve]]></wp:comment_author>"
               "<wp:comment_author_url>javascript:alert(1)</wp:comment_author_url>"
               "<wp:comment_content><![CDATA[Hi <script>alert(2)</script>"
               '<a href="javascript:alert(3)" onclick="x()">link</a> <img src=x onerror=y>'
               "]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>"
               "</wp:comment>")
    content = ('<p onclick="steal()">Text</p><script>alert(1)</script>'
               '<img src="x" onerror="alert(1)"><a href="javascript:alert(1)">x</a>'
               '<svg><style><img src=x onerror=alert(1)></style></svg>'
               '[caption code=">]<a title=" onmouseover=alert(1) ">]<img src="a.jpg">'
               " cap[/caption]")
    run_import(site, wxr(tmp_path, item(1, content=content, extra=comment)))
    post = Post.objects.for_site(site).get()
    assert live_handlers(post.html) == []
    assert not {"script", "svg", "style"} & _Elements(post.html).tags
    saved = Comment.objects.for_site(site).get()
    assert live_handlers(saved.html) == []
    assert not {"script", "img"} & _Elements(saved.html).tags
    assert saved.author_url == ""
    assert "<" not in saved.author_name


def test_absurdly_deep_nesting_refuses_that_post_and_says_why(site, tmp_path):
    deep = "<div>" * 5000 + "x" + "</div>" * 5000
    summary = run_import(site, wxr(tmp_path, item(1, content=deep), item(2))).to_dict()
    assert summary["counts"]["posts"] == {"created": 1, "updated": 0, "skipped": 1}
    assert "nests elements 5000 deep" in summary["not_imported"][0]["reason"]


def test_element_nesting_in_the_xml_itself_is_bounded(site, tmp_path):
    path = tmp_path / "deep.xml"
    path.write_text(HEAD.format(doctype="") + "<item>" + "<x>" * 100 + "</x>" * 100
                    + "</item>" + TAIL)
    with pytest.raises(WXRError, match="nested"):
        run_import(site, path)


def attachment(wp_id: int, url: str) -> str:
    return item(wp_id, title=f"File {wp_id}", content="", post_type="attachment",
                extra=f"<wp:attachment_url>{url}</wp:attachment_url>"
                      "<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
                      "<wp:meta_value>Alt words</wp:meta_value></wp:postmeta>"
                      "<excerpt:encoded>The caption</excerpt:encoded>")


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/iam.jpg",
                                 "http://127.0.0.1:22/x.jpg", "http://10.0.0.1/x.jpg",
                                 "http://[::1]/x.jpg", "http://2130706433/x.jpg"])
def test_attachments_at_private_addresses_are_not_fetched(site, tmp_path, settings,
                                                          monkeypatch, url):
    settings.FETCH_ALLOW_LOOPBACK = False

    def no_connection(*args, **kwargs):
        raise AssertionError("connected")

    monkeypatch.setattr("socket.socket.connect", no_connection)
    summary = run_import(site, wxr(tmp_path, attachment(5, url)), fetch_media=True).to_dict()
    media = Media.objects.for_site(site).get()
    assert not media.file
    assert media.remote_url == url
    assert any("not fetched" in note for note in summary["notes"])


def test_fetch_media_downloads_reachable_images(site, tmp_path, settings):
    settings.FETCH_ALLOW_LOOPBACK = True
    with local_server() as base:
        Handler.seen.clear()
        path = wxr(tmp_path, attachment(5, f"{base}/image.png"),
                   attachment(6, f"{base}/missing.png"),
                   item(1, content=f'<img src="{base}/image.png">',
                        extra="<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                              "<wp:meta_value>5</wp:meta_value></wp:postmeta>"))
        summary = run_import(site, path, fetch_media=True).to_dict()
    assert summary["counts"]["attachments"]["created"] == 2
    fetched = Media.objects.for_site(site).get(title="File 5")
    assert fetched.file and fetched.width == 40
    assert (fetched.alt_text, fetched.caption) == ("Alt words", "The caption")
    kept = Media.objects.for_site(site).get(title="File 6")
    assert not kept.file and kept.remote_url.endswith("/missing.png")
    post = Post.objects.for_site(site).get()
    assert post.featured_image == fetched
    assert fetched.url in post.html  # the old image address now points to the copy


def test_without_fetch_media_nothing_is_downloaded(site, tmp_path, monkeypatch):
    monkeypatch.setattr("socket.socket.connect", pytest.fail)
    summary = run_import(site, wxr(tmp_path, attachment(5, "https://hostile.example/a.jpg")))
    assert Media.objects.for_site(site).get().url == "https://hostile.example/a.jpg"
    assert any("--fetch-media" in note for note in summary.to_dict()["notes"])
