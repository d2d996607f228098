"""Building and sending the conversation's mail: subscription confirmations, new posts
for subscribers, and comment notices for authors and commenters.

Mail leaves the request: tasks in `tasks.py` call these functions with rows they
loaded themselves. Every mail a reader did not ask for one by one carries a one-click
unsubscribe link and the RFC 8058 List-Unsubscribe headers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import NoReverseMatch

from byline.content.models import Post
from byline.tenancy.models import Site
from byline.tenancy.urls import platform_path, site_path

from .models import Comment, Subscriber

REPLIES_SALT = "byline.discussion.notify-replies"

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def one_line(text: str) -> str:
    """Text safe for a mail header: control characters (CR, LF, tabs) become spaces, so a
    name or title can never add a header of its own."""
    return " ".join(_CONTROL.sub(" ", text).split())


def base_url() -> str:
    """The platform's address for links in mail, from settings (there is no request)."""
    scheme = "https" if getattr(settings, "BYLINE_HTTPS", False) else "http"
    return f"{scheme}://{settings.BYLINE_BASE_DOMAIN}"


def site_link(site: Site, viewname: str, *args) -> str:
    """An absolute link to a site page, in the /@slug/ form on the platform host, where
    the reader's session lives."""
    return base_url() + site_path(site, viewname, *args)


def platform_link(viewname: str, *args) -> str:
    return base_url() + platform_path(viewname, *args)


def post_link(post: Post) -> str:
    return site_link(post.site, "reader:post", *post.local_date_parts(), post.slug)


def replies_token(comment: Comment) -> str:
    """A signed token that turns off "notify me of replies" for one comment."""
    return signing.dumps(comment.pk, salt=REPLIES_SALT)


def comment_from_replies_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=REPLIES_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def from_address(site: Site) -> str:
    """The site's name in front of the platform's sending address, on one line."""
    name = one_line(site.title).replace('"', "'")
    address = settings.DEFAULT_FROM_EMAIL
    match = re.search(r"<([^>]+)>", address)
    return f'"{name}" <{match.group(1) if match else address}>'


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    unsubscribe_url: str | None = None


def build(mail: Mail, site: Site, connection=None) -> EmailMessage:
    headers = {}
    if mail.unsubscribe_url:
        # RFC 8058: a provider's one-click button POSTs "List-Unsubscribe=One-Click" to
        # this address; the view accepts that POST without a CSRF token.
        headers["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return EmailMessage(subject=one_line(mail.subject), body=mail.body,
                        from_email=from_address(site), to=[one_line(mail.to)],
                        headers=headers, connection=connection)


def send_all(mails: Iterable[Mail], site: Site) -> int:
    """Send each mail separately (each has its own unsubscribe link) over one
    connection; return how many were sent."""
    mails = list(mails)
    if not mails:
        return 0
    with get_connection() as connection:
        return sum(build(mail, site, connection).send() for mail in mails)


def _render(name: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"discussion/email/{name}_subject.txt", context)
    body = render_to_string(f"discussion/email/{name}_message.txt", context)
    return one_line(subject), body


# --------------------------------------------------------------------------------------
# Subscribers
# --------------------------------------------------------------------------------------


def confirmation_mail(subscriber: Subscriber) -> Mail:
    site = subscriber.site
    context = {
        "site": site,
        "site_url": site_link(site, "reader:home"),
        "confirm_url": site_link(site, "discussion:subscribe_confirm", subscriber.token),
    }
    subject, body = _render("subscribe_confirm", context)
    # No List-Unsubscribe: nothing is subscribed until the reader confirms.
    return Mail(to=subscriber.email, subject=subject, body=body)


def new_post_mails(post: Post, subscribers: Iterable[Subscriber]) -> list[Mail]:
    site = post.site
    mails = []
    for subscriber in subscribers:
        unsubscribe = site_link(site, "discussion:unsubscribe", subscriber.token)
        subject, body = _render("new_post", {
            "site": site, "post": post, "post_url": post_link(post),
            "unsubscribe_url": unsubscribe,
        })
        mails.append(Mail(to=subscriber.email, subject=subject, body=body,
                          unsubscribe_url=unsubscribe))
    return mails


# --------------------------------------------------------------------------------------
# Comments
# --------------------------------------------------------------------------------------


def _dashboard_link(site: Site, viewname: str, *args) -> str:
    """A moderation link; should a dashboard screen be missing (the dashboard is built
    alongside), fall back to the site's dashboard home rather than fail the mail."""
    try:
        return platform_link(viewname, site.slug, *args)
    except NoReverseMatch:
        return platform_link("dashboard:site", site.slug)


def _same_person(comment: Comment, email: str, user_id: int | None) -> bool:
    if user_id is not None and comment.user_id == user_id:
        return True
    own = {(comment.author_email or "").lower()}
    if comment.user is not None:
        own.add((comment.user.email or "").lower())
    return bool(email) and email.lower() in own - {""}


def comment_mails(comment: Comment) -> list[Mail]:
    """Everyone who should hear of this comment, and what they read. The commenter never
    hears of their own comment; nobody gets two mails about one comment."""
    post, site = comment.post, comment.site
    author = post.author
    context = {
        "site": site, "post": post, "comment": comment,
        "author_name": one_line(comment.author_name),
        "comment_url": f"{post_link(post)}#{comment.anchor}",
    }
    mails: list[Mail] = []
    mailed: set[str] = set()

    def add(email: str, mail: Mail) -> None:
        mails.append(mail)
        mailed.add(email.lower())

    if comment.status == Comment.Status.PENDING:
        if author.email and not _same_person(comment, author.email, author.pk):
            subject, body = _render("comment_moderate", {
                **context,
                "approve_url": _dashboard_link(site, "dashboard:comment_approve", comment.pk),
                "spam_url": _dashboard_link(site, "dashboard:comment_spam", comment.pk),
                "queue_url": _dashboard_link(site, "dashboard:comments"),
            })
            add(author.email, Mail(to=author.email, subject=subject, body=body))
        return mails
    if comment.status != Comment.Status.APPROVED:
        return mails

    if author.email and not _same_person(comment, author.email, author.pk):
        subject, body = _render("comment_new_author", context)
        add(author.email, Mail(to=author.email, subject=subject, body=body))

    parent = comment.parent
    if (parent is not None and parent.notify_replies and parent.author_email
            and parent.status == Comment.Status.APPROVED
            and not _same_person(comment, parent.author_email, parent.user_id)
            and parent.author_email.lower() not in mailed):
        unsubscribe = site_link(site, "discussion:unsubscribe_replies", replies_token(parent))
        subject, body = _render("comment_reply", {**context, "parent": parent,
                                                  "unsubscribe_url": unsubscribe})
        add(parent.author_email, Mail(to=parent.author_email, subject=subject, body=body,
                                      unsubscribe_url=unsubscribe))

    for subscription in post.comment_subscriptions.order_by("pk"):
        if subscription.email.lower() in mailed or _same_person(comment, subscription.email,
                                                                  None):
            continue
        unsubscribe = site_link(site, "discussion:unsubscribe_comments", subscription.token)
        subject, body = _render("comment_new_subscriber", {**context,
                                                           "unsubscribe_url": unsubscribe})
        add(subscription.email, Mail(to=subscription.email, subject=subject, body=body,
                                     unsubscribe_url=unsubscribe))
    return mails
