"""The editor of posts and pages without JavaScript: writing, saving drafts, publishing and
scheduling in the site's time zone, categories, tags, the featured image, the curated
links, visibility, page attributes, the no-script preview, and who may do which."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from byline.content.models import Category, Media, Post, RelatedLink, Status, Tag
from byline.content.services import post_trash
from byline.tenancy.roles import Role
from tests.factories import CategoryFactory, MembershipFactory, SiteFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def member(site, role):
    return MembershipFactory(site=site, role=role).user


def url(name, site, *args):
    return reverse(f"dashboard:{name}", args=[site.slug, *args])


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return NOON


def fields(**extra):
    """What the editor's form sends for a new post, with no links."""
    data = {
        "title": "A walk in the rain", "source": "It *rained*.", "excerpt": "", "slug": "",
        "tags": "", "new_category": "", "featured_image": "", "visibility": "public",
        "password": "", "publish_at": "", "update_at": "", "allow_comments": "on",
        "allow_pings": "on", "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0", "links-MAX_NUM_FORMS": "1000", "action": "draft",
    }
    data.update(extra)
    return data


def submit(browser, page_url, data):
    """Send the editor's form as a browser would: with the token from the page."""
    page = browser.get(page_url)
    token = TOKEN.search(page.text).group(1)
    return browser.post(page_url, {"csrfmiddlewaretoken": token, **data})


def edit_fields(post, **extra):
    data = fields(title=post.title, source=post.source, excerpt=post.excerpt, slug=post.slug,
                  version=str(post.version))
    data.update(extra)
    return data


# --- Writing and saving ---------------------------------------------------------------------


def test_a_contributor_opens_an_empty_editor_without_a_publish_button(site, browser):
    browser.force_login(member(site, Role.CONTRIBUTOR))

    response = browser.get(url("post_new", site))

    assert response.status_code == 200
    assert 'name="title"' in response.text
    assert 'value="publish"' not in response.text
    assert "an editor of the site publishes them" in response.text


def test_the_editor_is_never_cached(site, browser):
    browser.force_login(site.owner)

    response = browser.get(url("post_new", site))

    assert "no-store" in response["Cache-Control"]


def test_saving_a_draft_creates_it_and_opens_it_in_the_editor(site, browser):
    browser.force_login(site.owner)

    response = submit(browser, url("post_new", site), fields())

    post = Post.objects.get(title="A walk in the rain")
    assert (post.status, post.author, post.kind) == (Status.DRAFT, site.owner, "post")
    assert response.url == url("post_edit", site, post.pk)
    assert "Draft saved." in browser.get(response.url).text


def test_publishing_a_new_post_makes_it_public_now(site, browser, at_noon):
    browser.force_login(site.owner)

    submit(browser, url("post_new", site), fields(action="publish"))

    post = Post.objects.get()
    assert (post.status, post.published_at) == (Status.PUBLISHED, NOON)
    assert "<em>rained</em>" in post.html


def test_a_publish_date_is_read_in_the_sites_time_zone(browser, at_noon):
    site = SiteFactory(timezone="Europe/Paris")
    browser.force_login(site.owner)

    response = submit(browser, url("post_new", site),
                      fields(action="publish", publish_at="2026-07-01T09:30"))

    post = Post.objects.get()
    # Paris is two hours ahead of UTC in July.
    assert post.published_at == datetime(2026, 7, 1, 7, 30, tzinfo=UTC)
    assert post.status == Status.SCHEDULED
    assert "scheduled for" in browser.get(response.url).text


def test_the_editor_shows_the_time_zone_and_the_local_publish_time(browser, at_noon):
    site = SiteFactory(timezone="America/New_York")
    post = make_post(site=site, published_at=datetime(2026, 1, 15, 17, 0, tzinfo=UTC))
    browser.force_login(site.owner)

    html = browser.get(url("post_edit", site, post.pk)).text

    assert "America/New_York time" in html
    assert 'value="2026-01-15T12:00"' in html


def test_a_time_that_does_not_exist_in_the_site_zone_is_an_error(browser, at_noon):
    site = SiteFactory(timezone="Europe/Paris")
    browser.force_login(site.owner)

    # Clocks in Paris jump from 02:00 to 03:00 on 29 March 2026.
    response = submit(browser, url("post_new", site),
                      fields(action="publish", publish_at="2026-03-29T02:30"))

    assert response.status_code == 400
    assert not Post.objects.exists()


