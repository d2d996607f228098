"""The page cache: readers who are not signed in get stored pages, and never a stale one
after a change is saved (reader/pagecache.py)."""

import gzip
import io
import os
import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from byline.content import services as content_services
from byline.content.tasks import site_changes_due
from byline.discussion import services as discussion_services
from byline.discussion import social
from byline.reader import pagecache
from byline.tenancy.services import site_update
from tests.discussion.comment_helpers import guest_comment
from tests.factories import make_post

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache(settings, tmp_path):
    settings.BYLINE_PAGE_CACHE = True
    settings.BYLINE_PAGE_CACHE_DIR = str(tmp_path / "pages")
    caches["pages"].clear()
    yield tmp_path / "pages"
    caches["pages"].clear()


@pytest.fixture
def post(site):
    site.comments_hold_first_time = False
    site.save()
    return make_post(site=site, title="On gardens", source="Soil first.")


def guest() -> Client:
    return Client(HTTP_HOST="demo.localhost")


def fetch(path: str, client: Client | None = None, **headers):
    return (client or guest()).get(path, **headers)


def test_a_second_reader_gets_the_stored_page(post):
    first = fetch(post.get_absolute_url())
    second = fetch(post.get_absolute_url())
    assert first["X-Byline-Cache"] == "miss"
    assert second["X-Byline-Cache"] == "hit"
    assert second.content == first.content
    assert "On gardens" in second.content.decode()


def test_a_signed_in_reader_always_gets_a_fresh_page(post, reader):
    fetch(post.get_absolute_url())
    client = guest()
    client.force_login(reader)
    response = fetch(post.get_absolute_url(), client)
    assert "X-Byline-Cache" not in response
    assert "You are commenting using your" in response.content.decode()


@pytest.mark.parametrize("cookie", ["comment_author", "comments_mine", "messages"])
def test_a_reader_with_a_personal_cookie_gets_a_fresh_page(post, cookie):
    fetch(post.get_absolute_url())
    client = guest()
    client.cookies[cookie] = "x"
    assert "X-Byline-Cache" not in fetch(post.get_absolute_url(), client)


def test_editing_a_post_shows_the_new_text_at_once(post):
    fetch(post.get_absolute_url())
    content_services.post_update(post=post, editor=post.author, title="On gardens, again",
                                 source="Soil first, then seeds.")
    response = fetch(post.get_absolute_url())
    assert response["X-Byline-Cache"] == "miss"
    assert "Soil first, then seeds." in response.content.decode()


def test_publishing_a_post_shows_it_on_the_home_page_at_once(site, post):
    fetch("/")
    make_post(site=site, title="Fresh from the press")
    assert "Fresh from the press" in fetch("/").content.decode()


def test_trashing_a_post_takes_it_off_at_once(site, post):
    fetch("/")
    fetch(post.get_absolute_url())
    content_services.post_trash(post=post, user=post.author)
    assert fetch(post.get_absolute_url()).status_code == 404
    assert "On gardens" not in fetch("/").content.decode()


def test_an_approved_comment_shows_at_once(post):
    fetch(post.get_absolute_url())
    guest_comment(post, "What about compost?")
    assert "What about compost?" in fetch(post.get_absolute_url()).content.decode()


def test_unapproving_a_comment_takes_it_off_at_once(post):
    comment = guest_comment(post, "Gone soon.")
    assert "Gone soon." in fetch(post.get_absolute_url()).content.decode()
    discussion_services.comment_unapprove(comment=comment)
    assert "Gone soon." not in fetch(post.get_absolute_url()).content.decode()


def test_a_like_updates_the_count_at_once(post, reader):
    assert "Be the first to like this" in fetch(post.get_absolute_url()).content.decode()
    social.like_toggle(post=post, user=reader)
    assert "One blogger likes this" in fetch(post.get_absolute_url()).content.decode()


def test_a_settings_change_shows_at_once(site, post):
    fetch("/")
    site_update(site=site, title="Renamed Site")
    assert "Renamed Site" in fetch("/").content.decode()


def test_pages_of_a_list_are_cached_and_other_queries_are_not(site, post):
    fetch("/?page=1")
    assert fetch("/?page=1")["X-Byline-Cache"] == "hit"
    fetch("/?utm_source=x")
    assert "X-Byline-Cache" not in fetch("/?utm_source=x")


