"""Building addresses across the platform and its sites."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse, set_script_prefix

from .middleware import SITE_URLCONF


def platform_path(viewname: str, *args, **kwargs) -> str:
    """A platform page's path, correct even while a site's /@slug/ prefix is in force."""
    prefix = get_script_prefix()
    set_script_prefix("/")
    try:
        return reverse(viewname, urlconf=settings.ROOT_URLCONF, args=args, kwargs=kwargs)
    finally:
        set_script_prefix(prefix)


def platform_url(request: HttpRequest, viewname: str, *args, **kwargs) -> str:
    """A link from any page to a platform page: a path on the platform host, else absolute."""
    path = platform_path(viewname, *args, **kwargs)
    if getattr(request, "site", None) is None or get_script_prefix() != "/":
        return path  # we are on the platform host (plainly or under /@slug/)
    port = request.get_port()
    default = "443" if request.is_secure() else "80"
    host = settings.BYLINE_BASE_DOMAIN + (f":{port}" if port != default else "")
    return f"{request.scheme}://{host}{path}"


def site_reverse(viewname: str, *args) -> str:
    """A site page's path for the site being served (or the host form outside a request):
    models' get_absolute_url() works in views, feeds, mail and the admin alike."""
    return reverse(viewname, urlconf=SITE_URLCONF, args=args)


def site_path(site, viewname: str, *args, **kwargs) -> str:
    """A site page's path under /@slug/ on the platform host, from anywhere."""
    prefix = get_script_prefix()
    set_script_prefix(f"/@{site.slug}/")
    try:
        return reverse(viewname, urlconf=SITE_URLCONF, args=args, kwargs=kwargs)
    finally:
        set_script_prefix(prefix)
