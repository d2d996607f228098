"""Old WordPress addresses answer 301 to the new ones, on the site's host and under
/@slug/ alike; nothing else changes."""

import pytest

from byline.content.models import Post, Status
from byline.porting.models import ImportRef
from tests.porting.helpers import run_import
from tests.porting.wxr_factory import write_wxr

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(site, tmp_path):
    path = tmp_path / "export.xml"
    manifest = write_wxr(path, posts=20, comments=10, pages=4, attachments=2)
    run_import(site, path)
    refs = dict(ImportRef.objects.filter(site=site, kind__in=["post", "page"]).values_list(
        "wp_id", "object_id"))
    return manifest, {int(k): Post.objects.get(pk=v) for k, v in refs.items()}


def first(manifest, kind="post", status="publish"):
    return next(link for link in manifest.links if link[2] == kind and link[3] == status)


def test_an_old_permalink_redirects_on_the_sites_host(client, imported):
    manifest, posts = imported
    wp_id, old_path, _, _ = first(manifest)
    response = client.get(old_path, HTTP_HOST="demo.localhost")
    assert response.status_code == 301
    assert response["Location"] == posts[wp_id].get_absolute_url()
    assert response["Location"].startswith("/20")


def test_an_old_permalink_redirects_under_the_slug_prefix(client, imported):
    manifest, posts = imported
    wp_id, old_path, _, _ = first(manifest)
    response = client.get("/@demo" + old_path)
    assert response.status_code == 301
    post = posts[wp_id]
    assert response["Location"] == "/@demo/{:04d}/{:02d}/{:02d}/{}/".format(
        *post.local_date_parts(), post.slug)


def test_without_a_trailing_slash_or_in_capitals_too(client, imported):
    manifest, posts = imported
    wp_id, old_path, _, _ = first(manifest)
    response = client.get(old_path.rstrip("/").upper(), HTTP_HOST="demo.localhost")
    assert response.status_code == 301
    assert response["Location"] == posts[wp_id].get_absolute_url()


def test_p_and_page_id_redirect(client, imported):
    manifest, posts = imported
    post_id = first(manifest)[0]
    page_id = first(manifest, kind="page")[0]
    response = client.get(f"/?p={post_id}", HTTP_HOST="demo.localhost")
    assert (response.status_code, response["Location"]) == (
        301, posts[post_id].get_absolute_url())
    response = client.get(f"/@demo/?page_id={page_id}")
    assert response.status_code == 301
    assert response["Location"] == f"/@demo/{posts[page_id].slug}/"


def test_a_nested_page_path_redirects_to_the_page(client, imported):
    manifest, posts = imported
    wp_id, old_path, _, _ = [link for link in manifest.links if link[2] == "page"][-1]
    assert old_path.count("/") > 2
    response = client.get(old_path, HTTP_HOST="demo.localhost")
    assert response["Location"] == f"/{posts[wp_id].slug}/"


def test_drafts_and_private_posts_are_not_revealed(client, imported):
    manifest, posts = imported
    for status in ("draft", "private"):
        wp_id, old_path, _, _ = first(manifest, status=status)
        assert posts[wp_id].status != Status.PUBLISHED
        assert client.get(old_path, HTTP_HOST="demo.localhost").status_code == 404
        assert client.get(f"/?p={wp_id}", HTTP_HOST="demo.localhost").status_code != 301


def test_unknown_addresses_stay_404_and_ids_of_other_sites_do_nothing(client, imported):
    assert client.get("/2001/01/nothing-here/", HTTP_HOST="demo.localhost").status_code == 404
    assert client.get("/?p=999999", HTTP_HOST="demo.localhost").status_code == 200
    assert client.get("/?p=abc", HTTP_HOST="demo.localhost").status_code == 200


def test_old_links_of_one_site_do_not_leak_to_another(client, imported):
    from tests.factories import SiteFactory

    manifest, _ = imported
    SiteFactory(slug="other")
    _, old_path, _, _ = first(manifest)
    assert client.get(old_path, HTTP_HOST="other.localhost").status_code == 404


def test_a_post_request_is_never_redirected(client, imported):
    manifest, _ = imported
    _, old_path, _, _ = first(manifest)
    assert client.post(old_path, HTTP_HOST="demo.localhost").status_code != 301


def test_p_elsewhere_is_left_to_the_page_that_uses_it(client, imported):
    manifest, posts = imported
    post_id = first(manifest)[0]
    assert client.get(f"/robots.txt?p={post_id}", HTTP_HOST="demo.localhost").status_code == 200
    # …but an unknown address of the old blog with ?p= still finds the post.
    response = client.get(f"/blog/index.php?p={post_id}", HTTP_HOST="demo.localhost")
    assert response["Location"] == posts[post_id].get_absolute_url()
