"""A reader's visit, in Chromium: the demo home, a post, the author box, the archives."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin
from urllib.request import urlopen

import pytest

from .conftest import SCREENSHOTS, axe_violations


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[tuple[str, str]] = []  # (class, href)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append((a.get("class") or "", a["href"]))


def _links(url: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(urlopen(url, timeout=10).read().decode())
    return [(cls, urljoin(url, href)) for cls, href in parser.hrefs]


@pytest.fixture(scope="session")
def tour(server) -> dict[str, dict[str, str]]:
    """For each theme's demo site: the addresses of its home, a post, a page and an archive,
    found by following links as a reader would."""
    # The two seeded demo sites, one per theme, as the landing page's directory lists them
    # (other tests add sites of their own, so pick these by address).
    sites = [href for cls, href in _links(server + "/")
             if href.endswith(("/@demo/", "/@kitchen-table/"))]
    found = {}
    for home in sites:
        html = urlopen(home, timeout=10).read().decode()
        theme = re.search(r'class="theme-([\w-]+)', html).group(1)
        links = _links(home)
        post = next(h for c, h in links if re.search(r"/\d{4}/\d{2}/\d{2}/[^/]+/$", h))
        archive = next(h for c, h in links if "/category/" in h or re.search(
            r"/\d{4}/\d{2}/$", h))
        page = next((h for c, h in links if re.fullmatch(re.escape(home) + r"[\w-]+/", h)
                     and "/category/" not in h), None)
        found.setdefault(theme, {"home": home, "post": post, "archive": archive,
                                 **({"page": page} if page else {})})
    return found


def test_reader_follows_a_post_from_the_demo_home(page_factory, server):
    page = page_factory()
    page.goto(server + "/@demo/")
    bar = page.get_by_role("complementary", name="Byline")
    assert "Design a site like this with Byline" in bar.inner_text()
    assert bar.get_by_role("link", name="Get started").is_visible()

    first = page.locator("article.h-entry h2 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert re.search(r"/@demo/\d{4}/\d{2}/\d{2}/[^/]+/$", page.url)
    assert page.get_by_role("heading", level=1).inner_text() == title

    article = page.locator("article.h-entry")
    # The post's own date comes first; its related posts and comments carry theirs too.
    assert article.locator("time.dt-published").first.is_visible()
    assert article.locator(".p-category").count() >= 1
    text = page.locator("main").inner_text()
    positions = [text.find(part) for part in (title, "Find also to read", "Published by",
                                               "Leave a Reply")]
    assert -1 not in positions and positions == sorted(positions), positions
    assert page.locator(".author-box .p-note").inner_text().strip()
    assert page.locator("main").get_by_text(re.compile(
        r"Be the first to like this|bloggers? likes? this")).first.is_visible()
    assert page.watch.errors == [] and page.watch.foreign == []


def test_post_shows_captioned_figures_and_quotes(page_factory, tour):
    page = page_factory()
    # Some post of the demo carries figures; the reader reaches it from the home page.
    page.goto(tour["canvas"]["home"])
    for href in page.locator("article.h-entry h2 a").evaluate_all("els => els.map(e => e.href)"):
        page.goto(href)
        if page.locator(".e-content figure figcaption").count():
            break
    figure = page.locator(".e-content figure").first
    assert figure.locator("img").get_attribute("alt")
    assert figure.locator("figcaption").inner_text().strip()
    assert figure.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.watch.errors == []


def test_reader_reaches_the_archives_from_a_post(page_factory, tour):
    page = page_factory()
    page.goto(tour["canvas"]["post"])
    category = page.locator("article .p-category").first
    name = category.inner_text()
    category.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == f"Category: {name}"
    assert page.locator("article.h-entry").count() >= 1

    page.get_by_role("navigation", name="Archives").get_by_role("link").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Month: ")

    author = page.locator("article .p-author").first
    name = author.inner_text()
    author.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == f"Author: {name}"
    assert page.watch.errors == [] and page.watch.foreign == []


def test_site_answers_at_its_own_host(page_factory, server):
    port = server.rsplit(":", 1)[1]
    page = page_factory()
    page.watch.allowed_hosts.add(f"demo.localhost:{port}")
    page.goto(f"http://demo.localhost:{port}/")
    link = page.locator("article.h-entry h2 a").first.get_attribute("href")
    assert link.startswith("/") and not link.startswith("/@demo/")
    assert page.watch.errors == [] and page.watch.foreign == []


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("theme", ["canvas", "press"])
def test_screenshots_of_both_themes(page_factory, tour, theme, width):
    page = page_factory(width=width, height=900 if width > 400 else 844)
    page.goto(tour[theme]["post"])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{theme}-post-{width}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    # Nothing may be wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("theme", ["canvas", "press"])
def test_pages_have_no_accessibility_violations(page_factory, server, tour, theme, width,
                                                scheme):
    page = page_factory(width=width, scheme=scheme)
    pages = {"landing": server + "/", **tour[theme]}
    problems = {}
    for name, url in pages.items():
        page.goto(url)
        found = axe_violations(page)
        if found:
            problems[name] = found
    assert problems == {}
    assert page.watch.errors == [] and page.watch.foreign == []
