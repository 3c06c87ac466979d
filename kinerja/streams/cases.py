"""A case from its events, by the contract's rule (service-data-api.md, "Cases"):

* it **starts** at the earliest event of the start stage and is **completed** at the earliest
  event of the end stage; without a start event it has not started and counts nowhere;
* its **unit** is that of its earliest event that names a unit, its **officer** that of its
  latest event that names an officer — ties broken by event id (for both, so the result never
  depends on arrival order);
* a completion before its start makes it **inconsistent**: started, but neither completed nor
  open, and left out of durations.

A pure function: the same events give the same case, whatever order they came in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from kinerja.core.work_calendar import WorkCalendar, elapsed_ms


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
class CaseFacts:
    unit_id: int | None
    officer: str
    started_at: datetime | None
    started_on: date | None
    completed_at: datetime | None
    completed_on: date | None
    duration_ms: int | None
    sla_ms: int | None
    within_sla: bool | None
    inconsistent: bool
    events: int


def derive_case(
    events: Iterable[EventFacts], rule: StreamRule, calendar: WorkCalendar, zone: ZoneInfo
) -> CaseFacts:
    ordered = sorted(events, key=lambda e: (e.at, e.event_id))
    starts = [e.at for e in ordered if e.stage == rule.start_stage]
    ends = [e.at for e in ordered if e.stage == rule.end_stage]
    started_at = starts[0] if starts else None
    completed_at = ends[0] if ends else None
    unit_id = next((e.unit_id for e in ordered if e.unit_id is not None), None)
    officer = next((e.officer for e in reversed(ordered) if e.officer), "")
    inconsistent = started_at is not None and completed_at is not None and completed_at < started_at
    duration_ms = sla_ms = None
    within = None
    if started_at is not None and completed_at is not None and not inconsistent:
        duration_ms = elapsed_ms(started_at, completed_at)
        sla_ms = calendar.working_ms(started_at, completed_at) if rule.working_time else duration_ms
        within = sla_ms <= rule.sla_limit_ms
    return CaseFacts(
        unit_id=unit_id,
        officer=officer,
        started_at=started_at,
        started_on=started_at.astimezone(zone).date() if started_at else None,
        completed_at=completed_at,
        completed_on=completed_at.astimezone(zone).date() if completed_at else None,
        duration_ms=duration_ms,
        sla_ms=sla_ms,
        within_sla=within,
        inconsistent=inconsistent,
        events=len(ordered),
    )
