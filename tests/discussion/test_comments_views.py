"""The comments section of the post page and the comment form, as a browser meets them."""

import time

import pytest

from byline.discussion import services
from byline.discussion.forms import make_stamp
from byline.discussion.models import Comment
from byline.discussion.views import AUTHOR_COOKIE
from tests.discussion.comment_helpers import browser, form_data, guest_comment, page, send
from tests.factories import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_site(site):
    site.comments_hold_first_time = False
    site.save()
    return site


@pytest.fixture
def post(open_site):
    return make_post(site=open_site, title="On gardens")




def test_a_post_without_comments_shows_only_leave_a_reply(post):
    html = page(browser(), post)
    assert "Leave a Reply" in html
    assert "thought" not in html


def test_one_comment_reads_one_thought(post):
    guest_comment(post)
    assert "One thought on “On gardens”" in page(browser(), post)


def test_comments_pingbacks_and_webmentions_are_counted(post):
    guest_comment(post)
    guest_comment(post, "Two")
    for kind in ("pingback", "webmention"):
        Comment.objects.create(site=post.site, post=post, kind=kind, status="approved",
                               author_name=f"A {kind}", author_url="https://blog.example/x",
                               body="", created_at=post.published_at)
    html = page(browser(), post)
    assert "4 thoughts on “On gardens”" in html
    assert "Pingback:" in html and "Webmention:" in html


def test_held_and_spam_comments_are_not_counted_or_shown(post):
    guest_comment(post, "Visible")
    services.comment_spam(comment=guest_comment(post, "Spammy"))
    services.comment_unapprove(comment=guest_comment(post, "Held"))
    html = page(browser(), post)
    assert "One thought" in html
    assert "Spammy" not in html and "Held" not in html


