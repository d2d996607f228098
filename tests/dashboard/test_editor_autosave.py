"""Autosave and conflicts (SECURITY-CASES 51): every save carries the version the page
loaded; a save based on an older one never overwrites anything, keeps the losing text as
a revision and answers 409; one page's own autosave never conflicts with its own save."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from byline.content.models import Post, Revision, Status
from byline.content.services import post_update
from byline.tenancy.roles import Role
from tests.factories import MembershipFactory, SiteFactory, make_post

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def member(site, role):
    return MembershipFactory(site=site, role=role).user


def url(name, site, *args):
    return reverse(f"dashboard:{name}", args=[site.slug, *args])


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def token(browser, site, post=None):
    page = url("post_edit", site, post.pk) if post else url("post_new", site)
    return TOKEN.search(browser.get(page).text).group(1)


def autosave(browser, site, post, csrf, **data):
    return browser.post(url("post_autosave", site, post.pk),
                        {"csrfmiddlewaretoken": csrf, "excerpt": "", **data})


def editor_fields(post, **extra):
    data = {
        "title": post.title, "source": post.source, "excerpt": post.excerpt,
        "slug": post.slug, "tags": "", "new_category": "", "featured_image": "",
        "visibility": "public", "password": "", "publish_at": "", "update_at": "",
        "allow_comments": "on", "allow_pings": "on", "version": str(post.version),
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0", "action": "draft",
    }
    data.update(extra)
    return data


# --- Autosave ----------------------------------------------------------------------------------


def test_autosaving_a_draft_saves_it_and_answers_the_new_version(site, browser):
    post = make_post(site=site, title="Draft", source="One.", status="draft")
    browser.force_login(site.owner)

    response = autosave(browser, site, post, token(browser, site, post), title="Draft",
                        source="One. Two.", version="1")

    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["version"] == 2
    assert data["message"].startswith("Draft saved at")
    post.refresh_from_db()
    assert (post.source, post.version) == ("One. Two.", 2)


def test_autosaving_a_live_post_keeps_the_text_but_readers_see_the_old_one(site, browser,
                                                                         site_client):
    post = make_post(site=site, title="Live", source="As published.")
    browser.force_login(site.owner)

    response = autosave(browser, site, post, token(browser, site, post), title="Live",
                        source="Half-typed sent", version="1")

    assert response.status_code == 200
    assert json.loads(response.content)["version"] == 1
    assert "readers still see the published version" in json.loads(response.content)["message"]
    post.refresh_from_db()
    assert (post.source, post.version) == ("As published.", 1)
    assert post.revisions.get(kind=Revision.Kind.AUTOSAVE).source == "Half-typed sent"
    assert "Half-typed" not in site_client.get(post.get_absolute_url()).text


def test_the_editor_offers_to_bring_back_an_autosave_of_a_live_post(site, browser):
    post = make_post(site=site, title="Live", source="As published.")
    browser.force_login(site.owner)
    autosave(browser, site, post, token(browser, site, post), title="Live",
             source="Unsaved thought", version="1")
    revision = post.revisions.get(kind=Revision.Kind.AUTOSAVE)

    offer = browser.get(url("post_edit", site, post.pk)).text
    restored = browser.get(url("post_edit", site, post.pk), {"from_revision": revision.pk}).text

    assert "Bring back the autosaved text" in offer
    assert f"?from_revision={revision.pk}" in offer
    assert "Unsaved thought</textarea>" in restored
    assert "Nothing changes until you save" in restored


def test_no_offer_once_the_autosaved_text_was_saved(site, browser):
    post = make_post(site=site, title="Live", source="As published.")
    browser.force_login(site.owner)
    autosave(browser, site, post, token(browser, site, post), title="Live",
             source="Then saved", version="1")
    post_update(post=post, editor=site.owner, source="Then saved")

    assert "Bring back the autosaved text" not in browser.get(
        url("post_edit", site, post.pk)).text


def test_a_stale_autosave_gets_409_and_overwrites_nothing(site, browser):
    post = make_post(site=site, title="Shared", source="Original.", status="draft")
    browser.force_login(site.owner)
    csrf = token(browser, site, post)
    post_update(post=Post.objects.get(pk=post.pk), editor=member(site, Role.EDITOR),
                expected_version=1, source="The other tab's words.")

    response = autosave(browser, site, post, csrf, title="Shared", source="My words.",
                        version="1")

    assert response.status_code == 409
    data = json.loads(response.content)
    assert data["conflict"] is True
    assert "Nothing was overwritten" in data["message"]
    post.refresh_from_db()
    assert (post.source, post.version) == ("The other tab's words.", 2)


def test_the_text_of_a_stale_autosave_is_kept_as_a_conflict_revision(site, browser):
    post = make_post(site=site, title="Shared", source="Original.", status="draft")
    browser.force_login(site.owner)
    csrf = token(browser, site, post)
    post_update(post=Post.objects.get(pk=post.pk), editor=site.owner, expected_version=1,
                source="Theirs.")

    response = autosave(browser, site, post, csrf, title="Shared", source="Mine.",
                        version="1")

    kept = Revision.objects.get(pk=json.loads(response.content)["revision"])
    assert (kept.kind, kept.source, kept.version, kept.editor) == (
        Revision.Kind.CONFLICT, "Mine.", 1, site.owner)


def test_an_autosave_then_a_save_with_the_answered_version_is_no_conflict(site, browser):
    post = make_post(site=site, title="Mine", source="One.", status="draft")
    browser.force_login(site.owner)
    csrf = token(browser, site, post)
    answered = json.loads(autosave(browser, site, post, csrf, title="Mine", source="One. Two.",
                                   version="1").content)["version"]

    response = browser.post(url("post_edit", site, post.pk), {
        "csrfmiddlewaretoken": csrf,
        **editor_fields(post, source="One. Two. Three.", version=str(answered))})

    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.source, post.version) == ("One. Two. Three.", 3)
    assert not post.revisions.filter(kind=Revision.Kind.CONFLICT).exists()


def test_the_first_autosave_of_a_new_post_makes_a_draft(site, browser):
    writer = member(site, Role.CONTRIBUTOR)
    browser.force_login(writer)

    response = browser.post(url("post_autosave_new", site), {
        "csrfmiddlewaretoken": token(browser, site), "title": "", "source": "First words",
        "excerpt": "", "kind": "post"})

    assert response.status_code == 201
    data = json.loads(response.content)
    post = Post.objects.get(pk=data["id"])
    assert (post.status, post.author, post.source, post.title) == (
        Status.DRAFT, writer, "First words", "Untitled")
    assert data["edit_url"] == url("post_edit", site, post.pk)
    assert data["version"] == post.version


def test_an_autosave_with_an_over_long_title_is_refused_not_cut(site, browser):
    post = make_post(site=site, title="Draft", status="draft")
    browser.force_login(site.owner)

    response = autosave(browser, site, post, token(browser, site, post), title="x" * 301,
                        source="Words", version="1")

    assert response.status_code == 400
    post.refresh_from_db()
    assert (post.title, post.version) == ("Draft", 1)


def test_an_autosave_without_a_version_is_refused(site, browser):
    post = make_post(site=site, status="draft")
    browser.force_login(site.owner)

    response = autosave(browser, site, post, token(browser, site, post), title="T",
                        source="S")

    assert response.status_code == 400


def test_an_autosave_without_a_csrf_token_is_refused(site, browser):
    post = make_post(site=site, status="draft", source="Safe.")
    browser.force_login(site.owner)

    response = browser.post(url("post_autosave", site, post.pk),
                            {"title": "T", "source": "Forged.", "version": "1"})

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.source == "Safe."


def test_an_autosave_of_someone_elses_post_gets_403(site, browser):
    post = make_post(site=site, status="draft", source="Theirs.")
    author = member(site, Role.AUTHOR)
    browser.force_login(author)
    csrf = token(browser, site)

    response = autosave(browser, site, post, csrf, title="T", source="Mine.", version="1")

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.source == "Theirs."


def test_an_autosave_by_a_stranger_gets_403(site, browser):
    post = make_post(site=site, status="draft", source="Theirs.")
    elsewhere = SiteFactory()
    browser.force_login(elsewhere.owner)

    response = autosave(browser, site, post, token(browser, elsewhere), title="T",
                        source="Mine.", version="1")

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.source == "Theirs."


def test_autosave_only_accepts_post(site, browser):
    post = make_post(site=site, status="draft")
    browser.force_login(site.owner)

    assert browser.get(url("post_autosave", site, post.pk)).status_code == 405


# --- A manual save that lost the race ---------------------------------------------------------


@pytest.fixture
def raced(site, browser):
    """The owner opened the editor at version 1; an editor saved version 2 meanwhile."""
    post = make_post(site=site, title="Shared title", source="Line one.\nLine two.")
    browser.force_login(site.owner)
    csrf = token(browser, site, post)
    other = member(site, Role.EDITOR)
    other.display_name = "Grace Hopper"
    other.save()
    post_update(post=Post.objects.get(pk=post.pk), editor=other, expected_version=1,
                source="Line one.\nTheir line two.")
    return post, csrf


def test_a_stale_save_shows_a_conflict_and_overwrites_nothing(site, browser, raced):
    post, csrf = raced

    response = browser.post(url("post_edit", site, post.pk), {
        "csrfmiddlewaretoken": csrf,
        **editor_fields(post, source="Line one.\nMy line two.", action="publish")})

    assert response.status_code == 409
    assert "This post was saved elsewhere while you were editing" in response.text
    assert "Grace Hopper" in response.text
    post.refresh_from_db()
    assert (post.source, post.version) == ("Line one.\nTheir line two.", 2)


def test_the_conflict_page_shows_both_versions_and_keeps_mine(site, browser, raced):
    post, csrf = raced

    response = browser.post(url("post_edit", site, post.pk), {
        "csrfmiddlewaretoken": csrf,
        **editor_fields(post, source="Line one.\nMy line two.", action="publish")})

    assert "<del>Their</del>" in response.text
    assert "<ins>My</ins>" in response.text
    assert "Line one.\nMy line two.</textarea>" in response.text  # still in the editor
    kept = post.revisions.get(kind=Revision.Kind.CONFLICT)
    assert kept.source == "Line one.\nMy line two."


def test_use_mine_saves_over_their_version(site, browser, raced):
    post, csrf = raced
    conflict = browser.post(url("post_edit", site, post.pk), {
        "csrfmiddlewaretoken": csrf,
        **editor_fields(post, source="Line one.\nMy line two.", action="publish")})
    version = re.search(r'name="version" value="(\d+)"', conflict.text).group(1)

    response = browser.post(url("post_edit", site, post.pk), {
        "csrfmiddlewaretoken": csrf,
        **editor_fields(post, source="Line one.\nMy line two.", action="publish",
                        version=version)})

    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.source, post.version) == ("Line one.\nMy line two.", 3)
    # Their version is still in the history.
    assert post.revisions.filter(source="Line one.\nTheir line two.").exists()


def test_keep_theirs_links_back_to_the_saved_version(site, browser, raced):
    post, csrf = raced

    response = browser.post(url("post_edit", site, post.pk), {
        "csrfmiddlewaretoken": csrf, **editor_fields(post, source="Mine.", action="draft")})

    assert f'href="{url("post_edit", site, post.pk)}">Keep theirs' in response.text


def test_a_stale_tab_cannot_overwrite_by_sending_no_version(site, browser, raced):
    post, csrf = raced
    data = editor_fields(post, source="Mine.", action="publish")
    del data["version"]

    response = browser.post(url("post_edit", site, post.pk),
                            {"csrfmiddlewaretoken": csrf, **data})

    assert response.status_code == 400
    post.refresh_from_db()
    assert post.source == "Line one.\nTheir line two."
