"""The dashboard lives on the platform host: /dashboard/<site>/…, where the session is."""

from django.urls import include, path

from . import urls_admin, urls_comments, urls_media, urls_porting, urls_posts
from .views import home

app_name = "dashboard"

site_patterns = [
    path("", home.site_home, name="site"),
    *urls_posts.urlpatterns,
    *urls_media.urlpatterns,
    *urls_admin.urlpatterns,
    *urls_comments.urlpatterns,
    *urls_porting.urlpatterns,
]

urlpatterns = [
    path("", home.my_sites, name="my_sites"),
    path("<slug:site_slug>/", include(site_patterns)),
]
