"""Writes with side effects. Every entry point (dashboard, APIs, importer, CLI, demo
seed) calls these, so rendering, slugs and revisions happen the same way everywhere.

Role rules: `can_edit_post` and `can_publish_post` say who may change what. The
services that only people use (trash, autosave, restore, scheduled updates) always
check them; `post_create` and `post_update` check them when asked with
`check_role=True`, because the importer and the demo seed act for the site itself.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.text import slugify

from byline.rendering import render
from byline.tenancy.models import Site
from byline.tenancy.services import bump_content_version

from .models import (
    Category,
    Kind,
    Post,
    RelatedLink,
    Revision,
    ScheduledUpdate,
    SourceFormat,
    Status,
    Tag,
)

SLUG_MAX = 200
UNTITLED = "Untitled"
# Statuses in which readers see, or are about to see, the post: editing them is publishing.
LIVE_STATUSES = (Status.PUBLISHED, Status.SCHEDULED, Status.PRIVATE)


def unique_slug(*, model, base: str, fallback: str, exclude_pk: int | None = None,
                **scope) -> str:
    """A Unicode-safe slug from `base`, made unique within `scope` by a -2, -3… suffix."""
    slug = _slug_base(base, fallback)
    taken = model.objects.filter(**scope).exclude(pk=exclude_pk)
    candidate, n = slug, 1
    while taken.filter(slug=candidate).exists():
        n += 1
        suffix = f"-{n}"
        candidate = slug[: SLUG_MAX - len(suffix)] + suffix
    return candidate


def _slug_base(base: str, fallback: str) -> str:
    return slugify(base, allow_unicode=True)[:SLUG_MAX].strip("-") or fallback


def slug_follows_title(post: Post) -> bool:
    """Whether a draft's slug is still the one made from its title, so that it may follow
    the title as the author changes it. Once published, or edited by hand, a slug stays."""
    if post.status != Status.DRAFT or post.published_at is not None:
        return False
    made = _slug_base(post.title, post.kind)
    number = post.slug.rpartition("-")[2]
    # unique_slug's "-2", "-3"… for a title someone else already had.
    return post.slug == made or (
        number.isdigit() and post.slug == f"{made[: SLUG_MAX - len(number) - 1]}-{number}")


# --- Who may do what ---------------------------------------------------------------------


def can_edit_post(user, post: Post) -> bool:
    """Editors and up edit everyone's posts; authors their own; contributors only their
    own drafts (once published, a contributor's post is the editors' to change)."""
    site = post.site
    if site.user_can(user, "edit_others"):
        return True
    if user is None or post.author_id != user.pk or not site.user_can(user, "write"):
        return False
    return site.user_can(user, "publish_own") or post.status == Status.DRAFT


def can_publish_post(user, post: Post | None = None, *, site: Site | None = None) -> bool:
    """Whether `user` may make `post` (or, without one, a new post on `site`) public,
    private or scheduled, or change it while it is."""
    site = post.site if post is not None else site
    if site is None:
        raise TypeError("can_publish_post() needs a post or a site")
    if site.user_can(user, "edit_others"):
        return True
    if post is not None and (user is None or post.author_id != user.pk):
        return False
    return site.user_can(user, "publish_own")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_edit(user, post: Post) -> None:
    _require(can_edit_post(user, post), "Your role on this site does not let you edit this.")


def _require_publish(user, post: Post | None = None, *, site: Site | None = None) -> None:
    _require(can_publish_post(user, post, site=site),
             "Your role on this site does not let you publish this.")


# --- Categories and tags -----------------------------------------------------------------


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


def tags_from_text(*, site: Site, text: str) -> list[Tag]:
    """Tags from what an author typed, comma-separated ("garden, slow food"), in order,
    each once; new ones are created."""
    seen: dict[str, Tag] = {}
    for name in (part.strip() for part in text.split(",")):
        if name:
            tag = tag_get_or_create(site=site, name=name[:200])
            seen.setdefault(tag.slug, tag)
    return list(seen.values())


# --- "Find also to read" -------------------------------------------------------------------


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


# --- Posts ---------------------------------------------------------------------------------


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
    if kind == Revision.Kind.AUTOSAVE:
        return _keep_autosave(post, editor, title=post.title, source=post.source,
                              source_format=post.source_format, excerpt=post.excerpt,
                              version=post.version)
    return Revision.objects.create(post=post, kind=kind, version=post.version, title=post.title,
                                   source_format=post.source_format, source=post.source,
                                   excerpt=post.excerpt, editor=editor)


def _keep_autosave(post: Post, editor, *, title: str, source: str, source_format: str,
                   excerpt: str, version: int) -> Revision:
    """Keep autosaved text. A run of autosaves by one person is one revision, updated in
    place, so the history shows what was written, not every few seconds of it."""
    latest = post.revisions.order_by("-created_at", "-pk").first()
    fields = {"title": title, "source": source, "source_format": source_format,
              "excerpt": excerpt, "version": version, "created_at": timezone.now()}
    if (latest is not None and latest.kind == Revision.Kind.AUTOSAVE
            and editor is not None and latest.editor_id == editor.pk):
        for name, value in fields.items():
            setattr(latest, name, value)
        latest.save(update_fields=list(fields))
        return latest
    return Revision.objects.create(post=post, kind=Revision.Kind.AUTOSAVE, editor=editor,
                                   **fields)


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
    check_role: bool = False,
    revision_kind: str = Revision.Kind.SAVE,
) -> Post:
    """Create a post or page, render its body, and keep its first revision.

    With `check_role`, the author must be allowed to write on the site, and to publish
    if the post is not a draft (PermissionDenied otherwise)."""
    if check_role:
        _require(site.user_can(author, "write"), "Your role on this site does not let you "
                                                 "write posts.")
        if status != Status.DRAFT:
            _require_publish(author, site=site)
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
    _snapshot(post, author, revision_kind)
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
    check_role: bool = False,
    revision_kind: str = Revision.Kind.SAVE,
    **fields,
) -> Post:
    """Change a post, re-render it and keep a revision. With `expected_version`, a save
    based on an older version raises StaleVersion and changes nothing.

    With `check_role`, the editor must be allowed to edit the post as it stands, and to
    publish if it is live or about to be (PermissionDenied otherwise)."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"post_update() got unexpected fields: {sorted(unknown)}")
    current = Post.objects.select_for_update().get(pk=post.pk)
    if check_role:
        _require_edit(editor, current)
        if current.status in LIVE_STATUSES or (status or current.status) != Status.DRAFT:
            _require_publish(editor, current)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current)
    # Bookkeeping that other requests change without a new version: never write back
    # what this (possibly older) copy of the row remembers.
    post.trashed_at, post.next_update_at = current.trashed_at, current.next_update_at
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
    _snapshot(post, editor, revision_kind)
    return post


