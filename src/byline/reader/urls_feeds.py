"""Feeds, sitemaps and robots.txt (included by reader/urls.py before the page catch-all)."""

urlpatterns: list = []
