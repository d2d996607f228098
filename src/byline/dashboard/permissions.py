"""Who may open which dashboard screen. Every dashboard view goes through `site_view`."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from byline.tenancy.models import Site


def site_view(capability: str | None = None) -> Callable:
    """Load the site named in the URL and check the signed-in user's role on it.

    A guest is sent to log in and back; a member without the capability, or a
    signed-in stranger, gets a 403 page (never a redirect loop). The view receives
    the site as its first argument after the request, and `request.role`.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, site_slug: str, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            site = Site.objects.filter(slug=site_slug).first()
            if site is None:
                raise Http404("No such site")
            role = site.role_of(request.user)
            if role is None:
                raise PermissionDenied("You are not a member of this site.")
            if capability and not site.user_can(request.user, capability):
                raise PermissionDenied("Your role on this site does not allow this.")
            request.role = role
            return view(request, site, *args, **kwargs)

        return wrapper

    return decorator
