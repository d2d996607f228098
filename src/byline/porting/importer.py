"""Import a WordPress export (WXR) into a site: one entry point, `import_wxr`, for the
command line, the dashboard's task and the tests.

The file is read twice. The first pass reads it whole without writing anything: a
refused or malformed file stops there (WXRError, with the line), and the pass learns
what the second needs (how many records, the attachments for galleries). The second
pass writes everything in one transaction, so an error half-way leaves nothing behind.

Every WordPress object imported is remembered in ImportRef (source site, kind, id), so
importing the same export again updates rows instead of duplicating them; posts are
also matched by GUID. Old permalinks and ?p= ids go to OldLink for the redirects.
"""

from __future__ import annotations

import html
import importlib
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email, validate_ipv46_address
from django.db import transaction
from django.urls import get_script_prefix, set_script_prefix
from django.utils.text import slugify

from byline.content.media import media_upload, stored_names
from byline.content.models import Category, Media, Post, Revision, SourceFormat, Status, Tag
from byline.discussion.models import Comment
from byline.rendering import plain_text, sanitize_comment_html, sanitize_post_html
from byline.tenancy.models import Membership, Site
from byline.tenancy.roles import Role
from byline.tenancy.services import bump_content_version, content_changes_batched

from .middleware import normalize_path
from .models import ImportRef, OldLink
from .wphtml import Attachment, html_depth, rewrite_links, to_html, wpautop
from .wxr import Channel, Record, WXRError, read_wxr

__all__ = ["ImportOptions", "Summary", "WXRError", "import_wxr", "scan_wxr"]

logger = logging.getLogger(__name__)

# A post body bigger or deeper than this is refused (and reported): the sanitiser's
# work grows with nesting, and no real post nests hundreds of elements deep.
MAX_SOURCE = 2 * 1024 * 1024
MAX_NESTING = 400
BATCH = 500
POST_BATCH = 200
MAX_LISTED = 500  # items listed one by one in the summary; the rest are counted

KINDS = ("posts", "pages", "attachments", "comments", "pingbacks", "trackbacks",
         "webmentions", "categories", "tags", "authors")
_INVISIBLE = {"Cf", "Cc", "Zl", "Zp"}
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[a-z0-9]+$)", re.I)
_ZERO_DATE = "0000-00-00 00:00:00"
_STATUS = {"publish": Status.PUBLISHED, "future": Status.SCHEDULED, "private": Status.PRIVATE,
           "draft": Status.DRAFT, "pending": Status.DRAFT}
_COMMENT_STATUS = {"1": Comment.Status.APPROVED, "approve": Comment.Status.APPROVED,
                   "0": Comment.Status.PENDING, "hold": Comment.Status.PENDING,
                   "spam": Comment.Status.SPAM, "trash": Comment.Status.TRASH,
                   "post-trashed": Comment.Status.TRASH}
_COMMENT_KIND = {"": Comment.Kind.COMMENT, "comment": Comment.Kind.COMMENT,
                 "pingback": Comment.Kind.PINGBACK, "trackback": Comment.Kind.TRACKBACK,
                 "webmention": Comment.Kind.WEBMENTION}
_COUNT_KEY = {Comment.Kind.COMMENT: "comments", Comment.Kind.PINGBACK: "pingbacks",
              Comment.Kind.TRACKBACK: "trackbacks", Comment.Kind.WEBMENTION: "webmentions"}


@dataclass
class ImportOptions:
    fetch_media: bool = False
    # Old login or e-mail → username or e-mail of an existing Byline user.
    author_map: dict[str, str] = field(default_factory=dict)
    # Who is credited with what has no author; the site's owner if None.
    user: Any = None


@dataclass
class Summary:
    """What an import did: counts by kind, every item not imported with its reason,
    and notes (things imported with a caveat)."""

    source: str = ""
    wxr_version: str = ""
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {k: {"created": 0, "updated": 0, "skipped": 0} for k in KINDS})
    not_imported: list[dict[str, str]] = field(default_factory=list)
    skipped_reasons: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)

    def count(self, kind: str, what: str, n: int = 1) -> None:
        self.counts[kind][what] += n

    def skip(self, kind: str, wp_id: Any, title: str, reason: str) -> None:
        self.counts[kind]["skipped"] += 1
        self.skipped_reasons[reason] += 1
        if len(self.not_imported) < MAX_LISTED:
            self.not_imported.append({"kind": kind, "wp_id": str(wp_id),
                                      "title": title[:120], "reason": reason})

    def note(self, message: str, n: int = 1) -> None:
        self.notes[message] += n

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "wxr_version": self.wxr_version, "counts": self.counts,
                "not_imported": self.not_imported,
                "not_imported_total": sum(self.skipped_reasons.values()),
                "skipped_reasons": dict(self.skipped_reasons.most_common()),
                "notes": dict(self.notes.most_common())}


@dataclass
class Scan:
    """What the first, read-only pass learned."""

    channel: Channel
    records: int
    attachments: dict[int, Attachment]
    repair_cdata: bool = False  # read as WordPress does: see wxr.CDataRepair


ProgressCallback = Callable[[int, int], None]


