"""The media library screens: who may upload, what an author sees when an upload is
refused, the library grid, editing and deleting, and the editor's JSON."""

import html
import io
import json
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from byline.content.media import media_upload
from byline.content.models import Media, Post
from byline.tenancy.roles import Role
from tests.content.test_media_images import (
    APPENDED_HTML,
    SVG_WITH_SCRIPT,
    crafted_png,
    jpeg_bytes,
    jpeg_with_gps,
    photo,
    png_bytes,
    stored_files,
)
from tests.factories import MembershipFactory, SiteFactory, make_post

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def member(site, role):
    return MembershipFactory(site=site, role=role).user


def url(name, site, *args):
    return reverse(f"dashboard:{name}", args=[site.slug, *args])


@pytest.fixture
def browser():
    """A client that must send CSRF tokens, as a real browser's forms do."""
    return Client(enforce_csrf_checks=True)


def signed_in(browser, user):
    browser.force_login(user)
    return browser


def token(browser, site) -> str:
    page = browser.get(url("media", site))
    return TOKEN.search(page.text).group(1)


def post_files(browser, site, *files, **headers):
    return browser.post(url("media_upload", site),
                        {"csrfmiddlewaretoken": token(browser, site), "files": list(files)},
                        **headers)


def jpeg_file(name="photo.jpg", size=(600, 400)):
    return SimpleUploadedFile(name, jpeg_bytes(photo(size)), content_type="image/jpeg")


def stored(site, size=(600, 400), **fields) -> Media:
    return media_upload(site=site, uploaded_by=site.owner,
                        file=SimpleUploadedFile("stored.jpg", jpeg_bytes(photo(size))), **fields)


