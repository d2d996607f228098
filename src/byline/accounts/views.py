from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .identicon import identicon_svg


@require_GET
@cache_control(public=True, max_age=60 * 60 * 24 * 30, immutable=True)
def identicon(request: HttpRequest, seed: str) -> HttpResponse:
    response = HttpResponse(identicon_svg(seed), content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
