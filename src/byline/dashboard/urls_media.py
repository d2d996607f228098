"""The media library: /dashboard/<site>/media/…"""

from django.urls import path

from .views import media

urlpatterns = [
    path("media/", media.library, name="media"),
    path("media/upload/", media.upload, name="media_upload"),
    path("media/library.json", media.media_json, name="media_json"),
    path("media/<int:pk>/", media.edit, name="media_edit"),
    path("media/<int:pk>/delete/", media.delete, name="media_delete"),
]
