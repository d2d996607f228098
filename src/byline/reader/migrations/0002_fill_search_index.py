"""Index the posts that existed before search did, so that an upgraded site finds them
without anyone running `byline search_reindex` (new posts are indexed as they are saved)."""

from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import F

from byline.rendering import plain_text

MAX_INDEXED_CHARS = 200_000
PG_CONFIGS = {
    "da": "danish", "de": "german", "en": "english", "es": "spanish", "fi": "finnish",
    "fr": "french", "hu": "hungarian", "it": "italian", "nl": "dutch", "no": "norwegian",
    "nb": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sv": "swedish", "tr": "turkish",
}


def fill(apps, schema_editor):
    Post = apps.get_model("content", "Post")
    SearchDocument = apps.get_model("reader", "SearchDocument")
    posts = (Post.objects.using(schema_editor.connection.alias).select_related("site")
             .prefetch_related("tags", "categories").order_by("pk"))
    batch = []
    for post in posts.iterator(chunk_size=500):
        names = [t.name for t in post.tags.all()] + [c.name for c in post.categories.all()]
        language = (post.site.language or "").lower().split("-")[0]
        batch.append(SearchDocument(
            post_id=post.pk, site_id=post.site_id, title=post.title, tags=" ".join(names),
            body="" if post.password else plain_text(post.html)[:MAX_INDEXED_CHARS],
            config=PG_CONFIGS.get(language, "simple")))
        if len(batch) >= 500:
            SearchDocument.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    SearchDocument.objects.bulk_create(batch, ignore_conflicts=True)
    if schema_editor.connection.vendor == "postgresql":
        SearchDocument.objects.update(vector=(
            SearchVector("title", weight="A", config=F("config"))
            + SearchVector("tags", weight="B", config=F("config"))
            + SearchVector("body", weight="C", config=F("config"))))


class Migration(migrations.Migration):

    dependencies = [
        ("reader", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
