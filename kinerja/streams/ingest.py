"""Taking in events: validate every event of a batch, then store the batch whole or not at all,
and bring the cases it touches up to date in the same transaction.

The rules are the contract's (service-data-api.md, "Sending events"): ids are the idempotency
key (the same id with the same content is a harmless duplicate; with different content, an
error for that event), times carry an explicit offset, units are known codes, officers are
18-digit NIPs, attributes are a JSON object of at most 4 KiB. Every error names the event's
index and field; one error stores nothing.

Used by the HTTP endpoint, ``kinerja events import`` and the demo, so all three apply exactly
the same rules.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kinerja.core.work_calendar import load_calendar
from kinerja.organizations.models import Unit

from .cases import CaseState, EventFacts, StreamRule, figures, fold
from .models import Case, CaseExclusion, Event, SlaUnit, Stream

MAX_EVENTS = 5000
MAX_BYTES = 5 * 1024 * 1024
MAX_ID = 128
MAX_ATTRIBUTES = 4096
# ASCII digits only ([0-9], not \d) and \Z (not $, which also matches before a final newline).
RFC3339 = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})\Z"
)
NIP_DIGITS = re.compile(r"^[0-9]{18}\Z")
#: Service events happen between these years; anything else is a typing error (and years
#: near 1 or 9999 cannot even be converted to UTC).
EARLIEST_YEAR, LATEST_YEAR = 1970, 2999
#: How deep attributes may nest (orjson itself stops at 255).
MAX_DEPTH = 200
CHUNK = 500  # rows per statement: well under SQLite's limit on parameters


@dataclass(frozen=True)
class FieldError:
    index: int | None
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"index": self.index, "field": self.field, "message": self.message}


@dataclass(slots=True)
class CleanEvent:
    index: int
    event_id: str
    case_key: str
    stage: str
    at: datetime
    unit_id: int | None
    unit_code: str | None
    officer: str
    attributes: dict | None
    attributes_json: bytes | None  # canonical (sorted keys): stored and hashed as is
    digest: str


class BatchRefused(Exception):
    """The batch stores nothing; ``errors`` says why, event by event."""

    def __init__(self, errors: list[FieldError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass(frozen=True)
class Stored:
    accepted: int
    duplicates: int
    cases: int  # cases brought up to date


# --- Validation ------------------------------------------------------------------------------


def parse_time(text: str) -> datetime | None:
    """An RFC 3339 time with an explicit offset; ``None`` if it is not one."""
    match = RFC3339.match(text)
    if not match:
        return None
    fraction = (match[7] or "")[:7]  # a dot and at most six digits: microseconds
    offset = "+00:00" if match[8] in "Zz" else match[8]
    if not EARLIEST_YEAR <= int(match[1]) <= LATEST_YEAR:
        return None
    try:
        return datetime.fromisoformat(
            f"{match[1]}-{match[2]}-{match[3]}T{match[4]}:{match[5]}:{match[6]}{fraction}{offset}"
        )
    except ValueError:
        return None


def _depth(value, limit: int) -> bool:
    """Whether ``value`` nests deeper than ``limit`` (iteratively: no recursion limit)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def _text_error(value, field: str, index: int) -> FieldError:
    if not isinstance(value, str):
        return FieldError(index, field, f"'{field}' must be a string.")
    if "\x00" in value:
        return FieldError(index, field, f"'{field}' must not contain the NUL character.")
    return FieldError(index, field, f"'{field}' must have 1–{MAX_ID} characters.")


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def _digest(event_id, case_key, stage, at: datetime, unit_code, officer, attributes_json) -> str:
    """A fingerprint of an event's content: the same instant written with another offset is
    the same content."""
    micros = (at - EPOCH) // MICROSECOND
    canonical = (
        "\x1f".join(
            (event_id, case_key, stage, str(micros), unit_code or "", officer or "")
        ).encode()
        + b"\x1f"
        + (attributes_json or b"null")
    )
    return hashlib.sha256(canonical).hexdigest()[:32]


