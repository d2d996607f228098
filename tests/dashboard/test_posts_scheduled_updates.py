"""Scheduled changes to a live post: prepared in the editor for a time in the site's zone,
invisible to readers until then, live for the first reader after it with no job run, and
applied exactly once."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from byline.content.models import Post, ScheduledUpdate
from byline.content.services import scheduled_update_create
from byline.tenancy.roles import Role
from tests.factories import MembershipFactory, SiteFactory, make_post

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def url(name, site, *args):
    return reverse(f"dashboard:{name}", args=[site.slug, *args])


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return NOON


def schedule(browser, site, post, when, **changes):
    page = url("post_edit", site, post.pk)
    csrf = TOKEN.search(browser.get(page).text).group(1)
    data = {
        "csrfmiddlewaretoken": csrf, "title": post.title, "source": post.source,
        "excerpt": post.excerpt, "slug": post.slug, "tags": "", "new_category": "",
        "featured_image": "", "visibility": "public", "password": "", "publish_at": "",
        "update_at": when, "allow_comments": "on", "allow_pings": "on",
        "version": str(post.version), "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0",
        "action": "schedule_update",
    }
    data.update(changes)
    return browser.post(page, data)


def test_scheduling_changes_leaves_the_live_post_as_it_is(site, browser, at_noon):
    post = make_post(site=site, title="Opening hours", source="Open nine to five.")
    browser.force_login(site.owner)

    response = schedule(browser, site, post, "2026-03-11T08:00",
                        source="Open eight to six.")

    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.source, post.version) == ("Open nine to five.", 1)
    update = ScheduledUpdate.objects.get()
    assert update.source == "Open eight to six."
    assert "will replace the live post" in browser.get(response.url).text


def test_the_time_of_a_scheduled_change_is_read_in_the_sites_zone(browser, at_noon):
    site = SiteFactory(timezone="Asia/Tokyo")
    post = make_post(site=site, source="Old.")
    browser.force_login(site.owner)

    schedule(browser, site, post, "2026-03-11T09:00", source="New.")

    # 09:00 in Tokyo is midnight UTC.
    assert ScheduledUpdate.objects.get().apply_at == datetime(2026, 3, 11, 0, 0, tzinfo=UTC)
    post.refresh_from_db()
    assert post.next_update_at == datetime(2026, 3, 11, 0, 0, tzinfo=UTC)


def test_the_editor_lists_pending_changes_with_a_cancel_button(site, browser, at_noon):
    post = make_post(site=site)
    scheduled_update_create(post=post, user=site.owner, title="Later title", source="x",
                            apply_at=NOON + timedelta(days=1))
    browser.force_login(site.owner)

    html = browser.get(url("post_edit", site, post.pk)).text

    assert "Scheduled changes" in html
    assert "Later title" in html
    assert "2026-03-11 12:00" in html
    assert url("scheduled_update_cancel", site, post.pk, ScheduledUpdate.objects.get().pk) in html


def test_cancelling_a_scheduled_change_drops_it(site, browser, at_noon):
    post = make_post(site=site)
    update = scheduled_update_create(post=post, user=site.owner, title="Later", source="x",
                                     apply_at=NOON + timedelta(days=1))
    browser.force_login(site.owner)
    csrf = TOKEN.search(browser.get(url("post_edit", site, post.pk)).text).group(1)

    browser.post(url("scheduled_update_cancel", site, post.pk, update.pk),
                 {"csrfmiddlewaretoken": csrf})

    assert not ScheduledUpdate.objects.exists()
    post.refresh_from_db()
    assert post.next_update_at is None


def test_a_change_scheduled_in_the_past_is_refused(site, browser, at_noon):
    post = make_post(site=site, source="Old.")
    browser.force_login(site.owner)

    response = schedule(browser, site, post, "2026-03-10T11:00", source="New.")

    assert response.status_code == 400
    assert "Choose a time in the future." in response.text
    assert not ScheduledUpdate.objects.exists()


def test_a_change_needs_a_time(site, browser, at_noon):
    post = make_post(site=site, source="Old.")
    browser.force_login(site.owner)

    response = schedule(browser, site, post, "", source="New.")

    assert response.status_code == 400
    assert "Choose when these changes go live." in response.text


def test_a_draft_is_not_offered_scheduled_changes(site, browser):
    post = make_post(site=site, status="draft")
    browser.force_login(site.owner)

    html = browser.get(url("post_edit", site, post.pk)).text

    assert 'value="schedule_update"' not in html


def test_someone_elses_post_cannot_get_changes_scheduled_by_an_author(site, browser, at_noon):
    post = make_post(site=site, source="Theirs.")
    author = MembershipFactory(site=site, role=Role.AUTHOR).user
    browser.force_login(site.owner)
    csrf = TOKEN.search(browser.get(url("post_edit", site, post.pk)).text).group(1)
    browser.force_login(author)

    response = browser.post(url("post_edit", site, post.pk), {
        "csrfmiddlewaretoken": csrf, "title": "T", "source": "Mine.", "visibility": "public",
        "version": "1", "update_at": "2026-03-11T08:00", "action": "schedule_update",
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"})

    assert response.status_code == 403
    assert not ScheduledUpdate.objects.exists()


# --- What readers see -------------------------------------------------------------------------


@pytest.fixture
def live_with_update(site, at_noon):
    post = make_post(site=site, title="Opening hours", source="Open nine to five.")
    scheduled_update_create(post=post, user=site.owner, title="New opening hours",
                            source="Open eight to six.", apply_at=NOON + timedelta(hours=2))
    return post


def test_readers_see_the_live_version_before_the_time(site, site_client, time_machine,
                                                     live_with_update):
    time_machine.move_to(NOON + timedelta(hours=1, minutes=59), tick=False)

    html = site_client.get(live_with_update.get_absolute_url()).text

    assert "Open nine to five." in html
    assert "eight to six" not in html


def test_the_first_reader_after_the_time_sees_the_new_version_without_a_job(
        site, site_client, time_machine, live_with_update):
    time_machine.move_to(NOON + timedelta(hours=2), tick=False)

    html = site_client.get(live_with_update.get_absolute_url()).text

    assert "Open eight to six." in html
    assert "New opening hours" in html
    post = Post.objects.get(pk=live_with_update.pk)
    assert (post.next_update_at, post.version) == (None, 2)
    assert ScheduledUpdate.objects.get().applied_at == NOON + timedelta(hours=2)


def test_later_readers_do_not_apply_the_change_again(site, site_client, time_machine,
                                                    live_with_update):
    time_machine.move_to(NOON + timedelta(hours=3), tick=False)

    for _ in range(3):
        site_client.get(live_with_update.get_absolute_url())

    post = Post.objects.get(pk=live_with_update.pk)
    assert post.version == 2
    assert post.revisions.filter(source="Open eight to six.").count() == 1


def test_a_page_gets_its_scheduled_change_too(site, site_client, time_machine, at_noon):
    page = make_post(site=site, title="Contact", source="Call us.", kind="page")
    scheduled_update_create(post=page, user=site.owner, title="Contact", source="Write to us.",
                            apply_at=NOON + timedelta(minutes=30))
    time_machine.move_to(NOON + timedelta(minutes=31), tick=False)

    html = site_client.get(page.get_absolute_url()).text

    assert "Write to us." in html
