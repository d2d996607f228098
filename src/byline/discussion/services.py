"""Writes to the conversation: posting comments and moderating them.

Every entry point (the site's comment form, the dashboard, APIs, the importer) goes through
these functions, so the rules (closed posts, threading, lengths, floods, duplicates,
moderation policy) hold everywhere.
"""

import logging
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from byline.background import enqueue_after_commit
from byline.content.models import Post
from byline.rendering import render_comment
from byline.tenancy.roles import Capability
from byline.tenancy.services import bump_content_version

from . import akismet, rules
from .models import Comment, CommentSubscription

log = logging.getLogger(__name__)

FLOOD_SECONDS = 15  # the default of settings.BYLINE_COMMENT_FLOOD_SECONDS, as WordPress
BURST_WINDOW = timedelta(minutes=10)
BURST_MAX = 10

FLOOD_MESSAGE = "You are posting comments too quickly. Slow down."
BURST_MESSAGE = ("You have posted too many comments in the last few minutes. "
                 "Please wait a while and try again.")
DUPLICATE_MESSAGE = "Duplicate comment detected; it looks as though you’ve already said that!"
CLOSED_MESSAGE = "Comments are closed."

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class CommentRefused(ValidationError):
    """A comment the rules refuse; ``status_code`` is the HTTP status a view should answer."""

    status_code = 400


class CommentsClosed(CommentRefused):
    status_code = 403


class CommentDuplicate(CommentRefused):
    status_code = 409


class CommentFlood(CommentRefused):
    status_code = 429


def comments_open(post: Post, *, now: datetime | None = None) -> bool:
    """Whether the post takes new comments: allowed on it, and not past the site's limit."""
    if not post.allow_comments:
        return False
    days = post.site.comments_close_after_days
    if days and post.published_at is not None:
        return (now or timezone.now()) < post.published_at + timedelta(days=days)
    return True


def thread_depth(comment: Comment) -> int:
    """1 for a top-level comment, 2 for a reply to it, and so on (at most ~10 queries)."""
    depth = 1
    while comment.parent_id is not None:
        comment = comment.parent
        depth += 1
    return depth


def _ancestors(comment: Comment) -> list[Comment]:
    """The comment and its ancestors, top-level first."""
    chain = [comment]
    while chain[-1].parent_id is not None:
        chain.append(chain[-1].parent)
    return list(reversed(chain))


def _clean_url(url: str) -> str:
    """An author URL limited to http(s); a bare host gets http:// as WordPress does."""
    if not url:
        return ""
    if _CONTROL.search(url) or " " in url:
        raise ValidationError({"author_url": "Enter a web address without spaces."})
    match = _SCHEME.match(url)
    if match is None:
        url = "http://" + url
    elif match.group(1).lower() not in ("http", "https"):
        # javascript:, data:, vbscript:, … never become a link (SECURITY-CASES 8).
        raise ValidationError({"author_url": "Enter a web address starting with http:// or "
                                             "https://."})
    return url


def _check_lengths(*, body: str, name: str, email: str, url: str) -> None:
    # Refused with a message, never cut: a cut comment once carried broken HTML
    # (SECURITY-CASES 3). Counted in characters, as the database columns are.
    errors = {}
    for field, value, limit, what in (
        ("body", body, Comment.MAX_BODY, "Your comment"),
        ("author_name", name, Comment.MAX_NAME, "Your name"),
        ("author_email", email, Comment.MAX_EMAIL, "Your e-mail address"),
        ("author_url", url, Comment.MAX_URL, "Your website address"),
    ):
        if len(value) > limit:
            errors[field] = (f"{what} is too long: {len(value):,} characters, "
                             f"at most {limit:,}.")
    if errors:
        raise ValidationError(errors)


def _check_header_safe(*, name: str, email: str) -> None:
    # Names and addresses end up in mail headers; a line break there is an injection
    # attempt, never a typo (SECURITY-CASES A, header injection).
    errors = {}
    if _CONTROL.search(name):
        errors["author_name"] = "Your name cannot contain line breaks or control characters."
    if _CONTROL.search(email):
        errors["author_email"] = ("Your e-mail address cannot contain line breaks or "
                                  "control characters.")
    if errors:
        raise ValidationError(errors)


