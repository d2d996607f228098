"""Shared helpers of the likes/follow/subscription tests."""

import re

from django.test import Client

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def browser(user=None, host: str = "demo.localhost") -> Client:
    """A client that must send CSRF tokens, as a browser does, signed in as `user`."""
    client = Client(enforce_csrf_checks=True, HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    return client


def csrf_token(client: Client, url: str) -> str:
    """The CSRF token of the form on the page at `url` (read like a browser would)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    match = TOKEN.search(response.content.decode())
    assert match, "no form with a CSRF token on the page"
    return match.group(1)


def start_inbox(settings):
    """A real SMTP server on loopback, with Django's SMTP backend pointed at it."""
    from tests.smtp import Inbox

    inbox = Inbox().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = inbox.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    return inbox


def path_of(url: str) -> str:
    """The path of an absolute link from a mail (the platform host serves /@slug/)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "localhost", url
    return parts.path
