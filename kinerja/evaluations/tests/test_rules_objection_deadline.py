"""The objection period (domain.md §3): an objection may be filed within 14 days of receiving the
annual predicate, counted in calendar days of the region's time (WIB): received on 2 March, it
may be filed until the end of 16 March."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from kinerja.evaluations.rules import objection_deadline, objection_open
from kinerja.skp.models import SkpCalendar
from kinerja.skp.rules import skp_calendar

WIB = ZoneInfo("Asia/Jakarta")


def wib(text: str) -> datetime:
    """'2026-03-02 10:00' in Asia/Jakarta."""
    return datetime.fromisoformat(text).replace(tzinfo=WIB)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# (what the row shows, received at, checked at, open?). Strings are WIB.
ROWS = [
    ("at the moment of receiving", "2026-03-02 10:00", "2026-03-02 10:00", True),
    ("the next day", "2026-03-02 10:00", "2026-03-03 09:00", True),
    ("the 14th day, one minute before midnight", "2026-03-02 10:00", "2026-03-16 23:59", True),
    ("the 14th day, its last microsecond", "2026-03-02 10:00", "2026-03-16 23:59:59.999999",
     True),
    ("the 15th day at midnight", "2026-03-02 10:00", "2026-03-17 00:00", False),
    ("weeks later", "2026-03-02 10:00", "2026-04-01 10:00", False),
    ("received at the first minute of the day", "2026-03-02 00:00", "2026-03-16 23:59", True),
    ("received at the first minute, day 15", "2026-03-02 00:00", "2026-03-17 00:00", False),
    # 23:30 WIB on 2 March is 16:30 UTC on 2 March: the day received is 2 March.
    ("received late evening, the 14th day", "2026-03-02 23:30", "2026-03-16 23:59", True),
    ("received late evening, the 15th day", "2026-03-02 23:30", "2026-03-17 00:00", False),
    # 06:30 WIB on 3 March is 23:30 UTC on 2 March: the day received is 3 March, not 2 March.
    ("received before 07:00 WIB, the UTC day's 15th day", utc("2026-03-02 23:30"),
     "2026-03-17 00:00", True),
    ("received before 07:00 WIB, the 14th day", utc("2026-03-02 23:30"), "2026-03-17 23:59",
     True),
    ("received before 07:00 WIB, the 15th day", utc("2026-03-02 23:30"), "2026-03-18 00:00",
     False),
    # The end of 16 March WIB is 16:59:59 UTC.
    ("checked in UTC, just before the end", "2026-03-02 10:00", utc("2026-03-16 16:59:59"), True),
    ("checked in UTC, just after the end", "2026-03-02 10:00", utc("2026-03-16 17:00"), False),
    ("across a month end", "2026-01-20 09:00", "2026-02-03 23:59", True),
    ("across a month end, day 15", "2026-01-20 09:00", "2026-02-04 00:00", False),
    ("across February", "2026-02-20 09:00", "2026-03-06 23:59", True),
    ("across February, day 15", "2026-02-20 09:00", "2026-03-07 00:00", False),
    ("across February of a leap year", "2028-02-20 09:00", "2028-03-05 23:59", True),
    ("across February of a leap year, day 15", "2028-02-20 09:00", "2028-03-06 00:00", False),
    ("across the year end", "2026-12-20 09:00", "2027-01-03 23:59", True),
    ("across the year end, day 15", "2026-12-20 09:00", "2027-01-04 00:00", False),
    ("received on New Year's Eve", "2026-12-31 23:30", "2027-01-14 23:59", True),
    ("received on New Year's Eve, day 15", "2026-12-31 23:30", "2027-01-15 00:00", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("received", "checked", "expected"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS]
)
def test_an_objection_may_be_filed_within_14_days_of_receiving_the_predicate(
    received, checked, expected
):
    received, checked = (wib(t) if isinstance(t, str) else t for t in (received, checked))
    assert objection_open(received, checked, 14) is expected


def test_the_deadline_is_the_end_of_the_14th_day_in_wib():
    deadline = objection_deadline(wib("2026-03-02 10:00"), 14)
    assert deadline == wib("2026-03-16 23:59:59.999999")
    assert deadline == utc("2026-03-16 16:59:59.999999")


def test_the_deadline_follows_the_number_of_days():
    assert objection_deadline(wib("2026-03-02 10:00"), 21) == wib("2026-03-23 23:59:59.999999")
    assert objection_open(wib("2026-03-02 10:00"), wib("2026-03-23 23:59"), 21)
    assert not objection_open(wib("2026-03-02 10:00"), wib("2026-03-24 00:00"), 21)


@pytest.mark.parametrize("checked", ["2026-01-01 00:00", "2026-03-16 23:59", "2030-01-01 00:00"])
def test_a_predicate_not_delivered_opens_no_objection(checked):
    assert objection_open(None, wib(checked), 14) is False


@pytest.mark.django_db
def test_the_calendar_gives_14_days_to_object():
    assert skp_calendar(2026).objection_days == 14


@pytest.mark.django_db
def test_a_calendar_from_2027_with_21_days_to_object_applies_from_2027_only():
    SkpCalendar.objects.create(valid_from=2027, objection_days=21)

    assert skp_calendar(2026).objection_days == 14
    assert skp_calendar(2027).objection_days == 21
    assert skp_calendar(2028).objection_days == 21
    received = wib("2027-03-02 10:00")
    days = skp_calendar(2027).objection_days
    assert objection_open(received, wib("2027-03-23 23:59"), days)
    assert not objection_open(received, wib("2027-03-24 00:00"), days)