def _author_q(*, user, email: str) -> Q:
    return Q(user=user) if user is not None else Q(author_email__iexact=email)


def _check_duplicate(*, post: Post, body: str, user, email: str) -> None:
    same = Comment.objects.filter(post=post, body=body).exclude(status=Comment.Status.TRASH)
    if same.filter(_author_q(user=user, email=email)).exists():
        raise CommentDuplicate(DUPLICATE_MESSAGE, code="duplicate")


def _check_flood(*, user, email: str, ip: str | None, now: datetime) -> None:
    # In the database, not in process memory: several web processes share these limits.
    who = _author_q(user=user, email=email)
    if ip:
        who |= Q(author_ip=ip)
    interval = getattr(settings, "BYLINE_COMMENT_FLOOD_SECONDS", FLOOD_SECONDS)
    recent = Comment.objects.filter(created_at__gt=now - timedelta(seconds=interval))
    if recent.filter(who).exists():
        raise CommentFlood(FLOOD_MESSAGE, code="flood")
    if ip and Comment.objects.filter(author_ip=ip,
                                     created_at__gt=now - BURST_WINDOW).count() >= BURST_MAX:
        raise CommentFlood(BURST_MESSAGE, code="burst")


def _resolve_parent(*, post: Post, parent: Comment | None) -> Comment | None:
    """The comment a reply hangs under: approved, on this post; a reply past the site's
    depth hangs under the deepest ancestor that may still have replies (as WordPress)."""
    if parent is None:
        return None
    if (parent.post_id != post.pk or parent.status != Comment.Status.APPROVED):
        raise ValidationError({"parent": "The comment you are replying to is not here."})
    chain = _ancestors(parent)
    max_depth = post.site.comment_thread_depth
    if len(chain) < max_depth:
        return parent
    # A reply sits one level below its parent: the parent may be at most max_depth - 1.
    return chain[max_depth - 2] if max_depth >= 2 else None


def _enqueue_notification(comment_id: int) -> None:
    from .tasks import comment_notify

    enqueue_after_commit(comment_notify, comment_id=comment_id)


@transaction.atomic
def comment_post(*, post: Post, body: str, parent: Comment | None = None, user=None,
                 author_name: str = "", author_email: str = "", author_url: str = "",
                 ip: str | None = None, user_agent: str = "", referrer: str = "",
                 notify_replies: bool = False, notify_post: bool = False,
                 now: datetime | None = None) -> Comment:
    """Store a comment on ``post`` with the status the site's policy gives it.

    Raises ValidationError (field errors), CommentsClosed (403), CommentDuplicate (409) or
    CommentFlood (429). A signed-in ``user`` comments under their account's name and e-mail;
    a guest must give a name and an e-mail address. With an Akismet key, a comment the
    rules let through waits as pending for Akismet's word (see ``akismet``).
    """
    now = now or timezone.now()
    site = post.site
    if not post.is_public or not comments_open(post, now=now):
        raise CommentsClosed(CLOSED_MESSAGE, code="closed")
    if user is not None and not user.is_authenticated:
        user = None
    if user is not None:
        author_name, author_email, author_url = user.get_display_name(), user.email, ""
    body = (body or "").strip()
    author_name = (author_name or "").strip()
    author_email = (author_email or "").strip()
    author_url = (author_url or "").strip()

    _check_lengths(body=body, name=author_name, email=author_email, url=author_url)
    _check_header_safe(name=author_name, email=author_email)
    errors = {}
    if not body:
        errors["body"] = "Please type your comment."
    if user is None and not author_name:
        errors["author_name"] = "Please give your name."
    if user is None and not author_email:
        errors["author_email"] = "Please give your e-mail address (it is never shown)."
    if errors:
        raise ValidationError(errors)
    author_url = _clean_url(author_url)
    _check_lengths(body=body, name=author_name, email=author_email, url=author_url)

    parent = _resolve_parent(post=post, parent=parent)
    is_moderator = user is not None and site.user_can(user, Capability.MODERATE)
    _check_duplicate(post=post, body=body, user=user, email=author_email)
    if not is_moderator:
        _check_flood(user=user, email=author_email, ip=ip, now=now)

    verdict = rules.decide_status(
        policy=site,
        candidate=rules.Candidate(body=body, author_name=author_name, author_email=author_email,
                                  author_url=author_url, author_ip=ip or ""),
        is_moderator=is_moderator,
        has_approved_comment=user is not None and Comment.objects.for_site(site).approved()
        .filter(user=user).exists(),
    )
    ask_akismet = akismet.wants_check(site=site, user=user, status=verdict.status, ip=ip)
    comment = Comment(
        site=site, post=post, parent=parent, kind=Comment.Kind.COMMENT,
        status=Comment.Status.PENDING if ask_akismet else verdict.status,
        user=user, author_name=author_name, author_email=author_email, author_url=author_url,
        author_ip=ip or None,
        # The user agent is a diagnostic, not the commenter's words: keeping its first 255
        # characters loses nothing anyone typed.
        user_agent=(user_agent or "")[:255],
        body=body, html=render_comment(body), notify_replies=notify_replies, created_at=now,
    )
    # The foreign keys were loaded or checked above; full_clean() would probe each again.
    comment.clean_fields(exclude=["site", "post", "parent", "user"])
    comment.save()
    log.info("comment %s on post %s: %s (%s)", comment.pk, post.pk, verdict.status,
             verdict.reason)
    if ask_akismet:
        # Subscribing and mail wait for Akismet's word, in the task.
        akismet.check_later(comment=comment, status_if_ham=verdict.status, referrer=referrer,
                            notify_post=notify_post)
    elif verdict.status != Comment.Status.SPAM:
        if notify_post and author_email:
            CommentSubscription.objects.get_or_create(post=post, email=author_email.lower())
        _enqueue_notification(comment.pk)
    return comment


