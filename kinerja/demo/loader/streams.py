"""The service-data part of the demo (``data/streams.yaml``): the two streams, a year of their
events generated from a fixed seed, and the alert rules evaluated once the events are in.

The streams are created through ``streams_load`` (as ``kinerja streams load`` would), the
rules through ``alert_rule_save`` by each agency's Pengelola Kinerja, and the events go
through the same validation and storage as the HTTP API (``ingest``), in batches: they are
history, written in bulk. The generators are code, the numbers they draw from are data.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from kinerja.accounts.models import User
from kinerja.core.actors import SYSTEM
from kinerja.core.work_calendar import load_calendar
from kinerja.organizations.models import Employee, Unit
from kinerja.streams import services as streams
from kinerja.streams.alerts import evaluate_alerts
from kinerja.streams.definitions import check_file
from kinerja.streams.ingest import Validator, catch_up
from kinerja.streams.models import AlertRule, Case, Event, Stream
from kinerja.streams.services import alert_rule_save, events_ingest

from . import common, organisation

DATA = common.read("streams")
STREAMS: list[dict] = DATA["streams"]
ALERT_RULES: list[dict] = DATA["alert_rules"]
KTP: dict = DATA["ktp-el"]
EMERGENCY: dict = DATA["gawat-darurat"]
#: Days of history up to the day before loading (the tests shorten it).
DAYS: int = DATA["days"]
BATCH = 5000  # events per call of ``events_ingest``


@dataclass(frozen=True)
class Window:
    first: date
    last: date
    zone: ZoneInfo


def _window() -> Window:
    today = common.today()
    return Window(
        today - timedelta(days=DAYS), today - timedelta(days=1), ZoneInfo(settings.TIME_ZONE)
    )


def _at(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _officers(position_prefixes: list[str]) -> list[str]:
    """The NIPs of the holders of the positions, prefix by prefix, each by NIP."""
    return [
        nip
        for prefix in position_prefixes
        for nip in Employee.objects.filter(position__code__startswith=prefix, active=True)
        .order_by("nip")
        .values_list("nip", flat=True)
    ]


def shortage_months(window: Window) -> set[tuple[int, int]]:
    """The (year, month)s in which the blanko ran short, some months before the last day of
    the window — always in the past, whatever the day of loading."""
    index = window.last.year * 12 + window.last.month - 1
    return {((index - ago) // 12, (index - ago) % 12 + 1) for ago in KTP["shortage_months_ago"]}


def _later(calendar, moment: datetime, working_days: int, minutes: int) -> datetime:
    """``minutes`` after 08:00 on the ``working_days``-th working day after ``moment``."""
    day = moment.date()
    for _ in range(working_days):
        day += timedelta(days=1)
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
    return datetime.combine(day, time(8), moment.tzinfo) + timedelta(minutes=minutes)


def ktp_events(window: Window, rng: random.Random) -> Iterator[dict]:
    """Applications at the counter on working days; shortage months print late."""
    calendar = load_calendar()
    operators = _officers(KTP["officers"]) or [""]
    shortage = shortage_months(window)
    now_cut = datetime.combine(window.last + timedelta(days=1), time(0), window.zone)
    day = window.first
    number = 0
    while day <= window.last:
        if calendar.is_working_day(day):
            for _ in range(rng.randint(*KTP["applications_per_working_day"])):
                number += 1
                steps = _ktp_case(day, window, rng, calendar, operators, shortage)
                case = f"KTP-{day:%Y%m%d}-{number:06d}"
                yield from _ktp_case_events(case, steps, now_cut, rng)
        day += timedelta(days=1)


def _ktp_case(day: date, window: Window, rng: random.Random, calendar, operators, shortage):
    """One application's steps: (stage, moment, officer) and the unit where it was made."""
    counter = rng.random() < KTP["counter_share"]
    unit = KTP["counter"] if counter else KTP["back_office"]
    start = datetime.combine(day, time(8), window.zone) + timedelta(
        minutes=rng.randint(0, 7 * 60 + 30), seconds=rng.randint(0, 59)
    )
    verified = start + timedelta(minutes=rng.randint(5, 90))
    # The counter prints and hands over on working days only.
    if (day.year, day.month) in shortage and rng.random() < KTP["shortage_share"]:
        printed = _later(calendar, verified, rng.randint(1, 5), rng.randint(0, 360))
    elif rng.random() < KTP["printed_the_same_day"]:
        printed = verified + timedelta(minutes=rng.randint(30, 240))
    else:
        printed = _later(calendar, verified, 1, rng.randint(0, 300))
    handed = printed + timedelta(minutes=rng.randint(10, 150))
    if rng.random() < KTP["late_collection"]:  # collected on a later day
        handed = _later(calendar, handed, rng.randint(1, 4), rng.randint(0, 420))
    clerk, handler = rng.choice(operators), rng.choice(operators)
    steps = [
        ("diajukan", start, ""),
        ("diverifikasi", verified, clerk),
        ("dicetak", printed, clerk),
        ("diserahkan", handed, handler),
    ]
    roll = rng.random()
    if roll < 0.002:  # a hand-over typed with the wrong year
        steps[3] = ("diserahkan", handed - timedelta(days=365), handler)
    elif roll < 0.003:  # the application itself was never recorded
        steps = steps[1:]
    return steps, unit


