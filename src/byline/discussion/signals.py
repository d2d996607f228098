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


def _profile_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    # A commenter's name and avatar show under their comments (see content/signals.py).
    from byline.content.signals import PROFILE_FIELDS

    if raw or (update_fields is not None and not PROFILE_FIELDS & set(update_fields)):
        return
    for site_id in set(Comment.objects.filter(user=instance).values_list("site_id", flat=True)):
        bump_content_version(site_id)


def connect() -> None:
    from django.contrib.auth import get_user_model

    post_save.connect(_profile_saved, sender=get_user_model(),
                      dispatch_uid="bump-commenter-profile")
    post_save.connect(_comment_saved, sender=Comment, dispatch_uid="bump-comment-save")
    post_delete.connect(_changed, sender=Comment, dispatch_uid="bump-comment-delete")
    post_save.connect(_changed, sender=Like, dispatch_uid="bump-like-save")
    post_delete.connect(_changed, sender=Like, dispatch_uid="bump-like-delete")