def test_updating_a_published_post_changes_it_and_its_version(site, browser):
    post = make_post(site=site, title="Old title", source="Old words.")
    browser.force_login(site.owner)

    response = submit(browser, url("post_edit", site, post.pk),
                      edit_fields(post, title="New title", source="New words.",
                                  action="publish"))

    post.refresh_from_db()
    assert (post.title, post.version, post.status) == ("New title", 2, Status.PUBLISHED)
    assert "Post updated." in browser.get(response.url).text


def test_publishing_a_saved_draft_says_it_was_published(site, browser):
    post = make_post(site=site, status="draft")
    browser.force_login(site.owner)

    response = submit(browser, url("post_edit", site, post.pk),
                      edit_fields(post, action="publish"))

    assert "Post published." in browser.get(response.url).text


def test_switching_a_published_post_to_draft_takes_it_off_the_site(site, browser):
    post = make_post(site=site)
    browser.force_login(site.owner)

    submit(browser, url("post_edit", site, post.pk), edit_fields(post, action="draft"))

    post.refresh_from_db()
    assert post.status == Status.DRAFT
    assert not post.is_public


def test_a_drafts_address_follows_its_new_title(site, browser):
    post = make_post(site=site, title="Working title", status="draft")
    browser.force_login(site.owner)

    submit(browser, url("post_edit", site, post.pk), edit_fields(post, title="Final title"))

    post.refresh_from_db()
    assert post.slug == "final-title"


def test_categories_are_ticked_and_a_new_one_is_made_on_the_fly(site, browser):
    walking = CategoryFactory(site=site, name="Walking", slug="walking")
    browser.force_login(site.owner)

    submit(browser, url("post_new", site),
           fields(categories=[str(walking.pk)], new_category="Rain gear"))

    post = Post.objects.get()
    assert sorted(c.name for c in post.categories.all()) == ["Rain gear", "Walking"]
    assert Category.objects.get(name="Rain gear").site == site


def test_tags_are_typed_separated_by_commas(site, browser):
    browser.force_login(site.owner)

    submit(browser, url("post_new", site), fields(tags="rain, boots , rain"))

    assert sorted(t.name for t in Post.objects.get().tags.all()) == ["boots", "rain"]
    assert Tag.objects.for_site(site).count() == 2


def test_the_featured_image_is_picked_from_the_sites_media(site, browser):
    image = Media.objects.create(site=site, file="sites/x/rain.jpg", title="Rain",
                                 alt_text="Rain on a window", mime_type="image/jpeg")
    browser.force_login(site.owner)

    page = browser.get(url("post_new", site)).text
    submit(browser, url("post_new", site), fields(featured_image=str(image.pk)))

    assert "Rain — Rain on a window" in page
    assert Post.objects.get().featured_image == image


def test_another_sites_image_cannot_be_featured(site, browser):
    foreign = Media.objects.create(site=SiteFactory(), file="sites/y/a.jpg",
                                   mime_type="image/jpeg")
    browser.force_login(site.owner)

    response = submit(browser, url("post_new", site), fields(featured_image=str(foreign.pk)))

    assert response.status_code == 400
    assert not Post.objects.exists()


def test_a_password_protected_post_needs_a_password(site, browser):
    browser.force_login(site.owner)

    response = submit(browser, url("post_new", site),
                      fields(action="publish", visibility="password"))

    assert response.status_code == 400
    assert "Give the password readers will need." in response.text
    assert not Post.objects.exists()


def test_a_password_protected_post_keeps_its_password(site, browser):
    browser.force_login(site.owner)

    submit(browser, url("post_new", site),
           fields(action="publish", visibility="password", password="open sesame"))

    post = Post.objects.get()
    assert (post.status, post.password) == (Status.PUBLISHED, "open sesame")


def test_a_private_post_is_published_privately(site, browser):
    browser.force_login(site.owner)

    submit(browser, url("post_new", site), fields(action="publish", visibility="private"))

    assert Post.objects.get().status == Status.PRIVATE


def test_a_page_gets_a_parent_and_an_order(site, browser):
    parent = make_post(site=site, title="About", kind="page")
    browser.force_login(site.owner)

    submit(browser, url("page_new", site),
           fields(title="Our team", parent=str(parent.pk), menu_order="3"))

    page = Post.objects.get(title="Our team")
    assert (page.kind, page.parent, page.menu_order) == ("page", parent, 3)


def test_a_page_cannot_become_its_own_grandparent(site, browser):
    top = make_post(site=site, title="Top", kind="page")
    child = make_post(site=site, title="Child", kind="page", parent=top)
    browser.force_login(site.owner)

    response = submit(browser, url("post_edit", site, top.pk),
                      edit_fields(top, parent=str(child.pk)))

    assert response.status_code == 400
    top.refresh_from_db()
    assert top.parent is None


