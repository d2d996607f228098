"""Image uploads: checked, decoded and re-encoded by Pillow before anything is stored.

Nothing an uploader sends reaches storage as sent. Pillow opens the bytes with an
explicit list of formats, decodes every pixel, and we write a fresh file from those
pixels: whatever rode along (HTML after the image data, a polyglot's second
personality, EXIF with GPS coordinates, comments, XMP) is left behind. The stored
name is ours (`media_path`), its extension the format we wrote.

Files go through Django's default storage only, so the same code writes to a
local folder or to S3-compatible object storage.
"""

from __future__ import annotations

import io
import logging
import struct
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from PIL import Image, ImageOps, UnidentifiedImageError

from byline.tenancy.models import Site

from .models import Media

__all__ = [
    "ALLOWED_FORMATS",
    "FIGURE_SIZES",
    "RENDITION_WIDTHS",
    "clean_original_name",
    "figure_html",
    "file_url",
    "max_image_pixels",
    "max_upload_bytes",
    "media_delete",
    "media_update",
    "media_upload",
    "srcset",
    "stored_names",
    "thumbnail_url",
]

# Formats Pillow may even try. Anything else (PSD, TIFF, FITS, PDF, ICO, …) never
# reaches a decoder, which keeps the attack surface to four well-worn plugins.
# MPO is what Pillow calls a JPEG carrying a second picture (phone cameras write
# them); it is read by the JPEG plugin and stored as a plain JPEG.
ALLOWED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")

RENDITION_WIDTHS = (480, 960, 1600)
FIGURE_SIZES = "(max-width: 720px) 100vw, 720px"

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000

NOT_AN_IMAGE = "This file is not an image we can use (JPEG, PNG, GIF or WebP)."
SVG_REFUSED = ("SVG images can carry scripts, so Byline does not accept them; "
               "please upload a PNG or JPEG.")
DAMAGED = ("This image is damaged or incomplete (perhaps it did not finish downloading "
           "or copying); please save or export it again and upload the new file.")
EMPTY = "This file is empty."

logger = logging.getLogger(__name__)

_JPEG_QUALITY = 88
_WEBP_QUALITY = 88
# Decoders signal malformed data with a spread of exception types.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


