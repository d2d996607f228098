"""Importing a WordPress export (issue 6): seconds, posts per second and peak memory.

Exports of 1,000 posts / 5,000 comments and 10,000 posts / 50,000 comments are written
by tests/porting/wxr_factory.py (WXR 1.2 as WordPress 6 writes it: threaded comments,
pingbacks, a category tree, tags, pages, attachments, nav menu items). Each is imported
into a fresh SQLite file database by a child process (`python bench/wxr_import.py --child
…`), which migrates, creates the site, then times `import_wxr` alone and reports its
peak resident memory (getrusage) before and after. Target: 10,000 posts in under 60 s,
with memory flat as the file grows.

    python bench/wxr_import.py [OUT_DIR]     # both sizes, printed as a table
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KEY = "wxr"
TITLE = "Importing a WordPress export"
SIZES = [(1_000, 5_000), (10_000, 50_000)]


def _rss_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(path: str, home: str) -> None:
    """In a fresh process: migrate, make a site, import, print the figures as JSON."""
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth import get_user_model

    from byline.content.models import Post
    from byline.discussion.models import Comment
    from byline.porting.importer import import_wxr
    from byline.tenancy.services import site_create

    owner = get_user_model().objects.create_user(username="owner", email="o@bench.example")
    site = site_create(owner=owner, slug="moving", title="Moving in")
    before = _rss_mb()
    started = time.perf_counter()
    summary = import_wxr(site=site, file=path)
    seconds = time.perf_counter() - started
    posts = Post.objects.for_site(site).count()
    comments = Comment.objects.for_site(site).count()
    print(json.dumps({"seconds": seconds, "posts_in_db": posts, "comments_in_db": comments,
                      "rss_before_mb": before, "peak_rss_mb": _rss_mb(),
                      "counts": summary.to_dict()["counts"]}))


def _import_in_child(path: Path) -> dict:
    home = Path(tempfile.mkdtemp(prefix="byline-bench-wxr-"))
    (home / "var").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BYLINE_")}
    env.update({
        "BYLINE_HOME": str(home),
        "BYLINE_DATABASE_URL": f"sqlite:///{home / 'var' / 'byline.sqlite3'}",
        "BYLINE_SECRET_KEY": "bench-only-" + "x" * 40,
        # Queued, not run: the search index and related posts are rebuilt by a worker
        # after the import (porting.tasks.refresh_derived) and are not part of it.
        "BYLINE_TASK_BACKEND": "database",
        "BYLINE_EMAIL_URL": "dummymail://",
        "BYLINE_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "byline.settings.base",
        "PYTHONPATH": str(ROOT / "src"),
    })
    done = subprocess.run([sys.executable, __file__, "--child", str(path), str(home)],  # noqa: S603
                          env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"import failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(out_dir: str | Path) -> list[dict]:
    """Generate each export under `out_dir`, import it in a child process, and return one
    dict per size: posts, comments, file_mb, seconds, posts_per_s, comments_per_s,
    rss_before_mb, peak_rss_mb."""
    from tests.porting.wxr_factory import write_wxr

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for posts, comments in SIZES:
        path = out / f"wxr-{posts}-posts.xml"
        manifest = write_wxr(path, posts=posts, comments=comments, pages=max(posts // 100, 5),
                             attachments=max(posts // 50, 5), menu_items=10)
        figures = _import_in_child(path)
        expected_comments = sum(manifest.comments.values())
        if figures["posts_in_db"] != manifest.posts + manifest.pages or (
                figures["comments_in_db"] != expected_comments):
            raise RuntimeError(f"{path.name}: imported {figures['posts_in_db']} posts and "
                               f"{figures['comments_in_db']} comments; expected "
                               f"{manifest.posts + manifest.pages} and {expected_comments}")
        seconds = figures["seconds"]
        results.append({
            "posts": posts, "comments": comments,
            "file_mb": round(path.stat().st_size / 1024 / 1024, 1),
            "seconds": round(seconds, 1),
            "posts_per_s": round(posts / seconds),
            "comments_per_s": round(comments / seconds),
            "rss_before_mb": round(figures["rss_before_mb"]),
            "peak_rss_mb": round(figures["peak_rss_mb"]),
        })
    return results


def table(results: list[dict]) -> list[list[str]]:
    rows = [["Export", "file MB", "seconds", "posts/s", "comments/s",
             "RSS before MB", "peak RSS MB"]]
    for r in results:
        rows.append([f"{r['posts']:,} posts, {r['comments']:,} comments", str(r["file_mb"]),
                     f"{r['seconds']:.1f}", str(r["posts_per_s"]), str(r["comments_per_s"]),
                     str(r["rss_before_mb"]), str(r["peak_rss_mb"])])
    return rows


def measure(*, n: int = 1):
    """For bench/run.py: the same measurement as a report Section (`n` is not used: each
    size is imported once)."""
    from bench.report import Section

    with tempfile.TemporaryDirectory(prefix="byline-bench-wxr-") as out:
        results = run(out)
    notes = ["Each export (tests/porting/wxr_factory.py, WXR 1.2) is imported once into a "
             "fresh SQLite file database in its own process; only `import_wxr` is timed "
             "(both passes: the read-only check and the import, one transaction). RSS is "
             "the child's peak resident memory (getrusage) before and after the import. "
             "Target (issue 6): 10,000 posts in under 60 s, memory flat as the file grows."]
    return Section(title=TITLE, table=table(results), notes=notes)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    else:
        from bench.report import text_table

        target = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="byline-wxr-")
        print(text_table(table(run(target))))
