"""Working time (service-data-api.md, "Streams"): Monday–Friday 08:00–16:00 Asia/Jakarta,
minus Indonesia's national public holidays and the region's own days off; a duration in working
hours counts only the time inside working time."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kinerja.core.models import DayOff, WorkingHours
from kinerja.core.work_calendar import WorkCalendar, load_calendar
from kinerja.streams.tests import reference as ref

ZONE = ZoneInfo("Asia/Jakarta")
HOUR = 3_600_000
MINUTE = 60_000


def calendar(days_off=(), *, national=True) -> WorkCalendar:
    return WorkCalendar(
        weekdays=frozenset({1, 2, 3, 4, 5}),
        starts=time(8),
        ends=time(16),
        national=national,
        days_off=frozenset(days_off),
        zone=ZONE,
    )


def wib(text: str) -> datetime:
    """'2026-01-05 09:00' or '2026-01-05 09:00:00.001', Asia/Jakarta."""
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


# (what the row shows, start, end (Asia/Jakarta unless written otherwise), days off, expected
# milliseconds)
ROWS = [
    ("within one day", "2026-01-05 09:00", "2026-01-05 11:30", (), 2 * HOUR + 30 * MINUTE),
    ("a whole working day", "2026-01-05 08:00", "2026-01-05 16:00", (), 8 * HOUR),
    ("before opening to after closing", "2026-01-05 06:00", "2026-01-05 18:00", (), 8 * HOUR),
    ("start before opening", "2026-01-05 07:00", "2026-01-05 09:15", (), HOUR + 15 * MINUTE),
    ("end after closing", "2026-01-05 15:00", "2026-01-05 23:59", (), HOUR),
    ("closing to next opening", "2026-01-05 16:00", "2026-01-06 08:00", (), 0),
    ("overnight", "2026-01-05 15:30", "2026-01-06 08:30", (), HOUR),
    ("across a weekend", "2026-01-09 14:00", "2026-01-12 10:00", (), 4 * HOUR),
    ("only a weekend", "2026-01-10 09:00", "2026-01-11 15:00", (), 0),
    # Monday 17 August 2026 is Independence Day.
    ("across Independence Day", "2026-08-14 15:00", "2026-08-18 09:00", (), 2 * HOUR),
    ("on Independence Day", "2026-08-17 08:00", "2026-08-17 16:00", (), 0),
    # Friday 16 January 2026 is Isra' Mi'raj: Thursday 15:00 to Monday 09:00.
    ("a holiday next to a weekend", "2026-01-15 15:00", "2026-01-19 09:00", (), 2 * HOUR),
    (
        "a day off of the region after a holiday",
        "2026-08-14 15:00", "2026-08-19 09:00", (date(2026, 8, 18),), 2 * HOUR,
    ),
    ("a day off on a weekend changes nothing", "2026-01-09 14:00", "2026-01-12 10:00",
     (date(2026, 1, 10),), 4 * HOUR),
    ("end before start", "2026-01-05 11:00", "2026-01-05 09:00", (), 0),
    ("end at start", "2026-01-05 11:00", "2026-01-05 11:00", (), 0),
    ("one millisecond", "2026-01-05 09:00:00", "2026-01-05 09:00:00.001", (), 1),
    ("milliseconds either side of the night", "2026-01-05 15:59:59.999",
     "2026-01-06 08:00:00.001", (), 2),
    ("instants written in UTC", datetime(2026, 1, 5, 1, 0, tzinfo=UTC),
     datetime(2026, 1, 5, 9, 0, tzinfo=UTC), (), 8 * HOUR),
    # June 2026: 20 working days (1 June Pancasila, 16 June Islamic New Year); July: 23;
    # August: 19 (17 August Independence Day, 25 August the Prophet's Birthday).
    ("a case open for three months", "2026-06-01 00:00", "2026-09-01 00:00", (),
     62 * 8 * HOUR),
    ("the year 2026", "2026-01-01 00:00", "2027-01-01 00:00", (), 248 * 8 * HOUR),
    ("across New Year's Day", "2025-12-31 15:00", "2026-01-02 09:00", (), 2 * HOUR),
]  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "days_off", "expected"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_working_time_between_two_instants(start, end, days_off, expected):
    start, end = (wib(t) if isinstance(t, str) else t for t in (start, end))
    assert calendar(days_off).working_ms(start, end) == expected


def test_without_national_holidays_a_holiday_is_a_working_day():
    assert calendar(national=False).working_ms(
        wib("2026-08-17 08:00"), wib("2026-08-17 16:00")
    ) == (8 * HOUR)


def test_working_time_is_additive():
    cal = calendar((date(2026, 3, 20),))
    a, b, c = wib("2026-03-13 10:17:03.250"), wib("2026-03-18 13:00"), wib("2026-04-07 08:59")
    assert cal.working_ms(a, c) == cal.working_ms(a, b) + cal.working_ms(b, c)


def test_working_time_equals_the_reference_for_random_instants():
    days_off = (date(2026, 3, 20), date(2026, 3, 23), date(2026, 12, 24))
    cal = calendar(days_off)
    reference = ref.Calendar(days_off=frozenset(days_off))
    rng = random.Random(2026)
    base = ref.local_midnight(date(2026, 1, 1))
    for _ in range(400):
        start = base + rng.randrange(365 * 86_400_000) * 1000
        end = (
            start
            + rng.choice([rng.randrange(10 * 3_600_000), rng.randrange(60 * 86_400_000)]) * 1000
        )
        expected_us = reference.working_us(start, end)
        assert cal.working_ms(ref.to_datetime(start), ref.to_datetime(end)) == expected_us // 1000


@pytest.mark.django_db
def test_the_calendar_loaded_from_the_database_has_the_regions_days_off():
    DayOff.objects.create(date=date(2026, 8, 18), name="Cuti bersama")
    cal = load_calendar()
    assert cal.working_ms(wib("2026-08-14 15:00"), wib("2026-08-19 09:00")) == 2 * HOUR
    assert not cal.is_working_day(date(2026, 8, 18))
    assert not cal.is_working_day(date(2026, 8, 17))
    assert cal.is_working_day(date(2026, 8, 19))


@pytest.mark.django_db
def test_the_default_working_hours_are_monday_to_friday_eight_to_four():
    cal = load_calendar()
    assert cal.weekdays == frozenset({1, 2, 3, 4, 5})
    assert (cal.starts, cal.ends, cal.national) == (time(8), time(16), True)


@pytest.mark.django_db
def test_the_configured_working_hours_apply():
    WorkingHours.objects.all().delete()
    WorkingHours.objects.create(
        weekdays="1,2,3,4,5,6", starts=time(7, 30), ends=time(15, 30), national_holidays=False
    )
    cal = load_calendar()
    saturday = wib("2026-01-10 07:00"), wib("2026-01-10 16:00")
    assert cal.working_ms(*saturday) == 8 * HOUR
    assert cal.working_ms(wib("2026-08-17 07:00"), wib("2026-08-17 08:00")) == 30 * MINUTE


def test_a_case_open_for_ten_years_equals_the_reference():
    cal = calendar()
    start, end = wib("2020-01-01 00:00"), wib("2030-01-01 00:00")
    assert (
        cal.working_ms(start, end)
        == ref.Calendar().working_us(ref.parse_at(start.isoformat()), ref.parse_at(end.isoformat()))
        // 1000
    )
    assert timedelta(milliseconds=cal.working_ms(start, end)) > timedelta(days=800)
