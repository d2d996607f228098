"""The URLconf of a site, whether reached at its own host or under /@slug/."""

from django.urls import include, path

from .media_urls import media_patterns

urlpatterns = [
    *media_patterns(),
    path("", include("byline.accounts.urls")),
    path("", include("byline.discussion.urls")),
    path("", include("byline.reader.urls")),
]

handler404 = "byline.reader.views.not_found"
