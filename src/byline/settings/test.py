"""Settings for the test suite: the database comes from BYLINE_DATABASE_URL (the Makefile
runs the suite once on SQLite and again on PostgreSQL)."""

import os
import tempfile

os.environ.setdefault("BYLINE_SECRET_KEY", "test-only-not-secret-" + "x" * 40)
os.environ.setdefault("BYLINE_TASK_BACKEND", "immediate")

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
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATABASES["default"].setdefault("TEST", {})
STATIC_ROOT = tempfile.mkdtemp(prefix="byline-test-static-")
