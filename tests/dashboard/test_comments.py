"""The comment moderation queue: who may moderate what, filters and counts, row and bulk
actions, replying and editing from the dashboard, the nav count, and a fixed query count."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from byline.discussion.models import Comment
from byline.tenancy.roles import Role
from byline.tenancy.urls import site_path
from tests.factories import MembershipFactory, SiteFactory, make_post

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
S = Comment.Status


def member(site, role):
    return MembershipFactory(site=site, role=role).user


def url(name, site, *args):
    return reverse(f"dashboard:{name}", args=[site.slug, *args])


def make_comment(post, *, status=S.PENDING, author_name="Ada Guest", body="Nice post.",
                 **extra):
    return Comment.objects.create(site=post.site, post=post, author_name=author_name,
                                  author_email=extra.pop("author_email", "ada@example.org"),
                                  body=body, html=f"<p>{body}</p>", status=status,
                                  created_at=extra.pop("created_at", timezone.now()), **extra)


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def signed_in(browser, user):
    browser.force_login(user)
    return browser


def token_from(browser, page_url):
    return TOKEN.search(browser.get(page_url).text).group(1)


def submit(browser, page_url, action_url, data):
    """Post a form found on `page_url` to `action_url`, with the page's CSRF token."""
    return browser.post(action_url, {"csrfmiddlewaretoken": token_from(browser, page_url),
                                     **data})


def count_of(html, label):
    match = re.search(rf">{label}<span class=\"count\">\((\d+)\)</span>", html)
    return int(match.group(1))


@pytest.fixture
def post(site):
    return make_post(site=site, title="On gardens")


@pytest.fixture
def pending(post):
    return make_comment(post, body="Held for review.")


def status_of(comment):
    comment.refresh_from_db()
    return comment.status


# --- Who may moderate ----------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.EDITOR])
def test_administrators_and_editors_see_every_comment(site, browser, post, pending, role):
    response = signed_in(browser, member(site, role)).get(url("comments", site))

    assert response.status_code == 200
    assert "Held for review." in response.text


def test_the_owner_sees_every_comment(site, browser, pending):
    response = signed_in(browser, site.owner).get(url("comments", site))

    assert "Held for review." in response.text


def test_an_author_sees_only_comments_on_their_own_posts(site, browser, pending):
    author = member(site, Role.AUTHOR)
    mine = make_post(site=site, author=author, title="Author's own")
    make_comment(mine, body="On the author's post.")

    html = signed_in(browser, author).get(url("comments", site)).text

    assert "On the author's post." in html
    assert "Held for review." not in html


def test_an_author_may_approve_a_comment_on_their_own_post(site, browser):
    author = member(site, Role.AUTHOR)
    comment = make_comment(make_post(site=site, author=author))
    signed_in(browser, author)

    submit(browser, url("comments", site), url("comment_approve", site, comment.pk), {})

    assert status_of(comment) == S.APPROVED


def test_an_author_may_not_approve_a_comment_on_someone_elses_post(site, browser, pending):
    author = member(site, Role.AUTHOR)
    make_post(site=site, author=author)
    signed_in(browser, author)

    response = submit(browser, url("comments", site), url("comment_approve", site, pending.pk),
                      {})

    assert response.status_code == 403
    assert status_of(pending) == S.PENDING


def test_an_author_cannot_bulk_approve_someone_elses_comment(site, browser, pending):
    author = member(site, Role.AUTHOR)
    own = make_comment(make_post(site=site, author=author))
    signed_in(browser, author)

    response = submit(browser, url("comments", site), url("comments", site),
                      {"bulk_action": "approve", "ids": [own.pk, pending.pk]})

    assert response.status_code == 403
    assert (status_of(own), status_of(pending)) == (S.PENDING, S.PENDING)


def test_a_contributor_is_refused_the_queue(site, browser, pending):
    response = signed_in(browser, member(site, Role.CONTRIBUTOR)).get(url("comments", site))

    assert response.status_code == 403


