"""The conversation under a post, in Chromium: a guest's comment is held, the author
approves it from the dashboard, a signed-in reader replies and likes the post, and the
counts and avatars on the page follow."""

import re
import uuid

from tests.smtp import links_in

from .test_writer import PASSWORD, sign_up_and_create_site


def _publish(page, server, slug: str, title: str) -> str:
    page.goto(f"{server}/dashboard/{slug}/posts/new/")
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label(re.compile("^Body")).fill("Where did you walk this weekend?")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    page.goto(f"{server}/@{slug}/")
    return page.get_by_role("link", name=title, exact=True).get_attribute("href")


def _approve_all(page, server, slug: str) -> None:
    page.goto(f"{server}/dashboard/{slug}/comments/?status=pending")
    while page.get_by_role("button", name=re.compile("^Approve")).count():
        page.get_by_role("button", name=re.compile("^Approve")).first.click()
        page.wait_for_load_state()


def _sign_up_reader(page, server, inbox) -> str:
    email = f"reader-{uuid.uuid4().hex[:8]}@example.com"
    page.goto(server + "/accounts/signup/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile(r"Password \(again\)|Confirm password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()
    confirm = next(link for link in links_in(inbox.wait_for(email)) if "confirm-email" in link)
    page.goto(confirm)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    return email


def test_a_held_guest_comment_is_approved_then_a_reader_replies_and_likes(
        server, inbox, page_factory):
    author = page_factory()
    _, slug = sign_up_and_create_site(author, server, inbox)
    post_path = _publish(author, server, slug, "A question for you")

    guest = page_factory()
    guest.goto(server + post_path)
    assert guest.locator("#comments h2").first.inner_text() == "Leave a Reply"
    guest.get_by_label(re.compile("^Comment")).fill("The *coast path*, in the rain.")
    guest.get_by_label(re.compile("^Name")).fill("Wren Guest")
    guest.get_by_label(re.compile("^Email")).fill("wren@example.org")
    guest.get_by_label("Website", exact=True).fill("https://wren.example.org/")
    guest.wait_for_timeout(1200)  # a person takes a moment; bots that post at once are refused
    guest.get_by_role("button", name="Post Comment").click()
    guest.wait_for_load_state()
    held = guest.locator("li.comment", has_text="Wren Guest")
    assert "Your comment is awaiting moderation." in held.inner_text()

    stranger = page_factory()
    stranger.goto(server + post_path)
    assert "Wren Guest" not in stranger.locator("main").inner_text()

    _approve_all(author, server, slug)

    reader = page_factory()
    _sign_up_reader(reader, server, inbox)
    reader.goto(server + post_path)
    assert reader.locator("#comments-title").inner_text() == "One thought on “A question for you”"
    comment = reader.locator("li.comment", has_text="Wren Guest")
    assert comment.locator("em").inner_text() == "coast path"
    assert comment.get_by_role("link", name="Wren Guest", exact=True).get_attribute("href") == (
        "https://wren.example.org/")
    assert comment.locator("img.avatar").evaluate("img => img.naturalWidth > 0")

    comment.get_by_role("link", name=re.compile("Reply")).click()
    assert "You are commenting using your Byline account." in reader.locator(
        "#respond").inner_text()
    reader.get_by_label(re.compile("^Comment")).fill("Same here, and it was worth it.")
    reader.wait_for_timeout(1200)
    reader.get_by_role("button", name="Post Comment").click()
    reader.wait_for_load_state()

    _approve_all(author, server, slug)  # a first-time commenter waits for the author, too

    reader.goto(server + post_path)
    assert reader.locator("#comments-title").inner_text() == "2 thoughts on “A question for you”"
    reply = reader.locator("li.comment", has_text="Wren Guest").locator("ol.children li.comment")
    assert "Same here, and it was worth it." in reply.inner_text()

    likes = reader.locator("section.likes")
    assert "Be the first to like this." in likes.inner_text()
    likes.get_by_role("button", name=re.compile("Like")).click()
    reader.wait_for_load_state()
    likes = reader.locator("section.likes")
    assert likes.locator(".likes-count").inner_text() == "One blogger likes this."
    assert likes.locator("ul.likers img.avatar").count() == 1
    assert likes.get_by_role("button").get_attribute("aria-pressed") == "true"

    guest.goto(server + post_path)
    assert guest.locator(".likes-count").inner_text() == "One blogger likes this."
    for page in (guest, reader, author):
        assert page.watch.errors == [] and page.watch.foreign == []
