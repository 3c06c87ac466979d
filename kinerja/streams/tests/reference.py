"""An independent reference for the service-data contract (service-data-api.md, "Sending
events", "Cases", "Reading metrics"), written from the contract's text alone.

It works on the raw event dicts a service application sends (``{"id", "case", "stage", "at",
"unit", "officer", "attributes"}``) and never imports the product's ``cases.py``,
``metrics.py``, ``ingest.py`` or ``work_calendar.py``: the tests compare the product against
it. Everything is exact: instants are integers of microseconds since the epoch, durations and
figures are ``Fraction``\\s; only the comparison (``assert_figures_match``) allows the rounding
the answer's JSON carries (durations to 3 decimals, percentages to 2).

The calendar is computed differently from the product on purpose: working time between two
instants is ``W(end) − W(start)``, where ``W`` is the cumulative working time since a fixed
origin (whole working days from a per-year prefix table plus the part of the current day).

Where the contract leaves a choice open, the choice made here is written next to it.

The second part of the module (``generate_events``) produces seeded random test data: a few
hundred cases with every shape the contract speaks of.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from functools import cache
from math import ceil, floor
from zoneinfo import ZoneInfo

import holidays

ZONE = ZoneInfo("Asia/Jakarta")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = 1_000_000  # microseconds per second
US_PER = {
    "minutes": 60 * US,
    "hours": 3600 * US,
    "days": 86_400 * US,
    "working_hours": 3600 * US,
}


# --- Instants ------------------------------------------------------------------------------------


@cache  # pure; the figures ask for the same instants again and again
def parse_at(text: str) -> int:
    """An RFC 3339 time with an explicit offset, as microseconds since the epoch."""
    if text[-1] in "Zz":
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None, text
    return (moment - EPOCH) // timedelta(microseconds=1)


def to_datetime(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


@cache
def local_date(us: int) -> date:
    return to_datetime(us).astimezone(ZONE).date()


def local_midnight(day: date) -> int:
    """The instant (µs) at which ``day`` begins in the region's time zone."""
    return (datetime.combine(day, time(0), ZONE) - EPOCH) // timedelta(microseconds=1)


def at_text(moment: datetime, offset_minutes: int, *, digits: int = 3) -> str:
    """``moment`` written with another offset (``Z`` for 0) and ``digits`` fraction digits
    (0, 3 or 6): the same instant, another text."""
    from datetime import timezone

    shown = moment.astimezone(timezone(timedelta(minutes=offset_minutes)))
    spec = {0: "seconds", 3: "milliseconds", 6: "microseconds"}[digits]
    text = shown.replace(tzinfo=None).isoformat(timespec=spec)
    if offset_minutes == 0:
        return text + "Z"
    sign = "+" if offset_minutes > 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"{text}{sign}{hours:02d}:{minutes:02d}"


# --- Working calendar ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Calendar:
    """Monday–Friday 08:00–16:00 Asia/Jakarta, minus Indonesia's national public holidays
    (``holidays.country_holidays("ID")``) and the region's days off."""

    days_off: frozenset[date] = frozenset()
    opens: time = time(8)
    closes: time = time(16)

    @property
    def day_us(self) -> int:
        return (
            (self.closes.hour - self.opens.hour) * 3600
            + (self.closes.minute - self.opens.minute) * 60
        ) * US

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in self.days_off
            and day not in _national_holidays(day.year)
        )

    def _working_days_before(self, day: date) -> int:
        """How many working days lie in [1 January of ``ORIGIN_YEAR``, ``day``)."""
        total = sum(self._year_table(year)[-1] for year in range(ORIGIN_YEAR, day.year))
        return total + self._year_table(day.year)[day.timetuple().tm_yday - 1]

    def _year_table(self, year: int) -> list[int]:
        return _year_prefix(year, self.days_off)

    def cumulative_us(self, us: int) -> int:
        """W(t): working microseconds from the origin up to the instant ``us``."""
        moment = to_datetime(us).astimezone(ZONE)
        day = moment.date()
        whole = self._working_days_before(day) * self.day_us
        if not self.is_working_day(day):
            return whole
        since_midnight = (
            moment.hour * 3600 + moment.minute * 60 + moment.second
        ) * US + moment.microsecond
        opens = (self.opens.hour * 3600 + self.opens.minute * 60) * US
        return whole + min(max(since_midnight - opens, 0), self.day_us)

    def working_us(self, start_us: int, end_us: int) -> int:
        if end_us <= start_us:
            return 0
        return self.cumulative_us(end_us) - self.cumulative_us(start_us)


