"""Seed the benchmark site: `python bench/seed_site.py --posts 1000 --comments 20000`.

One site, "bench", with the given number of published posts (Markdown rendered through the
same renderer the editor uses, once per distinct body), 100 tags, 20 categories, and
approved guest comments spread over the posts, one post ("the post with 30 comments")
getting exactly 30, threaded. Rows go in with bulk_create, in batches, so that 100,000
posts seed in minutes; the search index and related posts are built afterwards the way
the importer builds them. Run with the server's environment (bench/server.py does).
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings.base")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from byline.accounts.models import User  # noqa: E402
from byline.content.models import Category, Post, Tag  # noqa: E402
from byline.discussion.models import Comment  # noqa: E402
from byline.rendering import render, render_comment  # noqa: E402
from byline.tenancy.models import Membership, Site  # noqa: E402
from byline.tenancy.roles import Role  # noqa: E402
from byline.tenancy.services import content_changes_batched  # noqa: E402

SLUG = "bench"
HOT_SLUG = "the-post-with-30-comments"
HOT_COMMENTS = 30
BATCH = 2000
WORDS = ["garden", "river", "stone", "window", "morning", "letter", "harbour", "winter",
         "bread", "lantern", "orchard", "meadow", "kettle", "bicycle", "notebook", "thunder",
         "pebble", "ferry", "candle", "compass"]

BODY = """Some mornings the {a} and the {b} are all there is to write about, and that is
enough. I walked down to the {c} before anyone else was up.

> The {d} does not hurry, yet everything gets done.

A few notes from the day:

- the {a} was colder than last week;
- someone had left a {e} on the bench by the {c};
- the light on the {b} lasted until nearly six.

![A {d} in the morning light](https://example.com/{d}.jpg)

I keep coming back to the same question: what would the {e} say, if it could? Probably
nothing at all, and that is the lesson. **Write it down anyway.** Tomorrow I will try the
long way round, past the {c}, and see whether the {a} is still there.
"""


def _body(rng: random.Random) -> str:
    a, b, c, d, e = rng.sample(WORDS, 5)
    return BODY.format(a=a, b=b, c=c, d=d, e=e)


def seed(*, posts: int, comments: int, tags: int, categories: int) -> None:
    rng = random.Random(1234)
    started = time.monotonic()
    owner, _ = User.objects.get_or_create(username="bench", defaults={
        "email": "bench@example.com", "display_name": "Bench Writer",
        "bio": "Writes the same kind of post every day, for the benchmark."})
    if Site.objects.filter(slug=SLUG).exists():
        print("bench site already seeded")
        return
    site = Site.objects.create(slug=SLUG, title="Bench Notes", tagline="Speed, measured",
                               owner=owner, comments_hold_first_time=False)
    Membership.objects.create(site=site, user=owner, role=Role.OWNER)
    with transaction.atomic(), content_changes_batched():
        tag_rows = Tag.objects.bulk_create(
            [Tag(site=site, name=f"{WORDS[i % len(WORDS)]} {i}", slug=f"tag-{i}")
             for i in range(tags)])
        cat_rows = Category.objects.bulk_create(
            [Category(site=site, name=f"Section {i}", slug=f"section-{i}")
             for i in range(categories)])
        bodies = [_body(rng) for _ in range(50)]
        rendered = [render(source, "markdown") for source in bodies]
        now = timezone.now()
        rows = []
        for i in range(posts):
            n = i % len(bodies)
            title = (f"Notes on the {WORDS[i % len(WORDS)]}, day {i}" if i else
                     "The post with 30 comments")
            rows.append(Post(
                site=site, kind="post", title=title, slug=HOT_SLUG if i == 0 else f"day-{i}",
                source_format="markdown", source=bodies[n], html=rendered[n], status="published",
                published_at=now - timedelta(hours=i + 1), author=owner))
        for start in range(0, len(rows), BATCH):
            Post.objects.bulk_create(rows[start:start + BATCH], batch_size=BATCH)
        post_ids = list(Post.objects.filter(site=site).order_by("id").values_list("id",
                                                                                  flat=True))
        hot = Post.objects.get(site=site, slug=HOT_SLUG)
        through_tags, through_cats = Post.tags.through, Post.categories.through
        links_t, links_c = [], []
        for pid in post_ids:
            for tag in rng.sample(tag_rows, 3):
                links_t.append(through_tags(post_id=pid, tag_id=tag.pk))
            links_c.append(through_cats(post_id=pid, category_id=rng.choice(cat_rows).pk))
        through_tags.objects.bulk_create(links_t, batch_size=BATCH)
        through_cats.objects.bulk_create(links_c, batch_size=BATCH)

        html = render_comment("Thank you for this. I walked the same way last spring and "
                              "*still* think about the light.")
        others = [pid for pid in post_ids if pid != hot.pk]
        base = now - timedelta(days=1)

        def comment(post_id: int, n: int, parent_id: int | None = None) -> Comment:
            return Comment(site=site, post_id=post_id, parent_id=parent_id, kind="comment",
                           status="approved", author_name=f"Reader {n}",
                           author_email=f"reader{n}@example.com",
                           author_url="https://example.com/" if n % 3 == 0 else "",
                           author_ip=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
                           body="Thank you for this.", html=html,
                           created_at=base + timedelta(seconds=n))

        # The post with 30 comments: ten threads of three (a comment, a reply, a reply to it).
        parent_ids: list[int | None] = []
        for n in range(HOT_COMMENTS):
            depth = n % 3
            row = comment(hot.pk, n, parent_ids[-1] if depth else None)
            row.save()
            parent_ids.append(row.pk)
        pending = [comment(others[n % len(others)], n)
                   for n in range(HOT_COMMENTS, max(comments, HOT_COMMENTS))]
        for start in range(0, len(pending), BATCH):
            Comment.objects.bulk_create(pending[start:start + BATCH], batch_size=BATCH)

    try:
        from byline.reader import related, search
    except ImportError:
        pass
    else:
        search.reindex_site(site)
        if posts <= 10_000:
            related.recompute_site(site)
    print(f"seeded {posts:,} posts, {max(comments, HOT_COMMENTS):,} comments, {tags} tags, "
          f"{categories} categories in {time.monotonic() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--tags", type=int, default=100)
    parser.add_argument("--categories", type=int, default=20)
    args = parser.parse_args()
    seed(posts=args.posts, comments=args.comments, tags=args.tags, categories=args.categories)


if __name__ == "__main__":
    main()