def _require_same_site(site: Site, *rows) -> None:
    # Forms offer only the site's own rows; this keeps every other entry point honest too.
    for row in rows:
        if row is not None and row.site_id != site.pk:
            raise PermissionDenied("That belongs to another site.")


@transaction.atomic
def post_write(
    *,
    site: Site,
    user,
    post: Post | None,
    expected_version: int | None = None,
    kind: str = Kind.POST,
    status: str = Status.DRAFT,
    published_at: datetime | None = None,
    slug: str = "",
    categories: Iterable[Category] = (),
    new_category: str = "",
    tags_text: str = "",
    links: Sequence[LinkSpec] | None = None,
    **fields,
) -> Post:
    """Everything the editor's Save, Publish and Update buttons do, in one transaction:
    create the post or update it (StaleVersion if `expected_version` is old), with the
    user's role checked, the new category and tags made, and the curated links set.

    A draft's slug follows its title until the author edits it or publishes."""
    categories = list(categories)
    _require_same_site(site, *categories, fields.get("featured_image"), fields.get("parent"))
    if new_category.strip():
        categories.append(category_get_or_create(site=site, name=new_category.strip()[:200]))
    tags = tags_from_text(site=site, text=tags_text)
    fields["title"] = fields.get("title", "").strip() or UNTITLED
    if post is None:
        post = post_create(site=site, author=user, kind=kind, status=status,
                           published_at=published_at, slug=slug, categories=categories,
                           tags=tags, check_role=True, **fields)
    else:
        if post.site_id != site.pk:
            raise PermissionDenied("That post belongs to another site.")
        if slug == post.slug and slug_follows_title(post):
            slug = ""
        post = post_update(post=post, editor=user, expected_version=expected_version,
                           status=status, published_at=published_at, slug=slug,
                           categories=categories, tags=tags, check_role=True, **fields)
    if links is not None:
        related_links_set(post=post, links=links)
    return post


# --- Autosave and conflicts -----------------------------------------------------------------


@dataclass(frozen=True)
class Autosaved:
    """What an autosave did: the version the editor carries from now on, where the text
    is kept, and whether someone else had saved in between (then nothing was changed)."""

    version: int
    revision: Revision
    conflict: bool = False


