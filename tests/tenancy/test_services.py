"""Creating a site: which addresses may be taken, and who owns the result."""

import pytest
from django.core.exceptions import ValidationError

from byline.tenancy.models import Site
from byline.tenancy.roles import Role
from byline.tenancy.services import site_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "slug", ["www", "api", "admin", "static", "media", "accounts", "wp-admin", "xmlrpc"]
)
def test_a_reserved_address_is_refused(reader, slug):
    with pytest.raises(ValidationError) as refused:
        site_create(owner=reader, slug=slug, title="Mine")

    assert "reserved" in " ".join(refused.value.message_dict["slug"])
    assert not Site.objects.exists()


@pytest.mark.parametrize(
    "slug",
    [
        pytest.param("-demo", id="leading-hyphen"),
        pytest.param("demo-", id="trailing-hyphen"),
        pytest.param("a" * 64, id="64-chars"),
        pytest.param("my.blog", id="dot"),
        pytest.param("my_blog", id="underscore"),
        pytest.param("my blog", id="space"),
        pytest.param("blög", id="non-ascii"),
        pytest.param("", id="empty"),
    ],
)
def test_an_invalid_address_is_refused(reader, slug):
    with pytest.raises(ValidationError) as refused:
        site_create(owner=reader, slug=slug, title="Mine")

    assert "slug" in refused.value.message_dict
    assert not Site.objects.exists()


def test_an_address_of_63_characters_is_accepted(reader):
    site = site_create(owner=reader, slug="a" * 63, title="Long")

    assert site.slug == "a" * 63


def test_a_site_address_with_capitals_is_refused_by_validation(reader):
    site = Site(owner=reader, slug="MyBlog", title="Mine")

    with pytest.raises(ValidationError) as refused:
        site.full_clean()

    assert "slug" in refused.value.message_dict


def test_an_address_typed_in_capitals_is_stored_in_lowercase(reader):
    site = site_create(owner=reader, slug=" MyBlog ", title="Mine")

    assert site.slug == "myblog"


def test_an_address_already_taken_is_refused(site, reader):
    with pytest.raises(ValidationError) as refused:
        site_create(owner=reader, slug="demo", title="Copycat")

    assert "slug" in refused.value.message_dict


def test_an_unknown_time_zone_is_refused(reader):
    with pytest.raises(ValidationError) as refused:
        site_create(owner=reader, slug="mine", title="Mine", timezone="Mars/Olympus")

    assert "timezone" in refused.value.message_dict


def test_the_creator_becomes_the_owner(reader):
    site = site_create(owner=reader, slug="mine", title="Mine")

    assert site.owner == reader
    assert site.role_of(reader) == Role.OWNER
    assert site.user_can(reader, "delete_site")
