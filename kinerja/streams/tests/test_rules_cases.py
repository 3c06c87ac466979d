"""The contract's case rule (service-data-api.md, "Cases") as ``kinerja.streams.cases`` keeps
it: start and completion the earliest events of their stages, the unit of the earliest event
naming one, the officer of the latest (ties by event id), inconsistency, and a state that gives
the same result whatever the order and the split of the events merged into it."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kinerja.core.work_calendar import WorkCalendar
from kinerja.streams.cases import CaseState, EventFacts, StreamRule, figures, fold, merge

ZONE = ZoneInfo("Asia/Jakarta")
RULE = StreamRule(
    start_stage="diajukan", end_stage="diserahkan", sla_limit_ms=8 * 3_600_000, working_time=True
)
CALENDAR_RULE = StreamRule(
    start_stage="diajukan", end_stage="diserahkan", sla_limit_ms=15 * 60_000, working_time=False
)
CALENDAR = WorkCalendar(
    weekdays=frozenset({1, 2, 3, 4, 5}),
    starts=time(8),
    ends=time(16),
    national=True,
    days_off=frozenset(),
    zone=ZONE,
)
NIP_A, NIP_B, NIP_C = "198503122010011002", "199001012015032001", "197712312005011003"


def at(hhmm: str, day: int = 5, ms: int = 0) -> datetime:
    """A time on January ``day``, 2026, Asia/Jakarta."""
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(2026, 1, day, hours, minutes, tzinfo=ZONE) + timedelta(milliseconds=ms)


def ev(event_id, stage, when, unit=None, officer="") -> EventFacts:
    return EventFacts(event_id=event_id, stage=stage, at=when, unit_id=unit, officer=officer)


# (what the row shows, events, started, completed, unit, officer)
RULE_ROWS = [
    (
        "start and end are the earliest events of their stages",
        [
            ev("s2", "diajukan", at("09:00")),
            ev("s1", "diajukan", at("08:30")),
            ev("e2", "diserahkan", at("12:00")),
            ev("e1", "diserahkan", at("11:00")),
        ],
        at("08:30"), at("11:00"), None, "",
    ),
    (
        "other stages neither start nor complete a case",
        [ev("v", "diverifikasi", at("08:00")), ev("c", "dicetak", at("09:00"))],
        None, None, None, "",
    ),
    (
        "the unit is that of the earliest event naming one, not the earliest event",
        [
            ev("a", "diajukan", at("08:00")),
            ev("b", "diverifikasi", at("09:00"), unit=2),
            ev("c", "dicetak", at("10:00"), unit=3),
        ],
        at("08:00"), None, 2, "",
    ),
    (
        "the officer is that of the latest event naming one, not the latest event",
        [
            ev("a", "diajukan", at("08:00"), officer=NIP_A),
            ev("b", "diverifikasi", at("09:00"), officer=NIP_B),
            ev("c", "diserahkan", at("10:00")),
        ],
        at("08:00"), at("10:00"), None, NIP_B,
    ),
    (
        "a unit tie at one instant goes to the smaller event id",
        [ev("k-2", "diajukan", at("08:00"), unit=7), ev("k-1", "dicetak", at("08:00"), unit=8)],
        at("08:00"), None, 8, "",
    ),
    (
        "an officer tie at one instant goes to the larger event id",
        [
            ev("k-2", "diajukan", at("08:00"), officer=NIP_A),
            ev("k-1", "dicetak", at("08:00"), officer=NIP_B),
            ev("k-0", "dicetak", at("07:00"), officer=NIP_C),
        ],
        at("08:00"), None, None, NIP_A,
    ),
    (
        "a millisecond decides",
        [
            ev("b", "diajukan", at("08:00", ms=1), unit=1, officer=NIP_A),
            ev("a", "diajukan", at("08:00"), unit=2, officer=NIP_B),
        ],
        at("08:00"), None, 2, NIP_A,
    ),
    (
        "the same instant written in another zone is the same instant",
        [
            ev("a", "diajukan", datetime(2026, 1, 5, 1, 0, tzinfo=UTC)),
            ev("b", "diajukan", at("08:00")),
        ],
        at("08:00"), None, None, "",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("events", "started", "completed", "unit", "officer"),
    [row[1:] for row in RULE_ROWS],
    ids=[row[0] for row in RULE_ROWS],
)
def test_the_state_follows_the_contracts_rule(events, started, completed, unit, officer):
    state = fold(events, RULE)
    assert (state.started_at, state.completed_at) == (started, completed)
    assert (state.unit_id, state.officer) == (unit, officer)
    assert state.events == len(events)


# (what the row shows, events, inconsistent, duration ms, within the 15-minute SLA, start day)
FIGURE_ROWS = [
    (
        "a completed case has a duration",
        [ev("a", "diajukan", at("08:00")), ev("b", "diserahkan", at("08:15"))],
        False, 15 * 60_000, True, date(2026, 1, 5),
    ),
    (
        "one millisecond over the SLA is outside it",
        [ev("a", "diajukan", at("08:00")), ev("b", "diserahkan", at("08:15", ms=1))],
        False, 15 * 60_000 + 1, False, date(2026, 1, 5),
    ),
    (
        "a completion before the start makes the case inconsistent",
        [ev("a", "diajukan", at("09:00")), ev("b", "diserahkan", at("08:59"))],
        True, None, None, date(2026, 1, 5),
    ),
    (
        "a completion at the very instant of the start is consistent",
        [ev("a", "diajukan", at("09:00")), ev("b", "diserahkan", at("09:00"))],
        False, 0, True, date(2026, 1, 5),
    ),
    (
        "a later start event does not move the start",
        [
            ev("a", "diajukan", at("08:00")),
            ev("b", "diserahkan", at("08:10")),
            ev("c", "diajukan", at("08:20")),
        ],
        False, 10 * 60_000, True, date(2026, 1, 5),
    ),
    (
        "an open case has no duration",
        [ev("a", "diajukan", at("08:00")), ev("b", "dicetak", at("08:10"))],
        False, None, None, date(2026, 1, 5),
    ),
    (
        "a case without a start has not started",
        [ev("b", "diserahkan", at("08:10"))],
        False, None, None, None,
    ),
    (
        "the start day is the local day: 00:00 WIB is 17:00 UTC the day before",
        [ev("a", "diajukan", datetime(2026, 1, 4, 17, 0, tzinfo=UTC))],
        False, None, None, date(2026, 1, 5),
    ),
    (
        "23:59:59.999 WIB still belongs to its day",
        [ev("a", "diajukan", datetime(2026, 1, 5, 16, 59, 59, 999000, tzinfo=UTC))],
        False, None, None, date(2026, 1, 5),
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("events", "inconsistent", "duration_ms", "within", "started_on"),
    [row[1:] for row in FIGURE_ROWS],
    ids=[row[0] for row in FIGURE_ROWS],
)
def test_the_figures_of_a_case(events, inconsistent, duration_ms, within, started_on):
    result = figures(fold(events, CALENDAR_RULE), CALENDAR_RULE, CALENDAR, ZONE)
    assert result.inconsistent is inconsistent
    assert result.duration_ms == duration_ms
    assert result.sla_ms == duration_ms  # calendar time: the SLA measures the duration itself
    assert result.within_sla is within
    assert result.started_on == started_on


def test_the_completion_day_is_the_local_day_of_the_earliest_end_event():
    state = fold(
        [
            ev("a", "diajukan", at("15:00", day=5)),
            ev("b", "diserahkan", datetime(2026, 1, 5, 17, 0, tzinfo=UTC)),  # 6 Jan 00:00 WIB
            ev("c", "diserahkan", at("10:00", day=7)),
        ],
        RULE,
    )
    result = figures(state, RULE, CALENDAR, ZONE)
    assert result.completed_on == date(2026, 1, 6)
    assert result.duration_ms == 9 * 3_600_000
    assert result.sla_ms == 1 * 3_600_000  # 15:00–16:00 on the 5th; nothing after closing time
    assert result.within_sla is True


def test_a_working_time_sla_counts_only_working_time():
    # Friday 9 January 2026 15:00 to Tuesday 13 January 09:00: 90 hours of calendar time,
    # 10 working hours (Friday 15–16, Monday 8–16, Tuesday 8–9).
    state = fold(
        [ev("a", "diajukan", at("15:00", day=9)), ev("b", "diserahkan", at("09:00", day=13))],
        RULE,
    )
    result = figures(state, RULE, CALENDAR, ZONE)
    assert result.duration_ms == 90 * 3_600_000
    assert result.sla_ms == 10 * 3_600_000
    assert result.within_sla is False


# Six events that exercise every part of the rule at once: two starts, two ends (one before the
# start: the case is consistent only because of the earlier start), units and officers with
# ties at one instant.
SIX = [
    ev("e-3", "diajukan", at("09:00"), unit=2, officer=NIP_A),
    ev("e-1", "diserahkan", at("08:45"), officer=NIP_B),
    ev("e-5", "diajukan", at("08:30"), unit=3),
    ev("e-2", "dicetak", at("10:00"), unit=4, officer=NIP_C),
    ev("e-4", "dicetak", at("10:00"), unit=5, officer=NIP_A),
    ev("e-6", "diserahkan", at("11:00")),
]


def test_every_order_of_six_events_gives_the_same_state():
    expected = fold(SIX, RULE)
    assert expected.started_at == at("08:30")
    assert expected.completed_at == at("08:45")
    assert (expected.unit_id, expected.officer) == (3, NIP_A)  # officer tie: e-4 > e-2
    for order in itertools.permutations(SIX):
        assert fold(order, RULE) == expected


def test_every_split_of_the_events_into_batches_gives_the_same_state():
    expected = fold(SIX, RULE)
    rng = random.Random(4)
    for _ in range(500):
        events = rng.sample(SIX, len(SIX))
        cuts = sorted(rng.sample(range(1, len(SIX)), rng.randint(0, len(SIX) - 1)))
        state = None
        for low, high in itertools.pairwise([0, *cuts, len(SIX)]):
            state = fold(events[low:high], RULE, state)
        assert state == expected


def test_merging_one_event_at_a_time_into_an_empty_state_is_folding():
    state = CaseState()
    for event in SIX:
        state = merge(state, event, RULE)
    assert state == fold(SIX, RULE)


@pytest.mark.parametrize("seed", range(5))
def test_random_cases_are_order_independent(seed):
    rng = random.Random(seed)
    stages = ["diajukan", "diverifikasi", "dicetak", "diserahkan"]
    events = [
        ev(
            f"id-{rng.randrange(100):03d}-{i}",
            rng.choice(stages),
            at("08:00") + timedelta(minutes=rng.randrange(5)),  # many ties
            unit=rng.choice([None, 1, 2, 3]),
            officer=rng.choice(["", NIP_A, NIP_B]),
        )
        for i in range(30)
    ]
    expected = fold(events, RULE)
    for _ in range(50):
        shuffled = rng.sample(events, len(events))
        cut = rng.randrange(len(events))
        assert fold(shuffled[cut:], RULE, fold(shuffled[:cut], RULE)) == expected
