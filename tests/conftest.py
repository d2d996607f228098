import pytest
from django.core.cache import caches
from django.test import Client

from tests.factories import SiteFactory, UserFactory


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with empty caches: ids repeat from test to test once the database
    rolls back, so a value cached under one test's site or post would leak into the next."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def site(db):
    return SiteFactory(slug="demo", title="Demo Site", timezone="UTC")


@pytest.fixture
def owner(site):
    return site.owner


@pytest.fixture
def reader(db):
    return UserFactory(username="reader")


@pytest.fixture
def site_client(client):
    """A test client that talks to sites by host, like a browser on demo.localhost."""
    client.defaults["HTTP_HOST"] = "demo.localhost"
    return client


@pytest.fixture
def csrf_site_client(db):
    """A browser-like client on demo.localhost that must send CSRF tokens with its forms."""
    return Client(enforce_csrf_checks=True, HTTP_HOST="demo.localhost")
