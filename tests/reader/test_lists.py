"""Lists of posts a reader browses: the home page, its pages, and the archives by date,
category, tag and author."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import CategoryFactory, SiteFactory, TagFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return NOON


def days_ago(n: int) -> datetime:
    return NOON - timedelta(days=n)


def in_order(html: str, *texts: str) -> bool:
    positions = [html.index(text) for text in texts]
    return positions == sorted(positions)


# --- Home -------------------------------------------------------------------------------


def test_the_home_page_lists_the_newest_post_first(site, site_client, at_noon):
    make_post(site=site, title="Older entry", published_at=days_ago(3))
    make_post(site=site, title="Newer entry", published_at=days_ago(1))

    assert in_order(site_client.get("/").text, "Newer entry", "Older entry")


def test_a_sticky_post_comes_first_on_the_home_page(site, site_client, at_noon):
    make_post(site=site, title="Pinned entry", published_at=days_ago(9), sticky=True)
    make_post(site=site, title="Older entry", published_at=days_ago(3))
    make_post(site=site, title="Newer entry", published_at=days_ago(1))

    html = site_client.get("/").text

    assert in_order(html, "Pinned entry", "Newer entry", "Older entry")
    assert "Featured" in html


def test_a_site_with_nothing_published_says_so(site, site_client):
    make_post(site=site, title="Draft only", status="draft")

    assert "Nothing has been published here yet." in site_client.get("/").text


@pytest.fixture
def three_posts_two_per_page(site, at_noon):
    site.posts_per_page = 2
    site.save()
    for n, title in enumerate(["Newest entry", "Middle entry", "Oldest entry"], start=1):
        make_post(site=site, title=title, published_at=days_ago(n))


def test_the_home_page_shows_one_page_of_posts(three_posts_two_per_page, site_client):
    html = site_client.get("/").text

    assert "Newest entry" in html
    assert "Middle entry" in html
    assert "Oldest entry" not in html


def test_the_first_page_points_to_the_next(three_posts_two_per_page, site_client):
    html = site_client.get("/").text

    assert '<link rel="next" href="?page=2">' in html
    assert 'rel="prev"' not in html


def test_the_second_page_shows_older_posts(three_posts_two_per_page, site_client):
    response = site_client.get("/?page=2")

    assert response.status_code == 200
    assert "Oldest entry" in response.text
    assert "Newest entry" not in response.text


def test_the_second_page_points_back_to_the_first(three_posts_two_per_page, site_client):
    html = site_client.get("/?page=2").text

    assert '<link rel="prev" href="/">' in html
    assert 'rel="next"' not in html


def test_the_second_page_under_the_prefix_points_back_to_the_prefixed_home(
        three_posts_two_per_page, client):
    html = client.get("/@demo/?page=2").text

    assert '<link rel="prev" href="/@demo/">' in html


@pytest.mark.parametrize("page", ["999", "abc", "0", "-1"])
def test_a_page_number_that_does_not_exist_is_not_found(three_posts_two_per_page,
                                                        site_client, page):
    assert site_client.get("/", {"page": page}).status_code == 404


# --- Date archives --------------------------------------------------------------------


@pytest.fixture
def kiwi_site(at_noon):
    """A site in New Zealand (UTC+13 in summer) with posts around a month boundary."""
    site = SiteFactory(slug="kiwi", title="Kiwi Notes", timezone="Pacific/Auckland")
    # 31 January 12:00 UTC is 1 February 01:00 in Auckland.
    make_post(site=site, title="First of February", published_at=datetime(2026, 1, 31, 12,
                                                                         tzinfo=UTC))
    make_post(site=site, title="Mid January", published_at=datetime(2026, 1, 20, 9,
                                                                   tzinfo=UTC))
    make_post(site=site, title="June last year", published_at=datetime(2025, 6, 1, 9,
                                                                           tzinfo=UTC))
    return site


def get_kiwi(client, path):
    return client.get(path, HTTP_HOST="kiwi.localhost")


def test_a_month_archive_lists_that_months_posts_in_the_sites_time_zone(kiwi_site, client):
    response = get_kiwi(client, "/2026/02/")

    assert response.status_code == 200
    assert "First of February" in response.text
    assert "Mid January" not in response.text


def test_a_month_archive_leaves_out_posts_that_are_next_month_locally(kiwi_site, client):
    html = get_kiwi(client, "/2026/01/").text

    assert "Mid January" in html
    assert "First of February" not in html


def test_a_day_archive_lists_that_days_posts_in_the_sites_time_zone(kiwi_site, client):
    html = get_kiwi(client, "/2026/02/01/").text

    assert "First of February" in html
    assert "Mid January" not in html


def test_a_year_archive_lists_that_years_posts(kiwi_site, client):
    html = get_kiwi(client, "/2026/").text

    assert "First of February" in html
    assert "Mid January" in html
    assert "June last year" not in html


def test_a_month_archive_is_titled_with_the_month(kiwi_site, client):
    assert "Month: February 2026" in get_kiwi(client, "/2026/02/").text


@pytest.mark.parametrize("path", ["/2026/13/", "/2026/00/", "/2026/02/30/", "/2026/04/31/",
                                  "/2026/01/00/"])
def test_an_impossible_date_is_not_found(site, site_client, path):
    assert site_client.get(path).status_code == 404


def test_a_date_archive_leaves_out_drafts(site, site_client, at_noon):
    make_post(site=site, title="Unfinished", status="draft")

    assert "Unfinished" not in site_client.get("/2026/03/").text


# --- Category and tag archives ----------------------------------------------------------


def test_a_category_archive_lists_posts_of_its_child_categories(site, site_client, at_noon):
    travel = CategoryFactory(site=site, name="Travel", slug="travel")
    japan = CategoryFactory(site=site, name="Japan", slug="japan", parent=travel)
    food = CategoryFactory(site=site, name="Food", slug="food")
    make_post(site=site, title="Trains of Kyushu", categories=[japan])
    make_post(site=site, title="A good soup", categories=[food])

    response = site_client.get("/category/travel/")

    assert response.status_code == 200
    assert "Category: Travel" in response.text
    assert "Trains of Kyushu" in response.text
    assert "A good soup" not in response.text


def test_a_post_in_a_category_and_its_child_is_listed_once(site, site_client, at_noon):
    travel = CategoryFactory(site=site, name="Travel", slug="travel")
    japan = CategoryFactory(site=site, name="Japan", slug="japan", parent=travel)
    make_post(site=site, title="Trains of Kyushu", categories=[travel, japan])

    assert site_client.get("/category/travel/").text.count(">Trains of Kyushu</a>") == 1


def test_an_unknown_category_is_not_found(site, site_client):
    assert site_client.get("/category/nothing/").status_code == 404


def test_another_sites_category_is_not_found_here(site, site_client):
    CategoryFactory(site=SiteFactory(slug="other"), slug="travel")

    assert site_client.get("/category/travel/").status_code == 404


def test_a_tag_archive_lists_the_tagged_posts(site, site_client, at_noon):
    tag = TagFactory(site=site, name="trains", slug="trains")
    make_post(site=site, title="Night train", tags=[tag])
    make_post(site=site, title="Morning bus")

    response = site_client.get("/tag/trains/")

    assert response.status_code == 200
    assert "Tag: trains" in response.text
    assert "Night train" in response.text
    assert "Morning bus" not in response.text


def test_a_tag_archive_leaves_out_drafts(site, site_client, at_noon):
    tag = TagFactory(site=site, name="trains", slug="trains")
    make_post(site=site, title="Unfinished train", tags=[tag], status="draft")

    assert "Unfinished train" not in site_client.get("/tag/trains/").text


# --- Author archives ------------------------------------------------------------------------


def test_an_author_archive_lists_their_posts(site, site_client, at_noon):
    ada = UserFactory(username="ada", display_name="Ada Lovelace")
    make_post(site=site, author=ada, title="Notes on the engine")
    make_post(site=site, title="The owner writes")

    response = site_client.get("/author/ada/")

    assert response.status_code == 200
    assert "Author: Ada Lovelace" in response.text
    assert "Notes on the engine" in response.text
    assert "The owner writes" not in response.text


def test_an_author_with_only_drafts_here_is_not_found(site, site_client, at_noon):
    ada = UserFactory(username="ada")
    make_post(site=site, author=ada, title="Unfinished", status="draft")

    assert site_client.get("/author/ada/").status_code == 404


def test_an_author_who_publishes_only_elsewhere_is_not_found_here(site, site_client, at_noon):
    elsewhere = SiteFactory(slug="other")
    make_post(site=elsewhere, title="Theirs", author=elsewhere.owner)

    assert site_client.get(f"/author/{elsewhere.owner.username}/").status_code == 404


def test_an_unknown_author_and_a_silent_user_look_the_same(site, site_client, at_noon):
    UserFactory(username="silent")

    silent = site_client.get("/author/silent/")
    unknown = site_client.get("/author/nobody-at-all/")

    assert silent.status_code == unknown.status_code == 404
    assert silent.content == unknown.content