def _ktp_case_events(case: str, steps_and_unit, now_cut: datetime, rng) -> Iterator[dict]:
    steps, unit = steps_and_unit
    for index, (stage, at, officer) in enumerate(steps):
        if at >= now_cut:
            break  # not happened yet: the case is still open
        event = {"id": f"{case}-{index}", "case": case, "stage": stage, "at": _at(at)}
        if stage == "diajukan" or index == 0:
            event["unit"] = unit
        if officer:
            event["officer"] = officer
        if stage == "diajukan":
            event["attributes"] = {"channel": rng.choice(KTP["channels"])}
        yield event


def emergency_events(window: Window, rng: random.Random) -> Iterator[dict]:
    """Calls day and night; arrivals slow down in the rainy season and in the last days, with
    two ambulances in the workshop."""
    team = _officers(EMERGENCY["officers"]) or [""]
    incident = window.last - timedelta(days=EMERGENCY["incident_days"] - 1)
    day = window.first
    number = 0
    while day <= window.last:
        season = "rainy" if day.month in EMERGENCY["rainy_months"] else "dry"
        mean, spread = EMERGENCY["travel_minutes"][season]
        if day >= incident:
            mean += EMERGENCY["incident_extra_minutes"]
        for _ in range(rng.randint(*EMERGENCY["calls_per_day"])):
            number += 1
            case = f"PSC-{day:%Y%m%d}-{number:06d}"
            yield from _emergency_case(case, day, mean, spread, window, rng, team)
        day += timedelta(days=1)


def _emergency_case(case, day, mean, spread, window, rng, team) -> Iterator[dict]:
    hour = rng.choices(range(24), weights=[2] * 6 + [5] * 12 + [3] * 6)[0]
    call = datetime.combine(day, time(hour), window.zone) + timedelta(
        minutes=rng.randint(0, 59), seconds=rng.randint(0, 59)
    )
    dispatched = call + timedelta(seconds=rng.randint(40, 360))
    travel = rng.gauss(mean, spread)
    arrived = dispatched + timedelta(minutes=max(3.0, travel))
    handed = arrived + timedelta(minutes=rng.randint(15, 70))
    leader = rng.choice(team)
    steps = [
        ("panggilan-diterima", call, ""),
        ("tim-diberangkatkan", dispatched, leader),
        ("tiba-di-lokasi", arrived, leader),
        ("diserahkan-ke-faskes", handed, leader),
    ]
    for index, (stage, at, officer) in enumerate(steps):
        event = {"id": f"{case}-{index}", "case": case, "stage": stage, "at": _at(at)}
        if index == 0:
            event["unit"] = EMERGENCY["unit"]
            event["attributes"] = {"kategori": rng.choice(EMERGENCY["categories"])}
        if officer:
            event["officer"] = officer
        yield event


