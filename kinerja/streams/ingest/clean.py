"""Checking events: every event of a batch against the contract's rules, with an error naming
the event's index and field for each thing wrong (service-data-api.md, "Sending events"): ids
and cases are 1–128 characters, the stage is one of the stream's, times carry an explicit
offset, units are known codes, officers are 18-digit NIPs, attributes are a JSON object of at
most 4 KiB. ``Validator.clean_all`` raises ``BatchRefused`` with every error found; one error
refuses the whole batch.

Written for speed: it runs for every event of every batch.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import orjson

from kinerja.organizations.models import Unit

from ..models import Stream

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


@dataclass(frozen=True)
class FieldError:
    index: int | None
    field: str
    message: str

    def as_dict(self) -> dict[str, int | str | None]:
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
    attributes: dict[str, Any] | None
    attributes_json: bytes | None  # canonical (sorted keys): stored and hashed as is
    digest: str


class BatchRefused(Exception):
    """The batch stores nothing; ``errors`` says why, event by event."""

    def __init__(self, errors: list[FieldError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


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


def _depth(value: object, limit: int) -> bool:
    """Whether ``value`` nests deeper than ``limit`` (iteratively: no recursion limit)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def _text_error(value: object, field: str, index: int) -> FieldError:
    if not isinstance(value, str):
        return FieldError(index, field, f"'{field}' must be a string.")
    if "\x00" in value:
        return FieldError(index, field, f"'{field}' must not contain the NUL character.")
    return FieldError(index, field, f"'{field}' must have 1–{MAX_ID} characters.")


def _time_error(at_raw: object, index: int) -> FieldError:
    if isinstance(at_raw, str) and parse_time_without_offset(at_raw):
        message = "'at' has no offset; write e.g. 2026-01-05T08:15:00+07:00 or …Z."
    else:
        message = (
            "'at' must be an RFC 3339 time with an offset between the years "
            f"{EARLIEST_YEAR} and {LATEST_YEAR}, e.g. 2026-01-05T08:15:00+07:00."
        )
    return FieldError(index, "at", message)


def _attributes_json(attributes: object, index: int, errors: list[FieldError]) -> bytes | None:
    """The attributes as canonical JSON (sorted keys), or ``None`` after an error."""
    if type(attributes) is not dict:
        errors.append(FieldError(index, "attributes", "'attributes' must be a JSON object."))
        return None
    if _depth(attributes, MAX_DEPTH):
        errors.append(
            FieldError(index, "attributes", f"'attributes' nests deeper than {MAX_DEPTH} levels.")
        )
        return None
    attributes_json = orjson.dumps(attributes, option=orjson.OPT_SORT_KEYS)
    if len(attributes_json) > MAX_ATTRIBUTES:
        errors.append(FieldError(index, "attributes", "'attributes' is larger than 4 KiB."))
        return None
    if b"\\u0000" in attributes_json:
        errors.append(
            FieldError(index, "attributes", "'attributes' must not contain the NUL character.")
        )
        return None
    return attributes_json


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def _digest(
    event_id: str,
    case_key: str,
    stage: str,
    at: datetime,
    unit_code: str | None,
    officer: str | None,
    attributes_json: bytes | None,
) -> str:
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

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self.stages = set(stream.stages)
        self._units: dict[str, int] | None = None

    @property
    def units(self) -> dict[str, int]:
        if self._units is None:
            self._units = {code.upper(): pk for pk, code in Unit.objects.values_list("pk", "code")}
        return self._units

    def clean(self, raw: object, index: int, errors: list[FieldError]) -> CleanEvent | None:
        """One event: ``None`` (with its errors appended) when anything is wrong. The usual
        checks are inline; building an error, a unit and attributes are helpers."""
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
            errors.append(self._stage_error(stage, index))
            failed = True
        at_raw = raw.get("at")
        at = parse_time(at_raw) if type(at_raw) is str else None
        if at is None:
            errors.append(_time_error(at_raw, index))
            failed = True
        unit_code = raw.get("unit")
        unit_id = None
        if unit_code is not None:
            unit_code, unit_id = self._unit(unit_code, index, errors)
            failed = failed or unit_id is None
        officer = raw.get("officer")
        if officer is not None and (type(officer) is not str or not NIP_DIGITS.match(officer)):
            errors.append(FieldError(index, "officer", "'officer' must be an 18-digit NIP."))
            failed = True
        attributes = raw.get("attributes")
        attributes_json = None
        if attributes is not None:
            attributes_json = _attributes_json(attributes, index, errors)
            failed = failed or attributes_json is None
        if failed or at is None:  # ``at`` is None only when failed
            return None
        # Not failed: the id, the case and the stage passed their checks above (strings).
        event_id, case_key, stage = cast(str, event_id), cast(str, case_key), cast(str, stage)
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

    def _stage_error(self, stage: object, index: int) -> FieldError:
        shown = stage if isinstance(stage, str) else type(stage).__name__
        return FieldError(
            index,
            "stage",
            f"'{str(shown)[:40]}' is not a stage of stream {self.stream.code} "
            f"({', '.join(self.stream.stages)}).",
        )

    def _unit(
        self, unit_code: object, index: int, errors: list[FieldError]
    ) -> tuple[str | None, int | None]:
        """The unit's code as stored (upper case) and its key; no key after an error."""
        if type(unit_code) is not str:
            errors.append(FieldError(index, "unit", "'unit' must be a unit code (a string)."))
            return None, None
        unit_code = unit_code.strip().upper()
        unit_id = self.units.get(unit_code)
        if unit_id is None:
            errors.append(FieldError(index, "unit", f"Unknown unit code '{unit_code[:40]}'."))
        return unit_code, unit_id

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
