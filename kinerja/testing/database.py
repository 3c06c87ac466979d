"""Sharing expensive data between the tests of one module."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import transaction


@contextmanager
def kept_for_module(django_db_blocker, build: Callable[[], object]) -> Iterator[object]:
    """Build data once for a module (e.g. the demo, which takes seconds), in a transaction that
    is rolled back when the module ends. Each test's own ``db`` transaction becomes a savepoint
    inside it, so what one test changes the next does not see."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
