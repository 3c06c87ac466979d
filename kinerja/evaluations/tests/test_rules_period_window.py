"""The life of an evaluation period (issue 10, "Periods with a life"): a period of the agency's
rhythm, and the year, are upcoming until the day after they end (or N days earlier where the
year's SKP calendar says so), open until their deadline — the 5th of the next month for a
periodic evaluation, 31 January of the next year for the annual one — and closed after it.
Every day is the region's (WIB)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from kinerja.core.periods import parse_period
from kinerja.evaluations.lifecycle import CLOSED, OPEN, UPCOMING, today_of, window
from kinerja.skp.models import SkpCalendar

WIB = ZoneInfo("Asia/Jakarta")


def cal(days_before: int = 0, **kw) -> SkpCalendar:
    return SkpCalendar(valid_from=2026, rating_opens_days_before=days_before, **kw)


# (period, N days before, today, state)
ROWS = [
    # a quarter: ends 31 March, opens 1 April, due 5 April
    ("2026-Q1", 0, "2026-03-31", UPCOMING),
    ("2026-Q1", 0, "2026-04-01", OPEN),
    ("2026-Q1", 0, "2026-04-05", OPEN),
    ("2026-Q1", 0, "2026-04-06", CLOSED),
    ("2026-Q1", 0, "2026-01-01", UPCOMING),
    # N > 0: five days before the end
    ("2026-Q1", 5, "2026-03-26", UPCOMING),
    ("2026-Q1", 5, "2026-03-27", OPEN),
    ("2026-Q1", 5, "2026-03-31", OPEN),
    ("2026-Q1", 5, "2026-04-06", CLOSED),
    # the last quarter crosses into the next year
    ("2026-Q4", 0, "2026-12-07", UPCOMING),
    ("2026-Q4", 0, "2026-12-31", UPCOMING),
    ("2026-Q4", 0, "2027-01-01", OPEN),
    ("2026-Q4", 0, "2027-01-05", OPEN),
    ("2026-Q4", 0, "2027-01-06", CLOSED),
    ("2026-Q4", 7, "2026-12-24", UPCOMING),
    ("2026-Q4", 7, "2026-12-25", OPEN),
    # a month: February of a leap year, December
    ("2028-02", 0, "2028-02-29", UPCOMING),
    ("2028-02", 0, "2028-03-01", OPEN),
    ("2028-02", 0, "2028-03-05", OPEN),
    ("2028-02", 0, "2028-03-06", CLOSED),
    ("2026-12", 0, "2026-12-31", UPCOMING),
    ("2026-12", 0, "2027-01-01", OPEN),
    ("2026-12", 0, "2027-01-05", OPEN),
    ("2026-12", 0, "2027-01-06", CLOSED),
    ("2026-11", 0, "2026-12-05", OPEN),
    ("2026-11", 0, "2026-12-06", CLOSED),
    # a semester
    ("2026-S1", 0, "2026-06-30", UPCOMING),
    ("2026-S1", 0, "2026-07-01", OPEN),
    ("2026-S1", 0, "2026-07-06", CLOSED),
    ("2026-S2", 0, "2026-12-31", UPCOMING),
    ("2026-S2", 0, "2027-01-01", OPEN),
    ("2026-S2", 0, "2027-01-05", OPEN),
    ("2026-S2", 0, "2027-01-06", CLOSED),
    ("2026-S2", 10, "2026-12-21", UPCOMING),
    ("2026-S2", 10, "2026-12-22", OPEN),
    # the year: opens 1 January, due 31 January of the next year
    ("2026", 0, "2026-12-07", UPCOMING),
    ("2026", 0, "2026-12-31", UPCOMING),
    ("2026", 0, "2027-01-01", OPEN),
    ("2026", 0, "2027-01-31", OPEN),
    ("2026", 0, "2027-02-01", CLOSED),
    ("2026", 3, "2026-12-28", UPCOMING),
    ("2026", 3, "2026-12-29", OPEN),
]


@pytest.mark.parametrize(("period", "days_before", "today", "state"), ROWS)
def test_state_of_a_period_on_a_day(period, days_before, today, state):
    win = window(parse_period(period, kinds={"year", "semester", "quarter", "month"}),
                 cal(days_before), date.fromisoformat(today))  # fmt: skip
    assert win.state == state


# (period, N, opens on, deadline)
DATES = [
    ("2026-Q1", 0, "2026-04-01", "2026-04-05"),
    ("2026-Q4", 0, "2027-01-01", "2027-01-05"),
    ("2026-12", 0, "2027-01-01", "2027-01-05"),
    ("2026-S2", 0, "2027-01-01", "2027-01-05"),
    ("2026", 0, "2027-01-01", "2027-01-31"),
    ("2026-Q2", 2, "2026-06-29", "2026-07-05"),
    ("2026", 1, "2026-12-31", "2027-01-31"),
]


@pytest.mark.parametrize(("period", "days_before", "opens_on", "deadline"), DATES)
def test_opening_day_and_deadline(period, days_before, opens_on, deadline):
    win = window(parse_period(period, kinds={"year", "semester", "quarter", "month"}),
                 cal(days_before), date(2026, 1, 1))  # fmt: skip
    assert (win.opens_on, win.deadline) == (
        date.fromisoformat(opens_on),
        date.fromisoformat(deadline),
    )


def test_the_calendar_moves_the_deadlines():
    other = cal(periodic_deadline_day=10, annual_deadline_month=2, annual_deadline_day=28)
    quarter = window(parse_period("2026-Q4"), other, date(2027, 1, 10))
    year = window(parse_period("2026"), other, date(2027, 2, 28))
    assert (quarter.deadline, quarter.state) == (date(2027, 1, 10), OPEN)
    assert (year.deadline, year.state) == (date(2027, 2, 28), OPEN)


# (moment, the region's day): the deadline day lasts until 23:59 WIB, which is 16:59 UTC.
MOMENTS = [
    (datetime(2027, 1, 5, 23, 59, 59, tzinfo=WIB), "2027-01-05", OPEN),
    (datetime(2027, 1, 6, 0, 0, tzinfo=WIB), "2027-01-06", CLOSED),
    (datetime(2027, 1, 5, 16, 59, tzinfo=UTC), "2027-01-05", OPEN),
    (datetime(2027, 1, 5, 17, 0, tzinfo=UTC), "2027-01-06", CLOSED),
    # 1 January 00:30 WIB is still 31 December in UTC: the quarter is open.
    (datetime(2026, 12, 31, 17, 30, tzinfo=UTC), "2027-01-01", OPEN),
    (datetime(2026, 12, 31, 23, 59, tzinfo=WIB), "2026-12-31", UPCOMING),
]


@pytest.mark.parametrize(("moment", "day", "state"), MOMENTS)
def test_a_moment_is_read_in_the_region_time(moment, day, state):
    today = today_of(moment)
    assert today == date.fromisoformat(day)
    assert window(parse_period("2026-Q4"), cal(), today).state == state