ORIGIN_YEAR = 2000


@cache
def _national_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("ID", years=year))


@cache
def _year_prefix(year: int, days_off: frozenset[date]) -> list[int]:
    """``table[i]`` = working days among the first ``i`` days of ``year``."""
    table = [0]
    day = date(year, 1, 1)
    national = _national_holidays(year)
    while day.year == year:
        working = day.weekday() < 5 and day not in days_off and day not in national
        table.append(table[-1] + int(working))
        day += timedelta(days=1)
    return table


# --- Streams and cases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StreamDef:
    code: str
    stages: tuple[str, ...]
    start: str
    end: str
    sla_limit: Fraction  # in sla_unit
    sla_unit: str

    @property
    def sla_limit_us(self) -> Fraction:
        return self.sla_limit * US_PER[self.sla_unit]


@dataclass
class RefCase:
    key: str
    started: int | None = None  # µs
    completed: int | None = None
    unit: str | None = None
    officer: str | None = None
    inconsistent: bool = False
    excluded: bool = False
    duration_us: int | None = None
    within_sla: bool | None = None
    events: list[dict] = field(default_factory=list)  # deduplicated raw events


def unique_events(raw_events: Iterable[dict]) -> list[dict]:
    """One event per id (the contract's idempotency key); later copies are duplicates."""
    seen: dict[str, dict] = {}
    for event in raw_events:
        seen.setdefault(event["id"], event)
    return list(seen.values())


def derive_cases(
    raw_events: Iterable[dict],
    stream: StreamDef,
    calendar: Calendar,
    excluded: Iterable[str] = (),
) -> dict[str, RefCase]:
    """Every case by the contract's rule ("Cases")."""
    excluded = set(excluded)
    by_case: dict[str, list[dict]] = defaultdict(list)
    for event in unique_events(raw_events):
        by_case[event["case"]].append(event)
    cases = {}
    for key, events in by_case.items():
        case = RefCase(key=key, events=events, excluded=key in excluded)
        starts = [parse_at(e["at"]) for e in events if e["stage"] == stream.start]
        ends = [parse_at(e["at"]) for e in events if e["stage"] == stream.end]
        case.started = min(starts) if starts else None
        case.completed = min(ends) if ends else None
        # Unit: the earliest event naming a unit; of several at the same instant, the one with
        # the smallest id (the contract says "ties broken by event id" without a direction:
        # ordering by (time, id) and taking the first is the natural reading). Unit codes are
        # capitals (the organisation's codes); a code written in small letters names the same.
        naming_unit = sorted(
            (parse_at(e["at"]), e["id"], e["unit"].upper()) for e in events if e.get("unit")
        )
        case.unit = naming_unit[0][2] if naming_unit else None
        # Officer: the latest event naming an officer; ordering by (time, id), the last.
        naming_officer = sorted(
            (parse_at(e["at"]), e["id"], e["officer"]) for e in events if e.get("officer")
        )
        case.officer = naming_officer[-1][2] if naming_officer else None
        if case.started is not None and case.completed is not None:
            if case.completed < case.started:
                case.inconsistent = True
            else:
                case.duration_us = case.completed - case.started
                measure = (
                    calendar.working_us(case.started, case.completed)
                    if stream.sla_unit == "working_hours"
                    else case.duration_us
                )
                case.within_sla = measure <= stream.sla_limit_us
        cases[key] = case
    return cases


# --- Figures -------------------------------------------------------------------------------------


