"""Putting an image from the media library into a post as a captioned figure."""

import pytest

from byline.content.models import Media, Post
from tests.factories import SiteFactory

from .test_editor import fields, submit, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def rain(site):
    return Media.objects.create(site=site, file="sites/x/rain.jpg", original_name="rain.jpg",
                                alt_text="Rain on a window", caption="October, again",
                                width=1200, height=800, mime_type="image/jpeg")


@pytest.fixture
def browser():
    from django.test import Client

    return Client(enforce_csrf_checks=True)


def test_without_javascript_insert_adds_a_captioned_figure_and_saves_nothing(site, browser,
                                                                             rain):
    browser.force_login(site.owner)

    response = submit(browser, url("post_new", site),
                      fields(source="Before the rain.", action="insert_image",
                             insert_image=str(rain.pk)))

    assert response.status_code == 200
    body = response.text
    assert "Before the rain.\n\n&lt;figure&gt;&lt;img" in body  # in the textarea, escaped
    assert "<figcaption>October, again</figcaption>" in body  # in the preview, rendered
    assert 'alt="Rain on a window"' in body
    assert not Post.objects.exists()


def test_the_image_list_offers_only_this_sites_images(site, browser, rain):
    Media.objects.create(site=SiteFactory(), file="sites/y/other.jpg",
                         original_name="other-site.jpg", mime_type="image/jpeg")
    browser.force_login(site.owner)

    page = browser.get(url("post_new", site)).text

    assert "rain.jpg — October, again" in page
    assert "other-site.jpg" not in page


def test_another_sites_image_cannot_be_inserted(site, browser):
    foreign = Media.objects.create(site=SiteFactory(), file="sites/y/a.jpg",
                                   caption="Not yours", mime_type="image/jpeg")
    browser.force_login(site.owner)

    response = submit(browser, url("post_new", site),
                      fields(source="Mine.", action="insert_image", insert_image=str(foreign.pk)))

    assert "Not yours" not in response.text
