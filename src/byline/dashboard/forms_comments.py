"""Forms of the comment moderation screens: replying from the dashboard, editing a comment."""

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError

from byline.discussion.models import Comment


class _NoColons:
    """Labels without Django's trailing colon."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _body_field(label: str) -> forms.CharField:
    # The model's limit, refused with a message rather than cut (SECURITY-CASES 3).
    return forms.CharField(label=label, max_length=Comment.MAX_BODY, strip=True,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text="Markdown-lite: paragraphs, *emphasis*, [links](https://…), "
                                     "`code`, > quotes.")


class CommentReplyForm(_NoColons, forms.Form):
    body = _body_field("Your reply")


class CommentEditForm(_NoColons, forms.Form):
    body = _body_field("Comment")
    author_name = forms.CharField(label="Name", max_length=Comment.MAX_NAME)
    author_email = forms.EmailField(label="E-mail", max_length=Comment.MAX_EMAIL, required=False)
    author_url = forms.URLField(label="Website", max_length=Comment.MAX_URL, required=False,
                                assume_scheme="https")
    status = forms.ChoiceField(label="Status", choices=Comment.Status.choices,
                               widget=forms.RadioSelect)

    def clean_author_name(self) -> str:
        name = self.cleaned_data["author_name"]
        # A name goes into mail headers ("NAME commented on …"): no line breaks (header
        # injection, SECURITY-CASES A).
        if "\r" in name or "\n" in name:
            raise ValidationError("A name cannot contain line breaks.")
        return name

    def clean_author_url(self) -> str:
        url = self.cleaned_data["author_url"]
        # URLField already refuses javascript: and data:; say so plainly for anything that
        # is not a web address (SECURITY-CASES 8).
        if url and urlsplit(url).scheme not in ("http", "https"):
            raise ValidationError("Enter a web address starting with http:// or https://.")
        return url
