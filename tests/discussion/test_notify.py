"""Comment mail, through a real SMTP server on loopback: the post's author hears of new
and held comments, commenters of replies they asked for, subscribers of new comments;
every such mail unsubscribes in one click, and no header can be injected."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from byline.discussion.models import Comment, CommentSubscription
from byline.discussion.tasks import comment_notify
from byline.rendering import render_comment
from tests.discussion.social_helpers import browser, path_of, start_inbox
from tests.factories import UserFactory, make_post
from tests.smtp import body_text, links_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def inbox(settings):
    box = start_inbox(settings)
    yield box
    box.stop()


@pytest.fixture
def post(site):
    site.owner.email = "maya@example.org"
    site.owner.save(update_fields=["email"])
    return make_post(site=site, title="On hedgerows")


def comment(post, *, name="Gil Guest", email="gil@example.org", status="approved",
            parent=None, user=None, notify_replies=False, body="Lovely hedges.") -> Comment:
    return Comment.objects.create(
        site=post.site, post=post, parent=parent, user=user, author_name=name,
        author_email=email, body=body, html=render_comment(body), status=status,
        notify_replies=notify_replies, created_at=timezone.now())


def header(mail, name: str) -> str:
    # A folded, encoded header (non-ASCII subject) parses with a leading space.
    return str(mail[name]).strip()


def recipients(inbox) -> list[str]:
    return sorted(str(m["To"]) for m in inbox.messages)


def test_the_author_hears_of_a_new_approved_comment(post, inbox):
    new = comment(post)
    assert comment_notify.call(comment_id=new.pk) == 1
    mail = inbox.wait_for("maya@example.org")
    assert header(mail, "Subject") == "[Demo Site] New comment on “On hedgerows”"
    assert "Gil Guest commented on your post" in body_text(mail)
    assert "Lovely hedges." in body_text(mail)
    y, m, d = post.local_date_parts()
    assert (f"http://localhost/@demo/{y}/{m:02d}/{d:02d}/{post.slug}/#comment-{new.pk}"
            in links_in(mail))
    assert recipients(inbox) == ["maya@example.org"]


def test_a_held_comment_asks_the_author_to_moderate_with_dashboard_links(post, inbox):
    held = comment(post, status="pending")
    comment_notify.call(comment_id=held.pk)
    mail = inbox.wait_for("maya@example.org")
    assert header(mail, "Subject") == "[Demo Site] Please moderate: “On hedgerows”"
    text = body_text(mail)
    assert f"Approve it: http://localhost/dashboard/demo/comments/{held.pk}/approve/" in text
    assert f"Mark it as spam: http://localhost/dashboard/demo/comments/{held.pk}/spam/" in text
    assert "All comments waiting: http://localhost/dashboard/demo/comments/" in text


def test_spam_and_trash_are_never_mailed(post, inbox):
    for status in ("spam", "trash"):
        comment_notify.call(comment_id=comment(post, status=status).pk)
    assert inbox.messages == []


def test_the_author_is_not_told_of_their_own_comment(post, inbox, site):
    own = comment(post, name="Maya", email="maya@example.org", user=site.owner)
    assert comment_notify.call(comment_id=own.pk) == 0
    assert inbox.messages == []


def test_each_comment_is_mailed_once_however_often_the_task_runs(post, inbox):
    new = comment(post)
    comment_notify.call(comment_id=new.pk)
    comment_notify.call(comment_id=new.pk)
    assert len(inbox.messages) == 1


def test_approving_a_held_comment_tells_the_author_again_once(post, inbox):
    held = comment(post, status="pending")
    comment_notify.call(comment_id=held.pk)
    Comment.objects.filter(pk=held.pk).update(status="approved")
    comment_notify.call(comment_id=held.pk)
    comment_notify.call(comment_id=held.pk)
    assert [header(m, "Subject") for m in inbox.messages] == [
        "[Demo Site] Please moderate: “On hedgerows”",
        "[Demo Site] New comment on “On hedgerows”"]


def test_a_commenter_who_asked_hears_of_a_reply_and_can_stop_it_in_one_click(post, inbox):
    first = comment(post, name="Ann", email="ann@example.org", notify_replies=True)
    reply = comment(post, name="Bo", email="bo@example.org", parent=first,
                    body="I agree with Ann.")
    comment_notify.call(comment_id=reply.pk)
    mail = inbox.wait_for("ann@example.org")
    assert header(mail, "Subject") == "[Demo Site] Bo replied to your comment"
    assert "I agree with Ann." in body_text(mail)
    stop = str(mail["List-Unsubscribe"]).strip()[1:-1]
    assert stop in body_text(mail)
    assert path_of(stop).startswith("/@demo/_/unsubscribe/replies/")
    assert str(mail["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"

    client = browser(host="localhost")
    assert "Unsubscribe</button>" in client.get(path_of(stop)).content.decode()
    first.refresh_from_db()
    assert first.notify_replies is True  # a GET (a mail scanner) changes nothing
    assert client.post(path_of(stop), {"List-Unsubscribe": "One-Click"}).status_code == 200
    first.refresh_from_db()
    assert first.notify_replies is False

    inbox.messages.clear()
    comment_notify.call(comment_id=comment(post, name="Cy", email="cy@example.org",
                                           parent=first).pk)
    assert recipients(inbox) == ["maya@example.org"]


def test_a_forged_replies_token_changes_nothing(post):
    first = comment(post, notify_replies=True)
    response = browser().get(f"/_/unsubscribe/replies/{first.pk}:forged/")
    assert response.status_code == 404
    browser().post(f"/_/unsubscribe/replies/{first.pk}:forged/")
    first.refresh_from_db()
    assert first.notify_replies is True


def test_no_reply_mail_without_the_box_ticked_or_to_oneself(post, inbox):
    quiet = comment(post, name="Ann", email="ann@example.org", notify_replies=False)
    talker = comment(post, name="Bo", email="bo@example.org", notify_replies=True)
    comment_notify.call(comment_id=comment(post, email="cy@example.org", parent=quiet).pk)
    comment_notify.call(comment_id=comment(post, email="BO@example.org", parent=talker).pk)
    assert recipients(inbox) == ["maya@example.org", "maya@example.org"]


def test_a_reply_that_is_held_does_not_reach_the_parent_commenter(post, inbox):
    first = comment(post, email="ann@example.org", notify_replies=True)
    comment_notify.call(comment_id=comment(post, parent=first, status="pending").pk)
    assert recipients(inbox) == ["maya@example.org"]


def test_comment_subscribers_hear_of_approved_comments_and_unsubscribe_in_one_click(
        post, inbox):
    follower = CommentSubscription.objects.create(post=post, email="fran@example.org")
    comment_notify.call(comment_id=comment(post, status="pending").pk)
    assert recipients(inbox) == ["maya@example.org"]  # held comments stay private

    comment_notify.call(comment_id=comment(post, email="hal@example.org").pk)
    mail = inbox.wait_for("fran@example.org")
    assert header(mail, "Subject") == "[Demo Site] New comment on “On hedgerows”"
    stop = f"http://localhost/@demo/_/unsubscribe/comments/{follower.token}/"
    assert str(mail["List-Unsubscribe"]).strip() == f"<{stop}>"
    assert stop in body_text(mail)
    response = browser(host="localhost").post(path_of(stop), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not CommentSubscription.objects.filter(pk=follower.pk).exists()


def test_a_subscriber_is_not_mailed_about_their_own_comment(post, inbox):
    CommentSubscription.objects.create(post=post, email="fran@example.org")
    comment_notify.call(comment_id=comment(post, email="Fran@Example.org").pk)
    assert recipients(inbox) == ["maya@example.org"]


def test_a_signed_in_commenter_is_recognised_by_their_account(post, inbox):
    member = UserFactory(email="member@example.org")
    CommentSubscription.objects.create(post=post, email="member@example.org")
    comment_notify.call(comment_id=comment(post, email="", user=member).pk)
    assert recipients(inbox) == ["maya@example.org"]


def test_nobody_gets_two_mails_about_one_comment(post, inbox):
    first = comment(post, email="ann@example.org", notify_replies=True)
    CommentSubscription.objects.create(post=post, email="ann@example.org")
    CommentSubscription.objects.create(post=post, email="maya@example.org")
    comment_notify.call(comment_id=comment(post, parent=first).pk)
    assert recipients(inbox) == ["ann@example.org", "maya@example.org"]


def test_line_breaks_in_names_and_titles_cannot_add_headers(site, inbox):
    site.owner.email = "maya@example.org"
    site.owner.save(update_fields=["email"])
    site.title = "Demo\r\nBcc: site@evil.example"
    site.save(update_fields=["title"])
    post = make_post(site=site, title="Hedges")
    post.title = "Hedges\r\nBcc: title@evil.example"
    post.save(update_fields=["title"])
    evil = comment(post, name="Eve\r\nBcc: name@evil.example\r\nX-Evil: 1",
                   email="eve@example.org")
    comment_notify.call(comment_id=evil.pk)
    mail = inbox.wait_for("maya@example.org")
    assert mail["Bcc"] is None and mail["X-Evil"] is None
    assert "\n" not in str(mail["Subject"]) and "\n" not in str(mail["From"])
    assert recipients(inbox) == ["maya@example.org"]
    assert "Eve Bcc: name@evil.example X-Evil: 1 commented" in body_text(mail)