# --- "Find also to read" without the script ------------------------------------------------


def links(*rows):
    data = {"links-TOTAL_FORMS": str(len(rows)), "links-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"links-{i}-{key}"] = value
    return data


def test_curated_links_are_saved_in_the_order_of_their_numbers(site, browser):
    other = make_post(site=site, title="An older walk")
    browser.force_login(site.owner)

    submit(browser, url("post_new", site), fields(**links(
        {"position": "2", "target": str(other.pk)},
        {"position": "1", "url": "https://example.org/rain", "title": "On rain"},
        {"position": "", "target": "", "url": "", "title": ""},
    )))

    post = Post.objects.get(title="A walk in the rain")
    assert [link.label for link in post.related_links.all()] == ["On rain", "An older walk"]


def test_a_removed_link_row_is_dropped(site, browser):
    post = make_post(site=site)
    other = make_post(site=site, title="Other")
    browser.force_login(site.owner)

    submit(browser, url("post_edit", site, post.pk), edit_fields(post, **links(
        {"position": "1", "target": str(other.pk), "DELETE": "on"})))

    assert RelatedLink.objects.count() == 0


@pytest.mark.parametrize("address", ["javascript:alert(1)", "ftp://example.org/x",
                                     "data:text/html,hi"])
def test_an_outside_link_must_be_a_web_address(site, browser, address):
    browser.force_login(site.owner)

    response = submit(browser, url("post_new", site), fields(**links(
        {"position": "1", "url": address, "title": "Click"})))

    assert response.status_code == 400
    assert not Post.objects.exists()


def test_a_link_row_cannot_be_both_a_post_and_an_address(site, browser):
    other = make_post(site=site, title="Other")
    browser.force_login(site.owner)

    response = submit(browser, url("post_new", site), fields(**links(
        {"target": str(other.pk), "url": "https://example.org", "title": "x"})))

    assert response.status_code == 400
    assert "not both" in response.text


def test_a_post_of_another_site_cannot_be_linked(site, browser):
    foreign = make_post(site=SiteFactory(), title="Foreign")
    browser.force_login(site.owner)

    response = submit(browser, url("post_new", site), fields(**links(
        {"target": str(foreign.pk)})))

    assert response.status_code == 400
    assert not Post.objects.filter(site=site).exists()


def test_the_link_search_finds_the_sites_posts_by_title(site, browser):
    make_post(site=site, title="Rain on the hills")
    make_post(site=site, title="Sunny days")
    make_post(site=SiteFactory(), title="Rain elsewhere")
    browser.force_login(site.owner)

    data = json.loads(browser.get(url("post_search", site), {"q": "rain"}).content)

    assert [r["title"] for r in data["results"]] == ["Rain on the hills"]


def test_the_link_search_hides_other_peoples_drafts_from_an_author(site, browser):
    make_post(site=site, title="Rain, published")
    make_post(site=site, title="Rain, the owner's draft", status="draft")
    browser.force_login(member(site, Role.AUTHOR))

    data = json.loads(browser.get(url("post_search", site), {"q": "rain"}).content)

    assert [r["title"] for r in data["results"]] == ["Rain, published"]


def test_the_link_choices_hide_other_peoples_drafts_from_an_author(site, browser):
    make_post(site=site, title="A public walk")
    make_post(site=site, title="A secret plan", status="draft")
    browser.force_login(member(site, Role.AUTHOR))

    html = browser.get(url("post_new", site)).text

    assert "A public walk" in html
    assert "A secret plan" not in html


# --- Preview ------------------------------------------------------------------------------


def test_the_preview_renders_markdown_and_removes_scripts(site, browser):
    browser.force_login(member(site, Role.CONTRIBUTOR))
    token = TOKEN.search(browser.get(url("post_new", site)).text).group(1)

    response = browser.post(url("post_preview", site), {
        "csrfmiddlewaretoken": token,
        "source": "**Bold**\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>"})

    assert response.status_code == 200
    assert "<strong>Bold</strong>" in response.text
    assert "<script" not in response.text
    assert "onerror" not in response.text
    assert "no-store" in response["Cache-Control"]


def test_the_preview_needs_a_csrf_token(site, browser):
    browser.force_login(site.owner)

    response = browser.post(url("post_preview", site), {"source": "Hi"})

    assert response.status_code == 403


def test_the_preview_is_refused_to_a_stranger(site, browser):
    browser.force_login(UserFactory())

    response = browser.post(url("post_preview", site), {"source": "Hi"})

    assert response.status_code == 403


def test_the_preview_button_shows_the_rendered_body_without_saving(site, browser):
    browser.force_login(site.owner)

    response = submit(browser, url("post_new", site),
                      fields(action="preview", source="# Heading\n\n<script>x()</script>"))

    assert response.status_code == 200
    assert "<h1>Heading</h1>" in response.text
    assert "<script>x()" not in response.text
    assert not Post.objects.exists()


# --- Who may edit what ------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [
    (Role.OWNER, 200), (Role.ADMINISTRATOR, 200), (Role.EDITOR, 200), (Role.AUTHOR, 403),
    (Role.CONTRIBUTOR, 403),
])
def test_only_editors_and_up_open_someone_elses_post(site, browser, role, status):
    post = make_post(site=site, author=member(site, Role.AUTHOR))
    browser.force_login(site.owner if role == Role.OWNER else member(site, role))

    assert browser.get(url("post_edit", site, post.pk)).status_code == status


