"""The "Leave a Reply" form: what a browser sends, checked before the service sees it.

Lengths, URL schemes and the moderation rules live in services.comment_post (every entry
point needs them); this form adds what only a browser form has: the honeypot and the signed
time-on-page stamp.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing

from .models import Comment

STAMP_SALT = "byline.discussion.comment-form"
STAMP_MAX_AGE = 24 * 3600
# Field names the form uses for the service's field names, to hang errors on the right input.
FIELD_FOR = {"body": "comment", "author_name": "author", "author_email": "email",
             "author_url": "url"}


def min_seconds_on_page() -> float:
    """How long a person takes at least to read and type: faster is a script."""
    return float(getattr(settings, "BYLINE_COMMENT_MIN_SECONDS", 3))


def make_stamp(post_id: int, *, issued_at: float | None = None) -> str:
    """A signed note of when the form was served, for which post."""
    return signing.dumps({"p": post_id, "t": issued_at if issued_at is not None else time.time()},
                         salt=STAMP_SALT)


class CommentForm(forms.Form):
    comment = forms.CharField(label="Comment", required=False, strip=False,
                              widget=forms.Textarea(attrs={
                                  "rows": 8, "maxlength": Comment.MAX_BODY, "required": True}))
    author = forms.CharField(label="Name", required=False, strip=False,
                             widget=forms.TextInput(attrs={
                                 "maxlength": Comment.MAX_NAME, "autocomplete": "name"}))
    email = forms.CharField(label="Email", required=False, strip=False,
                            widget=forms.EmailInput(attrs={
                                "maxlength": Comment.MAX_EMAIL, "autocomplete": "email",
                                "aria-describedby": "email-notes"}))
    url = forms.CharField(label="Website", required=False, strip=False,
                          widget=forms.URLInput(attrs={
                              "maxlength": Comment.MAX_URL, "autocomplete": "url"}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    stamp = forms.CharField(required=False, widget=forms.HiddenInput)
    # The honeypot: hidden from people by CSS and from screen readers by aria-hidden on its
    # wrapper; scripts that fill every field give themselves away.
    leave_blank = forms.CharField(required=False, label="Leave this field empty",
                                  widget=forms.TextInput(attrs={
                                      "tabindex": "-1", "autocomplete": "off"}))
    remember = forms.BooleanField(
        required=False,
        label="Save my name, email, and website in this browser for the next time I comment.")
    notify_post = forms.BooleanField(required=False,
                                     label="Notify me of new comments via e-mail.")
    notify_replies = forms.BooleanField(required=False,
                                        label="Notify me of replies to my comment via e-mail.")

    def __init__(self, *args, post_id: int, **kwargs):
        self.post_id = post_id
        super().__init__(*args, **kwargs)
        self.fields["comment"].widget.attrs["id"] = "comment"

    @property
    def is_bot(self) -> bool:
        """The honeypot was filled in: answer as if all went well and store nothing."""
        return bool(self.is_bound and self.data.get("leave_blank"))

    def clean_stamp(self) -> str:
        again = "Your comment was sent too fast or the form had expired. Please send it again."
        try:
            data = signing.loads(self.cleaned_data.get("stamp") or "", salt=STAMP_SALT,
                                 max_age=STAMP_MAX_AGE)
        except signing.BadSignature as exc:
            raise forms.ValidationError(again, code="stamp") from exc
        if not isinstance(data, dict) or data.get("p") != self.post_id:
            raise forms.ValidationError(again, code="stamp")
        if time.time() - float(data.get("t", 0)) < min_seconds_on_page():
            raise forms.ValidationError(again, code="too_fast")
        return self.cleaned_data["stamp"]

    def add_service_error(self, exc) -> None:
        """Hang a service's ValidationError on the fields it names (or the whole form)."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                for message in errors:
                    self.add_error(FIELD_FOR.get(field), message)
        else:
            for message in exc.messages:
                self.add_error(None, message)
