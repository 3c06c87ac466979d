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
from datetime import datetime
from zoneinfo import ZoneInfo

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kinerja.core.work_calendar import load_calendar
from kinerja.organizations.models import Unit

from .cases import EventFacts, StreamRule, derive_case
from .models import Case, CaseExclusion, Event, SlaUnit, Stream

MAX_EVENTS = 5000
MAX_BYTES = 5 * 1024 * 1024
MAX_ID = 128
MAX_ATTRIBUTES = 4096
RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$"
)
NIP_DIGITS = re.compile(r"^\d{18}$")
CHUNK = 500  # rows per statement: well under SQLite's limit on parameters


@dataclass(frozen=True)
class FieldError:
    index: int | None
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"index": self.index, "field": self.field, "message": self.message}


@dataclass(frozen=True)
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
    try:
        return datetime.fromisoformat(
            f"{match[1]}-{match[2]}-{match[3]}T{match[4]}:{match[5]}:{match[6]}{fraction}{offset}"
        )
    except ValueError:
        return None


def _text(value, field: str, index: int, errors: list[FieldError]) -> str | None:
    if not isinstance(value, str):
        errors.append(FieldError(index, field, f"'{field}' must be a string."))
        return None
    if not 1 <= len(value) <= MAX_ID:
        errors.append(FieldError(index, field, f"'{field}' must have 1–{MAX_ID} characters."))
        return None
    return value


def _digest(event_id, case_key, stage, at: datetime, unit_code, officer, attributes) -> str:
    canonical = orjson.dumps(
        [
            event_id,
            case_key,
            stage,
            at.astimezone(ZoneInfo("UTC")).isoformat(timespec="microseconds"),
            unit_code,
            officer or None,
            attributes,
        ],
        option=orjson.OPT_SORT_KEYS,
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
        if not isinstance(raw, dict):
            errors.append(FieldError(index, "", "Each event must be a JSON object."))
            return None
        before = len(errors)
        event_id = _text(raw.get("id"), "id", index, errors)
        case_key = _text(raw.get("case"), "case", index, errors)
        stage = raw.get("stage")
        if not isinstance(stage, str) or stage not in self.stages:
            shown = stage if isinstance(stage, str) else type(stage).__name__
            errors.append(
                FieldError(
                    index,
                    "stage",
                    f"'{str(shown)[:40]}' is not a stage of stream {self.stream.code} "
                    f"({', '.join(self.stream.stages)}).",
                )
            )
        at_raw = raw.get("at")
        at = parse_time(at_raw) if isinstance(at_raw, str) else None
        if at is None:
            if isinstance(at_raw, str) and parse_time_without_offset(at_raw):
                message = "'at' has no offset; write e.g. 2026-01-05T08:15:00+07:00 or …Z."
            else:
                message = (
                    "'at' must be an RFC 3339 time with an offset, e.g. 2026-01-05T08:15:00+07:00."
                )
            errors.append(FieldError(index, "at", message))
        unit_code = raw.get("unit")
        unit_id = None
        if unit_code is not None:
            if not isinstance(unit_code, str):
                errors.append(FieldError(index, "unit", "'unit' must be a unit code (a string)."))
            else:
                unit_code = unit_code.strip().upper()
                unit_id = self.units.get(unit_code)
                if unit_id is None:
                    errors.append(
                        FieldError(index, "unit", f"Unknown unit code '{unit_code[:40]}'.")
                    )
        officer = raw.get("officer")
        if officer is not None and (not isinstance(officer, str) or not NIP_DIGITS.match(officer)):
            errors.append(FieldError(index, "officer", "'officer' must be an 18-digit NIP."))
        attributes = raw.get("attributes")
        if attributes is not None:
            if not isinstance(attributes, dict):
                errors.append(
                    FieldError(index, "attributes", "'attributes' must be a JSON object.")
                )
            elif len(orjson.dumps(attributes)) > MAX_ATTRIBUTES:
                errors.append(FieldError(index, "attributes", "'attributes' is larger than 4 KiB."))
        if len(errors) > before:
            return None
        return CleanEvent(
            index=index,
            event_id=event_id,
            case_key=case_key,
            stage=stage,
            at=at,
            unit_id=unit_id,
            unit_code=unit_code,
            officer=officer or "",
            attributes=attributes,
            digest=_digest(event_id, case_key, stage, at, unit_code, officer, attributes),
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


def _existing_digests(stream: Stream, ids: Iterable[str]) -> dict[str, str]:
    ids = list(ids)
    found: dict[str, str] = {}
    for start in range(0, len(ids), CHUNK):
        found.update(
            Event.objects.filter(
                stream=stream, event_id__in=ids[start : start + CHUNK]
            ).values_list("event_id", "digest")
        )
    return found


def _insert_returning(stream: Stream, events: list[CleanEvent], received_at: datetime) -> set[str]:
    """Insert, skipping ids another writer stored meanwhile; the ids actually inserted."""
    table = Event._meta.db_table
    attributes_field = Event._meta.get_field("attributes")
    ops = connection.ops
    columns = (
        "stream_id, event_id, case_key, stage, at, unit_id, officer, attributes, digest, "
        "received_at"
    )
    received = ops.adapt_datetimefield_value(received_at)
    inserted: set[str] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(events), CHUNK):
            chunk = events[start : start + CHUNK]
            params: list[object] = []
            for e in chunk:
                params += [
                    stream.pk,
                    e.event_id,
                    e.case_key,
                    e.stage,
                    ops.adapt_datetimefield_value(e.at),
                    e.unit_id,
                    e.officer,
                    attributes_field.get_db_prep_save(e.attributes, connection),
                    e.digest,
                    received,
                ]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608 - fixed names
                "ON CONFLICT (stream_id, event_id) DO NOTHING RETURNING event_id",
                params,
            )
            inserted.update(row[0] for row in cursor.fetchall())
    return inserted


