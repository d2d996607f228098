from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("_/avatar/<slug:seed>.svg", views.identicon, name="identicon"),
]