def revision_keep_conflict(*, post: Post, editor, based_on: int, title: str, source: str,
                           source_format: str, excerpt: str = "") -> Revision:
    """Keep text that lost a race with someone else's save, so that nothing typed is lost.
    Sending the same text twice keeps it once."""
    latest = (post.revisions.filter(kind=Revision.Kind.CONFLICT, editor=editor)
              .order_by("-created_at", "-pk").first())
    if latest is not None and (latest.title, latest.source, latest.source_format,
                               latest.excerpt) == (title, source, source_format, excerpt):
        return latest
    return Revision.objects.create(
        post=post, kind=Revision.Kind.CONFLICT, version=based_on, editor=editor,
        title=title or UNTITLED, source=source, source_format=source_format, excerpt=excerpt)


@transaction.atomic
def post_autosave(*, post: Post, editor, expected_version: int, title: str, source: str,
                  excerpt: str = "", source_format: str | None = None) -> Autosaved:
    """Keep what is being typed in the editor.

    A draft is saved in place (readers cannot see it), with a new version. A live post is
    left alone, so readers never see half-typed text: the text is kept as the editor's
    autosave revision, which the editor offers to restore. If someone saved the post since
    `expected_version`, nothing is changed and the text is kept as a conflict revision.
    """
    current = Post.objects.select_for_update().get(pk=post.pk)
    _require_edit(editor, current)
    title = title.strip() or UNTITLED
    source_format = source_format or current.source_format
    if current.version != expected_version:
        revision = revision_keep_conflict(post=current, editor=editor, based_on=expected_version,
                                          title=title, source=source,
                                          source_format=source_format, excerpt=excerpt)
        return Autosaved(version=expected_version, revision=revision, conflict=True)
    if current.status in LIVE_STATUSES:
        revision = _keep_autosave(current, editor, title=title, source=source,
                                  source_format=source_format, excerpt=excerpt,
                                  version=current.version)
        return Autosaved(version=current.version, revision=revision)
    follows = slug_follows_title(current)
    saved = post_update(post=current, editor=editor, expected_version=expected_version,
                        title=title, source=source, source_format=source_format,
                        excerpt=excerpt, slug="" if follows else None,
                        revision_kind=Revision.Kind.AUTOSAVE)
    return Autosaved(version=saved.version, revision=saved.revisions.order_by(
        "-created_at", "-pk").first())


def pending_autosave(*, post: Post, editor) -> Revision | None:
    """This editor's autosave of a live post made after its last save, if its text differs
    from the post: what the editor offers to bring back."""
    revision = (post.revisions.filter(kind=Revision.Kind.AUTOSAVE, editor=editor,
                                      created_at__gt=post.updated_at)
                .order_by("-created_at", "-pk").first())
    if revision is None or (revision.title, revision.source, revision.excerpt) == (
            post.title, post.source, post.excerpt):
        return None
    return revision


@transaction.atomic
def revision_restore(*, revision: Revision, editor) -> Post:
    """Bring back an earlier revision's words as a new version of the post."""
    post = revision.post
    return post_update(post=post, editor=editor, title=revision.title, source=revision.source,
                       source_format=revision.source_format, excerpt=revision.excerpt,
                       check_role=True, revision_kind=Revision.Kind.RESTORE)


# --- Trash ------------------------------------------------------------------------------------


@transaction.atomic
def post_trash(*, post: Post, user) -> Post:
    """Move a post to the trash: readers no longer see it; it keeps its status for a
    restore."""
    current = Post.objects.select_for_update().get(pk=post.pk)
    _require_edit(user, current)
    if current.status in LIVE_STATUSES:
        _require_publish(user, current)
    if current.trashed_at is None:
        current.trashed_at = timezone.now()
        Post.objects.filter(pk=current.pk).update(trashed_at=current.trashed_at)
        bump_content_version(current.site_id)
    post.trashed_at = current.trashed_at
    return post


@transaction.atomic
def post_restore(*, post: Post, user) -> Post:
    """Take a post out of the trash, with the status it had."""
    current = Post.objects.select_for_update().get(pk=post.pk)
    _require_edit(user, current)
    Post.objects.filter(pk=current.pk).update(trashed_at=None)
    bump_content_version(current.site_id)
    post.trashed_at = None
    return post


@transaction.atomic
def post_delete(*, post: Post, user) -> None:
    """Delete a post for good, with its revisions and links. Only from the trash, so that
    one click can never destroy a live post."""
    current = Post.objects.select_for_update().get(pk=post.pk)
    _require_edit(user, current)
    if current.trashed_at is None:
        raise ValidationError("Move the post to the trash before deleting it.")
    current.delete()


