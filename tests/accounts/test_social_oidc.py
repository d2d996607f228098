"""Signing in through a real OpenID Connect provider (django-oauth-toolkit in its own
process, tests/oidc_provider): Byline's side runs in the test client, the provider's side
is spoken to over HTTP like a browser would, and allauth fetches the provider's discovery
document, tokens and keys over the loopback for real."""

import html
import json
import re
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

from byline.accounts.social import providers_from_env
from byline.discussion.models import Comment
from byline.tenancy.urls import site_path
from tests.discussion.comment_helpers import form_data
from tests.factories import UserFactory, make_post
from tests.oidc_provider.process import PASSWORD, start_provider

pytestmark = pytest.mark.django_db
NEXT = re.compile(r'name="next" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(scope="module")
def oidc_provider(tmp_path_factory):
    provider = start_provider(tmp_path_factory.mktemp("oidc"))
    yield provider
    provider.stop()


@pytest.fixture(autouse=True)
def _configured(oidc_provider):
    cache.clear()
    env = {"BYLINE_OIDC_PROVIDERS": json.dumps(oidc_provider.byline_config)}
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers_from_env(env),
                           BYLINE_COMMENT_MIN_SECONDS=0):
        yield


def post_url(post) -> str:
    return site_path(post.site, "reader:post", *post.local_date_parts(), post.slug)


def sign_in_at_provider(location: str, username: str) -> str:
    """Do what the reader does at the provider: log in there; return where it sends them
    back to (Byline's callback, with the code and state)."""
    session = requests.Session()
    response = session.get(location, allow_redirects=True, timeout=10)
    assert "Sign in to Local ID" in response.text
    next_field = html.unescape(NEXT.search(response.text).group(1))
    response = session.post(response.url, {
        "csrfmiddlewaretoken": session.cookies["oidc_csrftoken"], "username": username,
        "password": PASSWORD, "next": next_field}, allow_redirects=False, timeout=10)
    while response.status_code == 302:
        target = urljoin(response.url, response.headers["Location"])
        if urlsplit(target).hostname == "testserver":
            return target
        response = session.get(target, allow_redirects=False, timeout=10)
    raise AssertionError(f"the provider did not send the reader back: {response.status_code}")


def sign_in(client: Client, post, username: str):
    """From the post's "Leave a Reply": press the provider's button, sign in there, and
    follow the way back; the last response is what the reader lands on."""
    page = client.get(post_url(post)).content.decode()
    buttons = page[page.index('class="social-signin"'):]
    # The post page may come from the page cache, so its button is a link (no CSRF token)
    # to allauth's confirmation page; that page's POST starts the handshake.
    link = html.unescape(re.search(r'href="([^"]+)"[^>]*>Sign in with Local ID',
                                          buttons).group(1))
    assert urlsplit(link).path == "/accounts/oidc/local/login/"
    confirm = client.get(link)
    assert confirm.status_code == 200  # a GET never starts the handshake
    token = CSRF.search(confirm.content.decode()).group(1)
    response = client.post(link, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    callback = sign_in_at_provider(response["Location"], username)
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}", follow=True)


def test_a_new_reader_signs_in_with_the_provider_and_lands_back_on_the_post(site):
    post = make_post(site=site)
    client = Client(enforce_csrf_checks=True)

    response = sign_in(client, post, "ada")

    assert response.redirect_chain[-1][0] == post_url(post)
    assert "You are commenting using your Local ID account." in response.content.decode()
    user = get_user_model().objects.get(socialaccount__provider="local")
    assert user.display_name == "Ada Lovelace"
    assert user.email == "ada@example.org"
    assert user.emailaddress_set.get().verified is True


def test_a_reader_signed_in_through_the_provider_comments_under_that_name(site):
    post = make_post(site=site)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, post, "ada")

    data = form_data(post, comment="Signed in and saying hello.")
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    response = client.post(f"/@{site.slug}/_/comment/{post.pk}/", data)

    assert response.status_code == 302

    comment = Comment.objects.get(post=post)
    assert comment.user.socialaccount_set.get().provider == "local"
    assert comment.author_name == "Ada Lovelace"


def test_a_provider_claiming_an_existing_users_email_does_not_sign_in_as_them(site):
    victim = UserFactory(email="victim@example.com")
    post = make_post(site=site)
    client = Client(enforce_csrf_checks=True)

    response = sign_in(client, post, "mallory")

    assert response.wsgi_request.user.is_authenticated is False
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    assert get_user_model().objects.filter(email__iexact="victim@example.com").get() == victim


def test_the_owner_of_the_claimed_address_hears_that_someone_tried_it(site):
    UserFactory(email="victim@example.com")
    post = make_post(site=site)

    sign_in(Client(enforce_csrf_checks=True), post, "mallory")

    assert [m.to for m in mail.outbox] == [["victim@example.com"]]
    assert "Account Already Exists" in mail.outbox[0].subject
