"""comment_post and the moderation services: every rule a commenter meets."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from byline.discussion import services
from byline.discussion.models import Comment, CommentSubscription
from byline.tenancy.models import Membership
from tests.discussion.comment_helpers import guest_comment
from tests.factories import SiteFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_site(site):
    site.comments_hold_first_time = False
    site.save()
    return site


@pytest.fixture
def post(open_site):
    return make_post(site=open_site, title="On gardens")


def test_a_guest_comment_is_stored_with_rendered_html(post):
    comment = guest_comment(post, "Some *emphasis*")
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert "<em>emphasis</em>" in comment.html
    assert comment.site_id == post.site_id


def test_first_time_guest_is_held_by_default(site):
    post = make_post(site=site)
    assert guest_comment(post).status == "pending"


def test_a_guest_typing_an_approved_commenters_name_and_email_is_still_held(site):
    post = make_post(site=site)
    first = guest_comment(post, author_name="Ann", author_email="ann@example.com")
    services.comment_approve(comment=first)
    second = guest_comment(post, "Another thought.", author_name="Ann",
                           author_email="ann@example.com",
                           now=timezone.now() + timedelta(minutes=1))
    assert second.status == "pending"


def test_a_signed_in_user_with_an_approved_comment_skips_the_first_time_hold(site, reader):
    post = make_post(site=site)
    first = guest_comment(post, user=reader)
    assert first.status == "pending"
    services.comment_approve(comment=first)
    second = guest_comment(post, "And more.", user=reader,
                           now=timezone.now() + timedelta(minutes=1))
    assert second.status == "approved"


def test_a_signed_in_user_comments_under_their_account_name_and_email(post, reader):
    comment = guest_comment(post, user=reader, author_name="Someone Else",
                            author_email="else@example.com")
    assert (comment.author_name, comment.author_email) == (reader.get_display_name(),
                                                           reader.email)


def test_the_site_owner_is_approved_even_when_everything_is_held(site, owner):
    site.comments_hold_all = True
    site.save()
    post = make_post(site=site)
    assert guest_comment(post, user=owner).status == "approved"


def test_spam_words_send_a_comment_to_spam(open_site, post):
    open_site.comments_spam_words = "casino"
    open_site.save()
    assert guest_comment(post, "Visit my CASINO").status == "spam"


def test_too_many_links_hold_the_comment(post):
    body = "[a](https://a.example) and [b](https://b.example)"
    assert guest_comment(post, body).status == "pending"


def test_comments_on_a_post_that_does_not_allow_them_are_refused(open_site):
    post = make_post(site=open_site, allow_comments=False)
    with pytest.raises(services.CommentsClosed):
        guest_comment(post)
    assert not Comment.objects.exists()


def test_comments_close_after_the_sites_number_of_days(open_site):
    open_site.comments_close_after_days = 14
    open_site.save()
    post = make_post(site=open_site, published_at=timezone.now() - timedelta(days=15))
    with pytest.raises(services.CommentsClosed):
        guest_comment(post)


def test_comments_stay_open_before_the_limit(open_site):
    open_site.comments_close_after_days = 14
    open_site.save()
    post = make_post(site=open_site, published_at=timezone.now() - timedelta(days=13))
    assert guest_comment(post).pk


def test_a_guest_must_give_a_name_and_an_email(post):
    with pytest.raises(ValidationError) as exc:
        guest_comment(post, author_name="", author_email="")
    assert set(exc.value.message_dict) == {"author_name", "author_email"}


@pytest.mark.parametrize(("field", "limit"), [("body", Comment.MAX_BODY),
                                              ("author_name", Comment.MAX_NAME),
                                              ("author_email", Comment.MAX_EMAIL),
                                              ("author_url", Comment.MAX_URL)])
def test_an_oversized_field_is_refused_with_a_clear_error_and_nothing_stored(post, field, limit):
    values = {"body": "x" * (limit + 1),
              "author_name": "n" * (limit + 1),
              "author_email": "e" * (limit - 11) + "@example.com",
              "author_url": "https://example.com/" + "u" * limit}
    kwargs = {field: values[field]}
    body = kwargs.pop("body", "Fine.")
    with pytest.raises(ValidationError) as exc:
        guest_comment(post, body, **kwargs)
    assert "too long" in " ".join(exc.value.message_dict[field])
    assert not Comment.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JaVaScRiPt:alert(1)",
                                 "data:text/html,<script>alert(1)</script>",
                                 "vbscript:msgbox(1)", "java\tscript:alert(1)"])
def test_an_author_url_that_is_not_http_is_refused(post, url):
    with pytest.raises(ValidationError) as exc:
        guest_comment(post, author_url=url)
    assert "author_url" in exc.value.message_dict
    assert not Comment.objects.exists()


def test_a_bare_host_as_author_url_gets_http(post):
    assert guest_comment(post, author_url="ann.example").author_url == "http://ann.example"


@pytest.mark.parametrize("field", ["author_name", "author_email"])
def test_a_line_break_in_name_or_email_is_refused(post, field):
    value = {"author_name": "Ann\r\nBcc: victim@example.com",
             "author_email": "ann@example.com\r\nBcc: victim@example.com"}[field]
    with pytest.raises(ValidationError) as exc:
        guest_comment(post, **{field: value})
    assert field in exc.value.message_dict
    assert not Comment.objects.exists()


def test_four_byte_utf8_is_stored_byte_exact(post):
    body = "<q cite='x 🔥'>hot</q> take 🔥🔥 after"
    comment = guest_comment(post, body, author_name="Flame 🔥")
    comment.refresh_from_db()
    assert comment.body == body
    assert comment.author_name == "Flame 🔥"
    assert comment.html.count("🔥") == 3
    assert comment.html.rstrip().endswith("after</p>")


def test_script_in_a_comment_body_is_not_stored_as_html(post):
    comment = guest_comment(post, "<script>alert(1)</script><img src=x onerror=alert(1)>")
    assert "<script" not in comment.html
    assert "<img" not in comment.html
    assert "&lt;script&gt;" in comment.html


def test_the_same_ip_cannot_post_twice_within_15_seconds(post):
    guest_comment(post, ip="203.0.113.9")
    with pytest.raises(services.CommentFlood) as exc:
        guest_comment(post, "Something else", ip="203.0.113.9")
    assert exc.value.status_code == 429
    assert exc.value.messages == ["You are posting comments too quickly. Slow down."]
    assert Comment.objects.count() == 1


def test_the_same_email_cannot_post_twice_within_15_seconds(post):
    guest_comment(post, author_email="ann@example.com")
    with pytest.raises(services.CommentFlood):
        guest_comment(post, "Something else", author_email="ANN@example.com")


def test_the_same_address_may_post_again_after_15_seconds(post):
    guest_comment(post, ip="203.0.113.9")
    later = guest_comment(post, "Later", ip="203.0.113.9",
                          now=timezone.now() + timedelta(seconds=16))
    assert later.pk


def test_moderators_are_not_flood_limited(post, owner):
    guest_comment(post, user=owner, ip="203.0.113.9")
    assert guest_comment(post, "Again", user=owner, ip="203.0.113.9").pk


def test_a_burst_from_one_ip_is_throttled_with_a_clear_message(post):
    start = timezone.now()
    for i in range(10):
        guest_comment(post, f"Comment {i}", ip="203.0.113.9",
                      now=start + timedelta(seconds=20 * i))
    with pytest.raises(services.CommentFlood) as exc:
        guest_comment(post, "One more", ip="203.0.113.9", now=start + timedelta(seconds=220))
    assert "too many comments" in exc.value.messages[0]
    assert Comment.objects.count() == 10


def test_the_same_comment_twice_is_a_duplicate_and_stored_once(post):
    guest_comment(post, "Same words", author_email="ann@example.com")
    with pytest.raises(services.CommentDuplicate) as exc:
        guest_comment(post, "Same words", author_email="ann@example.com",
                      now=timezone.now() + timedelta(minutes=5))
    assert exc.value.status_code == 409
    assert exc.value.messages == [
        "Duplicate comment detected; it looks as though you’ve already said that!"]
    assert Comment.objects.count() == 1


def test_a_reply_hangs_under_its_parent(post):
    parent = guest_comment(post)
    reply = guest_comment(post, "Reply", parent=parent)
    assert reply.parent_id == parent.pk


def test_a_reply_to_a_held_comment_is_refused(site):
    post = make_post(site=site)
    held = guest_comment(post)
    with pytest.raises(ValidationError) as exc:
        guest_comment(post, "Reply", parent=held)
    assert "parent" in exc.value.message_dict


def test_a_reply_to_a_comment_on_another_post_is_refused(post, open_site):
    other = guest_comment(make_post(site=open_site, title="Other"))
    with pytest.raises(ValidationError):
        guest_comment(post, "Reply", parent=other)


def test_a_reply_past_the_depth_hangs_under_the_deepest_allowed_ancestor(open_site, post):
    open_site.comment_thread_depth = 3
    open_site.save()
    post.refresh_from_db()
    level1 = guest_comment(post, "1")
    level2 = guest_comment(post, "2", parent=level1)
    level3 = guest_comment(post, "3", parent=level2)
    too_deep = guest_comment(post, "4", parent=level3)
    assert level3.parent_id == level2.pk
    assert too_deep.parent_id == level2.pk
    assert services.thread_depth(too_deep) == 3


def test_ticking_notify_me_of_new_comments_subscribes_the_email_once(post):
    guest_comment(post, notify_post=True, author_email="ann@example.com")
    guest_comment(post, "More", notify_post=True, author_email="ann@example.com",
                  now=timezone.now() + timedelta(minutes=1))
    assert list(CommentSubscription.objects.values_list("email", flat=True)) == [
        "ann@example.com"]


def test_moderation_services_change_the_status(site):
    post = make_post(site=site)
    comment = guest_comment(post)
    assert services.comment_approve(comment=comment).status == "approved"
    assert services.comment_unapprove(comment=comment).status == "pending"
    assert services.comment_spam(comment=comment).status == "spam"
    assert services.comment_trash(comment=comment).status == "trash"
    comment.refresh_from_db()
    assert comment.status == "trash"


def test_editing_a_comment_re_renders_its_html(post):
    comment = guest_comment(post, "Old")
    services.comment_edit(comment=comment, body="New **bold**", author_name="Ann",
                          author_email="ann@example.com", author_url="")
    comment.refresh_from_db()
    assert "<strong>bold</strong>" in comment.html


def test_editing_refuses_a_javascript_url(post):
    comment = guest_comment(post)
    with pytest.raises(ValidationError):
        services.comment_edit(comment=comment, body="x", author_name="Ann",
                              author_email="ann@example.com", author_url="javascript:alert(1)")


def test_an_editor_of_another_site_is_not_a_moderator_here(post):
    stranger = UserFactory()
    Membership.objects.create(site=SiteFactory(), user=stranger, role="editor")
    post.site.comments_hold_all = True
    post.site.save()
    assert guest_comment(post, user=stranger).status == "pending"
