"""Moving out: a site as a WordPress eXtended RSS (WXR 1.2) file, and as a plain archive
of Markdown files with the media beside them.

The WXR follows what WordPress's own exporter writes (wp-admin/includes/export.php) and
what the WordPress importer's three parsers read (SimpleXML, XML and the line-based
regex fallback): the same element names in the same order, every free-text value in
CDATA with `]]>` split the way WordPress splits it, a `wp:author` on one line, and
`<category domain="…" nicename="…">` with its attributes in that order.

Both writers are streams: posts are read in batches by primary key and each item is
yielded (or written) as soon as it is built, so memory stays flat however large the
site. Trashed posts are left out; drafts, scheduled and private posts are kept with
their status.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Prefetch, Q
from django.urls import NoReverseMatch, get_script_prefix, set_script_prefix
from django.utils import timezone
from django.utils.text import slugify

from byline.accounts.models import User
from byline.content.media import file_url
from byline.content.models import Category, Kind, Media, Post, SourceFormat, Status, Tag
from byline.discussion.models import Comment
from byline.tenancy.models import Site
from byline.tenancy.urls import site_reverse

WXR_VERSION = "1.2"

# WordPress keeps posts and attachments in one table, and categories and tags in
# another, so their ids never collide; ours do (Post and Media, Category and Tag are
# separate tables). Attachments and tags are numbered from these offsets, which keeps
# every id stable from one export to the next (an importer's import_ref relies on it).
ATTACHMENT_ID_OFFSET = 1_000_000_000
TAG_ID_OFFSET = 1_000_000_000

BATCH_SIZE = 100

WP_STATUS = {
    Status.PUBLISHED: "publish",
    Status.SCHEDULED: "future",
    Status.DRAFT: "draft",
    Status.PRIVATE: "private",
}

WP_COMMENT_APPROVED = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.TRASH: "trash",
}

# WordPress calls an ordinary comment "" (before 5.5) or "comment"; every importer
# reads "" as a comment.
WP_COMMENT_TYPE = {
    Comment.Kind.COMMENT: "",
    Comment.Kind.PINGBACK: "pingback",
    Comment.Kind.TRACKBACK: "trackback",
    Comment.Kind.WEBMENTION: "webmention",
}

WP_ZERO_DATE = "0000-00-00 00:00:00"

# Characters XML 1.0 does not allow anywhere, not even in CDATA: one stray control
# character pasted into a post would make the whole file unreadable.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Attributes whose value is a URL, in the sanitiser's serialisation (always double
# quotes). A path on the site ("/media/…", "/2024/05/01/post/") is made absolute so
# that the file means the same thing on another host.
_URL_ATTR = re.compile(r'(?P<name>\b(?:src|href|poster))="(?P<url>/(?!/)[^"]*)"')
_SRCSET_ATTR = re.compile(r'\bsrcset="(?P<value>[^"]*)"')


# --- Small pieces --------------------------------------------------------------------------


def _clean(value: object) -> str:
    return _XML_ILLEGAL.sub("", "" if value is None else str(value))


def cdata(value: object) -> str:
    """A value in CDATA, as WordPress's wxr_cdata() writes it: `]]>` inside is split
    across two sections, so no text can close the section early."""
    return "<![CDATA[" + _clean(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def esc(value: object) -> str:
    """Text or an attribute value, XML-escaped."""
    return (_clean(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def as_html(text: str) -> str:
    """Plain text as WordPress keeps titles, term names, excerpts and commenters' names:
    HTML, in which `&` and `<` are entities. WordPress shows "a &amp; b" as "a & b", and
    importers (ours included) strip tags and decode entities when they read them back."""
    return html.escape(text or "", quote=False)


def _el(name: str, value: object, *, raw: bool = False) -> str:
    text = str(value) if raw else cdata(value)
    return f"<{name}>{text}</{name.split(' ', 1)[0]}>"


def wp_date(value: datetime | None, tz=None) -> str:
    """"Y-m-d H:i:s" in the given zone (UTC when none), as WordPress stores dates."""
    if value is None:
        return WP_ZERO_DATE
    return timezone.localtime(value, tz or UTC).strftime("%Y-%m-%d %H:%M:%S")


def rfc822(value: datetime | None) -> str:
    value = value or timezone.now()
    return value.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


@contextmanager
def _host_form() -> Iterator[None]:
    """Build a site's paths in their host form ("/2024/…", not "/@slug/2024/…"),
    whatever request (if any) the export runs in."""
    prefix = get_script_prefix()
    set_script_prefix("/")
    try:
        yield
    finally:
        set_script_prefix(prefix)


def site_base_url(site: Site, *, scheme: str | None = None, port: str | int = "") -> str:
    """The site's own address without a trailing slash: its primary custom domain, else
    SLUG.BASE_DOMAIN. `scheme` defaults to https when BYLINE_HTTPS is on; a port other
    than the scheme's default is kept (a development server on :8000)."""
    scheme = scheme or ("https" if getattr(settings, "BYLINE_HTTPS", False) else "http")
    domain = site.domains.filter(is_primary=True).first() or site.domains.first()
    host = domain.host if domain else f"{site.slug}.{settings.BYLINE_BASE_DOMAIN}"
    port = str(port or "")
    if port and port != ("443" if scheme == "https" else "80"):
        host = f"{host}:{port}"
    return f"{scheme}://{host}"


