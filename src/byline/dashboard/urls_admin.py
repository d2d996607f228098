"""Site settings and people: /dashboard/<site>/settings/, /dashboard/<site>/people/…"""

from django.urls import path

from .views import people, site_settings

urlpatterns = [
    path("settings/", site_settings.settings, name="settings"),
    path("people/", people.people, name="people"),
    path("people/invite/", people.invite, name="people_invite"),
    path("people/<int:membership_id>/role/", people.change_role, name="people_role"),
    path("people/<int:membership_id>/remove/", people.remove, name="people_remove"),
    path("people/invitations/<int:invitation_id>/withdraw/", people.revoke,
         name="invitation_revoke"),
]
