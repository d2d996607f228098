"""Every sample WXR file (WordPress's own importer test data) imports, or fails cleanly
with the line and nothing written."""

import pytest

from byline.content.models import Category, Post, Status, Tag
from byline.discussion.models import Comment
from byline.porting.importer import WXRError
from byline.porting.models import ImportRef
from byline.tenancy.models import Membership
from tests.porting.helpers import DATA, run_import

pytestmark = pytest.mark.django_db

MALFORMED = {"malformed.xml": 90, "malformed-simple.xml": 14}
VALID = sorted(p.name for p in DATA.glob("*.xml") if p.name not in MALFORMED)


def nothing_written(site) -> bool:
    return not (Post.objects.for_site(site).exists() or Category.objects.for_site(site).exists()
                or Tag.objects.for_site(site).exists()
                or ImportRef.objects.filter(site=site).exists()
                or Comment.objects.for_site(site).exists())


@pytest.mark.parametrize("name", VALID)
def test_every_valid_sample_imports(site, name):
    summary = run_import(site, name).to_dict()
    created = sum(row["created"] for row in summary["counts"].values())
    assert created > 0


@pytest.mark.parametrize(("name", "line"), sorted(MALFORMED.items()))
def test_a_malformed_file_is_refused_with_its_line_and_nothing_written(site, name, line):
    with pytest.raises(WXRError) as raised:
        run_import(site, name)
    assert raised.value.line == line
    assert f"Line {line}" in str(raised.value)
    assert "not well-formed" in str(raised.value)
    assert nothing_written(site)


def test_small_export_brings_posts_pages_comments_and_the_page_tree(site):
    summary = run_import(site, "small-export.xml").to_dict()
    counts = summary["counts"]
    assert counts["posts"]["created"] == 6
    assert counts["pages"]["created"] == 5
    assert counts["categories"]["created"] == 30
    assert counts["tags"]["created"] == 3
    assert counts["comments"]["created"] == 1
    posts = Post.objects.for_site(site)
    child = posts.pages().get(title="Child Page")
    assert child.parent.title == "Parent Page"
    assert posts.pages().get(title="Draft Page").status == Status.DRAFT
    assert posts.posts().get(title="Private Post").status == Status.PRIVATE
    hello = posts.posts().get(title="Hello world!")
    assert hello.slug == "hello-world"
    assert hello.source_format == "html"
    comment = Comment.objects.get(post=hello)
    assert comment.author_name == "Mr WordPress"
    assert comment.status == Comment.Status.APPROVED
    assert comment.import_ref.endswith("#comment-1")
    many = posts.posts().get(title="Many Categories")
    assert many.categories.count() > 10


def test_dates_come_from_gmt(site):
    run_import(site, "small-export.xml")
    hello = Post.objects.for_site(site).get(title="Hello world!")
    assert hello.published_at.isoformat() == "2011-01-18T07:40:14+00:00"


def test_utf8_survives_byte_exact(site):
    run_import(site, "wxr-utf-8-challenges.xml")
    post = Post.objects.for_site(site).get()
    assert post.title.startswith('"The Road \u202eNot\u202c Taken"')
    assert "🚀🌟💫⭐️🔥💯🎉🎊🌈🦄" in post.html
    assert "السلام عليكم" in post.html
    assert "<!-- wp:" not in post.source  # block-editor comments are gone
    assert post.excerpt.startswith("T̷̢̯̭̈h̶̰̾")
    # The slug keeps its letters; bidi overrides and emoji are dropped from addresses.
    assert post.slug == "hello-world-utf8-test"
    category = post.categories.get()
    assert category.name.endswith("🎭")


def test_utf8_author_gets_a_clean_login(site):
    run_import(site, "wxr-utf-8-challenges.xml")
    author = Post.objects.for_site(site).get().author
    assert author.username == "admin"  # zero-width characters removed
    assert not author.has_usable_password()
    assert Membership.objects.filter(site=site, user=author, role="author").exists()


def test_slashes_and_backslashes_are_kept(site):
    run_import(site, "slashes.xml")
    post = Post.objects.for_site(site).get()
    assert "Slashes aren\\'t \\\"cool\\\"" in post.html.replace("&quot;", '"')
    assert Category.objects.for_site(site).get().name == 'a \\"great\\" category'
    assert Tag.objects.for_site(site).get().name == "foo\\'bar"
    comment = Comment.objects.for_site(site).get()
    assert comment.body == "\\o/ ¯\\_(ツ)_/¯"
    assert "¯\\_(ツ)_/¯" in comment.html
    run_import(site, "backslashes.xml")
    assert "C:\\xampp\\htdocs\\wp-content" in Post.objects.for_site(site).get(
        title="Paths").html


