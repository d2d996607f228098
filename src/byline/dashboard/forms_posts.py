"""Forms of the writing screens: the editor, its "Find also to read" rows, autosave.

Dates are typed in the site's time zone: the views run these forms inside
`timezone.override(site.tzinfo)`, so a datetime-local value means the site's wall clock.
"""

from django import forms
from django.core.validators import URLValidator
from django.db.models import Q, QuerySet
from django.utils import timezone

from byline.content.models import Category, Kind, Media, Post, SourceFormat, Status
from byline.content.services import LinkSpec
from byline.tenancy.models import Site

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class Visibility:
    PUBLIC = "public"
    PRIVATE = "private"
    PASSWORD = "password"  # noqa: S105 (a choice, not a secret)
    CHOICES = [
        (PUBLIC, "Public: everyone can read it"),
        (PASSWORD, "Password protected: readers need the password"),
        (PRIVATE, "Private: only the site's editors and you"),
    ]


def visibility_of(post: Post) -> str:
    if post.status == Status.PRIVATE:
        return Visibility.PRIVATE
    return Visibility.PASSWORD if post.password else Visibility.PUBLIC


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=LOCAL_FORMAT)


class LocalDateTimeField(forms.DateTimeField):
    widget = LocalDateTimeInput
    input_formats = [LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class MediaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Media) -> str:
        title = obj.title or obj.original_name or obj.file.name
        return f"{title} — {obj.alt_text}" if obj.alt_text else title


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Post) -> str:
        kind = " (page)" if obj.kind == Kind.PAGE else ""
        state = "" if obj.status == Status.PUBLISHED else f" [{obj.get_status_display()}]"
        return f"{obj.title}{kind}{state}"


