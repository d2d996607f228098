"""A realistic export of a few hundred posts imports with nothing lost, and every old
address redirects."""

import pytest

from byline.content.models import Category, Media, Post, Status
from byline.discussion.models import Comment
from byline.porting.models import ImportRef, OldLink
from tests.porting.helpers import run_import
from tests.porting.wxr_factory import BASE, write_wxr

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(tmp_path):
    path = tmp_path / "export.xml"
    manifest = write_wxr(path, posts=240, comments=700, pages=13, attachments=12,
                         menu_items=6)
    return path, manifest


def test_everything_in_a_generated_export_arrives(site, generated):
    path, manifest = generated
    summary = run_import(site, path).to_dict()
    counts = summary["counts"]
    assert counts["posts"]["created"] == manifest.posts
    assert counts["posts"]["skipped"] == manifest.trashed
    assert counts["pages"]["created"] == manifest.pages
    assert counts["attachments"]["created"] == manifest.attachments
    assert counts["comments"]["created"] == manifest.comments["comment"]
    assert counts["pingbacks"]["created"] == manifest.comments["pingback"]
    assert counts["trackbacks"]["created"] == manifest.comments["trackback"]
    assert counts["categories"]["created"] == manifest.categories
    assert counts["tags"]["created"] == manifest.tags
    assert counts["authors"]["created"] == manifest.authors
    posts = Post.objects.for_site(site)
    assert posts.posts().count() == manifest.posts
    assert posts.pages().count() == manifest.pages
    assert Comment.objects.for_site(site).count() == sum(manifest.comments.values())
    assert Comment.objects.for_site(site).filter(parent__isnull=False).count() == (
        manifest.replies)
    assert Media.objects.for_site(site).count() == manifest.attachments
    reasons = summary["skipped_reasons"]
    assert reasons["navigation menu item: Byline has no menus yet"] == manifest.menu_items
    assert reasons["navigation menu: Byline has no menus yet"] == 1
    assert reasons["in the WordPress trash"] == manifest.trashed


def test_the_tree_of_categories_and_pages_is_kept(site, generated):
    path, _ = generated
    run_import(site, path)
    child = Category.objects.for_site(site).get(slug="topic-7")
    assert child.parent.slug == "topic-2"
    assert child.description == "About Topic 7 & more"
    page = Post.objects.for_site(site).pages().get(slug="page-4")
    assert page.parent.slug == "page-1"
    assert page.parent.parent.slug == "page-0"


def test_statuses_map_to_bylines(site, generated):
    path, _ = generated
    run_import(site, path)
    posts = Post.objects.for_site(site).posts()
    assert set(posts.values_list("status", flat=True)) == {
        Status.PUBLISHED, Status.DRAFT, Status.SCHEDULED, Status.PRIVATE}
    assert posts.filter(status=Status.DRAFT, published_at__isnull=True).exists()


def test_every_old_address_redirects(site, generated, client):
    path, manifest = generated
    run_import(site, path)
    published = [link for link in manifest.links if link[3] == "publish"]
    assert len(published) > 200
    refs = dict(ImportRef.objects.filter(site=site, kind__in=["post", "page"]).values_list(
        "wp_id", "object_id"))
    addresses = {pk: post.get_absolute_url()
                 for pk, post in Post.objects.for_site(site).in_bulk().items()}
    for wp_id, old_path, _kind, _ in published:
        target = addresses[refs[str(wp_id)]]
        response = client.get(old_path, HTTP_HOST="demo.localhost")
        if old_path == target:  # a top-level page keeps its address: nothing to redirect
            continue
        assert response.status_code == 301, old_path
        assert response["Location"] == target
    for wp_id, _, kind, _ in published:
        target = addresses[refs[str(wp_id)]]
        query = "page_id" if kind == "page" else "p"
        by_id = client.get(f"/?{query}={wp_id}", HTTP_HOST="demo.localhost")
        assert by_id.status_code == 301
        assert by_id["Location"] == target


def test_links_between_posts_point_to_the_new_addresses(site, generated):
    path, _ = generated
    run_import(site, path)
    for post in Post.objects.for_site(site).posts().filter(status=Status.PUBLISHED)[:40]:
        assert BASE + "/20" not in post.html
        assert f"{BASE}/?p=" not in post.html
    assert OldLink.objects.filter(site=site).exists()


def test_scripts_never_survive(site, generated):
    path, _ = generated
    run_import(site, path)
    assert not Post.objects.for_site(site).filter(html__icontains="<script").exists()
    assert not Comment.objects.for_site(site).filter(html__icontains="<script").exists()
