from django.conf import settings
from django.urls import URLPattern, re_path
from django.views.static import serve


def media_patterns() -> list[URLPattern]:
    """Uploaded files served by Django on one machine; with object storage or a proxy
    in front, BYLINE_SERVE_MEDIA=0 leaves them to that."""
    if not settings.BYLINE_SERVE_MEDIA or not settings.MEDIA_URL.startswith("/"):
        return []
    prefix = settings.MEDIA_URL.lstrip("/")
    return [re_path(rf"^{prefix}(?P<path>.*)$", serve,
                    {"document_root": settings.MEDIA_ROOT}, name="media")]
