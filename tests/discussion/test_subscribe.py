"""Subscribing to a site by e-mail: double opt-in, one-click unsubscribe, no enumeration,
and new posts mailed once to confirmed subscribers (through a real SMTP server)."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from byline.discussion import social
from byline.discussion.models import Subscriber
from byline.discussion.tasks import post_published_notify
from tests.discussion.social_helpers import browser, csrf_token, path_of, start_inbox
from tests.factories import SiteFactory, make_post
from tests.smtp import body_text, links_in

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'value="[^"]{32,}"')


@pytest.fixture(autouse=True)
def fresh_cache():
    """The once-guards live in the cache; each test starts with none."""
    cache.clear()


@pytest.fixture
def inbox(settings):
    box = start_inbox(settings)
    yield box
    box.stop()


@pytest.fixture
def post(site):
    return make_post(site=site, title="On hedgerows")


def subscribe(email: str, post) -> str:
    client = browser()
    assert client.get(post.get_absolute_url()).status_code == 200
    response = client.post("/_/subscribe/", {"email": email})
    assert response.status_code == 200
    return response.content.decode()


def confirmed(site, email: str) -> Subscriber:
    return Subscriber.objects.create(site=site, email=email, confirmed_at=timezone.now())


def test_subscribing_mails_a_confirmation_link_and_subscribes_nobody_yet(
        site, post, inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = subscribe("ann@example.org", post)
    assert "Check your inbox" in page
    mail = inbox.wait_for("ann@example.org", subject="Confirm your subscription to Demo Site")
    subscriber = Subscriber.objects.get(site=site, email="ann@example.org")
    assert subscriber.confirmed_at is None
    assert [path_of(link) for link in links_in(mail) if "/confirm/" in link] == [
        f"/@demo/_/subscribe/confirm/{subscriber.token}/"]
    assert mail["List-Unsubscribe"] is None


def test_opening_the_confirmation_link_only_shows_a_button(site, post):
    subscriber = Subscriber.objects.create(site=site, email="ann@example.org")
    client = browser(host="localhost")
    response = client.get(f"/@demo/_/subscribe/confirm/{subscriber.token}/")
    assert response.status_code == 200
    assert "Confirm subscription</button>" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_pressing_the_confirm_button_subscribes(site, post):
    subscriber = Subscriber.objects.create(site=site, email="ann@example.org")
    client = browser(host="localhost")
    url = f"/@demo/_/subscribe/confirm/{subscriber.token}/"
    response = client.post(url, {"csrfmiddlewaretoken": csrf_token(client, url)})
    assert response.status_code == 200
    assert "You're subscribed" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None


def test_an_unknown_confirmation_link_says_so(site):
    response = browser().get("/_/subscribe/confirm/not-a-token/")
    assert response.status_code == 404
    assert "no longer valid" in response.content.decode()


def test_a_token_of_another_site_confirms_nothing_here(site, post):
    other = SiteFactory(slug="other")
    subscriber = Subscriber.objects.create(site=other, email="ann@example.org")
    assert browser().get(f"/_/subscribe/confirm/{subscriber.token}/").status_code == 404


def test_the_answer_is_the_same_whether_or_not_the_address_is_subscribed(
        site, post, inbox, django_capture_on_commit_callbacks):
    confirmed(site, "known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = subscribe("known@example.org", post)
        unknown = subscribe("new@example.org", post)
    assert CSRF_VALUE.sub("", known) == CSRF_VALUE.sub("", unknown)
    # The confirmed reader is not mailed again; the new one is asked to confirm.
    assert [str(m["To"]) for m in inbox.messages] == ["new@example.org"]


def test_asking_again_does_not_flood_an_inbox(site, post, inbox,
                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            subscribe("Ann@Example.org", post)
    assert len(inbox.messages) == 1
    assert Subscriber.objects.filter(email="ann@example.org").count() == 1


def test_an_invalid_address_is_refused_with_a_message_tied_to_the_field(site, post):
    client = browser()
    assert client.get(post.get_absolute_url()).status_code == 200
    response = client.post("/_/subscribe/", {"email": "not an address\r\nBcc: x@y.z"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'aria-describedby="subscribe-email-error"' in page
    assert 'id="subscribe-email-error"' in page and "valid email" in page
    assert Subscriber.objects.count() == 0


def test_a_subscription_sent_from_another_site_is_refused(site):
    # Guests' pages hold no CSRF token (they come from the page cache); a forged form from
    # another site is told apart by the browser's Origin header.
    response = browser().post("/_/subscribe/", {"email": "a@b.example"},
                              HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_a_signed_in_reader_subscribing_needs_a_csrf_token(site, reader):
    response = browser(reader).post("/_/subscribe/", {"email": "a@b.example"})
    assert response.status_code == 403


def test_a_new_post_is_mailed_to_confirmed_subscribers_only(
        site, inbox, django_capture_on_commit_callbacks):
    reader = confirmed(site, "ann@example.org")
    Subscriber.objects.create(site=site, email="pending@example.org")
    post = make_post(site=site, title="Blackthorn in flower")
    with django_capture_on_commit_callbacks(execute=True):
        social.post_published(post=post)
    mail = inbox.wait_for("ann@example.org", subject="Blackthorn in flower")
    assert str(mail["Subject"]) == "[Demo Site] Blackthorn in flower"
    links = [path_of(link) for link in links_in(mail)]
    y, m, d = post.local_date_parts()
    assert f"/@demo/{y}/{m:02d}/{d:02d}/{post.slug}/" in links
    unsubscribe = f"http://localhost/@demo/_/unsubscribe/{reader.token}/"
    assert unsubscribe in body_text(mail)
    assert str(mail["List-Unsubscribe"]).strip() == f"<{unsubscribe}>"
    assert str(mail["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"
    assert [str(m["To"]) for m in inbox.messages] == ["ann@example.org"]


def test_a_post_is_mailed_once_however_often_the_task_runs(site, inbox):
    confirmed(site, "ann@example.org")
    post = make_post(site=site, title="Once only")
    assert post_published_notify.call(post_id=post.pk) == 1
    assert post_published_notify.call(post_id=post.pk) == 0
    assert len(inbox.messages) == 1


def test_a_post_that_is_not_public_yet_is_not_mailed_until_it_is(site, inbox, time_machine):
    confirmed(site, "ann@example.org")
    post = make_post(site=site, title="Later", status="scheduled",
                     published_at=timezone.now() + timedelta(hours=2))
    assert post_published_notify.call(post_id=post.pk) == 0
    time_machine.move_to(timezone.now() + timedelta(hours=3))
    assert post_published_notify.call(post_id=post.pk) == 1
    assert [str(m["Subject"]) for m in inbox.messages] == ["[Demo Site] Later"]


def test_drafts_and_old_posts_are_not_news(site, inbox):
    confirmed(site, "ann@example.org")
    draft = make_post(site=site, title="Draft", status="draft")
    old = make_post(site=site, title="Old", published_at=timezone.now() - timedelta(days=30))
    assert post_published_notify.call(post_id=draft.pk) == 0
    assert post_published_notify.call(post_id=old.pk) == 0
    assert inbox.messages == []


def test_the_unsubscribe_link_shows_a_button_and_changes_nothing_on_get(site):
    reader = confirmed(site, "ann@example.org")
    response = browser(host="localhost").get(f"/@demo/_/unsubscribe/{reader.token}/")
    assert response.status_code == 200
    assert "Unsubscribe</button>" in response.content.decode()
    assert Subscriber.objects.filter(pk=reader.pk).exists()


def test_one_click_unsubscribe_by_post_works_without_a_csrf_token(site):
    """RFC 8058: the mail provider POSTs List-Unsubscribe=One-Click, with no cookie."""
    reader = confirmed(site, "ann@example.org")
    response = browser(host="localhost").post(f"/@demo/_/unsubscribe/{reader.token}/",
                                              {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You're unsubscribed" in response.content.decode()
    assert not Subscriber.objects.filter(pk=reader.pk).exists()


def test_unsubscribing_twice_gives_the_same_answer(site):
    reader = confirmed(site, "ann@example.org")
    client = browser(host="localhost")
    first = client.post(f"/@demo/_/unsubscribe/{reader.token}/")
    second = client.post(f"/@demo/_/unsubscribe/{reader.token}/")
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.content == second.content


def test_an_unsubscribe_token_of_another_site_removes_nothing(site):
    other = SiteFactory(slug="other")
    stranger = confirmed(other, "ann@example.org")
    browser().post(f"/_/unsubscribe/{stranger.token}/")
    assert Subscriber.objects.filter(pk=stranger.pk).exists()


def test_a_scheduled_post_is_queued_to_be_mailed_when_its_time_comes(
        site, settings, django_capture_on_commit_callbacks):
    # Publishing is a query: nothing is written when a scheduled post goes public, so the
    # mail to subscribers waits in the (database) queue for its time.
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    due = timezone.now() + timedelta(hours=2)
    post = make_post(site=site, title="Tomorrow's walk", status="scheduled", published_at=due)
    with django_capture_on_commit_callbacks(execute=True):
        social.post_published(post=post)
    queued = DBTaskResult.objects.get(task_path__endswith="post_published_notify")
    assert queued.run_after == due
    assert queued.args_kwargs["kwargs"] == {"post_id": post.pk}
