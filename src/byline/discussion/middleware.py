"""Keep personal comment pages out of shared caches."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

from .views import AUTHOR_COOKIE, MINE_COOKIE


class PrivateCommentsMiddleware:
    """A browser holding the "my held comments" or "remember me" cookie gets pages with its
    own pending comment or its own name and e-mail in the form: never store those in a
    shared cache (a proxy, a CDN or the page cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in ("GET", "HEAD"):
            patch_vary_headers(response, ["Cookie"])
            if MINE_COOKIE in request.COOKIES or AUTHOR_COOKIE in request.COOKIES:
                add_never_cache_headers(response)
                patch_cache_control(response, private=True, no_store=True)
        return response
