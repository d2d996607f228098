"""Generated avatars: an SVG drawn from a seed, the same every time, with no outside service."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/_/avatar/0123456789abcdef.svg"


def test_an_avatar_is_an_svg_image(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.text.startswith("<svg ")


def test_the_same_seed_draws_the_same_avatar(client):
    assert client.get(URL).content == client.get(URL).content


def test_different_seeds_draw_different_avatars(client):
    assert client.get(URL).content != client.get("/_/avatar/fedcba9876543210.svg").content


def test_an_avatar_may_be_cached_for_a_long_time(client):
    cache_control = client.get(URL)["Cache-Control"]

    assert "public" in cache_control
    assert "immutable" in cache_control


def test_an_avatar_cannot_run_scripts(client):
    assert "default-src 'none'" in client.get(URL)["Content-Security-Policy"]


def test_an_avatar_is_also_served_on_a_sites_host(site, client):
    response = client.get(URL, HTTP_HOST="demo.localhost")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"


def test_a_user_without_a_photo_has_a_generated_avatar(client):
    user = UserFactory()

    response = client.get(user.avatar_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"


def test_a_users_avatar_address_does_not_reveal_their_id(client):
    user = UserFactory()

    assert f"/{user.pk}." not in user.avatar_url
    assert f"user:{user.pk}" not in user.avatar_url
