"""The conversation under a post: comments (threaded, from guests or members), pingbacks
and Webmentions; likes; following a site and subscribing to it by e-mail."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from byline.content.models import Post
from byline.tenancy.models import Site


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CommentQuerySet(models.QuerySet):
    def for_site(self, site: Site) -> "CommentQuerySet":
        return self.filter(site=site)

    def approved(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.APPROVED)

    def awaiting_moderation(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        PINGBACK = "pingback", "Pingback"
        TRACKBACK = "trackback", "Trackback"
        WEBMENTION = "webmention", "Webmention"

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PENDING = "pending", "Pending"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Trash"

    # Lengths as WordPress enforces them (wp_get_comment_fields_max_lengths): a value
    # over the limit is refused with a message, never cut (SECURITY-CASES 3).
    MAX_BODY = 65525
    MAX_NAME = 245
    MAX_EMAIL = 100
    MAX_URL = 200

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="comments")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="replies")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COMMENT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="comments")
    author_name = models.CharField(max_length=MAX_NAME)
    author_email = models.EmailField(max_length=MAX_EMAIL, blank=True)
    author_url = models.URLField(max_length=MAX_URL, blank=True)
    author_ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    body = models.TextField(max_length=MAX_BODY, help_text="What the commenter typed.")
    html = models.TextField(blank=True, help_text="Sanitised HTML rendered from the body.")
    notify_replies = models.BooleanField(
        default=False, help_text="Mail the commenter when someone replies to this comment.")
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    import_ref = models.CharField(max_length=200, blank=True,
                                  help_text="Source and id of an imported comment.")

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["post", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["site", "status", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["site", "author_email"], name="comment_author_idx"),
            models.Index(fields=["author_ip", "-created_at"], name="comment_flood_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.post}"

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"


class Like(models.Model):
    """One signed-in reader liking one post, once: the unique constraint makes a double
    click or a concurrent request count once."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="likes")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_like_per_user")]

    def __str__(self) -> str:
        return f"{self.user} likes {self.post}"


class Follow(models.Model):
    """A signed-in user following a site: its new posts appear in their Reader."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "user"], name="one_follow_per_user")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.site}"


class Subscriber(models.Model):
    """Someone who asked for a site's new posts by e-mail (double opt-in)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField(max_length=254)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "email"],
                                               name="one_subscription_per_email")]
        indexes = [models.Index(fields=["site"], condition=Q(confirmed_at__isnull=False),
                                name="subscriber_confirmed_idx")]

    def __str__(self) -> str:
        return f"{self.email} → {self.site}"


class CommentSubscription(models.Model):
    """"Notify me of new comments": one address following one post's conversation."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comment_subscriptions")
    email = models.EmailField(max_length=254)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "email"],
                                               name="one_comment_subscription_per_email")]

    def __str__(self) -> str:
        return f"{self.email} follows comments on {self.post}"
