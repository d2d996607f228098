"""Signing up: an e-mail address and a password, confirmed by a link before any sign-in."""

import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

from byline.accounts.models import User
from byline.settings import base
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"
CONFIRM_LINK = re.compile(r"http://testserver(/accounts/confirm-email/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts attempts in the cache; one test's attempts must not limit the next.
    cache.clear()


def sign_up(client: Client, email: str = "new@example.com", next_url: str | None = None):
    url = "/accounts/signup/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def confirmation_path(message) -> str:
    return CONFIRM_LINK.search(message.body).group(1)


def test_the_sign_up_page_is_in_the_byline_frame(client):
    response = client.get("/accounts/signup/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="platform-header"' in html
    assert "Create your Byline account" in html
    assert '<label for="id_email">' in html
    assert '<label for="id_password1">' in html


def test_signing_up_sends_a_confirmation_link_and_does_not_sign_in(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]
    assert CONFIRM_LINK.search(mail.outbox[0].body)
    assert "_auth_user_id" not in client.session
    assert User.objects.filter(email="new@example.com", emailaddress__verified=False).exists()


def test_the_page_after_sign_up_says_to_check_the_inbox(client):
    sign_up(client)

    response = client.get("/accounts/confirm-email/")

    assert "Check your e-mail" in response.content.decode()


def test_an_unconfirmed_account_cannot_log_in(client):
    sign_up(client)

    response = client.post("/accounts/login/", {"login": "new@example.com",
                                                "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_confirming_the_address_signs_in(client):
    sign_up(client)
    path = confirmation_path(mail.outbox[0])

    response = client.post(path)

    user = User.objects.get(email="new@example.com")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.emailaddress_set.get().verified


def test_a_new_account_without_a_site_lands_in_get_started(client):
    sign_up(client)

    response = client.post(confirmation_path(mail.outbox[0]))

    assert response["Location"] == "/start/"


def test_the_confirmation_link_shown_on_get_asks_before_confirming(client):
    sign_up(client)
    path = confirmation_path(mail.outbox[0])

    response = client.get(path)

    assert response.status_code == 200
    assert "Confirm" in response.content.decode()
    assert not User.objects.get(email="new@example.com").emailaddress_set.get().verified


def test_signing_up_with_a_registered_address_looks_the_same_and_creates_no_account(client):
    UserFactory(email="taken@example.com")

    response = sign_up(client, email="taken@example.com")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    # The owner of the address learns of the attempt; the visitor learns nothing.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["taken@example.com"]
    assert not CONFIRM_LINK.search(mail.outbox[0].body)


def test_a_weak_password_is_refused_with_a_reason(client):
    response = client.post("/accounts/signup/", {"email": "new@example.com",
                                                 "password1": "password",
                                                 "password2": "password"})

    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not User.objects.exists()


def test_mismatched_passwords_are_refused(client):
    response = client.post("/accounts/signup/", {"email": "new@example.com",
                                                 "password1": PASSWORD,
                                                 "password2": PASSWORD + "x"})

    assert response.status_code == 200
    assert "same password" in response.content.decode()
    assert not User.objects.exists()


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_a_new_password_is_stored_as_an_argon2_hash(client):
    sign_up(client)

    user = User.objects.get(email="new@example.com")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert PASSWORD not in user.password


def test_signing_up_needs_a_csrf_token(db):
    client = Client(enforce_csrf_checks=True)

    response = sign_up(client)

    assert response.status_code == 403
    assert not User.objects.exists()
