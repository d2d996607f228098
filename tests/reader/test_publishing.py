"""Who may read what: scheduled, draft, private and password-protected posts."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from byline.tenancy.roles import Role
from tests.factories import MembershipFactory, make_post

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
TODAY = "/2026/03/10/"


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return NOON


def member(site, role):
    return MembershipFactory(site=site, role=role).user


# --- Scheduled posts -----------------------------------------------------------------


def test_a_scheduled_post_is_not_found_before_its_time(site, site_client, at_noon):
    make_post(site=site, title="Launch", source="We launch.",
              published_at=NOON + timedelta(hours=1))

    assert site_client.get(TODAY + "launch/").status_code == 404


def test_a_scheduled_post_is_readable_once_its_time_comes_without_any_job(
        site, site_client, at_noon, time_machine):
    make_post(site=site, title="Launch", source="We launch.",
              published_at=NOON + timedelta(hours=1))

    time_machine.move_to(NOON + timedelta(hours=1, seconds=1), tick=False)
    response = site_client.get(TODAY + "launch/")

    assert response.status_code == 200
    assert "We launch." in response.text


def test_a_scheduled_post_joins_the_home_page_once_its_time_comes(
        site, site_client, at_noon, time_machine):
    make_post(site=site, title="Launch", published_at=NOON + timedelta(hours=1))
    assert "Launch" not in site_client.get("/").text

    time_machine.move_to(NOON + timedelta(hours=2), tick=False)

    assert "Launch" in site_client.get("/").text


# --- Hidden posts: draft, scheduled for later, private --------------------------------

HIDDEN = [
    pytest.param("draft", None, id="draft"),
    pytest.param("scheduled", NOON + timedelta(days=1), id="scheduled-later"),
    pytest.param("private", NOON - timedelta(hours=1), id="private"),
]


def hidden_post(site, status, published_at, author=None):
    post = make_post(site=site, author=author, title="Hidden thoughts",
                     source="Not for everyone.", status=status, published_at=published_at)
    day = (published_at or NOON).strftime("/%Y/%m/%d/")
    return post, f"{day}{post.slug}/"


@pytest.mark.parametrize(("status", "published_at"), HIDDEN)
def test_a_hidden_post_is_not_found_by_an_anonymous_visitor(site, site_client, at_noon,
                                                             status, published_at):
    _, url = hidden_post(site, status, published_at)

    response = site_client.get(url)

    assert response.status_code == 404
    assert "Not for everyone." not in response.text


@pytest.mark.parametrize(("status", "published_at"), HIDDEN)
def test_a_hidden_post_is_not_found_by_a_signed_in_non_member(site, site_client, reader,
                                                              at_noon, status, published_at):
    _, url = hidden_post(site, status, published_at)
    site_client.force_login(reader)

    response = site_client.get(url)

    assert response.status_code == 404
    assert "Not for everyone." not in response.text


@pytest.mark.parametrize(("status", "published_at"), HIDDEN)
def test_a_hidden_post_is_not_listed_on_the_home_page(site, site_client, at_noon,
                                                      status, published_at):
    hidden_post(site, status, published_at)

    assert "Hidden thoughts" not in site_client.get("/").text


@pytest.mark.parametrize(("status", "published_at"), HIDDEN)
def test_the_author_of_a_hidden_post_gets_a_preview(site, site_client, at_noon,
                                                    status, published_at):
    writer = member(site, Role.AUTHOR)
    _, url = hidden_post(site, status, published_at, author=writer)
    site_client.force_login(writer)

    response = site_client.get(url)

    assert response.status_code == 200
    assert "Preview." in response.text
    assert "Not for everyone." in response.text


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMINISTRATOR, Role.EDITOR])
@pytest.mark.parametrize(("status", "published_at"), HIDDEN)
def test_the_sites_editors_get_a_preview_of_anyones_hidden_post(site, site_client, at_noon,
                                                                role, status, published_at):
    writer = member(site, Role.CONTRIBUTOR)
    _, url = hidden_post(site, status, published_at, author=writer)
    site_client.force_login(site.owner if role == Role.OWNER else member(site, role))

    response = site_client.get(url)

    assert response.status_code == 200
    assert "Preview." in response.text


def test_a_preview_is_never_stored_by_caches(site, site_client, at_noon):
    _, url = hidden_post(site, "draft", None)
    site_client.force_login(site.owner)

    response = site_client.get(url)

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_preview_asks_search_engines_not_to_index_it(site, site_client, at_noon):
    _, url = hidden_post(site, "draft", None)
    site_client.force_login(site.owner)

    assert '<meta name="robots" content="noindex">' in site_client.get(url).text


def test_a_published_post_is_not_shown_as_a_preview(site, site_client, at_noon):
    make_post(site=site, title="Out now")
    site_client.force_login(site.owner)

    response = site_client.get(TODAY + "out-now/")

    assert response.status_code == 200
    assert "Preview." not in response.text
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(("status", "published_at"), HIDDEN)
def test_an_author_cannot_preview_another_authors_hidden_post(site, site_client, at_noon,
                                                              status, published_at):
    _, url = hidden_post(site, status, published_at, author=member(site, Role.AUTHOR))
    site_client.force_login(member(site, Role.AUTHOR))

    assert site_client.get(url).status_code == 404


def test_a_member_of_another_site_cannot_preview_a_draft_here(site, site_client, at_noon):
    _, url = hidden_post(site, "draft", None)
    outsider = MembershipFactory(role=Role.OWNER).user
    site_client.force_login(outsider)

    assert site_client.get(url).status_code == 404


# --- Password-protected posts ---------------------------------------------------------

SECRET_URL = TODAY + "members-only/"


@pytest.fixture
def protected_post(site, at_noon):
    return make_post(site=site, title="Members only", source="The secret handshake is *firm*.",
                     password="open sesame")


def csrf_token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def test_a_protected_post_shows_the_password_form(protected_post, csrf_site_client):
    response = csrf_site_client.get(SECRET_URL)

    assert response.status_code == 200
    assert "This content is password protected." in response.text
    assert 'name="post_password"' in response.text


def test_a_protected_post_keeps_its_body_hidden_until_the_password_is_given(
        protected_post, csrf_site_client):
    response = csrf_site_client.get(SECRET_URL)

    assert "secret handshake" not in response.text


def test_a_protected_post_is_never_stored_by_caches(protected_post, csrf_site_client):
    response = csrf_site_client.get(SECRET_URL)

    assert "no-store" in response["Cache-Control"]


def test_a_wrong_password_is_refused_with_the_form_again(protected_post, csrf_site_client):
    form = csrf_site_client.get(SECRET_URL)

    response = csrf_site_client.post(SECRET_URL, {"csrfmiddlewaretoken": csrf_token(form),
                                                  "post_password": "open barley"})

    assert response.status_code == 403
    assert 'name="post_password"' in response.text
    assert "<em>firm</em>" not in response.text


def test_the_right_password_shows_the_body(protected_post, csrf_site_client):
    form = csrf_site_client.get(SECRET_URL)

    response = csrf_site_client.post(SECRET_URL, {"csrfmiddlewaretoken": csrf_token(form),
                                                  "post_password": "open sesame"}, follow=True)

    assert response.status_code == 200
    assert "The secret handshake is <em>firm</em>." in response.text
    assert 'name="post_password"' not in response.text


def test_the_password_form_without_a_csrf_token_is_refused(protected_post, csrf_site_client):
    csrf_site_client.get(SECRET_URL)

    response = csrf_site_client.post(SECRET_URL, {"post_password": "open sesame"})

    assert response.status_code == 403
    assert "<em>firm</em>" not in csrf_site_client.get(SECRET_URL).text
