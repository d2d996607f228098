"""The media library: upload images, describe them, delete them, and hand them to the
post editor (media_json). Checking and storing images is content.media's job."""

from collections.abc import Sequence

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from byline.content.media import (
    FIGURE_SIZES,
    clean_original_name,
    figure_html,
    file_url,
    max_upload_bytes,
    media_delete,
    media_update,
    media_upload,
    srcset,
    stored_names,
    thumbnail_url,
)
from byline.content.models import Media, Post
from byline.tenancy.models import Site

from ..forms_media import MediaEditForm, MediaUploadForm, SizeCappedUploadHandler
from ..permissions import site_view

LIBRARY_PAGE_SIZE = 40
JSON_PAGE_SIZE = 50


def _may_change(request: HttpRequest, site: Site, media: Media) -> bool:
    # As in WordPress: authors look after their own uploads, editors and above
    # after everyone's.
    return media.uploaded_by_id == request.user.pk or site.user_can(request.user, "edit_others")


def _changeable(request: HttpRequest, site: Site, pk: int) -> Media:
    media = get_object_or_404(Media.objects.for_site(site), pk=pk)
    if not _may_change(request, site, media):
        raise PermissionDenied("You can change only the images you uploaded.")
    return media


def _thumbnail(media: Media) -> dict:
    if media.renditions:
        smallest = min(media.renditions, key=lambda r: r["width"])
        width, height = smallest["width"], smallest["height"]
    else:
        width, height = media.width, media.height
    return {"url": thumbnail_url(media), "width": width, "height": height}


def _card(request: HttpRequest, site: Site, media: Media) -> dict:
    return {"media": media, "thumbnail": _thumbnail(media), "figure": figure_html(media),
            "may_change": _may_change(request, site, media)}


def _library(request: HttpRequest, site: Site, form: MediaUploadForm, *,
             upload_errors: Sequence[tuple[str, str]] = (), status: int = 200) -> HttpResponse:
    items = Media.objects.for_site(site).order_by("-created_at", "-pk")
    page = Paginator(items, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboard/media/library.html", {
        "site": site, "form": form, "page": page, "upload_errors": upload_errors,
        "cards": [_card(request, site, m) for m in page],
    }, status=status)


@site_view("upload_media")
@require_GET
def library(request: HttpRequest, site: Site) -> HttpResponse:
    """The site's images, newest first, with the upload form."""
    return _library(request, site, MediaUploadForm())


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@csrf_exempt
def upload(request: HttpRequest, site_slug: str) -> HttpResponse:
    """Upload images: the plain form posts here with any number of files; media.js
    posts one file per request and asks for JSON.

    Upload handlers can be changed only before anything reads the body, and the
    CSRF check reads it, so this wrapper is exempt and `_upload` is protected
    (the pattern Django's documentation gives).
    """
    handler = SizeCappedUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    request.media_too_big = handler.too_big
    return _upload(request, site_slug)


@csrf_protect
@site_view("upload_media")
@require_POST
def _upload(request: HttpRequest, site: Site) -> HttpResponse:
    form = MediaUploadForm(request.POST, request.FILES)
    too_big = f"This file is too big; the limit is {filesizeformat(max_upload_bytes())}."
    failures = [(clean_original_name(name), too_big) for name in request.media_too_big]
    uploaded: list[Media] = []
    if form.is_valid():
        for file in form.cleaned_data["files"]:
            try:
                uploaded.append(media_upload(site=site, uploaded_by=request.user, file=file))
            except ValidationError as error:
                failures.append((clean_original_name(file.name), " ".join(error.messages)))
    elif failures:
        form = MediaUploadForm()  # the file that was too big is the problem to report

    if _wants_json(request):
        return _upload_json(request, site, form, uploaded, failures)

    if form.is_bound and not form.is_valid():
        return _library(request, site, form, status=400)
    for media in uploaded:
        messages.success(request, f"Uploaded {media.original_name}.")
    if failures:
        return _library(request, site, MediaUploadForm(), upload_errors=failures,
                        status=200 if uploaded else 400)
    if len(uploaded) == 1:
        # One image: straight to describing it, while the author remembers what it shows.
        messages.info(request, "Now add alt text, so that everyone can follow the picture.")
        return redirect("dashboard:media_edit", site.slug, uploaded[0].pk)
    return redirect("dashboard:media", site.slug)


