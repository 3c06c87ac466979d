"""Test data for bound indicators and alerts: a stream of Dinas Kesehatan (the personas'
agency) with seeded cases spread over days, units and officers, stored through the same
validation and storage as the API, then merged into cases."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from kinerja.accounts.models import ApiToken, hash_token, new_token_secret
from kinerja.streams.ingest import Validator, catch_up, store
from kinerja.streams.models import Stream

ZONE = ZoneInfo("Asia/Jakarta")
STAGES = ["diterima", "berangkat", "tiba"]


def make_stream(agency, code: str = "gawat-darurat", *, sla_limit="15", sla_unit="minutes"):
    return Stream.objects.create(
        code=code,
        name="Penanganan kegawatdaruratan",
        agency=agency,
        stages=STAGES,
        start_stage="diterima",
        end_stage="tiba",
        sla_limit=Decimal(sla_limit),
        sla_unit=sla_unit,
    )


def case_events(
    key: str,
    start: datetime,
    minutes: float | None,
    *,
    unit: str | None = None,
    officer: str | None = None,
) -> list[dict]:
    """A case that starts at ``start`` and (unless ``minutes`` is None) arrives after
    ``minutes``, departing half-way."""
    events = [_event(key, "diterima", start, unit, officer)]
    if minutes is not None:
        events.append(_event(key, "berangkat", start + timedelta(minutes=minutes / 2), None, None))
        events.append(_event(key, "tiba", start + timedelta(minutes=minutes), None, officer))
    return events


def _event(key, stage, at: datetime, unit, officer) -> dict:
    event = {"id": f"{key}-{stage}", "case": key, "stage": stage, "at": at.isoformat()}
    if unit:
        event["unit"] = unit
    if officer:
        event["officer"] = officer
    return event


def send(stream: Stream, events: list[dict]) -> None:
    """Store and merge into cases (``db`` tests do not run on-commit callbacks)."""
    for i in range(0, len(events), 1000):
        store(stream, Validator(stream).clean_all(events[i : i + 1000]))
    catch_up(stream)
    stream.refresh_from_db()


def local(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE).astimezone(UTC)


def seeded_year(
    stream: Stream,
    year: int,
    *,
    units: list[str],
    officers: list[str],
    n: int = 300,
    seed=7,
    prefix="C",
) -> None:
    """``n`` cases spread over ``year``: durations from 3 to 40 minutes, some still open,
    units and officers drawn from the lists (and sometimes none)."""
    rng = random.Random(seed)
    events: list[dict] = []
    first = date(year, 1, 1)
    for i in range(n):
        day = first + timedelta(days=rng.randrange(365))
        start = local(day, rng.randrange(0, 23), rng.randrange(60))
        minutes = None if rng.random() < 0.05 else rng.randrange(3, 40) + rng.random()
        events += case_events(
            f"{prefix}{i:04d}",
            start,
            minutes,
            unit=rng.choice([*units, None]),
            officer=rng.choice([*officers, None]),
        )
    send(stream, events)


def api_token(name: str, *, user=None, streams=()) -> tuple[ApiToken, str]:
    """A token and its secret, as ``token_create`` stores them (test data, not an operation):
    a service application's with ``streams``, a personal one with ``user``."""
    secret = new_token_secret()
    token = ApiToken.objects.create(
        name=name, user=user, token_hash=hash_token(secret), hint=secret[:8]
    )
    token.streams.set(streams)
    return ApiToken.objects.get(pk=token.pk), secret
