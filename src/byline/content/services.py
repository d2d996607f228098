"""Writes with side effects. Every entry point (dashboard, APIs, importer, CLI, demo
seed) calls these, so rendering, slugs and revisions happen the same way everywhere."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from byline.rendering import render
from byline.tenancy.models import Site

from .models import Category, Kind, Post, RelatedLink, Revision, SourceFormat, Status, Tag

SLUG_MAX = 200


def unique_slug(*, model, base: str, fallback: str, exclude_pk: int | None = None,
                **scope) -> str:
    """A Unicode-safe slug from `base`, made unique within `scope` by a -2, -3… suffix."""
    slug = slugify(base, allow_unicode=True)[:SLUG_MAX].strip("-") or fallback
    taken = model.objects.filter(**scope).exclude(pk=exclude_pk)
    candidate, n = slug, 1
    while taken.filter(slug=candidate).exists():
        n += 1
        suffix = f"-{n}"
        candidate = slug[: SLUG_MAX - len(suffix)] + suffix
    return candidate


def category_get_or_create(*, site: Site, name: str, parent: Category | None = None,
                           description: str = "", slug: str = "") -> Category:
    slug = slugify(slug or name, allow_unicode=True) or "category"
    category, _ = Category.objects.get_or_create(
        site=site, slug=slug,
        defaults={"name": name, "parent": parent, "description": description},
    )
    return category


def tag_get_or_create(*, site: Site, name: str) -> Tag:
    slug = slugify(name, allow_unicode=True) or "tag"
    tag, _ = Tag.objects.get_or_create(site=site, slug=slug, defaults={"name": name})
    return tag


def _apply_status(post: Post, status: str, published_at: datetime | None) -> None:
    """Scheduled means published later; a publish date in the future makes a post
    scheduled, and publishing without a date means now."""
    post.status = status
    if status in (Status.PUBLISHED, Status.SCHEDULED, Status.PRIVATE):
        post.published_at = published_at or post.published_at or timezone.now()
        if status == Status.PUBLISHED and post.published_at > timezone.now():
            post.status = Status.SCHEDULED
    else:
        post.published_at = published_at


def _render(post: Post) -> None:
    post.html = render(post.source, post.source_format)


def _snapshot(post: Post, editor, kind: str = Revision.Kind.SAVE) -> Revision:
    return Revision.objects.create(post=post, kind=kind, version=post.version, title=post.title,
                                   source_format=post.source_format, source=post.source,
                                   excerpt=post.excerpt, editor=editor)


@transaction.atomic
def post_create(
    *,
    site: Site,
    author,
    title: str,
    source: str = "",
    source_format: str = SourceFormat.MARKDOWN,
    kind: str = Kind.POST,
    status: str = Status.DRAFT,
    published_at: datetime | None = None,
    slug: str = "",
    excerpt: str = "",
    categories: Iterable[Category] = (),
    tags: Iterable[Tag] = (),
    featured_image=None,
    allow_comments: bool = True,
    allow_pings: bool = True,
    sticky: bool = False,
    password: str = "",
    parent: Post | None = None,
    menu_order: int = 0,
) -> Post:
    """Create a post or page, render its body, and keep its first revision."""
    post = Post(
        site=site, author=author, kind=kind, title=title, source=source,
        source_format=source_format, excerpt=excerpt, featured_image=featured_image,
        allow_comments=allow_comments, allow_pings=allow_pings, sticky=sticky,
        password=password, parent=parent, menu_order=menu_order,
    )
    post.slug = unique_slug(model=Post, base=slug or title, fallback=kind, site=site, kind=kind)
    _apply_status(post, status, published_at)
    _render(post)
    post.full_clean()
    post.save()
    post.categories.set(categories)
    post.tags.set(tags)
    _snapshot(post, author)
    return post


class StaleVersion(Exception):
    """The post was saved by someone else since this edit began."""

    def __init__(self, current: Post):
        super().__init__(f"Post {current.pk} is at version {current.version}")
        self.current = current


EDITABLE = {"title", "source", "source_format", "excerpt", "featured_image", "allow_comments",
            "allow_pings", "sticky", "password", "parent", "menu_order", "kind"}


@transaction.atomic
def post_update(
    *,
    post: Post,
    editor,
    expected_version: int | None = None,
    status: str | None = None,
    published_at: datetime | None = None,
    slug: str | None = None,
    categories: Iterable[Category] | None = None,
    tags: Iterable[Tag] | None = None,
    **fields,
) -> Post:
    """Change a post, re-render it and keep a revision. With `expected_version`, a save
    based on an older version raises StaleVersion and changes nothing."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"post_update() got unexpected fields: {sorted(unknown)}")
    current = Post.objects.select_for_update().get(pk=post.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current)
    for name, value in fields.items():
        setattr(post, name, value)
    if slug is not None:
        post.slug = unique_slug(model=Post, base=slug or post.title, fallback=post.kind,
                                exclude_pk=post.pk, site=post.site, kind=post.kind)
    if status is not None or published_at is not None:
        _apply_status(post, status or post.status, published_at)
    post.version = current.version + 1
    _render(post)
    post.full_clean()
    post.save()
    if categories is not None:
        post.categories.set(categories)
    if tags is not None:
        post.tags.set(tags)
    _snapshot(post, editor)
    return post


@dataclass(frozen=True)
class LinkSpec:
    """One "Find also to read" entry: a post of the same site, or an outside URL."""

    target: Post | None = None
    url: str = ""
    title: str = ""


@transaction.atomic
def related_links_set(*, post: Post, links: Sequence[LinkSpec]) -> list[RelatedLink]:
    """Replace a post's curated list, keeping the given order."""
    post.related_links.all().delete()
    created = []
    for position, spec in enumerate(links):
        if spec.target is not None and spec.target.site_id != post.site_id:
            raise ValueError("A related post must belong to the same site.")
        if spec.target is not None and spec.target.pk == post.pk:
            raise ValueError("A post cannot recommend itself.")
        link = RelatedLink(post=post, position=position, target=spec.target, url=spec.url,
                           title=spec.title)
        link.full_clean()
        link.save()
        created.append(link)
    return created
