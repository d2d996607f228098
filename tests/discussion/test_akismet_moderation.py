"""Moderators teach Akismet: marking a comment as spam in the dashboard submits it as spam,
taking one out of Spam submits it as ham, through the same real HTTP server on loopback."""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from byline.discussion.models import Comment
from tests.akismet_server import KEY, FakeAkismet
from tests.factories import make_post

pytestmark = pytest.mark.django_db

S = Comment.Status
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def akismet(settings):
    server = FakeAkismet().start()
    settings.BYLINE_AKISMET_KEY = KEY
    settings.BYLINE_AKISMET_URL = server.url
    settings.BYLINE_AKISMET_TIMEOUT = 0.5
    yield server
    server.stop()


@pytest.fixture
def post(site):
    return make_post(site=site, title="On gardens")


@pytest.fixture
def moderator(site):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(site.owner)
    return browser


def make_comment(post, *, status=S.PENDING, body="Nice post.", ip="198.51.100.4"):
    return Comment.objects.create(
        site=post.site, post=post, author_name="Ada Guest", author_email="ada@example.org",
        author_ip=ip, user_agent="Mozilla/5.0 Test", body=body, html=f"<p>{body}</p>",
        status=status, created_at=timezone.now())


def url(name, site, *args):
    return reverse(f"dashboard:{name}", args=[site.slug, *args])


def submit(browser, site, action_url, data=None):
    """A dashboard form sent with the queue page's CSRF token, its after-commit work run."""
    token = TOKEN.search(browser.get(url("comments", site)).text).group(1)
    return browser.post(action_url, {"csrfmiddlewaretoken": token, **(data or {})})


def act(browser, comment, action, capture):
    with capture(execute=True):
        response = submit(browser, comment.site, url(f"comment_{action}", comment.site,
                                                     comment.pk))
    assert response.status_code == 302
    comment.refresh_from_db()


def test_marking_a_comment_as_spam_submits_it_as_spam(
        post, akismet, moderator, django_capture_on_commit_callbacks):
    comment = make_comment(post, body="Visit my pills shop.")

    act(moderator, comment, "spam", django_capture_on_commit_callbacks)

    assert comment.status == S.SPAM
    [call] = akismet.calls()
    assert call.endpoint == "submit-spam"
    assert call.params["comment_content"] == "Visit my pills shop."
    assert call.params["user_ip"] == "198.51.100.4"
    assert call.params["user_agent"] == "Mozilla/5.0 Test"
    assert call.params["comment_author_email"] == "ada@example.org"
    assert call.params["blog"] == "http://localhost/@demo/"
    assert call.params["api_key"] == KEY


def test_not_spam_submits_it_as_ham(post, akismet, moderator,
                                    django_capture_on_commit_callbacks):
    comment = make_comment(post, status=S.SPAM)

    act(moderator, comment, "restore", django_capture_on_commit_callbacks)

    assert comment.status == S.PENDING
    assert [c.endpoint for c in akismet.calls()] == ["submit-ham"]


def test_approving_a_comment_from_spam_submits_it_as_ham(
        post, akismet, moderator, django_capture_on_commit_callbacks):
    comment = make_comment(post, status=S.SPAM)
    act(moderator, comment, "approve", django_capture_on_commit_callbacks)
    assert comment.status == S.APPROVED
    assert [c.endpoint for c in akismet.calls()] == ["submit-ham"]


@pytest.mark.parametrize(("start", "action"), [
    (S.PENDING, "approve"), (S.APPROVED, "unapprove"), (S.APPROVED, "trash"),
    (S.SPAM, "trash"), (S.TRASH, "restore"),
])
def test_other_moderation_tells_akismet_nothing(
        post, akismet, moderator, django_capture_on_commit_callbacks, start, action):
    comment = make_comment(post, status=start)
    act(moderator, comment, action, django_capture_on_commit_callbacks)
    assert akismet.calls() == []


def test_bulk_spam_submits_each_comment(post, akismet, moderator,
                                        django_capture_on_commit_callbacks):
    ticked = [make_comment(post, body=f"Spam {n}.") for n in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        submit(moderator, post.site, url("comments", post.site),
               {"bulk_action": "spam", "ids": [c.pk for c in ticked]})

    calls = akismet.calls("submit-spam")
    assert sorted(c.params["comment_content"] for c in calls) == ["Spam 0.", "Spam 1.",
                                                                   "Spam 2."]


def test_changing_the_status_to_spam_in_the_editor_submits_it(
        post, akismet, moderator, django_capture_on_commit_callbacks):
    comment = make_comment(post, status=S.APPROVED, body="Sneaky link.")
    page = url("comment_edit", post.site, comment.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(moderator, post.site, page, {
            "body": "Sneaky link.", "author_name": "Ada Guest",
            "author_email": "ada@example.org", "author_url": "", "status": "spam"})

    assert response.status_code == 302
    assert [c.endpoint for c in akismet.calls()] == ["submit-spam"]


def test_without_a_key_nothing_is_submitted(post, settings, moderator,
                                            django_capture_on_commit_callbacks):
    server = FakeAkismet().start()
    try:
        settings.BYLINE_AKISMET_KEY = ""
        settings.BYLINE_AKISMET_URL = server.url
        comment = make_comment(post)
        act(moderator, comment, "spam", django_capture_on_commit_callbacks)
    finally:
        server.stop()
    assert comment.status == S.SPAM
    assert server.calls() == []


def test_a_comment_without_an_address_is_not_submitted(
        post, akismet, moderator, django_capture_on_commit_callbacks):
    comment = make_comment(post, ip=None)  # imported, say: Akismet requires user_ip
    act(moderator, comment, "spam", django_capture_on_commit_callbacks)
    assert comment.status == S.SPAM
    assert akismet.calls() == []


@pytest.mark.parametrize("how", ["down", "refused key", "odd answer"])
def test_a_failing_akismet_never_undoes_the_moderators_decision(
        post, akismet, moderator, django_capture_on_commit_callbacks, caplog, how):
    if how == "down":
        akismet.stop()
    elif how == "refused key":
        akismet.key = "another-key"
    else:
        akismet.answer("submit-spam", "Thanks?")
    comment = make_comment(post)

    with caplog.at_level(logging.WARNING, logger="byline.discussion.akismet"):
        act(moderator, comment, "spam", django_capture_on_commit_callbacks)

    assert comment.status == S.SPAM
    assert f"Akismet did not take the spam report of comment {comment.pk}" in caplog.text

