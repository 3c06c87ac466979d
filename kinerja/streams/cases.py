"""A case from its events, by the contract's rule (service-data-api.md, "Cases"):

* it **starts** at the earliest event of the start stage and is **completed** at the earliest
  event of the end stage; without a start event it has not started and counts nowhere;
* its **unit** is that of its earliest event that names a unit, its **officer** that of its
  latest event that names an officer — ties broken by event id (for both, so that the result
  never depends on arrival order);
* a completion before its start makes it **inconsistent**: started, but neither completed nor
  open, and left out of durations.

Every part of the rule is a minimum or a maximum, so a case can be kept as a small *state*
that new events are merged into, in any order and any split over batches, with the same result
as deriving it from all its events at once (``fold``). Ingestion merges each batch into the
stored state without reading the case's older events back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from kinerja.core.work_calendar import WorkCalendar, elapsed_ms, elapsed_us


@dataclass(frozen=True)
class EventFacts:
    event_id: str
    stage: str
    at: datetime
    unit_id: int | None
    officer: str


@dataclass(frozen=True)
class StreamRule:
    start_stage: str
    end_stage: str
    sla_limit_ms: int
    working_time: bool


@dataclass(frozen=True)
class CaseState:
    """What the rule needs to remember of a case's events."""

    started_at: datetime | None = None
    completed_at: datetime | None = None
    unit_id: int | None = None
    unit_event: tuple[datetime, str] | None = None  # (at, event id) of the unit's event
    officer: str = ""
    officer_event: tuple[datetime, str] | None = None  # (at, event id) of the officer's event
    events: int = 0


def merge(state: CaseState, event: EventFacts, rule: StreamRule) -> CaseState:
    changes: dict = {"events": state.events + 1}
    if event.stage == rule.start_stage and (
        state.started_at is None or event.at < state.started_at
    ):
        changes["started_at"] = event.at
    if event.stage == rule.end_stage and (
        state.completed_at is None or event.at < state.completed_at
    ):
        changes["completed_at"] = event.at
    key = (event.at, event.event_id)
    if event.unit_id is not None and (state.unit_event is None or key < state.unit_event):
        changes["unit_id"], changes["unit_event"] = event.unit_id, key
    if event.officer and (state.officer_event is None or key > state.officer_event):
        changes["officer"], changes["officer_event"] = event.officer, key
    return replace(state, **changes)


def fold(
    events: Iterable[EventFacts], rule: StreamRule, state: CaseState | None = None
) -> CaseState:
    state = state or CaseState()
    for event in events:
        state = merge(state, event, rule)
    return state


@dataclass(frozen=True)
class CaseFigures:
    """What the metrics read, derived from a state."""

    started_on: date | None
    completed_on: date | None
    duration_ms: int | None
    sla_ms: int | None
    within_sla: bool | None
    inconsistent: bool


def figures(
    state: CaseState, rule: StreamRule, calendar: WorkCalendar, zone: ZoneInfo
) -> CaseFigures:
    started, completed = state.started_at, state.completed_at
    inconsistent = started is not None and completed is not None and completed < started
    duration_ms = sla_ms = None
    within = None
    if started is not None and completed is not None and not inconsistent:
        # Durations are kept in milliseconds; the SLA is judged on the exact microseconds.
        exact_us = (
            calendar.working_us(started, completed)
            if rule.working_time
            else elapsed_us(started, completed)
        )
        duration_ms = elapsed_ms(started, completed)
        sla_ms = exact_us // 1000
        within = exact_us <= rule.sla_limit_ms * 1000
    return CaseFigures(
        started_on=started.astimezone(zone).date() if started else None,
        completed_on=completed.astimezone(zone).date() if completed else None,
        duration_ms=duration_ms,
        sla_ms=sla_ms,
        within_sla=within,
        inconsistent=inconsistent,
    )
