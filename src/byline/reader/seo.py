"""What a public page says about itself to machines: canonical address, description,
Open Graph and Twitter card meta, feed autodiscovery links and JSON-LD.

Everything is built from objects the view has already loaded (the post with its site,
author, featured image, categories and tags; the archive's category, tag or author), so
the head costs no query.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.urls import reverse
from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from byline.content.models import Post
from byline.rendering import make_excerpt
from byline.tenancy.models import Site

PROTECTED = "This post is password protected."
DESCRIPTION_CHARS = 160
RSS = "application/rss+xml"
# The lists whose address alone says what they show (search results, say, are not).
LIST_KINDS = frozenset({"home", "category", "tag", "author", "date"})

# Inside <script>, only these could end the element or start markup; JSON allows their
# \u escapes, so the data reads the same (the escapes Django's json_script uses).
_JSON_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028", ord("\u2029"): "\\u2029",
}


@dataclass
class FeedLink:
    title: str
    href: str
    type: str = RSS


@dataclass
class PageMeta:
    title: str
    description: str
    canonical: str = ""
    og_type: str = "website"
    image: str = ""
    image_alt: str = ""
    image_width: int | None = None
    image_height: int | None = None
    published: str = ""
    modified: str = ""
    feeds: list[FeedLink] = field(default_factory=list)
    json_ld: SafeString | None = None

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"


def json_for_script(data: dict) -> SafeString:
    """`data` as JSON that is safe inside a <script> element, whatever text it holds."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    # Safe: every character that could close the script or open markup is \u-escaped.
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308


def og_locale(language: str) -> str:
    """Open Graph's form of a language code: "pt-br" → "pt_BR", "en" → "en"."""
    lang, _, region = (language or "en").partition("-")
    return f"{lang.lower()}_{region.upper()}" if region else lang.lower()


def _one_line(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    return Truncator(" ".join(text.split())).chars(limit)


def _iso(moment: datetime | None) -> str:
    return moment.replace(microsecond=0).isoformat() if moment else ""


def post_description(post: Post, locked: bool) -> str:
    if locked:
        return PROTECTED
    return _one_line(post.excerpt or make_excerpt(post.html, 30))


def site_feed_links(request: HttpRequest, site: Site) -> list[FeedLink]:
    absolute = request.build_absolute_uri
    return [FeedLink(f"{site.title} » Feed", absolute(reverse("reader:feed"))),
            FeedLink(f"{site.title} » Comments Feed", absolute(reverse("reader:comments_feed")))]


def for_post(request: HttpRequest, site: Site, post: Post, *, locked: bool, preview: bool
             ) -> PageMeta:
    """A post or page: an article, with its image, dates and a BlogPosting."""
    post.load_terms()
    absolute = request.build_absolute_uri
    canonical = absolute(post.get_absolute_url())
    meta = PageMeta(title=post.title, description=post_description(post, locked),
                    canonical=canonical, og_type="article",
                    published=_iso(post.published_at), modified=_iso(post.updated_at),
                    feeds=site_feed_links(request, site))
    image = post.featured_image if post.kind == "post" and not locked else None
    if image is not None:
        meta.image, meta.image_alt = absolute(image.url), image.alt_text
        meta.image_width, meta.image_height = image.width, image.height
    if post.kind != "post":
        return meta
    if not preview and not post.password:
        url = reverse("reader:post_comments_feed", args=[*post.local_date_parts(), post.slug])
        meta.feeds.append(FeedLink(f"{site.title} » {post.title} Comments Feed", absolute(url)))
    author_url = absolute(reverse("reader:author", args=[post.author.username]))
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": meta.description,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "datePublished": meta.published or None,
        "dateModified": meta.modified,
        "author": {"@type": "Person", "name": post.author.get_display_name(),
                   "url": author_url},
        "publisher": {"@type": "Organization", "name": site.title,
                      "url": absolute(reverse("reader:home"))},
        "inLanguage": site.language,
    }
    if meta.image:
        data["image"] = [meta.image]
    if not locked:
        data["articleSection"] = [c.name for c in post.categories.all()]
        data["keywords"] = [t.name for t in post.tags.all()]
    meta.json_ld = json_for_script({k: v for k, v in data.items() if v not in (None, [])})
    return meta


def _list_title(site: Site, context) -> tuple[str, str, FeedLink | None]:
    """Heading, description and feed of a list of posts."""
    kind = context.get("list_kind")
    if kind == "category":
        cat = context["category"]
        return (f"Category: {cat.name}",
                cat.description or f"Posts in the category “{cat.name}” on {site.title}.",
                FeedLink(f"{site.title} » {cat.name} Category Feed",
                         reverse("reader:category_feed", args=[cat.slug])))
    if kind == "tag":
        tag = context["tag"]
        return (f"Tag: {tag.name}", f"Posts tagged “{tag.name}” on {site.title}.",
                FeedLink(f"{site.title} » {tag.name} Tag Feed",
                         reverse("reader:tag_feed", args=[tag.slug])))
    if kind == "author":
        person = context["author"]
        name = person.get_display_name()
        return (f"Author: {name}", person.bio or f"Posts by {name} on {site.title}.",
                FeedLink(f"{site.title} » Posts by {name} Feed",
                         reverse("reader:author_feed", args=[person.username])))
    if kind == "date":
        when: date = context["archive_date"]
        fmt = {"day": "F j, Y", "month": "F Y"}.get(context.get("archive_precision"), "Y")
        label = dateformat.format(when, fmt)
        return f"Archives: {label}", f"Posts from {label} on {site.title}.", None
    return site.title, site.tagline or f"The latest posts on {site.title}.", None


def for_list(request: HttpRequest, site: Site, context) -> PageMeta:
    """Home and the archives: a website, its own feed beside the site's."""
    title, description, feed = _list_title(site, context)
    page = context.get("page_obj")
    canonical = request.build_absolute_uri(request.path)
    if page is not None and page.number > 1:
        canonical += f"?page={page.number}"
    meta = PageMeta(title=title, description=_one_line(description), canonical=canonical,
                    feeds=site_feed_links(request, site))
    if feed is not None:
        feed.href = request.build_absolute_uri(feed.href)
        meta.feeds.append(feed)
    return meta


def for_other(request: HttpRequest, site: Site) -> PageMeta:
    """Any other page of a site (search, not found): the site's own description."""
    return PageMeta(title=site.title,
                    description=_one_line(site.tagline or f"The latest posts on {site.title}."),
                    feeds=site_feed_links(request, site))


def page_meta(request: HttpRequest, site: Site, context) -> PageMeta:
    """The meta of whatever page `context` renders."""
    kind = context.get("list_kind")
    post = context.get("post")
    if post is not None and kind is None:
        return for_post(request, site, post, locked=bool(context.get("locked")),
                        preview=bool(context.get("is_preview")))
    if kind in LIST_KINDS:
        return for_list(request, site, context)
    return for_other(request, site)
