"""The conversation's addresses on a site (comment, like, follow, subscribe)."""

from django.urls import path  # noqa: F401

app_name = "discussion"

urlpatterns: list = []
