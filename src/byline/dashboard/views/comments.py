"""The comment moderation queue: filters by status and post with counts, search, pages of
20, row and bulk actions (plain forms, so they work without JavaScript), replying and
editing.

Editors and up moderate every comment of the site; an author moderates the comments on
their own posts only (as in WordPress); a contributor not at all.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from byline.content.models import Post
from byline.discussion import akismet, services
from byline.discussion.models import Comment
from byline.tenancy.models import Site

from ..forms_comments import CommentEditForm, CommentReplyForm
from ..permissions import site_view
from .posts import view_url

PER_PAGE = 20
# How many posts the "All posts" select offers: the ones most recently commented on.
POST_CHOICES = 200

Status = Comment.Status
FILTERS = [("all", "All"), ("pending", "Pending"), ("approved", "Approved"), ("spam", "Spam"),
           ("trash", "Trash")]
# "All" is what WordPress means by it: the live conversation, not the bins.
FILTER_STATUSES = {
    "all": (Status.PENDING, Status.APPROVED),
    "pending": (Status.PENDING,),
    "approved": (Status.APPROVED,),
    "spam": (Status.SPAM,),
    "trash": (Status.TRASH,),
}


def _teaching_akismet(write: Callable[..., Comment]) -> Callable[..., Comment]:
    """`write`, then a spam / not-spam decision is reported to Akismet (with a key set)."""
    def do(*, comment: Comment) -> Comment:
        was = comment.status
        write(comment=comment)
        akismet.moderated(comment=comment, was=was)
        return comment
    return do


# action → (the write, what the message says was done)
ACTIONS: dict[str, tuple[Callable[..., object], str]] = {
    "approve": (_teaching_akismet(services.comment_approve), "approved"),
    "unapprove": (_teaching_akismet(services.comment_unapprove), "unapproved"),
    "spam": (_teaching_akismet(services.comment_spam), "marked as spam"),
    "trash": (services.comment_trash, "moved to the Trash"),
    "restore": (_teaching_akismet(services.comment_unapprove), "restored to Pending"),
    "delete": (services.comment_delete, "deleted permanently"),
}
ACTION_LABELS = {"approve": "Approve", "unapprove": "Unapprove", "spam": "Mark as spam",
                 "trash": "Move to Trash", "restore": "Restore to Pending",
                 "delete": "Delete permanently"}
# What the bulk select offers in each view (ACTIONS still refuses a delete of a live one).
BULK_CHOICES = {
    "spam": ("restore", "trash", "delete"),
    "trash": ("restore", "spam", "delete"),
}
LIVE_BULK_CHOICES = ("approve", "unapprove", "spam", "trash")


def moderated_comments(site: Site, user):
    """The comments `user` may moderate on `site`: all of them for editors and up, those on
    their own posts for authors. Anyone else is refused (403)."""
    comments = Comment.objects.for_site(site)
    if site.user_can(user, "moderate"):
        return comments
    if site.user_can(user, "publish_own"):
        return comments.filter(post__author=user)
    raise PermissionDenied("Your role on this site does not allow moderating comments.")


def may_moderate(site: Site, user, comment: Comment) -> bool:
    """Whether `user` may approve, edit, reply to or remove this comment of `site`."""
    if site.user_can(user, "moderate"):
        return True
    return site.user_can(user, "publish_own") and comment.post.author_id == user.pk


def _comment_for(request: HttpRequest, site: Site, pk: int) -> Comment:
    # Another site's comment is not found (404); one this member may not touch is a 403.
    comment = get_object_or_404(
        Comment.objects.for_site(site).select_related("post", "parent"), pk=pk)
    if not may_moderate(site, request.user, comment):
        raise PermissionDenied("You may moderate comments on your own posts only.")
    comment.post.site = site
    return comment


def _queue_url(site: Site) -> str:
    return reverse("dashboard:comments", args=[site.slug])


def _back(request: HttpRequest, site: Site) -> HttpResponse:
    """Back where the moderator came from (the queue with its filters), never off-site."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = _queue_url(site)
    return redirect(target)


def public_url(site: Site, comment: Comment) -> str:
    """Where the comment is read: its post on the public site, at its anchor."""
    return f"{view_url(comment.post)}#{comment.anchor}"


@site_view()
def comments(request: HttpRequest, site: Site) -> HttpResponse:
    """The queue; a POST applies a bulk action to the ticked comments."""
    scope = moderated_comments(site, request.user)
    if request.method == "POST":
        return _bulk(request, site, scope)
    status = request.GET.get("status", "all")
    status = status if status in FILTER_STATUSES else "all"
    query = request.GET.get("q", "").strip()[:200]
    post_id = request.GET.get("post", "")
    post_id = int(post_id) if post_id.isdigit() else None

    counted = scope.filter(post_id=post_id) if post_id else scope
    counts = counted.aggregate(**{key: Count("pk", filter=Q(status__in=statuses))
                                  for key, statuses in FILTER_STATUSES.items()})
    rows = counted.filter(status__in=FILTER_STATUSES[status])
    if query:
        rows = rows.filter(Q(author_name__icontains=query) | Q(author_email__icontains=query)
                           | Q(body__icontains=query))
    rows = (rows.select_related("post", "parent", "user")
            .defer("parent__body", "parent__html", "parent__user_agent")
            .order_by("-created_at", "-pk"))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for comment in page.object_list:
        comment.post.site = site  # one Site instance for every row: no query per row
        comment.public_url = public_url(site, comment)
        comment.post_url = view_url(comment.post)
        if comment.parent is not None:
            comment.parent.post = comment.post
            comment.parent_url = public_url(site, comment.parent)

    posts = list(Post.objects.for_site(site).filter(pk__in=scope.values("post_id"))
                 .order_by("-published_at", "-pk").values_list("pk", "title")[:POST_CHOICES])
    if post_id and post_id not in {pk for pk, _ in posts}:
        posts += list(Post.objects.for_site(site).filter(pk=post_id).values_list("pk", "title"))
    bulk = BULK_CHOICES.get(status, LIVE_BULK_CHOICES)
    params = {"status": status, **({"q": query} if query else {}),
              **({"post": post_id} if post_id else {})}
    with timezone.override(site.tzinfo):
        return render(request, "dashboard/comments/list.html", {
            "site": site, "status": status, "query": query, "post_id": post_id,
            "post_choices": posts, "params": params,
            "filters": [(key, label, counts[key]) for key, label in FILTERS],
            "page_obj": page, "comments": page.object_list,
            "bulk_actions": [(key, ACTION_LABELS[key]) for key in bulk],
            "show_ip": site.user_can(request.user, "moderate"),
        })


