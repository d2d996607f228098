"""A post's revisions in the dashboard: the list (who, when, what kind), comparing any two
with a readable and escaped difference, and restoring one."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from byline.content.models import Revision
from byline.content.services import post_autosave, post_update
from byline.tenancy.roles import Role
from tests.factories import MembershipFactory, SiteFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def member(site, role):
    return MembershipFactory(site=site, role=role).user


def url(name, site, *args):
    return reverse(f"dashboard:{name}", args=[site.slug, *args])


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def edited(site):
    """A post saved twice by two people, then autosaved."""
    post = make_post(site=site, title="First title", source="The first words.")
    editor = member(site, Role.EDITOR)
    editor.display_name = "Ada Editor"
    editor.save()
    post_update(post=post, editor=editor, title="Second title",
                source="The second words.")
    post_update(post=post, editor=site.owner, status="draft")
    post_autosave(post=post, editor=site.owner, expected_version=3, title="Second title",
                  source="The second words, growing.")
    return post


def test_the_revisions_list_says_who_saved_when_and_how(site, browser, edited):
    browser.force_login(site.owner)

    html = browser.get(url("revisions", site, edited.pk)).text

    assert html.count('name="a"') == edited.revisions.count() == 4
    assert "Ada Editor" in html
    assert "Autosaved" in html
    assert "Saved" in html


def test_comparing_two_revisions_marks_what_changed(site, browser, edited):
    first, second = edited.revisions.order_by("created_at", "pk")[:2]
    browser.force_login(site.owner)

    html = browser.get(url("revision_compare", site, edited.pk),
                       {"a": first.pk, "b": second.pk}).text

    assert "<del>First</del><ins>Second</ins> title" in html
    assert "The <del>first</del><ins>second</ins> words." in html


def test_a_revision_is_compared_with_the_current_version_by_default(site, browser, edited):
    first = edited.revisions.order_by("created_at", "pk").first()
    browser.force_login(site.owner)

    html = browser.get(url("revision_compare", site, edited.pk), {"a": first.pk}).text

    assert "the current version" in html
    assert "<ins>second</ins>" in html


def test_a_title_with_a_script_is_shown_escaped_in_a_comparison(site, browser):
    post = make_post(site=site, title="Plain")
    post_update(post=post, editor=site.owner,
                title='<script>alert("x")</script> & <b onmouseover=y()>bold</b>',
                source="<img src=x onerror=alert(1)>")
    old = post.revisions.order_by("created_at", "pk").first()
    browser.force_login(site.owner)

    html = browser.get(url("revision_compare", site, post.pk), {"a": old.pk}).text

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<b onmouseover" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_revision_of_another_post_cannot_be_compared_here(site, browser, edited):
    stranger = make_post(site=site, title="Other")
    foreign = stranger.revisions.get()
    browser.force_login(site.owner)

    response = browser.get(url("revision_compare", site, edited.pk), {"a": foreign.pk})

    assert response.status_code == 404


def test_restoring_a_revision_makes_a_new_version_and_keeps_the_old(site, browser, edited):
    first = edited.revisions.order_by("created_at", "pk").first()
    browser.force_login(site.owner)
    csrf = TOKEN.search(browser.get(url("revisions", site, edited.pk)).text).group(1)

    response = browser.post(url("revision_restore", site, edited.pk, first.pk),
                            {"csrfmiddlewaretoken": csrf})

    assert response.url == url("post_edit", site, edited.pk)
    edited.refresh_from_db()
    assert (edited.title, edited.source, edited.version) == ("First title",
                                                             "The first words.", 5)
    assert edited.revisions.first().kind == Revision.Kind.RESTORE
    assert edited.revisions.filter(source="The second words, growing.").exists()


def test_restoring_needs_a_csrf_token(site, browser, edited):
    first = edited.revisions.order_by("created_at", "pk").first()
    browser.force_login(site.owner)

    response = browser.post(url("revision_restore", site, edited.pk, first.pk))

    assert response.status_code == 403
    edited.refresh_from_db()
    assert edited.title == "Second title"


@pytest.mark.parametrize("role", [Role.AUTHOR, Role.CONTRIBUTOR])
def test_someone_elses_revisions_are_not_for_authors_or_contributors(site, browser, edited,
                                                                      role):
    browser.force_login(member(site, role))

    assert browser.get(url("revisions", site, edited.pk)).status_code == 403
    assert browser.get(url("revision_compare", site, edited.pk),
                       {"a": edited.revisions.first().pk}).status_code == 403


def test_an_author_restoring_someone_elses_revision_gets_403(site, browser, edited):
    first = edited.revisions.order_by("created_at", "pk").first()
    elsewhere = SiteFactory()
    author = member(site, Role.AUTHOR)
    MembershipFactory(site=elsewhere, user=author, role=Role.AUTHOR)
    browser.force_login(author)
    csrf = TOKEN.search(browser.get(url("post_new", elsewhere)).text).group(1)

    response = browser.post(url("revision_restore", site, edited.pk, first.pk),
                            {"csrfmiddlewaretoken": csrf})

    assert response.status_code == 403
    edited.refresh_from_db()
    assert edited.title == "Second title"


def test_a_stranger_gets_403_from_the_revisions(site, browser, edited):
    browser.force_login(UserFactory())

    assert browser.get(url("revisions", site, edited.pk)).status_code == 403
