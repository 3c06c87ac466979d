"""The service-data part of the Plaju demo: a year of KTP-el issuance at the Dukcapil counter
in Plaju and of emergency calls answered by the Puskesmas Plaju team (PSC 119) — about 50,000
cases, attributed to the demo's units and officers, sent through the same validation and
storage as the HTTP API.

The numbers are invented but shaped like the real services: applications on working days,
most cards printed the same day and the rest on a following working day, a blanko shortage
in two months (three and eight months before the load) that pushes cases past the SLA,
emergency calls day and night with slower arrivals in the rainy season and, in the last ten
days, with two ambulances in the workshop; a few data-entry mistakes (a hand-over dated
before the application, a case whose application was never recorded). A fixed seed makes
every load from the same day identical.

Two alert rules come with it, set by each agency's Pengelola Kinerja and evaluated once the
events are in: the KTP-el p90 at the Plaju counter above 48 hours two days running (true in
the shortage months, which lie in the past, so not at loading), and the emergency response
within 15 minutes below 90 % this week — true at loading whatever the day, because of the
ambulances: the head of UPTD Puskesmas Plaju (a listed demo account, the Pejabat Penilai) gets
one notification in the app. The indicators bound to these streams are the strategy demo's
(``kinerja.strategy.demo``).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from kinerja.core.actors import SYSTEM
from kinerja.core.work_calendar import load_calendar
from kinerja.organizations.models import Agency, Employee, Unit

from .ingest import Validator, catch_up
from .models import AlertRule, Event, Stream
from .services import events_ingest

#: Fix "today" for tests; None means timezone.localdate().
REFERENCE_DAY: date | None = None
DAYS = 365
BATCH = 5000
#: KTP-el: the blanko ran short twice, three and eight months before the load; in those
#: months this share of cards waits one to five days for printing.
SHORTAGE_MONTHS_AGO = (3, 8)
SHORTAGE_SHARE = 0.4
LATE_COLLECTION = 0.05  # cards collected one to four days after printing
#: Emergency response: the rainy season slows the teams down, and in the last days before
#: the load two ambulances are in the workshop (the demo's alert is about that week).
RAINY_MONTHS = {11, 12, 1, 2, 3}
TRAVEL_MINUTES = {"dry": (7.5, 2.5), "rainy": (9.0, 3.0)}  # mean and spread of the drive
INCIDENT_DAYS = 10
INCIDENT_EXTRA_MINUTES = 4.0

STREAMS = [
    {
        "code": "ktp-el",
        "name": "Penerbitan KTP-el",
        "agency": "DISDUKCAPIL",
        "stages": ["diajukan", "diverifikasi", "dicetak", "diserahkan"],
        "start_stage": "diajukan",
        "end_stage": "diserahkan",
        "sla_limit": 8,
        "sla_unit": "working_hours",
    },
    {
        "code": "gawat-darurat",
        "name": "Penanganan kegawatdaruratan (PSC 119)",
        "agency": "DINKES",
        "stages": [
            "panggilan-diterima",
            "tim-diberangkatkan",
            "tiba-di-lokasi",
            "diserahkan-ke-faskes",
        ],
        "start_stage": "panggilan-diterima",
        # The service level is the response time: from the call to the team's arrival. The
        # hand-over to a health facility comes after the case is complete and is measured with
        # from_stage/to_stage.
        "end_stage": "tiba-di-lokasi",
        "sla_limit": 15,
        "sla_unit": "minutes",
    },
]


#: Alert rules (``kinerja.streams.alerts``). Thresholds of durations are in hours here (the
#: streams' service level is in working hours, read as hours) and compare with elapsed time:
#: a KTP-el card printed the next working day already takes 24 hours or more, so the rule
#: looks for the tail of the shortage months (p90 above two days), not for the 8-hour SLA.
#: Emergency response: the share within 15 minutes, about 92 % in a normal dry-season week.
ALERT_RULES = [
    {
        "stream": "ktp-el",
        "name": "P90 waktu penerbitan KTP-el di loket Plaju di atas 48 jam dua hari berturut-turut",
        "metric": "p90_duration",
        "comparison": "above",
        "threshold": Decimal(48),
        "window": "day",
        "consecutive": 2,
        "unit": "DISDUKCAPIL-PLAJU",
    },
    {
        "stream": "gawat-darurat",
        "name": "Respon gawat darurat dalam 15 menit di bawah 90% minggu ini",
        "metric": "within_sla_pct",
        "comparison": "below",
        "threshold": Decimal(90),
        "window": "week",
        "consecutive": 1,
        "unit": "DINKES-PKM-PLAJU",
    },
]


@dataclass(frozen=True)
class Window:
    first: date
    last: date
    zone: ZoneInfo


def _window() -> Window:
    today = REFERENCE_DAY or timezone.localdate()
    return Window(
        today - timedelta(days=DAYS), today - timedelta(days=1), ZoneInfo(settings.TIME_ZONE)
    )


def _at(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _officers(position_prefix: str) -> list[str]:
    return list(
        Employee.objects.filter(position__code__startswith=position_prefix, active=True)
        .order_by("nip")
        .values_list("nip", flat=True)
    )


def shortage_months(window: Window) -> set[tuple[int, int]]:
    """The (year, month)s in which the blanko ran short: ``SHORTAGE_MONTHS_AGO`` months before
    the last day of the window — always in the past, whatever the day of loading."""
    index = window.last.year * 12 + window.last.month - 1
    return {((index - ago) // 12, (index - ago) % 12 + 1) for ago in SHORTAGE_MONTHS_AGO}


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
    operators = _officers("DISDUKCAPIL-PLAJU-OPERATOR") or [""]
    shortage = shortage_months(window)
    day = window.first
    number = 0
    while day <= window.last:
        if calendar.is_working_day(day):
            for _ in range(rng.randint(80, 140)):
                number += 1
                case = f"KTP-{day:%Y%m%d}-{number:06d}"
                unit = "DISDUKCAPIL-PLAJU" if rng.random() < 0.9 else "DISDUKCAPIL-PDP-IDENTITAS"
                start = datetime.combine(day, time(8), window.zone) + timedelta(
                    minutes=rng.randint(0, 7 * 60 + 30), seconds=rng.randint(0, 59)
                )
                verified = start + timedelta(minutes=rng.randint(5, 90))
                # The counter prints and hands over on working days only.
                if (day.year, day.month) in shortage and rng.random() < SHORTAGE_SHARE:
                    printed = _later(calendar, verified, rng.randint(1, 5), rng.randint(0, 360))
                elif rng.random() < 0.75:
                    printed = verified + timedelta(minutes=rng.randint(30, 240))
                else:
                    printed = _later(calendar, verified, 1, rng.randint(0, 300))
                handed = printed + timedelta(minutes=rng.randint(10, 150))
                if rng.random() < LATE_COLLECTION:  # collected on a later day
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
                now_cut = datetime.combine(window.last + timedelta(days=1), time(0), window.zone)
                for index, (stage, at, officer) in enumerate(steps):
                    if at >= now_cut:
                        break  # not happened yet: the case is still open
                    event = {"id": f"{case}-{index}", "case": case, "stage": stage, "at": _at(at)}
                    if stage == "diajukan" or index == 0:
                        event["unit"] = unit
                    if officer:
                        event["officer"] = officer
                    if stage == "diajukan":
                        event["attributes"] = {"channel": rng.choice(["loket", "loket", "online"])}
                    yield event
        day += timedelta(days=1)


def emergency_events(window: Window, rng: random.Random) -> Iterator[dict]:
    """Calls day and night; arrivals slow down in the rainy season (November–March) and in the
    last ``INCIDENT_DAYS`` days, with two ambulances in the workshop."""
    team = _officers("DINKES-PKM-PLAJU-PERAWAT") + _officers("DINKES-PKM-PLAJU-DOKTER") or [""]
    incident = window.last - timedelta(days=INCIDENT_DAYS - 1)
    day = window.first
    number = 0
    while day <= window.last:
        mean, spread = TRAVEL_MINUTES["rainy" if day.month in RAINY_MONTHS else "dry"]
        if day >= incident:
            mean += INCIDENT_EXTRA_MINUTES
        for _ in range(rng.randint(48, 80)):
            number += 1
            case = f"PSC-{day:%Y%m%d}-{number:06d}"
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
                    event["unit"] = "DINKES-PKM-PLAJU"
                    event["attributes"] = {
                        "kategori": rng.choice(["medis", "trauma", "persalinan"])
                    }
                if officer:
                    event["officer"] = officer
                yield event
        day += timedelta(days=1)


GENERATORS = {"ktp-el": (ktp_events, 2025), "gawat-darurat": (emergency_events, 119)}


def ensure_streams() -> list[Stream]:
    streams = []
    for spec in STREAMS:
        values = {**spec, "agency": Agency.objects.get(code=spec["agency"])}
        code = values.pop("code")
        stream, _created = Stream.objects.get_or_create(code=code, defaults=values)
        streams.append(stream)
    return streams


def ensure_alert_rules(streams: list[Stream]) -> int:
    """The demo's alert rules, set by each agency's Pengelola Kinerja when missing (by name);
    how many were created."""
    from kinerja.accounts.models import User
    from kinerja.organizations import demo as org_demo

    from .permissions import may_manage_stream
    from .services import alert_rule_save

    by_code = {s.code: s for s in streams}
    units = {u.code: u for u in Unit.objects.filter(code__in=[r["unit"] for r in ALERT_RULES])}
    created = 0
    for spec in ALERT_RULES:
        stream = by_code[spec["stream"]]
        if AlertRule.objects.filter(stream=stream, name=spec["name"]).exists():
            continue
        by = User.objects.get(
            employee__nip=org_demo.nip_for(org_demo.PENGELOLA[stream.agency.code])
        )
        if not may_manage_stream(by, stream):
            raise org_demo.DemoError(f"{by.username} may not set the alert rules of {stream.code}")
        values = {k: v for k, v in spec.items() if k != "stream"}
        values["unit"] = units[spec["unit"]] if spec["unit"] else None
        alert_rule_save(stream=stream, values=values, by=by)
        created += 1
    return created


def _now() -> datetime:
    """The moment of loading: ``REFERENCE_DAY`` at 09:00 (region time) in tests."""
    if REFERENCE_DAY is None:
        return timezone.now()
    return datetime.combine(REFERENCE_DAY, time(9), ZoneInfo(settings.TIME_ZONE))


def load() -> dict[str, int]:
    """Create the demo streams and their alert rules, and send the streams a year of events
    unless they have events; then evaluate the rules of the streams that got them (the unit
    head hears of a breach in the app; the demo sends no e-mail to its invented addresses)."""
    from .alerts import evaluate_alerts

    counts = {"streams": 0, "events": 0, "cases": 0, "alert_rules": 0, "breaches": 0}
    counts["notifications"] = 0
    window = _window()
    streams = ensure_streams()
    counts["alert_rules"] = ensure_alert_rules(streams)
    for stream in streams:
        counts["streams"] += 1
        if Event.objects.filter(stream=stream).exists():
            continue
        generate, seed = GENERATORS[stream.code]
        validator = Validator(stream)
        batch: list[dict] = []
        # Invented demo data: a seeded generator, so that every load is the same.
        for event in generate(window, random.Random(seed)):  # noqa: S311
            batch.append(event)
            if len(batch) == BATCH:
                events = validator.clean_all(batch)
                stored = events_ingest(stream=stream, events=events, by=SYSTEM, follow=False)
                counts["events"] += stored.accepted
                batch = []
        if batch:
            events = validator.clean_all(batch)
            stored = events_ingest(stream=stream, events=events, by=SYSTEM, follow=False)
            counts["events"] += stored.accepted
        stream.refresh_from_db()
        catch_up(stream)
        counts["cases"] += stream_cases(stream)
        outcome = evaluate_alerts(stream, now=_now(), mail=False)
        counts["breaches"] += len(outcome.opened)
        counts["notifications"] += outcome.notified
    return counts


def stream_cases(stream: Stream) -> int:
    from .models import Case

    return Case.objects.filter(stream=stream).count()
