"""The service-data part of the Plaju demo: a year of KTP-el issuance at the Dukcapil counter
in Plaju and of emergency calls answered by the Puskesmas Plaju team (PSC 119) — about 50,000
cases, attributed to the demo's units and officers, sent through the same validation and
storage as the HTTP API.

The numbers are invented but shaped like the real services: applications on working days,
most cards printed the same day, a blanko shortage in two months that pushes cases past the
SLA, emergency calls day and night with slower arrivals in the rainy season, a few data-entry
mistakes (a hand-over dated before the application, a case whose application was never
recorded). A fixed seed makes every load identical.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from kinerja.core.work_calendar import load_calendar
from kinerja.organizations.models import Agency, Employee

from .ingest import Validator, catch_up, store
from .models import Event, Stream

#: Fix "today" for tests; None means timezone.localdate().
REFERENCE_DAY: date | None = None
DAYS = 365
BATCH = 5000

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


def ktp_events(window: Window, rng: random.Random) -> Iterator[dict]:
    """Applications at the counter on working days; shortage months print late."""
    calendar = load_calendar()
    operators = _officers("DISDUKCAPIL-PLAJU-OPERATOR") or [""]
    shortage = {3, 8}  # blanko ran short in March and August
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
                if day.month in shortage and rng.random() < 0.5:
                    printed = verified + timedelta(days=rng.randint(2, 9), hours=rng.randint(0, 6))
                elif rng.random() < 0.75:
                    printed = verified + timedelta(minutes=rng.randint(30, 240))
                else:
                    printed = verified + timedelta(days=1, minutes=rng.randint(0, 300))
                handed = printed + timedelta(minutes=rng.randint(10, 150))
                if rng.random() < 0.12:  # collected on a later day
                    handed += timedelta(days=rng.randint(1, 4))
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
    """Calls day and night; arrivals slow down in the rainy season (November–March)."""
    team = _officers("DINKES-PKM-PLAJU-PERAWAT") + _officers("DINKES-PKM-PLAJU-DOKTER") or [""]
    day = window.first
    number = 0
    while day <= window.last:
        rainy = day.month in {11, 12, 1, 2, 3}
        for _ in range(rng.randint(45, 80)):
            number += 1
            case = f"PSC-{day:%Y%m%d}-{number:06d}"
            hour = rng.choices(range(24), weights=[2] * 6 + [5] * 12 + [3] * 6)[0]
            call = datetime.combine(day, time(hour), window.zone) + timedelta(
                minutes=rng.randint(0, 59), seconds=rng.randint(0, 59)
            )
            dispatched = call + timedelta(seconds=rng.randint(40, 360))
            travel = rng.gauss(14 if rainy else 10, 4)
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


def load() -> dict[str, int]:
    """Create the demo streams and send them a year of events, unless they have events."""
    counts = {"streams": 0, "events": 0, "cases": 0}
    window = _window()
    for stream in ensure_streams():
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
                counts["events"] += store(stream, validator.clean_all(batch), follow=False).accepted
                batch = []
        if batch:
            counts["events"] += store(stream, validator.clean_all(batch), follow=False).accepted
        stream.refresh_from_db()
        catch_up(stream)
        counts["cases"] += stream_cases(stream)
    return counts


def stream_cases(stream: Stream) -> int:
    from .models import Case

    return Case.objects.filter(stream=stream).count()
