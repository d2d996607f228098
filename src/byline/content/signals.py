"""Every change to what a site shows bumps the site's content version (the page cache's
key), whichever entry point made it: the dashboard, the APIs, the importer, the admin."""

from django.db import transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from byline.tenancy.services import bump_content_version

from .models import Category, Media, Post, RelatedLink, Status, Tag


def _bump(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    site_id = getattr(instance, "site_id", None)
    if site_id is None and isinstance(instance, RelatedLink):
        site_id = Post.objects.filter(pk=instance.post_id).values_list("site_id", flat=True).first()
    if site_id:
        bump_content_version(site_id)
    if isinstance(instance, Post) and kwargs.get("signal") is not post_delete:
        _bump_when_due(instance)


def next_public_change(site_id: int):
    """When the next scheduled post of the site goes public, or None."""
    return Post.objects.filter(
        site_id=site_id, status__in=(Status.PUBLISHED, Status.SCHEDULED),
        published_at__gt=timezone.now(), trashed_at__isnull=True,
    ).aggregate(due=Min("published_at"))["due"]


def _bump_when_due(post: Post) -> None:
    # A post scheduled for later goes public by the clock alone: the site remembers when
    # (caches bound their lifetime by it) and a task bumps the version then, so cached
    # pages (and nginx's files) show it on time.
    from byline.tenancy.models import Site

    from .tasks import site_changes_due

    due = post.published_at
    if (post.status in (Status.PUBLISHED, Status.SCHEDULED) and due is not None
            and due > timezone.now()):
        Site.objects.filter(pk=post.site_id).update(next_change_at=next_public_change(
            post.site_id))
        if site_changes_due.get_backend().supports_defer:
            site_id = post.site_id
            transaction.on_commit(
                lambda: site_changes_due.using(run_after=due).enqueue(site_id=site_id))


def _bump_m2m(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and getattr(instance, "site_id", None):
        bump_content_version(instance.site_id)


PROFILE_FIELDS = {"display_name", "bio", "website", "avatar", "first_name", "last_name",
                  "username"}


def _profile_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    # The author box and bylines show a profile: the sites where it appears change with it.
    # A save of other fields only (last_login at every sign-in) changes no page.
    if raw or (update_fields is not None and not PROFILE_FIELDS & set(update_fields)):
        return
    site_ids = set(Post.objects.filter(author=instance).values_list("site_id", flat=True))
    for site_id in site_ids:
        bump_content_version(site_id)


def connect() -> None:
    from django.contrib.auth import get_user_model

    post_save.connect(_profile_saved, sender=get_user_model(), dispatch_uid="bump-profile")
    for model in (Post, Category, Tag, Media, RelatedLink):
        post_save.connect(_bump, sender=model, dispatch_uid=f"bump-{model.__name__}-save")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"bump-{model.__name__}-delete")
    for through in (Post.categories.through, Post.tags.through):
        m2m_changed.connect(_bump_m2m, sender=through, dispatch_uid=f"bump-{through.__name__}")