class Validator:
    """Checks raw events (already parsed JSON values) of one stream."""

    def __init__(self, stream: Stream):
        self.stream = stream
        self.stages = set(stream.stages)
        self._units: dict[str, int] | None = None

    @property
    def units(self) -> dict[str, int]:
        if self._units is None:
            self._units = {code.upper(): pk for pk, code in Unit.objects.values_list("pk", "code")}
        return self._units

    def clean(self, raw: object, index: int, errors: list[FieldError]) -> CleanEvent | None:
        """One event: ``None`` (with its errors appended) when anything is wrong. Written for
        speed — it runs for every event of every batch."""
        if type(raw) is not dict:
            errors.append(FieldError(index, "", "Each event must be a JSON object."))
            return None
        failed = False
        event_id = raw.get("id")
        if type(event_id) is not str or not 0 < len(event_id) <= MAX_ID or "\x00" in event_id:
            errors.append(_text_error(event_id, "id", index))
            failed = True
        case_key = raw.get("case")
        if type(case_key) is not str or not 0 < len(case_key) <= MAX_ID or "\x00" in case_key:
            errors.append(_text_error(case_key, "case", index))
            failed = True
        stage = raw.get("stage")
        if type(stage) is not str or stage not in self.stages:
            shown = stage if isinstance(stage, str) else type(stage).__name__
            errors.append(
                FieldError(
                    index,
                    "stage",
                    f"'{str(shown)[:40]}' is not a stage of stream {self.stream.code} "
                    f"({', '.join(self.stream.stages)}).",
                )
            )
            failed = True
        at_raw = raw.get("at")
        at = parse_time(at_raw) if type(at_raw) is str else None
        if at is None:
            if isinstance(at_raw, str) and parse_time_without_offset(at_raw):
                message = "'at' has no offset; write e.g. 2026-01-05T08:15:00+07:00 or …Z."
            else:
                message = (
                    "'at' must be an RFC 3339 time with an offset between the years "
                    f"{EARLIEST_YEAR} and {LATEST_YEAR}, e.g. 2026-01-05T08:15:00+07:00."
                )
            errors.append(FieldError(index, "at", message))
            failed = True
        unit_code = raw.get("unit")
        unit_id = None
        if unit_code is not None:
            if type(unit_code) is not str:
                errors.append(FieldError(index, "unit", "'unit' must be a unit code (a string)."))
                failed = True
            else:
                unit_code = unit_code.strip().upper()
                unit_id = self.units.get(unit_code)
                if unit_id is None:
                    errors.append(
                        FieldError(index, "unit", f"Unknown unit code '{unit_code[:40]}'.")
                    )
                    failed = True
        officer = raw.get("officer")
        if officer is not None and (type(officer) is not str or not NIP_DIGITS.match(officer)):
            errors.append(FieldError(index, "officer", "'officer' must be an 18-digit NIP."))
            failed = True
        attributes = raw.get("attributes")
        attributes_json = None
        if attributes is not None:
            if type(attributes) is not dict:
                errors.append(
                    FieldError(index, "attributes", "'attributes' must be a JSON object.")
                )
                failed = True
            elif _depth(attributes, MAX_DEPTH):
                errors.append(
                    FieldError(
                        index, "attributes", f"'attributes' nests deeper than {MAX_DEPTH} levels."
                    )
                )
                failed = True
            else:
                attributes_json = orjson.dumps(attributes, option=orjson.OPT_SORT_KEYS)
                if len(attributes_json) > MAX_ATTRIBUTES:
                    errors.append(
                        FieldError(index, "attributes", "'attributes' is larger than 4 KiB.")
                    )
                    failed = True
                elif b"\\u0000" in attributes_json:
                    errors.append(
                        FieldError(
                            index, "attributes", "'attributes' must not contain the NUL character."
                        )
                    )
                    failed = True
        if failed:
            return None
        return CleanEvent(
            index,
            event_id,
            case_key,
            stage,
            at,
            unit_id,
            unit_code,
            officer or "",
            attributes,
            attributes_json,
            _digest(event_id, case_key, stage, at, unit_code, officer, attributes_json),
        )

    def clean_all(self, raws: Sequence[object], *, first_index: int = 0) -> list[CleanEvent]:
        """Every event checked; raises ``BatchRefused`` with every error found."""
        errors: list[FieldError] = []
        cleaned = []
        for offset, raw in enumerate(raws):
            event = self.clean(raw, first_index + offset, errors)
            if event is not None:
                cleaned.append(event)
        if errors:
            raise BatchRefused(errors)
        return cleaned


