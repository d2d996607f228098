"""`byline seed_demo`: the demo site is made once, completely, through the services."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image

from byline.accounts.models import User
from byline.content import demo
from byline.content.demo import seed_demo
from byline.content.models import Category, Media, Post, RelatedLink, Revision, Status, Tag
from byline.tenancy.models import Membership, Site


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def seeded(db, media_root) -> Site:
    assert seed_demo() is True
    return Site.objects.get(slug=demo.DEMO_SLUG)


def counts(media_root: Path) -> dict[str, int]:
    models = (Site, User, Membership, Post, Revision, Media, Category, Tag, RelatedLink)
    found = {model.__name__: model.objects.count() for model in models}
    found["files"] = sum(1 for p in media_root.rglob("*") if p.is_file())
    return found


def test_demo_site_and_its_two_authors(seeded):
    assert seeded.title == "Field Notes"
    assert seeded.theme == "canvas"
    assert seeded.timezone == "Europe/London"
    assert seeded.is_public
    roles = dict(seeded.memberships.values_list("user__username", "role"))
    assert roles == {"maya": "owner", "tomas": "author"}
    assert seeded.owner.username == "maya"
    for user in User.objects.filter(username__in=roles):
        assert user.display_name and user.email.endswith("@example.com")
        assert user.bio.count(".") >= 2
        assert not user.has_usable_password()


def test_published_posts_are_real_writing_by_both_authors(seeded):
    posts = Post.objects.for_site(seeded).posts().published()
    assert 8 <= posts.count() <= 10
    assert set(posts.values_list("author__username", flat=True)) == {"maya", "tomas"}
    now = timezone.now()
    dates = sorted(posts.values_list("published_at", flat=True))
    assert all(d < now for d in dates)
    assert dates[-1] - dates[0] > timedelta(days=60)  # spread over months
    for post in posts:
        assert 250 <= len(post.source.split()) <= 600, post.title
        assert "<h2" in post.html, post.title
        assert "[[figure:" not in post.source
        assert post.revisions.count() == 1  # made through post_create
        assert 1 <= post.categories.count() <= 2, post.title
        assert 2 <= post.tags.count() <= 4, post.title
    html = "".join(posts.values_list("html", flat=True))
    for part in ("<blockquote", "<ul>", "<ol>", "<table", "<figure>", "<figcaption>"):
        assert part in html, part
    assert "[^" not in html  # footnotes were rendered, not left as text
    assert posts.filter(sticky=True).count() == 1


def test_figures_and_featured_images_come_from_generated_media(seeded, media_root):
    media = Media.objects.for_site(seeded)
    assert media.count() >= 4
    for item in media:
        assert item.mime_type == "image/jpeg"
        assert (item.width, item.height) == (1200, 800)
        assert len(item.alt_text) > 40 and item.caption
        path = media_root / item.file.name
        assert path.is_file() and path.stat().st_size < 150_000
        with Image.open(path) as image:
            assert image.format == "JPEG" and image.size == (1200, 800)
    with_figures = Post.objects.for_site(seeded).filter(html__contains="<figcaption>")
    assert with_figures.exists()
    for post in with_figures:
        assert any(item.url in post.html for item in media), post.title
    featured = Post.objects.for_site(seeded).published().exclude(featured_image=None)
    assert featured.count() >= 3


def test_draft_and_scheduled_posts_stay_hidden(seeded):
    posts = Post.objects.for_site(seeded).posts()
    draft = posts.get(status=Status.DRAFT)
    scheduled = posts.get(status=Status.SCHEDULED)
    assert draft.published_at is None
    assert scheduled.published_at > timezone.now() + timedelta(days=6)
    published = posts.published()
    assert draft not in published and scheduled not in published


def test_curated_lists_mix_own_posts_and_outside_pages(seeded):
    posts = Post.objects.for_site(seeded).published().filter(related_links__isnull=False)
    posts = posts.distinct()
    assert posts.count() >= 3
    for post in posts:
        links = list(post.related_links.all())
        assert 2 <= len(links) <= 4, post.title
        for link in links:
            if link.target_id:
                assert link.target.site_id == seeded.pk and link.target.is_public
            else:
                assert link.url.startswith("https://") and link.title
    kinds = {bool(link.target_id) for link in RelatedLink.objects.filter(post__site=seeded)}
    assert kinds == {True, False}


def test_category_tree_tags_and_pages(seeded):
    walking = Category.objects.get(site=seeded, slug="walking")
    assert set(walking.children.values_list("name", flat=True)) == {"Coast", "Hills"}
    assert Category.objects.filter(site=seeded, parent=None).count() >= 3
    assert not Category.objects.filter(site=seeded, description="").exists()
    assert 8 <= Tag.objects.filter(site=seeded).count() <= 12
    pages = Post.objects.for_site(seeded).pages().published().order_by("menu_order")
    assert [(p.title, p.menu_order) for p in pages] == [("About", 1), ("Colophon", 2)]


def test_a_second_public_site_for_the_directory(seeded):
    other = Site.objects.get(slug="kitchen-table")
    assert other.theme == "press" and other.is_public
    assert other.memberships.count() == 1
    assert 2 <= Post.objects.for_site(other).posts().published().count() <= 3
    assert Site.objects.public().count() == 2


def test_seeding_twice_creates_nothing(seeded, media_root):
    before = counts(media_root)
    out = StringIO()
    assert seed_demo(stdout=out) is False
    assert out.getvalue().strip() == "Demo site already exists; nothing to do."
    assert counts(media_root) == before


def test_command_is_idempotent(db, media_root):
    first, second = StringIO(), StringIO()
    call_command("seed_demo", stdout=first)
    assert "2 sites" in first.getvalue() and "images" in first.getvalue()
    before = counts(media_root)
    call_command("seed_demo", stdout=second)
    assert "already exists; nothing to do" in second.getvalue()
    assert counts(media_root) == before


def test_a_failure_leaves_nothing_half_made(db, media_root, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(demo, "related_links_set", broken)
    with pytest.raises(RuntimeError):
        seed_demo()
    assert all(n == 0 for n in counts(media_root).values()), counts(media_root)


def test_landscapes_are_deterministic_small_jpegs():
    picture = demo.FIELD_NOTES_PICTURES[0]
    data = demo.landscape_jpeg(picture)
    assert data[:3] == b"\xff\xd8\xff"
    assert len(data) < 150_000
    assert demo.landscape_jpeg(picture) == data


def test_a_real_account_with_a_demo_name_is_never_taken_over(db, media_root):
    User.objects.create_user(username="maya", email="maya@real.example", password="x" * 12)
    with pytest.raises(CommandError, match="maya"):
        call_command("seed_demo", stdout=StringIO())
    assert not Site.objects.exists()
