"""Social sign-in settings and entry points: which providers show, and that a GET never
starts a handshake (SECURITY-CASES 49)."""

import json

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from byline.accounts.social import providers_from_env
from byline.tenancy.urls import site_path
from tests.factories import make_post

pytestmark = pytest.mark.django_db

GITHUB = providers_from_env({"BYLINE_GITHUB_CLIENT_ID": "gh-id", "BYLINE_GITHUB_SECRET": "gh-s"})


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def post_page(post, client: Client | None = None) -> str:
    client = client or Client()
    url = site_path(post.site, "reader:post", *post.local_date_parts(), post.slug)
    return client.get(url).content.decode()


def test_nothing_in_the_environment_turns_no_provider_on():
    assert providers_from_env({}) == {}


def test_a_client_id_and_secret_turn_a_provider_on():
    providers = providers_from_env({"BYLINE_TWITTER_CLIENT_ID": "x-id",
                                    "BYLINE_TWITTER_SECRET": "x-secret"})

    assert providers["twitter_oauth2"]["APPS"] == [{"client_id": "x-id", "secret": "x-secret"}]


def test_a_client_id_without_a_secret_turns_nothing_on():
    assert providers_from_env({"BYLINE_GOOGLE_CLIENT_ID": "g-id"}) == {}


def test_openid_connect_providers_come_from_a_json_list():
    raw = json.dumps([{"id": "corp", "name": "Corp ID", "server_url": "https://id.example",
                       "client_id": "c", "secret": "s"}])

    apps = providers_from_env({"BYLINE_OIDC_PROVIDERS": raw})["openid_connect"]["APPS"]

    assert apps == [{"provider_id": "corp", "name": "Corp ID", "client_id": "c",
                     "secret": "s", "settings": {"server_url": "https://id.example",
                                                 "oauth_pkce_enabled": True}}]


def test_an_openid_connect_provider_missing_a_field_is_refused_at_start():
    with pytest.raises(ValueError, match="secret"):
        providers_from_env({"BYLINE_OIDC_PROVIDERS": json.dumps(
            [{"id": "corp", "name": "Corp", "server_url": "https://id.example",
              "client_id": "c"}])})


@override_settings(SOCIALACCOUNT_PROVIDERS={})
def test_with_no_provider_configured_the_reply_form_shows_no_social_buttons(site):
    html = post_page(make_post(site=site))

    assert "Log in to comment" in html
    assert "Sign in with" not in html


@override_settings(SOCIALACCOUNT_PROVIDERS=GITHUB)
def test_a_configured_provider_shows_a_sign_in_link_under_leave_a_reply(site):
    # A link, not a POST form: the post page may come from the page cache, the same bytes
    # for every guest, so it cannot carry a CSRF token; the link leads to allauth's
    # confirmation page, whose POST starts the handshake.
    post = make_post(site=site)

    html = post_page(post)

    signin = html[html.index('class="comment-signin"'):html.index('id="commentform"')]
    assert '<a class="button social-button" href="/accounts/github/login/?process=login' \
        '&amp;next=/%40demo/' in signin
    assert "Sign in with GitHub" in signin
    assert "csrfmiddlewaretoken" not in signin


@override_settings(SOCIALACCOUNT_PROVIDERS=GITHUB)
def test_the_sign_in_page_itself_keeps_post_buttons(site):
    from django.test import Client as PlatformClient

    html = PlatformClient().get("/accounts/login/").content.decode()
    assert '<form method="post" action="/accounts/github/login/">' in html


@override_settings(SOCIALACCOUNT_PROVIDERS=GITHUB)
def test_on_a_sites_own_host_the_button_links_to_the_platforms_confirmation_page(site):
    post = make_post(site=site)

    html = Client(HTTP_HOST="demo.localhost").get(post.get_absolute_url()).content.decode()

    assert '<a class="button social-button" href="http://localhost/accounts/github/login/' \
        in html


@override_settings(SOCIALACCOUNT_PROVIDERS=GITHUB)
def test_a_get_to_a_providers_login_url_only_asks_for_confirmation():
    response = Client().get("/accounts/github/login/?process=login")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sign in with GitHub" in html
    assert 'method="post"' in html
    assert "github.com" not in html


@override_settings(SOCIALACCOUNT_PROVIDERS=GITHUB)
def test_a_post_without_a_csrf_token_does_not_start_the_handshake():
    response = Client(enforce_csrf_checks=True).post("/accounts/github/login/")

    assert response.status_code == 403


@override_settings(SOCIALACCOUNT_PROVIDERS=GITHUB)
def test_the_confirmation_pages_post_sends_the_reader_to_the_provider():
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/github/login/")

    response = client.post("/accounts/github/login/",
                           {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})

    assert response.status_code == 302
    assert response["Location"].startswith("https://github.com/login/oauth/authorize?")
    assert "client_id=gh-id" in response["Location"]
    assert "code_challenge=" in response["Location"]


def test_a_user_with_a_password_comments_with_their_byline_account(site, reader):
    client = Client()
    client.force_login(reader)

    assert "You are commenting using your Byline account." in post_page(make_post(site=site),
                                                                        client)
