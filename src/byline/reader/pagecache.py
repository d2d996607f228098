"""The page cache: whole public pages for readers who are not signed in.

Two layers, one rule. A page is kept only when the request carries none of the cookies that
make a page personal (a session, messages, a commenter's "remember me" or "my held
comments") and the response says nothing against it (a 200 without Set-Cookie, no private
or no-store). Every change a reader could see bumps the site's content version
(`tenancy.services.bump_content_version`), and:

* **Django's cache** (the `pages` cache: local memory by default, Redis with
  BYLINE_CACHE_URL) keys each page on site, content version, scheme, host and path, so a
  bump makes every older page unreachable at once, in every process and on every machine.
* **Files** under BYLINE_PAGE_CACHE_DIR (one machine) hold the HTML of pages without a
  query string, as ``<dir>/<scheme>/<host>/<path>/index.html`` (or ``index.rss``,
  ``index.atom`` for feeds; each with a ``.gz``), the way WP
  Super Cache does: nginx answers from them without Python (`byline nginx_config`), and so
  does `CachedPagesApp` in front of Django under granian. A bump deletes the site's files
  once the change is committed.

Neither layer outlives BYLINE_PAGE_CACHE_TTL, and a scheduled post or update that falls due
bumps the version through a task (`content.tasks.site_changes_due`), so "publishing is a
query" stays true for cached pages too.
"""

import gzip
import hashlib
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable
from email.utils import formatdate
from pathlib import Path
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.cache import caches
from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

log = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
HEADER = "X-Byline-Cache"
# Headers a stored page keeps; the rest (Date, Set-Cookie, ...) belong to one response.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Vary", "Link",
                "X-Frame-Options", "X-Robots-Tag", "Last-Modified", "Expires")
MAX_BODY = 2 * 1024 * 1024
# Query strings worth a place in the cache: a page of a list, a search. Anything else
# (tracking parameters, cache-busting junk) is answered fresh rather than stored.
CACHED_PARAMS = frozenset({"page", "q", "s"})
MAX_QUERY = 300
# What is kept as a file, by the response's Content-Type: pages and feeds.
FILE_TYPES = {
    "html": "text/html; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}
_SAFE_HOST = re.compile(r"^[a-z0-9.-]+$")


def enabled() -> bool:
    return bool(getattr(settings, "BYLINE_PAGE_CACHE", False))


def files_root() -> Path | None:
    directory = getattr(settings, "BYLINE_PAGE_CACHE_DIR", "")
    return Path(directory) if directory and enabled() else None


def ttl() -> int:
    return int(getattr(settings, "BYLINE_PAGE_CACHE_TTL", 3600))


def private_cookies_pattern() -> re.Pattern:
    """A cookie header holding any of these makes the page personal: skip the cache."""
    names = "|".join(re.escape(name) for name in settings.BYLINE_PAGE_CACHE_PRIVATE_COOKIES)
    return re.compile(rf"(?:^|[;,]\s*)(?:{names})=")


def _request_is_cacheable(request: HttpRequest, private: re.Pattern) -> bool:
    if request.method not in ("GET", "HEAD") or getattr(request, "site", None) is None:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    if private.search(request.META.get("HTTP_COOKIE", "")):
        return False
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return True
    if len(query) > MAX_QUERY:
        return False
    names = [name for name, _ in parse_qsl(query, keep_blank_values=True)]
    return bool(names) and len(names) == len(set(names)) and set(names) <= CACHED_PARAMS


def _response_is_cacheable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    return len(response.content) <= MAX_BODY


def _key(request: HttpRequest) -> str:
    site = request.site
    digest = hashlib.sha256(
        f"{request.scheme}://{request.get_host().lower()}{request.get_full_path()}".encode()
    ).hexdigest()[:32]
    return f"page:{site.pk}:{site.content_version}:{digest}"


def seconds_until_next_change(site) -> float | None:
    """Seconds until a scheduled post or scheduled update of `site` falls due, or None."""
    from byline.content.models import Post, Status

    now = timezone.now()
    due = Post.objects.for_site(site).filter(trashed_at__isnull=True).aggregate(
        publish=Min("published_at", filter=Q(published_at__gt=now,
                                             status__in=[Status.PUBLISHED, Status.SCHEDULED])),
        update=Min("next_update_at", filter=Q(next_update_at__gt=now)),
    )
    times = [t for t in due.values() if t is not None]
    return (min(times) - now).total_seconds() if times else None


def _entry(response: HttpResponse) -> dict:
    body = response.content
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    headers.setdefault("Last-Modified", http_date())
    headers["ETag"] = f'W/"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'
    zipped = gzip.compress(body, compresslevel=6, mtime=0) if len(body) > 200 else None
    return {"body": body, "gz": zipped, "headers": headers}


def _accepts_gzip(request: HttpRequest) -> bool:
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "").lower()


