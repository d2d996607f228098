"""A post's revisions: who saved what and when, any two compared, and restoring one."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from byline.content.diff import diff_line, diff_text
from byline.content.models import Post, Revision
from byline.content.services import revision_restore
from byline.tenancy.models import Site

from ..permissions import site_view
from .editor import editable_post


@site_view("write")
def revisions(request: HttpRequest, site: Site, pk: int) -> HttpResponse:
    post = editable_post(site, request.user, pk)
    rows = list(post.revisions.select_related("editor").order_by("-created_at", "-pk"))
    with timezone.override(site.tzinfo):
        return render(request, "dashboard/posts/revisions.html", {
            "site": site, "post": post, "revisions": rows,
            "older": rows[1].pk if len(rows) > 1 else None,
        })


class _Current:
    """The post as it is now, shown like a revision in a comparison."""

    kind = "current"
    pk = "current"

    def __init__(self, post: Post):
        self.title, self.source, self.excerpt = post.title, post.source, post.excerpt
        self.created_at, self.version = post.updated_at, post.version
        self.editor = None

    def get_kind_display(self) -> str:
        return "Current version"


def _side(post: Post, value: str) -> Revision | _Current:
    if value == "current":
        return _Current(post)
    if not value.isdigit():
        raise Http404("No such revision")
    return get_object_or_404(post.revisions.select_related("editor"), pk=int(value))


@site_view("write")
def revision_compare(request: HttpRequest, site: Site, pk: int) -> HttpResponse:
    """Compare revision `a` (older) with `b` (newer, or "current")."""
    post = editable_post(site, request.user, pk)
    old = _side(post, request.GET.get("a", ""))
    new = _side(post, request.GET.get("b", "current"))
    with timezone.override(site.tzinfo):
        return render(request, "dashboard/posts/revision_compare.html", {
            "site": site, "post": post, "old": old, "new": new,
            "title_diff": diff_line(old.title, new.title),
            "source_diff": diff_text(old.source, new.source),
            "excerpt_diff": diff_line(old.excerpt, new.excerpt),
            "revisions": post.revisions.select_related("editor").order_by("-created_at",
                                                                           "-pk"),
        })


@site_view("write")
@require_POST
def revision_restore_view(request: HttpRequest, site: Site, pk: int, revision_pk: int
                          ) -> HttpResponse:
    post = editable_post(site, request.user, pk)
    revision = get_object_or_404(post.revisions, pk=revision_pk)
    revision.post = post
    revision_restore(revision=revision, editor=request.user)
    with timezone.override(site.tzinfo):
        when = timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M")
    messages.success(request, f"Restored the revision of {when}. The version it replaced "
                              f"is kept in the revisions.")
    return redirect("dashboard:post_edit", site.slug, post.pk)