def test_a_contributor_cannot_approve(site, browser, pending):
    signed_in(browser, member(site, Role.CONTRIBUTOR))
    token = token_from(browser, url("posts", site))

    response = browser.post(url("comment_approve", site, pending.pk),
                            {"csrfmiddlewaretoken": token})

    assert response.status_code == 403
    assert status_of(pending) == S.PENDING


def test_a_signed_in_stranger_is_refused(site, browser, pending, reader):
    response = signed_in(browser, reader).get(url("comments", site))

    assert response.status_code == 403


def test_a_guest_is_sent_to_log_in(site, browser):
    response = browser.get(url("comments", site))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_another_sites_comment_is_not_found(site, browser):
    other = SiteFactory(slug="elsewhere")
    theirs = make_comment(make_post(site=other))
    signed_in(browser, site.owner)

    response = submit(browser, url("comments", site), url("comment_approve", site, theirs.pk),
                      {})

    assert response.status_code == 404
    assert status_of(theirs) == S.PENDING


def test_another_sites_comments_are_not_listed(site, browser, pending):
    make_comment(make_post(site=SiteFactory(slug="elsewhere")), body="Someone else's.")

    html = signed_in(browser, site.owner).get(url("comments", site)).text

    assert "Someone else's." not in html
    assert count_of(html, "All") == 1


def test_bulk_actions_ignore_another_sites_comments(site, browser):
    theirs = make_comment(make_post(site=SiteFactory(slug="elsewhere")))
    signed_in(browser, site.owner)

    submit(browser, url("comments", site), url("comments", site),
           {"bulk_action": "approve", "ids": [theirs.pk]})

    assert status_of(theirs) == S.PENDING


# --- Filters, counts, search ---------------------------------------------------------


@pytest.fixture
def mixed(post):
    return {status: make_comment(post, status=status, body=f"A {status} comment.")
            for status in (S.PENDING, S.APPROVED, S.SPAM, S.TRASH)}


def test_the_queue_counts_comments_in_each_status(site, browser, mixed):
    make_comment(mixed[S.PENDING].post, body="Another held one.")

    html = signed_in(browser, site.owner).get(url("comments", site)).text

    assert {label: count_of(html, label)
            for label in ("All", "Pending", "Approved", "Spam", "Trash")} == {
        "All": 3, "Pending": 2, "Approved": 1, "Spam": 1, "Trash": 1}


@pytest.mark.parametrize(("status", "shown", "hidden"), [
    ("all", ["pending", "approved"], ["spam", "trash"]),
    ("pending", ["pending"], ["approved", "spam", "trash"]),
    ("approved", ["approved"], ["pending", "spam", "trash"]),
    ("spam", ["spam"], ["pending", "approved", "trash"]),
    ("trash", ["trash"], ["pending", "approved", "spam"]),
])
def test_a_status_filter_shows_only_its_comments(site, browser, mixed, status, shown, hidden):
    html = signed_in(browser, site.owner).get(url("comments", site), {"status": status}).text

    assert all(f"A {s} comment." in html for s in shown)
    assert not any(f"A {s} comment." in html for s in hidden)


def test_the_post_filter_shows_one_posts_comments(site, browser, post, pending):
    other = make_post(site=site, title="On rivers")
    make_comment(other, body="About rivers.")

    html = signed_in(browser, site.owner).get(url("comments", site), {"post": other.pk}).text

    assert "About rivers." in html
    assert "Held for review." not in html
    assert f'<option value="{other.pk}" selected>On rivers</option>' in html


def test_search_matches_author_email_and_body(site, browser, post):
    make_comment(post, author_name="Grace", author_email="grace@navy.example", body="One.")
    make_comment(post, author_name="Linus", author_email="l@example.org", body="Kernel talk.")
    make_comment(post, author_name="Ken", author_email="ken@example.org", body="Unix.")
    signed_in(browser, site.owner)

    by_mail = browser.get(url("comments", site), {"q": "NAVY"}).text
    by_body = browser.get(url("comments", site), {"q": "kernel"}).text

    assert "Grace" in by_mail and "Linus" not in by_mail and "Ken" not in by_mail
    assert "Linus" in by_body and "Grace" not in by_body


