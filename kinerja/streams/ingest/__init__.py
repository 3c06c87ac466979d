"""Taking in events, in steps: check every event of a batch (``clean``), store the batch whole
or not at all (``store``, through ``writers``), then bring the cases it touches up to date
(``catchup``).

The rules are the contract's (service-data-api.md, "Sending events"): ids are the idempotency
key (the same id with the same content is a harmless duplicate; with different content, an
error for that event), times carry an explicit offset, units are known codes, officers are
18-digit NIPs, attributes are a JSON object of at most 4 KiB. Every error names the event's
index and field; one error stores nothing.

The operation is ``services.events_ingest``: it checks who sends (``permissions``) and has the
cases follow after the commit. The HTTP endpoint, ``kinerja events import`` and the demo all
check with ``Validator`` and send through it, so all three apply exactly the same rules.
"""

from .catchup import (
    CATCH_UP_BATCH,
    catch_up,
    merge_into_cases,
    rebuild_cases,
    rederive_stream,
    stream_rule,
)
from .clean import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    MAX_ATTRIBUTES,
    MAX_BYTES,
    MAX_EVENTS,
    MAX_ID,
    BatchRefused,
    CleanEvent,
    FieldError,
    Validator,
    parse_time,
    parse_time_without_offset,
)
from .store import Stored, store

__all__ = [
    "CATCH_UP_BATCH",
    "EARLIEST_YEAR",
    "LATEST_YEAR",
    "MAX_ATTRIBUTES",
    "MAX_BYTES",
    "MAX_EVENTS",
    "MAX_ID",
    "BatchRefused",
    "CleanEvent",
    "FieldError",
    "Stored",
    "Validator",
    "catch_up",
    "merge_into_cases",
    "parse_time",
    "parse_time_without_offset",
    "rebuild_cases",
    "rederive_stream",
    "store",
    "stream_rule",
]
