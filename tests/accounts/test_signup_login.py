"""Logging in and out: uniform errors, throttling per IP and per account, and ?next= that
never leaves the platform (SECURITY-CASES 31, 48, 50)."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password
WRONG_LOGIN = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def verified_user(email: str = "writer@example.com"):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def log_in(client: Client, email: str, password: str, next_url: str | None = None,
           **extra):
    url = "/accounts/login/" + (f"?next={next_url}" if next_url is not None else "")
    return client.post(url, {"login": email, "password": password}, **extra)


def test_the_log_in_page_is_in_the_byline_frame(client):
    response = client.get("/accounts/login/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="platform-header"' in html
    assert "Log in to Byline" in html
    assert '<label for="id_login">' in html
    assert '<label for="id_password">' in html
    assert 'href="/accounts/password/reset/"' in html


def test_a_member_who_logs_in_lands_on_their_sites(client):
    user = verified_user()
    MembershipFactory(user=user)

    response = log_in(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_someone_without_a_site_who_logs_in_lands_in_get_started(client):
    user = verified_user()

    response = log_in(client, user.email, PASSWORD)

    assert response["Location"] == "/start/"


def test_the_address_is_not_case_sensitive(client):
    user = verified_user()

    log_in(client, "Writer@Example.COM", PASSWORD)

    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client):
    verified_user()

    wrong_password = log_in(client, "writer@example.com", "not the password")
    unknown_address = log_in(client, "nobody@example.com", "not the password")

    assert wrong_password.status_code == unknown_address.status_code == 200
    assert WRONG_LOGIN in wrong_password.content.decode()
    assert WRONG_LOGIN in unknown_address.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_login_error_is_announced_to_screen_readers(client):
    response = log_in(client, "nobody@example.com", "not the password")

    html = response.content.decode()
    assert '<div class="account-errors" role="alert">' in html
    assert html.index('role="alert"') < html.index(WRONG_LOGIN)


def test_after_five_failures_for_one_account_even_the_right_password_is_refused(client):
    user = verified_user()
    for _ in range(5):
        log_in(client, user.email, "not the password")

    response = log_in(client, user.email, PASSWORD)

    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_limit_for_one_account_holds_from_another_address(db):
    user = verified_user()
    for n in range(5):
        log_in(Client(REMOTE_ADDR=f"198.51.100.{n}"), user.email, "not the password")

    response = log_in(Client(REMOTE_ADDR="203.0.113.9"), user.email, PASSWORD)

    assert TOO_MANY in response.content.decode()


def test_after_ten_failures_from_one_ip_other_accounts_are_refused_too(client):
    user = verified_user()
    for n in range(10):
        log_in(client, f"guess{n}@example.com", "not the password")

    response = log_in(client, user.email, PASSWORD)

    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_other_people_can_still_log_in_while_one_ip_is_limited(client):
    user = verified_user()
    for n in range(10):
        log_in(client, f"guess{n}@example.com", "not the password",
               REMOTE_ADDR="198.51.100.7")

    response = log_in(client, user.email, PASSWORD, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_more_than_thirty_attempts_a_minute_from_one_ip_get_a_429_page(client):
    for n in range(30):
        log_in(client, f"guess{n}@example.com", "x", REMOTE_ADDR="198.51.100.7")

    response = log_in(client, "guess@example.com", "x", REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_a_safe_next_page_is_followed(client):
    user = verified_user()

    response = log_in(client, user.email, PASSWORD, next_url="/start/")

    assert response["Location"] == "/start/"


@pytest.mark.parametrize("next_url", [
    "//evil.com",
    "https:///evil.com",
    "/\\evil.com",
    "http://testserver\\@evil.com",
    "http:999999999",
    "https://evil.com/",
    "javascript:alert(1)",
    "http://demo.localhost/",
])
def test_a_next_page_off_the_platform_is_ignored(client, next_url):
    user = verified_user()

    response = log_in(client, user.email, PASSWORD, next_url=next_url)

    assert response.status_code == 302
    assert response["Location"] == "/start/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_logging_out_needs_a_post(client):
    user = verified_user()
    client.force_login(user)

    page = client.get("/accounts/logout/")
    response = client.post("/accounts/logout/")

    assert page.status_code == 200
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_get_does_not_log_out(client):
    user = verified_user()
    client.force_login(user)

    client.get("/accounts/logout/")

    assert client.session["_auth_user_id"] == str(user.pk)


def test_logging_in_needs_a_csrf_token(db):
    user = verified_user()
    client = Client(enforce_csrf_checks=True)

    response = log_in(client, user.email, PASSWORD)

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