class EditorForm(forms.Form):
    """One form for posts and pages; fields a page does not have are removed."""

    title = forms.CharField(max_length=300, required=False,
                            widget=forms.TextInput(attrs={"placeholder": "Add title",
                                                          "autocomplete": "off"}))
    source = forms.CharField(label="Body", required=False, strip=False,
                             widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "true"}),
                             help_text="Markdown: **bold**, _italic_, [link](https://…), "
                                       "# heading, > quote, - list. HTML is allowed too.")
    excerpt = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="A short summary for lists and feeds. Leave empty to "
                                        "use the opening words.")
    slug = forms.CharField(label="Address (slug)", max_length=200, required=False,
                           help_text="Leave empty to make it from the title.")
    categories = forms.ModelMultipleChoiceField(queryset=Category.objects.none(), required=False,
                                                widget=forms.CheckboxSelectMultiple)
    new_category = forms.CharField(label="Add a new category", max_length=200, required=False)
    tags = forms.CharField(max_length=2000, required=False,
                           help_text="Separate tags with commas.")
    featured_image = MediaChoiceField(queryset=Media.objects.none(), required=False,
                                      empty_label="No featured image")
    allow_comments = forms.BooleanField(label="Allow comments", required=False)
    allow_pings = forms.BooleanField(label="Allow pingbacks and Webmentions", required=False)
    sticky = forms.BooleanField(label="Stick to the top of the home page", required=False)
    visibility = forms.ChoiceField(choices=Visibility.CHOICES, widget=forms.RadioSelect,
                                   initial=Visibility.PUBLIC)
    password = forms.CharField(max_length=100, required=False, strip=False,
                               widget=forms.TextInput(attrs={"autocomplete": "off"}),
                               help_text="Only for “Password protected”.")
    publish_at = LocalDateTimeField(
        label="Publish on", required=False,
        help_text="Leave empty to publish now; a date in the future schedules it.")
    update_at = LocalDateTimeField(label="Apply the changes on", required=False)
    parent = PostChoiceField(queryset=Post.objects.none(), required=False,
                             empty_label="(no parent)")
    menu_order = forms.IntegerField(label="Order in menus", required=False, initial=0,
                                    min_value=-10000, max_value=10000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, site: Site, kind: str, post: Post | None = None,
                 action: str = "", **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.site, self.kind, self.post, self.action = site, kind, post, action
        tz = site.timezone
        self.fields["publish_at"].label = f"Publish on ({tz} time)"
        self.fields["update_at"].label = f"Apply the changes on ({tz} time)"
        self.fields["featured_image"].queryset = Media.objects.for_site(site).filter(
            mime_type__startswith="image/")
        if kind == Kind.PAGE:
            for name in ("categories", "new_category", "tags", "sticky"):
                del self.fields[name]
            pages = Post.objects.for_site(site).pages().not_trashed().order_by("title")
            if post is not None:
                pages = pages.exclude(pk__in=_descendants_and_self(post))
            self.fields["parent"].queryset = pages
        else:
            del self.fields["parent"], self.fields["menu_order"]
            self.fields["categories"].queryset = Category.objects.for_site(site).order_by(
                "name")
        if post is not None:
            self.fields["version"].required = True
            if post.is_public:
                self.fields["publish_at"].help_text = (
                    "The date readers see. A date in the future takes the post off the "
                    "site until then.")

    @classmethod
    def initial_for(cls, post: Post) -> dict:
        """The editor's fields filled from a saved post."""
        return {
            "title": post.title, "source": post.source, "excerpt": post.excerpt,
            "slug": post.slug, "categories": list(post.categories.all()),
            "tags": ", ".join(t.name for t in post.tags.all()),
            "featured_image": post.featured_image_id, "allow_comments": post.allow_comments,
            "allow_pings": post.allow_pings, "sticky": post.sticky,
            "visibility": visibility_of(post), "password": post.password,
            "publish_at": post.published_at, "parent": post.parent_id,
            "menu_order": post.menu_order, "version": post.version,
        }

    def clean(self) -> dict:
        data = super().clean()
        if data.get("visibility") == Visibility.PASSWORD and not data.get("password"):
            self.add_error("password", "Give the password readers will need.")
        if self.action == "schedule_update":
            when = data.get("update_at")
            if when is None:
                self.add_error("update_at", "Choose when these changes go live.")
            elif when <= timezone.now():
                self.add_error("update_at", "Choose a time in the future.")
        return data

    def status(self) -> str:
        """The status the Publish/Update button asks for."""
        if self.cleaned_data["visibility"] == Visibility.PRIVATE:
            return Status.PRIVATE
        return Status.PUBLISHED

    def post_fields(self) -> dict:
        """What post_write takes from this form, besides status and links."""
        data = self.cleaned_data
        fields = {
            "title": data["title"], "source": data["source"], "excerpt": data["excerpt"],
            "featured_image": data["featured_image"], "allow_comments": data["allow_comments"],
            "allow_pings": data["allow_pings"],
            "password": data["password"] if data["visibility"] == Visibility.PASSWORD else "",
        }
        if self.kind == Kind.PAGE:
            fields.update(parent=data["parent"], menu_order=data["menu_order"] or 0)
        else:
            fields.update(sticky=data["sticky"], categories=data["categories"],
                          new_category=data["new_category"], tags_text=data["tags"])
        return fields


def _descendants_and_self(page: Post) -> list[int]:
    """A page cannot become its own parent or the child of one of its children."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Post.objects.for_site(page.site).pages().values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = [], [page.pk]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.append(pk)
            stack.extend(children.get(pk, []))
    return found


class RelatedLinkForm(forms.Form):
    """One row of the "Find also to read" list: one of the site's posts, or an address."""

    position = forms.IntegerField(required=False, min_value=0, max_value=1000)
    target = PostChoiceField(label="Post from this site", queryset=Post.objects.none(),
                             required=False, empty_label="(choose a post)")
    url = forms.URLField(label="or an outside address", required=False, max_length=2000,
                         assume_scheme="https",
                         validators=[URLValidator(schemes=["http", "https"])])
    title = forms.CharField(label="Link title", max_length=300, required=False,
                            help_text="Required for an outside address; optional for a post.")

    def __init__(self, *args, targets: QuerySet, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets

    def clean(self) -> dict:
        data = super().clean()
        target, url = data.get("target"), data.get("url")
        if target and url:
            raise forms.ValidationError("Choose a post or give an address, not both.")
        if url and not data.get("title"):
            self.add_error("title", "Give the outside link a title.")
        if data.get("title") and not (target or url or self.has_error("url")):
            self.add_error("target", "Choose a post or give an address for this title.")
        return data

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("target") or data.get("url"))


class BaseRelatedLinkFormSet(forms.BaseFormSet):
    def links(self) -> list[LinkSpec]:
        """The rows kept, in the order of their position numbers (ties keep row order)."""
        rows = [
            (form.cleaned_data.get("position"), index, form)
            for index, form in enumerate(self.forms)
            if form.cleaned_data and not self._should_delete_form(form) and not form.is_blank()
        ]
        rows.sort(key=lambda row: (row[0] if row[0] is not None else 10_000, row[1]))
        return [LinkSpec(target=form.cleaned_data["target"], url=form.cleaned_data["url"],
                         title=form.cleaned_data["title"]) for _, _, form in rows]


RelatedLinkFormSet = forms.formset_factory(
    RelatedLinkForm, formset=BaseRelatedLinkFormSet, extra=2, can_delete=True, max_num=30,
    validate_max=True, absolute_max=60)


def related_link_targets(site: Site, post: Post | None, user) -> QuerySet:
    """Posts and pages a list may point to: those this user may read (so the choices never
    show someone else's draft titles to an author), plus what the list already holds,
    never the post itself."""
    visible = Q(pk__in=Post.objects.for_site(site).visible_to(user, site).values("pk"))
    if post is not None:
        visible |= Q(pk__in=post.related_links.filter(target__isnull=False).values("target"))
    targets = Post.objects.for_site(site).not_trashed().filter(visible)
    if post is not None:
        targets = targets.exclude(pk=post.pk)
    return targets.order_by("kind", "-published_at", "-pk")


def related_links_initial(post: Post) -> list[dict]:
    return [{"position": i + 1, "target": link.target_id, "url": link.url, "title": link.title}
            for i, link in enumerate(post.related_links.all())]


class AutosaveForm(forms.Form):
    """What the editor sends every few seconds: the words, and the version it holds."""

    title = forms.CharField(max_length=300, required=False)
    source = forms.CharField(required=False, strip=False)
    excerpt = forms.CharField(required=False)
    version = forms.IntegerField(required=False, min_value=1)


class PreviewForm(forms.Form):
    source = forms.CharField(required=False, strip=False)
    source_format = forms.ChoiceField(choices=SourceFormat.choices, required=False)
