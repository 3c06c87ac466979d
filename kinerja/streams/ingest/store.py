"""Storing a checked batch of events whole or not at all. The step under the operation
``services.events_ingest``, which checks who sends and has the cases follow; every door (the
HTTP API, ``kinerja events import``, the demo) goes through that operation."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from ..models import Stream
from .clean import BatchRefused, CleanEvent, FieldError
from .writers import writer_for


@dataclass(frozen=True)
class Stored:
    accepted: int
    duplicates: int
    inserted: int  # events new to the stream (accepted, less the duplicates)


def store(stream: Stream, events: list[CleanEvent]) -> Stored:
    """Store a validated batch whole or not at all; raises ``BatchRefused`` on conflicts: the
    same id as another event of the batch, or as a stored event, with other content.

    Only the events are written here; the cases follow (``catch_up``), and every reading of
    metrics catches up first, so the figures are always exact."""
    writer = writer_for(stream)
    with transaction.atomic():
        writer.lock()
        errors: list[FieldError] = []
        duplicates = 0
        first_seen: dict[str, CleanEvent] = {}
        fresh: list[CleanEvent] = []
        for e in events:  # the same id twice in one batch
            seen = first_seen.get(e.event_id)
            if seen is None:
                first_seen[e.event_id] = e
                fresh.append(e)
            elif seen.digest == e.digest:
                duplicates += 1
            else:
                errors.append(_conflict(e, f"the same id as event {seen.index} with other content"))
        if errors:
            raise BatchRefused(errors)
        inserted = writer.insert(fresh)
        already = [e for e in fresh if e.event_id not in inserted]
        if already:
            stored = writer.digests([e.event_id for e in already])
            for e in already:
                if stored.get(e.event_id) == e.digest:
                    duplicates += 1
                else:
                    errors.append(
                        _conflict(e, "an event with this id was stored with other content")
                    )
            if errors:
                raise BatchRefused(errors)
        if inserted:
            Stream.objects.filter(pk=stream.pk).update(last_event_pk=max(inserted.values()))
    return Stored(accepted=len(events), duplicates=duplicates, inserted=len(inserted))


def _conflict(event: CleanEvent, why: str) -> FieldError:
    return FieldError(event.index, "id", f"'{event.event_id[:60]}': {why}.")
