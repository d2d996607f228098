import functools
import re
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

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


@functools.cache
def known_timezones() -> frozenset[str]:
    """The IANA zone names this machine knows (reading them walks the zone database)."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in known_timezones():
        raise ValidationError("“%(value)s” is not a known time zone.", params={"value": value})


_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_host(value: str) -> str:
    """A custom domain as stored: trimmed, lowercase, without a trailing dot, and in
    its ASCII (punycode) form, so that "Blög.example" and "xn--blg-…" are one host."""
    host = value.strip().lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def validate_custom_host(value: str) -> None:
    """A host name someone may point at their site: a real DNS name of two or more labels,
    not an IP address, not a port or URL, and nothing under the platform's own domain."""
    host = normalize_host(value)
    labels = host.split(".")
    if (
        len(host) > 253
        or len(labels) < 2
        or not all(_HOST_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()  # an IPv4 address, or a name that would look like one
    ):
        raise ValidationError(
            "Enter a domain name such as blog.example.com (no http://, port or path).",
            code="invalid_host")
    base = settings.BYLINE_BASE_DOMAIN
    if host == base or host.endswith("." + base) or host in settings.BYLINE_PLATFORM_HOSTS:
        raise ValidationError(
            "Addresses under %(base)s are Byline’s own; enter a domain you own.",
            params={"base": base}, code="platform_host")


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
    # Comment policy: defaults for new posts and rules the discussion app applies.
    comments_open_by_default = models.BooleanField(
        "new posts accept comments", default=True,
        help_text="Each post can still be opened or closed on its own.")
    comments_hold_first_time = models.BooleanField(
        "hold first-time commenters for moderation", default=True,
        help_text="A comment from someone with no approved comment here waits for approval.")
    comments_close_after_days = models.PositiveSmallIntegerField(
        "close comments after (days)", null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="Counted from the post’s publication. Leave empty to keep comments open.")
    comment_thread_depth = models.PositiveSmallIntegerField(
        "reply depth", default=5, validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How deeply replies may nest (1 = no replies to replies).")
    comments_hold_all = models.BooleanField(
        "hold every comment for moderation", default=False,
        help_text="Nothing appears until someone approves it.")
    comments_max_links = models.PositiveSmallIntegerField(
        "hold a comment with this many links or more", default=2,
        validators=[MinValueValidator(1), MaxValueValidator(100)])
    comments_hold_words = models.TextField(
        "hold comments containing", blank=True,
        help_text="One word, e-mail, address or IP per line; matching comments wait for "
                  "moderation.")
    comments_spam_words = models.TextField(
        "mark as spam comments containing", blank=True,
        help_text="One word, e-mail, address or IP per line; matching comments go to spam.")
    feed_full_content = models.BooleanField(
        "feeds carry the full text", default=True,
        help_text="Off: feeds carry only an excerpt and a link to the post.")
    # Bumped by every change a reader could see (publish, edit, delete, approved comment,
    # like, settings): the page cache keys on it, so a cached page never outlives a change.
    content_version = models.PositiveBigIntegerField(default=1, editable=False)
    # When a scheduled post of the site next goes public by the clock alone (kept by
    # content/signals.py): caches of what the site shows must not outlive it.
    next_change_at = models.DateTimeField(null=True, blank=True, editable=False)
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
    host = models.CharField(max_length=253, unique=True, validators=[validate_custom_host],
                            error_messages={"unique": "This domain is already used by "
                                                      "another site."})
    is_primary = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.host

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the validators and the uniqueness check see the value.
        self.host = normalize_host(self.host)
        super().clean_fields(exclude=exclude)


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


INVITATION_VALID_FOR = timedelta(days=14)


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        """Not yet accepted and not expired."""
        return self.filter(accepted_at__isnull=True,
                           created_at__gt=timezone.now() - INVITATION_VALID_FOR)


class Invitation(models.Model):
    """An offer of a role on a site, sent by e-mail. Whoever holds the token may accept
    it with any account: the address it was sent to is only a note of who was asked."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=20, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+", editable=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["site", "email"], condition=Q(accepted_at__isnull=True),
                                    name="one_pending_invitation_per_email",
                                    violation_error_message="This address already has a "
                                                            "pending invitation."),
        ]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()} of {self.site}"

    @property
    def expires_at(self):
        return self.created_at + INVITATION_VALID_FOR

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
