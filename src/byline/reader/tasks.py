"""Background work for the public side. Tasks take ids, load rows themselves and are
idempotent: running one twice does no harm."""

from django_tasks import task

from byline.content.models import Post

from .related import store_related


@task()
def compute_related_posts(post_id: int) -> int:
    """Choose and store a post's automatic related posts; return how many were kept."""
    post = Post.objects.select_related("site").filter(pk=post_id).first()
    if post is None:
        return 0
    return len(store_related(post))
