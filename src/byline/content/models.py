from django.conf import settings
from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone

from byline.tenancy.models import Site
from byline.tenancy.urls import site_reverse


class SiteQuerySet(models.QuerySet):
    def for_site(self, site: Site):
        return self.filter(site=site)


class Kind(models.TextChoices):
    POST = "post", "Post"
    PAGE = "page", "Page"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    PRIVATE = "private", "Private"


class SourceFormat(models.TextChoices):
    MARKDOWN = "markdown", "Markdown"
    HTML = "html", "HTML"


class PostQuerySet(SiteQuerySet):
    def published(self) -> "PostQuerySet":
        """What the public may read. Publishing is a query: a scheduled post appears
        the moment its time comes, with no job that could miss it."""
        return self.filter(
            status__in=(Status.PUBLISHED, Status.SCHEDULED), published_at__lte=timezone.now(),
            trashed_at__isnull=True,
        )

    def not_trashed(self) -> "PostQuerySet":
        return self.filter(trashed_at__isnull=True)

    def trashed(self) -> "PostQuerySet":
        return self.filter(trashed_at__isnull=False)

    def posts(self) -> "PostQuerySet":
        return self.filter(kind=Kind.POST)

    def pages(self) -> "PostQuerySet":
        return self.filter(kind=Kind.PAGE)

    def visible_to(self, user, site: Site) -> "PostQuerySet":
        """Published posts, plus what this user may preview: their own work, and
        everyone's if they edit others' posts on this site."""
        public = Q(status__in=(Status.PUBLISHED, Status.SCHEDULED),
                   published_at__lte=timezone.now())
        live = self.filter(trashed_at__isnull=True)
        if user is None or not user.is_authenticated:
            return live.filter(public)
        if site.user_can(user, "edit_others"):
            return live
        if site.role_of(user):
            return live.filter(public | Q(author=user))
        return live.filter(public)

    def newest_first(self) -> "PostQuerySet":
        return self.order_by("-published_at", "-pk")

    def for_listing(self) -> "PostQuerySet":
        """Everything a list of posts shows, fetched in a fixed number of queries."""
        return self.select_related("site", "author", "featured_image").prefetch_related(
            "categories", "tags"
        )


class Category(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, allow_unicode=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="children")
    description = models.TextField(blank=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "slug"], name="category_slug_per_site"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return site_reverse("reader:category", self.slug)

    def descendant_ids(self) -> list[int]:
        """This category and all below it (one query: a site has few categories)."""
        children: dict[int | None, list[int]] = {}
        for pk, parent in Category.objects.filter(site_id=self.site_id).values_list(
                "pk", "parent_id"):
            children.setdefault(parent, []).append(pk)
        found, stack = [], [self.pk]
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.append(pk)
                stack.extend(children.get(pk, []))
        return found


class Tag(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, allow_unicode=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "slug"], name="tag_slug_per_site"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return site_reverse("reader:tag", self.slug)


def media_path(instance: "Media", filename: str) -> str:
    # Paths are ours, never the uploader's: a date folder and a random name.
    import secrets

    from django.utils import timezone as tz

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    ext = ext if ext.isalnum() and len(ext) <= 5 else "bin"
    now = tz.now()
    return f"sites/{instance.site_id}/{now:%Y/%m}/{secrets.token_hex(8)}.{ext}"


