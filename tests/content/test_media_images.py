"""Images for the media tests, built in memory (no binaries in the repository), and
checks that each really is what the upload tests take it for."""

import io
import struct
import zlib

from django.core.files.storage import default_storage
from PIL import ExifTags, Image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def photo(size: tuple[int, int] = (2000, 1500)) -> Image.Image:
    """An RGB picture with detail in both directions, like a photo."""
    horizontal = Image.linear_gradient("L").resize(size)
    vertical = horizontal.transpose(Image.Transpose.ROTATE_90).resize(size)
    return Image.merge("RGB", (horizontal, vertical, Image.new("L", size, 90)))


def jpeg_bytes(image: Image.Image | None = None, **save_options) -> bytes:
    out = io.BytesIO()
    (image or photo()).save(out, "JPEG", quality=85, **save_options)
    return out.getvalue()


def gps_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: camera make, orientation and where the photo was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Pocket Camera"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 22.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 53.0, 10.0)
    return exif


def jpeg_with_gps(size: tuple[int, int] = (2000, 1500), orientation: int = 1) -> bytes:
    return jpeg_bytes(photo(size), exif=gps_exif(orientation), comment=b"secret-note")


def png_bytes(image: Image.Image, **save_options) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **save_options)
    return out.getvalue()


def png_with_alpha(size: tuple[int, int] = (1200, 800)) -> bytes:
    image = photo(size).convert("RGBA")
    image.putalpha(Image.linear_gradient("L").resize(size))
    return png_bytes(image)


def crafted_png(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of any size, all black, a few kilobytes compressed:
    the classic decompression bomb, built without ever holding its pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def animated_gif() -> bytes:
    """Two frames: red, then blue."""
    red, blue = Image.new("RGB", (64, 48), "red"), Image.new("RGB", (64, 48), "blue")
    out = io.BytesIO()
    red.save(out, "GIF", save_all=True, append_images=[blue], duration=100, loop=0)
    return out.getvalue()


def mpo_bytes() -> bytes:
    """A JPEG with a second picture inside, as phone cameras write them (Pillow: MPO)."""
    out = io.BytesIO()
    photo((800, 600)).save(out, "MPO", save_all=True, append_images=[photo((800, 600))])
    return out.getvalue()


SVG_WITH_SCRIPT = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
                   b'width="10" height="10"><script>alert(document.cookie)</script></svg>')
APPENDED_HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def stored_files() -> set[str]:
    """Every file in default storage, through the storage API (as S3 would be listed)."""
    found: set[str] = set()

    def walk(path: str) -> None:
        directories, files = default_storage.listdir(path)
        found.update(f"{path}/{name}".lstrip("/") for name in files)
        for directory in directories:
            walk(f"{path}/{directory}".lstrip("/"))

    walk("")
    return found


# --- The fixtures are what they claim ---------------------------------------------------


def test_the_gps_photo_carries_gps_coordinates():
    image = Image.open(io.BytesIO(jpeg_with_gps()))

    gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    assert gps[ExifTags.GPS.GPSLatitude] == (52.0, 22.0, 30.0)


def test_the_crafted_bomb_declares_400_megapixels_in_a_few_kilobytes():
    data = crafted_png(20000, 20000)

    width, height = struct.unpack(">II", data[16:24])

    assert (width, height) == (20000, 20000)
    assert len(data) < 200_000


def test_the_crafted_png_is_a_valid_image_when_small():
    image = Image.open(io.BytesIO(crafted_png(30, 20)))
    image.load()

    assert image.size == (30, 20)
    assert image.getpixel((0, 0)) == 0


def test_the_mpo_is_read_by_pillow_as_mpo():
    assert Image.open(io.BytesIO(mpo_bytes())).format == "MPO"
