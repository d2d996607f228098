"""Template tags for likes and following, used by the reader's post template:
`{% load discussion_social %}{% like_box post %}` and `{% follow_box site %}`."""

from __future__ import annotations

from django import template
from django.db.models import Count, Exists, OuterRef, Window

from byline.content.models import Post
from byline.reader.memo import site_memo

from ..models import Follow, Like

register = template.Library()

# How many likers' faces a post shows; the count says how many there are in all.
LIKERS_SHOWN = 10


def like_text(count: int) -> str:
    if count == 0:
        return "Be the first to like this."
    if count == 1:
        return "One blogger likes this."
    return f"{count} bloggers like this."


def _newest_likes(post: Post) -> list[Like]:
    has_author_page = Exists(Post.objects.for_site(post.site).posts().published()
                             .filter(author=OuterRef("user_id")))
    return list(Like.objects.filter(post=post).select_related("user")
                .annotate(total=Window(Count("pk")), author_page=has_author_page)
                .order_by("-created_at", "-pk")[:LIKERS_SHOWN])


@register.inclusion_tag("discussion/social/_likes.html", takes_context=True)
def like_box(context: template.Context, post: Post) -> dict:
    """The Like button, the likers' faces and the count, in at most two queries: one for
    the newest likers with the total (a window count) and whether each has an author
    page here (kept per site change), and one for whether the signed-in reader likes it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    likes = site_memo(post.site, f"likers:{post.pk}", lambda: _newest_likes(post))
    total = likes[0].total if likes else 0
    signed_in = bool(user and user.is_authenticated)
    liked = signed_in and (any(like.user_id == user.pk for like in likes)
                           or (total > LIKERS_SHOWN
                               and Like.objects.filter(post=post, user=user).exists()))
    likers = []
    for like in likes:
        website = like.user.website
        likers.append({
            "user": like.user,
            "name": like.user.get_display_name(),
            "author_page": like.author_page,
            "website": website if website.startswith(("https://", "http://")) else "",
        })
    return {"post": post, "likers": likers, "total": total, "liked": liked,
            "signed_in": signed_in, "count_text": like_text(total),
            "csrf_token": context.get("csrf_token"), "request": request}


@register.inclusion_tag("discussion/social/_follow.html", takes_context=True)
def follow_box(context: template.Context, site) -> dict:
    """Follow the site (signed-in users, one click) or subscribe by e-mail (anyone).
    One query for a signed-in reader, none for a guest."""
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    following = signed_in and Follow.objects.filter(site=site, user=user).exists()
    return {"site": site, "signed_in": signed_in, "following": following,
            "csrf_token": context.get("csrf_token"), "request": request}