class Media(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="media")
    file = models.FileField(upload_to=media_path, max_length=255, blank=True)
    remote_url = models.URLField(
        max_length=2000, blank=True,
        help_text="Where the file still lives when an import kept it remote (no file here).")
    title = models.CharField(max_length=200, blank=True)
    alt_text = models.CharField(max_length=500, blank=True)
    caption = models.TextField(blank=True)
    original_name = models.CharField(max_length=255, blank=True,
                                     help_text="The uploaded file's name, for display only.")
    size = models.PositiveIntegerField(default=0, help_text="Bytes.")
    renditions = models.JSONField(
        default=list, blank=True,
        help_text='Resized copies: [{"width": 640, "height": 427, "name": "sites/…"}].')
    mime_type = models.CharField(max_length=100, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "media"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or self.file.name

    @property
    def url(self) -> str:
        return self.file.url if self.file else self.remote_url


class Post(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="posts")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.POST)
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, allow_unicode=True)
    source_format = models.CharField(max_length=10, choices=SourceFormat.choices,
                                     default=SourceFormat.MARKDOWN)
    source = models.TextField(blank=True)
    html = models.TextField(blank=True, editable=False,
                            help_text="Sanitised HTML rendered from the source on save.")
    excerpt = models.TextField(blank=True, help_text="Leave empty to use the opening words.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="posts")
    categories = models.ManyToManyField(Category, blank=True, related_name="posts")
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    featured_image = models.ForeignKey(Media, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    allow_comments = models.BooleanField(default=True)
    allow_pings = models.BooleanField(default=True)
    sticky = models.BooleanField(default=False)
    password = models.CharField(max_length=100, blank=True,
                                help_text="Readers must enter it to see the post.")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="children")
    menu_order = models.IntegerField(default=0)
    trashed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                      help_text="In the trash since; restored posts keep "
                                                "their status.")
    next_update_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When the earliest pending scheduled update of this live post falls due.")
    version = models.PositiveIntegerField(default=1, editable=False,
                                          help_text="Bumped on every save; stale saves fail.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "slug"], name="post_slug_per_site"),
        ]
        indexes = [
            models.Index(fields=["site", "kind", "status", "-published_at"],
                         name="post_listing_idx"),
            models.Index(fields=["site", "author", "-published_at"], name="post_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.kind == Kind.PAGE:
            return site_reverse("reader:page", self.slug)
        return site_reverse("reader:post", *self.local_date_parts(), self.slug)

    def load_terms(self) -> "Post":
        """Fetch the post's categories and tags once (two queries) for everything on a page
        that reads them; returns the post, so templates can say
        `{% with post=post.load_terms %}`."""
        loaded = getattr(self, "_prefetched_objects_cache", {})
        if "categories" not in loaded or "tags" not in loaded:
            prefetch_related_objects([self], "categories", "tags")
        return self

    @property
    def is_public(self) -> bool:
        return (self.trashed_at is None and self.status in (Status.PUBLISHED, Status.SCHEDULED)
                and self.published_at is not None and self.published_at <= timezone.now())

    @property
    def display_status(self) -> str:
        """What an author would call the state: a due scheduled post is published."""
        if self.status == Status.SCHEDULED and self.is_public:
            return Status.PUBLISHED.label
        return self.get_status_display()

    def local_date_parts(self) -> tuple[int, int, int]:
        """The date in a post's address: the site's local date, as its readers see it."""
        when = timezone.localtime(self.published_at or self.created_at or timezone.now(),
                                  self.site.tzinfo)
        return when.year, when.month, when.day


class Revision(models.Model):
    """A snapshot taken on every save, to compare and restore."""

    class Kind(models.TextChoices):
        SAVE = "save", "Saved"
        AUTOSAVE = "autosave", "Autosaved"
        CONFLICT = "conflict", "Conflicting edit (not applied)"
        RESTORE = "restore", "Restored"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SAVE)
    version = models.PositiveIntegerField(
        default=0, help_text="The post's version this revision was made from.")
    title = models.CharField(max_length=300)
    source_format = models.CharField(max_length=10, choices=SourceFormat.choices)
    source = models.TextField(blank=True)
    excerpt = models.TextField(blank=True)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} @ {self.created_at:%Y-%m-%d %H:%M}"


class RelatedLink(models.Model):
    """An entry in a post's own "Find also to read" list: one of the site's posts or
    an outside address, in the order the author chose."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="related_links")
    position = models.PositiveSmallIntegerField(default=0)
    target = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    url = models.URLField(blank=True, max_length=2000)
    title = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target__isnull=False, url="") | Q(target__isnull=True) & ~Q(url="")),
                name="related_link_is_post_or_url",
            ),
        ]

    def __str__(self) -> str:
        return self.title or (self.target.title if self.target else self.url)

    @property
    def label(self) -> str:
        return self.title or (self.target.title if self.target_id else self.url)


class ScheduledUpdate(models.Model):
    """Changes prepared for a live post that replace it at `apply_at`; until then
    readers see the live version."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="scheduled_updates")
    title = models.CharField(max_length=300)
    source_format = models.CharField(max_length=10, choices=SourceFormat.choices)
    source = models.TextField(blank=True)
    excerpt = models.TextField(blank=True)
    apply_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["apply_at", "pk"]
        indexes = [models.Index(fields=["post", "applied_at", "apply_at"],
                                name="scheduled_update_due_idx")]

    def __str__(self) -> str:
        return f"{self.title} at {self.apply_at:%Y-%m-%d %H:%M}"
