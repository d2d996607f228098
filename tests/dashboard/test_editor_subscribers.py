"""Publishing from the dashboard mails the site's confirmed e-mail subscribers."""

import pytest
from django.core import mail
from django.utils import timezone

from byline.discussion.models import Subscriber

from .test_editor import fields, submit, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    from django.test import Client

    return Client(enforce_csrf_checks=True)


def test_publishing_a_post_mails_confirmed_subscribers_once(site, browser,
                                                           django_capture_on_commit_callbacks):
    Subscriber.objects.create(site=site, email="fan@example.org", confirmed_at=timezone.now())
    Subscriber.objects.create(site=site, email="maybe@example.org")  # never confirmed
    browser.force_login(site.owner)

    with django_capture_on_commit_callbacks(execute=True):
        submit(browser, url("post_new", site), fields(title="Fresh news", action="publish"))

    recipients = [address for message in mail.outbox for address in message.to]
    assert recipients == ["fan@example.org"]
    assert "Fresh news" in mail.outbox[0].subject


def test_saving_a_draft_mails_nobody(site, browser, django_capture_on_commit_callbacks):
    Subscriber.objects.create(site=site, email="fan@example.org", confirmed_at=timezone.now())
    browser.force_login(site.owner)

    with django_capture_on_commit_callbacks(execute=True):
        submit(browser, url("post_new", site), fields(title="Not yet", action="draft"))

    assert mail.outbox == []
