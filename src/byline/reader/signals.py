"""Derived data kept fresh by signals (STYLE 6): the search index and the automatic
related posts follow every save of a post, its tags and categories, whichever entry point
made it. The work runs after the commit, so a rolled-back save leaves no trace, and it
reads the rows again, so it always indexes what was committed.

Deleting a post needs no handler: its SearchDocument and RelatedPost rows (its own and
those pointing at it) go with it by cascade, and on SQLite the FTS5 triggers follow."""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete

from byline.content.models import Category, Post, Status, Tag
from byline.tenancy.models import Site

from . import search
from .models import SearchDocument
from .tasks import compute_related_posts


def _after_commit(func, *args) -> None:
    # robust: a failure here is logged, and never turns a saved post into an error page.
    transaction.on_commit(partial(func, *args), robust=True)


def _enqueue_related(post_id: int) -> None:
    compute_related_posts.enqueue(post_id=post_id)


def _post_changed(post: Post) -> None:
    _after_commit(search.index_post, post.pk)
    # Autosaved drafts are saved every few seconds; their related posts wait for publishing.
    if post.kind == "post" and post.status != Status.DRAFT:
        _after_commit(_enqueue_related, post.pk)


def post_saved(sender, instance: Post, raw: bool = False, **kwargs) -> None:
    if not raw:
        _post_changed(instance)


def terms_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Tags or categories of a post were added, removed or cleared (from either side)."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            _post_changed(instance)
    elif action in ("post_add", "post_remove") and pk_set:
        _after_commit(search.index_posts, sorted(pk_set))
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
    ids = list(term.posts.values_list("pk", flat=True))
    if ids:
        _after_commit(search.index_posts, ids)


def site_saved(sender, instance: Site, raw: bool = False, created: bool = False,
               **kwargs) -> None:
    """A site that changed language is searched with another configuration: reindex."""
    if raw or created:
        return
    config = search.search_config(instance)
    if SearchDocument.objects.filter(site=instance).exclude(config=config).exists():
        _after_commit(_reindex_site_id, instance.pk)


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
