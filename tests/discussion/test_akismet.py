"""The optional Akismet check of new comments, against a real HTTP server on loopback that
speaks Akismet's API: what it calls spam goes to Spam (and out of sight), what it calls
ham takes the site's own rules' status, and whatever goes wrong keeps the comment."""

import logging

import pytest
from django.core.cache import cache

from byline.discussion import notify
from byline.discussion.akismet import comment_check
from byline.discussion.models import Comment, CommentSubscription
from byline.tenancy.roles import Role
from tests.akismet_server import KEY, FakeAkismet
from tests.discussion.comment_helpers import browser, guest_comment, page
from tests.discussion.comment_helpers import send as send_form
from tests.factories import MembershipFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db

S = Comment.Status
SPAMMER = "akismet-guaranteed-spam"  # the name Akismet always calls spam


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # notification mail is sent once per comment, remembered in the cache


@pytest.fixture
def akismet(settings):
    server = FakeAkismet().start()
    settings.BYLINE_AKISMET_KEY = KEY
    settings.BYLINE_AKISMET_URL = server.url
    settings.BYLINE_AKISMET_TIMEOUT = 0.5
    yield server
    server.stop()


@pytest.fixture
def open_site(site):
    """A site whose rules approve a guest's comment at once, so only Akismet holds it."""
    site.comments_hold_first_time = False
    site.owner.email = "maya@example.org"
    site.owner.save(update_fields=["email"])
    site.save()
    return site


@pytest.fixture
def post(open_site):
    return make_post(site=open_site, title="On gardens")


def send(client, post, **fields):
    """The comment form sent as a browser sends it, from the post page, with the
    address, agent and referrer Akismet is told about."""
    return send_form(client, post, headers={
        "REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux) Firefox/140.0",
        "HTTP_REFERER": "http://demo.localhost" + post.get_absolute_url()}, **fields)


def posted(post, capture, **kwargs) -> Comment:
    """A guest comment through the service, with the after-commit work (Akismet) run."""
    with capture(execute=True):
        comment = guest_comment(post, **kwargs)
    comment.refresh_from_db()
    return comment


# --- Akismet's verdict ------------------------------------------------------------------


def test_what_akismet_calls_spam_goes_to_spam_and_is_not_shown(
        post, akismet, django_capture_on_commit_callbacks):
    guest = browser()
    with django_capture_on_commit_callbacks(execute=True):
        send(guest, post, author=SPAMMER, comment="Cheap watches here.")

    comment = Comment.objects.get(post=post)
    assert comment.status == S.SPAM
    assert len(akismet.calls("comment-check")) == 1
    assert "Cheap watches" not in page(guest, post)  # not even to the one who sent it
    assert "Cheap watches" not in page(browser(), post)


def test_blatant_spam_akismet_says_to_discard_is_still_kept_as_spam(
        post, akismet, django_capture_on_commit_callbacks):
    akismet.answer("comment-check", "true", headers={"X-akismet-pro-tip": "discard"})

    comment = posted(post, django_capture_on_commit_callbacks, body="Buy now!")

    assert comment.status == S.SPAM
    assert Comment.objects.filter(pk=comment.pk, body="Buy now!").exists()


def test_ham_takes_the_status_the_sites_rules_gave(
        post, akismet, django_capture_on_commit_callbacks, mailoutbox):
    guest = browser()
    with django_capture_on_commit_callbacks(execute=True):
        send(guest, post, comment="What a lovely border.")

    assert Comment.objects.get(post=post).status == S.APPROVED
    assert "What a lovely border." in page(browser(), post)
    assert [m.subject for m in mailoutbox] == ["[Demo Site] New comment on “On gardens”"]


def test_ham_held_by_the_sites_rules_stays_held_and_the_author_is_asked(
        post, akismet, django_capture_on_commit_callbacks, mailoutbox):
    post.site.comments_hold_all = True
    post.site.save()

    comment = posted(post, django_capture_on_commit_callbacks)

    assert comment.status == S.PENDING
    assert [m.subject for m in mailoutbox] == ["[Demo Site] Please moderate: “On gardens”"]


def test_the_author_hears_nothing_of_a_comment_akismet_calls_spam(
        post, akismet, django_capture_on_commit_callbacks, mailoutbox):
    posted(post, django_capture_on_commit_callbacks, author_name=SPAMMER)
    assert mailoutbox == []


