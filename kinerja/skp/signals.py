"""Signals of the plans' app for the apps above it, which skp may not import (architecture.md,
layers): each is sent after the transaction that caused it has committed.

``realisation_counted``
    A typed value now counts in achievement — the plan's rater verified it, or entered it
    himself (verified at once). Arguments: ``realisation`` (an ``IkiRealisation``). The
    evaluations app listens to open or resolve a coaching item (``evaluations.receivers``).
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

realisation_counted = Signal()


def send_after_commit(signal: Signal, sender: type, **arguments: object) -> None:
    """Send ``signal`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: signal.send(sender=sender, **arguments))