@dataclass
class _Pending:
    """A post read from the file, waiting to be written with its batch."""

    post: Post
    is_new: bool
    wp_id: int
    ref_kind: str
    guid: str
    categories: list[int]
    tags: list[int]
    author: Any
    urls: tuple[str, str]
    needs_rewrite: bool
    parent_wp: int
    thumbnail: int
    comments: list[dict[str, Any]]


def _open(file: str | Path | IO[bytes]) -> IO[bytes]:
    if isinstance(file, (str, Path)):
        return open(file, "rb")
    file.seek(0)
    return file


def _int(value: str, default: int = 0) -> int:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.lstrip("-").isdigit() else default


def scan_wxr(file: str | Path | IO[bytes]) -> Scan:
    """Read the whole file without writing anything; raise WXRError if it is refused
    or malformed. A file that is malformed only by a `]]>` inside CDATA is read again the
    way WordPress's importer reads it (`Scan.repair_cdata`); any other fault stands."""
    try:
        return _scan(file, repair_cdata=False)
    except WXRError as strict:
        if "is not well-formed XML" not in str(strict):
            raise
        try:
            return _scan(file, repair_cdata=True)
        except WXRError:
            raise strict from None


def _scan(file: str | Path | IO[bytes], *, repair_cdata: bool) -> Scan:
    channel_out: list[Channel] = []
    attachments: dict[int, Attachment] = {}
    records = 0
    stream = _open(file)
    try:
        for record in read_wxr(stream, channel_out=channel_out, repair_cdata=repair_cdata):
            records += 1
            if record.kind == "item" and record.get("wp:post_type").strip() == "attachment":
                wp_id = _int(record.get("wp:post_id"))
                url = (record.get("wp:attachment_url") or record.get("guid")).strip()
                if wp_id and url:
                    attachments[wp_id] = Attachment(
                        wp_id=wp_id, parent=_int(record.get("wp:post_parent")), url=url,
                        alt=record.meta("_wp_attachment_image_alt").strip(),
                        caption=plain_text(record.get("excerpt:encoded")).strip(),
                        menu_order=_int(record.get("wp:menu_order")))
    finally:
        if isinstance(file, (str, Path)):
            stream.close()
    return Scan(channel=channel_out[0], records=records, attachments=attachments,
                repair_cdata=repair_cdata)


def _clean_text(value: str) -> str:
    """Trimmed, without invisible format and control characters (zero-width joiners,
    bidi overrides) that would make two logins look alike."""
    return "".join(ch for ch in value.strip() if unicodedata.category(ch) not in _INVISIBLE)


def _title(value: str) -> str:
    text = html.unescape(re.sub(r"<[^>]*>", "", value)).strip()
    return text


def _source_key(channel: Channel) -> str:
    url = channel.base_site_url or channel.base_blog_url or channel.link
    parts = urlsplit(url.strip())
    if parts.netloc:
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"[:300]
    # An export that does not say where it came from is known by its title.
    return f"untitled:{channel.title.strip()}"[:300]


def _wp_datetime(gmt: str, local: str, tz) -> datetime | None:
    """A post or comment date: the GMT one when WordPress gave it, else the local one
    read in the site's time zone."""
    for value, zone in ((gmt, UTC), (local, tz)):
        value = (value or "").strip()
        if not value or value.startswith("0000"):
            continue
        try:
            return datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
        except ValueError:
            continue
    return None


def _host_path(post: Post) -> str:
    """A post's address on its site's own host, wherever the import runs."""
    previous = get_script_prefix()
    set_script_prefix("/")
    try:
        return post.get_absolute_url()
    finally:
        set_script_prefix(previous)


def refresh_derived(site: Site) -> None:
    """Search and related posts are rebuilt for the site when those features exist."""
    for module_name, function_name in (("byline.reader.search", "reindex_site"),
                                       ("byline.reader.related", "recompute_site")):
        try:
            function = getattr(importlib.import_module(module_name), function_name)
        except (ImportError, AttributeError):
            continue
        try:
            function(site)
        except Exception:
            logger.exception("%s.%s failed after an import", module_name, function_name)