def store(stream: Stream, events: list[CleanEvent]) -> Stored:
    """Store a validated batch whole or not at all; raises ``BatchRefused`` on conflicts."""
    received_at = timezone.now()
    with transaction.atomic():
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
        stored = _existing_digests(stream, first_seen)
        new = []
        for e in fresh:
            digest = stored.get(e.event_id)
            if digest is None:
                new.append(e)
            elif digest == e.digest:
                duplicates += 1
            else:
                errors.append(_conflict(e, "an event with this id was stored with other content"))
        if errors:
            raise BatchRefused(errors)
        inserted = _insert_returning(stream, new, received_at)
        raced = [e for e in new if e.event_id not in inserted]
        if raced:  # another sender stored some of these ids between our look and our insert
            now_stored = _existing_digests(stream, (e.event_id for e in raced))
            for e in raced:
                if now_stored.get(e.event_id) == e.digest:
                    duplicates += 1
                else:
                    errors.append(
                        _conflict(e, "an event with this id was stored with other content")
                    )
            if errors:
                raise BatchRefused(errors)
        touched = {e.case_key for e in new if e.event_id in inserted}
        cases = recompute_cases(stream, touched)
    return Stored(accepted=len(events), duplicates=duplicates, cases=cases)


def _conflict(event: CleanEvent, why: str) -> FieldError:
    return FieldError(event.index, "id", f"'{event.event_id[:60]}': {why}.")


# --- Cases ---------------------------------------------------------------------------------------


def stream_rule(stream: Stream) -> StreamRule:
    return StreamRule(
        start_stage=stream.start_stage,
        end_stage=stream.end_stage,
        sla_limit_ms=stream.sla_limit_ms,
        working_time=stream.sla_unit == SlaUnit.WORKING_HOURS,
    )


CASE_FIELDS = [
    "unit", "officer", "started_at", "started_on", "completed_at", "completed_on",
    "duration_ms", "sla_ms", "within_sla", "inconsistent", "events",
]  # fmt: skip


def recompute_cases(stream: Stream, case_keys: Iterable[str], *, calendar=None) -> int:
    """Derive the given cases again from all their events and store them (upsert)."""
    keys = list(case_keys)
    if not keys:
        return 0
    rule = stream_rule(stream)
    calendar = calendar or load_calendar()
    zone = ZoneInfo(settings.TIME_ZONE)
    excluded = set()
    by_case: dict[str, list[EventFacts]] = defaultdict(list)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        rows = Event.objects.filter(stream=stream, case_key__in=chunk).values_list(
            "case_key", "event_id", "stage", "at", "unit_id", "officer"
        )
        for case_key, event_id, stage, at, unit_id, officer in rows:
            by_case[case_key].append(EventFacts(event_id, stage, at, unit_id, officer))
        excluded.update(
            CaseExclusion.objects.filter(
                stream=stream, case_key__in=chunk, ended_at=None
            ).values_list("case_key", flat=True)
        )
    cases = []
    for key, facts in by_case.items():
        derived = derive_case(facts, rule, calendar, zone)
        cases.append(
            Case(
                stream=stream,
                case_key=key,
                unit_id=derived.unit_id,
                officer=derived.officer,
                started_at=derived.started_at,
                started_on=derived.started_on,
                completed_at=derived.completed_at,
                completed_on=derived.completed_on,
                duration_ms=derived.duration_ms,
                sla_ms=derived.sla_ms,
                within_sla=derived.within_sla,
                inconsistent=derived.inconsistent,
                excluded=key in excluded,
                events=derived.events,
            )
        )
    Case.objects.bulk_create(
        cases,
        batch_size=CHUNK,
        update_conflicts=True,
        unique_fields=["stream", "case_key"],
        update_fields=CASE_FIELDS,
    )
    return len(cases)


def recompute_stream(stream: Stream, *, batch: int = 5000) -> int:
    """Every case of a stream again (after its SLA or the working calendar changed)."""
    calendar = load_calendar()
    keys = list(
        Case.objects.filter(stream=stream).values_list("case_key", flat=True).order_by("case_key")
    )
    done = 0
    for start in range(0, len(keys), batch):
        with transaction.atomic():
            done += recompute_cases(stream, keys[start : start + batch], calendar=calendar)
    return done