def absolute_urls(html: str, base_url: str) -> str:
    """Make the site's own paths in `src`, `href`, `poster` and `srcset` absolute."""
    base = base_url.rstrip("/") + "/"

    def one(match: re.Match) -> str:
        return f'{match["name"]}="{urljoin(base, match["url"])}"'

    def srcset(match: re.Match) -> str:
        parts = []
        for candidate in match["value"].split(","):
            url, _, descriptor = candidate.strip().partition(" ")
            if url.startswith("/") and not url.startswith("//"):
                url = urljoin(base, url)
            parts.append(f"{url} {descriptor}".strip())
        return f'srcset="{", ".join(parts)}"'

    return _SRCSET_ATTR.sub(srcset, _URL_ATTR.sub(one, html))


def _absolute(url: str, base_url: str) -> str:
    return url if re.match(r"^[a-z][a-z0-9+.-]*://", url) else urljoin(base_url + "/", url)


def post_permalink(post: Post, base_url: str) -> str:
    """The post's public address; its GUID if the slug cannot make one (a row written
    around the services): one odd row must not stop the whole export."""
    with _host_form():
        try:
            return base_url + post.get_absolute_url()
        except NoReverseMatch:
            return post_guid(post.pk, base_url)


def post_guid(pk: int, base_url: str) -> str:
    # WordPress's GUID shape (isPermaLink="false"): stable across slug and date
    # changes, so an importer can recognise the post on a second import. It is an
    # identifier, not a route, hence built rather than reversed.
    return f"{base_url}/?p={pk}"


def _ordered_categories(site: Site) -> list[Category]:
    """The site's categories with every parent before its children, as WordPress's
    importer needs (it looks the parent up by slug when it meets the child)."""
    pending = list(Category.objects.for_site(site).order_by("pk"))
    by_pk = {c.pk: c for c in pending}
    done: dict[int, Category] = {}
    while pending:
        progress = False
        rest = []
        for category in pending:
            parent = category.parent_id
            if parent is None or parent not in by_pk or parent in done:
                done[category.pk] = category
                progress = True
            else:
                rest.append(category)
        if not progress:  # a cycle: export the remainder rather than loop forever
            done.update((c.pk, c) for c in rest)
            break
        pending = rest
    return list(done.values())


def _exported_posts(site: Site):
    return Post.objects.for_site(site).not_trashed()