def test_the_queue_shows_newest_first_twenty_a_page(site, browser, post):
    start = timezone.now() - timezone.timedelta(days=1)
    for n in range(25):
        make_comment(post, body=f"Comment number {n:02}.",
                     created_at=start + timezone.timedelta(minutes=n))
    signed_in(browser, site.owner)

    first = browser.get(url("comments", site)).text
    second = browser.get(url("comments", site), {"page": 2}).text

    assert first.index("Comment number 24.") < first.index("Comment number 05.")
    assert "Comment number 04." not in first
    assert "Comment number 04." in second and "Comment number 05." not in second


def test_a_row_shows_author_details_and_links(site, browser, post):
    parent = make_comment(post, status=S.APPROVED, author_name="First Voice")
    reply = make_comment(post, parent=parent, author_url="https://ada.example/",
                         author_ip="203.0.113.9", body="Replying.")

    html = signed_in(browser, site.owner).get(url("comments", site)).text

    assert "ada@example.org" in html and "https://ada.example/" in html
    assert "203.0.113.9" in html
    post_url = site_path(site, "reader:post", *post.local_date_parts(), post.slug)
    assert post_url.startswith("/@demo/")
    assert f'href="{post_url}#comment-{reply.pk}"' in html
    assert f'href="{post_url}#comment-{parent.pk}">First Voice</a>' in html


def test_an_author_does_not_see_commenters_ip_addresses(site, browser):
    author = member(site, Role.AUTHOR)
    make_comment(make_post(site=site, author=author), author_ip="203.0.113.9")

    html = signed_in(browser, author).get(url("comments", site)).text

    assert "203.0.113.9" not in html


# --- Row actions ---------------------------------------------------------------------


@pytest.mark.parametrize(("start", "action", "end"), [
    (S.PENDING, "approve", S.APPROVED),
    (S.APPROVED, "unapprove", S.PENDING),
    (S.PENDING, "spam", S.SPAM),
    (S.APPROVED, "trash", S.TRASH),
    (S.TRASH, "restore", S.PENDING),
    (S.SPAM, "restore", S.PENDING),
])
def test_a_row_action_changes_the_status(site, browser, post, start, action, end):
    comment = make_comment(post, status=start)
    signed_in(browser, site.owner)

    response = submit(browser, url("comments", site), url(f"comment_{action}", site, comment.pk),
                      {"next": url("comments", site) + "?status=pending"})

    assert response.status_code == 302
    assert response["Location"] == url("comments", site) + "?status=pending"
    assert status_of(comment) == end


def test_an_action_never_redirects_off_site(site, browser, pending):
    signed_in(browser, site.owner)

    response = submit(browser, url("comments", site), url("comment_approve", site, pending.pk),
                      {"next": "//evil.example/"})

    assert response["Location"] == url("comments", site)


def test_delete_permanently_removes_a_trashed_comment(site, browser, post):
    comment = make_comment(post, status=S.TRASH)
    signed_in(browser, site.owner)

    submit(browser, url("comments", site), url("comment_delete", site, comment.pk), {})

    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_delete_permanently_keeps_the_replies(site, browser, post):
    comment = make_comment(post, status=S.TRASH)
    reply = make_comment(post, status=S.APPROVED, parent=comment)
    signed_in(browser, site.owner)

    submit(browser, url("comments", site), url("comment_delete", site, comment.pk), {})

    reply.refresh_from_db()
    assert reply.parent_id is None


def test_a_live_comment_cannot_be_deleted_permanently(site, browser, post):
    comment = make_comment(post, status=S.APPROVED)
    signed_in(browser, site.owner)

    response = submit(browser, url("comments", site), url("comment_delete", site, comment.pk),
                      {})

    assert Comment.objects.filter(pk=comment.pk).exists()
    assert "Only comments in Spam or the Trash" in browser.get(response["Location"]).text


