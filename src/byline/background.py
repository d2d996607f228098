"""Enqueueing background work so that it happens only if the write that asked for it does."""

from django.db import transaction


def enqueue_after_commit(task, **kwargs) -> None:
    """Enqueue ``task(**kwargs)`` once the current transaction commits.

    With the database task queue (the one-machine default) the task row is written inside
    the same transaction: it commits, or rolls back, with the write that asked for it, and
    saves the request a second commit. Any other queue (Redis, the immediate backend of the
    tests) is told only after the commit, so a worker never looks for a row it cannot see yet.
    """
    backend = task.get_backend()
    connection = transaction.get_connection()
    # Byline keeps its task rows in its one database (no router), the same connection.
    if type(backend).__module__.startswith("django_tasks_db") and connection.in_atomic_block:
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(**kwargs))