def test_a_page_that_sets_a_cookie_is_never_stored(site):
    locked = make_post(site=site, title="Members only", password="sesame")
    first = fetch(locked.get_absolute_url())
    assert "csrftoken" in first.cookies  # the password form carries a token
    assert "X-Byline-Cache" not in first
    assert "X-Byline-Cache" not in fetch(locked.get_absolute_url())


def test_a_matching_etag_is_answered_304(post):
    first = fetch(post.get_absolute_url())
    again = fetch(post.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert first["Last-Modified"]


def test_text_is_sent_gzipped_to_readers_who_accept_it(post):
    fetch(post.get_absolute_url())
    response = fetch(post.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert "On gardens" in gzip.decompress(response.content).decode()
    assert "Accept-Encoding" in response["Vary"]


def test_switched_off_nothing_is_stored(settings, post):
    settings.BYLINE_PAGE_CACHE = False
    fetch(post.get_absolute_url())
    assert "X-Byline-Cache" not in fetch(post.get_absolute_url())


def test_a_scheduled_post_bounds_how_long_pages_live(site, post):
    assert pagecache.seconds_until_next_change(site) is None
    make_post(site=site, title="Tomorrow", status="scheduled",
              published_at=timezone.now() + timezone.timedelta(minutes=10))
    assert 0 < pagecache.seconds_until_next_change(site) <= 600


def test_the_due_task_shows_a_scheduled_post_when_its_time_comes(site, post, time_machine):
    time_machine.move_to(timezone.now(), tick=True)
    make_post(site=site, title="Later today", status="scheduled",
              published_at=timezone.now() + timezone.timedelta(minutes=5))
    assert "Later today" not in fetch("/").content.decode()
    time_machine.shift(timezone.timedelta(minutes=6))
    site_changes_due.call(site_id=site.pk)
    assert "Later today" in fetch("/").content.decode()


# --- files, for nginx and the WSGI layer ------------------------------------------------

def stored_file(root, path: str, host: str = "demo.localhost"):
    return pagecache.file_for(root, "http", host, path)


def test_a_stored_page_is_also_written_as_a_file(page_cache, post):
    body = fetch(post.get_absolute_url()).content
    target = stored_file(page_cache, post.get_absolute_url())
    assert target.read_bytes() == body
    assert gzip.decompress(target.with_name("index.html.gz").read_bytes()) == body


def test_a_change_deletes_the_sites_files(page_cache, site, post):
    fetch(post.get_absolute_url())
    fetch("/@demo/", Client(HTTP_HOST="127.0.0.1"))
    assert stored_file(page_cache, "/@demo/", host="127.0.0.1").exists()
    content_services.post_update(post=post, editor=post.author, title="Changed", source="New.")
    assert not stored_file(page_cache, post.get_absolute_url()).exists()
    assert not stored_file(page_cache, "/@demo/", host="127.0.0.1").exists()


def test_another_sites_change_leaves_these_files(page_cache, post, site_factory_other):
    fetch(post.get_absolute_url())
    make_post(site=site_factory_other, title="Elsewhere")
    assert stored_file(page_cache, post.get_absolute_url()).exists()


@pytest.fixture
def site_factory_other(db):
    from tests.factories import SiteFactory

    return SiteFactory(slug="other")


@pytest.mark.parametrize("path", ["/../etc/", "/a/./b/", "/.git/", "//x/", "/a\\b/", "/x"])
def test_addresses_that_could_leave_the_directory_have_no_file(page_cache, path):
    assert stored_file(page_cache, path) is None


def _wsgi(app, path: str, **environ):
    base = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
            "HTTP_HOST": "demo.localhost", "wsgi.url_scheme": "http", "SERVER_NAME": "x",
            "SERVER_PORT": "80", "wsgi.input": io.BytesIO(b""), "wsgi.errors": io.StringIO()}
    base.update(environ)
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(app(base, start_response))
    return answer["status"], answer["headers"], body


def _django_fallback(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"from django"]


def layer(root):
    return pagecache.CachedPagesApp(
        _django_fallback, root=root, max_age=60,
        private=pagecache.private_cookies_pattern(), extra_headers=pagecache.served_headers())


def test_the_wsgi_layer_answers_from_the_file(page_cache, post):
    body = fetch(post.get_absolute_url()).content
    status, headers, served = _wsgi(layer(page_cache), post.get_absolute_url())
    assert status == "200 OK" and served == body
    assert headers["X-Byline-Cache"] == "hit"
    assert headers["X-Frame-Options"] == "DENY"
    status, _, served = _wsgi(layer(page_cache), post.get_absolute_url(),
                              HTTP_IF_NONE_MATCH=headers["ETag"])
    assert status.startswith("304")
    status, headers, served = _wsgi(layer(page_cache), post.get_absolute_url(),
                                    HTTP_ACCEPT_ENCODING="gzip")
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(served) == body


@pytest.mark.parametrize("environ", [
    {"HTTP_COOKIE": "sessionid=abc"}, {"HTTP_COOKIE": "a=1; comments_mine=2"},
    {"QUERY_STRING": "page=2"}, {"REQUEST_METHOD": "POST"},
])
def test_the_wsgi_layer_leaves_personal_and_other_requests_to_django(page_cache, post, environ):
    fetch(post.get_absolute_url())
    _, _, served = _wsgi(layer(page_cache), post.get_absolute_url(), **environ)
    assert served == b"from django"


def test_the_wsgi_layer_ignores_an_expired_file(page_cache, post):
    fetch(post.get_absolute_url())
    target = stored_file(page_cache, post.get_absolute_url())
    old = time.time() - 3600
    for name in (target, target.with_name("index.html.gz")):
        os.utime(name, (old, old))
    _, _, served = _wsgi(layer(page_cache), post.get_absolute_url())
    assert served == b"from django"


def test_an_authors_new_display_name_shows_on_cached_pages_at_once(post):
    fetch(post.get_absolute_url())
    post.author.display_name = "Freshly Renamed"
    post.author.save()
    assert "Freshly Renamed" in fetch(post.get_absolute_url()).content.decode()


def test_a_guest_comments_from_a_cached_page_and_then_sees_it(settings, site, post):
    import re
    from html import unescape

    fetch(post.get_absolute_url())
    visitor = Client(HTTP_HOST="demo.localhost", enforce_csrf_checks=True)
    page = visitor.get(post.get_absolute_url())
    assert page["X-Byline-Cache"] == "hit"
    html = page.content.decode()
    action = unescape(re.search(r'<form action="([^"]+)" method="post" id="commentform"',
                                html).group(1))
    stamp = unescape(re.search(r'name="stamp" value="([^"]+)"', html).group(1))
    site.comments_hold_first_time = True
    site.save()
    settings.BYLINE_COMMENT_MIN_SECONDS = 0  # no waiting on the page in a test
    response = visitor.post(action, {
        "comment": "From a cached page.", "author": "Cached Guest", "email": "cg@example.com",
        "url": "", "parent": "", "stamp": stamp, "leave_blank": ""},
        HTTP_ORIGIN="http://demo.localhost", REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 302
    mine = visitor.get(post.get_absolute_url())
    assert "X-Byline-Cache" not in mine
    assert "From a cached page." in mine.content.decode()
    assert "awaiting moderation" in mine.content.decode()
    assert "From a cached page." not in fetch(post.get_absolute_url()).content.decode()


def test_a_search_is_cached_and_a_new_post_shows_in_it_at_once(site, post):
    fetch("/search/?q=gardens")
    assert fetch("/search/?q=gardens")["X-Byline-Cache"] == "hit"
    make_post(site=site, title="More gardens")
    assert "More <mark>gardens</mark>" in fetch("/search/?q=gardens").content.decode()


def test_a_feed_is_kept_as_a_file_the_wsgi_layer_serves_with_its_type(page_cache, post):
    body = fetch("/feed/").content
    assert pagecache.file_for(page_cache, "http", "demo.localhost", "/feed/", "rss").exists()
    status, headers, served = _wsgi(layer(page_cache), "/feed/")
    assert status == "200 OK" and served == body
    assert headers["Content-Type"].startswith("application/rss+xml")


def test_a_page_not_changed_since_is_answered_304(post):
    first = fetch(post.get_absolute_url())
    again = fetch(post.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
    assert again.content == b""


def test_a_post_page_with_social_sign_in_buttons_is_still_stored(post):
    from django.test import override_settings

    from tests.accounts.test_social import GITHUB

    with override_settings(SOCIALACCOUNT_PROVIDERS=GITHUB):
        first = fetch(post.get_absolute_url())
        assert "Sign in with GitHub" in first.content.decode()
        assert not first.cookies
        assert fetch(post.get_absolute_url())["X-Byline-Cache"] == "hit"
