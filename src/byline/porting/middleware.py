"""Old WordPress addresses keep working: `?p=ID`, `?page_id=ID` and every imported
post's old permalink answer 301 to the post's new address.

Permalinks are looked up only when the site would otherwise answer 404, so normal pages
pay nothing; `?p=` and `?page_id=` only when present, at the site's root (where
WordPress answers them) or on an address that would otherwise be a 404.
"""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from byline.content.models import Post

from .models import OldLink

_ID_PARAMETERS = ("p", "page_id")
_ROOTS = ("/", "/index.php")


def normalize_path(path: str) -> str:
    """How old paths are stored and compared: lowercase, no trailing slash."""
    return path.strip().lower().rstrip("/")


def _target(site, **lookup) -> Post | None:
    link = (OldLink.objects.filter(site=site, **lookup)
            .filter(post__in=Post.objects.for_site(site).published())
            .select_related("post__site").order_by("pk").first())
    return link.post if link is not None else None


def _by_id(request: HttpRequest) -> Post | None:
    for name in _ID_PARAMETERS:
        value = request.GET.get(name, "")
        if value.isascii() and value.isdigit() and len(value) < 19:
            return _target(request.site, wp_id=int(value))
    return None


class OldLinksMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        site = getattr(request, "site", None)
        readable = site is not None and request.method in ("GET", "HEAD")
        # WordPress answers ?p= at its root; elsewhere the parameter may be ours (sitemap
        # pages are ?p=2), so there it counts only when the address is otherwise unknown.
        if readable and request.path_info in _ROOTS:
            post = _by_id(request)
            if post is not None:
                return HttpResponsePermanentRedirect(post.get_absolute_url())
        response = self.get_response(request)
        if readable and response.status_code == 404:
            post = _by_id(request)
            path = normalize_path(request.path_info)
            if post is None and path and len(path) <= 500:
                post = _target(site, path=path)
            if post is not None:
                return HttpResponsePermanentRedirect(post.get_absolute_url())
        return response
