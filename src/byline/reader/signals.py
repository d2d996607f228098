"""Derived data kept fresh by signals (STYLE 6): the search index and the automatic
related posts follow every save of a post, its tags and categories, whichever entry point
made it (dashboard, APIs, importer, admin).

The work waits for the commit, so a rolled-back save leaves no trace, and it reads the rows
again, so it indexes what was committed. One save touches a post several times (the row,
then its categories, then its tags): the posts touched in one transaction are gathered and
handled once, after it commits, with at most one task for their related posts.

Deleting a post needs no handler: its SearchDocument and RelatedPost rows (its own and
those pointing at it) go with it by cascade, and on SQLite the FTS5 triggers follow."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete

from byline.content.models import Category, Post, Status, Tag
from byline.tenancy.models import Site

from . import search
from .models import SearchDocument
from .tasks import compute_related_posts


class _AfterCommit:
    """The posts one transaction touched, handled once when it commits."""

    def __init__(self) -> None:
        self.index: set[int] = set()
        self.related: set[int] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        if self.index:
            search.index_posts(self.index)
        if self.related:
            compute_related_posts.enqueue(post_ids=sorted(self.related))


def _touched(post_ids, *, related: bool = False) -> None:
    """Note posts whose derived data must follow once the current transaction commits.

    The posts one transaction touches gather in a single on_commit callback. Django drops
    a callback whose savepoint rolls back; the next change then registers a new one, and
    a post gathered twice is only indexed twice (the work is idempotent)."""
    connection = transaction.get_connection()
    pending = None
    if connection.in_atomic_block:
        pending = next((callback for _savepoints, callback, _robust in connection.run_on_commit
                        if isinstance(callback, _AfterCommit) and not callback.done), None)
    registered = pending is not None
    if pending is None:
        pending = _AfterCommit()
    pending.index.update(post_ids)
    if related:
        pending.related.update(post_ids)
    if not registered:
        # Outside a transaction on_commit runs it at once, so it is filled first. robust:
        # a failure is logged, and never turns a saved post into an error page.
        transaction.on_commit(pending, robust=True)


def _post_changed(post: Post) -> None:
    # Autosaved drafts are saved every few seconds; their related posts wait for publishing.
    _touched([post.pk], related=post.kind == "post" and post.status != Status.DRAFT)


def post_saved(sender, instance: Post, raw: bool = False, **kwargs) -> None:
    if not raw:
        _post_changed(instance)


def terms_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Tags or categories of a post were added, removed or cleared (from either side)."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            _post_changed(instance)
    elif action in ("post_add", "post_remove") and pk_set:
        _touched(pk_set)
    elif action == "pre_clear":
        # tag.posts.clear(): after it, nothing says which posts had the tag.
        _term_posts_changed(instance)


def term_saved(sender, instance, raw: bool = False, created: bool = False, **kwargs) -> None:
    """A renamed tag or category: the posts carrying it are found by their new name."""
    if not raw and not created:
        _term_posts_changed(instance)


def term_deleted(sender, instance, **kwargs) -> None:
    """A deleted tag or category leaves its posts without signals of their own."""
    _term_posts_changed(instance)


def _term_posts_changed(term: Tag | Category) -> None:
    _touched(term.posts.values_list("pk", flat=True))


def site_saved(sender, instance: Site, raw: bool = False, created: bool = False,
               **kwargs) -> None:
    """A site that changed language is searched with another configuration: reindex."""
    if raw or created:
        return
    config = search.search_config(instance)
    if SearchDocument.objects.filter(site=instance).exclude(config=config).exists():
        site_id = instance.pk
        transaction.on_commit(lambda: _reindex_site_id(site_id), robust=True)


def _reindex_site_id(site_id: int) -> None:
    site = Site.objects.filter(pk=site_id).first()
    if site is not None:
        search.reindex_site(site)


def connect() -> None:
    post_save.connect(post_saved, sender=Post, dispatch_uid="reader-search-post-save")
    for through in (Post.tags.through, Post.categories.through):
        m2m_changed.connect(terms_changed, sender=through,
                            dispatch_uid=f"reader-search-{through.__name__}")
    for model in (Tag, Category):
        post_save.connect(term_saved, sender=model,
                          dispatch_uid=f"reader-search-{model.__name__}-save")
        pre_delete.connect(term_deleted, sender=model,
                           dispatch_uid=f"reader-search-{model.__name__}-delete")
    post_save.connect(site_saved, sender=Site, dispatch_uid="reader-search-site-save")
