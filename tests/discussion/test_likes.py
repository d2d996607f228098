"""Likes: a signed-in reader likes a post once, toggles it off, and sees who likes it."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import set_urlconf

from byline.discussion.models import Like
from byline.tenancy.urls import site_path
from tests.discussion.social_helpers import browser, csrf_token
from tests.factories import SiteFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(site):
    return make_post(site=site, title="On hedgerows")


def like_url(post) -> str:
    return f"/_/like/{post.pk}/"


def test_a_signed_in_reader_likes_a_post_with_the_button_on_the_page(post, reader):
    client = browser(reader)
    token = csrf_token(client, post.get_absolute_url())
    response = client.post(like_url(post), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url() + "#likes"
    assert list(Like.objects.values_list("post_id", "user_id")) == [(post.pk, reader.pk)]
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in page
    assert "One blogger likes this." in page


def test_liking_again_takes_the_like_back(post, reader):
    client = browser(reader)
    token = csrf_token(client, post.get_absolute_url())
    client.post(like_url(post), {"csrfmiddlewaretoken": token})
    client.post(like_url(post), {"csrfmiddlewaretoken": token})
    assert Like.objects.count() == 0
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'class="like-button" aria-pressed="false"' in page
    assert "Be the first to like this." in page


def test_a_like_without_a_csrf_token_is_refused(post, reader):
    response = browser(reader).post(like_url(post))
    assert response.status_code == 403
    assert Like.objects.count() == 0


def test_a_get_never_likes(post, reader):
    response = browser(reader).get(like_url(post))
    assert response.status_code == 302
    assert Like.objects.count() == 0


def test_a_guest_who_clicks_like_is_asked_to_sign_in_and_comes_back(post):
    response = browser().get(like_url(post))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc, location.path) == ("http", "localhost",
                                                                  "/accounts/login/")
    back = parse_qs(location.query)["next"][0]
    assert back == site_path(post.site, "reader:post", *post.local_date_parts(),
                             post.slug) + "#likes"
    assert back.startswith("/@demo/")
    assert Like.objects.count() == 0


def test_a_guest_post_to_like_also_goes_to_sign_in(post, site):
    # A guest's post page carries no CSRF token (it may come from the page cache): this
    # is a POST from an old page or a script, and it still ends at sign-in.
    response = Client(HTTP_HOST="demo.localhost").post(like_url(post))
    assert response.status_code == 302
    assert "/accounts/login/?next=" in response["Location"]
    assert Like.objects.count() == 0


def test_the_guest_sees_a_like_button_that_leads_to_sign_in(post):
    page = browser().get(post.get_absolute_url()).content.decode()
    assert f'<form method="get" action="/_/like/{post.pk}/">' in page
    assert "Sign in to like this post." in page


@pytest.mark.parametrize("status", ["draft", "private", "trashed", "scheduled"])
def test_only_public_posts_can_be_liked(site, reader, status):
    from datetime import timedelta

    from django.utils import timezone

    if status == "scheduled":
        post = make_post(site=site, status="scheduled",
                         published_at=timezone.now() + timedelta(days=1))
    elif status == "trashed":
        post = make_post(site=site)
        post.trashed_at = timezone.now()
        post.save(update_fields=["trashed_at"])
    else:
        post = make_post(site=site, status=status)
    client = browser(reader)
    token = csrf_token(client, "/_/subscribe/")
    response = client.post(like_url(post), {"csrfmiddlewaretoken": token})
    assert response.status_code == 404
    assert Like.objects.count() == 0


def test_a_post_of_another_site_cannot_be_liked_through_this_one(site, reader):
    other = SiteFactory(slug="other")
    post = make_post(site=other)
    client = browser(reader)
    token = csrf_token(client, "/_/subscribe/")
    assert client.post(like_url(post), {"csrfmiddlewaretoken": token}).status_code == 404
    assert Like.objects.count() == 0


def test_the_count_reads_like_a_sentence(post):
    page = browser().get(post.get_absolute_url()).content.decode()
    assert "Be the first to like this." in page
    for user in UserFactory.create_batch(3):
        Like.objects.create(site=post.site, post=post, user=user)
    page = browser().get(post.get_absolute_url()).content.decode()
    assert '<p class="likes-count">3 bloggers like this.</p>' in page


def test_likers_faces_link_to_their_author_page_else_their_website_else_nowhere(site, post):
    author = UserFactory(username="writer", display_name="Wren Writer",
                         website="https://wren.example/")
    make_post(site=site, author=author, title="Wren's own post")
    surfer = UserFactory(username="surfer", display_name="Sam Surfer",
                         website="https://sam.example/")
    quiet = UserFactory(username="quiet", display_name="Quinn Quiet", website="")
    for user in (author, surfer, quiet):
        Like.objects.create(site=site, post=post, user=user)
    page = browser().get(post.get_absolute_url()).content.decode()
    assert '<a href="/author/writer/"><img class="avatar"' in page
    assert ('<a href="https://sam.example/" rel="nofollow ugc noopener noreferrer">'
            '<img class="avatar"') in page
    assert '<li><img class="avatar" src="' in page and 'alt="Quinn Quiet"' in page
    likers = page.split('<ul class="likers">')[1].split("</ul>")[0]
    assert likers.count('<img class="avatar"') == 3


def test_only_the_newest_ten_faces_are_shown_but_all_are_counted(post):
    users = UserFactory.create_batch(13)
    for user in users:
        Like.objects.create(site=post.site, post=post, user=user)
    page = browser().get(post.get_absolute_url()).content.decode()
    likers = page.split('<ul class="likers">')[1].split("</ul>")[0]
    assert likers.count("<li>") == 10
    assert f'alt="{users[-1].get_display_name()}"' in likers
    assert f'alt="{users[0].get_display_name()}"' not in likers
    assert "13 bloggers like this." in page


def test_a_reader_beyond_the_first_ten_still_sees_their_like_pressed(post, reader):
    Like.objects.create(site=post.site, post=post, user=reader)
    for user in UserFactory.create_batch(11):
        Like.objects.create(site=post.site, post=post, user=user)
    page = browser(reader).get(post.get_absolute_url()).content.decode()
    assert 'aria-pressed="true">Liked</button>' in page


def _render_likes(post, user) -> int:
    request = RequestFactory().get("/", HTTP_HOST="demo.localhost")
    request.user = user
    request.site = post.site
    set_urlconf("byline.site_urls")
    try:
        with CaptureQueriesContext(connection) as queries:
            html = Template("{% load discussion_social %}{% like_box post %}").render(
                Context({"post": post, "request": request}))
    finally:
        set_urlconf(None)
    assert "bloggers like this." in html
    return len(queries)


def test_the_likes_part_costs_at_most_two_queries_however_many_like_it(post, reader):
    for user in UserFactory.create_batch(25):
        Like.objects.create(site=post.site, post=post, user=user)
    assert _render_likes(post, reader) <= 2
    assert _render_likes(post, AnonymousUser()) <= 1


def test_the_post_page_runs_the_same_queries_for_eleven_likes_or_thirty(post, reader):
    client = browser(reader)
    for user in UserFactory.create_batch(11):
        Like.objects.create(site=post.site, post=post, user=user)
    with CaptureQueriesContext(connection) as few:
        client.get(post.get_absolute_url())
    for user in UserFactory.create_batch(19):
        Like.objects.create(site=post.site, post=post, user=user)
    with CaptureQueriesContext(connection) as many:
        client.get(post.get_absolute_url())
    assert len(many) == len(few)