def percentile(values: list[Fraction], fraction: Fraction) -> Fraction:
    """Linear interpolation between the closest ranks (PostgreSQL ``percentile_cont``,
    NumPy's default ``linear`` method), exactly."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = floor(position), ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def duration_figure(durations_us: list[int]) -> dict | None:
    if not durations_us:
        return None
    seconds = [Fraction(d, US) for d in durations_us]
    return {
        "median": percentile(seconds, Fraction(1, 2)),
        "p90": percentile(seconds, Fraction(9, 10)),
        "mean": sum(seconds, Fraction(0)) / len(seconds),
    }


def _in_days(us: int | None, start: date, end: date) -> bool:
    return us is not None and start <= local_date(us) <= end


def stage_durations(
    case: RefCase, from_stage: str, to_stage: str, start: date, end: date
) -> int | None:
    """From the earliest event of ``from_stage`` to the earliest event of ``to_stage`` at or
    after it, when that second event falls in the range; else ``None``."""
    firsts = [parse_at(e["at"]) for e in case.events if e["stage"] == from_stage]
    if not firsts:
        return None
    first = min(firsts)
    later = [parse_at(e["at"]) for e in case.events if e["stage"] == to_stage]
    later = [at for at in later if at >= first]
    if not later or not _in_days(min(later), start, end):
        return None
    return min(later) - first


def figures(
    cases: dict[str, RefCase],
    start: date,
    end: date,
    *,
    unit: str | None = None,
    officer: str | None = None,
    from_stage: str | None = None,
    to_stage: str | None = None,
) -> dict:
    """The contract's figures of one range of local days (both inclusive)."""
    chosen = [
        c
        for c in cases.values()
        if c.started is not None  # without a start, a case counts nowhere
        and (unit is None or c.unit == unit)
        and (officer is None or c.officer == officer)
    ]
    counted = [c for c in chosen if not c.excluded]  # excluded: only in excluded_cases
    consistent = [c for c in counted if not c.inconsistent]
    completed = [c for c in consistent if _in_days(c.completed, start, end)]
    end_bound = local_midnight(end + timedelta(days=1))
    open_at_end = [
        c
        for c in consistent
        if c.started < end_bound and (c.completed is None or c.completed >= end_bound)
    ]
    if from_stage:
        durations = [stage_durations(c, from_stage, to_stage, start, end) for c in consistent]
        duration = duration_figure([d for d in durations if d is not None])
    else:
        duration = duration_figure([c.duration_us for c in completed])
    within = sum(1 for c in completed if c.within_sla)
    return {
        "cases_started": sum(1 for c in counted if _in_days(c.started, start, end)),
        "cases_completed": len(completed),
        "open_cases_at_end": len(open_at_end),
        "duration_seconds": duration,
        "within_sla_pct": Fraction(100 * within, len(completed)) if completed else None,
        "excluded_cases": sum(1 for c in chosen if c.excluded and _in_days(c.started, start, end)),
        "inconsistent_cases": sum(
            1 for c in counted if c.inconsistent and _in_days(c.started, start, end)
        ),
    }


def periods(start: date, end: date, group: str) -> list[tuple[date, date, date]]:
    """(label, first day, last day) of each day, ISO week or month touching the range, clipped
    to it. The label is the period's own first day (a Monday, the 1st of a month) — the
    contract does not say how a period is named; this is what the product answers."""
    if group == "day":
        return [(d, d, d) for d in _days(start, end)]
    labels: dict[date, list[date]] = defaultdict(list)
    for day in _days(start, end):
        label = (
            day - timedelta(days=day.isoweekday() - 1)
            if group == "week"
            else date(day.year, day.month, 1)
        )
        labels[label].append(day)
    return [(label, days[0], days[-1]) for label, days in sorted(labels.items())]


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def metrics(
    cases: dict[str, RefCase],
    stream: StreamDef,
    start: date,
    end: date,
    *,
    unit: str | None = None,
    officer: str | None = None,
    group: str | None = None,
    from_stage: str | None = None,
    to_stage: str | None = None,
) -> dict:
    """The contract's answer (exact numbers) for one query."""
    filters = {"unit": unit, "officer": officer, "from_stage": from_stage, "to_stage": to_stage}
    answer = {
        "stream": stream.code,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "unit": unit,
        "officer": officer,
        **figures(cases, start, end, **filters),
    }
    if group:
        answer["series"] = [
            {"period": label.isoformat(), **figures(cases, first, last, **filters)}
            for label, first, last in periods(start, end, group)
        ]
    return answer


# --- Comparing ------------------------------------------------------------------------------------

COUNTS = (
    "cases_started",
    "cases_completed",
    "open_cases_at_end",
    "excluded_cases",
    "inconsistent_cases",
)


