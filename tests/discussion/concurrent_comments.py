"""50 guests posting to one post at once; run in threads, in-process (PostgreSQL) or as a
script against a file SQLite database (whose in-memory test database threads cannot share).

As a script: python -m tests.discussion.concurrent_comments → prints "stored=N count=N".
"""

import threading

GUESTS = 50


def post_all(post_id: int, guests: int = GUESTS) -> list[str]:
    """Every guest posts once, all released together; returns the errors met."""
    from django.db import connection

    from byline.content.models import Post
    from byline.discussion import services

    errors: list[str] = []
    start = threading.Barrier(guests)

    def guest(n: int) -> None:
        try:
            post = Post.objects.select_related("site").get(pk=post_id)
            start.wait()
            services.comment_post(post=post, body=f"Comment number {n}",
                                  author_name=f"Guest {n}", author_email=f"g{n}@example.com",
                                  ip=f"192.0.2.{n + 1}")
        except Exception as exc:  # any failure is what the test reports
            errors.append(f"{n}: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=guest, args=(n,)) for n in range(guests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from byline.discussion.models import Comment
    from tests.factories import SiteFactory, make_post

    site = SiteFactory(slug="crowd", comments_hold_first_time=False)
    post = make_post(site=site, title="Crowded")
    errors = post_all(post.pk)
    bodies = list(Comment.objects.filter(post=post).values_list("body", flat=True))
    print(f"errors={len(errors)} stored={len(bodies)} distinct={len(set(bodies))}")
    for error in errors:
        print(error)


if __name__ == "__main__":
    main()
