"""Importing the same export again updates what changed and duplicates nothing
(SECURITY-CASES 47)."""

import pytest

from byline.content.models import Category, Media, Post, Tag
from byline.discussion.models import Comment
from byline.porting.models import ImportRef, OldLink
from tests.factories import UserFactory
from tests.porting.helpers import DATA, run_import
from tests.porting.wxr_factory import write_wxr

pytestmark = pytest.mark.django_db


def totals(site):
    return (Post.objects.for_site(site).count(), Comment.objects.for_site(site).count(),
            Category.objects.for_site(site).count(), Tag.objects.for_site(site).count(),
            Media.objects.for_site(site).count(), ImportRef.objects.filter(site=site).count(),
            OldLink.objects.filter(site=site).count())


def test_importing_twice_creates_no_duplicates_and_reports_updates(site, tmp_path):
    path = tmp_path / "export.xml"
    write_wxr(path, posts=30, comments=60, pages=4, attachments=3)
    first = run_import(site, path).to_dict()["counts"]
    before = totals(site)
    second = run_import(site, path).to_dict()["counts"]
    assert totals(site) == before
    for kind in ("posts", "pages", "attachments", "comments", "categories", "tags",
                 "authors"):
        assert second[kind]["created"] == 0, kind
        assert second[kind]["updated"] == first[kind]["created"], kind


def test_a_changed_post_is_updated_in_place(site, tmp_path):
    path = DATA / "small-export.xml"
    run_import(site, path)
    hello = Post.objects.for_site(site).get(title="Hello world!")
    changed = tmp_path / "changed.xml"
    changed.write_text(path.read_text().replace("Hello world!", "Hello again!"))
    run_import(site, changed)
    hello.refresh_from_db()
    assert hello.title == "Hello again!"
    assert hello.version == 2
    assert hello.revisions.count() == 2
    assert Post.objects.for_site(site).count() == 11


def test_a_post_is_matched_by_guid_when_its_id_changed(site, tmp_path):
    path = DATA / "valid-wxr-1.1.xml"
    run_import(site, path)
    count = Post.objects.for_site(site).count()
    renumbered = tmp_path / "renumbered.xml"
    renumbered.write_text(path.read_text().replace("<wp:post_id>1</wp:post_id>",
                                                   "<wp:post_id>901</wp:post_id>"))
    run_import(site, renumbered)
    assert Post.objects.for_site(site).count() == count


def test_the_same_export_into_another_site_is_separate(site, tmp_path):
    from tests.factories import SiteFactory

    other = SiteFactory(slug="other")
    run_import(site, "small-export.xml")
    run_import(other, "small-export.xml")
    assert Post.objects.for_site(other).count() == Post.objects.for_site(site).count() == 11


def test_authors_map_to_existing_members_by_email(site, tmp_path):
    member = UserFactory(username="someone", email="johndoe@example.org")
    site.memberships.create(user=member, role="editor")
    run_import(site, "valid-wxr-1.1.xml")
    assert Post.objects.for_site(site).filter(author=member).exists()


def test_an_account_outside_the_site_is_not_claimed_by_an_export(site):
    stranger = UserFactory(username="stranger", email="johndoe@example.org")
    summary = run_import(site, "valid-wxr-1.1.xml").to_dict()
    assert not Post.objects.for_site(site).filter(author=stranger).exists()
    assert Post.objects.for_site(site).filter(author=site.owner).exists()
    assert any("not a member" in note for note in summary["notes"])
    assert not site.memberships.filter(user=stranger).exists()


def test_author_map_credits_a_chosen_user(site):
    chosen = UserFactory(username="chosen")
    run_import(site, "valid-wxr-1.1.xml", author_map={"john": "chosen"})
    assert set(Post.objects.for_site(site).values_list("author__username", flat=True)) == {
        "chosen"}
    assert site.memberships.filter(user=chosen).exists()


def test_an_author_map_to_nobody_fails_with_nothing_written(site):
    from byline.porting.importer import WXRError

    with pytest.raises(WXRError, match="no user"):
        run_import(site, "valid-wxr-1.1.xml", author_map={"john": "nobody"})
    assert not Post.objects.for_site(site).exists()


def test_a_comment_id_repeated_in_the_export_is_kept_once(site, tmp_path):
    from tests.porting.test_security import item, wxr

    comment = ("<wp:comment><wp:comment_id>7</wp:comment_id><wp:comment_author>A"
               "</wp:comment_author><wp:comment_content>Hi</wp:comment_content>"
               "<wp:comment_approved>1</wp:comment_approved></wp:comment>")
    summary = run_import(site, wxr(tmp_path, item(1, extra=comment),
                                   item(2, extra=comment))).to_dict()
    assert Comment.objects.for_site(site).count() == 1
    assert summary["counts"]["comments"] == {"created": 1, "updated": 0, "skipped": 1}
    assert summary["not_imported"][0]["reason"] == "the export repeats this comment id"