def _bulk(request: HttpRequest, site: Site, scope) -> HttpResponse:
    action = request.POST.get("bulk_action", "")
    if action not in ACTIONS:
        if not action:
            messages.info(request, "Choose an action to apply.")
            return redirect(request.get_full_path())
        return HttpResponseBadRequest("Unknown action.")
    try:
        ids = {int(value) for value in request.POST.getlist("ids")}
    except ValueError:
        return HttpResponseBadRequest("Bad selection.")
    if not ids:
        messages.info(request, "Select at least one comment first.")
        return redirect(request.get_full_path())
    # An author ticking someone else's comment (by a forged form) is refused, not skipped.
    chosen = list(Comment.objects.for_site(site).filter(pk__in=ids).select_related("post")
                  .order_by("pk"))
    if len(chosen) != scope.filter(pk__in=[c.pk for c in chosen]).count():
        raise PermissionDenied("You may moderate comments on your own posts only.")
    do, done = ACTIONS[action]
    count = 0
    for comment in chosen:
        try:
            do(comment=comment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            continue
        count += 1
    if count:
        messages.success(request, f"{count} comment{'s' if count != 1 else ''} {done}.")
    return redirect(request.get_full_path())


def _action_view(action: str) -> Callable:
    """The view of one row action. A GET (a link in a notification mail, which mail
    scanners also fetch) only asks for confirmation; the POST acts."""
    do, done = ACTIONS[action]

    @site_view()
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, site: Site, pk: int) -> HttpResponse:
        comment = _comment_for(request, site, pk)
        if request.method == "POST":
            try:
                do(comment=comment)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"Comment by {comment.author_name} {done}.")
            return _back(request, site)
        with timezone.override(site.tzinfo):
            return render(request, "dashboard/comments/confirm.html", {
                "site": site, "comment": comment, "action": action,
                "label": ACTION_LABELS[action], "public_url": public_url(site, comment),
                "danger": action in ("spam", "trash", "delete"),
            })

    view.__name__ = view.__qualname__ = f"comment_{action}_view"
    return view


comment_approve_view = _action_view("approve")
comment_unapprove_view = _action_view("unapprove")
comment_spam_view = _action_view("spam")
comment_trash_view = _action_view("trash")
comment_restore_view = _action_view("restore")
comment_delete_view = _action_view("delete")


@site_view()
@require_http_methods(["GET", "POST"])
def comment_reply(request: HttpRequest, site: Site, pk: int) -> HttpResponse:
    """Reply under a comment as the signed-in moderator; the reply is published at once."""
    comment = _comment_for(request, site, pk)
    if comment.status not in (Status.PENDING, Status.APPROVED):
        messages.error(request, "Restore this comment before replying to it.")
        return redirect(_queue_url(site))
    form = CommentReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # As WordPress does: answering a held comment approves it, or the reply
            # would hang under a comment nobody can see.
            if comment.status == Status.PENDING:
                services.comment_approve(comment=comment)
            reply = services.comment_post(post=comment.post, body=form.cleaned_data["body"],
                                          parent=comment, user=request.user)
            if reply.status != Status.APPROVED:
                services.comment_approve(comment=reply)
        except ValidationError as exc:
            form.add_error("body", exc)
        else:
            messages.success(request, f"Reply to {comment.author_name} published.")
            return _back(request, site)
    with timezone.override(site.tzinfo):
        return render(request, "dashboard/comments/reply.html", {
            "site": site, "comment": comment, "form": form,
            "public_url": public_url(site, comment),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        })


SETTERS = {Status.APPROVED: _teaching_akismet(services.comment_approve),
           Status.PENDING: _teaching_akismet(services.comment_unapprove),
           Status.SPAM: _teaching_akismet(services.comment_spam),
           Status.TRASH: services.comment_trash}


@site_view()
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, site: Site, pk: int) -> HttpResponse:
    """Correct a comment's text and its author's details, or change its status."""
    comment = _comment_for(request, site, pk)
    form = CommentEditForm(request.POST or None, initial={
        "body": comment.body, "author_name": comment.author_name,
        "author_email": comment.author_email, "author_url": comment.author_url,
        "status": comment.status,
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.comment_edit(comment=comment, body=data["body"],
                                  author_name=data["author_name"],
                                  author_email=data["author_email"],
                                  author_url=data["author_url"])
            if data["status"] != comment.status:
                SETTERS[data["status"]](comment=comment)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, f"Comment by {comment.author_name} updated.")
            return _back(request, site)
    with timezone.override(site.tzinfo):
        return render(request, "dashboard/comments/edit.html", {
            "site": site, "comment": comment, "form": form,
            "public_url": public_url(site, comment),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        })
