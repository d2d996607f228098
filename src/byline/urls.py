"""The platform's URLconf: landing page, accounts, admin. Sites use byline.site_urls."""

from django.contrib import admin
from django.urls import include, path

from .media_urls import media_patterns
from .reader import platform_views

urlpatterns = [
    path("", platform_views.landing, name="landing"),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", include("byline.dashboard.urls")),
    path("start/", include("byline.dashboard.urls_start")),
    path("reader/", include("byline.discussion.platform_urls")),
    path("admin/", admin.site.urls),
    *media_patterns(),
    path("", include("byline.accounts.urls")),
]

handler404 = "byline.reader.platform_views.not_found"
