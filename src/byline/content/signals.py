"""Every change to what a site shows bumps the site's content version (the page cache's
key), whichever entry point made it: the dashboard, the APIs, the importer, the admin."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from byline.tenancy.services import bump_content_version

from .models import Category, Media, Post, RelatedLink, Tag


def _bump(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    site_id = getattr(instance, "site_id", None)
    if site_id is None and isinstance(instance, RelatedLink):
        site_id = Post.objects.filter(pk=instance.post_id).values_list("site_id", flat=True).first()
    if site_id:
        bump_content_version(site_id)


def _bump_m2m(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and getattr(instance, "site_id", None):
        bump_content_version(instance.site_id)


def connect() -> None:
    for model in (Post, Category, Tag, Media, RelatedLink):
        post_save.connect(_bump, sender=model, dispatch_uid=f"bump-{model.__name__}-save")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"bump-{model.__name__}-delete")
    for through in (Post.categories.through, Post.tags.through):
        m2m_changed.connect(_bump_m2m, sender=through, dispatch_uid=f"bump-{through.__name__}")