def test_notify_me_of_new_comments_waits_for_akismet(
        post, akismet, django_capture_on_commit_callbacks):
    posted(post, django_capture_on_commit_callbacks, author_name=SPAMMER,
           author_email="spam@example.net", notify_post=True)
    posted(post, django_capture_on_commit_callbacks, author_email="gil@example.org",
           notify_post=True)

    assert list(CommentSubscription.objects.values_list("email", flat=True)) == [
        "gil@example.org"]


def test_the_guest_sees_their_comment_awaiting_moderation_while_akismet_is_asked(
        post, akismet):
    guest = browser()
    send(guest, post, comment="Checking my words.")  # the check runs after commit: not yet

    comment = Comment.objects.get(post=post)
    assert comment.status == S.PENDING
    mine = page(guest, post)
    assert "Checking my words." in mine and "Your comment is awaiting moderation." in mine
    assert "Checking my words." not in page(browser(), post)

    comment_check.call(comment_id=comment.pk, status_if_ham=S.APPROVED)
    comment.refresh_from_db()
    assert comment.status == S.APPROVED
    assert "Checking my words." in page(browser(), post)


def test_a_moderators_decision_before_the_check_stands(post, akismet):
    comment = guest_comment(post)  # pending: the check is still to run
    comment.status = S.TRASH
    comment.save()

    assert comment_check.call(comment_id=comment.pk, status_if_ham=S.APPROVED) == "skipped"
    comment.refresh_from_db()
    assert comment.status == S.TRASH
    assert akismet.calls() == []


def test_running_the_check_twice_does_no_harm(
        post, akismet, django_capture_on_commit_callbacks, mailoutbox):
    comment = posted(post, django_capture_on_commit_callbacks)
    assert comment_check.call(comment_id=comment.pk, status_if_ham=S.APPROVED) == "skipped"
    assert len(akismet.calls("comment-check")) == 1
    assert len(mailoutbox) == 1


# --- Who is checked ----------------------------------------------------------------------


def test_without_a_key_akismet_is_never_asked(
        post, settings, django_capture_on_commit_callbacks):
    server = FakeAkismet().start()
    try:
        settings.BYLINE_AKISMET_KEY = ""
        settings.BYLINE_AKISMET_URL = server.url
        comment = posted(post, django_capture_on_commit_callbacks, author_name=SPAMMER)
    finally:
        server.stop()
    assert comment.status == S.APPROVED
    assert server.calls() == []


@pytest.mark.parametrize("role", [Role.AUTHOR, Role.EDITOR, Role.CONTRIBUTOR])
def test_members_of_the_site_are_not_checked(
        post, akismet, django_capture_on_commit_callbacks, role):
    member = MembershipFactory(site=post.site, role=role).user
    comment = posted(post, django_capture_on_commit_callbacks, user=member)
    assert comment.status in (S.APPROVED, S.PENDING)
    assert akismet.calls() == []


def test_the_owner_is_not_checked(post, akismet, django_capture_on_commit_callbacks):
    comment = posted(post, django_capture_on_commit_callbacks, user=post.site.owner)
    assert comment.status == S.APPROVED
    assert akismet.calls() == []


def test_a_signed_in_reader_is_checked_as_a_reader(
        post, akismet, django_capture_on_commit_callbacks):
    reader = UserFactory(username="wren", email="wren@example.org")
    comment = posted(post, django_capture_on_commit_callbacks, user=reader)

    assert comment.status == S.APPROVED
    [call] = akismet.calls("comment-check")
    assert call.params["user_role"] == "reader"
    assert call.params["comment_author_email"] == "wren@example.org"


def test_what_the_sites_rules_call_spam_is_not_sent(
        post, akismet, django_capture_on_commit_callbacks):
    post.site.comments_spam_words = "casino"
    post.site.save()
    comment = posted(post, django_capture_on_commit_callbacks, body="Best casino online")
    assert comment.status == S.SPAM
    assert akismet.calls() == []


# --- What Akismet is told ----------------------------------------------------------------


