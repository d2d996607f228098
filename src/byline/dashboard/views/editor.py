"""The editor of posts and pages, and the small endpoints its script talks to: live
preview, autosave, and the search behind "Find also to read".

Without JavaScript the editor is one ordinary form: Save draft, Publish, Update, Preview
and "Schedule these changes" are its submit buttons. The script adds the live preview,
autosave every few seconds, and the link picker. Every save carries the version the
page was loaded with; a save based on an older version never overwrites anything.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from byline import rendering
from byline.content.diff import diff_line, diff_text
from byline.content.media import figure_html
from byline.content.models import Kind, Media, Post, Revision, ScheduledUpdate, SourceFormat, Status
from byline.content.services import (
    LIVE_STATUSES,
    UNTITLED,
    StaleVersion,
    can_edit_post,
    can_publish_post,
    pending_autosave,
    post_autosave,
    post_create,
    post_write,
    revision_keep_conflict,
    scheduled_update_cancel,
    scheduled_update_create,
)
from byline.discussion.social import post_published
from byline.tenancy.models import Site

from ..forms_posts import (
    AutosaveForm,
    EditorForm,
    PreviewForm,
    RelatedLinkFormSet,
    Visibility,
    related_link_targets,
    related_links_initial,
)
from ..permissions import site_view
from .posts import view_url

ACTIONS = ("draft", "publish", "preview", "schedule_update", "insert_image")


def editable_post(site: Site, user, pk: int) -> Post:
    """A post of this site the user may edit: 404 if it is not the site's, 403 if it is
    not theirs to change."""
    post = get_object_or_404(Post.objects.for_site(site).select_related("site", "author"),
                             pk=pk)
    if not can_edit_post(user, post):
        raise PermissionDenied("This post is not yours to edit.")
    return post


def _local(when) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


# --- The editor page --------------------------------------------------------------------


@site_view("write")
def post_new(request: HttpRequest, site: Site) -> HttpResponse:
    return _editor(request, site, kind=Kind.POST, post=None)


@site_view("write")
def page_new(request: HttpRequest, site: Site) -> HttpResponse:
    return _editor(request, site, kind=Kind.PAGE, post=None)


@site_view("write")
def post_edit(request: HttpRequest, site: Site, pk: int) -> HttpResponse:
    post = editable_post(site, request.user, pk)
    if post.trashed_at is not None:
        return render(request, "dashboard/posts/trashed.html", {"site": site, "post": post})
    return _editor(request, site, kind=post.kind, post=post)


def _editor(request: HttpRequest, site: Site, *, kind: str, post: Post | None
            ) -> HttpResponse:
    # Dates typed into and shown by the editor are the site's wall-clock time.
    with timezone.override(site.tzinfo):
        if request.method == "POST":
            return _submit(request, site, kind, post)
        return _open(request, site, kind, post)


def _link_formset(request: HttpRequest, site: Site, post: Post | None, data=None,
                  initial=None):
    targets = related_link_targets(site, post, request.user)
    return RelatedLinkFormSet(data, prefix="links", initial=initial,
                              form_kwargs={"targets": targets})


def _open(request: HttpRequest, site: Site, kind: str, post: Post | None) -> HttpResponse:
    if post is None:
        initial = {"allow_comments": True, "allow_pings": True,
                   "visibility": Visibility.PUBLIC}
        links = _link_formset(request, site, None)
        return _render(request, site, kind, None, EditorForm(initial=initial, site=site,
                                                             kind=kind), links)
    initial = EditorForm.initial_for(post)
    from_revision = None
    if (revision_id := request.GET.get("from_revision", "")).isdigit():
        from_revision = post.revisions.filter(pk=revision_id).first()
    if from_revision is not None:
        initial.update(title=from_revision.title, source=from_revision.source,
                       excerpt=from_revision.excerpt)
    form = EditorForm(initial=initial, site=site, kind=kind, post=post)
    links = _link_formset(request, site, post, initial=related_links_initial(post))
    preview = (rendering.render(from_revision.source, from_revision.source_format)
               if from_revision else post.html)
    return _render(request, site, kind, post, form, links, preview_html=preview,
                   from_revision=from_revision,
                   autosave=None if from_revision else pending_autosave(post=post,
                                                                        editor=request.user))


def _render(request: HttpRequest, site: Site, kind: str, post: Post | None, form: EditorForm,
            links, *, status: int = 200, **extra) -> HttpResponse:
    user = request.user
    is_live = post is not None and post.status in LIVE_STATUSES
    context = {
        "site": site, "post": post, "kind": kind, "form": form, "links": links,
        "kind_label": "page" if kind == Kind.PAGE else "post",
        "can_publish": (can_publish_post(user, post) if post is not None
                        else can_publish_post(user, site=site)),
        "is_live": is_live,
        "source_format": post.source_format if post else SourceFormat.MARKDOWN,
        "tz_name": site.timezone,
        "preview_html": "",
        "list_url": reverse("dashboard:pages" if kind == Kind.PAGE else "dashboard:posts",
                            args=[site.slug]),
        "preview_url": reverse("dashboard:post_preview", args=[site.slug]),
        "search_url": reverse("dashboard:post_search", args=[site.slug]),
        "autosave_url": (reverse("dashboard:post_autosave", args=[site.slug, post.pk])
                         if post else reverse("dashboard:post_autosave_new",
                                              args=[site.slug])),
    }
    if post is not None:
        context.update(
            view_url=view_url(post),
            pending_updates=list(post.scheduled_updates.filter(applied_at__isnull=True)
                                 .select_related("created_by")),
            revision_count=post.revisions.count(),
        )
    if site.user_can(user, "write"):
        context["images"] = [(m, figure_html(m)) for m in Media.objects.for_site(site)[:100]]
    context.update(extra)
    response = render(request, "dashboard/posts/editor.html", context, status=status)
    # The editor shows unpublished words: never keep it in a shared or back/forward cache.
    add_never_cache_headers(response)
    return response


def _submit(request: HttpRequest, site: Site, kind: str, post: Post | None) -> HttpResponse:
    action = request.POST.get("action", "draft")
    if action not in ACTIONS:
        return HttpResponseBadRequest("Unknown action.")
    form = EditorForm(request.POST, site=site, kind=kind, post=post, action=action)
    links = _link_formset(request, site, post, data=request.POST)
    if action == "insert_image":
        return _insert_image(request, site, kind, post)
    if action == "preview":
        # Without JavaScript, "Preview" shows the rendered body beside the form, unsaved.
        source = request.POST.get("source", "")
        form.is_valid()
        links.is_valid()
        fmt = post.source_format if post else SourceFormat.MARKDOWN
        return _render(request, site, kind, post, form, links,
                       preview_html=rendering.render(source, fmt), show_preview=True)
    if not (form.is_valid() and links.is_valid()):
        return _render(request, site, kind, post, form, links, status=400)
    data = form.cleaned_data
    if action == "schedule_update":
        return _schedule_update(request, site, kind, post, form, links)
    if action == "draft":
        status, published_at = Status.DRAFT, None
    else:
        status, published_at = form.status(), data["publish_at"]
        if published_at is None and (post is None or not post.is_public):
            published_at = timezone.now()  # "Publish" on a draft or scheduled post: now
    was_live = post is not None and post.status in LIVE_STATUSES
    try:
        saved = post_write(site=site, user=request.user, post=post,
                           expected_version=data["version"], kind=kind, status=status,
                           published_at=published_at, slug=data["slug"], links=links.links(),
                           **form.post_fields())
    except StaleVersion as exc:
        return _conflict(request, site, kind, post, form, exc.current, action)
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return _render(request, site, kind, post, form, links, status=400)
    # E-mail subscribers hear of a post the first time it goes public (a no-op otherwise).
    post_published(post=saved)
    messages.success(request, _saved_message(saved, action, was_live=was_live))
    return redirect("dashboard:post_edit", site.slug, saved.pk)


def _insert_image(request: HttpRequest, site: Site, kind: str, post: Post | None
                  ) -> HttpResponse:
    """Without JavaScript, "Insert into body" appends the chosen image as a captioned
    figure and shows the editor again, unsaved (with JavaScript it goes in at the cursor)."""
    data = request.POST.copy()
    chosen = data.get("insert_image", "")
    media = (Media.objects.for_site(site).filter(pk=chosen).first()
             if chosen.isdigit() else None)
    if media is not None:
        data["source"] = data.get("source", "").rstrip() + "\n\n" + figure_html(media) + "\n"
    form = EditorForm(data, site=site, kind=kind, post=post, action="preview")
    links = _link_formset(request, site, post, data=data)
    form.is_valid()
    links.is_valid()
    fmt = post.source_format if post else SourceFormat.MARKDOWN
    return _render(request, site, kind, post, form, links,
                   preview_html=rendering.render(data.get("source", ""), fmt),
                   show_preview=True)


def _saved_message(saved: Post, action: str, *, was_live: bool) -> str:
    noun = saved.get_kind_display()
    if action == "draft":
        return (f"{noun} switched to draft: readers no longer see it." if was_live
                else "Draft saved.")
    if saved.status == Status.SCHEDULED:
        return (f"{noun} scheduled for {_local(saved.published_at)} "
                f"({saved.site.timezone} time).")
    if saved.status == Status.PRIVATE:
        return f"{noun} saved as private: only you and the site's editors can read it."
    return f"{noun} updated." if was_live else f"{noun} published."


def _schedule_update(request: HttpRequest, site: Site, kind: str, post: Post | None,
                     form: EditorForm, links) -> HttpResponse:
    if post is None or post.status not in LIVE_STATUSES:
        return HttpResponseBadRequest("Only a published post can have changes scheduled.")
    data = form.cleaned_data
    try:
        update = scheduled_update_create(
            post=post, user=request.user, title=data["title"], source=data["source"],
            excerpt=data["excerpt"], apply_at=data["update_at"],
            expected_version=data["version"])
    except StaleVersion as exc:
        return _conflict(request, site, kind, post, form, exc.current, "schedule_update")
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return _render(request, site, kind, post, form, links, status=400)
    messages.success(request, f"Your changes will replace the live {kind} on "
                              f"{_local(update.apply_at)} ({site.timezone} time). Until "
                              f"then readers see the version below.")
    return redirect("dashboard:post_edit", site.slug, post.pk)


def _conflict(request: HttpRequest, site: Site, kind: str, post: Post, form: EditorForm,
              current: Post, action: str) -> HttpResponse:
    """Someone saved since this page was loaded. Keep both: their version stays live, the
    submitted text is kept as a conflict revision, and the page shows the difference with
    the form still holding this user's text, now based on their version ("Use mine")."""
    data = form.cleaned_data
    mine_title = data["title"].strip() or UNTITLED
    kept = revision_keep_conflict(
        post=current, editor=request.user, based_on=data["version"], title=mine_title,
        source=data["source"], source_format=current.source_format, excerpt=data["excerpt"])
    posted = request.POST.copy()
    posted["version"] = str(current.version)
    form = EditorForm(posted, site=site, kind=kind, post=current, action=action)
    links = _link_formset(request, site, current, data=posted)
    form.is_valid()
    links.is_valid()
    last = current.revisions.exclude(kind=Revision.Kind.CONFLICT).select_related(
        "editor").order_by("-created_at", "-pk").first()
    conflict = {
        "theirs": current, "by": last.editor if last else None, "kept": kept,
        "action": action,
        "title": diff_line(current.title, mine_title),
        "source": diff_text(current.source, data["source"]),
        "excerpt": diff_line(current.excerpt, data["excerpt"]),
    }
    return _render(request, site, kind, current, form, links, status=409, conflict=conflict,
                   preview_html=rendering.render(data["source"], current.source_format))