def max_upload_bytes() -> int:
    """The largest file accepted, in bytes (setting BYLINE_MAX_UPLOAD_BYTES)."""
    return int(getattr(settings, "BYLINE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def max_image_pixels() -> int:
    """The largest image accepted, in pixels (setting BYLINE_MAX_IMAGE_PIXELS).

    Kept below Pillow's own MAX_IMAGE_PIXELS, which stays at its default as a second
    line of defence: an image between the two limits is refused by us with its
    exact size, one beyond Pillow's is refused by Pillow before any decoding.
    """
    return int(getattr(settings, "BYLINE_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"


def _too_large(size: tuple[int, int] | None) -> ValidationError:
    limit = _megapixels(max_image_pixels())
    if size is None:
        return ValidationError(f"This image is too large; the limit is {limit} megapixels.",
                               code="too_many_pixels")
    return ValidationError(
        f"This image is too large ({size[0]}×{size[1]} pixels); the limit is {limit} megapixels.",
        code="too_many_pixels")


def clean_original_name(name: str | None, *, max_length: int = 120) -> str:
    """The uploaded file's name made fit to display: the last path part only, without
    control or bidi-override characters, whitespace collapsed, and shortened in
    the middle so the extension stays visible. It never names a stored file."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Category C covers NUL and other controls, and format characters such as
    # U+202E, which can make "gpj.exe" display as "exe.jpg".
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: max_length - len(ext) - 2].rstrip() + "…." + ext
        else:
            name = name[: max_length - 1].rstrip() + "…"
    return name or "image"


def _looks_like_svg(data: bytes, name: str) -> bool:
    if name.lower().rstrip(". ").endswith((".svg", ".svgz")):
        return True
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return (head.startswith(b"<?xml") and b"<svg" in head) or head.startswith(b"<svg")


def _read_limited(file) -> bytes:
    """At most the upload limit plus one byte, so a file's claimed size is never trusted."""
    limit = max_upload_bytes()
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            f"This file is too big; the limit is {filesizeformat(limit)}.", code="too_big")
    if not data:
        raise ValidationError(EMPTY, code="empty")
    return data


def _open(data: bytes) -> Image.Image:
    """Open with the allowed formats only and Pillow's bomb warning as an error.

    Opening reads the header alone, so the size check below happens before a
    single pixel is decoded.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_large(None) from None
        except UnidentifiedImageError:
            raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None
        except _DECODE_ERRORS:
            raise ValidationError(DAMAGED, code="damaged") from None
    return image


@dataclass(frozen=True)
class _Encoding:
    format: str
    extension: str
    mime_type: str


_JPEG = _Encoding("JPEG", "jpg", "image/jpeg")
_PNG = _Encoding("PNG", "png", "image/png")
_WEBP = _Encoding("WEBP", "webp", "image/webp")

# What each accepted format is stored as. A GIF keeps its first frame only, as a PNG:
# lossless, and no animation loop to decode on every page view.
_STORED_AS = {"JPEG": _JPEG, "MPO": _JPEG, "PNG": _PNG, "GIF": _PNG, "WEBP": _WEBP}


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _decode(data: bytes) -> tuple[Image.Image, str]:
    """Every check, then the fully decoded first frame, upright, with no metadata."""
    image = _open(data)
    fmt = image.format or ""
    width, height = image.size
    if width * height > max_image_pixels():
        raise _too_large(image.size)
    try:
        # verify() checks what load() may not (PNG chunk checksums); it leaves the
        # image unusable, so decoding starts again from the bytes.
        image.verify()
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
            image.load()  # LOAD_TRUNCATED_IMAGES stays False: a cut-off file fails here.
            upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large(None) from None
    except _DECODE_ERRORS:
        raise ValidationError(DAMAGED, code="damaged") from None
    # Keep only what the pixels need: palette transparency and the colour profile
    # (it has no personal data, and without it wide-gamut photos look dull).
    # EXIF (GPS, camera serials), XMP, comments and text chunks all stay behind.
    kept = {key: upright.info[key] for key in ("transparency", "icc_profile")
            if upright.info.get(key) is not None}
    upright.info = kept
    return upright, fmt


def _encode(image: Image.Image, encoding: _Encoding) -> bytes:
    """Write `image` in `encoding`, passing every piece of metadata explicitly."""
    options: dict = {}
    icc = image.info.get("icc_profile")
    if encoding is _JPEG:
        if image.mode not in ("RGB", "L"):
            # A CMYK profile would be wrong for the converted pixels.
            image, icc = image.convert("RGB"), None
        options.update(quality=_JPEG_QUALITY, optimize=True, progressive=True)
    elif encoding is _WEBP:
        if image.mode not in ("RGB", "RGBA"):
            image, icc = image.convert("RGBA" if _has_alpha(image) else "RGB"), None
        options.update(quality=_WEBP_QUALITY)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
            image, icc = image.convert("RGBA" if _has_alpha(image) else "RGB"), None
        transparency = image.info.get("transparency")
        if transparency is not None and image.mode in ("P", "L", "RGB", "1"):
            options["transparency"] = transparency
    if icc:
        options["icc_profile"] = icc
    # The encoders fall back to info for some chunks (comments, text): leave them
    # nothing, and give the caller its image back as it was.
    info, image.info = image.info, {}
    try:
        out = io.BytesIO()
        image.save(out, format=encoding.format, **options)
    finally:
        image.info = info
    return out.getvalue()


def _rendition_source(image: Image.Image) -> Image.Image:
    """A mode every resampling filter and both rendition formats handle well."""
    if _has_alpha(image):
        converted = image.convert("RGBA")
    elif image.mode in ("L", "RGB"):
        converted = image
    elif image.mode in ("I", "I;16", "F"):
        converted = image.convert("L")
    else:
        converted = image.convert("RGB")
    converted.info = {"icc_profile": image.info["icc_profile"]} if (
        converted.mode == image.mode and image.info.get("icc_profile")) else {}
    return converted


def _renditions(image: Image.Image, source_format: str) -> list[tuple[int, int, bytes, str]]:
    """Smaller copies for srcset, never wider than the original.

    PNG when the picture has transparency or came as PNG or GIF (screenshots and
    drawings smear as JPEG); JPEG for photos.
    """
    widths = [w for w in RENDITION_WIDTHS if w < image.width]
    if not widths:
        return []
    base = _rendition_source(image)
    lossless = _has_alpha(base) or source_format in ("PNG", "GIF")
    encoding = _PNG if lossless else _JPEG
    made = []
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        resized = base.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        resized.info = dict(base.info)
        made.append((width, height, _encode(resized, encoding), encoding.extension))
    return made


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            # Cleanup must not hide the error that caused it; a stray file is logged.
            logger.warning("Could not delete media file %s", name, exc_info=True)


def media_upload(*, site: Site, uploaded_by, file, alt_text: str = "",
                 caption: str = "") -> Media:
    """Check an uploaded image, store a re-encoded copy and its renditions, record it.

    `file` is anything with read() (an UploadedFile, a File, BytesIO) and ideally
    a name, kept only for display. Raises ValidationError with a message meant for
    the uploader; a refused or failed upload leaves no file and no row behind.

    Only the row is written in a transaction. Decoding and resizing a large photo
    takes seconds, and on SQLite an open write transaction blocks every other
    writer of every site, so that work (and the storage writes, slow on S3) is
    done first, and undone if the row cannot be saved.
    """
    original_name = clean_original_name(getattr(file, "name", ""))
    data = _read_limited(file)
    if _looks_like_svg(data, str(getattr(file, "name", "") or "")):
        raise ValidationError(SVG_REFUSED, code="svg")
    image, source_format = _decode(data)
    encoding = _STORED_AS[source_format]
    stored = _encode(image, encoding)
    renditions = _renditions(image, source_format)

    media = Media(site=site, uploaded_by=uploaded_by, alt_text=alt_text.strip(),
                  caption=caption.strip(), original_name=original_name, size=len(stored),
                  mime_type=encoding.mime_type, width=image.width, height=image.height)
    media.full_clean(exclude=["file"])  # refuse bad fields before writing any file

    written: list[str] = []
    try:
        # media_path names the file from the site, the date and a random token;
        # only the extension of this placeholder name is used, and it is ours.
        media.file.save(f"image.{encoding.extension}", ContentFile(stored), save=False)
        written.append(media.file.name)
        stem = media.file.name.rsplit(".", 1)[0]
        for width, height, content, extension in renditions:
            name = default_storage.save(f"{stem}-{width}w.{extension}", ContentFile(content))
            written.append(name)
            media.renditions.append({"width": width, "height": height, "name": name})
        media.full_clean()
        with transaction.atomic():
            media.save()
    except BaseException:
        # Storage or database failed part-way: what was written must not linger.
        # (A caller's own outer transaction rolling back later is the caller's to
        # clean up, with stored_names(); Django has no on-rollback hook.)
        _delete_files(written)
        raise
    return media


@transaction.atomic
def media_update(*, media: Media, alt_text: str, caption: str, title: str | None = None) -> Media:
    """Change the words around an image: its alt text, caption and (optionally) title."""
    media.alt_text = alt_text.strip()
    media.caption = caption.strip()
    if title is not None:
        media.title = title.strip()
    media.full_clean()
    media.save(update_fields=["alt_text", "caption", "title"])
    return media


def stored_names(media: Media) -> list[str]:
    """Every file in storage that belongs to this image: the original and its renditions."""
    names = [media.file.name] if media.file else []
    names += [r["name"] for r in media.renditions or [] if r.get("name")]
    return names


@transaction.atomic
def media_delete(*, media: Media) -> None:
    """Delete an image and, once the deletion is committed, its files.

    Posts that used it as their featured image keep going without one
    (Post.featured_image is SET_NULL). Files go only after the commit, so a
    rolled-back delete never leaves a row pointing at missing files.
    """
    names = stored_names(media)
    media.delete()
    transaction.on_commit(lambda: _delete_files(names))


# --- Showing an image ----------------------------------------------------------------


def file_url(name: str) -> str:
    """The address of a stored file (a rendition's `name`), from the default storage."""
    return default_storage.url(name)


def srcset(media: Media) -> str:
    """The srcset value: each rendition and the original, by width; empty when the
    original is the only size."""
    if not media.renditions:
        return ""
    candidates = sorted((r["width"], file_url(r["name"])) for r in media.renditions)
    if media.width:
        candidates.append((media.width, media.url))
    return ", ".join(f"{url} {width}w" for width, url in candidates)


def thumbnail_url(media: Media) -> str:
    """The smallest stored copy: what a grid of thumbnails should load."""
    if media.renditions:
        smallest = min(media.renditions, key=lambda r: r["width"])
        return file_url(smallest["name"])
    return media.url


def figure_html(media: Media) -> str:
    """A responsive `<figure>` for a post body, every value escaped.

    The caption is plain text. The markup passes the post sanitiser unchanged.
    """
    attrs: list[tuple[str, object]] = [("src", media.url)]
    candidates = srcset(media)
    if candidates:
        attrs += [("srcset", candidates), ("sizes", FIGURE_SIZES)]
    attrs.append(("alt", media.alt_text))
    if media.width and media.height:
        attrs += [("width", media.width), ("height", media.height)]
    attrs.append(("loading", "lazy"))
    img = "<img " + " ".join(f'{name}="{escape(value)}"' for name, value in attrs) + ">"
    caption = media.caption.strip()
    figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{img}{figcaption}</figure>"
