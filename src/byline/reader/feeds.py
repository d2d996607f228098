"""RSS 2.0 and Atom feeds of a site: its posts (all, or one category, tag or author),
its comments, and one post's comments, at the addresses WordPress uses.

Each feed is a declarative `syndication.Feed` subclass, made afresh for every request
(see `serve`), so its hooks can reach the request for absolute addresses. Posts come only
from `Post.objects.for_site(site).published()`; comments only when approved, and never
those under a password-protected post. A protected post's text never enters a feed.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.views.decorators.http import require_safe

from byline.content.models import Category, Post, Tag
from byline.rendering import make_excerpt

# How many entries a feed carries (WordPress's "Syndication feeds show the most recent").
FEED_ITEMS = 20
# Feed readers poll; intermediaries may keep a copy this long. The page cache in front
# of the views is invalidated on every change, so only downstream caches can lag.
FEED_MAX_AGE = 300
EXCERPT_WORDS = 55
PROTECTED = "This post is password protected."


class ContentRss(Rss201rev2Feed):
    """RSS 2.0 with the full text in `content:encoded`, as WordPress sends it."""

    def rss_attributes(self) -> dict:
        return {**super().rss_attributes(),
                "xmlns:content": "http://purl.org/rss/1.0/modules/content/"}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class ContentAtom(Atom1Feed):
    """Atom with the full text in `<content type="html">` beside the summary."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class SiteFeed(Feed):
    """What every feed of a site shares: the request, the site, its language."""

    feed_type = ContentRss

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.site = request.site
        self.language = self.site.language

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def feed_guid(self, obj) -> str:
        # The feed's own address: distinct for the RSS and Atom forms of each feed.
        return self.absolute(self.request.path)


class PostsFeed(SiteFeed):
    """The site's newest posts."""

    label = ""

    def title(self, obj) -> str:
        return f"{self.site.title} » {self.label}" if self.label else self.site.title

    def link(self, obj) -> str:
        return reverse("reader:home")

    def description(self, obj) -> str:
        return self.site.tagline or f"The latest posts on {self.site.title}"

    def subtitle(self, obj) -> str:
        return self.description(obj)

    def posts(self, obj) -> QuerySet:
        return Post.objects.for_site(self.site).posts().published()

    def items(self, obj) -> list[Post]:
        return list(self.posts(obj).for_listing().newest_first()[:FEED_ITEMS])

    def item_title(self, post: Post) -> str:
        # Plain text, as Atom's type="text" titles and feedparser read it; not escaped a
        # second time as Django's default does for RSS (ticket #6533).
        return post.title

    def item_description(self, post: Post) -> str:
        if post.password:
            return PROTECTED
        return escape(post.excerpt or make_excerpt(post.html, EXCERPT_WORDS))

    def item_extra_kwargs(self, post: Post) -> dict:
        if self.site.feed_full_content and not post.password:
            return {"content_html": post.html}
        return {}

    def item_guid(self, post: Post) -> str:
        return self.absolute(post.get_absolute_url())

    item_guid_is_permalink = True

    def item_pubdate(self, post: Post):
        return post.published_at

    def item_updateddate(self, post: Post):
        return max(post.updated_at, post.published_at)

    def item_author_name(self, post: Post) -> str:
        return post.author.get_display_name()

    def item_author_link(self, post: Post) -> str:
        return self.absolute(reverse("reader:author", args=[post.author.username]))

    def item_comments(self, post: Post) -> str:
        return self.absolute(post.get_absolute_url()) + "#comments"

    def item_categories(self, post: Post) -> list[str]:
        return [c.name for c in post.categories.all()] + [t.name for t in post.tags.all()]

    def item_enclosures(self, post: Post) -> list[Enclosure]:
        image = post.featured_image
        if image is None or post.password:
            return []
        return [Enclosure(url=self.absolute(image.url), length=str(image.size or 0),
                          mime_type=image.mime_type or "image/jpeg")]


class PostsAtomFeed(PostsFeed):
    feed_type = ContentAtom


class CategoryFeed(PostsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Category:
        return Category.objects.for_site(self.site).get(slug=slug)

    def title(self, obj: Category) -> str:
        return f"{self.site.title} » {obj.name} Category Feed"

    def link(self, obj: Category) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Category) -> str:
        return obj.description or f"Posts in the category “{obj.name}” on {self.site.title}"

    def posts(self, obj: Category) -> QuerySet:
        # Like the category page: the category and every category below it.
        return super().posts(obj).filter(categories__in=obj.descendant_ids()).distinct()


class CategoryAtomFeed(CategoryFeed):
    feed_type = ContentAtom


class TagFeed(PostsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        return Tag.objects.for_site(self.site).get(slug=slug)

    def title(self, obj: Tag) -> str:
        return f"{self.site.title} » {obj.name} Tag Feed"

    def link(self, obj: Tag) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Tag) -> str:
        return f"Posts tagged “{obj.name}” on {self.site.title}"

    def posts(self, obj: Tag) -> QuerySet:
        return super().posts(obj).filter(tags=obj)


class TagAtomFeed(TagFeed):
    feed_type = ContentAtom