def differences(actual: dict, expected: dict, where: str = "") -> list[str]:
    """Where ``actual`` (the product's answer, JSON numbers) differs from ``expected`` (exact):
    counts must be equal; durations equal to 3 decimals (within half a unit of the third
    decimal), percentages to 2 decimals."""
    found = []
    for key in ("stream", "start", "end", "unit", "officer", "period"):
        if key in expected and actual.get(key) != expected[key]:
            found.append(f"{where}{key}: {actual.get(key)!r} != {expected[key]!r}")
    for key in COUNTS:
        if actual.get(key) != expected[key]:
            found.append(f"{where}{key}: {actual.get(key)!r} != {expected[key]!r}")
    found += _close(actual.get("within_sla_pct"), expected["within_sla_pct"], 2, f"{where}pct")
    got, want = actual.get("duration_seconds"), expected["duration_seconds"]
    if (got is None) != (want is None):
        found.append(f"{where}duration_seconds: {got!r} != {want!r}")
    elif want is not None:
        for key in ("median", "p90", "mean"):
            found += _close(got.get(key), want[key], 3, f"{where}duration_seconds.{key}")
    if "series" in expected:
        series = actual.get("series") or []
        if len(series) != len(expected["series"]):
            found.append(f"{where}series: {len(series)} periods != {len(expected['series'])}")
        else:
            for got_period, want_period in zip(series, expected["series"], strict=True):
                found += differences(got_period, want_period, f"{where}[{want_period['period']}] ")
    return found


def _close(got, want: Fraction | None, decimals: int, where: str) -> list[str]:
    if want is None or got is None:
        return [] if want is None and got is None else [f"{where}: {got!r} != {want!r}"]
    tolerance = Fraction(1, 2 * 10**decimals) + Fraction(1, 10**9)
    if abs(Fraction(got) - want) > tolerance:
        return [f"{where}: {got!r} != {float(want):.6f}"]
    return []


def assert_figures_match(actual: dict, expected: dict, where: str = "") -> None:
    found = differences(actual, expected, where)
    assert not found, "\n".join(found[:40])


# --- Test data -----------------------------------------------------------------------------------

STAGES = ("diajukan", "diverifikasi", "dicetak", "diserahkan")


@dataclass
class Dataset:
    events: list[dict]  # every event once
    resends: list[dict]  # copies of some events (same content, sometimes another offset)
    keys: list[str]  # every case key
    exclude_before: list[str]  # case keys excluded while their events are still arriving
    exclude_after: list[str]  # excluded after every event arrived
    exclude_ended: list[str]  # excluded early, the exclusion ended afterwards
    first_day: date
    last_day: date


