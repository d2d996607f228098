"""The Reader on the platform host: included at /reader/ by byline/urls.py."""

from django.urls import path

from . import platform_views

app_name = "social"

urlpatterns = [
    path("", platform_views.reader, name="reader"),
]
