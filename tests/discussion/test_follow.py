"""Following a site with one click, and the follow box under a post."""

from urllib.parse import parse_qs, urlsplit

import pytest

from byline.discussion.models import Follow
from tests.discussion.social_helpers import browser, csrf_token
from tests.factories import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(site):
    return make_post(site=site, title="On hedgerows")


def test_a_signed_in_reader_follows_the_site_with_one_click(site, post, reader):
    client = browser(reader)
    token = csrf_token(client, post.get_absolute_url())
    response = client.post("/_/follow/", {"csrfmiddlewaretoken": token,
                                          "next": post.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url() + "#follow"
    assert list(Follow.objects.values_list("site_id", "user_id")) == [(site.pk, reader.pk)]
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'aria-pressed="true">Following</button>' in page


def test_clicking_again_unfollows(site, post, reader):
    client = browser(reader)
    token = csrf_token(client, post.get_absolute_url())
    client.post("/_/follow/", {"csrfmiddlewaretoken": token})
    client.post("/_/follow/", {"csrfmiddlewaretoken": token})
    assert Follow.objects.count() == 0
    assert 'aria-pressed="false">Follow</button>' in client.get(
        post.get_absolute_url()).content.decode()


def test_following_needs_a_csrf_token(site, reader):
    assert browser(reader).post("/_/follow/").status_code == 403
    assert Follow.objects.count() == 0


def test_a_get_never_follows(site, reader):
    assert browser(reader).get("/_/follow/").status_code == 302
    assert Follow.objects.count() == 0


def test_a_guest_who_clicks_follow_signs_in_and_comes_back_to_the_site(site, post):
    page = browser().get(post.get_absolute_url()).content.decode()
    assert '<form method="get" action="/_/follow/" class="follow-form">' in page
    response = browser().get("/_/follow/")
    location = urlsplit(response["Location"])
    assert response.status_code == 302
    assert (location.netloc, location.path) == ("localhost", "/accounts/login/")
    assert parse_qs(location.query)["next"] == ["/@demo/#follow"]


def test_a_foreign_next_address_is_not_followed(site, post, reader):
    client = browser(reader)
    token = csrf_token(client, post.get_absolute_url())
    response = client.post("/_/follow/", {"csrfmiddlewaretoken": token,
                                          "next": "//evil.example/"})
    assert response["Location"] == "/#follow"


def test_the_follow_box_has_a_labelled_email_field(site, post):
    page = browser().get(post.get_absolute_url()).content.decode()
    assert '<section id="follow" class="follow-box"' in page
    assert '<label for="subscribe-email">' in page
    assert 'id="subscribe-email" name="email"' in page
