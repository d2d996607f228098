"""Shared helpers for the comment tests."""

import itertools
import time

from byline.discussion import services
from byline.discussion.forms import make_stamp

_ip = itertools.count(1)


def guest_comment(post, body="A thoughtful reply.", **kwargs):
    """A guest comment from a fresh address (so flood limits stay out of the way)."""
    n = next(_ip)
    kwargs.setdefault("author_name", f"Guest {n}")
    kwargs.setdefault("author_email", f"guest{n}@example.com")
    kwargs.setdefault("ip", f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")
    return services.comment_post(post=post, body=body, **kwargs)


def form_data(post, **fields) -> dict:
    """What a person's browser sends after some time on the page."""
    n = next(_ip)
    data = {"comment": "Hello there.", "author": f"Guest {n}",
            "email": f"guest{n}@example.com", "url": "", "parent": "",
            "stamp": make_stamp(post.pk, issued_at=time.time() - 30), "leave_blank": ""}
    data.update(fields)
    return data


def csrf_fields(client) -> dict:
    """The CSRF token a browser would send: signed-in readers' pages carry one; guests'
    pages (served from the page cache, the same to all) do not, and need none."""
    token = client.cookies.get("csrftoken")
    return {"csrfmiddlewaretoken": token.value} if token is not None else {}


def browser():
    """A browser on the demo site's own host: CSRF checks on, as in real life."""
    from django.test import Client

    return Client(enforce_csrf_checks=True, HTTP_HOST="demo.localhost")


def send(client, post, *, headers: dict | None = None, **fields):
    """Load the post page, then send the comment form as a browser would."""
    client.get(post.get_absolute_url())
    data = form_data(post, **fields)
    data.update(csrf_fields(client))
    return client.post(f"/_/comment/{post.pk}/", data, **(headers or {}))


def page(client, post, query: str = "") -> str:
    return client.get(post.get_absolute_url() + query).content.decode()