def page_text(response) -> str:
    """What a reader of the page sees: text without tags, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(text)).replace(" :", ":")


def unescaped(response) -> str:
    return html.unescape(response.content.decode())


# --- Who may upload ---------------------------------------------------------------------


def test_a_guest_is_sent_to_log_in(site, browser):
    response = browser.get(url("media", site))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_contributor_may_not_open_the_library(site, browser):
    signed_in(browser, member(site, Role.CONTRIBUTOR))

    assert browser.get(url("media", site)).status_code == 403


def test_a_contributor_may_not_upload(site, browser):
    contributor = member(site, Role.CONTRIBUTOR)
    signed_in(browser, site.owner)
    csrf = token(browser, site)  # a valid token, so only the role can refuse
    signed_in(browser, contributor)

    response = browser.post(url("media_upload", site),
                            {"csrfmiddlewaretoken": csrf, "files": [jpeg_file()]})

    assert response.status_code == 403
    assert Media.objects.count() == 0


def test_a_member_of_another_site_may_not_upload(site, browser):
    stranger = SiteFactory().owner
    signed_in(browser, site.owner)
    csrf = token(browser, site)
    signed_in(browser, stranger)

    response = browser.post(url("media_upload", site),
                            {"csrfmiddlewaretoken": csrf, "files": [jpeg_file()]})

    assert response.status_code == 403
    assert Media.objects.count() == 0


def test_a_member_of_another_site_may_not_open_the_library(site, browser):
    signed_in(browser, SiteFactory().owner)

    assert browser.get(url("media", site)).status_code == 403


def test_an_upload_without_a_csrf_token_is_refused(site, browser):
    signed_in(browser, site.owner)

    response = browser.post(url("media_upload", site), {"files": [jpeg_file()]})

    assert response.status_code == 403
    assert Media.objects.count() == 0


# --- Uploading with the plain form ------------------------------------------------------


def test_an_author_uploads_an_image_and_is_asked_for_alt_text(site, browser):
    author = member(site, Role.AUTHOR)
    signed_in(browser, author)

    response = post_files(browser, site, jpeg_file("sunrise.jpg"))

    media = Media.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("media_edit", site, media.pk)
    assert (media.site, media.uploaded_by, media.original_name) == (site, author, "sunrise.jpg")
    page = browser.get(response["Location"])
    assert "Uploaded sunrise.jpg." in page_text(page)
    assert "This image has no alt text." in page_text(page)


def test_several_images_upload_at_once_back_to_the_library(site, browser):
    signed_in(browser, site.owner)

    response = post_files(browser, site, jpeg_file("one.jpg"), jpeg_file("two.jpg"))

    assert response.status_code == 302
    assert response["Location"] == url("media", site)
    assert sorted(Media.objects.values_list("original_name", flat=True)) == ["one.jpg", "two.jpg"]


def test_submitting_no_file_asks_for_one(site, browser):
    signed_in(browser, site.owner)

    response = browser.post(url("media_upload", site),
                            {"csrfmiddlewaretoken": token(browser, site)})

    assert response.status_code == 400
    assert "Choose one or more images to upload." in page_text(response)


BAD_UPLOADS = [
    ("notes.jpg", b"Just some notes, not a picture.\n" * 20,
     "This file is not an image we can use (JPEG, PNG, GIF or WebP)."),
    ("huge.png", crafted_png(20000, 20000), "This image is too large; the limit is 40 megapixels."),
    ("big.png", crafted_png(8000, 6000),
     "This image is too large (8000×6000 pixels); the limit is 40 megapixels."),
    ("cut.jpg", jpeg_with_gps((800, 600))[:20000], "This image is damaged or incomplete"),
    ("drawing.svg", SVG_WITH_SCRIPT,
     "SVG images can carry scripts, so Byline does not accept them; please upload a PNG or JPEG."),
    ("empty.jpg", b"", "This file is empty."),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_UPLOADS,
                         ids=[name for name, _, _ in BAD_UPLOADS])
def test_a_refused_upload_shows_why_on_the_page(site, browser, name, data, message):
    signed_in(browser, site.owner)

    response = post_files(browser, site, SimpleUploadedFile(name, data))

    assert response.status_code == 400
    assert f"{name}: {message}" in page_text(response)


@pytest.mark.parametrize(("name", "data", "message"), BAD_UPLOADS,
                         ids=[name for name, _, _ in BAD_UPLOADS])
def test_a_refused_upload_leaves_no_row_and_no_file(site, browser, name, data, message):
    signed_in(browser, site.owner)
    files_before = stored_files()

    post_files(browser, site, SimpleUploadedFile(name, data))

    assert Media.objects.count() == 0
    assert stored_files() == files_before


def test_the_refusal_is_tied_to_the_file_field(site, browser):
    signed_in(browser, site.owner)

    response = post_files(browser, site, SimpleUploadedFile("notes.jpg", b"not an image"))

    field = re.search(r"<input[^>]*id=\"id_files\"[^>]*>", response.text).group(0)
    assert 'aria-invalid="true"' in field
    assert "upload-errors" in field
    assert 'id="upload-errors" role="alert"' in response.text


@override_settings(BYLINE_MAX_UPLOAD_BYTES=10_000)
def test_a_file_over_the_size_limit_is_refused_by_name(site, browser):
    signed_in(browser, site.owner)

    response = post_files(browser, site, SimpleUploadedFile("big.jpg", jpeg_with_gps()))

    assert response.status_code == 400
    assert "big.jpg: This file is too big; the limit is 9.8\xa0KB." in page_text(response)
    assert Media.objects.count() == 0


def test_a_good_and_a_bad_file_together_keep_the_good_one_and_explain_the_bad(site, browser):
    signed_in(browser, site.owner)

    response = post_files(browser, site, jpeg_file("good.jpg"),
                          SimpleUploadedFile("bad.jpg", b"not an image"))

    assert response.status_code == 200
    text = page_text(response)
    assert "Uploaded good.jpg." in text
    assert "bad.jpg: This file is not an image we can use" in text
    assert list(Media.objects.values_list("original_name", flat=True)) == ["good.jpg"]


def test_html_after_a_png_does_not_reach_storage(site, browser):
    signed_in(browser, site.owner)

    post_files(browser, site, SimpleUploadedFile("photo.png",
                                                 png_bytes(photo((300, 200))) + APPENDED_HTML))

    with default_storage.open(Media.objects.get().file.name) as f:
        assert b"<script" not in f.read()


def test_a_path_in_the_uploaded_file_name_is_ignored(site, browser):
    signed_in(browser, site.owner)
    boundary = "BylineTestBoundary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n"
        f"{token(browser, site)}\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
        f"filename=\"../../evil.php.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    ).encode() + jpeg_bytes(photo((300, 200))) + f"\r\n--{boundary}--\r\n".encode()

    response = browser.post(url("media_upload", site), body,
                            content_type=f"multipart/form-data; boundary={boundary}")

    media = Media.objects.get()
    assert response.status_code == 302
    assert re.fullmatch(rf"sites/{site.pk}/\d{{4}}/\d{{2}}/[0-9a-f]{{16}}\.jpg", media.file.name)
    assert media.original_name == "evil.php.jpg"


# --- Uploading from media.js (JSON) -----------------------------------------------------


def test_a_script_upload_gets_the_new_image_and_its_card_as_json(site, browser):
    signed_in(browser, site.owner)

    response = post_files(browser, site, jpeg_file("sunrise.jpg", (1200, 800)),
                          HTTP_ACCEPT="application/json")

    body = response.json()
    media = Media.objects.get()
    assert response.status_code == 201
    assert body["media"][0]["id"] == media.pk
    assert body["media"][0]["name"] == "sunrise.jpg"
    assert f'id="media-{media.pk}"' in body["html"][0]
    assert body["errors"] == []


def test_a_refused_script_upload_gets_the_message_as_json(site, browser):
    signed_in(browser, site.owner)

    response = post_files(browser, site, SimpleUploadedFile("drawing.svg", SVG_WITH_SCRIPT),
                          HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert response.json()["errors"] == [{
        "name": "drawing.svg",
        "message": "SVG images can carry scripts, so Byline does not accept them; "
                   "please upload a PNG or JPEG.",
    }]


# --- The library ------------------------------------------------------------------------


def test_the_library_shows_a_thumbnail_name_size_and_dimensions(site, browser):
    media = stored(site, (2000, 1000))
    signed_in(browser, site.owner)

    response = browser.get(url("media", site))

    text = page_text(response)
    assert f'src="/media/{media.renditions[0]["name"]}"' in response.text
    assert "stored.jpg" in text
    assert "2000 × 1000 px" in text
    assert f"{filesizeformat(media.size)} · 2000 × 1000 px" in text


def test_the_library_takes_as_many_queries_for_many_images_as_for_one(
        site, browser, django_assert_num_queries):
    signed_in(browser, site.owner)
    stored(site)
    with CaptureQueriesContext(connection) as one:
        browser.get(url("media", site))
    for _ in range(4):
        stored(site, (300, 200))

    with django_assert_num_queries(len(one.captured_queries)):
        browser.get(url("media", site))


def test_the_library_warns_about_missing_alt_text(site, browser):
    stored(site)
    signed_in(browser, site.owner)

    assert "No alt text yet" in browser.get(url("media", site)).text


def test_the_library_does_not_warn_when_alt_text_is_there(site, browser):
    stored(site, alt_text="A red kite over the hill")
    signed_in(browser, site.owner)

    assert "No alt text yet" not in browser.get(url("media", site)).text


def test_the_library_offers_the_figure_html_in_a_read_only_box(site, browser):
    media = stored(site, alt_text="A kite")
    signed_in(browser, site.owner)

    response = browser.get(url("media", site))

    box = re.search(rf'<textarea id="figure-{media.pk}"[^>]*readonly[^>]*>(.*?)</textarea>',
                    response.text, re.DOTALL)
    assert html.unescape(box.group(1)).startswith(f'<figure><img src="/media/{media.file.name}"')
    assert 'alt="A kite"' in html.unescape(box.group(1))


def test_the_library_lists_only_this_sites_images(site, browser):
    other = SiteFactory()
    theirs = media_upload(site=other, uploaded_by=other.owner,
                          file=SimpleUploadedFile("theirs.jpg", jpeg_bytes(photo((300, 200)))))
    stored(site)
    signed_in(browser, site.owner)

    text = browser.get(url("media", site)).text

    assert "stored.jpg" in text
    assert "theirs.jpg" not in text
    assert theirs.file.name not in text


# --- Editing ----------------------------------------------------------------------------


def test_alt_text_and_caption_are_saved(site, browser):
    media = stored(site)
    signed_in(browser, site.owner)
    edit_url = url("media_edit", site, media.pk)
    csrf = TOKEN.search(browser.get(edit_url).text).group(1)

    response = browser.post(edit_url, {"csrfmiddlewaretoken": csrf,
                                       "alt_text": " A red kite ", "caption": "Over the hill"})

    media.refresh_from_db()
    assert response.status_code == 302
    assert (media.alt_text, media.caption) == ("A red kite", "Over the hill")


def test_the_edit_page_shows_the_figure_html_with_the_caption(site, browser):
    media = stored(site, alt_text="A kite", caption="Over <the> hill")
    signed_in(browser, site.owner)

    text = unescaped(browser.get(url("media_edit", site, media.pk)))

    assert "<figcaption>Over &lt;the&gt; hill</figcaption>" in text


def test_an_overlong_alt_text_is_refused_with_a_message(site, browser):
    media = stored(site)
    signed_in(browser, site.owner)
    edit_url = url("media_edit", site, media.pk)
    csrf = TOKEN.search(browser.get(edit_url).text).group(1)

    response = browser.post(edit_url, {"csrfmiddlewaretoken": csrf, "alt_text": "x" * 501,
                                       "caption": ""})

    media.refresh_from_db()
    assert response.status_code == 400
    assert "Ensure this value has at most 500 characters" in page_text(response)
    assert media.alt_text == ""


def test_an_image_of_another_site_is_not_found_through_this_site(site, browser):
    other = SiteFactory()
    theirs = media_upload(site=other, uploaded_by=other.owner,
                          file=SimpleUploadedFile("theirs.jpg", jpeg_bytes(photo((300, 200)))))
    signed_in(browser, site.owner)

    assert browser.get(url("media_edit", site, theirs.pk)).status_code == 404
    assert browser.get(url("media_delete", site, theirs.pk)).status_code == 404


def test_an_author_may_not_edit_someone_elses_image(site, browser):
    media = stored(site)
    signed_in(browser, member(site, Role.AUTHOR))

    assert browser.get(url("media_edit", site, media.pk)).status_code == 403


def test_an_editor_may_edit_someone_elses_image(site, browser):
    media = stored(site)
    signed_in(browser, member(site, Role.EDITOR))

    assert browser.get(url("media_edit", site, media.pk)).status_code == 200


# --- Deleting ---------------------------------------------------------------------------


def test_the_delete_page_names_the_posts_that_feature_the_image(site, browser):
    media = stored(site)
    post = make_post(site=site, title="Kites of the north")
    Post.objects.filter(pk=post.pk).update(featured_image=media)
    signed_in(browser, site.owner)

    text = page_text(browser.get(url("media_delete", site, media.pk)))

    assert "It is the featured image of 1 post" in text
    assert "Kites of the north" in text


def test_deleting_removes_the_row_and_every_file(site, browser, django_capture_on_commit_callbacks):
    media = stored(site, (2000, 1000))
    names = [media.file.name] + [r["name"] for r in media.renditions]
    signed_in(browser, site.owner)
    delete_url = url("media_delete", site, media.pk)
    csrf = TOKEN.search(browser.get(delete_url).text).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(delete_url, {"csrfmiddlewaretoken": csrf})

    assert response.status_code == 302
    assert not Media.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_deleting_a_featured_image_leaves_the_post_without_one(
        site, browser, django_capture_on_commit_callbacks):
    media = stored(site)
    post = make_post(site=site)
    Post.objects.filter(pk=post.pk).update(featured_image=media)
    signed_in(browser, site.owner)
    delete_url = url("media_delete", site, media.pk)
    csrf = TOKEN.search(browser.get(delete_url).text).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        browser.post(delete_url, {"csrfmiddlewaretoken": csrf})

    post.refresh_from_db()
    assert post.featured_image is None


def test_a_contributor_may_not_delete_an_image(site, browser):
    media = stored(site)
    signed_in(browser, member(site, Role.CONTRIBUTOR))

    assert browser.get(url("media_delete", site, media.pk)).status_code == 403
    assert Media.objects.filter(pk=media.pk).exists()


# --- The editor's JSON ------------------------------------------------------------------


def test_the_json_lists_the_sites_images_for_the_editor(site, browser):
    media = stored(site, (1200, 800), alt_text="A kite", caption="Over the hill")
    signed_in(browser, site.owner)

    response = browser.get(url("media_json", site))

    item = response.json()["media"][0]
    assert response["Content-Type"] == "application/json"
    assert item["id"] == media.pk
    assert item["url"] == f"/media/{media.file.name}"
    assert (item["alt"], item["caption"]) == ("A kite", "Over the hill")
    assert (item["width"], item["height"]) == (1200, 800)
    assert item["srcset"].endswith(f"/media/{media.file.name} 1200w")
    assert item["figure_html"].startswith("<figure><img ")


def test_the_json_does_not_list_another_sites_images(site, browser):
    other = SiteFactory()
    media_upload(site=other, uploaded_by=other.owner,
                 file=SimpleUploadedFile("theirs.jpg", jpeg_bytes(photo((300, 200)))))
    signed_in(browser, site.owner)

    assert browser.get(url("media_json", site)).json()["media"] == []


def test_a_contributor_may_pick_images_for_a_post(site, browser):
    stored(site)
    signed_in(browser, member(site, Role.CONTRIBUTOR))

    response = browser.get(url("media_json", site))

    assert response.status_code == 200
    assert len(response.json()["media"]) == 1


def test_a_member_of_another_site_may_not_read_the_json(site, browser):
    signed_in(browser, SiteFactory().owner)

    assert browser.get(url("media_json", site)).status_code == 403


def test_the_json_searches_names_and_alt_text(site, browser):
    stored(site, alt_text="A red kite")
    stored(site, alt_text="A bowl of soup")
    signed_in(browser, site.owner)

    items = browser.get(url("media_json", site), {"q": "kite"}).json()["media"]

    assert [i["alt"] for i in items] == ["A red kite"]


def test_the_json_is_not_cached(site, browser):
    signed_in(browser, site.owner)

    assert "no-store" in browser.get(url("media_json", site))["Cache-Control"]


def test_the_json_pages_through_a_large_library(site, browser):
    for n in range(51):
        Media.objects.create(site=site, file=f"sites/{site.pk}/2026/01/{n:016x}.jpg",
                             width=10, height=10, original_name=f"{n}.jpg")
    signed_in(browser, site.owner)

    first = browser.get(url("media_json", site)).json()
    second = browser.get(first["next"]).json()

    assert (len(first["media"]), first["pages"], first["count"]) == (50, 2, 51)
    assert len(second["media"]) == 1
    assert second["next"] is None


def test_the_stored_image_opens_as_the_format_the_json_names(site, browser):
    stored(site)
    signed_in(browser, site.owner)
    item = browser.get(url("media_json", site)).json()["media"][0]

    with default_storage.open(item["url"].removeprefix("/media/")) as f:
        image = Image.open(io.BytesIO(f.read()))

    assert Image.MIME[image.format] == item["mime_type"]
    assert json.dumps(item)  # plain JSON all the way down
