"""Forgotten passwords and a change of e-mail address, both proven through the mailbox."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache

from byline.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another quite long passphrase"
RESET_LINK = re.compile(r"http://testserver(/accounts/password/reset/key/[^\s]+/)")
CONFIRM_LINK = re.compile(r"http://testserver(/accounts/confirm-email/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def writer(db):
    user = UserFactory(email="writer@example.com")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def request_reset(client, email: str):
    return client.post("/accounts/password/reset/", {"email": email})


def test_a_reset_request_mails_a_link(client, writer):
    response = request_reset(client, "writer@example.com")

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["writer@example.com"]
    assert RESET_LINK.search(mail.outbox[0].body)


def test_a_reset_request_for_an_unknown_address_looks_the_same(client, writer):
    known = request_reset(client, "writer@example.com")
    unknown = request_reset(client, "nobody@example.com")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert not RESET_LINK.search(mail.outbox[-1].body)


def test_the_mailed_link_sets_a_new_password(client, writer):
    request_reset(client, "writer@example.com")
    link = RESET_LINK.search(mail.outbox[0].body).group(1)

    form = client.get(link, follow=True)
    response = client.post(form.redirect_chain[-1][0] if form.redirect_chain else link,
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    writer.refresh_from_db()
    assert response.status_code == 302
    assert writer.check_password(NEW_PASSWORD)


def test_a_used_reset_link_does_not_work_twice(client, writer):
    request_reset(client, "writer@example.com")
    link = RESET_LINK.search(mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    target = form.redirect_chain[-1][0] if form.redirect_chain else link
    client.post(target, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert "invalid" in again.content.decode().lower()


def test_a_password_reset_lifts_the_failed_login_limit(client, writer):
    for _ in range(5):
        client.post("/accounts/login/", {"login": writer.email, "password": "wrong"})
    request_reset(client, "writer@example.com")
    link = RESET_LINK.search(mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0] if form.redirect_chain else link,
                {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = client.post("/accounts/login/", {"login": writer.email,
                                                "password": NEW_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(writer.pk)


def test_the_account_page_is_in_the_byline_frame(client, writer):
    client.force_login(writer)

    response = client.get("/accounts/email/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="platform-header"' in html
    assert '<nav class="account-nav" aria-label="Your account">' in html
    assert "writer@example.com" in html


def test_changing_the_address_takes_effect_once_the_new_one_is_confirmed(client, writer):
    client.force_login(writer)

    client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    link = CONFIRM_LINK.search(mail.outbox[-1].body).group(1)

    writer.refresh_from_db()
    assert mail.outbox[-1].to == ["new@example.com"]
    assert writer.email == "writer@example.com"  # nothing changes before the new one is proven

    client.post(link)

    writer.refresh_from_db()
    assert writer.email == "new@example.com"
    assert list(EmailAddress.objects.filter(user=writer).values_list("email", "verified")) == [
        ("new@example.com", True)]


def test_an_address_another_account_uses_cannot_be_taken(client, writer):
    other = UserFactory(email="other@example.com")
    EmailAddress.objects.create(user=other, email=other.email, primary=True, verified=True)
    client.force_login(writer)

    client.post("/accounts/email/", {"action_add": "", "email": "other@example.com"})

    assert not EmailAddress.objects.filter(user=writer, email="other@example.com",
                                           verified=True).exists()
    assert User.objects.get(pk=writer.pk).email == "writer@example.com"