def _from_entry(request: HttpRequest, entry: dict) -> HttpResponse:
    zipped = entry["gz"] if entry["gz"] is not None and _accepts_gzip(request) else None
    response = HttpResponse(zipped if zipped is not None else entry["body"])
    for name, value in entry["headers"].items():
        response[name] = value
    if zipped is not None:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    response[HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Serve and store whole pages for readers who are not signed in (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.private = private_cookies_pattern()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not enabled() or not _request_is_cacheable(request, self.private):
            return self.get_response(request)
        cache = caches[CACHE_ALIAS]
        key = _key(request)
        entry = cache.get(key)
        if entry is not None:
            return _from_entry(request, entry)
        site = request.site
        version = site.content_version
        response = self.get_response(request)
        if not _response_is_cacheable(response):
            return response
        entry = _entry(response)
        lifetime = ttl()
        due = seconds_until_next_change(site)
        if due is not None:
            lifetime = max(1, min(lifetime, int(due)))
        cache.set(key, entry, lifetime)
        for name, value in entry["headers"].items():
            if name not in response:
                response[name] = value
        patch_vary_headers(response, ["Accept-Encoding"])
        response[HEADER] = "miss"
        root = files_root()
        kind = file_kind(entry["headers"].get("Content-Type", ""))
        if (root is not None and kind is not None and not request.META.get("QUERY_STRING")
                and request.method == "GET"):
            write_file(root, request, entry, site_id=site.pk, version=version, kind=kind)
        return response


# --- files -----------------------------------------------------------------------------

def _safe_parts(scheme: str, host: str, path: str) -> bool:
    # Nothing that could leave the directory: no dot segments (hence no ..), no
    # backslashes or NULs, a path that names a directory.
    return (scheme in ("http", "https") and bool(_SAFE_HOST.match(host))
            and path.startswith("/") and path.endswith("/") and "/." not in path
            and "//" not in path and "\\" not in path and "\x00" not in path)


def file_kind(content_type: str) -> str | None:
    """"html", "rss" or "atom" for a response kept as a file, else None."""
    media = content_type.split(";")[0].strip().lower()
    return next((kind for kind, value in FILE_TYPES.items()
                 if value.split(";")[0] == media), None)


def file_for(root: Path, scheme: str, host: str, path: str,
             kind: str = "html") -> Path | None:
    """Where the page for scheme://host/path lives, or None for an address never stored."""
    host = host.lower()
    if not _safe_parts(scheme, host, path):
        return None
    return root / scheme / host / path.lstrip("/") / f"index.{kind}"


def _host_without_port(request: HttpRequest) -> str:
    host = request.get_host().lower()
    return host.rsplit(":", 1)[0] if not host.endswith("]") else host


def write_file(root: Path, request: HttpRequest, entry: dict, *, site_id: int,
               version: int, kind: str = "html") -> None:
    """Keep the page as a file (and its gzip), unless the site changed meanwhile."""
    from byline.tenancy.models import Site

    target = file_for(root, request.scheme, _host_without_port(request), request.path, kind)
    if target is None:
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        stamp = time.time()
        for suffix, data in (("", entry["body"]), (".gz", entry["gz"])):
            if data is None:
                continue
            tmp = target.parent / f".{uuid.uuid4().hex}.tmp"
            tmp.write_bytes(data)
            os.utime(tmp, (stamp, stamp))
            os.replace(tmp, target.with_name(target.name + suffix))
    except OSError:
        log.warning("page cache: could not write %s", target, exc_info=True)
        return
    # A change committed while this page was rendering bumped the version and deleted the
    # site's files before this one existed: look again, and drop the file if so.
    current = Site.objects.filter(pk=site_id).values_list("content_version", flat=True).first()
    if current != version:
        for suffix in ("", ".gz"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)


def site_roots(root: Path, site) -> list[Path]:
    """Every directory holding files of `site`: its own hosts, and /@slug/ on the platform."""
    from byline.tenancy.models import Domain

    hosts = {f"{site.slug}.{settings.BYLINE_BASE_DOMAIN}".lower()}
    hosts.update(h.lower() for h in Domain.objects.filter(site=site).values_list("host", flat=True))
    found = []
    for scheme_dir in (root / "http", root / "https"):
        if not scheme_dir.is_dir():
            continue
        for host_dir in scheme_dir.iterdir():
            if host_dir.name in hosts:
                found.append(host_dir)
            elif (host_dir / f"@{site.slug}").is_dir():
                found.append(host_dir / f"@{site.slug}")
    return found


def purge_site_files(site_id: int) -> None:
    """Delete every stored file of a site (renamed away first, so none is half-deleted)."""
    from byline.tenancy.models import Site

    root = files_root()
    if root is None or not root.is_dir():
        return
    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        return
    for directory in site_roots(root, site):
        trash = root / f".purge-{uuid.uuid4().hex}"
        try:
            os.replace(directory, trash)
        except OSError:
            continue
        shutil.rmtree(trash, ignore_errors=True)


def on_content_changed(sender, site_id: int, **kwargs) -> None:
    purge_site_files(site_id)


# --- serving files in front of Django ---------------------------------------------------

class CachedPagesApp:
    """A WSGI layer in front of Django that answers from the page cache's files, as nginx
    does in the documented production setup: for a GET or HEAD with no query string and no
    private cookie, an unexpired file is the answer; anything else goes to Django."""

    def __init__(self, app, *, root: Path, max_age: int, private: re.Pattern,
                 extra_headers: list[tuple[str, str]], forwarded_host: bool = False) -> None:
        self.app = app
        self.root = os.fsencode(root)
        self.max_age = max_age
        self.private = private
        self.extra_headers = extra_headers
        self.forwarded_host = forwarded_host

    def _file(self, environ) -> tuple[bytes, os.stat_result] | None:
        if (environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("QUERY_STRING")
                or "HTTP_AUTHORIZATION" in environ
                or self.private.search(environ.get("HTTP_COOKIE", ""))):
            return None
        host = environ.get("HTTP_X_FORWARDED_HOST" if self.forwarded_host else "HTTP_HOST", "")
        host = host.split(",")[0].strip().lower().rsplit(":", 1)[0]
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        scheme = environ.get("wsgi.url_scheme", "http")
        if not _safe_parts(scheme, host, path):
            return None
        directory = b"/".join((self.root, scheme.encode(), host.encode(),
                               path.encode("latin-1").lstrip(b"/")))
        gzip_ok = "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
        for kind in FILE_TYPES:  # a page, most often; else a feed
            base = directory + b"index." + kind.encode()
            if gzip_ok:
                try:
                    return base + b".gz", os.stat(base + b".gz")
                except OSError:
                    pass
            try:
                return base, os.stat(base)
            except OSError:
                continue
        return None

    def __call__(self, environ, start_response):
        found = self._file(environ)
        if found is not None:
            name, stat = found
            if time.time() - stat.st_mtime < self.max_age:
                try:
                    with open(name, "rb") as handle:
                        body = handle.read()
                except OSError:
                    body = None
                if body is not None:
                    return self._answer(environ, start_response, name, stat, body)
        return self.app(environ, start_response)

    def _answer(self, environ, start_response, name: bytes, stat, body: bytes):
        etag = f'W/"{int(stat.st_mtime):x}-{stat.st_size:x}"'
        headers = [("ETag", etag), ("Last-Modified", formatdate(stat.st_mtime, usegmt=True)),
                   *self.extra_headers, (HEADER, "hit")]
        if name.endswith(b".gz"):
            headers.append(("Content-Encoding", "gzip"))
        if environ.get("HTTP_IF_NONE_MATCH") == etag:
            start_response("304 Not Modified", headers)
            return [b""]
        kind = name.removesuffix(b".gz").rsplit(b".", 1)[-1].decode()
        headers += [("Content-Type", FILE_TYPES[kind]), ("Content-Length", str(len(body)))]
        start_response("200 OK", headers)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]


def served_headers() -> list[tuple[str, str]]:
    """The headers Django's middleware gives a public page, for pages served from files."""
    headers = [("Vary", "Cookie, Accept-Encoding"), ("Cache-Control", "max-age=0")]
    if settings.X_FRAME_OPTIONS:
        headers.append(("X-Frame-Options", settings.X_FRAME_OPTIONS))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", settings.SECURE_REFERRER_POLICY))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    return headers


def wrap_wsgi(app):
    """`app` with the file layer in front when the page cache keeps files."""
    root = files_root()
    if root is None:
        return app
    return CachedPagesApp(app, root=root, max_age=ttl(), private=private_cookies_pattern(),
                          extra_headers=served_headers(),
                          forwarded_host=bool(getattr(settings, "USE_X_FORWARDED_HOST", False)))
