"""Likes, follows and e-mail subscriptions: the writes behind the Like button, the
Follow button and the "subscribe by e-mail" form, plus the hook that mails a new post.

Every write is a keyword-only, atomic service; mail goes out after commit, by id,
through the tasks in `tasks.py`."""

from __future__ import annotations

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from byline.content.models import Kind, Post, Status
from byline.tenancy.models import Site

from .models import Comment, CommentSubscription, Follow, Like, Subscriber

# How long an unconfirmed address must wait before another confirmation mail is sent:
# the public form must not become a way to flood a stranger's inbox.
CONFIRMATION_RESEND_SECONDS = 15 * 60


def likeable_posts(site: Site) -> QuerySet[Post]:
    """The posts of a site a reader may like: public posts, never drafts or pages."""
    return Post.objects.for_site(site).posts().published()


@transaction.atomic
def like_toggle(*, post: Post, user) -> bool:
    """Like the post, or take the like back if there was one; return whether it is liked.

    Never a double count: the (post, user) unique constraint is the arbiter. When two
    clicks race, both find no row and both insert; the loser's insert fails inside its
    savepoint and it reports "liked", which is what that click asked for. On PostgreSQL
    the second insert waits for the first transaction and then fails; on SQLite writers
    are serialised by the IMMEDIATE transaction mode, so the second click sees the
    first one's row and takes the like back (a toggle), still never two rows."""
    deleted, _ = Like.objects.filter(post=post, user=user).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Like.objects.create(site_id=post.site_id, post=post, user=user)
    except IntegrityError:
        pass  # a concurrent click stored it first: liked, once
    return True


@transaction.atomic
def follow_toggle(*, site: Site, user) -> bool:
    """Follow the site, or stop following it; return whether the user follows it now.
    Concurrent clicks are settled by the unique constraint as for likes."""
    deleted, _ = Follow.objects.filter(site=site, user=user).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Follow.objects.create(site=site, user=user)
    except IntegrityError:
        pass
    return True


def normalize_email(email: str) -> str:
    """One spelling per address, so "Ann@Example.com" and "ann@example.com" are one
    subscription (mail providers treat the local part case-insensitively in practice)."""
    return email.strip().lower()


@transaction.atomic
def subscriber_request(*, site: Site, email: str) -> Subscriber:
    """Ask for a site's new posts by e-mail: store the address unconfirmed and mail it a
    confirmation link (double opt-in).

    The caller shows the same answer whatever happened here, so nobody can learn from
    the form whether an address is subscribed. A confirmed address gets no mail; an
    unconfirmed one gets at most one confirmation per CONFIRMATION_RESEND_SECONDS."""
    from .tasks import subscriber_confirmation_send

    email = normalize_email(email)
    try:
        with transaction.atomic():
            subscriber, _ = Subscriber.objects.get_or_create(site=site, email=email)
    except IntegrityError:  # the same address submitted twice at once
        subscriber = Subscriber.objects.get(site=site, email=email)
    if subscriber.confirmed_at is None and cache.add(
            f"subscribe-confirm-sent-{subscriber.pk}", 1, timeout=CONFIRMATION_RESEND_SECONDS):
        subscriber_id = subscriber.pk
        transaction.on_commit(
            lambda: subscriber_confirmation_send.enqueue(subscriber_id=subscriber_id))
    return subscriber


@transaction.atomic
def subscriber_confirm(*, site: Site, token: str) -> Subscriber | None:
    """Confirm the subscription to `site` that owns this token (from the confirmation
    mail); None if the token is unknown. Confirming twice changes nothing."""
    subscriber = Subscriber.objects.select_for_update().filter(site=site, token=token).first()
    if subscriber is None:
        return None
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    return subscriber


@transaction.atomic
def subscriber_remove(*, site: Site, token: str) -> bool:
    """Unsubscribe from `site`: forget the address entirely. Unknown tokens are a quiet
    no-op so a repeated click, or a mail provider's one-click POST, always succeeds."""
    deleted, _ = Subscriber.objects.filter(site=site, token=token).delete()
    return bool(deleted)


@transaction.atomic
def comment_subscription_remove(*, site: Site, token: str) -> bool:
    """Stop "notify me of new comments" for one post of `site`; quiet if already gone."""
    deleted, _ = CommentSubscription.objects.filter(post__site=site, token=token).delete()
    return bool(deleted)


@transaction.atomic
def comment_replies_mute(*, comment: Comment) -> None:
    """Stop "notify me of replies" for one comment (the link in a reply notice)."""
    Comment.objects.filter(pk=comment.pk).update(notify_replies=False)


def post_published(*, post: Post) -> None:
    """Mail a newly public post to the site's confirmed subscribers, after commit.

    Call it wherever a post may have become public (publishing, or saving a published
    post) or been scheduled (then the mail is queued for its time, where the queue can
    defer). It is safe to call more than once: the task mails each post at most once and
    ignores posts that are not public."""
    from .tasks import post_published_notify

    if post.kind != Kind.POST or post.trashed_at is not None:
        return
    post_id = post.pk
    if post.is_public:
        transaction.on_commit(lambda: post_published_notify.enqueue(post_id=post_id))
        return
    due = post.published_at
    if (post.status in (Status.PUBLISHED, Status.SCHEDULED) and due is not None
            and post_published_notify.get_backend().supports_defer):
        # Scheduled: publishing is a query, so nothing happens when its time comes; the
        # mail waits in the queue until then (and does nothing if the post moved or went
        # back to draft meanwhile: the task looks again).
        transaction.on_commit(
            lambda: post_published_notify.using(run_after=due).enqueue(post_id=post_id))
