"""A reader signs in through an OpenID Connect provider from a post's "Leave a Reply" and
comments under that identity: Chromium, a real `byline serve`, and the local provider
(django-oauth-toolkit, tests/oidc_provider) in processes of their own."""

import re
import time
from urllib.parse import urlsplit

from tests.oidc_provider.process import PASSWORD


def test_a_reader_signs_in_with_an_openid_provider_and_comments_as_that_identity(
        page_factory, server, oidc_provider):
    page = page_factory()
    page.watch.allowed_hosts.add(urlsplit(oidc_provider.url).netloc)
    page.goto(server + "/@demo/")
    page.locator("article.h-entry h2 a").first.click()
    page.wait_for_load_state()
    post_url = page.url
    assert re.search(r"/@demo/\d{4}/\d{2}/\d{2}/[^/]+/$", post_url)

    respond = page.locator("#respond")
    assert respond.get_by_role("link", name="Log in to comment").is_visible()
    # A link (the post page may come from the page cache, without a CSRF token) to the
    # confirmation page, whose button starts the handshake.
    respond.get_by_role("link", name="Sign in with Local ID").click()
    page.get_by_role("button", name="Continue to Local ID").click()

    page.wait_for_url(oidc_provider.url + "/login/**")
    assert page.get_by_role("heading", name="Sign in to Local ID").is_visible()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(post_url)
    served_at = time.monotonic()
    assert page.locator(".logged-in-as").inner_text().startswith(
        "You are commenting using your Local ID account.")
    assert not page.locator("#author").count()  # no name or e-mail to type

    page.get_by_role("textbox", name="Comment").fill("Hello from a reader who signed in elsewhere.")
    time.sleep(max(0.0, 3.2 - (time.monotonic() - served_at)))  # the minimum time on page

    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()

    mine = page.locator("li.comment", has_text="Hello from a reader who signed in elsewhere.")
    assert mine.locator(".comment-author").inner_text().strip().startswith("Ada Lovelace")
    pending = mine.locator(".comment-awaiting-moderation")
    assert not pending.count() or pending.inner_text() == "Your comment is awaiting moderation."
    assert page.watch.errors == [] and page.watch.foreign == []
