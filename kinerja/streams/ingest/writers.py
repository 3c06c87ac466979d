"""Writing events and cases: two ways to the same result. PostgreSQL takes each step as one
statement with array parameters (fixed SQL text, so nothing is re-parsed per batch; ``COPY``
for the events); any other database uses Django's bulk operations.

Within a stream, batches are stored one after the other (an advisory lock on PostgreSQL;
SQLite's single writer), so that merging a batch into the stored cases never loses another
batch's events.
"""

from __future__ import annotations

from typing import Any

import psycopg
from django.db import connection
from django.utils import timezone

from ..models import Case, CaseExclusion, Event, Stream
from .clean import CleanEvent

CHUNK = 500  # rows per statement: well under SQLite's limit on parameters

# The columns of a case: what merging reads back, and what it writes.
STATE_FIELDS = [
    "case_key", "started_at", "completed_at", "unit_id", "unit_event_at", "unit_event_id",
    "officer", "officer_event_at", "officer_event_id", "events",
]  # fmt: skip
CASE_FIELDS = [
    "unit", "unit_event_at", "unit_event_id", "officer", "officer_event_at",
    "officer_event_id", "started_at", "started_on", "completed_at", "completed_on",
    "duration_ms", "sla_ms", "within_sla", "inconsistent", "events",
]  # fmt: skip
CASE_ATTRS = ["unit_id", *CASE_FIELDS[1:]]
CASE_FIELDS_SQL = ["unit_id", *CASE_FIELDS[1:]]
CASE_TYPES = [
    "bigint", "timestamptz", "text", "text", "timestamptz", "text", "timestamptz", "date",
    "timestamptz", "date", "bigint", "bigint", "boolean", "boolean", "integer",
]  # fmt: skip


LOCK_CLASS = 7_402_117  # the first key of the advisory lock; the second is the stream's id


class GenericWriter:
    """Any database, with Django's bulk operations."""

    def __init__(self, stream: Stream):
        self.stream = stream

    def lock(self) -> None:
        """SQLite takes its write lock at BEGIN (transaction_mode IMMEDIATE)."""

    def digests(self, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(ids), CHUNK):
            found.update(
                Event.objects.filter(
                    stream=self.stream, event_id__in=ids[start : start + CHUNK]
                ).values_list("event_id", "digest")
            )
        return found

    def insert(self, events: list[CleanEvent]) -> dict[str, int]:
        """The ids actually inserted (those not stored before), with their row keys."""
        stored = self.digests([e.event_id for e in events])
        new = [e for e in events if e.event_id not in stored]
        now = timezone.now()
        created = Event.objects.bulk_create(
            [
                Event(
                    stream=self.stream,
                    event_id=e.event_id,
                    case_key=e.case_key,
                    stage=e.stage,
                    at=e.at,
                    unit_id=e.unit_id,
                    officer=e.officer,
                    attributes=e.attributes,
                    digest=e.digest,
                    received_at=now,
                )
                for e in new
            ],
            batch_size=CHUNK,
        )
        return {event.event_id: event.pk for event in created}

    def case_rows(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        for start in range(0, len(keys), CHUNK):
            for row in Case.objects.filter(
                stream=self.stream, case_key__in=keys[start : start + CHUNK]
            ).values(*STATE_FIELDS):
                rows[row["case_key"]] = row
        return rows

    def excluded(self, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), CHUNK):
            found.update(
                CaseExclusion.objects.filter(
                    stream=self.stream, case_key__in=keys[start : start + CHUNK], ended_at=None
                ).values_list("case_key", flat=True)
            )
        return found

    def upsert(self, cases: list[Case]) -> None:
        Case.objects.bulk_create(
            cases,
            batch_size=CHUNK,
            update_conflicts=True,
            unique_fields=["stream", "case_key"],
            update_fields=CASE_FIELDS,
        )


def _binary_cursor() -> psycopg.Cursor:
    """A server-side-binding cursor with binary parameters: Django's default cursor formats
    parameters into the SQL text, which for arrays of a thousand ids costs tens of
    milliseconds; binary arrays cost almost nothing."""
    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


