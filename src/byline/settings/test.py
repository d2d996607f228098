"""Settings for the test suite: the database comes from BYLINE_DATABASE_URL (the Makefile
runs the suite once on SQLite and again on PostgreSQL)."""

import os
import tempfile

os.environ.setdefault("BYLINE_SECRET_KEY", "test-only-not-secret-" + "x" * 40)
os.environ.setdefault("BYLINE_TASK_BACKEND", "immediate")
# The page cache has tests of its own (tests/reader/test_pagecache.py) and is on in the
# browser tests' server; elsewhere a test reads what it just wrote.
os.environ.setdefault("BYLINE_PAGE_CACHE", "0")

from .base import *  # noqa: F403
from .base import DATABASES

# Speed: hashing with Argon2 costs tens of milliseconds per user.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="byline-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
          "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "LOCATION": "byline-test-pages"}}
DATABASES["default"].setdefault("TEST", {})
STATIC_ROOT = tempfile.mkdtemp(prefix="byline-test-static-")
