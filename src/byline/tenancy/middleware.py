"""Find the site a request is for: by host, by custom domain, or by the /@slug/ prefix."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import get_script_prefix, set_script_prefix

from .models import Site

SITE_URLCONF = "byline.site_urls"


def split_host(host: str) -> str:
    """The host name without port, lowercased, without a trailing dot."""
    if host.startswith("["):  # IPv6 literal
        return host[: host.find("]") + 1].lower()
    return host.rsplit(":", 1)[0].lower().rstrip(".")


def is_platform_host(name: str) -> bool:
    base = settings.BYLINE_BASE_DOMAIN
    return name in (base, f"www.{base}") or name in settings.BYLINE_PLATFORM_HOSTS


def site_for_host(name: str) -> Site | None:
    """The site served at a host name that is not the platform's, or None."""
    suffix = "." + settings.BYLINE_BASE_DOMAIN
    if name.endswith(suffix):
        slug = name[: -len(suffix)]
        return Site.objects.filter(slug=slug).first() if "." not in slug else None
    return Site.objects.filter(domains__host=name).first()


class SiteMiddleware:
    """Sets `request.site` (None on the platform host) and routes site requests.

    A site's pages are served by one URLconf (byline.site_urls) whether the site
    is reached by host or under /@slug/ on the platform host. For the prefix form,
    the prefix becomes the script prefix, so reverse() yields /@slug/… there and
    /… on the site's own host without any view knowing the difference.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.site = None
        name = split_host(request.get_host())
        if not is_platform_host(name):
            site = site_for_host(name)
            if site is None:
                return self.not_found(request)
            return self.serve_site(request, site, prefix=None)

        path = request.path_info
        if path.startswith("/@"):
            slug, sep, rest = path[2:].partition("/")
            site = Site.objects.filter(slug=slug).first() if slug else None
            if site is None:
                return self.not_found(request)
            if not sep:
                return HttpResponsePermanentRedirect(request.get_full_path().replace(
                    f"/@{slug}", f"/@{slug}/", 1))
            return self.serve_site(request, site, prefix=f"@{slug}/", rest="/" + rest)
        return self.get_response(request)

    def serve_site(self, request: HttpRequest, site: Site, prefix: str | None,
                   rest: str | None = None) -> HttpResponse:
        request.site = site
        request.urlconf = SITE_URLCONF
        if prefix is None:
            return self.get_response(request)
        previous = get_script_prefix()
        request.path_info = rest
        set_script_prefix(previous + prefix)
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(previous)

    def not_found(self, request: HttpRequest) -> HttpResponse:
        return render(request, "tenancy/no_site.html", status=404)