class AuthorFeed(PostsFeed):
    def get_object(self, request: HttpRequest, username: str):
        person = get_user_model().objects.get(username=username)
        # As on the author page: only people who published here have a feed.
        if not super().posts(None).filter(author=person).exists():
            raise Http404("No such author")
        return person

    def title(self, obj) -> str:
        return f"{self.site.title} » Posts by {obj.get_display_name()} Feed"

    def link(self, obj) -> str:
        return reverse("reader:author", args=[obj.username])

    def description(self, obj) -> str:
        return f"Posts by {obj.get_display_name()} on {self.site.title}"

    def posts(self, obj) -> QuerySet:
        return super().posts(obj).filter(author=obj)


class AuthorAtomFeed(AuthorFeed):
    feed_type = ContentAtom


class CommentsFeed(SiteFeed):
    """The site's newest approved comments, pingbacks and Webmentions.

    The reader app sits above discussion, so comments are reached through the reverse
    relations `site.comments` and `post.comments`, not by importing the model.
    """

    def title(self, obj) -> str:
        return f"Comments for {self.site.title}"

    def link(self, obj) -> str:
        return reverse("reader:home")

    def description(self, obj) -> str:
        return f"The latest comments on {self.site.title}"

    def subtitle(self, obj) -> str:
        return self.description(obj)

    def comments(self, obj) -> QuerySet:
        readable = Post.objects.for_site(self.site).posts().published().filter(password="")
        return self.site.comments.approved().filter(post__in=readable)

    def items(self, obj) -> list:
        return list(self.comments(obj).select_related("post__site")
                    .order_by("-created_at", "-pk")[:FEED_ITEMS])

    def item_title(self, comment) -> str:
        what = "Comment" if comment.kind == "comment" else comment.get_kind_display()
        return f"{what} on {comment.post.title} by {comment.author_name}"

    def item_description(self, comment) -> str:
        # Comment.html is sanitised when the comment is written.
        return comment.html or escape(comment.body)

    def item_link(self, comment) -> str:
        return f"{comment.post.get_absolute_url()}#comment-{comment.pk}"

    def item_guid(self, comment) -> str:
        return self.absolute(self.item_link(comment))

    item_guid_is_permalink = True

    def item_pubdate(self, comment):
        return comment.created_at

    def item_updateddate(self, comment):
        return comment.created_at

    def item_author_name(self, comment) -> str:
        return comment.author_name

    def item_author_link(self, comment) -> str | None:
        # Checked when the comment was written; checked again, as nothing but a web
        # address may ever become a link (SECURITY-CASES 8).
        url = comment.author_url or ""
        return url if url.lower().startswith(("https://", "http://")) else None


class CommentsAtomFeed(CommentsFeed):
    feed_type = ContentAtom


class PostCommentsFeed(CommentsFeed):
    """The approved comments on one post, oldest first, as WordPress lists them."""

    def get_object(self, request: HttpRequest, year: int, month: int, day: int, slug: str
                   ) -> Post:
        post = get_object_or_404(Post.objects.for_site(self.site).posts().published()
                                 .select_related("site"), slug=slug)
        if (year, month, day) != post.local_date_parts():
            raise Http404("No such post")
        return post

    def title(self, obj: Post) -> str:
        return f"Comments on: {obj.title}"

    def link(self, obj: Post) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Post) -> str:
        return f"Comments on “{obj.title}” at {self.site.title}"

    def comments(self, obj: Post) -> QuerySet:
        if obj.password:
            return obj.comments.none()
        return obj.comments.approved()

    def items(self, obj: Post) -> list:
        comments = list(self.comments(obj).order_by("-created_at", "-pk")[:FEED_ITEMS])
        for comment in comments:
            comment.post = obj  # one post: no join, no query per comment
        return comments

    def item_title(self, comment) -> str:
        return f"By: {comment.author_name}"


class PostCommentsAtomFeed(PostCommentsFeed):
    feed_type = ContentAtom


def serve(feed_class: type[SiteFeed]) -> Callable[..., HttpResponse]:
    """A view serving `feed_class`, built per request, with caching headers."""

    @require_safe
    def view(request: HttpRequest, **kwargs) -> HttpResponse:
        response = feed_class(request)(request, **kwargs)
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
        return response

    view.__name__ = view.__qualname__ = f"{feed_class.__name__}_view"
    view.__doc__ = feed_class.__doc__
    return view


# WordPress's query-string feeds (`/?feed=rss2`): old subscriptions keep working.
QUERY_FEEDS = {
    "rss2": "reader:feed", "rss": "reader:feed", "rdf": "reader:feed",
    "atom": "reader:feed_atom",
    "comments-rss2": "reader:comments_feed", "comments-atom": "reader:comments_feed_atom",
}


def redirect_query_feed(request: HttpRequest) -> HttpResponse:
    """`/?feed=NAME` → the feed's own address (301); an unknown name is a 404."""
    name = QUERY_FEEDS.get(request.GET.get("feed", ""))
    if name is None:
        raise Http404("No such feed")
    return HttpResponsePermanentRedirect(reverse(name))
