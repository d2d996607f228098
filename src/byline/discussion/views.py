"""The site side of the conversation: posting a comment from the form under a post."""

from django.core.exceptions import ValidationError
from django.core.signing import BadSignature
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_POST

from byline.content.models import Post
from byline.reader import views as reader_views

from . import services
from .csrf import guest_forms_csrf
from .forms import CommentForm
from .models import Comment

AUTHOR_COOKIE = "comment_author"
AUTHOR_SALT = "byline.discussion.comment-author"
AUTHOR_MAX_AGE = 365 * 24 * 3600
MINE_COOKIE = "comments_mine"
MINE_SALT = "byline.discussion.comments-mine"
MINE_MAX_AGE = 30 * 24 * 3600
MINE_KEEP = 20


def remembered_author(request: HttpRequest) -> dict:
    """Name, e-mail and website saved by the "remember me" box, or {}."""
    try:
        value = request.get_signed_cookie(AUTHOR_COOKIE, salt=AUTHOR_SALT,
                                          max_age=AUTHOR_MAX_AGE)
    except (KeyError, BadSignature):
        return {}
    parts = value.split("\n")
    if len(parts) != 3:
        return {}
    return dict(zip(("author", "email", "url"), parts, strict=True))


def my_comment_ids(request: HttpRequest) -> list[int]:
    """The comments this browser posted (so a guest sees their own held comment)."""
    try:
        value = request.get_signed_cookie(MINE_COOKIE, salt=MINE_SALT, max_age=MINE_MAX_AGE)
    except (KeyError, BadSignature):
        return []
    return [int(part) for part in value.split(",") if part.isdigit()][-MINE_KEEP:]


def _client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a proxy we trust
    # sets it, and a forged one would dodge the flood limits.
    return request.META.get("REMOTE_ADDR") or None


def _set_cookie(request, response, key, value, *, salt, max_age) -> None:
    response.set_signed_cookie(key, value, salt=salt, max_age=max_age, httponly=True,
                               samesite="Lax", secure=request.is_secure())


def _form_page(request: HttpRequest, post: Post, form: CommentForm, status: int) -> HttpResponse:
    """The post page again, with the form as sent and its errors: nothing typed is lost."""
    request.comment_form = form
    response = reader_views.render_entry(request, post, "post.html")
    response.status_code = status
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


@guest_forms_csrf
@require_POST
def comment_post(request: HttpRequest, post_id: int) -> HttpResponse:
    """POST from "Leave a Reply": store the comment, or show the form again with why not."""
    # No joins: the site is the request's, and the author and image are only needed when
    # the form comes back with errors (then they load on use).
    post = get_object_or_404(Post.objects.for_site(request.site).posts().published(),
                             pk=post_id)
    post.site = request.site
    if post.password and not reader_views.entry_unlocked(request, post):
        return redirect(post.get_absolute_url())
    form = CommentForm(request.POST, post_id=post.pk)
    if form.is_bot:
        # Honeypot filled: a script. Answer like a success and keep nothing.
        return redirect(post.get_absolute_url() + "#comments")
    if not form.is_valid():
        return _form_page(request, post, form, 400)
    data = form.cleaned_data
    parent = None
    if data.get("parent"):
        parent = Comment.objects.filter(post=post, pk=data["parent"]).first()
        if parent is None:
            form.add_error(None, "The comment you are replying to is not here.")
            return _form_page(request, post, form, 400)
    try:
        comment = services.comment_post(
            post=post, body=data["comment"], parent=parent, user=request.user,
            author_name=data["author"], author_email=data["email"], author_url=data["url"],
            ip=_client_ip(request), user_agent=request.headers.get("User-Agent", ""),
            referrer=request.headers.get("Referer", ""),
            notify_replies=data["notify_replies"], notify_post=data["notify_post"])
    except services.CommentRefused as exc:
        form.add_service_error(exc)
        return _form_page(request, post, form, exc.status_code)
    except ValidationError as exc:
        form.add_service_error(exc)
        return _form_page(request, post, form, 400)

    response = redirect(f"{post.get_absolute_url()}#{comment.anchor}")
    if comment.status == Comment.Status.PENDING:
        ids = [*my_comment_ids(request), comment.pk][-MINE_KEEP:]
        _set_cookie(request, response, MINE_COOKIE, ",".join(map(str, ids)), salt=MINE_SALT,
                    max_age=MINE_MAX_AGE)
    if not request.user.is_authenticated:
        if data["remember"]:
            value = "\n".join((comment.author_name, comment.author_email, comment.author_url))
            _set_cookie(request, response, AUTHOR_COOKIE, value, salt=AUTHOR_SALT,
                        max_age=AUTHOR_MAX_AGE)
        else:
            response.delete_cookie(AUTHOR_COOKIE, samesite="Lax")
    return response