def test_an_author_opens_their_own_published_post(site, browser):
    author = member(site, Role.AUTHOR)
    post = make_post(site=site, author=author)
    browser.force_login(author)

    assert browser.get(url("post_edit", site, post.pk)).status_code == 200


def test_a_contributor_cannot_open_their_post_once_published(site, browser):
    contributor = member(site, Role.CONTRIBUTOR)
    post = make_post(site=site, author=contributor)
    browser.force_login(contributor)

    assert browser.get(url("post_edit", site, post.pk)).status_code == 403


def test_an_author_saving_someone_elses_post_gets_403_and_changes_nothing(site, browser):
    post = make_post(site=site, title="The owner's")
    author = member(site, Role.AUTHOR)
    browser.force_login(site.owner)
    token = TOKEN.search(browser.get(url("post_edit", site, post.pk)).text).group(1)
    browser.force_login(author)

    response = browser.post(url("post_edit", site, post.pk),
                            {"csrfmiddlewaretoken": token,
                             **edit_fields(post, title="Mine now", action="draft")})

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.title == "The owner's"


def test_a_contributor_who_sends_publish_gets_403_and_nothing_is_made(site, browser):
    browser.force_login(member(site, Role.CONTRIBUTOR))

    response = submit(browser, url("post_new", site), fields(action="publish"))

    assert response.status_code == 403
    assert not Post.objects.exists()


def test_a_contributor_saves_a_draft(site, browser):
    contributor = member(site, Role.CONTRIBUTOR)
    browser.force_login(contributor)

    submit(browser, url("post_new", site), fields())

    assert Post.objects.get().author == contributor


def test_a_stranger_gets_403_from_the_editor(site, browser):
    post = make_post(site=site)
    browser.force_login(UserFactory())

    assert browser.get(url("post_edit", site, post.pk)).status_code == 403
    assert browser.get(url("post_new", site)).status_code == 403


def test_a_guest_is_sent_to_log_in_from_the_editor(site, browser):
    post = make_post(site=site)

    response = browser.get(url("post_edit", site, post.pk))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_post_of_another_site_is_not_found_through_this_one(site, browser):
    foreign = make_post(site=SiteFactory())
    browser.force_login(site.owner)

    assert browser.get(url("post_edit", site, foreign.pk)).status_code == 404


def test_saving_without_a_csrf_token_is_refused(site, browser):
    browser.force_login(site.owner)

    response = browser.post(url("post_new", site), fields())

    assert response.status_code == 403
    assert not Post.objects.exists()


# --- Trash from the editor --------------------------------------------------------------------


def test_move_to_trash_from_the_editor(site, browser):
    post = make_post(site=site)
    browser.force_login(site.owner)
    token = TOKEN.search(browser.get(url("post_edit", site, post.pk)).text).group(1)

    response = browser.post(url("post_trash", site, post.pk), {"csrfmiddlewaretoken": token})

    assert response.url == url("posts", site)
    post.refresh_from_db()
    assert post.trashed_at is not None


def test_a_trashed_post_offers_a_restore_instead_of_the_editor(site, browser):
    post = make_post(site=site, title="Binned")
    post_trash(post=post, user=site.owner)
    browser.force_login(site.owner)

    page = browser.get(url("post_edit", site, post.pk))
    response = browser.post(url("post_restore", site, post.pk),
                            {"csrfmiddlewaretoken": TOKEN.search(page.text).group(1)})

    assert "is in the Trash" in page.text
    assert 'name="source"' not in page.text
    assert response.url == url("post_edit", site, post.pk)
    post.refresh_from_db()
    assert post.trashed_at is None
