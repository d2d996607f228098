"""Derived data the public side keeps about posts: the search index and the automatic
"related posts". Both are rebuilt from content rows and may be thrown away and rebuilt at
any time (`byline search_reindex`); neither decides who may see a post: readers reach
them only through `Post.objects.for_site(site).published()`."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from byline.content.models import Post
from byline.tenancy.models import Site


class SearchDocument(models.Model):
    """What search reads of one post: plain text, kept fresh on every save and delete.

    On PostgreSQL `vector` holds the weighted tsvector (title A, tags B, body C) under a GIN
    index. On SQLite it stays empty: the FTS5 table `reader_search_fts` mirrors title, tags
    and body through triggers (migration 0001), keyed by the post id."""

    post = models.OneToOneField(Post, primary_key=True, on_delete=models.CASCADE,
                                related_name="search_document")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    title = models.TextField(blank=True)
    tags = models.TextField(blank=True, help_text="Tag and category names, space-separated.")
    body = models.TextField(blank=True, help_text="Plain text of the post; empty while the "
                                                  "post is password protected.")
    config = models.CharField(max_length=20, default="simple",
                              help_text="PostgreSQL text search configuration used.")
    vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["site"], name="search_document_site_idx"),
            GinIndex(fields=["vector"], name="search_document_vector_gin"),
        ]

    def __str__(self) -> str:
        return self.title


class RelatedPost(models.Model):
    """One of a post's automatic related posts, computed when the post is saved."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="auto_related")
    target = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    score = models.FloatField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "target"], name="related_post_once"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.target_id}"
