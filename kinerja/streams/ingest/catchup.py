"""Bringing the cases up to date with their events (the rule itself is in ``cases.py``).

Cases follow the events asynchronously: ``store`` writes the events and moves the stream's
``last_event_pk``; ``catch_up`` merges what lies between ``cases_through_pk`` and it into the
cases (a background task after each stored batch, and first thing whenever metrics are read).
``rederive_stream`` and ``rebuild_cases`` derive cases again after a change of the rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from kinerja.core.work_calendar import WorkCalendar, load_calendar

from ..cases import CaseFigures, CaseState, EventFacts, StreamRule, figures, fold
from ..models import Case, Event, SlaUnit, Stream
from .writers import CHUNK, LOCK_CLASS, STATE_FIELDS, GenericWriter, writer_for

CATCH_UP_BATCH = 50_000


def stream_rule(stream: Stream) -> StreamRule:
    return StreamRule(
        start_stage=stream.start_stage,
        end_stage=stream.end_stage,
        sla_limit_ms=stream.sla_limit_ms,
        working_time=stream.sla_unit == SlaUnit.WORKING_HOURS,
    )


def _state_of(row: dict[str, Any] | None) -> CaseState:
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


def _case(stream: Stream, key: str, state: CaseState, derived: CaseFigures, excluded: bool) -> Case:
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


def merge_into_cases(
    stream: Stream,
    events: Iterable[tuple[str, EventFacts]],
    *,
    writer: GenericWriter | None = None,
    calendar: WorkCalendar | None = None,
) -> int:
    """Merge events (case key, facts) into their cases' stored state; the result does not
    depend on the order or the grouping of the events."""
    by_case: dict[str, list[EventFacts]] = defaultdict(list)
    for case_key, facts in events:
        by_case[case_key].append(facts)
    if not by_case:
        return 0
    writer = writer or writer_for(stream)
    rule = stream_rule(stream)
    calendar = calendar or load_calendar()
    zone = ZoneInfo(settings.TIME_ZONE)
    keys = list(by_case)
    stored = writer.case_rows(keys)
    excluded = writer.excluded(keys)
    cases = []
    for key, case_facts in by_case.items():
        state = fold(case_facts, rule, _state_of(stored.get(key)))
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
            GenericWriter(stream).upsert(cases)
            done += len(rows)
            last_id = rows[-1]["pk"]


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
