"""Background work for the public side. Tasks take ids, load rows themselves and are
idempotent: running one twice does no harm."""

from django_tasks import task

from byline.content.models import Post

from .related import store_related


@task()
def compute_related_posts(post_ids: list[int]) -> int:
    """Choose and store the automatic related posts of these posts (those that still
    exist); return how many posts were done."""
    done = 0
    for post in Post.objects.select_related("site").filter(pk__in=post_ids).order_by("pk"):
        store_related(post)
        done += 1
    return done