BULK_ACTIONS = ("publish", "draft", "trash", "restore", "delete")


@transaction.atomic
def posts_bulk_apply(*, site: Site, user, action: str, posts: Iterable[Post]) -> int:
    """Apply one list action to several posts, all or none: if the user may not act on
    one of them, PermissionDenied, and nothing has changed."""
    if action not in BULK_ACTIONS:
        raise ValueError(f"Unknown action: {action!r}")
    count = 0
    for post in posts:
        if post.site_id != site.pk:
            raise PermissionDenied("That post belongs to another site.")
        _require_edit(user, post)
        if action == "publish":
            _require_publish(user, post)
            # A scheduled post keeps its date: publishing it means "let it go out".
            if post.status not in (Status.PUBLISHED, Status.SCHEDULED):
                post_update(post=post, editor=user, status=Status.PUBLISHED, check_role=True)
        elif action == "draft":
            if post.status != Status.DRAFT:
                post_update(post=post, editor=user, status=Status.DRAFT, check_role=True)
        elif action == "trash":
            post_trash(post=post, user=user)
        elif action == "restore":
            post_restore(post=post, user=user)
        else:
            post_delete(post=post, user=user)
        count += 1
    return count


# --- Scheduled updates of live posts ------------------------------------------------------


def _refresh_next_update(post: Post) -> None:
    """Keep `next_update_at` at the earliest pending update: what the reader checks."""
    earliest = post.scheduled_updates.filter(applied_at__isnull=True).aggregate(
        at=Min("apply_at"))["at"]
    Post.objects.filter(pk=post.pk).update(next_update_at=earliest)
    post.next_update_at = earliest


@transaction.atomic
def scheduled_update_create(*, post: Post, user, title: str, source: str, apply_at: datetime,
                            excerpt: str = "", source_format: str | None = None,
                            expected_version: int | None = None) -> ScheduledUpdate:
    """Prepare new words for a live post that replace the live ones at `apply_at`; until
    then readers see the post as it is."""
    current = Post.objects.select_for_update().get(pk=post.pk)
    _require_edit(user, current)
    _require_publish(user, current)
    if current.status not in LIVE_STATUSES:
        raise ValidationError("Only a published post can have changes scheduled; "
                              "save a draft's changes instead.")
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current)
    if apply_at <= timezone.now():
        raise ValidationError({"apply_at": "Choose a time in the future."})
    update = ScheduledUpdate(post=current, title=title.strip() or UNTITLED, source=source,
                             source_format=source_format or current.source_format,
                             excerpt=excerpt, apply_at=apply_at, created_by=user)
    update.full_clean()
    update.save()
    _refresh_next_update(current)
    post.next_update_at = current.next_update_at
    _enqueue_apply(apply_at)
    return update


def _enqueue_apply(apply_at: datetime) -> None:
    # Readers apply due updates themselves (publishing is a query); a worker applying
    # them on time as well keeps feeds, search and the post's revisions current even if
    # nobody opens the post. Backends that cannot defer rely on the reader alone.
    from .tasks import apply_due_updates

    if apply_due_updates.get_backend().supports_defer:
        transaction.on_commit(apply_due_updates.using(run_after=apply_at).enqueue)


@transaction.atomic
def scheduled_update_cancel(*, update: ScheduledUpdate, user) -> None:
    """Drop a pending scheduled update; the live post stays as it is."""
    post = Post.objects.select_for_update().get(pk=update.post_id)
    _require_edit(user, post)
    _require_publish(user, post)
    ScheduledUpdate.objects.filter(pk=update.pk, applied_at__isnull=True).delete()
    _refresh_next_update(post)


@transaction.atomic
def scheduled_updates_apply_due(*, post: Post) -> int:
    """Apply a post's due scheduled updates, oldest first, each exactly once (the post row
    is locked, and an applied update is marked), and return how many were applied.

    Safe to call from any number of readers and workers at once: whoever comes second
    finds nothing due."""
    current = Post.objects.select_for_update().get(pk=post.pk)
    now = timezone.now()
    due = list(current.scheduled_updates.filter(applied_at__isnull=True, apply_at__lte=now)
               .select_related("created_by").order_by("apply_at", "pk"))
    for update in due:
        post_update(post=current, editor=update.created_by, title=update.title,
                    source=update.source, source_format=update.source_format,
                    excerpt=update.excerpt)
        ScheduledUpdate.objects.filter(pk=update.pk).update(applied_at=now)
    _refresh_next_update(current)
    return len(due)
