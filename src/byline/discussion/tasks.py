"""Background work for the conversation: mail, sent outside the request that caused it.
Tasks take ids, load the rows themselves and may run twice without harm."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from byline.content.models import Post

from . import notify
from .models import Comment, Subscriber

# A post published long ago (an import, or an old draft re-dated into the past) is not
# news: subscribers hear only of posts that went public recently.
NEW_POST_WINDOW = timedelta(days=2)


@task()
def subscriber_confirmation_send(*, subscriber_id: int) -> bool:
    """Mail the double opt-in link, unless the address was confirmed or removed since."""
    subscriber = (Subscriber.objects.select_related("site")
                  .filter(pk=subscriber_id, confirmed_at__isnull=True).first())
    if subscriber is None:
        return False
    return notify.send_all([notify.confirmation_mail(subscriber)], subscriber.site) == 1


@task()
def post_published_notify(*, post_id: int) -> int:
    """Mail a newly public post to its site's confirmed subscribers, once.

    The once-guard is a cache key added before sending: a second run (a retry, or a post
    saved twice) finds it and does nothing. It lives as long as the cache keeps it; a
    cache flush or a non-shared cache could let a post be mailed again (a DB marker
    would be more durable). Marking before sending means a crash mid-way mails some
    subscribers and not the rest, rather than mailing anyone twice."""
    post = Post.objects.select_related("site").filter(pk=post_id, kind="post").first()
    if post is None or not post.is_public or post.password:
        return 0  # not public (yet): a scheduled post is mailed by a later call
    if post.published_at < timezone.now() - NEW_POST_WINDOW:
        return 0
    if not cache.add(f"mailed-post-{post_id}", 1, timeout=None):
        return 0
    subscribers = Subscriber.objects.filter(site=post.site, confirmed_at__isnull=False)
    return notify.send_all(notify.new_post_mails(post, subscribers.order_by("pk")), post.site)


@task()
def comment_notify(*, comment_id: int) -> int:
    """Tell the post's author of a new or held comment, the parent commenter of a reply
    (if they asked), and the post's comment subscribers of an approved comment.

    Once per comment and status: the held notice and, after approval, the new-comment
    notices each go out once however often the task runs."""
    comment = (Comment.objects.select_related("site", "post__site", "post__author", "parent",
                                              "user")
               .filter(pk=comment_id, kind=Comment.Kind.COMMENT).first())
    if comment is None:
        return 0
    if comment.status not in (Comment.Status.APPROVED, Comment.Status.PENDING):
        return 0
    if not cache.add(f"mailed-comment-{comment_id}-{comment.status}", 1, timeout=None):
        return 0
    return notify.send_all(notify.comment_mails(comment), comment.site)
