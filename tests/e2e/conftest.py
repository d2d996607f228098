"""Browser tests: Playwright for Python driving Debian's Chromium against a real
`byline serve` (granian) process, with its own SQLite database seeded by `byline seed_demo`.

Without Chromium these tests are skipped with a clear message, except in CI, where
a missing browser is a failure: CI must run them.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.smtp import Inbox

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(config, items):
    reason = None
    if not shutil.which("chromium"):
        if os.environ.get("CI"):
            raise pytest.UsageError("CI must run the browser tests, but Chromium is missing: "
                                    "apt-get install -y chromium")
        reason = "Chromium is not installed (apt-get install -y chromium): browser tests skipped"
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def inbox():
    """The SMTP server the Byline server under test sends its mail to."""
    box = Inbox().start()
    yield box
    box.stop()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The local OpenID Connect provider (tests/oidc_provider) the server signs in with."""
    from tests.oidc_provider.process import start_provider

    provider = start_provider(tmp_path_factory.mktemp("oidc"))
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory, inbox, oidc_provider):
    """A production-style server on a loopback port, serving the seeded demo."""
    home = tmp_path_factory.mktemp("byline-home")
    env = {
        **os.environ,
        "BYLINE_OIDC_PROVIDERS": json.dumps(oidc_provider.byline_config),
        "BYLINE_EMAIL_URL": inbox.url,
        "BYLINE_HOME": str(home),
        "BYLINE_DATABASE_URL": f"sqlite:///{home / 'byline.sqlite3'}",
        "BYLINE_SECRET_KEY": "e2e-" + "k" * 60,
        "BYLINE_TASK_BACKEND": "immediate",
        # Every browser here comes from 127.0.0.1: let the same address comment again
        # after a second (the 15 s flood rule has its own tests) and a person type fast.
        "BYLINE_COMMENT_FLOOD_SECONDS": "1",
        "BYLINE_COMMENT_MIN_SECONDS": "1",
        "DJANGO_SETTINGS_MODULE": "byline.settings.base",
    }
    byline = [sys.executable, "-m", "byline"]
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"],
                    ["seed_demo"]):
        subprocess.run(byline + command, env=env, check=True, capture_output=True, cwd=ROOT)
    port = _free_port()
    log = (home / "server.log").open("wb")
    proc = subprocess.Popen([*byline, "serve", "--port", str(port)], env=env, stdout=log,
                            stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("byline serve did not start:\n"
                                   + (home / "server.log").read_text()) from None
            time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=shutil.which("chromium"),
                                     args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageWatch:
    """What a page did that a reader would not want: console errors, failed loads,
    and requests to any host but the site's own."""

    def __init__(self, page, allowed_hosts: set[str]):
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.allowed_hosts = allowed_hosts
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("request", self._request)

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.netloc not in self.allowed_hosts:
            self.foreign.append(request.url)


@pytest.fixture
def page_factory(browser, server):
    contexts = []

    def make(width: int = 1280, height: int = 800, scheme: str = "light"):
        context = browser.new_context(viewport={"width": width, "height": height},
                                      color_scheme=scheme)
        # CI machines are small and the suite runs two workers: allow slow answers.
        context.set_default_timeout(60_000)
        contexts.append(context)
        page = context.new_page()
        page.watch = PageWatch(page, {urlsplit(server).netloc})
        return page

    yield make
    for context in contexts:
        context.close()


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page) -> list[str]:
    """Run axe-core in the page; one line per violation and the nodes it names."""
    if not AXE.exists():
        if os.environ.get("CI"):
            raise AssertionError("axe-core is missing: `npm install` should have fetched it")
        pytest.skip("axe-core not installed (npm install): accessibility checks skipped")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in result["violations"]
    ]


def screenshot(page, name: str) -> None:
    """Save what the reader sees for the README (docs/screenshots/NAME.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
