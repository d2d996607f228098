"""Automatic related posts: up to three, under the author's own "Find also to read" list.

Chosen when a post is saved (the `compute_related_posts` task), never while a page is
being served: other public posts of the same site score by shared tags, shared categories
and the words of the post's title found in theirs (through the search index). The best are
stored as `RelatedPost` rows; the post page reads them in the same single query as the
curated list, and filters them through `published()` again, so a target that was
unpublished since drops out at once.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, IntegerField, Value

from byline.content.models import Post, RelatedLink
from byline.tenancy.models import Site
from byline.tenancy.services import bump_content_version, content_changes_batched

from . import search
from .models import RelatedPost

SHOWN = 3
# A few more are kept than shown, so that one later unpublished or curated by hand still
# leaves three to show.
KEPT = 6
TAG_WEIGHT = 3.0
CATEGORY_WEIGHT = 2.0
TEXT_WEIGHT = 2.0
_STOPWORDS = """
    a an and are as at be but by for from has have how i in is it its my not of on or our so
    that the their this to was we what when where which who why will with you your about after
    all also can into just more new notes one out over some than then there these they up
"""
STOPWORDS = frozenset(_STOPWORDS.split())


def _title_words(post: Post) -> list[str]:
    words = [w.lower() for w in search._WORD.findall(post.title)]
    return [w for w in words if len(w) >= 3 and w not in STOPWORDS]


def score_related(post: Post) -> list[tuple[int, float]]:
    """Candidate related posts for `post` as (post id, score), best first.

    Candidates are the site's published posts (never pages, never the post itself, never a
    post already in the author's curated list)."""
    curated = RelatedLink.objects.filter(post=post, target__isnull=False).values("target_id")
    candidates = (Post.objects.for_site(post.site).posts().published()
                  .exclude(pk=post.pk).exclude(pk__in=curated))
    scores: dict[int, float] = defaultdict(float)
    for through, column, weight in ((Post.tags.through, "tag_id", TAG_WEIGHT),
                                    (Post.categories.through, "category_id", CATEGORY_WEIGHT)):
        own = through.objects.filter(post_id=post.pk).values(column)
        shared = (through.objects.filter(**{f"{column}__in": own}, post__in=candidates)
                  .values("post_id").annotate(n=Count("pk")).values_list("post_id", "n"))
        for post_id, n in shared:
            scores[post_id] += weight * n
    for post_id, similarity in search.similar_posts(site=post.site, post=post,
                                                    queryset=candidates,
                                                    words=_title_words(post)):
        scores[post_id] += TEXT_WEIGHT * similarity
    if not scores:
        return []
    # Ties go to the newer post.
    dates = dict(candidates.filter(pk__in=list(scores)).values_list("pk", "published_at"))
    ranked = sorted((pk for pk in scores if pk in dates),
                    key=lambda pk: (scores[pk], dates[pk], pk), reverse=True)
    return [(pk, scores[pk]) for pk in ranked if scores[pk] > 0]


@transaction.atomic
def store_related(post: Post) -> list[RelatedPost]:
    """Compute and store `post`'s related posts, replacing the old ones. Idempotent.

    A changed list changes the post page, so the site's content version is bumped (the page
    cache must not keep the old list); an unchanged one leaves the cache alone."""
    before = list(RelatedPost.objects.filter(post=post).order_by("position")
                  .values_list("target_id", flat=True))
    chosen = [] if post.trashed_at is not None else score_related(post)[:KEPT]
    if [target_id for target_id, _ in chosen] == before:
        return list(RelatedPost.objects.filter(post=post).order_by("position"))
    RelatedPost.objects.filter(post=post).delete()
    rows = RelatedPost.objects.bulk_create(
        RelatedPost(post=post, target_id=target_id, position=position, score=score)
        for position, (target_id, score) in enumerate(chosen))
    bump_content_version(post.site_id)
    return rows


def recompute_site(site: Site) -> int:
    """Recompute every post's related posts on `site` (after an import); return how many
    posts were done. The site's content version is bumped once, at the end."""
    count = 0
    with content_changes_batched():
        for post in Post.objects.for_site(site).posts().not_trashed().select_related("site"):
            store_related(post)
            count += 1
    return count


# --- Showing them -----------------------------------------------------------------------------

_TARGET_FIELDS = ("title", "slug", "kind", "status", "published_at", "trashed_at", "site_id")


def find_also(post: Post) -> tuple[list[RelatedLink], list[Post]]:
    """A post's "Find also to read": the curated links a reader may follow, and up to
    three automatic related posts that are public now and not already curated.

    One query for both lists (a UNION), so the post page stays within its query budget."""
    site = post.site
    targets = [f"target__{name}" for name in _TARGET_FIELDS]
    curated = RelatedLink.objects.filter(post=post).order_by().values_list(
        Value(0, output_field=IntegerField()), "position", "pk", "url", "title", "target_id",
        *targets)
    automatic = RelatedPost.objects.filter(
        post=post, target__in=Post.objects.for_site(site).published().values("pk"),
    ).order_by().values_list(Value(1, output_field=IntegerField()), "position", "pk",
                  Value(""), Value(""), "target_id", *targets)
    links: list[RelatedLink] = []
    related: list[Post] = []
    for row in sorted(curated.union(automatic, all=True), key=lambda r: (r[0], r[1], r[2])):
        is_auto, position, pk, url, title, target_id, *values = row
        target = None
        if target_id is not None:
            target = Post(pk=target_id, **dict(zip(_TARGET_FIELDS, values, strict=True)))
            if target.site_id == site.pk:
                target.site = site
        if not is_auto:
            # A curated link to a post that is no longer public is left out for readers.
            if target is None or target.is_public:
                links.append(RelatedLink(pk=pk, post=post, position=position, url=url,
                                         title=title, target=target))
        elif len(related) < SHOWN and target_id not in {link.target_id for link in links}:
            related.append(target)
    return links, related

