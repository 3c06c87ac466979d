"""Sharing expensive data between the tests of one module."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.apps import apps
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


def restore_rule_tables() -> None:
    """A transactional database (browser tests) is emptied after each test, with the rule
    tables that the migrations load; put them back (each loader is idempotent)."""
    for module, function in RULE_TABLE_LOADERS:
        getattr(importlib.import_module(module), function)(apps, None)


#: The data migrations that fill the rule tables: (module, function).
RULE_TABLE_LOADERS = [
    ("kinerja.core.migrations.0005_default_achievement_rules", "forwards"),
    ("kinerja.core.migrations.0007_default_working_hours", "forwards"),
    ("kinerja.skp.migrations.0002_default_rules", "load"),
    ("kinerja.evaluations.migrations.0003_default_rules", "load"),
    ("kinerja.evaluations.migrations.0006_credit_defaults", "load"),
]
