"""Search (included by reader/urls.py before the page catch-all)."""

from django.urls import path

from . import views_search

urlpatterns = [
    path("search/", views_search.search, name="search"),
]