def test_akismet_is_told_everything_it_judges_by(
        post, akismet, django_capture_on_commit_callbacks):
    post.site.language = "de"
    post.site.save()
    with django_capture_on_commit_callbacks(execute=True):
        send(browser(), post, author="Gil Guest", email="gil@example.org",
             url="https://gil.example/", comment="Lovely *hedges*.")

    comment = Comment.objects.get(post=post)
    [call] = akismet.calls("comment-check")
    assert call.params == {
        "api_key": KEY,
        "blog": notify.site_link(post.site, "reader:home"),
        "user_ip": "203.0.113.7",
        "user_agent": "Mozilla/5.0 (X11; Linux) Firefox/140.0",
        "referrer": "http://demo.localhost" + post.get_absolute_url(),
        "permalink": notify.post_link(post),
        "comment_type": "comment",
        "comment_author": "Gil Guest",
        "comment_author_email": "gil@example.org",
        "comment_author_url": "https://gil.example/",
        "comment_content": "Lovely *hedges*.",
        "comment_date_gmt": comment.created_at.isoformat(timespec="seconds"),
        "comment_post_modified_gmt": post.updated_at.isoformat(timespec="seconds"),
        "blog_lang": "de",
        "blog_charset": "UTF-8",
    }
    assert call.params["blog"] == "http://localhost/@demo/"
    assert call.headers["User-Agent"].startswith("Byline/")
    assert call.headers["Content-Type"].startswith("application/x-www-form-urlencoded")


def test_a_reply_is_sent_as_a_reply(post, akismet, django_capture_on_commit_callbacks):
    first = posted(post, django_capture_on_commit_callbacks, body="First!")
    posted(post, django_capture_on_commit_callbacks, body="Replying.", parent=first)

    assert [c.params["comment_type"] for c in akismet.calls("comment-check")] == [
        "comment", "reply"]


def test_test_mode_says_is_test(post, akismet, settings, django_capture_on_commit_callbacks):
    settings.BYLINE_AKISMET_TEST = True
    posted(post, django_capture_on_commit_callbacks)
    assert akismet.calls("comment-check")[0].params["is_test"] == "1"


# --- When Akismet fails: fail open ---------------------------------------------------------


def failing(akismet, how: str) -> None:
    if how == "down":
        akismet.stop()
    elif how == "slow":
        akismet.answer("comment-check", "true", delay=2.0)  # past the 0.5 s timeout
    elif how == "server error":
        akismet.answer("comment-check", "Internal error", status=500)
    elif how == "garbage":
        akismet.answer("comment-check", "<html>maintenance</html>")
    elif how == "invalid key":
        akismet.key = "another-key"


@pytest.mark.parametrize("how", ["down", "slow", "server error", "garbage", "invalid key"])
def test_a_failing_akismet_keeps_the_comment_as_the_rules_decided(
        post, akismet, django_capture_on_commit_callbacks, caplog, how):
    failing(akismet, how)

    with caplog.at_level(logging.WARNING, logger="byline.discussion.akismet"):
        approved = posted(post, django_capture_on_commit_callbacks, body="Kept.")
        post.site.comments_hold_all = True
        post.site.save()
        held = posted(post, django_capture_on_commit_callbacks, body="Held.")

    assert (approved.status, held.status) == (S.APPROVED, S.PENDING)
    assert "Akismet could not check comment" in caplog.text


def test_an_invalid_key_is_logged_with_akismets_explanation(
        post, akismet, django_capture_on_commit_callbacks, caplog):
    akismet.key = "another-key"
    with caplog.at_level(logging.WARNING, logger="byline.discussion.akismet"):
        posted(post, django_capture_on_commit_callbacks)
    assert "the API key was refused (We were unable to parse your API key.)" in caplog.text


def test_a_slow_akismet_never_slows_the_guests_request(post, akismet):
    akismet.answer("comment-check", "false", delay=2.0)
    response = send(browser(), post)  # the check is queued after commit
    assert response.status_code == 302
    assert akismet.calls() == []


def test_a_failing_akismet_never_answers_the_guest_with_an_error(
        post, akismet, django_capture_on_commit_callbacks):
    akismet.answer("comment-check", "oops", status=503)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(browser(), post, comment="Still here.")
    assert response.status_code == 302
    assert Comment.objects.get(post=post).status == S.APPROVED
