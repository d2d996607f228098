"""Round trip: a site exported as WXR and imported into an empty site comes back the
same: posts and pages (titles, slugs, dates, status, HTML), comments (how many, their
threading and authors) and terms."""

import io

import pytest
import time_machine
from django.utils import timezone

from byline.content.models import Category, Post, Tag
from byline.discussion.models import Comment
from byline.porting.export import absolute_urls, write_wxr
from tests.factories import SiteFactory, make_post
from tests.porting.test_export_wxr import BASE, NOW, build_moving_site

importer = pytest.importorskip("byline.porting.importer")

pytestmark = pytest.mark.django_db


@pytest.fixture
def moving():
    with time_machine.travel(NOW, tick=False):
        built = build_moving_site()
        # A link from one post to another: it must lead to the copy after the move.
        built.linking = make_post(
            site=built.site, title="See also", published_at=NOW - timedelta_days(1),
            source=f"Read [the dessert]({built.published.get_absolute_url()}).")
    return built


def timedelta_days(n: int):
    return timezone.timedelta(days=n)


@pytest.fixture
def moved(moving):
    """The export of `moving`, imported into a new, empty site of the same platform
    (its authors mapped to their own accounts, as an owner moving sites would)."""
    out = io.BytesIO()
    with time_machine.travel(NOW, tick=False):
        write_wxr(site=moving.site, out=out, base_url=BASE)
        new = SiteFactory(slug="newhome", timezone="Europe/Paris")
        authors = {moving.author.username: moving.author.username,
                   moving.site.owner.username: moving.site.owner.username}
        out.seek(0)
        summary = importer.import_wxr(
            site=new, file=out, options=importer.ImportOptions(author_map=authors))
    new.summary = summary
    return new


def live_posts(site) -> dict[tuple[str, str], Post]:
    return {(p.kind, p.slug): p for p in Post.objects.for_site(site).not_trashed()
            .select_related("author", "parent").prefetch_related("categories", "tags")}


def test_the_same_posts_and_pages_arrive(moving, moved):
    before, after = live_posts(moving.site), live_posts(moved)

    assert set(after) == set(before)
    for key, old in before.items():
        new = after[key]
        assert (new.title, new.status, new.published_at, new.excerpt, new.sticky,
                new.password, new.allow_comments, new.allow_pings, new.menu_order) == (
            old.title, old.status, old.published_at, old.excerpt, old.sticky, old.password,
            old.allow_comments, old.allow_pings, old.menu_order), key
        assert new.author.username == old.author.username, key
        assert (new.parent.slug if new.parent else None) == (
            old.parent.slug if old.parent else None), key


def test_the_trashed_post_stays_behind(moving, moved):
    assert not Post.objects.for_site(moved).filter(title="Regrettable").exists()


def test_the_html_arrives_with_links_to_the_old_site_made_absolute(moving, moved):
    before, after = live_posts(moving.site), live_posts(moved)

    for key, old in before.items():
        if key == ("post", "see-also"):
            continue  # its link now leads to the copy: checked below
        assert after[key].html.strip() == absolute_urls(old.html, BASE).strip(), key


def test_a_link_between_posts_leads_to_the_copy(moving, moved):
    copy = Post.objects.for_site(moved).get(slug="creme-brulee")
    html = live_posts(moved)[("post", "see-also")].html

    assert f'href="{copy.get_absolute_url()}"' in html
    assert "moving.example.com" not in html


def test_comments_arrive_with_their_threading_authors_and_status(moving, moved):
    def conversation(site):
        rows = Comment.objects.filter(site=site).select_related("parent", "post", "user")
        return sorted(
            (c.post.slug, c.kind, c.status, c.author_name, c.author_email, c.author_url,
             c.author_ip, c.created_at, c.parent.author_name if c.parent else None,
             c.user.username if c.user else None)
            for c in rows if c.post.trashed_at is None)

    before, after = conversation(moving.site), conversation(moved)

    assert len(after) == len(before) == 5
    assert after == before


def test_the_reply_is_still_a_reply(moving, moved):
    reply = Comment.objects.get(site=moved, author_name="Camille D.")

    assert reply.parent.author_name == "Ana ]]> Guest"
    assert reply.user.username == "camille"


def test_categories_keep_their_tree_and_description_and_tags_their_names(moving, moved):
    def terms(site):
        cats = sorted((c.slug, c.name, c.description, c.parent.slug if c.parent else None)
                      for c in Category.objects.for_site(site).select_related("parent"))
        tags = sorted((t.slug, t.name) for t in Tag.objects.for_site(site))
        return cats, tags

    assert terms(moved) == terms(moving.site)


def test_posts_keep_their_categories_tags_and_featured_image(moving, moved):
    post = Post.objects.for_site(moved).get(slug="creme-brulee")

    assert [c.slug for c in post.categories.all()] == ["night-trains"]
    assert [t.slug for t in post.tags.all()] == ["slow-ünïcode"]
    assert post.featured_image.alt_text == "A sleeper cabin"
    assert post.featured_image.caption == "Cabin 12, at dawn"
    assert post.featured_image.url == BASE + moving.media.url


def test_nothing_is_left_behind_in_the_summary(moved):
    assert moved.summary.not_imported == []