class PostgresWriter(GenericWriter):
    """PostgreSQL: ``COPY``, arrays and ``ON CONFLICT``, one statement a step."""

    def lock(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, self.stream.pk])

    def digests(self, ids: list[str]) -> dict[str, str]:
        with _binary_cursor() as cursor:
            cursor.execute(
                "SELECT event_id, digest FROM streams_event "
                "WHERE stream_id = %s AND event_id = ANY(%s)",
                [self.stream.pk, ids],
                binary=True,
            )
            return dict(cursor.fetchall())

    def insert(self, events: list[CleanEvent]) -> dict[str, int]:
        """COPY into a session-local staging table — the database's own bulk load — then one
        INSERT … SELECT … ON CONFLICT DO NOTHING: the unique index itself finds the ids
        stored before, and the statement returns the ids inserted with their keys."""
        if not events:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS kinerja_incoming (event_id text, "
                "case_key text, stage text, at timestamptz, unit_id bigint, officer text, "
                "attributes jsonb, digest text) ON COMMIT DELETE ROWS"
            )
            # Empty it first: an earlier batch of this transaction (another stream, perhaps)
            # may still be staged, since ON COMMIT DELETE ROWS only empties it at the end.
            cursor.execute("TRUNCATE kinerja_incoming")
            with cursor.cursor.copy(
                "COPY kinerja_incoming (event_id, case_key, stage, at, unit_id, officer, "
                "attributes, digest) FROM STDIN"
            ) as copy:
                for e in events:
                    copy.write_row(
                        (
                            e.event_id,
                            e.case_key,
                            e.stage,
                            e.at,
                            e.unit_id,
                            e.officer,
                            None if e.attributes_json is None else e.attributes_json.decode(),
                            e.digest,
                        )
                    )
            cursor.execute(
                "INSERT INTO streams_event (stream_id, event_id, case_key, stage, at, unit_id, "
                "officer, attributes, digest, received_at) "
                "SELECT %s, i.*, now() FROM kinerja_incoming i "
                "ON CONFLICT (stream_id, event_id) DO NOTHING RETURNING event_id, id",
                [self.stream.pk],
            )
            return dict(cursor.fetchall())

    def case_rows(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        names = ", ".join(STATE_FIELDS)
        with _binary_cursor() as cursor:
            cursor.execute(
                f"SELECT {names} FROM streams_case "  # noqa: S608 - fixed column names
                "WHERE stream_id = %s AND case_key = ANY(%s)",
                [self.stream.pk, keys],
                binary=True,
            )
            return {row[0]: dict(zip(STATE_FIELDS, row, strict=True)) for row in cursor.fetchall()}

    def excluded(self, keys: list[str]) -> set[str]:
        with _binary_cursor() as cursor:
            cursor.execute(
                "SELECT case_key FROM streams_caseexclusion WHERE stream_id = %s "
                "AND case_key = ANY(%s) AND ended_at IS NULL",
                [self.stream.pk, keys],
                binary=True,
            )
            return {row[0] for row in cursor.fetchall()}

    def upsert(self, cases: list[Case]) -> None:
        if not cases:
            return
        # ``excluded`` is set when a case is first stored and kept afterwards: exclusions
        # change it through their own operation.
        fields = ["case_key", "excluded", *CASE_FIELDS_SQL]
        types = ["text", "boolean", *CASE_TYPES]
        columns = [[getattr(c, f) for c in cases] for f in ["case_key", "excluded", *CASE_ATTRS]]
        unnest = ", ".join(f"%s::{t}[]" for t in types)
        updates = ", ".join(f"{f} = EXCLUDED.{f}" for f in CASE_FIELDS_SQL)
        with _binary_cursor() as cursor:
            cursor.execute(
                f"INSERT INTO streams_case (stream_id, {', '.join(fields)}) "  # noqa: S608
                f"SELECT %s, e.* FROM unnest({unnest}) AS e({', '.join(fields)}) "
                f"ON CONFLICT (stream_id, case_key) DO UPDATE SET {updates}",
                [self.stream.pk, *columns],
                binary=True,
            )


def writer_for(stream: Stream) -> GenericWriter:
    return PostgresWriter(stream) if connection.vendor == "postgresql" else GenericWriter(stream)
