"""Uploading images through content.media: what is accepted, what is refused (with a
message an author understands), what is stored, and that a refusal leaves nothing."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import ExifTags, Image, ImageCms

from byline.content import media as media_service
from byline.content.media import figure_html, media_delete, media_upload, srcset, thumbnail_url
from byline.content.models import Media, Post
from byline.rendering.sanitize import sanitize_post_html
from tests.content.test_media_images import (
    APPENDED_HTML,
    SVG_WITH_SCRIPT,
    animated_gif,
    crafted_png,
    gps_exif,
    jpeg_bytes,
    jpeg_with_gps,
    mpo_bytes,
    photo,
    png_bytes,
    png_with_alpha,
    stored_files,
)
from tests.factories import SiteFactory, make_post

pytestmark = pytest.mark.django_db


def upload(site, data: bytes, name: str = "photo.jpg", **fields) -> Media:
    return media_upload(site=site, uploaded_by=site.owner,
                        file=SimpleUploadedFile(name, data), **fields)


def read_stored(name: str) -> bytes:
    with default_storage.open(name) as f:
        return f.read()


def open_stored(name: str) -> Image.Image:
    image = Image.open(io.BytesIO(read_stored(name)))
    image.load()
    return image


def refusal(site, data: bytes, name: str) -> str:
    """Upload something that must be refused; return the message, checking that no row
    and no file were left behind."""
    files_before, rows_before = stored_files(), Media.objects.count()
    with pytest.raises(ValidationError) as caught:
        upload(site, data, name)
    assert Media.objects.count() == rows_before
    assert stored_files() == files_before
    return caught.value.messages[0]


# --- A good photo -----------------------------------------------------------------------


def test_a_photo_is_stored_without_its_gps_coordinates(site):
    media = upload(site, jpeg_with_gps())

    stored = open_stored(media.file.name)

    assert ExifTags.Base.GPSInfo not in stored.getexif()
    assert "exif" not in stored.info


def test_a_photo_is_stored_without_any_exif_or_comment(site):
    media = upload(site, jpeg_with_gps())

    data = read_stored(media.file.name)

    assert b"Pocket Camera" not in data
    assert b"secret-note" not in data
    assert len(open_stored(media.file.name).getexif()) == 0


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_gps_coordinates_are_dropped_from_pngs_and_webps_too(site, fmt):
    out = io.BytesIO()
    photo((600, 400)).save(out, fmt, exif=gps_exif())
    assert ExifTags.Base.GPSInfo in Image.open(io.BytesIO(out.getvalue())).getexif()

    media = upload(site, out.getvalue(), f"photo.{fmt.lower()}")

    assert ExifTags.Base.GPSInfo not in open_stored(media.file.name).getexif()
    assert b"Pocket Camera" not in read_stored(media.file.name)


def test_a_photo_gets_renditions_of_480_960_and_1600_pixels(site):
    media = upload(site, jpeg_with_gps((2000, 1500)))

    assert [(r["width"], r["height"]) for r in media.renditions] == [
        (480, 360), (960, 720), (1600, 1200)]


def test_each_rendition_is_a_stored_jpeg_of_the_recorded_size(site):
    media = upload(site, jpeg_with_gps((2000, 1500)))

    for rendition in media.renditions:
        image = open_stored(rendition["name"])
        assert image.format == "JPEG"
        assert image.size == (rendition["width"], rendition["height"])
        assert ExifTags.Base.GPSInfo not in image.getexif()


def test_a_photo_records_its_size_dimensions_and_type(site):
    media = upload(site, jpeg_with_gps((2000, 1500)))

    assert (media.width, media.height, media.mime_type) == (2000, 1500, "image/jpeg")
    assert media.size == default_storage.size(media.file.name)


def test_a_sideways_phone_photo_is_stored_upright(site):
    media = upload(site, jpeg_with_gps((400, 300), orientation=6))

    stored = open_stored(media.file.name)

    assert stored.size == (300, 400)
    assert (media.width, media.height) == (300, 400)
    assert ExifTags.Base.Orientation not in stored.getexif()


def test_a_small_image_is_never_upscaled(site):
    media = upload(site, jpeg_bytes(photo((300, 200))))

    assert media.renditions == []
    assert srcset(media) == ""


def test_only_renditions_narrower_than_the_original_are_made(site):
    media = upload(site, jpeg_bytes(photo((1000, 500))))

    assert [r["width"] for r in media.renditions] == [480, 960]


def test_the_colour_profile_is_kept(site):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

    media = upload(site, jpeg_bytes(photo((600, 400)), icc_profile=profile))

    assert open_stored(media.file.name).info.get("icc_profile") == profile


def test_a_cmyk_jpeg_is_stored_as_rgb(site):
    media = upload(site, jpeg_bytes(photo((600, 400)).convert("CMYK")))

    assert open_stored(media.file.name).mode == "RGB"


def test_a_phone_mpo_photo_is_stored_as_a_plain_jpeg(site):
    media = upload(site, mpo_bytes())

    stored = open_stored(media.file.name)

    assert stored.format == "JPEG"
    assert media.file.name.endswith(".jpg")


# --- Other formats ----------------------------------------------------------------------


def test_a_png_with_transparency_stays_a_png_with_transparency(site):
    media = upload(site, png_with_alpha((1200, 800)), "logo.png")

    stored = open_stored(media.file.name)

    assert (stored.format, stored.mode, media.mime_type) == ("PNG", "RGBA", "image/png")
    assert media.file.name.endswith(".png")


def test_the_renditions_of_a_transparent_png_keep_transparency(site):
    media = upload(site, png_with_alpha((1200, 800)), "logo.png")

    formats = {(open_stored(r["name"]).format, open_stored(r["name"]).mode)
               for r in media.renditions}

    assert formats == {("PNG", "RGBA")}


def test_a_palette_png_keeps_its_transparent_colour(site):
    image = Image.new("P", (40, 30), 0)
    image.putpalette([255, 0, 0, 0, 0, 255])
    image.paste(1, (0, 0, 20, 30))

    media = upload(site, png_bytes(image, transparency=0), "icon.png")

    assert open_stored(media.file.name).convert("RGBA").getpixel((30, 10))[3] == 0


def test_the_renditions_of_a_palette_png_keep_its_transparent_colour(site):
    image = Image.new("P", (1000, 500), 0)
    image.putpalette([255, 0, 0, 0, 0, 255])
    image.paste(1, (0, 0, 500, 500))

    media = upload(site, png_bytes(image, transparency=0), "icon.png")

    small = open_stored(media.renditions[0]["name"]).convert("RGBA")
    assert small.getpixel((400, 100))[3] == 0
    assert small.getpixel((50, 100)) == (0, 0, 255, 255)


def test_the_renditions_keep_the_colour_profile(site):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

    media = upload(site, jpeg_bytes(photo((1000, 500)), icc_profile=profile))

    assert open_stored(media.renditions[0]["name"]).info.get("icc_profile") == profile


def test_an_animated_gif_is_stored_as_a_png_of_its_first_frame(site):
    media = upload(site, animated_gif(), "dance.gif")

    stored = open_stored(media.file.name)

    assert (stored.format, media.mime_type) == ("PNG", "image/png")
    assert stored.convert("RGB").getpixel((10, 10)) == (255, 0, 0)
    assert getattr(stored, "n_frames", 1) == 1


def test_a_webp_stays_a_webp(site):
    out = io.BytesIO()
    photo((700, 500)).save(out, "WEBP")

    media = upload(site, out.getvalue(), "photo.webp")

    assert open_stored(media.file.name).format == "WEBP"
    assert media.file.name.endswith(".webp")


# --- Refusals ---------------------------------------------------------------------------


def test_a_text_file_named_jpg_is_refused(site):
    message = refusal(site, b"Just some notes, not a picture.\n" * 20, "notes.jpg")

    assert message == "This file is not an image we can use (JPEG, PNG, GIF or WebP)."


def test_a_tiff_is_refused_as_not_an_image_we_can_use(site):
    out = io.BytesIO()
    photo((50, 50)).save(out, "TIFF")

    message = refusal(site, out.getvalue(), "scan.jpg")

    assert message == "This file is not an image we can use (JPEG, PNG, GIF or WebP)."


def test_a_decompression_bomb_is_refused_as_too_large(site):
    message = refusal(site, crafted_png(20000, 20000), "huge.png")

    assert message == "This image is too large; the limit is 40 megapixels."


def test_a_decompression_bomb_leaves_pillows_own_limit_in_place(site):
    refusal(site, crafted_png(20000, 20000), "huge.png")

    assert Image.MAX_IMAGE_PIXELS is not None
    assert Image.MAX_IMAGE_PIXELS >= 40_000_000


def test_an_image_over_the_pixel_limit_is_refused_with_its_dimensions(site):
    message = refusal(site, crafted_png(8000, 6000), "big.png")

    assert message == "This image is too large (8000×6000 pixels); the limit is 40 megapixels."


@override_settings(BYLINE_MAX_IMAGE_PIXELS=1_000_000)
def test_the_pixel_limit_follows_the_setting(site):
    message = refusal(site, jpeg_bytes(photo((1200, 900))), "photo.jpg")

    assert message == "This image is too large (1200×900 pixels); the limit is 1 megapixels."


@override_settings(BYLINE_MAX_UPLOAD_BYTES=10_000)
def test_a_file_over_the_size_limit_is_refused(site):
    message = refusal(site, jpeg_with_gps(), "photo.jpg")

    assert message == "This file is too big; the limit is 9.8\xa0KB."


def test_an_empty_file_is_refused(site):
    assert refusal(site, b"", "photo.jpg") == "This file is empty."


def test_a_truncated_jpeg_is_refused_as_damaged(site):
    data = jpeg_with_gps((800, 600))

    message = refusal(site, data[: len(data) // 2], "photo.jpg")

    assert message.startswith("This image is damaged or incomplete")


def test_a_png_with_a_broken_checksum_is_refused_as_damaged(site):
    data = bytearray(png_bytes(photo((100, 100))))
    data[data.index(b"IDAT") + 20] ^= 0xFF  # pixel data no longer matches its checksum

    message = refusal(site, bytes(data), "photo.png")

    assert message.startswith("This image is damaged or incomplete")


def test_an_svg_with_a_script_is_refused(site):
    message = refusal(site, SVG_WITH_SCRIPT, "drawing.svg")

    assert message == ("SVG images can carry scripts, so Byline does not accept them; "
                       "please upload a PNG or JPEG.")


def test_an_svg_named_png_is_refused_as_an_svg(site):
    message = refusal(site, SVG_WITH_SCRIPT, "drawing.png")

    assert message.startswith("SVG images can carry scripts")


def test_an_overlong_alt_text_is_refused_before_anything_is_stored(site):
    files_before = stored_files()

    with pytest.raises(ValidationError):
        upload(site, jpeg_bytes(photo((600, 400))), alt_text="x" * 501)

    assert Media.objects.count() == 0
    assert stored_files() == files_before


# --- Smuggled content and names ---------------------------------------------------------


def test_html_appended_to_a_png_is_not_stored(site):
    media = upload(site, png_bytes(photo((600, 400))) + APPENDED_HTML, "photo.png")

    data = read_stored(media.file.name)

    assert b"<script" not in data
    assert b"<html" not in data


def test_html_appended_to_a_jpeg_is_not_stored(site):
    media = upload(site, jpeg_bytes(photo((600, 400))) + APPENDED_HTML, "photo.jpg")

    assert b"<script" not in read_stored(media.file.name)


def test_a_path_in_the_file_name_does_not_reach_the_stored_path(site):
    media = upload(site, jpeg_bytes(photo((600, 400))), "placeholder.jpg")
    named = media_upload(site=site, uploaded_by=site.owner,
                         file=ContentFile(jpeg_bytes(photo((600, 400))),
                                          name="../../evil.php.jpg"))

    assert re.fullmatch(rf"sites/{site.pk}/\d{{4}}/\d{{2}}/[0-9a-f]{{16}}\.jpg", named.file.name)
    assert named.original_name == "evil.php.jpg"
    assert named.file.name != media.file.name


def test_the_stored_extension_follows_the_real_format_not_the_name(site):
    media = upload(site, png_bytes(photo((600, 400))), "photo.php.jpg")

    assert media.file.name.endswith(".png")
    assert media.mime_type == "image/png"


def test_a_nul_byte_in_the_name_is_dropped(site):
    media = media_upload(site=site, uploaded_by=site.owner,
                         file=ContentFile(jpeg_bytes(photo((600, 400))),
                                          name="shell.php\x00.jpg"))

    assert media.original_name == "shell.php.jpg"
    assert "\x00" not in media.file.name


def test_a_very_long_name_is_shortened_for_display_keeping_the_extension(site):
    media = upload(site, jpeg_bytes(photo((600, 400))), "a" * 250 + ".jpg")

    assert len(media.original_name) <= 120
    assert media.original_name.endswith("….jpg")
    assert len(media.file.name) < 60


def test_a_right_to_left_override_is_removed_from_the_display_name(site):
    assert media_service.clean_original_name("photo\u202egpj.exe") == "photogpj.exe"


# --- Nothing left behind ----------------------------------------------------------------


def test_a_storage_failure_while_saving_renditions_removes_what_was_written(site, monkeypatch):
    real_save, calls = default_storage.save, []

    def failing_save(name, content, *args, **kwargs):
        calls.append(name)
        if len(calls) == 3:
            raise OSError("disk full")
        return real_save(name, content, *args, **kwargs)

    monkeypatch.setattr(default_storage, "save", failing_save)
    files_before = stored_files()

    with pytest.raises(OSError, match="disk full"):
        upload(site, jpeg_with_gps((2000, 1500)))

    monkeypatch.undo()
    assert len(calls) == 3
    assert stored_files() == files_before
    assert Media.objects.count() == 0


def test_a_database_failure_after_the_files_are_written_removes_them(site, monkeypatch):
    def failing_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Media, "save", failing_save)
    files_before = stored_files()

    with pytest.raises(RuntimeError, match="database went away"):
        upload(site, jpeg_with_gps((2000, 1500)))

    assert stored_files() == files_before


# --- Showing an image -------------------------------------------------------------------


def test_srcset_lists_each_rendition_and_the_original_by_width(site):
    media = upload(site, jpeg_bytes(photo((1000, 500))))
    small, medium = media.renditions

    assert srcset(media) == (f"/media/{small['name']} 480w, /media/{medium['name']} 960w, "
                             f"/media/{media.file.name} 1000w")


def test_the_thumbnail_is_the_smallest_rendition(site):
    media = upload(site, jpeg_bytes(photo((2000, 1000))))

    assert thumbnail_url(media) == default_storage.url(media.renditions[0]["name"])


def test_figure_html_has_a_responsive_lazy_image_and_its_caption(site):
    media = upload(site, jpeg_bytes(photo((1000, 500))), alt_text="A hill", caption="Dawn")

    html = figure_html(media)

    assert html == (
        f'<figure><img src="/media/{media.file.name}" srcset="{srcset(media)}" '
        f'sizes="(max-width: 720px) 100vw, 720px" alt="A hill" width="1000" height="500" '
        f'loading="lazy"><figcaption>Dawn</figcaption></figure>')


def test_figure_html_escapes_alt_text_and_caption(site):
    media = upload(site, jpeg_bytes(photo((300, 200))),
                   alt_text='" onerror="alert(1)', caption="<script>alert(1)</script> & co")

    html = figure_html(media)

    assert 'alt="&quot; onerror=&quot;alert(1)"' in html
    assert "<figcaption>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</figcaption>" in html


def test_figure_html_without_caption_has_no_figcaption(site):
    media = upload(site, jpeg_bytes(photo((300, 200))), alt_text="A hill")

    assert "figcaption" not in figure_html(media)


def test_figure_html_passes_the_post_sanitiser_unchanged(site):
    media = upload(site, jpeg_bytes(photo((1000, 500))), alt_text="A <hill>", caption="Dawn & dusk")

    html = figure_html(media)

    assert sanitize_post_html(html) == html


# --- Deleting ---------------------------------------------------------------------------


def test_deleting_an_image_removes_the_original_and_renditions_from_storage(
        site, django_capture_on_commit_callbacks):
    media = upload(site, jpeg_with_gps((2000, 1500)))
    names = [media.file.name] + [r["name"] for r in media.renditions]

    with django_capture_on_commit_callbacks(execute=True):
        media_delete(media=media)

    assert not any(default_storage.exists(name) for name in names)
    assert not Media.objects.exists()


def test_deleting_a_featured_image_leaves_the_post_without_one(
        site, django_capture_on_commit_callbacks):
    media = upload(site, jpeg_bytes(photo((600, 400))))
    post = make_post(site=site)
    Post.objects.filter(pk=post.pk).update(featured_image=media)

    with django_capture_on_commit_callbacks(execute=True):
        media_delete(media=media)

    post.refresh_from_db()
    assert post.featured_image is None


def test_media_rows_belong_to_their_site(site):
    other = SiteFactory()
    upload(site, jpeg_bytes(photo((300, 200))))

    assert Media.objects.for_site(other).count() == 0
    assert Media.objects.for_site(site).count() == 1