def test_a_guest_comment_sent_from_another_site_is_forbidden(post):
    # A guest's page comes from the page cache, the same bytes for everyone, so it holds no
    # CSRF token; the browser's Origin header tells a forged cross-site form apart.
    response = browser().post(f"/_/comment/{post.pk}/", form_data(post),
                              HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert not Comment.objects.filter(post=post).exists()


def test_a_guest_comment_whose_referer_is_another_site_is_forbidden(post):
    response = browser().post(f"/_/comment/{post.pk}/", form_data(post),
                              HTTP_REFERER="https://evil.example/page")
    assert response.status_code == 403
    assert not Comment.objects.filter(post=post).exists()


def test_a_guest_comment_from_the_post_page_itself_is_stored(post):
    response = browser().post(f"/_/comment/{post.pk}/", form_data(post, comment="Same site."),
                              HTTP_ORIGIN="http://demo.localhost")
    assert response.status_code == 302
    assert Comment.objects.get(post=post).body == "Same site."


def test_a_signed_in_comment_without_csrf_token_is_forbidden(post, reader):
    # SECURITY-CASES 7 and 9: the authenticated path needs Django's token.
    client = browser()
    client.force_login(reader)
    response = client.post(f"/_/comment/{post.pk}/", form_data(post),
                           HTTP_ORIGIN="http://demo.localhost")
    assert response.status_code == 403
    assert not Comment.objects.filter(post=post).exists()


def test_guests_get_a_post_page_without_csrf_token_and_members_with_one(post, reader):
    guest = browser()
    assert "csrfmiddlewaretoken" not in page(guest, post)
    assert "csrftoken" not in guest.cookies
    member = browser()
    member.force_login(reader)
    assert "csrfmiddlewaretoken" in page(member, post)
    assert not Comment.objects.exists()


def test_a_guest_comment_redirects_to_its_anchor(post):
    response = send(browser(), post, comment="Lovely roses.")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"


def test_a_comment_shows_avatar_name_link_date_permalink_and_reply(post):
    comment = guest_comment(post, "Lovely *roses*.", author_name="Rose",
                            author_url="https://rose.example/")
    html = page(browser(), post)
    assert f'id="comment-{comment.pk}"' in html
    assert '<a class="p-name u-url url" href="https://rose.example/" rel="ugc nofollow noopener">' \
           'Rose</a>' in html
    assert f'href="#comment-{comment.pk}"><time class="dt-published"' in html
    assert "<em>roses</em>" in html
    assert f'href="?replytocom={comment.pk}#respond"' in html
    assert '/_/avatar/' in html
    assert comment.author_email not in html


def test_stored_xss_in_name_and_body_is_escaped(post):
    guest_comment(post, "<script>alert(1)</script>", author_name="<img src=x onerror=alert(1)>")
    html = page(browser(), post)
    assert "<script>alert(1)" not in html
    assert "<img src=x onerror" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_quote_in_the_author_url_cannot_open_an_attribute(post):
    guest_comment(post, author_url='https://x.example/"onmouseover="alert(1)')
    html = page(browser(), post)
    assert '"onmouseover="' not in html
    assert "https://x.example/&quot;onmouseover=&quot;alert(1)" in html


def test_replies_nest_under_their_parent(post):
    parent = guest_comment(post, "Parent")
    guest_comment(post, "Child", parent=parent)
    html = page(browser(), post)
    assert html.index("Parent") < html.index('<ol class="children">') < html.index("Child")


def test_no_reply_link_at_the_maximum_depth(open_site, post):
    open_site.comment_thread_depth = 2
    open_site.save()
    parent = guest_comment(post, "Parent")
    child = guest_comment(post, "Child", parent=parent)
    html = page(browser(), post)
    assert f"replytocom={parent.pk}" in html
    assert f"replytocom={child.pk}" not in html


def test_replytocom_puts_the_form_under_that_comment(post):
    first = guest_comment(post, "First", author_name="Fern")
    guest_comment(post, "Second")
    html = page(browser(), post, f"?replytocom={first.pk}")
    assert "Leave a Reply to Fern" in html
    assert html.index(f'id="comment-{first.pk}"') < html.index('id="respond"') < html.index(
        "Second")
    assert f'name="parent" id="comment_parent" value="{first.pk}"' in html


def test_a_reply_sent_from_the_form_hangs_under_its_parent(post):
    parent = guest_comment(post, "Parent")
    send(browser(), post, comment="Reply", parent=str(parent.pk))
    assert Comment.objects.get(body="Reply").parent_id == parent.pk


def test_closed_comments_say_so_and_show_no_form(open_site):
    post = make_post(site=open_site, allow_comments=False)
    html = page(browser(), post)
    assert "Comments are closed." in html
    assert 'id="commentform"' not in html


def test_a_held_comment_is_shown_to_its_author_only(site):
    post = make_post(site=site)
    author = browser()
    send(author, post, comment="Please approve me")
    assert Comment.objects.get().status == "pending"
    mine = page(author, post)
    assert "Please approve me" in mine and "Your comment is awaiting moderation." in mine
    assert "Please approve me" not in page(browser(), post)


def test_a_page_showing_a_held_comment_is_never_stored_in_shared_caches(site, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE,
                           "byline.discussion.middleware.PrivateCommentsMiddleware"]
    post = make_post(site=site)
    author = browser()
    send(author, post, comment="Please approve me")
    response = author.get(post.get_absolute_url())
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "private" not in browser().get(post.get_absolute_url()).get("Cache-Control", "")


def test_remember_me_sets_a_cookie_only_with_consent(post):
    client = browser()
    send(client, post, author="Fern", email="fern@example.com", remember="yes")
    cookie = client.cookies[AUTHOR_COOKIE]
    assert cookie.value and cookie["httponly"] and cookie["samesite"] == "Lax"
    html = page(client, post)
    assert 'value="Fern"' in html and 'value="fern@example.com"' in html


def test_without_consent_no_author_cookie_is_kept(post):
    client = browser()
    send(client, post, author="Fern", email="fern@example.com")
    assert not client.cookies.get(AUTHOR_COOKIE) or not client.cookies[AUTHOR_COOKIE].value
    assert 'value="Fern"' not in page(client, post)


def test_a_form_sent_within_seconds_of_loading_is_refused_and_kept(post):
    response = send(browser(), post, comment="Typed fast",
                    stamp=make_stamp(post.pk, issued_at=time.time()))
    assert response.status_code == 400
    assert "too fast" in response.content.decode()
    assert "Typed fast" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_forged_stamp_is_refused(post):
    response = send(browser(), post, stamp="not-a-stamp")
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_the_honeypot_silently_discards_the_comment(post):
    response = send(browser(), post, leave_blank="http://spam.example")
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_screen_readers(post):
    html = page(browser(), post)
    assert '<div class="comment-form-hp" hidden aria-hidden="true">' in html
    assert 'tabindex="-1"' in html


def test_a_missing_email_re_renders_the_form_with_the_text_kept(post):
    response = send(browser(), post, comment="Do not lose me 🔥", email="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Do not lose me 🔥" in html
    assert 'id="email-error"' in html and 'aria-invalid="true"' in html


def test_an_oversized_body_gets_a_clear_error_and_nothing_is_stored(post):
    response = send(browser(), post, comment="x" * (Comment.MAX_BODY + 1))
    assert response.status_code == 400
    assert "Your comment is too long" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_javascript_url_is_refused_by_the_form(post):
    response = send(browser(), post, url="javascript:alert(1)")
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_posting_twice_quickly_gets_429(post):
    client = browser()
    send(client, post, comment="One", email="a@example.com")
    response = send(client, post, comment="Two", email="b@example.com")
    assert response.status_code == 429
    assert "You are posting comments too quickly. Slow down." in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_duplicate_gets_409_and_is_stored_once(post):
    guest_comment(post, "Same", author_email="a@example.com")
    response = send(browser(), post, comment="Same", email="a@example.com")
    assert response.status_code == 409
    assert "Duplicate comment detected" in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_signed_in_reader_sees_the_logged_in_as_line(post, reader):
    client = browser()
    client.force_login(reader)
    html = page(client, post)
    assert "You are commenting using your Byline account." in html
    assert 'form="comment-logout"' in html and 'id="author"' not in html


def test_a_signed_in_reader_comments_under_their_name(post, reader):
    client = browser()
    client.force_login(reader)
    send(client, post, comment="As a member", author="", email="")
    assert Comment.objects.get().user_id == reader.pk


def test_guests_get_a_log_in_link_back_to_the_post(post):
    html = page(browser(), post)
    assert "Log in to comment" in html
    assert "/accounts/login/?next=" in html


def test_thirty_threaded_comments_render_in_at_most_12_queries(post, django_assert_max_num_queries):
    parents = [guest_comment(post, f"Top {i}") for i in range(10)]
    for i, parent in enumerate(parents):
        child = guest_comment(post, f"Child {i}", parent=parent)
        guest_comment(post, f"Grandchild {i}", parent=child)
    client = browser()
    with django_assert_max_num_queries(12):
        html = page(client, post)
    assert "30 thoughts on" in html
