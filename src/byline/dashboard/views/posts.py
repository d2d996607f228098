"""The Posts and Pages lists: status filters with counts, search, pages of 20, and bulk
actions (a select and an Apply button, so they work without JavaScript)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from byline.content.models import Kind, Post, Status
from byline.content.services import (
    BULK_ACTIONS,
    can_edit_post,
    can_publish_post,
    post_restore,
    post_trash,
    posts_bulk_apply,
)
from byline.discussion.social import post_published
from byline.tenancy.models import Site
from byline.tenancy.urls import site_path

from ..permissions import site_view

PER_PAGE = 20
FILTERS = [("all", "All"), ("published", "Published"), ("drafts", "Drafts"),
           ("scheduled", "Scheduled"), ("private", "Private"), ("trash", "Trash")]
DONE = {"publish": "published", "draft": "moved to drafts", "trash": "moved to the Trash",
        "restore": "restored from the Trash", "delete": "deleted permanently"}


def _conditions() -> dict[str, Q]:
    now = timezone.now()
    kept = Q(trashed_at__isnull=True)
    return {
        "all": kept,
        "published": kept & Q(status__in=(Status.PUBLISHED, Status.SCHEDULED),
                              published_at__lte=now),
        "drafts": kept & Q(status=Status.DRAFT),
        "scheduled": kept & Q(status=Status.SCHEDULED, published_at__gt=now),
        "private": kept & Q(status=Status.PRIVATE),
        "trash": Q(trashed_at__isnull=False),
    }


def listed_posts(site: Site, user, kind: str):
    """What a member's list shows: everyone's posts for editors and up, otherwise their own."""
    posts = Post.objects.for_site(site).filter(kind=kind)
    if not site.user_can(user, "edit_others"):
        posts = posts.filter(author=user)
    return posts


def view_url(post: Post) -> str:
    """The post on the public site (a preview for its author while it is not public)."""
    if post.kind == Kind.PAGE:
        return site_path(post.site, "reader:page", post.slug)
    return site_path(post.site, "reader:post", *post.local_date_parts(), post.slug)


@site_view("write")
def posts(request: HttpRequest, site: Site) -> HttpResponse:
    return _list(request, site, Kind.POST)


@site_view("write")
def pages(request: HttpRequest, site: Site) -> HttpResponse:
    return _list(request, site, Kind.PAGE)


def _list(request: HttpRequest, site: Site, kind: str) -> HttpResponse:
    if request.method == "POST":
        return _bulk(request, site, kind)
    conditions = _conditions()
    status = request.GET.get("status", "all")
    status = status if status in conditions else "all"
    query = request.GET.get("q", "").strip()[:200]
    scope = listed_posts(site, request.user, kind)
    counts = scope.aggregate(**{name: Count("pk", filter=cond)
                                for name, cond in conditions.items()})
    rows = scope.filter(conditions[status])
    if query:
        rows = rows.filter(title__icontains=query)
    if status == "trash":
        rows = rows.order_by("-trashed_at", "-pk")
    else:
        rows = rows.order_by(F("published_at").desc(nulls_first=True), "-updated_at", "-pk")
    rows = rows.select_related("author", "parent").prefetch_related("categories")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for post in page.object_list:
        post.site = site  # one Site instance: its memoised role answers every row
        post.can_edit = can_edit_post(request.user, post)
        post.view_url = view_url(post)
    may_publish = can_publish_post(request.user, site=site)
    if status == "trash":
        actions = [("restore", "Restore"), ("delete", "Delete permanently")]
    else:
        actions = ([("publish", "Publish"), ("draft", "Move to draft")] if may_publish else [])
        actions.append(("trash", "Move to Trash"))
    with timezone.override(site.tzinfo):
        return render(request, "dashboard/posts/list.html", {
            "site": site, "kind": kind, "kind_plural": "pages" if kind == Kind.PAGE else "posts",
            "filters": [(key, label, counts[key]) for key, label in FILTERS],
            "status": status, "query": query, "page_obj": page, "posts": page.object_list,
            "actions": actions,
            "new_url": reverse("dashboard:page_new" if kind == Kind.PAGE else
                               "dashboard:post_new", args=[site.slug]),
        })


def _bulk(request: HttpRequest, site: Site, kind: str) -> HttpResponse:
    """Apply a bulk action (or a row's own button, sent as `row_action=ACTION:ID`)."""
    if row_action := request.POST.get("row_action"):
        action, _, raw_ids = row_action.partition(":")
        raw = [raw_ids]
    else:
        action, raw = request.POST.get("bulk_action", ""), request.POST.getlist("ids")
    if action not in BULK_ACTIONS:
        if not action:
            messages.info(request, "Choose an action to apply.")
            return redirect(request.get_full_path())
        return HttpResponseBadRequest("Unknown action.")
    try:
        ids = {int(value) for value in raw}
    except ValueError:
        return HttpResponseBadRequest("Bad selection.")
    if not ids:
        messages.info(request, f"Select at least one {kind} first.")
        return redirect(request.get_full_path())
    # Not limited to the user's own list: someone else's post must be refused (403), not
    # silently skipped.
    chosen = list(Post.objects.for_site(site).filter(kind=kind, pk__in=ids)
                  .select_related("site").order_by("pk"))
    try:
        count = posts_bulk_apply(site=site, user=request.user, action=action, posts=chosen)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(request.get_full_path())
    if action == "publish":
        for post in chosen:
            post.refresh_from_db()
            post_published(post=post)
    noun = kind if count == 1 else f"{kind}s"
    messages.success(request, f"{count} {noun} {DONE[action]}.")
    return redirect(request.get_full_path())


@site_view("write")
@require_POST
def post_trash_view(request: HttpRequest, site: Site, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.for_site(site).select_related("site"), pk=pk)
    post_trash(post=post, user=request.user)
    messages.success(request, f"“{post.title}” moved to the Trash.")
    return redirect("dashboard:pages" if post.kind == Kind.PAGE else "dashboard:posts",
                    site.slug)


@site_view("write")
@require_POST
def post_restore_view(request: HttpRequest, site: Site, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.for_site(site).select_related("site"), pk=pk)
    post_restore(post=post, user=request.user)
    messages.success(request, f"“{post.title}” restored from the Trash.")
    return redirect("dashboard:post_edit", site.slug, post.pk)
