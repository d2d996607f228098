"""Settings for every environment, each knob read from a BYLINE_* environment variable.

The defaults serve one machine with nothing else installed: SQLite under var/,
local-memory cache, media files under var/media, a database task queue.
"""

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(environ.Env().str("BYLINE_HOME", default=str(SRC_DIR.parent.parent)))
VAR_DIR = BASE_DIR / "var"

env = environ.Env()


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept under var/.

    A generated file beats a hard-coded fallback: no two installs share a key,
    and nobody runs production on a key printed in the source.
    """
    key = env.str("BYLINE_SECRET_KEY", default="")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("BYLINE_DEBUG", default=False)

# Sites live at <slug>.<BASE_DOMAIN> and at /@<slug>/ on the platform host.
BYLINE_BASE_DOMAIN = env.str("BYLINE_BASE_DOMAIN", default="localhost").lower()
BYLINE_PLATFORM_HOSTS = [
    h.lower()
    for h in env.list("BYLINE_PLATFORM_HOSTS", default=["127.0.0.1", "[::1]", "testserver"])
]
# Custom domains are added at run time, so Django's host check cannot list them:
# SiteMiddleware answers 404 to any host that is neither the platform nor a site's.
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Byline's apps come before allauth so that their templates override allauth's.
    "byline.tenancy",
    "byline.accounts",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.twitter_oauth2",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks",
    "django_tasks_db",
    "byline.content",
    "byline.reader",
    "byline.discussion",
    "byline.linkbacks",
    "byline.porting",
    "byline.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "byline.tenancy.middleware.SiteMiddleware",
    "byline.reader.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "byline.porting.middleware.OldLinksMiddleware",
    "byline.discussion.middleware.PrivateCommentsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "byline.urls"
WSGI_APPLICATION = "byline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "byline.tenancy.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db_url(
        "BYLINE_DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'byline.sqlite3'}"
    )
}


def tune_database(db: dict) -> dict:
    """Make SQLite safe for concurrent writers and keep PostgreSQL connections open.

    IMMEDIATE transactions take the write lock at BEGIN, so a read-then-write
    transaction waits for another writer (up to the busy timeout) instead of
    failing with "database is locked" when it tries to upgrade its lock.
    """
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            }
        )
        # Keep each thread's connection: opening one runs the PRAGMAs above, and closing
        # the last one checkpoints the WAL and deletes it (an fsync per request).
        if not db.get("CONN_MAX_AGE"):
            db["CONN_MAX_AGE"] = None
    elif db["ENGINE"] == "django.db.backends.postgresql":
        db.setdefault("CONN_MAX_AGE", 60)
        db.setdefault("CONN_HEALTH_CHECKS", True)
    return db


tune_database(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------
CACHES = {"default": env.cache_url("BYLINE_CACHE_URL", default="locmemcache://byline")}
# Whole pages for readers who are not signed in (reader/pagecache.py): the same store as
# the default cache, under its own prefix; in local memory, a bounded number of pages.
CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages"}
if CACHES["pages"]["BACKEND"].endswith("LocMemCache"):
    CACHES["pages"].update(LOCATION="byline-pages", OPTIONS={"MAX_ENTRIES": 1000})
BYLINE_PAGE_CACHE = env.bool("BYLINE_PAGE_CACHE", default=True)
# Seconds a cached page may live without any change to its site (a safety net: every
# change already replaces it).
BYLINE_PAGE_CACHE_TTL = env.int("BYLINE_PAGE_CACHE_TTL", default=3600)
# Where cached pages are also written as files, for nginx (and `byline serve`) to answer
# from without Django; "" keeps them in the cache only (several machines: each would need
# its own purge, so use Redis and leave this empty).
BYLINE_PAGE_CACHE_DIR = env.str("BYLINE_PAGE_CACHE_DIR", default=str(VAR_DIR / "pagecache"))
# Parts of pages kept per site change (reader/memo.py: menus, archives, a post's header
# and comment thread, list entries); off only to measure rendering from scratch.
BYLINE_FRAGMENT_CACHE = env.bool("BYLINE_FRAGMENT_CACHE", default=True)
# A request carrying any of these cookies gets a fresh page: it is someone's own.
BYLINE_PAGE_CACHE_PRIVATE_COOKIES = ["sessionid", "messages", "comment_author",
                                     "comments_mine"]

# --- Mail ---------------------------------------------------------------------
vars().update(env.email_url("BYLINE_EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("BYLINE_FROM_EMAIL", default=f"Byline <noreply@{BYLINE_BASE_DOMAIN}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = env.str("BYLINE_MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("BYLINE_MEDIA_ROOT", default=str(VAR_DIR / "media")))
BYLINE_SERVE_MEDIA = env.bool("BYLINE_SERVE_MEDIA", default=True)


def media_storage(url: str) -> dict:
    """Storage for uploads: files on disk by default, or S3-compatible from a URL.

    `s3://BUCKET?endpoint_url=https://…&region_name=…&custom_domain=…` uses
    django-storages (install the `s3` extra); credentials come from the usual
    AWS_* environment variables.
    """
    if not url or url.startswith("file:"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if url.startswith("s3://"):
        from urllib.parse import parse_qsl, urlsplit

        parts = urlsplit(url)
        options = {"bucket_name": parts.netloc, "file_overwrite": False}
        options.update(dict(parse_qsl(parts.query)))
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    raise ImproperlyConfigured(f"BYLINE_MEDIA_STORAGE: unsupported storage URL {url!r}")


STORAGES = {
    "default": media_storage(env.str("BYLINE_MEDIA_STORAGE", default="")),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o644
# Uploaded images: refused above these sizes (decompression bombs, SECURITY-CASES 42).
BYLINE_MAX_UPLOAD_BYTES = env.int("BYLINE_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
BYLINE_MAX_IMAGE_PIXELS = env.int("BYLINE_MAX_IMAGE_PIXELS", default=40_000_000)
BYLINE_COMMENT_MIN_SECONDS = env.int("BYLINE_COMMENT_MIN_SECONDS", default=3)
# The same person (address, e-mail or account) may comment again after this many seconds.
BYLINE_COMMENT_FLOOD_SECONDS = env.int("BYLINE_COMMENT_FLOOD_SECONDS", default=15)
# Akismet: off while the key is empty (no request ever leaves). With a key, guests' and
# readers' comments that the site's own rules let through are asked about in a task.
BYLINE_AKISMET_KEY = env.str("BYLINE_AKISMET_KEY", default="")
BYLINE_AKISMET_URL = env.str("BYLINE_AKISMET_URL", default="https://rest.akismet.com/1.1/")
if not BYLINE_AKISMET_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("BYLINE_AKISMET_URL must be an http(s):// address")
BYLINE_AKISMET_TIMEOUT = env.float("BYLINE_AKISMET_TIMEOUT", default=3.0)
# Sends is_test=1: Akismet answers but neither learns from nor counts these calls.
BYLINE_AKISMET_TEST = env.bool("BYLINE_AKISMET_TEST", default=False)
# The SSRF-safe fetcher (linkbacks/fetch.py) refuses loopback addresses unless this is on:
# for tests and local development only, never in production.
FETCH_ALLOW_LOOPBACK = env.bool("BYLINE_FETCH_ALLOW_LOOPBACK", default=False)
# WordPress imports from the dashboard: where uploaded files wait for the worker (web and
# worker must share it; files are deleted after the import), and the largest upload.
BYLINE_IMPORT_ROOT = env.str("BYLINE_IMPORT_ROOT", default=str(VAR_DIR / "imports"))
BYLINE_IMPORT_MAX_BYTES = env.int("BYLINE_IMPORT_MAX_BYTES", default=2 * 1024 ** 3)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Background work ------------------------------------------------------------
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = env.str("BYLINE_TASK_BACKEND", default="database")
if _task_backend not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"BYLINE_TASK_BACKEND must be one of {sorted(TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[_task_backend]}}

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_ADAPTER = "byline.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
# The same answers whether or not an address has an account (SECURITY-CASES 31).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Byline] "
ACCOUNT_CHANGE_EMAIL = True
# Login throttling per IP and per account (SECURITY-CASES 50); counted in the cache, so
# several web processes need a shared cache (BYLINE_CACHE_URL=redis://…).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}
LOGIN_URL = "account_login"
# Without ?next=: the member's sites, or the "Get started" wizard for someone with none.
LOGIN_REDIRECT_URL = "dashboard:my_sites"

# --- Social sign-in -------------------------------------------------------------
# Commenters may sign in through GitHub, Google, X/Twitter, Facebook and any number of
# OpenID Connect providers. Each is on only when the operator sets its credentials:
# BYLINE_GITHUB_CLIENT_ID + BYLINE_GITHUB_SECRET (likewise GOOGLE, TWITTER, FACEBOOK), and
# BYLINE_OIDC_PROVIDERS='[{"id": "…", "name": "…", "server_url": "…", "client_id": "…",
# "secret": "…"}]'. Apps live in settings, not in the database. (allauth has no Mastodon
# provider.) SECURITY-CASES 49:
from byline.accounts.social import providers_from_env  # noqa: E402

SOCIALACCOUNT_PROVIDERS = providers_from_env(env.ENVIRON)
SOCIALACCOUNT_ADAPTER = "byline.accounts.social_adapter.SocialAccountAdapter"
# A GET to /accounts/<provider>/login/ shows a confirmation page; only a POST (with its
# CSRF token) starts the handshake, so no third-party page can sign a visitor in.
SOCIALACCOUNT_LOGIN_ON_GET = False
# A provider's word about an e-mail address never opens an existing local account, and
# never attaches itself to one: whoever holds a Byline account signs in to it themselves.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
# A new commenter gets an account straight away, with no extra form, whenever the
# provider gives what we need (an address that collides with an existing account still
# gets the form, where it is refused).
SOCIALACCOUNT_AUTO_SIGNUP = True
# Not every provider gives an address (X never does); a commenter needs none.
SOCIALACCOUNT_EMAIL_REQUIRED = False
# "optional", not the "mandatory" of local accounts: an address the provider vouches for
# is stored as verified and no mail goes out; one it does not vouch for gets a
# confirmation mail, but does not stand between the commenter and their comment. Such an
# address opens nothing (e-mail authentication is off above) and stays unverified.
SOCIALACCOUNT_EMAIL_VERIFICATION = "optional"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10

# --- Locale -------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Security -----------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
BYLINE_HTTPS = env.bool("BYLINE_HTTPS", default=False)
if BYLINE_HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("BYLINE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("BYLINE_HSTS_PRELOAD", default=True)
if env.bool("BYLINE_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
    # Rate limits count the visitor's address, not the proxy's.
    ALLAUTH_TRUSTED_PROXY_COUNT = env.int("BYLINE_TRUSTED_PROXY_COUNT", default=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("BYLINE_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
