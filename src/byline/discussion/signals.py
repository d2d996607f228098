"""An approved comment (or one that stops being approved) and a like change what a post
shows: bump the site's content version, the page cache's key."""

from django.db.models.signals import post_delete, post_save

from byline.tenancy.services import bump_content_version

from .models import Comment, Like


def _comment_saved(sender, instance: Comment, raw=False, **kwargs) -> None:
    # A pending comment shows only to its author, who gets fresh pages (their cookie);
    # a change away from approved goes through services._set_status, which bumps.
    if not raw and instance.status == Comment.Status.APPROVED:
        bump_content_version(instance.site_id)


def _changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        bump_content_version(instance.site_id)


def connect() -> None:
    post_save.connect(_comment_saved, sender=Comment, dispatch_uid="bump-comment-save")
    post_delete.connect(_changed, sender=Comment, dispatch_uid="bump-comment-delete")
    post_save.connect(_changed, sender=Like, dispatch_uid="bump-like-save")
    post_delete.connect(_changed, sender=Like, dispatch_uid="bump-like-delete")
