"""The optional Akismet check of new comments, and what moderators teach it.

Off unless ``BYLINE_AKISMET_KEY`` is set: then no request ever leaves. With a key, a
comment from a guest or a signed-in reader (never a member of the site) that the site's
own rules did not already call spam is stored as pending, and ``comment_check`` asks
Akismet after commit, outside the request: "spam" sends it to Spam (kept, never
discarded, even when Akismet says it may be), "ham" gives it the status the site's rules
meant. A slow, broken or refusing Akismet fails open: the rules' status, a warning in
the log, nothing lost. Moderators marking spam or not-spam in the dashboard are reported
back (submit-spam / submit-ham), also in a task.

Why a task rather than a call during the request: posting runs in one transaction that,
on SQLite, holds the write lock; a network call there would stall every other writer for
as long as Akismet takes. Why our own client (~80 lines of the standard library) rather
than the ``akismet`` package: that one hard-codes the service's address (tests could not
point it at a local server but by swapping its HTTP transport) and brings httpx in,
for three form POSTs.
"""

import enum
import logging
from datetime import UTC, datetime
from http.client import HTTPMessage
from importlib.metadata import PackageNotFoundError, version
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urljoin
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import transaction
from django_tasks import task

from . import notify, services
from .models import Comment, CommentSubscription
from .tasks import comment_notify

log = logging.getLogger(__name__)

THANKS = "Thanks for making the web a better place."
# A referrer is an address; past this length it only bloats the task queue's rows.
MAX_REFERRER = 1000

try:
    _VERSION = version("byline")
except PackageNotFoundError:  # running from a source tree that was never installed
    _VERSION = "dev"
USER_AGENT = f"Byline/{_VERSION} | Akismet/1.1"


class AkismetError(Exception):
    """Akismet gave no usable answer: unreachable, too slow, an HTTP error, an invalid
    key, or a reply outside its protocol."""


class Answer(enum.Enum):
    HAM = "ham"
    SPAM = "spam"
    DISCARD = "discard"  # blatant spam; Akismet says it may be dropped (we keep it as spam)


def enabled() -> bool:
    return bool(settings.BYLINE_AKISMET_KEY)


