"""A writer's first minutes, in Chromium: from "Get started" on someone else's site to a
published post with an uploaded, captioned image, a quote and a "Find also to read" entry,
read back as a guest; a scheduled post that appears when its time comes; and two tabs
editing one post, where the later save shows a conflict and loses nothing."""

import io
import re
import time
import uuid
from datetime import datetime, timedelta

from PIL import Image

from tests.smtp import links_in

from .conftest import screenshot

PASSWORD = "a long and unusual passphrase 42"


def _photo(path) -> str:
    image = Image.new("RGB", (1600, 1000), (70, 130, 180))
    for x in range(0, 1600, 40):
        image.paste((240, 200, 80), (x, 600, x + 20, 1000))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return str(path)


def sign_up_and_create_site(page, server, inbox, tour: bool = False) -> tuple[str, str]:
    """Get started from the demo's bar; returns (email, site slug)."""
    email = f"writer-{uuid.uuid4().hex[:8]}@example.com"
    slug = f"notes-{uuid.uuid4().hex[:6]}"
    page.goto(server + "/@demo/")
    page.get_by_role("link", name="Get started").click()
    page.wait_for_url(re.compile(r"/accounts/signup/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile(r"Password \(again\)|Confirm password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()
    assert "Verify" in page.content() or "confirm" in page.content().lower()

    message = inbox.wait_for(email)
    confirm = next(link for link in links_in(message) if "confirm-email" in link)
    page.goto(confirm)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/start/"))

    page.get_by_label(re.compile("title", re.I)).fill("Rain Notes")
    page.get_by_role("button", name="Continue").click()
    address = page.get_by_label(re.compile("address", re.I))
    address.fill("admin")
    page.wait_for_timeout(800)  # the live check is debounced
    assert "reserved" in page.locator("main").inner_text().lower()
    address.fill(slug)
    page.wait_for_timeout(800)
    if tour:
        screenshot(page, "tour-1-address")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(re.compile("Canvas")).check()
    page.get_by_role("button", name="Create my site").click()
    page.wait_for_url(re.compile(rf"/dashboard/{slug}/$"))
    return email, slug


def test_a_new_writer_publishes_a_post_that_a_guest_reads(browser, server, inbox,
                                                         tmp_path, page_factory):
    page = page_factory(width=1440, height=1000)  # wide enough for preview beside the text
    _, slug = sign_up_and_create_site(page, server, inbox, tour=True)

    # An earlier post, so that the new one has something of its own to recommend.
    page.goto(f"{server}/dashboard/{slug}/posts/new/")
    page.get_by_label("Title", exact=True).fill("Umbrellas I have lost")
    page.get_by_label(re.compile("^Body")).fill("Eleven, at the last count.")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()

    # Upload an image with a caption through the media library.
    page.goto(f"{server}/dashboard/{slug}/media/")
    page.locator("input[type=file]").first.set_input_files(_photo(tmp_path / "window.jpg"))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("Uploaded.").wait_for()
    screenshot(page, "tour-2-media")
    page.get_by_role("link", name="Edit window.jpg").click()
    page.wait_for_load_state()
    page.get_by_label(re.compile("Alt text", re.I)).fill("Rain running down a window")
    page.get_by_label(re.compile("Caption", re.I)).fill("The view from my desk in October")
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_load_state()

    # Write the post: a quote, the image as a captioned figure, a curated link.
    page.goto(f"{server}/dashboard/{slug}/posts/new/")
    page.get_by_label("Title", exact=True).fill("Learning to like the rain")
    body = page.get_by_label(re.compile("^Body"))
    body.fill("It rained all week.\n\n> Some people feel the rain. Others just get wet.\n"
              "> — Roger Miller\n")
    body.press("Control+End")
    page.get_by_role("button", name="Insert into body").click()
    assert "<figure>" in body.input_value()
    page.get_by_label("Search this site’s posts to add").fill("Umbrellas")
    page.locator("#link-results").get_by_role("button").first.click()
    page.locator("#preview-body figure").wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "tour-3-editor")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert "published" in page.locator(".messages").inner_text().lower()

    # A guest (a fresh browser with no session) reads it on the public site.
    guest = page_factory()
    guest.goto(f"{server}/@{slug}/")
    guest.get_by_role("link", name="Learning to like the rain", exact=True).click()
    guest.wait_for_load_state()
    article = guest.locator("article.h-entry")
    assert article.locator("blockquote").inner_text().startswith("Some people feel the rain")
    figure = article.locator("figure").first
    assert figure.locator("figcaption").inner_text() == "The view from my desk in October"
    assert figure.locator("img").get_attribute("alt") == "Rain running down a window"
    assert figure.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert guest.locator(".find-also").get_by_role("link", name="Umbrellas I have lost")
    assert "Design a site like this with Byline" in guest.content()
    figure.scroll_into_view_if_needed()
    screenshot(guest, "tour-4-published")
    assert guest.watch.errors == [] and guest.watch.foreign == []


def test_a_scheduled_post_appears_once_its_time_passes(browser, server, inbox, page_factory):
    page = page_factory()
    _, slug = sign_up_and_create_site(page, server, inbox)
    page.goto(f"{server}/dashboard/{slug}/posts/new/")
    page.get_by_label("Title", exact=True).fill("Written yesterday, read tomorrow")
    page.get_by_label(re.compile("^Body")).fill("Timing is everything.")
    # The site is in UTC (the wizard's default); schedule a little ahead.
    when = datetime.utcnow() + timedelta(seconds=20)
    publish_at = page.get_by_label(re.compile("Publish (on|at|date)", re.I))
    publish_at.fill(when.strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert "scheduled" in page.locator(".messages").inner_text().lower()

    guest = page_factory()
    guest.goto(f"{server}/@{slug}/")
    assert "Written yesterday, read tomorrow" not in guest.locator("main").inner_text()
    time.sleep(max(0, (when - datetime.utcnow()).total_seconds()) + 1.5)
    guest.reload()
    assert "Written yesterday, read tomorrow" in guest.locator("main").inner_text()


def test_two_tabs_editing_one_post_show_a_conflict_and_keep_both(browser, server, inbox,
                                                                page_factory):
    first = page_factory()
    _, slug = sign_up_and_create_site(first, server, inbox)
    first.goto(f"{server}/dashboard/{slug}/posts/new/")
    first.get_by_label("Title", exact=True).fill("Draft in two tabs")
    first.get_by_label(re.compile("^Body")).fill("The first line.")
    first.get_by_role("button", name="Save draft").click()
    first.wait_for_load_state()
    editor_url = first.url

    # A second tab of the same browser (same session) opens the same post.
    second = first.context.new_page()
    second.goto(editor_url)

    first.get_by_label(re.compile("^Body")).fill("The first tab's words.")
    first.get_by_role("button", name="Save draft").click()
    first.wait_for_load_state()

    second.get_by_label(re.compile("^Body")).fill("The second tab's words.")
    second.get_by_role("button", name="Save draft").click()
    second.wait_for_load_state()

    text = second.locator("main").inner_text()
    assert "This post was saved elsewhere while you were editing" in text
    assert "The first tab's words." in text and "The second tab's words." in text
    # Keep mine: the second tab's text wins on top of the current version, nothing lost.
    second.get_by_role("button", name=re.compile("Use mine")).click()
    second.wait_for_load_state()
    assert second.get_by_label(re.compile("^Body")).input_value() == "The second tab's words."
    second.goto(editor_url.rstrip("/") + "/revisions/")
    revisions = second.locator("main").inner_text()
    assert "Conflict" in revisions or "conflict" in revisions


def test_the_writers_screens_have_no_accessibility_violations(browser, server, inbox,
                                                               page_factory):
    from .conftest import axe_violations

    guest = page_factory(width=390, height=844)
    problems = {}
    for path in ("/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"):
        guest.goto(server + path)
        if found := axe_violations(guest):
            problems[path] = found

    page = page_factory()
    _, slug = sign_up_and_create_site(page, server, inbox)
    screens = ["", "posts/", "posts/new/", "pages/", "media/", "settings/", "people/"]
    for width, scheme in ((1280, "light"), (390, "dark")):
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(color_scheme=scheme)
        for screen in screens:
            page.goto(f"{server}/dashboard/{slug}/{screen}")
            if found := axe_violations(page):
                problems[f"{screen or 'home'} at {width}px, {scheme}"] = found
    page.goto(server + "/start/")
    if found := axe_violations(page):
        problems["/start/"] = found
    assert problems == {}
    assert page.watch.errors == [] and page.watch.foreign == []
