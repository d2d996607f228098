"""Forms of the media library: uploading images and describing them."""

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat

from byline.content.media import max_image_pixels, max_upload_bytes
from byline.content.models import Media

ACCEPT = "image/jpeg,image/png,image/gif,image/webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """One or more files from a single <input type=file multiple>; cleaned to a list.

    Only presence is checked here: whether a file is an image we can use is
    decided by content.media.media_upload, which every entry point calls.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        # Not FileField's per-file checks: an empty file, say, is refused by
        # media_upload with its name and a message like every other refusal.
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


def upload_limits_text() -> str:
    megapixels = f"{max_image_pixels() / 1_000_000:g}"
    return (f"JPEG, PNG, GIF or WebP, up to {filesizeformat(max_upload_bytes())} and "
            f"{megapixels} megapixels each. Photos are stored without their location "
            f"and camera details.")


class MediaUploadForm(forms.Form):
    files = MultipleImageField(
        label="Images",
        error_messages={"required": "Choose one or more images to upload."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = upload_limits_text()


class MediaEditForm(forms.ModelForm):
    class Meta:
        model = Media
        fields = ["alt_text", "caption"]
        labels = {"alt_text": "Alt text", "caption": "Caption"}
        help_texts = {
            "alt_text": "What the image shows, for people who cannot see it and for search "
                        "engines. Leave it empty only for a purely decorative image.",
            "caption": "Shown under the image in posts. Plain text.",
        }
        widgets = {
            "alt_text": forms.Textarea(attrs={"rows": 2}),
            "caption": forms.Textarea(attrs={"rows": 3}),
        }


class SizeCappedUploadHandler(FileUploadHandler):
    """Stops receiving a file once it passes the upload limit, so an oversized file
    never fills the temporary folder; the names of refused files are kept for the
    view to report. media_upload checks the size again: this is only the early exit.
    """

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.limit = max_upload_bytes()
        self.too_big: list[str] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.too_big.append(self.file_name or "")
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers build the file