# --- Endpoints for the editor's script --------------------------------------------------


@site_view("write")
@require_POST
def post_preview(request: HttpRequest, site: Site) -> HttpResponse:
    """The body rendered exactly as saving would render it: sanitised HTML."""
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Bad preview request.")
    fmt = form.cleaned_data["source_format"] or SourceFormat.MARKDOWN
    response = HttpResponse(rendering.render(form.cleaned_data["source"], fmt),
                            content_type="text/html; charset=utf-8")
    add_never_cache_headers(response)
    return response


def _json(payload: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(payload, status=status)
    add_never_cache_headers(response)
    return response


@site_view("write")
@require_POST
def post_autosave_view(request: HttpRequest, site: Site, pk: int) -> JsonResponse:
    """Keep the words being typed. 200 with the version the page must carry from now on;
    409 (and nothing changed, the text kept as a revision) if someone saved meanwhile."""
    post = editable_post(site, request.user, pk)
    form = AutosaveForm(request.POST)
    if not form.is_valid() or form.cleaned_data["version"] is None:
        return _json({"error": "The autosave was not understood.",
                      "fields": form.errors.get_json_data()}, status=400)
    data = form.cleaned_data
    result = post_autosave(post=post, editor=request.user, expected_version=data["version"],
                           title=data["title"], source=data["source"], excerpt=data["excerpt"])
    with timezone.override(site.tzinfo):
        when = timezone.localtime().strftime("%H:%M")
    if result.conflict:
        compare = reverse("dashboard:revision_compare", args=[site.slug, post.pk])
        return _json({
            "conflict": True, "version": data["version"], "revision": result.revision.pk,
            "compare_url": f"{compare}?a={result.revision.pk}&b=current",
            "message": "Someone else saved this post while you were writing. Nothing was "
                       "overwritten and your text is kept as a revision. Save again to "
                       "compare the two versions and choose.",
        }, status=409)
    if post.status in LIVE_STATUSES:
        message = f"Changes kept at {when}; readers still see the published version."
    else:
        message = f"Draft saved at {when}."
    return _json({"version": result.version, "revision": result.revision.pk,
                  "message": message})


@site_view("write")
@require_POST
def post_autosave_new(request: HttpRequest, site: Site) -> JsonResponse:
    """The first autosave of a new post makes it a draft, so nothing typed is lost."""
    form = AutosaveForm(request.POST)
    kind = request.POST.get("kind", Kind.POST)
    if not form.is_valid() or kind not in Kind.values:
        return _json({"error": "The autosave was not understood.",
                      "fields": form.errors.get_json_data()}, status=400)
    data = form.cleaned_data
    post = post_create(site=site, author=request.user, kind=kind,
                       title=data["title"].strip() or UNTITLED, source=data["source"],
                       excerpt=data["excerpt"], check_role=True,
                       revision_kind=Revision.Kind.AUTOSAVE)
    with timezone.override(site.tzinfo):
        when = timezone.localtime().strftime("%H:%M")
    return _json({
        "id": post.pk, "version": post.version, "message": f"Draft saved at {when}.",
        "edit_url": reverse("dashboard:post_edit", args=[site.slug, post.pk]),
        "autosave_url": reverse("dashboard:post_autosave", args=[site.slug, post.pk]),
    }, status=201)


@site_view("write")
@require_GET
def post_search(request: HttpRequest, site: Site) -> JsonResponse:
    """The site's posts and pages whose title matches, for the "Find also to read" picker."""
    query = request.GET.get("q", "").strip()[:200]
    # Only what this person may read: an author never learns the titles of others' drafts.
    posts = Post.objects.for_site(site).visible_to(request.user, site)
    if query:
        posts = posts.filter(Q(title__icontains=query) | Q(slug__icontains=query))
    exclude = request.GET.get("exclude", "")
    if exclude.isdigit():
        posts = posts.exclude(pk=int(exclude))
    posts = posts.order_by("-published_at", "-pk")[:20]
    return _json({"results": [
        {"id": p.pk, "title": p.title, "kind": p.kind, "status": p.get_status_display()}
        for p in posts
    ]})


@site_view("write")
@require_POST
def scheduled_update_cancel_view(request: HttpRequest, site: Site, pk: int, update_pk: int
                                 ) -> HttpResponse:
    post = editable_post(site, request.user, pk)
    update = get_object_or_404(ScheduledUpdate, post=post, pk=update_pk)
    scheduled_update_cancel(update=update, user=request.user)
    messages.success(request, "The scheduled changes were cancelled; the live post stays "
                              "as it is.")
    return redirect("dashboard:post_edit", site.slug, post.pk)