def _batches(queryset, size: int | None = None) -> Iterator[list]:
    """Rows in primary-key order, a batch at a time (keyset paging: no OFFSET, no
    server-side cursor, and rows added meanwhile cannot shift the pages)."""
    size = size or BATCH_SIZE
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


# --- WXR -----------------------------------------------------------------------------------


@dataclass
class ExportCounts:
    posts: int = 0
    pages: int = 0
    attachments: int = 0
    comments: int = 0
    categories: int = 0
    tags: int = 0
    authors: int = 0

    def summary(self) -> str:
        return ", ".join(_count(value, name) for name, value in self.__dict__.items())


def _count(n: int, plural: str) -> str:
    singular = plural[:-3] + "y" if plural.endswith("ies") else plural[:-1]
    return f"{n} {singular if n == 1 else plural}"


@dataclass
class WxrExport:
    """A site as WXR 1.2. Iterate it for the file's text in chunks; `counts` is
    complete once the iteration ends.

        export = WxrExport(site=site, base_url="https://demo.example.com")
        for chunk in export: out.write(chunk)
    """

    site: Site
    base_url: str
    counts: ExportCounts = field(default_factory=ExportCounts)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self.tz = self.site.tzinfo

    def __iter__(self) -> Iterator[str]:
        self.counts = ExportCounts()
        yield from self._head()
        yield from self._authors()
        yield from self._terms()
        yield from self._attachments()
        yield from self._posts()
        yield "</channel>\n</rss>\n"

    def bytes(self) -> Iterator[bytes]:
        """The same chunks, UTF-8 encoded."""
        for chunk in self:
            yield chunk.encode("utf-8")

    # The channel -------------------------------------------------------------------------

    def _head(self) -> Iterator[str]:
        site = self.site
        with _host_form():
            home = self.base_url + site_reverse("reader:home")
        yield (
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            "<!-- This is a WordPress eXtended RSS file generated by Byline as an export "
            "of your site. -->\n"
            "<!-- It contains your site's posts, pages, comments, categories, tags, authors "
            "and media. -->\n"
            "<!-- To import it into WordPress: Tools → Import → WordPress, then upload "
            "this file. -->\n"
            f'<!-- generator="Byline" created="{timezone.now():%Y-%m-%d %H:%M}" -->\n'
            '<rss version="2.0"\n'
            f'\txmlns:excerpt="http://wordpress.org/export/{WXR_VERSION}/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            f'\txmlns:wp="http://wordpress.org/export/{WXR_VERSION}/"\n'
            ">\n\n<channel>\n"
            f"\t<title>{esc(site.title)}</title>\n"
            f"\t<link>{esc(home)}</link>\n"
            f"\t<description>{esc(site.tagline)}</description>\n"
            f"\t<pubDate>{rfc822(timezone.now())}</pubDate>\n"
            f"\t<language>{esc(site.language)}</language>\n"
            f"\t<wp:wxr_version>{WXR_VERSION}</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{esc(self.base_url)}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{esc(self.base_url)}</wp:base_blog_url>\n\n"
        )

    def _authors(self) -> Iterator[str]:
        """Everyone who wrote an exported post or uploaded a file, and the owner (who
        stands in for uploads whose uploader has gone)."""
        site = self.site
        users = User.objects.filter(
            Q(pk=site.owner_id)
            | Q(pk__in=_exported_posts(site).values("author_id"))
            | Q(pk__in=Media.objects.for_site(site).values("uploaded_by_id"))
        ).order_by("pk")
        for user in users.iterator():
            self.counts.authors += 1
            # One line per author: WordPress's line-based parser reads it that way.
            yield (
                "\t<wp:author>"
                + _el("wp:author_id", user.pk, raw=True)
                + _el("wp:author_login", user.username)
                + _el("wp:author_email", user.email)
                + _el("wp:author_display_name", user.get_display_name())
                + _el("wp:author_first_name", user.first_name)
                + _el("wp:author_last_name", user.last_name)
                + "</wp:author>\n"
            )
        yield "\n"

    def _terms(self) -> Iterator[str]:
        categories = _ordered_categories(self.site)
        slugs = {c.pk: c.slug for c in categories}
        for category in categories:
            self.counts.categories += 1
            parent = slugs.get(category.parent_id, "")
            parts = [
                _el("wp:term_id", category.pk, raw=True),
                _el("wp:category_nicename", category.slug),
                _el("wp:category_parent", parent),
                _el("wp:cat_name", as_html(category.name)),
            ]
            if category.description:
                parts.append(_el("wp:category_description", as_html(category.description)))
            yield "\t<wp:category>" + "".join(parts) + "</wp:category>\n"
        for tag in Tag.objects.for_site(self.site).order_by("pk").iterator():
            self.counts.tags += 1
            yield ("\t<wp:tag>" + _el("wp:term_id", TAG_ID_OFFSET + tag.pk, raw=True)
                   + _el("wp:tag_slug", tag.slug) + _el("wp:tag_name", as_html(tag.name))
                   + "</wp:tag>\n")
        yield "\n"

    # Items -------------------------------------------------------------------------------

    def _item(self, fields: list[tuple[str, object, bool]], extra: list[str]) -> str:
        lines = ["\t<item>"]
        for name, value, raw in fields:
            lines.append(f"\t\t{_el(name, value, raw=raw)}")
        lines.extend(extra)
        lines.append("\t</item>\n")
        return "\n".join(lines)

    def _common(self, *, title: str, link: str, date: datetime | None, pub: datetime | None,
                modified: datetime | None, creator: str, guid: str, content: str,
                excerpt: str, post_id: int) -> list[tuple[str, object, bool]]:
        return [
            ("title", esc(as_html(title)), True),
            ("link", esc(link), True),
            ("pubDate", rfc822(pub or date), True),
            ("dc:creator", creator, False),
            ("guid isPermaLink=\"false\"", esc(guid), True),
            ("description", "", True),
            ("content:encoded", content, False),
            ("excerpt:encoded", as_html(excerpt), False),
            ("wp:post_id", post_id, True),
            ("wp:post_date", wp_date(date, self.tz), False),
            ("wp:post_date_gmt", wp_date(date) if pub else WP_ZERO_DATE, False),
            ("wp:post_modified", wp_date(modified, self.tz), False),
            ("wp:post_modified_gmt", wp_date(modified), False),
        ]

    def _attachments(self) -> Iterator[str]:
        site = self.site
        owner_login = User.objects.only("username").get(pk=site.owner_id).username
        # An attachment's parent is the (first) post it illustrates, as in WordPress.
        featured_in: dict[int, int] = {}
        for media_id, post_id in (_exported_posts(site).filter(featured_image__isnull=False)
                                  .order_by("-pk").values_list("featured_image_id", "pk")):
            featured_in[media_id] = post_id
        queryset = Media.objects.for_site(site).select_related("uploaded_by")
        for batch in _batches(queryset):
            for media in batch:
                self.counts.attachments += 1
                url = _absolute(media.url, self.base_url)
                # Untitled uploads are named after their file, as WordPress does.
                title = media.title or (media.original_name or media.url.rsplit("/", 1)[-1]
                                        ).rsplit(".", 1)[0]
                name = slugify(title, allow_unicode=True) or "attachment"
                fields = self._common(
                    title=title, link=url, date=media.created_at, pub=media.created_at,
                    modified=media.created_at,
                    creator=media.uploaded_by.username if media.uploaded_by else owner_login,
                    guid=url, content="", excerpt=media.caption,
                    post_id=ATTACHMENT_ID_OFFSET + media.pk,
                )
                fields += [
                    ("wp:comment_status", "closed", False),
                    ("wp:ping_status", "closed", False),
                    ("wp:post_name", f"{name}-{media.pk}", False),
                    ("wp:status", "inherit", False),
                    ("wp:post_parent", featured_in.get(media.pk, 0), True),
                    ("wp:menu_order", 0, True),
                    ("wp:post_type", "attachment", False),
                    ("wp:post_password", "", False),
                    ("wp:is_sticky", 0, True),
                    ("wp:attachment_url", url, False),
                ]
                extra = []
                if media.alt_text:
                    extra.append(self._meta("_wp_attachment_image_alt", media.alt_text))
                yield self._item(fields, extra)

    @staticmethod
    def _meta(key: str, value: object) -> str:
        return (f"\t\t<wp:postmeta>\n\t\t\t{_el('wp:meta_key', key)}\n"
                f"\t\t\t{_el('wp:meta_value', value)}\n\t\t</wp:postmeta>")

    def _posts(self) -> Iterator[str]:
        site = self.site
        comments = Comment.objects.filter(site=site).order_by("pk")
        queryset = (
            _exported_posts(site).select_related("author")
            .prefetch_related("categories", "tags",
                              Prefetch("comments", queryset=comments, to_attr="wxr_comments"))
        )
        for batch in _batches(queryset):
            for post in batch:
                post.site = site  # for permalinks, without a query per post
                yield self._post_item(post)

    def _post_item(self, post: Post) -> str:
        if post.kind == Kind.PAGE:
            self.counts.pages += 1
        else:
            self.counts.posts += 1
        status = WP_STATUS.get(post.status, "draft")
        if post.status == Status.SCHEDULED and post.is_public:
            status = "publish"  # its time has come: readers see it
        dated = post.published_at
        fields = self._common(
            title=post.title, link=post_permalink(post, self.base_url),
            date=dated or post.created_at, pub=dated, modified=post.updated_at,
            creator=post.author.username, guid=post_guid(post.pk, self.base_url),
            content=absolute_urls(post.html, self.base_url), excerpt=post.excerpt,
            post_id=post.pk,
        )
        fields += [
            ("wp:comment_status", "open" if post.allow_comments else "closed", False),
            ("wp:ping_status", "open" if post.allow_pings else "closed", False),
            ("wp:post_name", post.slug, False),
            ("wp:status", status, False),
            ("wp:post_parent", post.parent_id or 0, True),
            ("wp:menu_order", post.menu_order, True),
            ("wp:post_type", "page" if post.kind == Kind.PAGE else "post", False),
            ("wp:post_password", post.password, False),
            ("wp:is_sticky", 1 if post.sticky else 0, True),
        ]
        terms = [("category", term) for term in post.categories.all()]
        terms += [("post_tag", term) for term in post.tags.all()]
        extra = [f'\t\t<category domain="{domain}" nicename="{esc(term.slug)}">'
                 f"{cdata(as_html(term.name))}</category>" for domain, term in terms]
        if post.featured_image_id:
            extra.append(self._meta("_thumbnail_id", ATTACHMENT_ID_OFFSET + post.featured_image_id))
        for comment in post.wxr_comments:
            self.counts.comments += 1
            extra.append(self._comment(comment))
        return self._item(fields, extra)

    def _comment(self, comment: Comment) -> str:
        parts = [
            _el("wp:comment_id", comment.pk, raw=True),
            _el("wp:comment_author", as_html(comment.author_name)),
            _el("wp:comment_author_email", comment.author_email),
            _el("wp:comment_author_url", comment.author_url),
            _el("wp:comment_author_IP", comment.author_ip or ""),
            _el("wp:comment_date", wp_date(comment.created_at, self.tz)),
            _el("wp:comment_date_gmt", wp_date(comment.created_at)),
            _el("wp:comment_content", comment.html or comment.body),
            _el("wp:comment_approved", WP_COMMENT_APPROVED.get(comment.status, "0")),
            _el("wp:comment_type", WP_COMMENT_TYPE.get(comment.kind, "")),
            _el("wp:comment_parent", comment.parent_id or 0, raw=True),
            _el("wp:comment_user_id", comment.user_id or 0, raw=True),
        ]
        return "\t\t<wp:comment>\n" + "".join(f"\t\t\t{p}\n" for p in parts) + "\t\t</wp:comment>"