GENERATORS = {
    "ktp-el": (ktp_events, KTP["seed"]),
    "gawat-darurat": (emergency_events, EMERGENCY["seed"]),
}


# --- Loading ----------------------------------------------------------------------------------


def ensure_streams() -> list[Stream]:
    """The demo's streams, in the order of the data; those missing are created (a stream that
    exists is left as it is)."""
    codes = [spec["code"] for spec in STREAMS]
    existing = set(Stream.objects.filter(code__in=codes).values_list("code", flat=True))
    missing = [spec for spec in STREAMS if spec["code"] not in existing]
    if missing:
        streams.streams_load(definitions=check_file({"streams": missing}), by=SYSTEM)
    by_code = Stream.objects.in_bulk(codes, field_name="code")
    return [by_code[code] for code in codes]


def ensure_alert_rules(streams_: list[Stream]) -> int:
    """The demo's alert rules, set by each agency's Pengelola Kinerja when missing (by name);
    how many were created."""
    by_code = {s.code: s for s in streams_}
    units = {u.code: u for u in Unit.objects.filter(code__in=[r["unit"] for r in ALERT_RULES])}
    created = 0
    for spec in ALERT_RULES:
        stream = by_code[spec["stream"]]
        if AlertRule.objects.filter(stream=stream, name=spec["name"]).exists():
            continue
        key = organisation.PENGELOLA[stream.agency.code]
        by = User.objects.get(employee__nip=organisation.nip_for(key))
        values = {k: v for k, v in spec.items() if k != "stream"}
        values["threshold"] = Decimal(str(spec["threshold"]))
        values["unit"] = units[spec["unit"]] if spec["unit"] else None
        alert_rule_save(stream=stream, values=values, by=by)
        created += 1
    return created


def load_streams() -> dict[str, int]:
    """Create the demo streams and their alert rules, and send the streams a year of events
    unless they have events; then evaluate the rules of the streams that got them (the unit
    head hears of a breach in the app; the demo sends no e-mail to its invented addresses)."""
    counts = {"streams": 0, "events": 0, "cases": 0, "alert_rules": 0, "breaches": 0}
    counts["notifications"] = 0
    window = _window()
    streams_ = ensure_streams()
    counts["alert_rules"] = ensure_alert_rules(streams_)
    for stream in streams_:
        counts["streams"] += 1
        if Event.objects.filter(stream=stream).exists():
            continue
        counts["events"] += _send_history(stream, window)
        stream.refresh_from_db()
        catch_up(stream)
        counts["cases"] += Case.objects.filter(stream=stream).count()
        outcome = evaluate_alerts(stream, now=common.now(), mail=False)
        counts["breaches"] += len(outcome.opened)
        counts["notifications"] += outcome.notified
    return counts


def _send_history(stream: Stream, window: Window) -> int:
    """The stream's generated events, stored in batches; how many were accepted."""
    generate, seed = GENERATORS[stream.code]
    validator = Validator(stream)
    accepted = 0
    batch: list[dict] = []
    # Invented demo data: a seeded generator, so that every load is the same.
    for event in generate(window, random.Random(seed)):  # noqa: S311
        batch.append(event)
        if len(batch) == BATCH:
            accepted += events_ingest(
                stream=stream, events=validator.clean_all(batch), by=SYSTEM, follow=False
            ).accepted
            batch = []
    if batch:
        accepted += events_ingest(
            stream=stream, events=validator.clean_all(batch), by=SYSTEM, follow=False
        ).accepted
    return accepted
