"""Sending events: the operation every door goes through — the HTTP API, ``kinerja events
import`` and the demo loader.

``by`` is whoever sends (``permissions`` says who may): through the API the request's token
(``request.auth``) — a service application's token sends to its own streams only, a personal
token to none; through a command ``self.by`` (the ``--as`` user or ``SYSTEM``); the demo
loader ``SYSTEM``.

Cost: the rights cost at most one query per token and request (the token's streams are read
once and kept on the token object), never one per event. No audit record is written: the
events themselves are the record (kept as received, never changed, with the moment they were
received), and appending to the hash-chained audit trail would make every batch of every
stream wait for one another.
"""

from __future__ import annotations

from django.db import transaction

from kinerja.accounts.models import ApiToken
from kinerja.core.actors import Actor

from .. import permissions, tasks
from ..ingest import CleanEvent, Stored, store
from ..models import Stream


@transaction.atomic
def events_ingest(
    *, stream: Stream, events: list[CleanEvent], by: Actor | ApiToken, follow: bool = True
) -> Stored:
    """Store a batch of checked events (``ingest.Validator.clean_all``) whole or not at all;
    raises ``PermissionDenied`` (with the reason) when ``by`` may not send to ``stream`` and
    ``ingest.BatchRefused`` for conflicting ids.

    The cases follow right after the commit, in the background (``tasks.catch_up_task``);
    every reading of metrics catches up first, so figures are always exact. A bulk import
    passes ``follow=False`` and catches up once at the end."""
    permissions.require_may_send(by, stream)
    stored = store(stream, events)
    if follow and stored.inserted:
        transaction.on_commit(lambda: tasks.catch_up_task.enqueue(stream.pk))
    return stored