def write_wxr(*, site: Site, out: IO[bytes], base_url: str) -> ExportCounts:
    """Write the site's WXR to a binary file; return what it holds."""
    export = WxrExport(site=site, base_url=base_url)
    for chunk in export.bytes():
        out.write(chunk)
    return export.counts


# --- The Markdown archive ------------------------------------------------------------------


@dataclass
class ArchiveCounts:
    posts: int = 0
    pages: int = 0
    media: int = 0
    missing_media: int = 0
    remote_media: int = 0

    def summary(self) -> str:
        text = ", ".join([_count(self.posts, "posts"), _count(self.pages, "pages"),
                          _count(self.media, "media files")])
        if self.missing_media:
            text += f"; {self.missing_media} missing from storage, left out"
        if self.remote_media:
            text += f"; {self.remote_media} kept at their remote address"
        return text


def _safe_part(value: str, fallback: str) -> str:
    """One path segment from a slug: no separators, no dot-dot, never empty."""
    part = re.sub(r"[\\/\x00-\x1f]+", "-", value).strip(". ")
    return part or fallback


def archive_media_path(site: Site, name: str) -> str:
    """Where a stored file goes in the archive: media/ plus its storage path without
    Byline's per-site folder (media/2024/05/abc123.jpg, as WordPress lays out uploads)."""
    name = name.lstrip("/")
    prefix = f"sites/{site.pk}/"
    if name.startswith(prefix):
        name = name[len(prefix):]
    parts = [p for p in posixpath.normpath(name).split("/") if p not in ("", ".", "..")]
    return "media/" + "/".join(parts)


