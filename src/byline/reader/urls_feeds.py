"""Feeds, sitemaps and robots.txt (included by reader/urls.py before the page catch-all).

Feed addresses are WordPress's, so subscriptions made to a WordPress site keep working
after it moves here: /feed/ (RSS 2.0), /feed/rss2/, /feed/atom/, /comments/feed/,
/category/SLUG/feed/, /tag/SLUG/feed/, /author/NAME/feed/ and POST-URL/feed/.
"""

from django.urls import path

from . import sitemaps
from .feeds import (
    AuthorAtomFeed,
    AuthorFeed,
    CategoryAtomFeed,
    CategoryFeed,
    CommentsAtomFeed,
    CommentsFeed,
    PostCommentsAtomFeed,
    PostCommentsFeed,
    PostsAtomFeed,
    PostsFeed,
    TagAtomFeed,
    TagFeed,
    serve,
)


def feed_paths(prefix: str, name: str, rss, atom) -> list:
    """PREFIX/feed/ and PREFIX/feed/rss2/ (RSS 2.0), PREFIX/feed/atom/ (Atom)."""
    return [
        path(f"{prefix}feed/", serve(rss), name=name),
        path(f"{prefix}feed/rss2/", serve(rss), name=f"{name}_rss2"),
        path(f"{prefix}feed/atom/", serve(atom), name=f"{name}_atom"),
    ]


urlpatterns = [
    *feed_paths("", "feed", PostsFeed, PostsAtomFeed),
    path("feed/rss/", serve(PostsFeed)),
    *feed_paths("comments/", "comments_feed", CommentsFeed, CommentsAtomFeed),
    *feed_paths("category/<str:slug>/", "category_feed", CategoryFeed, CategoryAtomFeed),
    *feed_paths("tag/<str:slug>/", "tag_feed", TagFeed, TagAtomFeed),
    *feed_paths("author/<str:username>/", "author_feed", AuthorFeed, AuthorAtomFeed),
    *feed_paths("<yyyy:year>/<mm:month>/<mm:day>/<str:slug>/", "post_comments_feed",
                PostCommentsFeed, PostCommentsAtomFeed),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
]