def _post(endpoint: str, params: dict[str, str]) -> tuple[str, HTTPMessage]:
    url = urljoin(settings.BYLINE_AKISMET_URL, endpoint)
    data = urlencode({"api_key": settings.BYLINE_AKISMET_KEY, **params}).encode()
    sent = {"User-Agent": USER_AGENT,
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    # The address is the operator's setting, which settings check to be http(s).
    request = Request(url, data=data, method="POST", headers=sent)  # noqa: S310
    try:
        # The timeout bounds the connection and each read: Akismet answers in one packet.
        with urlopen(request, timeout=settings.BYLINE_AKISMET_TIMEOUT) as response:  # noqa: S310
            body = response.read(4096).decode("utf-8", "replace").strip()
            headers = response.headers
    except HTTPError as exc:
        raise AkismetError(f"{endpoint}: HTTP {exc.code}") from exc
    except (URLError, OSError, ValueError) as exc:  # refused, timed out, reset, bad URL
        raise AkismetError(f"{endpoint}: {exc}") from exc
    if body == "invalid":
        raise AkismetError(f"{endpoint}: the API key was refused "
                           f"({headers.get('X-akismet-debug-help', 'no detail')})")
    return body, headers


def check(params: dict[str, str]) -> Answer:
    """Akismet's comment-check: spam, blatant spam (discard) or ham."""
    body, headers = _post("comment-check", params)
    if body == "true":
        if headers.get("X-akismet-pro-tip", "").strip().lower() == "discard":
            return Answer.DISCARD
        return Answer.SPAM
    if body == "false":
        return Answer.HAM
    raise AkismetError(f"comment-check: unexpected answer {body[:80]!r} "
                       f"({headers.get('X-akismet-debug-help', 'no detail')})")


def submit(*, spam: bool, params: dict[str, str]) -> None:
    """Tell Akismet it missed a spam (``spam=True``) or wrongly called one (False)."""
    endpoint = "submit-spam" if spam else "submit-ham"
    body, _ = _post(endpoint, params)
    if body != THANKS:
        raise AkismetError(f"{endpoint}: unexpected answer {body[:80]!r}")


def _gmt(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def comment_params(comment: Comment, *, referrer: str = "") -> dict[str, str]:
    """What Akismet is told of a comment (the more, the better it judges); empty values
    are left out. Addresses are absolute, in the /@slug/ form mail links use."""
    site, post = comment.site, comment.post
    kind = comment.kind
    if kind == Comment.Kind.COMMENT and comment.parent_id is not None:
        kind = "reply"
    params = {
        "blog": notify.site_link(site, "reader:home"),
        "user_ip": comment.author_ip or "",
        "user_agent": comment.user_agent,
        "referrer": referrer[:MAX_REFERRER],
        "permalink": notify.post_link(post),
        "comment_type": kind,
        "comment_author": comment.author_name,
        "comment_author_email": comment.author_email,
        "comment_author_url": comment.author_url,
        "comment_content": comment.body,
        "comment_date_gmt": _gmt(comment.created_at),
        "comment_post_modified_gmt": _gmt(post.updated_at),
        "blog_lang": site.language,
        "blog_charset": "UTF-8",
        "user_role": (site.role_of(comment.user) or "reader") if comment.user_id else "",
        "is_test": "1" if settings.BYLINE_AKISMET_TEST else "",
    }
    return {name: value for name, value in params.items() if value}


def wants_check(*, site, user, status: str, ip: str | None) -> bool:
    """Whether a new comment waits for Akismet: a key is set, the site's rules did not
    already call it spam, it came from an address, and not from a member of the site."""
    if not enabled() or status == Comment.Status.SPAM or not ip:
        return False
    return user is None or site.role_of(user) is None


def check_later(*, comment: Comment, status_if_ham: str, referrer: str = "",
                notify_post: bool = False) -> None:
    """Ask Akismet about `comment` (stored as pending) once the transaction commits."""
    transaction.on_commit(lambda: comment_check.enqueue(
        comment_id=comment.pk, status_if_ham=status_if_ham,
        referrer=(referrer or "")[:MAX_REFERRER], notify_post=notify_post))


def _pending(comment_id: int) -> Comment | None:
    return (Comment.objects.select_related("site", "post__site", "user")
            .filter(pk=comment_id, status=Comment.Status.PENDING).first())


@task()
def comment_check(*, comment_id: int, status_if_ham: str, referrer: str = "",
                  notify_post: bool = False) -> str:
    """Akismet's verdict on a new comment, applied; returns what happened.

    Acts only on a comment still pending: one a moderator handled meanwhile, or one this
    task already released, is left alone (so running twice does no harm)."""
    comment = _pending(comment_id)
    if comment is None:
        return "skipped"
    try:
        answer = check(comment_params(comment, referrer=referrer))
    except AkismetError as exc:
        log.warning("Akismet could not check comment %s; keeping the site's rules' "
                    "decision (%s): %s", comment_id, status_if_ham, exc)
        answer = None
    with transaction.atomic():
        # Again, now under a lock: a moderator may have acted while Akismet thought.
        comment = (Comment.objects.select_for_update(of=("self",))
                   .select_related("site", "post__site")
                   .filter(pk=comment_id, status=Comment.Status.PENDING).first())
        if comment is None:
            return "skipped"
        if answer in (Answer.SPAM, Answer.DISCARD):
            services.comment_spam(comment=comment)
            log.info("comment %s: spam (Akismet%s)", comment_id,
                     ", blatant" if answer is Answer.DISCARD else "")
            return answer.value
        if notify_post and comment.author_email:
            CommentSubscription.objects.get_or_create(post=comment.post,
                                                      email=comment.author_email.lower())
        if status_if_ham == Comment.Status.APPROVED:
            services.comment_approve(comment=comment)  # mails after commit
        else:
            transaction.on_commit(lambda: comment_notify.enqueue(comment_id=comment_id))
    return answer.value if answer is not None else "unchecked"


def moderated(*, comment: Comment, was: str) -> None:
    """After a moderator moved `comment` from status `was`: teach Akismet, after commit,
    that it is spam (moved to Spam) or is not (moved out of Spam to the conversation)."""
    if not enabled() or was == comment.status:
        return
    if comment.status == Comment.Status.SPAM:
        spam = True
    elif was == Comment.Status.SPAM and comment.status in (Comment.Status.APPROVED,
                                                            Comment.Status.PENDING):
        spam = False
    else:
        return
    transaction.on_commit(lambda: comment_report.enqueue(comment_id=comment.pk, spam=spam))


@task()
def comment_report(*, comment_id: int, spam: bool) -> bool:
    """Submit a moderator's spam / not-spam decision; False when nothing was sent (the
    comment is gone, has no address to report, or Akismet failed: logged)."""
    comment = (Comment.objects.select_related("site", "post__site", "user")
               .filter(pk=comment_id).first())
    if comment is None or not comment.author_ip or not enabled():
        return False
    try:
        submit(spam=spam, params=comment_params(comment))
    except AkismetError as exc:
        log.warning("Akismet did not take the %s report of comment %s: %s",
                    "spam" if spam else "ham", comment_id, exc)
        return False
    return True
