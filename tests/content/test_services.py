"""Writing posts through the services every entry point calls: slugs, rendering,
revisions, versions, publishing dates and the curated "Find also to read" list."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from byline.content.models import Post, Revision, Status
from byline.content.services import (
    LinkSpec,
    StaleVersion,
    post_create,
    post_update,
    related_links_set,
)
from tests.factories import SiteFactory, make_post

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return NOON


# --- Slugs ---------------------------------------------------------------------------


def test_a_slug_is_made_from_the_title(site):
    assert make_post(site=site, title="Hello, World!").slug == "hello-world"


def test_a_second_post_with_the_same_title_gets_a_numbered_slug(site):
    make_post(site=site, title="Hello world")

    assert make_post(site=site, title="Hello world").slug == "hello-world-2"


def test_a_third_post_with_the_same_title_gets_the_next_number(site):
    make_post(site=site, title="Hello world")
    make_post(site=site, title="Hello world")

    assert make_post(site=site, title="Hello world").slug == "hello-world-3"


def test_another_site_may_use_the_same_slug(site):
    make_post(site=site, title="Hello world")

    assert make_post(site=SiteFactory(), title="Hello world").slug == "hello-world"


def test_a_page_and_a_post_may_share_a_slug(site):
    make_post(site=site, title="About")

    assert make_post(site=site, title="About", kind="page").slug == "about"


def test_a_unicode_title_keeps_its_letters_in_the_slug(site):
    post = make_post(site=site, title="Ünïcödé 日本語 post")

    assert post.slug == "ünïcödé-日本語-post"


def test_a_title_without_letters_falls_back_to_the_kind(site):
    assert make_post(site=site, title="?!…").slug == "post"
    assert make_post(site=site, title="***", kind="page").slug == "page"


def test_a_given_slug_wins_over_the_title(site):
    assert make_post(site=site, title="Hello world", slug="greeting").slug == "greeting"


# --- Render on save ------------------------------------------------------------------


def test_markdown_is_rendered_when_a_post_is_saved(site):
    post = make_post(site=site, source="Some *emphasis* and a [link](https://example.com/).")

    assert "<em>emphasis</em>" in post.html
    assert 'href="https://example.com/"' in post.html


def test_a_script_in_markdown_never_reaches_the_stored_html(site):
    post = make_post(site=site, source="Hi.\n\n<script>alert('x')</script>\n\nBye.")

    assert "<script" not in post.html.lower()
    assert "Bye." in post.html


def test_a_script_in_html_source_never_reaches_the_stored_html(site):
    post = make_post(site=site, source_format="html",
                     source='<p>Hi.</p><script>alert(1)</script><img src="/a.png" onerror="x()">')

    assert "<script" not in post.html.lower()
    assert "onerror" not in post.html.lower()
    assert "<p>Hi.</p>" in post.html


def test_an_update_renders_the_new_source(site):
    post = make_post(site=site, source="Old words.")

    post_update(post=post, editor=site.owner, source="New **words**.")

    post.refresh_from_db()
    assert "<strong>words</strong>" in post.html
    assert "Old" not in post.html


# --- Revisions and versions ----------------------------------------------------------


def test_creating_a_post_keeps_its_first_revision(site):
    post = make_post(site=site, title="First", source="Draft one.")

    revision = post.revisions.get()
    assert (revision.title, revision.source, revision.editor) == ("First", "Draft one.",
                                                                  site.owner)


def test_each_update_keeps_another_revision(site, reader):
    post = make_post(site=site, title="First", source="Draft one.")

    post_update(post=post, editor=reader, title="Second", source="Draft two.")

    assert post.revisions.count() == 2
    latest = post.revisions.first()
    assert (latest.title, latest.source, latest.editor) == ("Second", "Draft two.", reader)


def test_each_update_bumps_the_version(site):
    post = make_post(site=site)

    post_update(post=post, editor=site.owner, title="Changed")

    post.refresh_from_db()
    assert post.version == 2


def test_a_save_based_on_a_stale_version_is_refused(site):
    post = make_post(site=site, title="Original")
    stale_tab = Post.objects.get(pk=post.pk)
    post_update(post=post, editor=site.owner, expected_version=1, title="First editor")

    with pytest.raises(StaleVersion):
        post_update(post=stale_tab, editor=site.owner, expected_version=1,
                    title="Second editor")


def test_a_refused_stale_save_changes_nothing(site):
    post = make_post(site=site, title="Original")
    stale_tab = Post.objects.get(pk=post.pk)
    post_update(post=post, editor=site.owner, expected_version=1, title="First editor")

    with pytest.raises(StaleVersion):
        post_update(post=stale_tab, editor=site.owner, expected_version=1,
                    title="Second editor", source="Overwritten?")

    post.refresh_from_db()
    assert (post.title, post.version) == ("First editor", 2)
    assert "Overwritten" not in post.html
    assert Revision.objects.filter(post=post).count() == 2


def test_a_save_based_on_the_current_version_succeeds(site):
    post = make_post(site=site, title="Original")

    post_update(post=post, editor=site.owner, expected_version=1, title="Edited")

    post.refresh_from_db()
    assert post.title == "Edited"


# --- Publishing dates ------------------------------------------------------------------


def test_publishing_with_a_future_date_schedules_the_post(site, at_noon):
    post = make_post(site=site, published_at=NOON + timedelta(days=1))

    assert post.status == Status.SCHEDULED
    assert post.published_at == NOON + timedelta(days=1)


def test_publishing_without_a_date_publishes_now(site, at_noon):
    post = post_create(site=site, author=site.owner, title="Now", status="published")

    assert post.status == Status.PUBLISHED
    assert post.published_at == NOON


def test_a_draft_has_no_publication_date(site, at_noon):
    post = make_post(site=site, status="draft")

    assert post.published_at is None


def test_publishing_a_draft_later_with_a_future_date_schedules_it(site, at_noon):
    post = make_post(site=site, status="draft")

    post_update(post=post, editor=site.owner, status="published",
                published_at=NOON + timedelta(hours=2))

    post.refresh_from_db()
    assert post.status == Status.SCHEDULED


# --- "Find also to read" -------------------------------------------------------------


def test_related_links_keep_the_authors_order(site):
    post = make_post(site=site, title="Main")
    first, last = make_post(site=site, title="First"), make_post(site=site, title="Last")

    related_links_set(post=post, links=[
        LinkSpec(target=last),
        LinkSpec(url="https://example.com/essay", title="An essay"),
        LinkSpec(target=first),
    ])

    assert [link.label for link in post.related_links.all()] == ["Last", "An essay", "First"]


def test_setting_related_links_replaces_the_previous_list(site):
    post = make_post(site=site, title="Main")
    related_links_set(post=post, links=[LinkSpec(url="https://example.com/old")])

    related_links_set(post=post, links=[LinkSpec(url="https://example.com/new")])

    assert [link.url for link in post.related_links.all()] == ["https://example.com/new"]


def test_a_related_post_from_another_site_is_refused(site):
    post = make_post(site=site, title="Main")
    foreign = make_post(site=SiteFactory(), title="Elsewhere")

    with pytest.raises(ValueError, match="same site"):
        related_links_set(post=post, links=[LinkSpec(target=foreign)])


def test_a_post_cannot_recommend_itself(site):
    post = make_post(site=site, title="Main")

    with pytest.raises(ValueError, match="itself"):
        related_links_set(post=post, links=[LinkSpec(target=post)])


def test_a_refused_list_leaves_the_previous_list_in_place(site):
    post = make_post(site=site, title="Main")
    related_links_set(post=post, links=[LinkSpec(url="https://example.com/kept")])

    with pytest.raises(ValueError):
        related_links_set(post=post, links=[LinkSpec(url="https://example.com/new"),
                                            LinkSpec(target=post)])

    assert [link.url for link in post.related_links.all()] == ["https://example.com/kept"]


def test_a_related_link_with_both_a_post_and_an_address_is_refused(site):
    post, other = make_post(site=site, title="Main"), make_post(site=site, title="Other")

    with pytest.raises(ValidationError):
        related_links_set(post=post, links=[LinkSpec(target=other, url="https://example.com/")])


def test_a_related_link_to_a_script_address_is_refused(site):
    post = make_post(site=site, title="Main")

    with pytest.raises(ValidationError):
        related_links_set(post=post, links=[LinkSpec(url="javascript:alert(1)", title="Hi")])

    assert not post.related_links.exists()
