import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# SQLite: an external-content FTS5 table over reader_searchdocument, keyed by the post id,
# kept in step by triggers, so that every write to a SearchDocument (save, bulk_create,
# cascade delete) reaches the index.
SQLITE_FTS = [
    """CREATE VIRTUAL TABLE reader_search_fts USING fts5(
        site_id UNINDEXED, title, tags, body,
        content='reader_searchdocument', content_rowid='post_id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER reader_search_fts_ai AFTER INSERT ON reader_searchdocument BEGIN
        INSERT INTO reader_search_fts(rowid, site_id, title, tags, body)
        VALUES (new.post_id, new.site_id, new.title, new.tags, new.body);
    END""",
    """CREATE TRIGGER reader_search_fts_ad AFTER DELETE ON reader_searchdocument BEGIN
        INSERT INTO reader_search_fts(reader_search_fts, rowid, site_id, title, tags, body)
        VALUES ('delete', old.post_id, old.site_id, old.title, old.tags, old.body);
    END""",
    """CREATE TRIGGER reader_search_fts_au AFTER UPDATE ON reader_searchdocument BEGIN
        INSERT INTO reader_search_fts(reader_search_fts, rowid, site_id, title, tags, body)
        VALUES ('delete', old.post_id, old.site_id, old.title, old.tags, old.body);
        INSERT INTO reader_search_fts(rowid, site_id, title, tags, body)
        VALUES (new.post_id, new.site_id, new.title, new.tags, new.body);
    END""",
]
SQLITE_FTS_DROP = [
    "DROP TRIGGER IF EXISTS reader_search_fts_au",
    "DROP TRIGGER IF EXISTS reader_search_fts_ad",
    "DROP TRIGGER IF EXISTS reader_search_fts_ai",
    "DROP TABLE IF EXISTS reader_search_fts",
]


def create_sqlite_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FTS:
            schema_editor.execute(statement)


def drop_sqlite_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FTS_DROP:
            schema_editor.execute(statement)


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """AddIndex that leaves other databases alone (the state always has the index)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('content', '0002_editing'),
        ('tenancy', '0004_content_version_and_feed_setting'),
    ]

    operations = [
        migrations.CreateModel(
            name='RelatedPost',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('score', models.FloatField(default=0)),
                ('post', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='auto_related', to='content.post')),
                ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='content.post')),
            ],
            options={
                'ordering': ['position', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('post', 'target'), name='related_post_once')],
            },
        ),
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('post', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='content.post')),
                ('title', models.TextField(blank=True)),
                ('tags', models.TextField(blank=True, help_text='Tag and category names, space-separated.')),
                ('body', models.TextField(blank=True, help_text='Plain text of the post; empty while the post is password protected.')),
                ('config', models.CharField(default='simple', help_text='PostgreSQL text search configuration used.', max_length=20)),
                ('vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('indexed_at', models.DateTimeField(auto_now=True)),
                ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.site')),
            ],
            options={
                'indexes': [models.Index(fields=['site'], name='search_document_site_idx')],
            },
        ),
        # The GIN index is PostgreSQL's; SQLite searches its FTS5 table instead.
        AddIndexOnPostgreSQL(
            model_name='searchdocument',
            index=django.contrib.postgres.indexes.GinIndex(fields=['vector'], name='search_document_vector_gin'),
        ),
        migrations.RunPython(create_sqlite_fts, drop_sqlite_fts, elidable=False),
    ]