def test_cdata_edge_cases(site):
    run_import(site, "cdata-edge.xml")
    run_import(site, "multiple-cdata.xml")
    run_import(site, "crazy-cdata-escaped.xml")
    posts = Post.objects.for_site(site)
    assert "ends with sequence ]] &gt;" in posts.get(title="Edge").html
    assert "line oneline twoline three" in posts.get(title="Multi").html
    crazy = posts.get(title="Hello world!")
    assert "Content with nested <![CDATA[ tags ]]> :)" in crazy.source
    # In HTML, a CDATA section outside SVG/MathML is a bogus comment: browsers hide it.
    assert "Content with nested  :)" in crazy.html


def test_classic_content_gets_paragraphs(site):
    run_import(site, "blank-lines.xml")
    run_import(site, "post-content-blank-lines.xml")
    posts = Post.objects.for_site(site)
    assert posts.get(title="Post with blanks").html == (
        "<p>first paragraph</p>\n<p>second paragraph</p>")
    html = posts.exclude(title="Post with blanks").get().html
    assert html.count("<p>") == 2
    assert "<br>" in html


def test_multi_line_authors_are_trimmed(site):
    run_import(site, "authors-multiline.xml")
    refs = set(ImportRef.objects.filter(site=site, kind="author").values_list("wp_id",
                                                                                flat=True))
    assert refs == {"alice", "bob", "carol"}
    assert Post.objects.for_site(site).get().author.username == "alice"


def test_a_post_without_an_author_goes_to_the_importer(site):
    run_import(site, "missing-tags.xml")
    assert Post.objects.for_site(site).get().author == site.owner


def test_term_formats(site):
    summary = run_import(site, "term-formats.xml").to_dict()
    assert set(Category.objects.for_site(site).values_list("slug", "name")) == {
        ("category-name", "Category Name"), ("cat-2", "Category 2")}
    assert set(Tag.objects.for_site(site).values_list("slug", "name")) == {
        ("a-tag", "A Tag!"), ("a-color", "A Random Color"), ("another-tag", "Another Tag")}
    reasons = summary["skipped_reasons"]
    assert reasons["navigation menu: Byline has no menus yet"] == 1
    assert reasons["terms of the “custom-taxonomy” taxonomy have no place in Byline"] == 1


def test_wxr_1_0_categories_tree_and_tags(site):
    run_import(site, "valid-wxr-1.0.xml")
    child = Category.objects.for_site(site).get(slug="child")
    assert child.parent.slug == "parent"
    assert Category.objects.for_site(site).get(slug="alpha").description == (
        "The alpha category")
    post = Post.objects.for_site(site).get(categories__slug="child")
    assert set(post.tags.values_list("slug", flat=True)) == {"chicken", "face"}


def test_wxr_1_1(site):
    summary = run_import(site, "valid-wxr-1.1.xml").to_dict()
    assert summary["wxr_version"] == "1.1"
    assert Post.objects.for_site(site).pages().filter(title="About").exists()


def test_namespaces_are_read_by_uri_not_prefix(site):
    summary = run_import(site, "namespace-edge-cases.xml").to_dict()
    logins = set(ImportRef.objects.filter(site=site, kind="author").values_list("wp_id",
                                                                                 flat=True))
    assert logins == {"real_user", "version_conflict"}  # not fake_ns_user or custom_user
    titles = set(Post.objects.for_site(site).values_list("title", flat=True))
    assert titles == {"Mixed Namespaces", "No Prefix", "Empty Namespace",
                      "Unicode Namespace", "Namespace Bomb"}
    assert summary["not_imported"][0]["title"] == "Hijacked Namespace"
    assert set(Category.objects.for_site(site).values_list("slug", flat=True)) == {
        "old-version", "new-version"}
    bomb = Post.objects.for_site(site).get(title="Namespace Bomb")
    assert "&amp;lol1;" in bomb.html  # CDATA text, never an entity



def test_cdata_with_a_stray_end_marker_imports_as_wordpress_reads_it(site):
    # `]]>` inside a CDATA section is not well-formed XML (XML 1.0 §2.4), but WordPress
    # writes and reads it (its importer's test file crazy-cdata.xml): it is read again the
    # way WordPress's importer reads it, a section ending only where a tag follows.
    run_import(site, "crazy-cdata.xml")
    post = Post.objects.for_site(site).get(title="Hello world!")
    assert "Content with nested <![CDATA[ tags ]]> :)" in post.source


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 4096])
def test_the_cdata_reading_is_the_same_whatever_the_chunk_size(chunk):
    from byline.porting.wxr import CDataRepair

    raw = (DATA / "crazy-cdata.xml").read_bytes() + b"<a><![CDATA[x]]>  \n</a>"
    whole = CDataRepair().feed(raw, final=True)
    repair, parts = CDataRepair(), []
    for start in range(0, len(raw), chunk):
        parts.append(repair.feed(raw[start:start + chunk], final=False))
    parts.append(repair.feed(b"", final=True))
    assert b"".join(parts) == whole
    assert whole.count(b"\n") == raw.count(b"\n")
    assert b"<a><![CDATA[x]]>  \n</a>" in whole
