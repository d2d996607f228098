"""What an import leaves behind: which WordPress row became which Byline row (so that
importing again updates instead of duplicating), the old addresses that must keep
working, and the dashboard's import jobs."""

from django.conf import settings
from django.db import models

from byline.content.models import Post
from byline.tenancy.models import Site


class ImportRef(models.Model):
    """One WordPress object (by source site, kind and WordPress id) and the Byline row it
    became. Importing the same export again finds the row here and updates it."""

    class Kind(models.TextChoices):
        POST = "post", "Post"
        PAGE = "page", "Page"
        ATTACHMENT = "attachment", "Attachment"
        COMMENT = "comment", "Comment"
        CATEGORY = "category", "Category"
        TAG = "tag", "Tag"
        AUTHOR = "author", "Author"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=300, help_text="The export's base site URL.")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    wp_id = models.CharField(max_length=255, help_text="WordPress id (or slug/login).")
    object_id = models.BigIntegerField()
    guid = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "source", "kind", "wp_id"],
                                    name="one_import_ref_per_object"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.wp_id} → {self.object_id}"


class OldLink(models.Model):
    """An address the post had on the old site: its permalink path, and its WordPress id
    for ?p=ID and ?page_id=ID. Requests for them are answered with a 301."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500, blank=True,
                            help_text="Lowercased, without a trailing slash; empty for "
                                      "posts that had only ?p= addresses.")
    wp_id = models.BigIntegerField(null=True, blank=True)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["site", "path"], name="oldlink_path_idx"),
            models.Index(fields=["site", "wp_id"], name="oldlink_wp_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.path or self.wp_id} → {self.post_id}"


class ImportJob(models.Model):
    """An import started from the dashboard: the uploaded file, run by a task."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="import_jobs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="+")
    file = models.CharField(max_length=255, help_text="Name in the private import storage.")
    original_name = models.CharField(max_length=255, blank=True)
    fetch_media = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import {self.pk} into {self.site} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
