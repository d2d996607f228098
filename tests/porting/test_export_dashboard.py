"""Dashboard → Export: owners and administrators download the WXR or the Markdown
archive; nobody else gets either (an export holds drafts and commenters' addresses)."""

import io
import zipfile

import pytest
import time_machine
from django.test import Client

from byline.tenancy.roles import Role
from tests.factories import MembershipFactory, SiteFactory, UserFactory
from tests.porting.test_export_wxr import NOW, build_moving_site, parse

pytestmark = pytest.mark.django_db

SCREEN = "/dashboard/moving/export/"
WXR = "/dashboard/moving/export/wxr/"
MARKDOWN = "/dashboard/moving/export/markdown/"


@pytest.fixture
def moving():
    with time_machine.travel(NOW, tick=False):
        return build_moving_site()


def as_user(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def member(site, role: str):
    return MembershipFactory(site=site, role=role).user


def download(client: Client, url: str):
    with time_machine.travel(NOW, tick=False):
        response = client.post(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


# --- The screen ---------------------------------------------------------------------------


def test_the_owner_sees_both_downloads_and_what_they_hold(moving):
    response = as_user(moving.site.owner).get(SCREEN)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Download WXR (WordPress)" in page
    assert "Download Markdown archive" in page
    assert "<strong>4</strong> posts" in page
    assert "<strong>2</strong> pages" in page
    assert "<strong>5</strong> comments" in page
    assert "<strong>1</strong> media file" in page
    assert f'action="{WXR}"' in page and f'action="{MARKDOWN}"' in page
    assert "no-store" in response["Cache-Control"]


def test_an_administrator_may_export(moving):
    admin = member(moving.site, Role.ADMINISTRATOR)

    assert as_user(admin).get(SCREEN).status_code == 200
    assert download(as_user(admin), WXR)[0].status_code == 200


@pytest.mark.parametrize("role", [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR])
@pytest.mark.parametrize("url", [SCREEN, WXR, MARKDOWN])
def test_other_roles_get_403(moving, role, url):
    client = as_user(member(moving.site, role))

    response = client.get(url) if url == SCREEN else client.post(url)

    assert response.status_code == 403


@pytest.mark.parametrize("url", [SCREEN, WXR, MARKDOWN])
def test_a_signed_in_stranger_gets_403(moving, url):
    client = as_user(UserFactory())

    response = client.get(url) if url == SCREEN else client.post(url)

    assert response.status_code == 403


def test_another_sites_owner_cannot_export_this_one(moving):
    other = SiteFactory(slug="elsewhere")

    assert download(as_user(other.owner), WXR)[0].status_code == 403
    assert as_user(other.owner).get("/dashboard/elsewhere/export/").status_code == 200


def test_a_guest_is_sent_to_log_in(moving, client):
    response = client.post(WXR)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_nav_shows_export_to_owners_only(moving):
    owner_page = as_user(moving.site.owner).get("/dashboard/moving/").content.decode()
    author_page = as_user(moving.author).get("/dashboard/moving/").content.decode()

    assert f'href="{SCREEN}"' in owner_page
    assert f'href="{SCREEN}"' not in author_page


# --- The downloads ------------------------------------------------------------------------


def test_the_wxr_is_streamed_as_an_attachment(moving):
    response, body = download(as_user(moving.site.owner), WXR)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="moving.wordpress.2026-06-15.xml"')
    assert "no-store" in response["Cache-Control"]
    root = parse(body)
    assert len(root.findall("channel/item")) == 7


def test_the_wxr_links_use_the_sites_own_address(moving, settings):
    settings.BYLINE_BASE_DOMAIN = "localhost"

    _, body = download(as_user(moving.site.owner, HTTP_HOST="localhost:8000"), WXR)

    assert parse(body).findtext("channel/link") == "http://moving.localhost:8000/"


def test_the_markdown_archive_is_a_zip_attachment(moving):
    response, body = download(as_user(moving.site.owner), MARKDOWN)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        'attachment; filename="moving.markdown.2026-06-15.zip"')
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert "posts/2026-06-13-creme-brulee.md" in names
    assert "pages/team.md" in names


@pytest.mark.parametrize("url", [WXR, MARKDOWN])
def test_downloads_are_post_only(moving, url):
    assert as_user(moving.site.owner).get(url).status_code == 405


@pytest.mark.parametrize("url", [WXR, MARKDOWN])
def test_downloads_need_a_csrf_token(moving, url):
    client = as_user(moving.site.owner, enforce_csrf_checks=True)

    assert client.post(url).status_code == 403
