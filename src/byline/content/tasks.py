"""Background work for content. Tasks take ids or nothing, load rows themselves and call
services, so running one twice does no harm."""

from django.utils import timezone
from django_tasks import task

from .models import Post
from .services import scheduled_updates_apply_due


@task()
def apply_due_updates() -> int:
    """Apply every due scheduled update on every site; return how many were applied.

    Readers apply a post's due updates when they open it; this keeps the rest (feeds,
    lists, search) current for posts nobody has opened yet. It spans all sites on
    purpose: a worker serves the whole platform."""
    applied = 0
    due = Post.objects.filter(next_update_at__lte=timezone.now()).order_by("next_update_at", "pk")
    for post in due.select_related("site"):
        applied += scheduled_updates_apply_due(post=post)
    return applied


@task()
def site_changes_due(site_id: int) -> None:
    """A scheduled post of the site has just become public (publishing is a query, so
    nothing was written): bump the site's content version so no cached page hides it."""
    from byline.tenancy.models import Site
    from byline.tenancy.services import bump_content_version

    from .signals import next_public_change

    Site.objects.filter(pk=site_id).update(next_change_at=next_public_change(site_id))
    bump_content_version(site_id)