def _yaml(value: object) -> str:
    # JSON's strings, lists and null are YAML too (YAML 1.2 is a superset of JSON),
    # and JSON quoting leaves no room for a title to start a YAML structure of its own.
    return json.dumps(value, ensure_ascii=False)


@dataclass
class MarkdownArchive:
    """A site as a zip: posts/ and pages/ with one Markdown file each (front matter,
    then the Markdown source, or the HTML body of a post written in HTML), and the
    media files under media/, with the posts' links to them made relative."""

    site: Site
    base_url: str
    counts: ArchiveCounts = field(default_factory=ArchiveCounts)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self.tz = self.site.tzinfo
        self._links: dict[str, str] = {}
        self._featured: dict[int, str] = {}

    def write(self, out: IO[bytes]) -> ArchiveCounts:
        self.counts = ArchiveCounts()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            self._write_media(archive)
            self._write_posts(archive)
            archive.writestr("README.md", self._readme())
        return self.counts

    def _readme(self) -> str:
        """What someone who opens the zip finds first: what it is and how it is laid out."""
        with _host_form():
            home = self.base_url + site_reverse("reader:home")
        return (
            f"# {self.site.title}\n\n"
            f"An export of {home}, made by Byline on "
            f"{timezone.localtime(timezone.now(), self.tz):%Y-%m-%d at %H:%M %Z}: "
            f"{self.counts.summary()}.\n\n"
            "- `posts/` and `pages/`: one Markdown file each. The front matter (between the "
            "`---` lines, in YAML) holds the title, slug, date, status, author, categories, "
            "tags, excerpt and the original address. Posts written in HTML keep their HTML, "
            "which Markdown tools show as it is.\n"
            "- `media/`: the images, with the smaller copies made for phones beside them; "
            "the posts link to them by relative paths.\n\n"
            "Posts in the trash were left out; drafts, scheduled and private posts are here, "
            "with their status.\n"
        )

    def _write_media(self, archive: zipfile.ZipFile) -> None:
        for batch in _batches(Media.objects.for_site(self.site)):
            for media in batch:
                if not media.file:
                    # Kept at its old address by an import: the posts link there still.
                    self.counts.remote_media += 1
                    continue
                names = [media.file.name] + [r["name"] for r in media.renditions or []
                                             if r.get("name")]
                for position, name in enumerate(names):
                    path = archive_media_path(self.site, name)
                    try:
                        source = default_storage.open(name, "rb")
                    except (OSError, ValueError):
                        if position == 0:
                            self.counts.missing_media += 1
                        continue
                    # Images are compressed already: store them as they are.
                    info = zipfile.ZipInfo(path, date_time=timezone.localtime(
                        media.created_at, self.tz).timetuple()[:6])
                    info.compress_type = zipfile.ZIP_STORED
                    with source, archive.open(info, "w", force_zip64=True) as target:
                        shutil.copyfileobj(source, target, 1024 * 1024)
                    url = file_url(name)
                    self._links[url] = "../" + path
                    self._links[_absolute(url, self.base_url)] = "../" + path
                    if position == 0:
                        self.counts.media += 1
                        self._featured[media.pk] = "../" + path

    def _relative_links(self, text: str) -> str:
        if not self._links:
            return text

        def swap(match: re.Match) -> str:
            return self._links.get(match[0], match[0])

        return re.sub(r"(?:https?://|/)[^\s\"'<>(),]+", swap, text)

    def _write_posts(self, archive: zipfile.ZipFile) -> None:
        queryset = (_exported_posts(self.site).select_related("author", "parent")
                    .prefetch_related("categories", "tags"))
        for batch in _batches(queryset):
            for post in batch:
                post.site = self.site
                if post.kind == Kind.PAGE:
                    self.counts.pages += 1
                    path = f"pages/{_safe_part(post.slug, f'page-{post.pk}')}.md"
                else:
                    self.counts.posts += 1
                    slug = _safe_part(post.slug, f"post-{post.pk}")
                    path = (f"posts/{timezone.localtime(post.published_at, self.tz):%Y-%m-%d}"
                            f"-{slug}.md" if post.published_at else f"posts/{slug}.md")
                info = zipfile.ZipInfo(path, date_time=timezone.localtime(
                    post.updated_at, self.tz).timetuple()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, self.markdown_file(post))

    def markdown_file(self, post: Post) -> str:
        """One post as a Markdown file with YAML front matter."""
        status = post.status
        if status == Status.SCHEDULED and post.is_public:
            status = Status.PUBLISHED
        date = (timezone.localtime(post.published_at, self.tz).isoformat()
                if post.published_at else None)
        front = {
            "title": post.title,
            "slug": post.slug,
            "date": date,
            "updated": timezone.localtime(post.updated_at, self.tz).isoformat(),
            "type": post.kind,
            "status": str(status),
            "format": post.source_format,
            "author": post.author.get_display_name(),
            "categories": [c.name for c in post.categories.all()],
            "tags": [t.name for t in post.tags.all()],
            "excerpt": post.excerpt,
            "original_url": post_permalink(post, self.base_url),
        }
        if post.kind == Kind.PAGE:
            front["parent"] = post.parent.slug if post.parent else None
            front["menu_order"] = post.menu_order
        if post.featured_image_id and post.featured_image_id in self._featured:
            front["featured_image"] = self._featured[post.featured_image_id]
        if post.password:
            front["password_protected"] = True
        body = post.source if post.source_format == SourceFormat.MARKDOWN else post.html
        lines = ["---", *(f"{key}: {_yaml(value)}" for key, value in front.items()), "---", ""]
        return "\n".join(lines) + self._relative_links(body).rstrip("\n") + "\n"


def write_markdown_archive(*, site: Site, out: IO[bytes], base_url: str) -> ArchiveCounts:
    """Write the site's Markdown archive (a zip) to a binary, seekable file."""
    return MarkdownArchive(site=site, base_url=base_url).write(out)