class _Importer:
    def __init__(self, *, site: Site, scan: Scan, options: ImportOptions,
                 summary: Summary, progress: ProgressCallback | None):
        self.site = site
        self.scan = scan
        self.options = options
        self.summary = summary
        self.progress = progress
        self.source = _source_key(scan.channel)
        self.default_user = options.user or site.owner
        self.tz = site.tzinfo
        self.hosts = {urlsplit(u).netloc.lower() for u in (
            scan.channel.base_site_url, scan.channel.base_blog_url, scan.channel.link)
            if urlsplit(u).netloc}
        # Uploads may live on another host (a CDN): links to them are rewritten too.
        self.media_hosts = {urlsplit(a.url).netloc.lower() for a in scan.attachments.values()
                            if urlsplit(a.url).netloc}
        refs = ImportRef.objects.filter(site=site, source=self.source)
        self.refs: dict[tuple[str, str], int] = {}
        self.guids: dict[str, tuple[str, int]] = {}
        for kind, wp_id, object_id, guid in refs.values_list("kind", "wp_id", "object_id",
                                                              "guid"):
            self.refs[(kind, wp_id)] = object_id
            if guid:
                self.guids[guid] = (kind, object_id)
        self.new_refs: list[ImportRef] = []
        self.revisions: list[Revision] = []
        self.categories = dict(Category.objects.for_site(site).values_list("slug", "pk"))
        self.tags = dict(Tag.objects.for_site(site).values_list("slug", "pk"))
        self.slugs: dict[tuple[str, str], int] = {
            (k, s): pk for k, s, pk in Post.objects.for_site(site).values_list("kind", "slug",
                                                                               "pk")}
        self.authors_by_login: dict[str, Any] = {}
        self.authors_by_id: dict[str, Any] = {}
        self.category_parents: list[tuple[int, str]] = []
        self.page_parents: list[tuple[int, str, int]] = []
        self.featured: list[tuple[int, int]] = []
        self.posts_by_wp: dict[int, int] = {}
        self.kind_of: dict[int, str] = {}
        self.old_links: dict[str, int] = {}
        self.post_paths: dict[int, str] = {}
        self.to_rewrite: list[int] = []
        self.media_by_wp: dict[int, int] = {}
        self.media_urls: dict[str, str] = {}
        self.files_written: list[str] = []
        self.imported_post_ids: list[int] = []
        self.pending: list[_Pending] = []
        self.seen_comments: set[int] = set()
        self.done = 0

    # --- bookkeeping ---------------------------------------------------------------------

    def ref(self, kind: str, wp_id: str) -> int | None:
        return self.refs.get((kind, wp_id))

    def remember(self, kind: str, wp_id: str, object_id: int, guid: str = "") -> None:
        if (kind, wp_id) in self.refs:
            return
        if kind == "comment":
            # Replies find their parents within their post's batch; keeping every new
            # comment's reference in memory would grow with the file for nothing.
            self.seen_comments.add(int(wp_id))
        else:
            self.refs[(kind, wp_id)] = object_id
        self.new_refs.append(ImportRef(site=self.site, source=self.source, kind=kind,
                                       wp_id=wp_id[:255], object_id=object_id,
                                       guid=guid[:1000]))
        if guid:
            self.guids[guid] = (kind, object_id)
        if len(self.new_refs) >= BATCH:
            self.flush()

    def flush(self) -> None:
        ImportRef.objects.bulk_create(self.new_refs, batch_size=BATCH)
        self.new_refs = []
        Revision.objects.bulk_create(self.revisions, batch_size=BATCH)
        self.revisions = []

    # --- the run ---------------------------------------------------------------------------

    def run(self, stream: IO[bytes]) -> None:
        total = self.scan.records
        handlers = {"author": self.author, "category": self.category, "tag": self.tag,
                    "term": self.term, "item": self.item}
        for record in read_wxr(stream, repair_cdata=self.scan.repair_cdata):
            handlers[record.kind](record)
            self.done += 1
            if self.progress is not None and (self.done % 50 == 0 or self.done == total):
                self.progress(self.done, total)
        self.flush_posts()
        self.flush()
        self.finish()
        self.flush()

    # --- authors ---------------------------------------------------------------------------

    def author(self, record: Record) -> None:
        login = _clean_text(record.get("wp:author_login"))
        if not login:
            self.summary.skip("authors", record.get("wp:author_id").strip(), "",
                              "author without a login")
            return
        user = self.user_for(login, email=_clean_text(record.get("wp:author_email")),
                             display_name=_clean_text(record.get("wp:author_display_name")),
                             first_name=_clean_text(record.get("wp:author_first_name")),
                             last_name=_clean_text(record.get("wp:author_last_name")))
        author_id = record.get("wp:author_id").strip()
        if author_id:
            self.authors_by_id[author_id] = user

    def user_for(self, login: str, *, email: str = "", display_name: str = "",
                 first_name: str = "", last_name: str = "", counted: bool = True):
        """The Byline user for a WordPress author: mapped, matched among the site's
        members, or created (no usable password, an author on the site)."""
        key = login.lower()
        if key in self.authors_by_login:
            return self.authors_by_login[key]
        User = get_user_model()
        user, outcome = None, "updated"
        mapped = self.options.author_map.get(login) or (
            self.options.author_map.get(email) if email else None)
        if mapped:
            user = (User.objects.filter(username=mapped).first()
                    or User.objects.filter(email__iexact=mapped).first())
            if user is None:
                raise WXRError(f"--author-map {login}={mapped}: no user “{mapped}”.")
            Membership.objects.get_or_create(site=self.site, user=user,
                                             defaults={"role": Role.AUTHOR})
        if user is None:
            ref = self.ref("author", key)
            if ref is not None:
                user = User.objects.filter(pk=ref).first()
        if user is None:
            members = User.objects.filter(memberships__site=self.site)
            user = members.filter(username__iexact=login).first()
            if user is None and email:
                user = members.filter(email__iexact=email).first()
        if user is None and email and User.objects.filter(email__iexact=email).exists():
            # Someone with this address has an account but is not on this site: the
            # export cannot speak for them, so their posts go to the importer.
            self.summary.note(f"Author “{login}” has a Byline account that is not a member "
                              "of this site; their posts were credited to "
                              f"{self.default_user.get_username()} (use --author-map or "
                              "invite them).")
            user, outcome = self.default_user, "skipped"
        if user is None:
            user = self.create_user(login, email=email, display_name=display_name,
                                    first_name=first_name, last_name=last_name)
            outcome = "created"
        if outcome != "skipped":
            self.remember("author", key, user.pk)
        self.authors_by_login[key] = user
        if counted:
            self.summary.count("authors", outcome)
        return user

    def create_user(self, login: str, *, email: str, display_name: str, first_name: str,
                    last_name: str):
        User = get_user_model()
        base = re.sub(r"[^\w.@+-]", "", login)[:140] or "wp-author"
        username, n = base, 1
        while User.objects.filter(username__iexact=username).exists():
            n += 1
            username = f"{base}-{n}"
        try:
            validate_email(email)
        except ValidationError:
            email = ""
        user = User(username=username, email=email[:254], display_name=display_name[:100],
                    first_name=first_name[:150], last_name=last_name[:150])
        user.set_unusable_password()
        user.save()
        Membership.objects.create(site=self.site, user=user, role=Role.AUTHOR)
        self.summary.note("Authors were created without a password; they can claim their "
                          "account with “Forgot password” or be invited from People.")
        return user

    # --- terms ------------------------------------------------------------------------------

    def category(self, record: Record) -> None:
        self.term_row("categories", Category, self.categories,
                      wp_id=record.get("wp:term_id").strip(),
                      slug=record.get("wp:category_nicename"), name=record.get("wp:cat_name"),
                      parent=record.get("wp:category_parent"),
                      description=record.get("wp:category_description"))

    def tag(self, record: Record) -> None:
        self.term_row("tags", Tag, self.tags, wp_id=record.get("wp:term_id").strip(),
                      slug=record.get("wp:tag_slug"), name=record.get("wp:tag_name"))

    def term(self, record: Record) -> None:
        taxonomy = record.get("wp:term_taxonomy").strip()
        wp_id = record.get("wp:term_id").strip()
        fields = {"wp_id": wp_id, "slug": record.get("wp:term_slug"),
                  "name": record.get("wp:term_name")}
        if taxonomy == "category":
            self.term_row("categories", Category, self.categories,
                          parent=record.get("wp:term_parent"),
                          description=record.get("wp:term_description"), **fields)
        elif taxonomy == "post_tag":
            self.term_row("tags", Tag, self.tags, **fields)
        else:
            reason = ("navigation menu: Byline has no menus yet" if taxonomy == "nav_menu"
                      else f"terms of the “{taxonomy[:40]}” taxonomy have no place in Byline")
            self.summary.skipped_reasons[reason] += 1
            if len(self.summary.not_imported) < MAX_LISTED:
                self.summary.not_imported.append({"kind": "term", "wp_id": wp_id,
                                                  "title": _title(fields["name"])[:120],
                                                  "reason": reason})

    def term_row(self, kind: str, model, known: dict[str, int], *, wp_id: str, slug: str,
                 name: str, parent: str = "", description: str = "") -> int | None:
        name = _title(name)[:200]
        slug = slugify(unquote(slug.strip()), allow_unicode=True)[:200] or slugify(
            name, allow_unicode=True)[:200]
        if not slug:
            self.summary.skip(kind, wp_id, name, "term without a name or slug")
            return None
        name = name or slug
        ref_kind = "category" if kind == "categories" else "tag"
        ref_key = wp_id or f"slug:{slug}"
        pk = self.ref(ref_kind, ref_key)
        if pk is not None and not model.objects.filter(pk=pk, site=self.site).exists():
            pk = None
        pk = pk or known.get(slug)
        values = {"name": name}
        if model is Category:
            values["description"] = html.unescape(description.strip())
        if pk is not None:
            model.objects.filter(pk=pk).update(**values)
            self.summary.count(kind, "updated")
        else:
            pk = model.objects.create(site=self.site, slug=slug, **values).pk
            self.summary.count(kind, "created")
        known[slug] = pk
        self.remember(ref_kind, ref_key, pk)
        if model is Category and parent.strip():
            self.category_parents.append((pk, slugify(unquote(parent.strip()),
                                                      allow_unicode=True)))
        return pk

    def item_terms(self, record: Record) -> tuple[list[int], list[int]]:
        categories, tags = [], []
        for entry in record.categories:
            domain = entry.get("domain", "") or "category"
            name = entry.get("name", "")
            if domain == "category":
                target, known, model, kind = categories, self.categories, Category, "categories"
            elif domain in ("post_tag", "tag"):  # "tag" in WXR 1.0
                target, known, model, kind = tags, self.tags, Tag, "tags"
            else:
                if domain != "post_format":
                    self.summary.note(f"Terms of the “{domain[:40]}” taxonomy on posts were "
                                      "not kept.")
                continue
            slug = slugify(unquote(entry.get("nicename", "").strip()), allow_unicode=True)[
                :200] or slugify(_title(name), allow_unicode=True)[:200]
            if not slug:
                continue
            pk = known.get(slug)
            if pk is None:
                pk = self.term_row(kind, model, known, wp_id="", slug=slug, name=name)
            if pk is not None and pk not in target:
                target.append(pk)
        return categories, tags

    # --- items -------------------------------------------------------------------------------

    def item(self, record: Record) -> None:
        post_type = record.get("wp:post_type").strip() or "post"
        wp_id = _int(record.get("wp:post_id"))
        title = _title(record.get("title"))
        if post_type in ("post", "page"):
            kind = "posts" if post_type == "post" else "pages"
            if not wp_id:
                self.summary.skip(kind, "", title, "no WordPress post id (wp:post_id)")
                return
            self.post(record, wp_id, post_type, kind, title)
        elif post_type == "attachment":
            if not wp_id:
                self.summary.skip("attachments", "", title, "no WordPress post id")
                return
            self.attachment(record, wp_id, title)
        else:
            reason = {
                "nav_menu_item": "navigation menu item: Byline has no menus yet",
                "revision": "an old revision (Byline keeps its own history from now on)",
            }.get(post_type, f"WordPress post type “{post_type[:40]}” has no equivalent "
                             "in Byline")
            self.summary.skipped_reasons[reason] += 1
            if len(self.summary.not_imported) < MAX_LISTED:
                self.summary.not_imported.append({"kind": post_type[:40], "wp_id": str(wp_id),
                                                  "title": title[:120], "reason": reason})

    def post(self, record: Record, wp_id: int, post_type: str, kind: str, title: str) -> None:
        wp_status = record.get("wp:status").strip() or "publish"
        comments = len(record.comments)
        refusal = None
        if wp_status == "trash":
            refusal = "in the WordPress trash"
        elif wp_status in ("auto-draft", "inherit"):
            refusal = f"a WordPress {wp_status} (never saved by its author)"
        elif wp_status not in _STATUS:
            refusal = f"unknown status “{wp_status[:20]}”"
        elif record.oversize:
            refusal = f"{record.oversize} is larger than the importer keeps"
        content = record.get("content:encoded")
        if refusal is None and len(content) > MAX_SOURCE:
            refusal = f"the body is over {MAX_SOURCE // (1024 * 1024)} MB"
        if refusal is None and (depth := html_depth(content)) > MAX_NESTING:
            refusal = f"the body nests elements {depth} deep (over {MAX_NESTING})"
        if refusal is not None:
            self.summary.skip(kind, wp_id, title, refusal)
            if comments:
                self.summary.count("comments", "skipped", comments)
                self.summary.skipped_reasons["on a post that was not imported"] += comments
            return

        status = _STATUS[wp_status]
        if wp_status == "pending":
            self.summary.note("Posts pending review were imported as drafts.")
        published_at = None
        if status != Status.DRAFT:
            published_at = _wp_datetime(record.get("wp:post_date_gmt"),
                                        record.get("wp:post_date"), self.tz)
        source = to_html(content, attachments=self.scan.attachments, post_wp_id=wp_id)
        guid = record.get("guid").strip()
        creator = _clean_text(record.get("dc:creator") or record.get("wp:author"))
        author = self.user_for(creator, counted=True) if creator else self.default_user
        if len(title) > 300:
            self.summary.note("Titles over 300 characters were shortened.")
            title = title[:299] + "…"
        password = record.get("wp:post_password")
        if len(password) > 100:
            self.summary.skip(kind, wp_id, title, "a password over 100 characters")
            return
        excerpt = plain_text(sanitize_post_html(record.get("excerpt:encoded"))).strip()
        values = {
            "title": title or "Untitled", "source": source, "source_format": SourceFormat.HTML,
            "html": sanitize_post_html(source), "excerpt": excerpt, "status": status,
            "published_at": published_at, "author": author,
            "allow_comments": record.get("wp:comment_status").strip() != "closed",
            "allow_pings": record.get("wp:ping_status").strip() != "closed",
            "sticky": record.get("wp:is_sticky").strip() == "1", "password": password,
            "menu_order": _int(record.get("wp:menu_order")),
        }
        if status == Status.PUBLISHED and published_at is None:
            values["published_at"] = datetime.now(UTC)
        elif status == Status.PUBLISHED and published_at > datetime.now(UTC):
            values["status"] = Status.SCHEDULED
        if status == Status.SCHEDULED and published_at is None:
            values["status"] = Status.DRAFT
        ref_kind = post_type
        pk = self.ref(ref_kind, str(wp_id))
        if pk is None and guid in self.guids and self.guids[guid][0] == ref_kind:
            pk = self.guids[guid][1]
        post = Post.objects.filter(pk=pk, site=self.site).first() if pk else None
        slug_base = unquote(record.get("wp:post_name").strip()) or title
        categories, tags = self.item_terms(record)
        if post is None:
            post = Post(site=self.site, kind=post_type, **values)
            post.slug = self.unique_slug(post_type, slug_base, None)
            self.summary.count(kind, "created")
        else:
            for name, value in values.items():
                setattr(post, name, value)
            post.slug = self.unique_slug(post_type, slug_base, post)
            post.version += 1
            post.save()
            self.summary.count(kind, "updated")
            post.categories.set(categories)
            post.tags.set(tags)
        post.site = self.site
        self.pending.append(_Pending(
            post=post, is_new=post.pk is None, wp_id=wp_id, ref_kind=ref_kind, guid=guid,
            categories=categories, tags=tags, author=author,
            urls=(record.get("link").strip(), guid), needs_rewrite=self.needs_rewrite(source),
            parent_wp=_int(record.get("wp:post_parent")),
            thumbnail=_int(record.meta("_thumbnail_id")), comments=record.comments))
        if len(self.pending) >= POST_BATCH:
            self.flush_posts()

    def flush_posts(self) -> None:
        """Write the buffered posts (new ones in one INSERT), then their terms, revisions,
        references and comments."""
        pending, self.pending = self.pending, []
        if not pending:
            return
        new = [p for p in pending if p.is_new]
        Post.objects.bulk_create([p.post for p in new], batch_size=BATCH)
        through_c, through_t = Post.categories.through, Post.tags.through
        through_c.objects.bulk_create([through_c(post_id=p.post.pk, category_id=c)
                                       for p in new for c in p.categories], batch_size=BATCH)
        through_t.objects.bulk_create([through_t(post_id=p.post.pk, tag_id=t)
                                       for p in new for t in p.tags], batch_size=BATCH)
        for item in pending:
            post = item.post
            self.slugs[(post.kind, post.slug)] = post.pk
            self.revisions.append(Revision(
                post=post, kind=Revision.Kind.SAVE, version=post.version, title=post.title,
                source_format=post.source_format, source=post.source, excerpt=post.excerpt,
                editor=item.author))
            self.remember(item.ref_kind, str(item.wp_id), post.pk, item.guid)
            self.imported_post_ids.append(post.pk)
            self.posts_by_wp[item.wp_id] = post.pk
            self.kind_of[post.pk] = post.kind
            self.post_paths[post.pk] = _host_path(post)
            for url in item.urls:
                parts = urlsplit(url)
                if parts.netloc.lower() in self.hosts or not parts.netloc:
                    path = normalize_path(unquote(parts.path))
                    if path and not parts.query:
                        self.old_links.setdefault(path, post.pk)
            if item.needs_rewrite:
                self.to_rewrite.append(post.pk)
            if item.parent_wp:
                self.page_parents.append((post.pk, post.kind, item.parent_wp))
            if item.thumbnail:
                self.featured.append((post.pk, item.thumbnail))
        self.comments([item for item in pending if item.comments])

    def needs_rewrite(self, source: str) -> bool:
        return (any(host in source for host in self.hosts | self.media_hosts)
                or 'href="/' in source)

    def unique_slug(self, kind: str, base: str, post: Post | None) -> str:
        slug = slugify(base, allow_unicode=True)[:200].strip("-") or kind
        candidate, n = slug, 1
        while (owner := self.slugs.get((kind, candidate))) is not None and (
                post is None or owner != post.pk):
            n += 1
            candidate = f"{slug[: 200 - len(str(n)) - 1]}-{n}"
        if post is not None and post.slug != candidate:
            self.slugs.pop((kind, post.slug), None)
        self.slugs[(kind, candidate)] = post.pk if post is not None else -1
        return candidate

    # --- comments ----------------------------------------------------------------------------

    def comments(self, items: list[_Pending]) -> None:
        """Write the comments of a batch of posts. Replies are written after the comments
        they answer, in waves, so every reply is created with its parent set."""
        waiting: list[tuple[Comment, str, int, int]] = []  # comment, count key, id, parent
        wp_to_pk: dict[int, int] = {}
        updated_parents: list[tuple[int, int]] = []
        batch: set[int] = set()
        for item in items:
            post = item.post
            for entry in item.comments:
                built = self.comment(entry, post, batch)
                if built is None:
                    continue
                comment, count_key, wp_id, parent = built
                batch.add(wp_id)
                pk = self.ref("comment", str(wp_id))
                if pk is not None:
                    values = {f.attname: getattr(comment, f.attname)
                              for f in Comment._meta.concrete_fields
                              if f.attname not in ("id", "site_id", "parent_id", "updated_at")}
                    if Comment.objects.filter(pk=pk, site=self.site).update(**values):
                        self.summary.count(count_key, "updated")
                        wp_to_pk[wp_id] = pk
                        if parent:
                            updated_parents.append((pk, parent))
                        continue
                waiting.append((comment, count_key, wp_id, parent))
        while waiting:
            ready, later = [], []
            for entry in waiting:
                parent = entry[3]
                if not parent or parent in wp_to_pk:
                    entry[0].parent_id = wp_to_pk.get(parent)
                    ready.append(entry)
                else:
                    later.append(entry)
            if not ready:
                # Parents missing from the export (or a loop): keep them as top-level.
                self.summary.note("Replies whose parent comment is not in the export were "
                                  "kept as top-level comments.", len(later))
                for entry in later:
                    entry[0].parent_id = self.ref("comment", str(entry[3]))
                ready, later = later, []
            Comment.objects.bulk_create([c for c, *_ in ready], batch_size=BATCH)
            for comment, count_key, wp_id, _parent in ready:
                self.summary.count(count_key, "created")
                self.remember("comment", str(wp_id), comment.pk)
                wp_to_pk[wp_id] = comment.pk
            waiting = later
        for pk, parent in updated_parents:
            parent_pk = wp_to_pk.get(parent) or self.ref("comment", str(parent))
            if parent_pk and parent_pk != pk:
                Comment.objects.filter(pk=pk).update(parent_id=parent_pk)

    def comment(self, entry: dict[str, Any], post: Post, batch: set[int]
                ) -> tuple[Comment, str, int, int] | None:
        wp_id = _int(entry.get("wp:comment_id"))
        wp_type = entry.get("wp:comment_type", "").strip()
        kind = _COMMENT_KIND.get(wp_type)
        count_key = _COUNT_KEY.get(kind, "comments")
        body = entry.get("wp:comment_content", "")
        if kind is None:
            self.summary.skip("comments", wp_id, body[:60],
                              f"comment type “{wp_type[:30]}” is not a conversation")
            return None
        if not wp_id:
            self.summary.skip(count_key, "", body[:60], "no comment id")
            return None
        if wp_id in self.seen_comments or wp_id in batch:
            self.summary.skip(count_key, wp_id, body[:60], "the export repeats this comment id")
            return None
        if len(body) > Comment.MAX_BODY:
            self.summary.skip(count_key, wp_id, body[:60], "longer than 64 KB")
            return None
        status = _COMMENT_STATUS.get(entry.get("wp:comment_approved", "1").strip(),
                                     Comment.Status.PENDING)
        created = (_wp_datetime(entry.get("wp:comment_date_gmt", ""),
                                entry.get("wp:comment_date", ""), self.tz)
                   or post.published_at or datetime.now(UTC))
        user_id = entry.get("wp:comment_user_id", "").strip()
        user = self.authors_by_id.get(user_id) if user_id not in ("", "0") else None
        comment = Comment(
            site=self.site, post=post, kind=kind, status=status,
            author_name=(_clean_text(_title(entry.get("wp:comment_author", "")))
                         or "Anonymous")[:Comment.MAX_NAME],
            author_email=self.valid_email(entry.get("wp:comment_author_email", "")),
            author_url=self.valid_url(entry.get("wp:comment_author_url", "")),
            author_ip=self.valid_ip(entry.get("wp:comment_author_IP", "")),
            user=user, body=body, html=sanitize_comment_html(wpautop(body)),
            created_at=created, import_ref=f"{self.source[:150]}#comment-{wp_id}")
        return comment, count_key, wp_id, _int(entry.get("wp:comment_parent"))

    @staticmethod
    def valid_email(value: str) -> str:
        value = value.strip()
        try:
            validate_email(value)
        except ValidationError:
            return ""
        return value if len(value) <= Comment.MAX_EMAIL else ""

    @staticmethod
    def valid_url(value: str) -> str:
        value = value.strip()
        if not value.lower().startswith(("http://", "https://")):
            return ""
        return value if len(value) <= Comment.MAX_URL else ""

    @staticmethod
    def valid_ip(value: str) -> str | None:
        value = value.strip()
        try:
            validate_ipv46_address(value)
        except ValidationError:
            return None
        return value

    # --- attachments ---------------------------------------------------------------------

    def attachment(self, record: Record, wp_id: int, title: str) -> None:
        url = (record.get("wp:attachment_url") or record.get("guid")).strip()
        if not url.lower().startswith(("http://", "https://")) or len(url) > 2000:
            self.summary.skip("attachments", wp_id, title, "no usable http(s) file address")
            return
        alt = _clean_text(record.meta("_wp_attachment_image_alt"))[:500]
        caption = plain_text(record.get("excerpt:encoded")).strip()
        pk = self.ref("attachment", str(wp_id))
        media = Media.objects.filter(pk=pk, site=self.site).first() if pk else None
        if media is not None:
            media.title, media.alt_text, media.caption = title[:200], alt, caption
            media.save(update_fields=["title", "alt_text", "caption"])
            self.summary.count("attachments", "updated")
        else:
            media = self.fetched_media(url, alt=alt, caption=caption) if (
                self.options.fetch_media) else None
            if media is None:
                name = Path(urlsplit(url).path).name[:255]
                media = Media.objects.create(site=self.site, remote_url=url, title=title[:200],
                                             alt_text=alt, caption=caption, original_name=name,
                                             uploaded_by=self.default_user)
                if not self.options.fetch_media:
                    self.summary.note("Attachments were kept as links to the old site (their "
                                      "files were not fetched: use --fetch-media).")
            else:
                media.title = title[:200]
                media.save(update_fields=["title"])
            self.summary.count("attachments", "created")
        self.remember("attachment", str(wp_id), media.pk, record.get("guid").strip())
        self.media_by_wp[wp_id] = media.pk
        if media.file:
            self.media_urls[_SIZE_SUFFIX.sub("", url)] = media.url

    def fetched_media(self, url: str, *, alt: str, caption: str) -> Media | None:
        from byline.linkbacks.fetch import FetchError, fetch

        try:
            response = fetch(url, timeout=30, max_bytes=settings.BYLINE_MAX_UPLOAD_BYTES)
            if response.status != 200:
                raise FetchError(f"the old site answered {response.status}")
            name = Path(urlsplit(response.url).path).name or "file"
            media = media_upload(site=self.site, uploaded_by=self.default_user,
                                 file=ContentFile(response.body, name=name), alt_text=alt,
                                 caption=caption)
        except (FetchError, ValidationError) as error:
            message = "; ".join(error.messages) if isinstance(error, ValidationError) \
                else str(error)
            self.summary.note(f"Kept as a link to the old site, not fetched: {url[:200]} "
                              f"({message[:200]})")
            return None
        self.files_written.extend(stored_names(media))
        return media

    # --- after the last item ------------------------------------------------------------

    def finish(self) -> None:
        for pk, parent_slug in self.category_parents:
            parent = self.categories.get(parent_slug)
            if parent and parent != pk:
                Category.objects.filter(pk=pk).update(parent_id=parent)
        for pk, kind, parent_wp in self.page_parents:
            parent = self.posts_by_wp.get(parent_wp)
            if parent is None:
                parent = self.ref(kind, str(parent_wp))
            if parent and parent != pk and self.kind_of.get(parent, kind) == kind:
                Post.objects.filter(pk=pk).update(parent_id=parent)
        for pk, thumbnail in self.featured:
            media = self.media_by_wp.get(thumbnail) or self.ref("attachment", str(thumbnail))
            if media:
                Post.objects.filter(pk=pk).update(featured_image_id=media)
            else:
                self.summary.note("Featured images missing from the export were left out.")
        self.rewrite_links()
        self.write_old_links()
        bump_content_version(self.site)

    def new_address(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.netloc and parts.netloc.lower() not in self.hosts:
            return self.media_urls.get(_SIZE_SUFFIX.sub("", url.split("?")[0]))
        if parts.scheme and parts.scheme.lower() not in ("http", "https"):
            return None
        query = parse_qs(parts.query)
        for name in ("p", "page_id"):
            value = query.get(name, [""])[0]
            if value.isdigit() and int(value) in self.posts_by_wp:
                return self.with_fragment(self.post_paths[self.posts_by_wp[int(value)]], parts)
        path = normalize_path(unquote(parts.path))
        if path in self.old_links:
            return self.with_fragment(self.post_paths[self.old_links[path]], parts)
        if parts.netloc:
            media = self.media_urls.get(_SIZE_SUFFIX.sub("", url.split("?")[0]))
            if media:
                return media
        return None

    @staticmethod
    def with_fragment(path: str, parts) -> str:
        return f"{path}#{parts.fragment}" if parts.fragment else path

    def rewrite_links(self) -> None:
        for start in range(0, len(self.to_rewrite), BATCH):
            chunk = self.to_rewrite[start:start + BATCH]
            for pk, source in Post.objects.filter(pk__in=chunk).values_list("pk", "source"):
                rewritten = rewrite_links(source, self.new_address)
                if rewritten != source:
                    Post.objects.filter(pk=pk).update(source=rewritten,
                                                      html=sanitize_post_html(rewritten))

    def write_old_links(self) -> None:
        ids = self.imported_post_ids
        for start in range(0, len(ids), BATCH):
            OldLink.objects.filter(site=self.site, post_id__in=ids[start:start + BATCH]).delete()
        rows = [OldLink(site=self.site, wp_id=wp_id, post_id=pk)
                for wp_id, pk in self.posts_by_wp.items()]
        rows += [OldLink(site=self.site, path=path, post_id=pk)
                 for path, pk in self.old_links.items()
                 if len(path) <= 500 and path != normalize_path(self.post_paths[pk])]
        OldLink.objects.bulk_create(rows, batch_size=BATCH)


def import_wxr(*, site: Site, file: str | Path | IO[bytes],
               options: ImportOptions | None = None,
               progress: ProgressCallback | None = None,
               on_scanned: Callable[[Scan], None] | None = None) -> Summary:
    """Import a WXR file into `site` and say what happened.

    Raises WXRError, having written nothing, for a refused or malformed file (or an
    --author-map naming nobody). `progress(done, total)` is called as records are
    imported; `on_scanned(scan)` once the file has been checked.
    """
    options = options or ImportOptions()
    scan = scan_wxr(file)
    if on_scanned is not None:
        on_scanned(scan)
    summary = Summary(source=_source_key(scan.channel), wxr_version=scan.channel.wxr_version)
    importer = _Importer(site=site, scan=scan, options=options, summary=summary,
                         progress=progress)
    stream = _open(file)
    try:
        with transaction.atomic(), content_changes_batched():
            importer.run(stream)
    except BaseException:
        # Files fetched for attachments belong to rows that were rolled back.
        for name in importer.files_written:
            try:
                Media._meta.get_field("file").storage.delete(name)
            except Exception:
                logger.warning("Could not delete imported file %s", name, exc_info=True)
        raise
    finally:
        if isinstance(file, (str, Path)):
            stream.close()
    from .tasks import refresh_derived

    transaction.on_commit(lambda: refresh_derived.enqueue(site_id=site.pk))
    return summary
