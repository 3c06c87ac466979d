"""Signals of the service-data app for the apps above it, which streams may not import
(architecture.md, layers); sent after the transaction that caused them has committed.

``breach_changed``
    An alert breach opened or ended (``alerts.evaluate_alerts``). Arguments: ``breach`` (an
    ``AlertBreach``; ``ended_at`` tells which). The evaluations app listens to open a coaching
    item for the rater of the unit's head, or to resolve it (``evaluations.receivers``).
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

breach_changed = Signal()


def send_after_commit(signal: Signal, sender: type, **arguments: object) -> None:
    """Send ``signal`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: signal.send(sender=sender, **arguments))