def _upload_json(request: HttpRequest, site: Site, form: MediaUploadForm,
                 uploaded: list[Media], failures: list[tuple[str, str]]) -> JsonResponse:
    if form.is_bound and not form.is_valid():
        return JsonResponse({"errors": [{"name": "", "message": m}
                                        for m in form.errors.get("files", [])]}, status=400)
    body = {
        "media": [media_item(m) for m in uploaded],
        "html": [render_to_string("dashboard/media/_card.html",
                                  {"card": _card(request, site, m), "site": site}, request)
                 for m in uploaded],
        "errors": [{"name": name, "message": message} for name, message in failures],
    }
    status = 201 if uploaded and not failures else (200 if uploaded else 400)
    return JsonResponse(body, status=status)


@site_view("upload_media")
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, site: Site, pk: int) -> HttpResponse:
    """Alt text and caption of one image, its figure HTML and where it is used."""
    media = _changeable(request, site, pk)
    form = MediaEditForm(request.POST if request.method == "POST" else None, instance=media)
    if request.method == "POST" and form.is_valid():
        media_update(media=media, alt_text=form.cleaned_data["alt_text"],
                     caption=form.cleaned_data["caption"])
        messages.success(request, f"Saved {media.original_name or media.title or 'the image'}.")
        return redirect(reverse("dashboard:media", args=[site.slug]) + f"#media-{media.pk}")
    if request.method == "POST":
        media.refresh_from_db()  # the page shows the stored image, not the rejected input
    status = 400 if form.errors else 200
    return render(request, "dashboard/media/edit.html", {
        "site": site, "media": media, "form": form, "figure": figure_html(media),
        "preview": _preview(media), **_usage(site, media),
    }, status=status)


def _preview(media: Media) -> dict:
    """The copy that fits the edit page: the 960 rendition, else the largest smaller."""
    fitting = [r for r in media.renditions if r["width"] <= 960]
    if fitting:
        best = max(fitting, key=lambda r: r["width"])
        url = file_url(best["name"])
        return {"url": url, "width": best["width"], "height": best["height"]}
    return {"url": media.url, "width": media.width, "height": media.height}


def _usage(site: Site, media: Media) -> dict:
    posts = Post.objects.for_site(site).not_trashed()
    in_body = Q()
    for name in stored_names(media):
        in_body |= Q(source__contains=name)
    return {
        "featured_in": list(posts.filter(featured_image=media).only("title")[:20]),
        "shown_in": list(posts.filter(in_body).only("title")[:20]),
    }


@site_view("upload_media")
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, site: Site, pk: int) -> HttpResponse:
    """Ask, then delete an image and its files; posts featuring it lose their featured image."""
    media = _changeable(request, site, pk)
    if request.method == "POST":
        name = media.original_name or media.title or "the image"
        media_delete(media=media)
        messages.success(request, f"Deleted {name}.")
        return redirect("dashboard:media", site.slug)
    return render(request, "dashboard/media/delete.html", {
        "site": site, "media": media, "thumbnail": _thumbnail(media), **_usage(site, media),
    })


def media_item(media: Media) -> dict:
    """One image as the post editor sees it (the shape of media_json's items)."""
    return {
        "id": media.pk,
        "url": media.url,
        "thumbnail_url": thumbnail_url(media),
        "name": media.original_name,
        "alt": media.alt_text,
        "caption": media.caption,
        "width": media.width,
        "height": media.height,
        "mime_type": media.mime_type,
        "size": media.size,
        "srcset": srcset(media),
        "sizes": FIGURE_SIZES if media.renditions else "",
        "renditions": [{"width": r["width"], "height": r["height"],
                        "url": file_url(r["name"])}
                       for r in sorted(media.renditions, key=lambda r: r["width"])],
        "figure_html": figure_html(media),
        "created_at": media.created_at.isoformat(),
    }


@site_view("write")
@require_GET
def media_json(request: HttpRequest, site: Site) -> JsonResponse:
    """The site's images for the post editor, newest first, 50 a page; `?q=` searches
    file names, alt text and captions. Anyone who may write may insert an image
    already in the library; uploading new ones needs upload_media."""
    items = Media.objects.for_site(site).order_by("-created_at", "-pk")
    query = request.GET.get("q", "").strip()
    if query:
        items = items.filter(Q(original_name__icontains=query) | Q(alt_text__icontains=query)
                             | Q(caption__icontains=query))
    page = Paginator(items, JSON_PAGE_SIZE).get_page(request.GET.get("page"))
    base = reverse("dashboard:media_json", args=[site.slug])

    def page_url(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return f"{base}?{params.urlencode()}"

    response = JsonResponse({
        "media": [media_item(m) for m in page],
        "page": page.number,
        "pages": page.paginator.num_pages,
        "count": page.paginator.count,
        "next": page_url(page.next_page_number()) if page.has_next() else None,
        "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
    })
    response["Cache-Control"] = "private, no-store"
    return response
