""""Get started" (/start/): create a site, or join one through an invitation."""

from django.urls import path

from .views import start

app_name = "start"

urlpatterns = [
    path("", start.begin, name="begin"),
    path("address/", start.address, name="address"),
    path("theme/", start.theme, name="theme"),
    path("check-address/", start.check_address, name="check_address"),
    path("invitation/<str:token>/", start.invitation, name="invitation"),
]