def test_a_mail_link_only_asks_for_confirmation(site, browser, pending):
    response = signed_in(browser, site.owner).get(url("comment_approve", site, pending.pk))

    assert response.status_code == 200
    assert "Approve this comment?" in response.text
    assert status_of(pending) == S.PENDING


@pytest.mark.parametrize("action", ["approve", "spam", "trash"])
def test_the_confirmation_page_button_does_the_action(site, browser, pending, action):
    signed_in(browser, site.owner)
    page = url(f"comment_{action}", site, pending.pk)

    submit(browser, page, page, {})

    assert status_of(pending) == {"approve": S.APPROVED, "spam": S.SPAM,
                                  "trash": S.TRASH}[action]


def test_an_action_without_a_csrf_token_is_refused(site, browser, pending):
    signed_in(browser, site.owner)

    response = browser.post(url("comment_approve", site, pending.pk))

    assert response.status_code == 403
    assert status_of(pending) == S.PENDING


def test_a_bulk_action_without_a_csrf_token_is_refused(site, browser, pending):
    signed_in(browser, site.owner)

    response = browser.post(url("comments", site), {"bulk_action": "trash", "ids": [pending.pk]})

    assert response.status_code == 403
    assert status_of(pending) == S.PENDING


# --- Bulk actions --------------------------------------------------------------------


@pytest.mark.parametrize(("start", "action", "end"), [
    (S.PENDING, "approve", S.APPROVED),
    (S.APPROVED, "unapprove", S.PENDING),
    (S.PENDING, "spam", S.SPAM),
    (S.APPROVED, "trash", S.TRASH),
    (S.TRASH, "restore", S.PENDING),
])
def test_a_bulk_action_changes_every_ticked_comment(site, browser, post, start, action, end):
    ticked = [make_comment(post, status=start, body=f"Ticked {n}.") for n in range(3)]
    left = make_comment(post, status=start, body="Not ticked.")
    signed_in(browser, site.owner)

    response = submit(browser, url("comments", site), url("comments", site),
                      {"bulk_action": action, "ids": [c.pk for c in ticked]})

    assert [status_of(c) for c in ticked] == [end] * 3
    assert status_of(left) == start
    assert "3 comments" in browser.get(response["Location"]).text


def test_bulk_delete_removes_spam_and_trash(site, browser, post):
    gone = [make_comment(post, status=S.SPAM), make_comment(post, status=S.TRASH)]
    signed_in(browser, site.owner)

    submit(browser, url("comments", site), url("comments", site),
           {"bulk_action": "delete", "ids": [c.pk for c in gone]})

    assert not Comment.objects.filter(pk__in=[c.pk for c in gone]).exists()


def test_bulk_delete_spares_approved_comments(site, browser, post):
    kept = make_comment(post, status=S.APPROVED)
    signed_in(browser, site.owner)

    submit(browser, url("comments", site), url("comments", site),
           {"bulk_action": "delete", "ids": [kept.pk]})

    assert status_of(kept) == S.APPROVED


def test_the_spam_view_offers_delete_and_not_approve_in_bulk(site, browser, mixed):
    html = signed_in(browser, site.owner).get(url("comments", site), {"status": "spam"}).text

    assert '<option value="delete">Delete permanently</option>' in html
    assert '<option value="approve">' not in html


# --- Reply and edit ------------------------------------------------------------------


def test_a_reply_is_published_under_the_comment_as_the_moderator(site, browser, post):
    comment = make_comment(post, status=S.APPROVED)
    signed_in(browser, site.owner)
    page = url("comment_reply", site, comment.pk)

    submit(browser, page, page, {"body": "Thank you *kindly*."})

    reply = Comment.objects.get(parent=comment)
    assert (reply.status, reply.user, reply.post) == (S.APPROVED, site.owner, post)
    assert "<em>kindly</em>" in reply.html


