"""The Posts and Pages lists: status filters and their counts, search, pages, bulk actions,
the trash, and who sees and may change which rows."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from byline.content.models import Post, Status
from byline.content.services import post_trash
from byline.tenancy.roles import Role
from tests.factories import MembershipFactory, SiteFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def member(site, role):
    return MembershipFactory(site=site, role=role).user


def url(name, site, *args):
    return reverse(f"dashboard:{name}", args=[site.slug, *args])


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def signed_in(browser, user):
    browser.force_login(user)
    return browser


def post_form(browser, page_url, data):
    """Submit a form of the page at `page_url` the way a browser does: with its token."""
    token = TOKEN.search(browser.get(page_url).text).group(1)
    return browser.post(page_url, {"csrfmiddlewaretoken": token, **data})


def count_of(html, label):
    match = re.search(rf">{label}<span class=\"count\">\((\d+)\)</span>", html)
    return int(match.group(1))


@pytest.fixture
def mixed(site):
    """One post in each state, all by the owner."""
    now = timezone.now()
    return {
        "published": make_post(site=site, title="Out in the world"),
        "draft": make_post(site=site, title="Half an idea", status="draft"),
        "scheduled": make_post(site=site, title="Next week's news",
                               published_at=now + timedelta(days=7)),
        "private": make_post(site=site, title="For the editors", status="private"),
        "trashed": post_trash(post=make_post(site=site, title="Thrown away"),
                              user=site.owner),
    }


# --- Filters, counts, search, pages -----------------------------------------------------


def test_the_list_counts_posts_in_each_state(site, browser, mixed):
    html = signed_in(browser, site.owner).get(url("posts", site)).text

    counts = {label: count_of(html, label) for label in
              ("All", "Published", "Drafts", "Scheduled", "Private", "Trash")}
    assert counts == {"All": 4, "Published": 1, "Drafts": 1, "Scheduled": 1, "Private": 1,
                      "Trash": 1}


@pytest.mark.parametrize(("status", "shown"), [
    ("published", "Out in the world"), ("drafts", "Half an idea"),
    ("scheduled", "Next week&#x27;s news"), ("private", "For the editors"),
    ("trash", "Thrown away"),
])
def test_a_status_filter_shows_only_posts_in_that_state(site, browser, mixed, status, shown):
    html = signed_in(browser, site.owner).get(url("posts", site), {"status": status}).text

    titles = re.findall(r'class="row-title"[^>]*>([^<]+)<', html)
    assert titles == [shown]


def test_all_leaves_out_the_trash(site, browser, mixed):
    html = signed_in(browser, site.owner).get(url("posts", site)).text

    assert "Thrown away" not in html
    assert "Half an idea" in html


def test_searching_finds_posts_by_a_part_of_their_title(site, browser):
    make_post(site=site, title="Walking the coast")
    make_post(site=site, title="Baking bread")

    html = signed_in(browser, site.owner).get(url("posts", site), {"q": "COAST"}).text

    assert "Walking the coast" in html
    assert "Baking bread" not in html


def test_the_pages_list_shows_pages_not_posts(site, browser):
    make_post(site=site, title="About us", kind="page")
    make_post(site=site, title="A post")

    html = signed_in(browser, site.owner).get(url("pages", site)).text

    assert "About us" in html
    assert "A post" not in html


def test_a_long_list_is_split_into_pages_of_twenty(site, browser):
    for i in range(23):
        make_post(site=site, title=f"Entry number {i:02d}")
    signed_in(browser, site.owner)

    first = browser.get(url("posts", site)).text
    second = browser.get(url("posts", site), {"page": 2}).text

    assert first.count('class="row-title"') == 20
    assert second.count('class="row-title"') == 3
    assert "Page 2 of 2" in second


def test_another_sites_posts_never_appear(site, browser):
    make_post(site=SiteFactory(), title="Somebody else's")

    html = signed_in(browser, site.owner).get(url("posts", site)).text

    assert "Somebody else" not in html


def test_the_list_costs_the_same_queries_for_few_or_many_rows(site, browser):
    signed_in(browser, member(site, Role.EDITOR))
    make_post(site=site, title="First")
    with CaptureQueriesContext(connection) as few:
        browser.get(url("posts", site))
    for i in range(15):
        make_post(site=site, title=f"More {i}", author=member(site, Role.AUTHOR))
    with CaptureQueriesContext(connection) as many:
        browser.get(url("posts", site))

    assert len(many) == len(few)


# --- Bulk actions --------------------------------------------------------------------------


def test_bulk_trash_moves_the_checked_posts_to_the_trash(site, browser):
    a, b, _untouched = (make_post(site=site, title=t) for t in ("A", "B", "C"))
    signed_in(browser, site.owner)

    response = post_form(browser, url("posts", site), {"bulk_action": "trash",
                                                       "ids": [a.pk, b.pk]})

    assert response.status_code == 302
    assert set(Post.objects.filter(trashed_at__isnull=False).values_list("title", flat=True)
               ) == {"A", "B"}
    assert "2 posts moved to the Trash." in browser.get(response.url).text


def test_bulk_publish_publishes_checked_drafts(site, browser):
    draft = make_post(site=site, title="Ready", status="draft")
    signed_in(browser, site.owner)

    post_form(browser, url("posts", site), {"bulk_action": "publish", "ids": [draft.pk]})

    assert Post.objects.for_site(site).published().filter(pk=draft.pk).exists()


def test_bulk_move_to_draft_takes_posts_off_the_site(site, browser):
    live = make_post(site=site, title="Oops")
    signed_in(browser, site.owner)

    post_form(browser, url("posts", site), {"bulk_action": "draft", "ids": [live.pk]})

    live.refresh_from_db()
    assert live.status == Status.DRAFT


def test_a_rows_own_trash_button_trashes_only_that_post(site, browser):
    a, b = make_post(site=site, title="A"), make_post(site=site, title="B")
    signed_in(browser, site.owner)

    post_form(browser, url("posts", site), {"row_action": f"trash:{a.pk}", "ids": [b.pk]})

    assert list(Post.objects.filter(trashed_at__isnull=False)) == [a]


def test_restoring_from_the_trash_brings_the_post_back(site, browser):
    post = post_trash(post=make_post(site=site, title="Back again"), user=site.owner)
    signed_in(browser, site.owner)

    post_form(browser, url("posts", site) + "?status=trash",
              {"bulk_action": "restore", "ids": [post.pk]})

    assert Post.objects.for_site(site).published().filter(pk=post.pk).exists()


def test_deleting_permanently_from_the_trash_removes_the_post(site, browser):
    post = post_trash(post=make_post(site=site, title="Gone"), user=site.owner)
    signed_in(browser, site.owner)

    post_form(browser, url("posts", site) + "?status=trash",
              {"row_action": f"delete:{post.pk}"})

    assert not Post.objects.filter(pk=post.pk).exists()


def test_a_live_post_cannot_be_deleted_without_the_trash(site, browser):
    post = make_post(site=site, title="Still here")
    signed_in(browser, site.owner)

    response = post_form(browser, url("posts", site), {"bulk_action": "delete",
                                                       "ids": [post.pk]})

    assert Post.objects.filter(pk=post.pk).exists()
    assert "trash before deleting" in browser.get(response.url).text


def test_apply_without_a_choice_changes_nothing(site, browser):
    post = make_post(site=site)
    signed_in(browser, site.owner)

    response = post_form(browser, url("posts", site), {"bulk_action": "", "ids": [post.pk]})

    assert "Choose an action" in browser.get(response.url).text
    post.refresh_from_db()
    assert post.trashed_at is None


def test_a_bulk_action_without_a_csrf_token_is_refused(site, browser):
    post = make_post(site=site)
    signed_in(browser, site.owner)

    response = browser.post(url("posts", site), {"bulk_action": "trash", "ids": [post.pk]})

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.trashed_at is None


def test_a_bulk_action_on_another_sites_post_does_nothing(site, browser):
    foreign = make_post(site=SiteFactory(), title="Foreign")
    signed_in(browser, site.owner)

    post_form(browser, url("posts", site), {"bulk_action": "trash", "ids": [foreign.pk]})

    foreign.refresh_from_db()
    assert foreign.trashed_at is None


# --- Who sees and may change what -----------------------------------------------------------


def test_an_author_sees_only_their_own_posts(site, browser):
    author = member(site, Role.AUTHOR)
    make_post(site=site, author=author, title="My walk")
    make_post(site=site, title="The owner's walk")

    html = signed_in(browser, author).get(url("posts", site)).text

    assert "My walk" in html
    assert "The owner&#x27;s walk" not in html


def test_an_editor_sees_everyones_posts(site, browser):
    make_post(site=site, author=member(site, Role.AUTHOR), title="By an author")

    html = signed_in(browser, member(site, Role.EDITOR)).get(url("posts", site)).text

    assert "By an author" in html


def test_a_contributor_is_not_offered_publishing(site, browser):
    contributor = member(site, Role.CONTRIBUTOR)

    html = signed_in(browser, contributor).get(url("posts", site)).text

    assert 'value="publish"' not in html
    assert 'value="trash"' in html


def test_an_author_who_trashes_someone_elses_post_gets_403(site, browser):
    theirs = make_post(site=site, title="Not yours")
    author = member(site, Role.AUTHOR)
    make_post(site=site, author=author, title="Yours")
    signed_in(browser, author)

    response = post_form(browser, url("posts", site), {"bulk_action": "trash",
                                                       "ids": [theirs.pk]})

    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.trashed_at is None


def test_a_contributor_who_publishes_by_hand_gets_403(site, browser):
    contributor = member(site, Role.CONTRIBUTOR)
    draft = make_post(site=site, author=contributor, title="Mine", status="draft")
    signed_in(browser, contributor)

    response = post_form(browser, url("posts", site), {"bulk_action": "publish",
                                                       "ids": [draft.pk]})

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_signed_in_stranger_gets_403(site, browser):
    response = signed_in(browser, UserFactory()).get(url("posts", site))

    assert response.status_code == 403


def test_a_guest_is_sent_to_log_in(site, browser):
    response = browser.get(url("posts", site))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url
