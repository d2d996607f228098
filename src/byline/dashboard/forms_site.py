"""Forms of the "Get started" wizard, the site settings screen and the people screen."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from byline.tenancy.models import (
    Domain,
    Site,
    Theme,
    known_timezones,
    normalize_host,
    slug_validator,
    validate_custom_host,
    validate_not_reserved,
)
from byline.tenancy.roles import Role


def address_problem(slug: str) -> str | None:
    """Why `slug` cannot be a new site's address, or None when it is free and valid.

    The wizard's form and its live check (start.js) give the same answers.
    """
    if not slug:
        return "Choose an address."
    try:
        slug_validator(slug)
        validate_not_reserved(slug)
    except ValidationError as error:
        return " ".join(error.messages)
    if Site.objects.filter(slug=slug).exists():
        return "That address is taken. Try another."
    return None


def suggest_address(title: str) -> str:
    """A free address made from a site's title ("My Blog" → "my-blog", "my-blog-2", …)."""
    base = slugify(title)[:55].strip("-") or "my-site"
    candidates = [base, *(f"{base}-{n}" for n in range(2, 10))]
    taken = set(Site.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    for candidate in candidates:
        if candidate not in taken and address_problem(candidate) is None:
            return candidate
    return ""


class _NoColons:
    """Labels without Django's trailing colon."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class StartTitleForm(_NoColons, forms.Form):
    title = forms.CharField(
        label="Site title", max_length=200,
        help_text="You can change it at any time.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}))

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError("Give your site a title.")
        return title


class StartAddressForm(_NoColons, forms.Form):
    slug = forms.CharField(
        label="Site address", max_length=63,
        help_text="Lowercase letters, digits and hyphens. This cannot be changed later.",
        widget=forms.TextInput(attrs={
            "autocomplete": "off", "autocapitalize": "none", "spellcheck": "false",
            "autofocus": True, "pattern": "[a-zA-Z0-9-]+", "inputmode": "url",
        }))

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        problem = address_problem(slug)
        if problem:
            raise ValidationError(problem)
        return slug


class StartThemeForm(_NoColons, forms.Form):
    theme = forms.ChoiceField(label="Theme", choices=Theme.choices, initial=Theme.CANVAS,
                              widget=forms.RadioSelect)


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(known_timezones())]


def _language_choices() -> list[tuple[str, str]]:
    return sorted(settings.LANGUAGES, key=lambda choice: str(choice[1]))


class SiteSettingsForm(_NoColons, forms.ModelForm):
    language = forms.ChoiceField(label="Language", choices=_language_choices,
                                 help_text="The language the site is written in.")
    timezone = forms.ChoiceField(label="Time zone", choices=_timezone_choices,
                                 help_text="Dates and schedules on the site use this time zone.")
    custom_domain = forms.CharField(
        label="Custom domain", required=False, max_length=253,
        help_text="Optional, e.g. blog.example.com. Point its DNS at Byline, then enter it "
                  "here. Leave empty to use only the Byline address.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false",
                                      "inputmode": "url"}))

    class Meta:
        model = Site
        fields = ["title", "tagline", "language", "timezone", "is_public", "theme",
                  "posts_per_page", "feed_full_content", "comments_open_by_default",
                  "comments_hold_first_time", "comments_close_after_days", "comment_thread_depth"]
        labels = {"title": "Site title", "tagline": "Tagline", "posts_per_page": "Posts per page"}
        help_texts = {
            "tagline": "A few words under the title.",
            "posts_per_page": "On the home page and archives (1–100).",
            "is_public": "Sites with published posts appear on Byline’s home page.",
        }
        widgets = {"theme": forms.RadioSelect}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        domain = self.instance.domains.filter(is_primary=True).first() or \
            self.instance.domains.first()
        self.fields["custom_domain"].initial = domain.host if domain else ""
        self.fields["comments_close_after_days"].widget.attrs.update(min=1, max=3650)
        self.fields["comment_thread_depth"].widget.attrs.update(min=1, max=10)

    def clean_custom_domain(self) -> str:
        host = self.cleaned_data["custom_domain"].strip()
        if not host:
            return ""
        validate_custom_host(host)
        host = normalize_host(host)
        if Domain.objects.filter(host=host).exclude(site=self.instance).exists():
            raise ValidationError("This domain is already used by another site.")
        return host


class InviteForm(_NoColons, forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label="Role")

    def __init__(self, *args, roles: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        self.fields["role"].initial = Role.AUTHOR if Role.AUTHOR in roles else roles[-1]


class RoleForm(_NoColons, forms.Form):
    role = forms.ChoiceField(label="Role")

    def __init__(self, *args, roles: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]

