"""Run with a production-like SQLite file database (see test_likes_concurrency): migrate,
then let threads press Like at the same moment, and print what was stored as JSON.

Run as a script in a fresh process, because the test suite's in-memory SQLite uses a
shared cache whose table locks fail at once instead of waiting like a real file does."""

import json
import sys
import threading


def press_together(jobs) -> list[str]:
    from django.db import connections

    start = threading.Barrier(len(jobs), timeout=30)
    errors: list[str] = []

    def run(job):
        try:
            start.wait()
            job()
        except BaseException as exc:  # reported to the test, whatever it is
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def main(clicks: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from byline.discussion import social
    from byline.discussion.models import Like
    from tests.factories import SiteFactory, UserFactory, make_post

    post = make_post(site=SiteFactory(slug="race"), title="Busy post")
    readers = UserFactory.create_batch(clicks)
    many = press_together([lambda u=u: social.like_toggle(post=post, user=u) for u in readers])
    result = {"many_errors": many, "many_count": Like.objects.filter(post=post).count()}
    one = UserFactory()
    result["one_errors"] = press_together(
        [lambda: social.like_toggle(post=post, user=one)] * clicks)
    result["one_count"] = Like.objects.filter(post=post, user=one).count()
    return result


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