def generate_events(
    seed: int,
    *,
    cases: int,
    units: list[str],
    officers: list[str],
    first_day: date = date(2026, 5, 25),
    last_day: date = date(2026, 8, 31),
    sla_us: int = 8 * 3600 * US,
) -> Dataset:
    """Seeded random events of a four-stage stream (``STAGES``): complete, open, never
    started, inconsistent and excluded cases; repeated stages; units and officers named by
    some events, with ties at the same instant; events exactly at local midnight and one
    millisecond before it; cases exactly at the SLA; times written with various offsets."""
    rng = random.Random(seed)
    span_us = local_midnight(last_day + timedelta(days=1)) - local_midnight(first_day)
    base = local_midnight(first_day)
    events: list[dict] = []
    serial = 0

    def instant() -> int:
        if rng.random() < 0.7:  # mostly in office hours on a weekday
            day = first_day + timedelta(days=rng.randrange((last_day - first_day).days + 1))
            minute = rng.randrange(8 * 60, 16 * 60)
            return local_midnight(day) + minute * 60 * US + rng.randrange(60_000) * 1000
        return base + rng.randrange(span_us // 1000) * 1000

    def gap() -> int:
        kind = rng.random()
        if kind < 0.4:
            return rng.randrange(1, 240) * 60 * US + rng.randrange(60_000) * 1000
        if kind < 0.8:
            return rng.randrange(1, 72) * 3600 * US + rng.randrange(3600_000) * 1000
        return rng.randrange(3, 20) * 86_400 * US + rng.randrange(86_400_000) * 1000

    def add(case: str, stage: str, us: int, *, unit=None, officer=None, event_id=None) -> None:
        nonlocal serial
        serial += 1
        offset = rng.choice([420, 420, 420, 0, 0, 480, 540, -300, 330])
        digits = 3 if us % US else rng.choice([0, 3, 6])
        event = {
            "id": event_id or f"{case}-{stage}-{serial:05d}",
            "case": case,
            "stage": stage,
            "at": at_text(to_datetime(us), offset, digits=digits),
        }
        if unit is None and rng.random() < 0.55:
            unit = rng.choice(units)
        if unit:
            event["unit"] = unit
        if officer is None and rng.random() < 0.5:
            officer = rng.choice(officers)
        if officer:
            event["officer"] = officer
        if rng.random() < 0.1:
            event["attributes"] = {"channel": rng.choice(["loket", "online"]), "n": serial}
        events.append(event)

    keys = [f"C{seed}-{n:04d}" for n in range(cases)]
    for n, key in enumerate(keys):
        kind = rng.random()
        t0 = instant()
        if n < 12:  # a start at the very edge of a local day
            day = first_day + timedelta(days=rng.randrange((last_day - first_day).days))
            t0 = local_midnight(day) - (1000 if n % 2 else 0)  # 23:59:59.999 or 00:00:00.000
        if kind < 0.58 or n < 12:  # complete
            t = t0
            add(key, "diajukan", t)
            for stage in ("diverifikasi", "dicetak"):
                if rng.random() < 0.8:
                    t += gap()
                    add(key, stage, t)
            t += gap()
            if n < 12 and n % 3 == 0:  # completed at the edge of a day too
                t = local_midnight(local_date(t) + timedelta(days=1)) - (1000 if n % 2 else 0)
            add(key, "diserahkan", t)
        elif kind < 0.63:  # exactly at the SLA (working time or calendar time)
            if sla_us == 8 * 3600 * US:
                day = first_day + timedelta(days=rng.randrange(40))
                while day.weekday() > 3:
                    day += timedelta(days=1)
                start = local_midnight(day) + rng.randrange(8 * 60, 16 * 60) * 60 * US
                add(key, "diajukan", start)
                # The next weekday at the same time: exactly 8 working hours, or fewer when a
                # day off lies between.
                add(key, "diserahkan", start + 86_400 * US)
            else:
                add(key, "diajukan", t0)
                add(key, "diserahkan", t0 + sla_us + rng.choice([0, 0, 1000, -1000]))
        elif kind < 0.76:  # open
            add(key, "diajukan", t0)
            if rng.random() < 0.6:
                add(key, rng.choice(["diverifikasi", "dicetak"]), t0 + gap())
        elif kind < 0.82:  # never started
            add(key, rng.choice(["diverifikasi", "dicetak", "diserahkan"]), t0)
            if rng.random() < 0.5:
                add(key, "diserahkan", t0 + gap())
        elif kind < 0.88:  # completed before it started: inconsistent
            add(key, "diserahkan", t0)
            add(key, "diajukan", t0 + gap())
        else:  # repeated stages: the earliest counts; stage order reversed in places
            add(key, "diajukan", t0 + gap())
            add(key, "diajukan", t0)
            add(key, "dicetak", t0 + rng.randrange(1, 60) * 60 * US)  # before diverifikasi
            t = t0 + gap()
            add(key, "diverifikasi", t)
            add(key, "dicetak", t + gap())
            add(key, "dicetak", t + 2 * gap())
            t += 3 * gap()
            add(key, "diserahkan", t + gap())
            add(key, "diserahkan", t)
        if rng.random() < 0.15:  # ties: two events at one instant naming units and officers
            tie = parse_at(rng.choice([e for e in events if e["case"] == key])["at"])
            stage = rng.choice(["diverifikasi", "dicetak"])
            first_unit, second_unit = rng.sample(units, 2)
            first_officer, second_officer = rng.sample(officers, 2)
            add(key, stage, tie, unit=first_unit, officer=first_officer, event_id=f"{key}-t-a")
            add(key, stage, tie, unit=second_unit, officer=second_officer, event_id=f"{key}-t-b")

    resends = []
    for event in rng.sample(events, len(events) // 20):
        copy = dict(event)
        if rng.random() < 0.5:  # the same instant written with another offset
            copy["at"] = at_text(to_datetime(parse_at(event["at"])), rng.choice([0, 420, -60]))
        resends.append(copy)
    started = sorted({e["case"] for e in events if e["stage"] == "diajukan"})
    chosen = rng.sample(started, 10)
    anywhere = [k for k in keys if k not in chosen]
    return Dataset(
        keys=keys,
        events=events,
        resends=resends,
        exclude_before=[*chosen[:4], rng.choice(anywhere)],
        exclude_after=chosen[4:8],
        exclude_ended=chosen[8:10],
        first_day=first_day,
        last_day=last_day,
    )


def split(rng: random.Random, items: list, *, most: int) -> list[list]:
    """``items`` cut into consecutive pieces of 1 to ``most``."""
    pieces, i = [], 0
    while i < len(items):
        size = rng.randint(1, most)
        pieces.append(items[i : i + size])
        i += size
    return pieces
