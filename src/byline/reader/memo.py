"""Derived data of a site kept in Django's cache per content version: the parts of a page
that every page of a site repeats (menus, categories, archive months) or that every
reader of a post sees alike (its comment thread), computed once per change rather than on
every request. The page cache stores whole pages for anonymous readers; this helps every
other request (signed-in readers, pages with a query, a cold page cache).

A value lives until the site's next change (its key holds the content version), at most
MAX_AGE seconds, and never past the moment a scheduled post or update falls due: those
change what a site shows without a write (publishing is a query)."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

T = TypeVar("T")
MAX_AGE = 300
_MISSING = object()


def _valid_until(site) -> datetime:
    """MAX_AGE from now, or sooner when a scheduled post of the site goes public."""
    until = timezone.now() + timedelta(seconds=MAX_AGE)
    due = site.next_change_at
    return min(until, due) if due is not None and due > timezone.now() else until


def site_memo(site, name: str, compute: Callable[[], T]) -> T:
    """`compute()` for `site`, from the cache while the site has not changed."""
    if not settings.BYLINE_FRAGMENT_CACHE:
        return compute()
    key = f"site:{site.pk}:{site.content_version}:{name}"
    entry = cache.get(key, _MISSING)
    now = timezone.now()
    if entry is not _MISSING and entry[0] > now:
        return entry[1]
    until = _valid_until(site)
    value = compute()
    cache.set(key, (until, value), max(1, int((until - now).total_seconds())))
    return value