def parse_time_without_offset(text: str) -> bool:
    return bool(re.match(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", text))


# --- Storing -----------------------------------------------------------------------------------
#
# Two ways to the same result: PostgreSQL takes each step as one statement with array
# parameters (fixed SQL text, so nothing is re-parsed per batch); any other database uses
# Django's bulk operations. Within a stream, batches are stored one after the other (an
# advisory lock on PostgreSQL; SQLite's single writer), so that merging a batch into the
# stored cases never loses another batch's events.


def store(stream: Stream, events: list[CleanEvent], *, follow: bool = True) -> Stored:
    """Store a validated batch whole or not at all; raises ``BatchRefused`` on conflicts.

    Only the events are written here; the cases follow right after the commit (``catch_up``),
    and every reading of metrics catches up first, so the figures are always exact. A bulk
    import passes ``follow=False`` and catches up once at the end."""
    writer = _writer(stream)
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
            if follow:
                transaction.on_commit(lambda: schedule_catch_up(stream))
    return Stored(accepted=len(events), duplicates=duplicates, cases=0)


def _conflict(event: CleanEvent, why: str) -> FieldError:
    return FieldError(event.index, "id", f"'{event.event_id[:60]}': {why}.")


LOCK_CLASS = 7_402_117  # the first key of the advisory lock; the second is the stream's id


class _GenericWriter:
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

    def case_rows(self, keys: list[str]) -> dict[str, dict]:
        rows: dict[str, dict] = {}
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


def _binary_cursor():
    """A server-side-binding cursor with binary parameters: Django's default cursor formats
    parameters into the SQL text, which for arrays of a thousand ids costs tens of
    milliseconds; binary arrays cost almost nothing."""
    import psycopg

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


class _PostgresWriter(_GenericWriter):
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

    def case_rows(self, keys: list[str]) -> dict[str, dict]:
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


# --- Cases ---------------------------------------------------------------------------------------


def stream_rule(stream: Stream) -> StreamRule:
    return StreamRule(
        start_stage=stream.start_stage,
        end_stage=stream.end_stage,
        sla_limit_ms=stream.sla_limit_ms,
        working_time=stream.sla_unit == SlaUnit.WORKING_HOURS,
    )


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


def _state_of(row: dict | None) -> CaseState:
    if row is None:
        return CaseState()
    return CaseState(
        started_at=row["started_at"],
        completed_at=row["completed_at"],
        unit_id=row["unit_id"],
        unit_event=(row["unit_event_at"], row["unit_event_id"]) if row["unit_event_at"] else None,
        officer=row["officer"],
        officer_event=(
            (row["officer_event_at"], row["officer_event_id"]) if row["officer_event_at"] else None
        ),
        events=row["events"],
    )


def _case(stream: Stream, key: str, state: CaseState, derived, excluded: bool) -> Case:
    return Case(
        stream=stream,
        case_key=key,
        unit_id=state.unit_id,
        unit_event_at=state.unit_event[0] if state.unit_event else None,
        unit_event_id=state.unit_event[1] if state.unit_event else "",
        officer=state.officer,
        officer_event_at=state.officer_event[0] if state.officer_event else None,
        officer_event_id=state.officer_event[1] if state.officer_event else "",
        started_at=state.started_at,
        started_on=derived.started_on,
        completed_at=state.completed_at,
        completed_on=derived.completed_on,
        duration_ms=derived.duration_ms,
        sla_ms=derived.sla_ms,
        within_sla=derived.within_sla,
        inconsistent=derived.inconsistent,
        excluded=excluded,
        events=state.events,
    )


def _writer(stream: Stream) -> _GenericWriter:
    return _PostgresWriter(stream) if connection.vendor == "postgresql" else _GenericWriter(stream)


def merge_into_cases(
    stream: Stream, events: Iterable[tuple[str, EventFacts]], *, writer=None, calendar=None
) -> int:
    """Merge events (case key, facts) into their cases' stored state; the result does not
    depend on the order or the grouping of the events."""
    by_case: dict[str, list[EventFacts]] = defaultdict(list)
    for case_key, facts in events:
        by_case[case_key].append(facts)
    if not by_case:
        return 0
    writer = writer or _writer(stream)
    rule = stream_rule(stream)
    calendar = calendar or load_calendar()
    zone = ZoneInfo(settings.TIME_ZONE)
    keys = list(by_case)
    stored = writer.case_rows(keys)
    excluded = writer.excluded(keys)
    cases = []
    for key, facts in by_case.items():
        state = fold(facts, rule, _state_of(stored.get(key)))
        cases.append(
            _case(stream, key, state, figures(state, rule, calendar, zone), key in excluded)
        )
    writer.upsert(cases)
    return len(cases)


def rederive_stream(stream: Stream, *, batch: int = 5000) -> int:
    """Derive every case's figures again from its stored state — after the stream's SLA or the
    working calendar changed (the events themselves are not read)."""
    rule = stream_rule(stream)
    calendar = load_calendar()
    zone = ZoneInfo(settings.TIME_ZONE)
    done = 0
    last_id = 0
    while True:
        with transaction.atomic():
            rows = list(
                Case.objects.filter(stream=stream, pk__gt=last_id)
                .order_by("pk")
                .values("pk", "excluded", *STATE_FIELDS)[:batch]
            )
            if not rows:
                return done
            cases = []
            for row in rows:
                state = _state_of(row)
                derived = figures(state, rule, calendar, zone)
                cases.append(_case(stream, row["case_key"], state, derived, row["excluded"]))
            Case.objects.bulk_create(
                cases,
                batch_size=CHUNK,
                update_conflicts=True,
                unique_fields=["stream", "case_key"],
                update_fields=CASE_FIELDS,
            )
            done += len(rows)
            last_id = rows[-1]["pk"]


CATCH_UP_BATCH = 50_000


def schedule_catch_up(stream: Stream) -> None:
    """Bring the stream's cases up to date in the background (inline in the embedded set-up)."""
    from .tasks import catch_up_task

    catch_up_task.enqueue(stream.pk)


def catch_up(stream: Stream, *, batch: int = CATCH_UP_BATCH) -> int:
    """Merge every stored event not yet in the cases into them; returns how many events.

    Catch-ups of one stream run one at a time (an advisory lock on PostgreSQL, SQLite's single
    writer); events are merged in the order they were stored, in batches, each batch with the
    watermark in the same transaction, so an interrupted catch-up simply resumes."""
    # Nothing to merge (the common case when metrics are read): one plain query, no lock and no
    # transaction. Watermarks only grow, and every stored batch's mark is committed before
    # its answer, so a read that finds them equal has nothing to wait for.
    marks = Stream.objects.filter(pk=stream.pk).values_list("cases_through_pk", "last_event_pk")
    through, last = marks.first() or (0, 0)
    if through >= last:
        return 0
    done = 0
    calendar = None
    while True:
        with transaction.atomic():
            _lock_catch_up(stream)
            # Read the stream again under the lock: its definition (stages, SLA) may have
            # changed while this catch-up waited.
            stream = Stream.objects.select_related("agency").get(pk=stream.pk)
            through, last = stream.cases_through_pk, stream.last_event_pk
            if through >= last:
                return done
            rows = list(
                Event.objects.filter(stream=stream, pk__gt=through, pk__lte=last)
                .order_by("pk")
                .values_list("pk", "case_key", "event_id", "stage", "at", "unit_id", "officer")[
                    :batch
                ]
            )
            if not rows:
                Stream.objects.filter(pk=stream.pk).update(cases_through_pk=last)
                return done
            calendar = calendar or load_calendar()
            merge_into_cases(
                stream,
                ((r[1], EventFacts(r[2], r[3], r[4], r[5], r[6])) for r in rows),
                calendar=calendar,
            )
            Stream.objects.filter(pk=stream.pk).update(cases_through_pk=rows[-1][0])
            done += len(rows)


def _lock_catch_up(stream: Stream) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS + 1, stream.pk])


@transaction.atomic
def rebuild_cases(stream: Stream, case_keys: Iterable[str]) -> int:
    """Derive the given cases from all their events again (after an exclusion or a repair).

    One transaction, holding the catch-up lock: nobody sees the cases missing half-way."""
    keys = list(case_keys)
    _lock_catch_up(stream)
    stream = Stream.objects.get(pk=stream.pk)  # the watermark as stored now
    facts: list[tuple[str, EventFacts]] = []
    for start in range(0, len(keys), CHUNK):
        rows = Event.objects.filter(
            stream=stream, case_key__in=keys[start : start + CHUNK], pk__lte=stream.cases_through_pk
        )
        for r in rows.values_list("case_key", "event_id", "stage", "at", "unit_id", "officer"):
            facts.append((r[0], EventFacts(*r[1:])))
        Case.objects.filter(stream=stream, case_key__in=keys[start : start + CHUNK]).delete()
    return merge_into_cases(stream, facts)
