"""Export: the whole site as a WordPress file (WXR) or as a Markdown archive, for owners
and administrators (an export holds drafts, private posts and commenters' addresses)."""

import tempfile

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from byline.content.models import Media, Post
from byline.discussion.models import Comment
from byline.porting.export import WxrExport, site_base_url, write_markdown_archive
from byline.tenancy.models import Site

from ..permissions import site_view

CAPABILITY = "manage_settings"


def _filename(site: Site, kind: str, extension: str) -> str:
    # The shape WordPress gives its own exports: SITE.wordpress.YYYY-MM-DD.xml
    return f"{site.slug}.{kind}.{timezone.localdate(timezone=site.tzinfo):%Y-%m-%d}.{extension}"


def _base_url(request: HttpRequest, site: Site) -> str:
    # The port the browser used (from the Host header, as proxies pass it on): a site
    # on a development server at :8000 is at SLUG.localhost:8000.
    _, port = split_domain_port(request.get_host())
    return site_base_url(site, scheme=request.scheme, port=port)


@never_cache
@require_GET
@site_view(CAPABILITY)
def export(request: HttpRequest, site: Site) -> HttpResponse:
    live = Post.objects.for_site(site).not_trashed()
    return render(request, "dashboard/porting/export.html", {
        "site": site,
        "posts": live.posts().count(),
        "pages": live.pages().count(),
        "comments": Comment.objects.for_site(site).filter(post__trashed_at__isnull=True).count(),
        "media": Media.objects.for_site(site).count(),
    })


@never_cache
@require_POST
@site_view(CAPABILITY)
def export_wxr(request: HttpRequest, site: Site) -> HttpResponse:
    """The WXR, streamed as it is written: a large site never sits in memory."""
    wxr = WxrExport(site=site, base_url=_base_url(request, site))
    response = StreamingHttpResponse(wxr.bytes(), content_type="text/xml; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, _filename(site, "wordpress", "xml"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_POST
@site_view(CAPABILITY)
def export_markdown(request: HttpRequest, site: Site) -> HttpResponse:
    """The zip is built in a temporary file (a zip's directory is written at its end, so
    it cannot be streamed as it grows), then sent from there; the file is gone once
    the response is closed."""
    out = tempfile.TemporaryFile(prefix="byline-export-", suffix=".zip")  # noqa: SIM115
    try:
        write_markdown_archive(site=site, out=out, base_url=_base_url(request, site))
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return FileResponse(out, as_attachment=True, filename=_filename(site, "markdown", "zip"),
                        content_type="application/zip")