def test_replying_to_a_held_comment_approves_it(site, browser, pending):
    signed_in(browser, site.owner)
    page = url("comment_reply", site, pending.pk)

    submit(browser, page, page, {"body": "Welcome!"})

    assert status_of(pending) == S.APPROVED
    assert Comment.objects.get(parent=pending).status == S.APPROVED


def test_an_authors_reply_on_their_own_post_is_published(site, browser):
    author = member(site, Role.AUTHOR)
    comment = make_comment(make_post(site=site, author=author))
    signed_in(browser, author)
    page = url("comment_reply", site, comment.pk)

    submit(browser, page, page, {"body": "Thanks for reading."})

    assert Comment.objects.get(parent=comment).status == S.APPROVED


def test_an_empty_reply_is_refused_with_a_message(site, browser, pending):
    signed_in(browser, site.owner)
    page = url("comment_reply", site, pending.pk)

    response = submit(browser, page, page, {"body": "  "})

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not Comment.objects.filter(parent=pending).exists()


def test_editing_changes_the_text_author_and_status(site, browser, pending):
    signed_in(browser, site.owner)
    page = url("comment_edit", site, pending.pk)

    response = submit(browser, page, page, {
        "body": "Corrected **text**.", "author_name": "Ada L.", "author_email": "a@l.example",
        "author_url": "https://ada.example/", "status": "approved"})

    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.body, pending.author_name, pending.author_email, pending.author_url,
            pending.status) == ("Corrected **text**.", "Ada L.", "a@l.example",
                                "https://ada.example/", S.APPROVED)
    assert "<strong>text</strong>" in pending.html


def test_editing_refuses_a_javascript_url(site, browser, pending):
    signed_in(browser, site.owner)
    page = url("comment_edit", site, pending.pk)

    response = submit(browser, page, page, {
        "body": "Hi", "author_name": "Ada", "author_email": "", "status": "pending",
        "author_url": "javascript:alert(1)"})

    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.author_url == ""


def test_an_author_cannot_edit_a_comment_on_someone_elses_post(site, browser, pending):
    author = member(site, Role.AUTHOR)

    response = signed_in(browser, author).get(url("comment_edit", site, pending.pk))

    assert response.status_code == 403


# --- Nav count and queries -----------------------------------------------------------


def test_the_nav_shows_how_many_comments_await_moderation(site, browser, post):
    for _ in range(3):
        make_comment(post)
    make_comment(post, status=S.APPROVED)

    html = signed_in(browser, site.owner).get(url("site", site)).text

    assert re.search(r'Comments <span class="pill pill-pending nav-badge" aria-hidden="true">3'
                     r'</span><span class="visually-hidden"> \(3 awaiting moderation\)</span>',
                     html)


def test_an_authors_nav_counts_only_their_posts_comments(site, browser, pending):
    author = member(site, Role.AUTHOR)
    make_comment(make_post(site=site, author=author))

    html = signed_in(browser, author).get(url("site", site)).text

    assert "1 awaiting moderation" in html


def test_a_contributors_nav_has_no_comments_entry(site, browser, pending):
    html = signed_in(browser, member(site, Role.CONTRIBUTOR)).get(url("site", site)).text

    assert url("comments", site) not in html


def queries_for(browser, page_url):
    with CaptureQueriesContext(connection) as ctx:
        assert browser.get(page_url).status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_takes_the_same_number_of_queries_for_more_comments(site, browser):
    signed_in(browser, site.owner)
    first = make_post(site=site, title="First")
    parent = make_comment(first, status=S.APPROVED)
    make_comment(first, parent=parent)
    few = queries_for(browser, url("comments", site))

    for n in range(10):
        other = make_post(site=site, title=f"Post {n}")
        top = make_comment(other, status=S.APPROVED, user=site.owner)
        make_comment(other, parent=top)
    many = queries_for(browser, url("comments", site))

    assert many == few
