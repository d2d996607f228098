"""Site settings: who may open them, what they change, the custom domain, the 403 page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, RequestFactory
from django.urls import set_urlconf
from django.views.defaults import permission_denied

from byline.dashboard.forms_site import SiteSettingsForm
from byline.tenancy.models import Domain, Site
from byline.tenancy.roles import Role
from byline.tenancy.services import site_create, site_update
from tests.factories import MembershipFactory, SiteFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/dashboard/demo/settings/"


def member(site, role: str):
    return MembershipFactory(site=site, role=role).user


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(site: Site, **changes) -> dict:
    data = {
        "title": site.title, "tagline": site.tagline, "language": site.language,
        "timezone": site.timezone, "is_public": "on", "theme": site.theme,
        "posts_per_page": site.posts_per_page,
        "comments_open_by_default": "on", "comments_hold_first_time": "on",
        "comments_close_after_days": "", "comment_thread_depth": 5, "custom_domain": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- Who may open them -----------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMINISTRATOR])
def test_owners_and_administrators_open_the_settings(site, role):
    response = as_user(member(site, role)).get(URL)

    assert response.status_code == 200
    assert '<label for="id_title">Site title</label>' in response.content.decode()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR])
def test_other_roles_get_a_clear_403(site, role):
    response = as_user(member(site, role)).get(URL)

    html = response.content.decode()
    assert response.status_code == 403
    assert "You can’t open this page" in html
    assert "Your role on this site does not allow this." in html


@pytest.mark.parametrize("role", [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR])
def test_other_roles_cannot_save_settings(site, role):
    response = as_user(member(site, role)).post(URL, form_data(site, title="Hijacked"))

    site.refresh_from_db()
    assert response.status_code == 403
    assert site.title == "Demo Site"


def test_a_signed_in_stranger_gets_a_403(site):
    response = as_user(UserFactory()).get(URL)

    assert response.status_code == 403
    assert "You are not a member of this site." in response.content.decode()


def test_a_guest_is_sent_to_log_in(client, site):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_saving_needs_a_csrf_token(site, owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    response = client.post(URL, form_data(site, title="Changed"))

    site.refresh_from_db()
    assert response.status_code == 403
    assert site.title == "Demo Site"


@pytest.mark.parametrize(("role", "shown"), [
    (Role.OWNER, True), (Role.ADMINISTRATOR, True), (Role.EDITOR, False),
    (Role.AUTHOR, False), (Role.CONTRIBUTOR, False),
])
def test_the_nav_shows_settings_only_to_roles_that_may_change_them(site, role, shown):
    response = as_user(member(site, role)).get("/dashboard/demo/")

    assert ('href="/dashboard/demo/settings/"' in response.content.decode()) is shown


@pytest.mark.parametrize(("role", "shown"), [
    (Role.OWNER, True), (Role.EDITOR, True), (Role.AUTHOR, True), (Role.CONTRIBUTOR, False),
])
def test_the_nav_shows_media_only_to_roles_that_may_upload(site, role, shown):
    response = as_user(member(site, role)).get("/dashboard/demo/")

    html = response.content.decode()
    assert ('href="/dashboard/demo/media/"' in html) is shown
    assert 'href="/dashboard/demo/posts/"' in html
    assert 'href="/dashboard/demo/pages/"' in html


def test_the_current_screen_is_marked_in_the_nav(site, owner):
    response = as_user(owner).get(URL)

    assert ('<a href="/dashboard/demo/settings/" aria-current="page">Settings</a>'
            in response.content.decode())


# --- What they change ------------------------------------------------------------------


def test_a_new_site_has_the_default_comment_policy(reader):
    site = site_create(owner=reader, slug="fresh", title="Fresh")

    assert site.comments_open_by_default is True
    assert site.comments_hold_first_time is True
    assert site.comments_close_after_days is None
    assert site.comment_thread_depth == 5


def test_saving_changes_every_setting(site, owner):
    response = as_user(owner).post(URL, form_data(
        site, title="Renamed", tagline="New words", language="fr", timezone="Europe/Paris",
        theme="press", posts_per_page=7, is_public=None, comments_open_by_default=None,
        comments_hold_first_time=None, comments_close_after_days=30, comment_thread_depth=3))

    site.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == URL
    assert (site.title, site.tagline, site.language, site.timezone, site.theme,
            site.posts_per_page) == ("Renamed", "New words", "fr", "Europe/Paris", "press", 7)
    assert site.is_public is False
    assert site.comments_open_by_default is False
    assert site.comments_hold_first_time is False
    assert site.comments_close_after_days == 30
    assert site.comment_thread_depth == 3


def test_saving_says_so(site, owner):
    client = as_user(owner)

    response = client.post(URL, form_data(site), follow=True)

    assert "Settings saved." in response.content.decode()


def test_an_administrator_can_save_settings(site):
    client = as_user(member(site, Role.ADMINISTRATOR))

    client.post(URL, form_data(site, title="By the admin"))

    site.refresh_from_db()
    assert site.title == "By the admin"


def test_an_empty_close_after_means_comments_never_close(site, owner):
    site_update(site=site, comments_close_after_days=10)

    as_user(owner).post(URL, form_data(site, comments_close_after_days=""))

    site.refresh_from_db()
    assert site.comments_close_after_days is None


def test_the_time_zone_is_a_list_of_zone_names(site, owner):
    response = as_user(owner).get(URL)

    html = response.content.decode()
    assert '<select name="timezone"' in html
    assert '<option value="America/New_York">America/New York</option>' in html


@pytest.mark.parametrize(("field", "value"), [
    ("timezone", "Mars/Olympus"),
    ("language", "xx-nope"),
    ("theme", "geocities"),
    ("posts_per_page", 0),
    ("posts_per_page", 101),
    ("comment_thread_depth", 0),
    ("comment_thread_depth", 11),
    ("comments_close_after_days", 0),
    ("comments_close_after_days", -3),
    ("title", ""),
])
def test_a_bad_value_is_refused_and_nothing_is_saved(site, owner, field, value):
    response = as_user(owner).post(URL, form_data(site, **{field: value, "tagline": "Changed"}))

    site.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in html or f'id="id_{field}_0_error"' in html
    assert site.tagline == "Notes from somewhere"


def test_errors_are_summed_up_at_the_top(site, owner):
    response = as_user(owner).post(URL, form_data(site, title="", comment_thread_depth=0))

    assert "Please correct the 2 fields marked below." in response.content.decode()


def test_the_header_keeps_the_saved_title_when_the_form_has_errors(site, owner):
    response = as_user(owner).post(URL, form_data(site, title="Unsaved", posts_per_page=0))

    assert "<title>Settings ‹ Demo Site — Byline</title>" in response.content.decode()


def test_site_update_refuses_to_change_the_address(site):
    with pytest.raises(TypeError):
        site_update(site=site, slug="elsewhere")


# --- The custom domain -----------------------------------------------------------------


def test_a_custom_domain_is_saved_as_the_sites_domain(site, owner):
    as_user(owner).post(URL, form_data(site, custom_domain="Blog.Example.COM."))

    assert list(site.domains.values_list("host", "is_primary")) == [("blog.example.com", True)]


def test_the_saved_domain_is_shown_in_the_form(site, owner):
    Domain.objects.create(site=site, host="blog.example.com", is_primary=True)

    response = as_user(owner).get(URL)

    assert 'value="blog.example.com"' in response.content.decode()


def test_a_new_domain_replaces_the_old_one(site, owner):
    Domain.objects.create(site=site, host="old.example.com", is_primary=True)

    as_user(owner).post(URL, form_data(site, custom_domain="new.example.com"))

    assert list(site.domains.values_list("host", flat=True)) == ["new.example.com"]


def test_an_empty_domain_removes_it(site, owner):
    Domain.objects.create(site=site, host="old.example.com", is_primary=True)

    as_user(owner).post(URL, form_data(site, custom_domain=""))

    assert not site.domains.exists()


def test_an_international_domain_is_stored_in_ascii(site, owner):
    as_user(owner).post(URL, form_data(site, custom_domain="blög.example"))

    assert list(site.domains.values_list("host", flat=True)) == ["xn--blg-tna.example"]


@pytest.mark.parametrize("host", [
    "http://blog.example.com",
    "blog.example.com/path",
    "blog.example.com:8080",
    "localhost",
    "example",
    "192.168.1.10",
    "blog..example.com",
    "-blog.example.com",
    "blog_.example.com",
    "*.example.com",
    "a" * 64 + ".example.com",
    "demo.localhost",
    "other.localhost",
    "testserver",
])
def test_a_host_that_is_not_a_domain_of_ones_own_is_refused(site, owner, host):
    response = as_user(owner).post(URL, form_data(site, custom_domain=host, title="Changed"))

    site.refresh_from_db()
    assert response.status_code == 200
    assert 'id="id_custom_domain_error"' in response.content.decode()
    assert not Domain.objects.exists()
    assert site.title == "Demo Site"


def test_a_domain_another_site_uses_is_refused(site, owner):
    other = SiteFactory(slug="other")
    Domain.objects.create(site=other, host="blog.example.com", is_primary=True)

    response = as_user(owner).post(URL, form_data(site, custom_domain="BLOG.example.com"))

    assert "This domain is already used by another site." in response.content.decode()
    assert list(Domain.objects.values_list("site__slug", flat=True)) == ["other"]


def test_a_domain_taken_between_the_check_and_the_save_is_refused_on_the_form(
        site, owner, monkeypatch):
    Domain.objects.create(site=SiteFactory(slug="other"), host="blog.example.com")
    # As if the other site claimed it after the form's own check had passed.
    monkeypatch.setattr(SiteSettingsForm, "clean_custom_domain",
                        lambda form: form.cleaned_data["custom_domain"])

    response = as_user(owner).post(URL, form_data(site, custom_domain="blog.example.com",
                                                  title="Changed"))

    site.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_custom_domain_error"' in html
    assert "This domain is already used by another site." in html
    assert site.title == "Demo Site"


def test_the_service_refuses_a_domain_another_site_uses(site):
    Domain.objects.create(site=SiteFactory(slug="other"), host="blog.example.com")

    with pytest.raises(ValidationError) as refused:
        site_update(site=site, custom_domain="blog.example.com")

    assert refused.value.message_dict == {"host": ["This domain is already used by another site."]}


def test_the_custom_domain_then_serves_the_site(client, site, owner):
    as_user(owner).post(URL, form_data(site, custom_domain="blog.example.com"))

    response = client.get("/", HTTP_HOST="blog.example.com")

    assert response.status_code == 200
    assert "Demo Site" in response.content.decode()


# --- The 403 page ----------------------------------------------------------------------


def test_the_403_page_works_under_a_sites_own_address(site):
    request = RequestFactory().get("/", HTTP_HOST="demo.localhost")
    request.site = site
    request.user = UserFactory()
    set_urlconf("byline.site_urls")  # what SiteMiddleware does for a site's host
    try:
        response = permission_denied(request, PermissionDenied("Members only."))
    finally:
        set_urlconf(None)

    html = response.content.decode()
    assert response.status_code == 403
    assert "Members only." in html
    assert 'href="http://localhost/"' in html  # the platform, absolute from a site's host
