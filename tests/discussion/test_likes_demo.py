"""The demo site shows the conversation at work: threaded comments from guests and
members, one comment held for moderation, and likes on several posts."""

import pytest
from django.test import Client

from byline.content import demo
from byline.content.demo import seed_demo
from byline.discussion.models import Comment, Like
from byline.tenancy.models import Site


@pytest.fixture
def seeded(db, settings, tmp_path) -> Site:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert seed_demo() is True
    return Site.objects.get(slug=demo.DEMO_SLUG)


def test_the_demo_has_threaded_comments_from_guests_and_members(seeded):
    comments = Comment.objects.for_site(seeded).approved()
    assert comments.count() >= 8
    assert comments.filter(user__isnull=True).exists()
    assert comments.filter(user__isnull=False).exists()
    assert comments.filter(parent__parent__isnull=False).exists()  # a reply to a reply
    assert comments.values("post").distinct().count() >= 3
    assert all(c.html.startswith("<p>") for c in comments)


def test_the_demo_has_one_comment_held_for_moderation(seeded):
    held = Comment.objects.for_site(seeded).awaiting_moderation()
    assert held.count() == 1
    assert held.get().post.is_public


def test_the_demo_has_likes_on_several_posts(seeded):
    likes = Like.objects.filter(site=seeded)
    assert likes.values("post").distinct().count() >= 4
    assert likes.count() >= 10


def test_seeding_again_adds_no_comments_or_likes(seeded):
    before = (Comment.objects.count(), Like.objects.count())
    assert seed_demo() is False
    assert (Comment.objects.count(), Like.objects.count()) == before


def test_a_visitor_sees_likes_on_the_demo_post(seeded):
    post = Like.objects.filter(site=seeded).order_by("post__published_at").first().post
    page = Client(HTTP_HOST="demo.localhost").get(post.get_absolute_url()).content.decode()
    assert "4 bloggers like this." in page
    assert 'alt="Inês Duarte"' in page