def _set_status(comment: Comment, status: str) -> Comment:
    was = comment.status
    comment.status = status
    comment.full_clean()
    comment.save(update_fields=["status", "updated_at"])
    if was == Comment.Status.APPROVED and status != Comment.Status.APPROVED:
        bump_content_version(comment.site_id)  # it leaves the public page
    return comment


@transaction.atomic
def comment_approve(*, comment: Comment) -> Comment:
    """Approve a comment; subscribers hear of it once it is visible (after commit)."""
    was = comment.status
    _set_status(comment, Comment.Status.APPROVED)
    if was != Comment.Status.APPROVED:
        transaction.on_commit(lambda: _enqueue_notification(comment.pk))
    return comment


@transaction.atomic
def comment_unapprove(*, comment: Comment) -> Comment:
    """Send a comment back to the moderation queue."""
    return _set_status(comment, Comment.Status.PENDING)


@transaction.atomic
def comment_spam(*, comment: Comment) -> Comment:
    return _set_status(comment, Comment.Status.SPAM)


@transaction.atomic
def comment_trash(*, comment: Comment) -> Comment:
    return _set_status(comment, Comment.Status.TRASH)


@transaction.atomic
def comment_edit(*, comment: Comment, body: str, author_name: str, author_email: str,
                 author_url: str) -> Comment:
    """A moderator's correction of a comment: same length and safety rules, HTML re-rendered."""
    body, author_name = body.strip(), author_name.strip()
    author_email, author_url = author_email.strip(), author_url.strip()
    _check_lengths(body=body, name=author_name, email=author_email, url=author_url)
    _check_header_safe(name=author_name, email=author_email)
    if not body:
        raise ValidationError({"body": "A comment cannot be empty."})
    if not author_name:
        raise ValidationError({"author_name": "A comment needs an author name."})
    author_url = _clean_url(author_url)
    _check_lengths(body=body, name=author_name, email=author_email, url=author_url)
    comment.body, comment.html = body, render_comment(body)
    comment.author_name, comment.author_email, comment.author_url = (
        author_name, author_email, author_url)
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment) -> None:
    """Delete a comment for good, from Spam or the Trash only. Its replies move up to
    its parent, as in WordPress, rather than vanishing with it."""
    if comment.status not in (Comment.Status.SPAM, Comment.Status.TRASH):
        raise ValidationError("Only comments in Spam or the Trash can be deleted permanently.")
    Comment.objects.filter(parent=comment).update(parent=comment.parent_id)
    comment.delete()
