import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from .roles import Role, role_can

# Slugs that would collide with the platform's own hosts and paths.
RESERVED_SLUGS = frozenset({
    "www", "api", "admin", "static", "media", "assets", "cdn", "mail", "smtp", "imap", "pop",
    "ftp", "ssh", "webmail", "dashboard", "accounts", "account", "login", "logout", "signup",
    "register", "auth", "oauth", "openid", "help", "support", "docs", "blog", "status", "about",
    "terms", "privacy", "security", "abuse", "root", "byline", "feed", "feeds", "rss", "atom",
    "sitemap", "robots", "favicon", "wp", "wp-admin", "wp-json", "wp-content", "wp-includes",
    "xmlrpc", "inbox", "outbox", "well-known", "test", "localhost", "new", "get-started",
    "start", "app", "apps", "settings",
})

slug_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
    "Use 1–63 lowercase letters, digits and hyphens, starting and ending with a letter or digit.",
)


def validate_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError("“%(value)s” is reserved. Please choose another address.",
                              params={"value": value}, code="reserved")


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("“%(value)s” is not a known time zone.", params={"value": value})


class Theme(models.TextChoices):
    CANVAS = "canvas", "Canvas (clean sans-serif, one column)"
    PRESS = "press", "Press (serif magazine, with a sidebar)"


class SiteQuerySet(models.QuerySet):
    def public(self) -> "SiteQuerySet":
        """Sites listed in the platform directory."""
        return self.filter(is_public=True)


class Site(models.Model):
    slug = models.CharField(
        max_length=63, unique=True, validators=[slug_validator, validate_not_reserved],
        help_text="The site's address: SLUG.example.com and /@SLUG/.",
    )
    title = models.CharField(max_length=200)
    tagline = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=10, default="en")
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    theme = models.CharField(max_length=20, choices=Theme.choices, default=Theme.CANVAS)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="owned_sites")
    posts_per_page = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(100)])
    is_public = models.BooleanField(default=True, help_text="Listed in the directory.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def role_of(self, user) -> str | None:
        """The user's role here, or None. Memoised on the instance: asked often per request."""
        if user is None or not user.is_authenticated:
            return None
        cache = self.__dict__.setdefault("_roles", {})
        if user.pk not in cache:
            cache[user.pk] = (
                self.memberships.filter(user=user).values_list("role", flat=True).first()
            )
        return cache[user.pk]

    def user_can(self, user, capability: str) -> bool:
        return role_can(self.role_of(user), capability)


class Domain(models.Model):
    """A custom host name that serves a site (besides SLUG.BASE_DOMAIN)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="domains")
    host = models.CharField(max_length=253, unique=True)
    is_primary = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.host

    def clean(self) -> None:
        self.host = self.host.strip().lower().rstrip(".")


class Membership(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "user"], name="one_membership_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.site}"
