"""Evaluation periods (``kinerja.core.periods``: the year, a semester, a quarter or a month):
well and badly written ones, their months, dates and names; the periods of a year under each
rhythm (``kinerja.skp.rhythm.periods_of``). The deadlines of the SKP cycle:
``kinerja/skp/tests/test_rules_calendar.py``."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils.translation import override

from kinerja.core.periods import ALL_KINDS, Period, PeriodError, parse_period
from kinerja.skp.rhythm import periods_of

# (text, the period it names)
ACCEPTED = [
    ("2026", Period(2026, "year", 1)),
    ("2026-S1", Period(2026, "semester", 1)),
    ("2026-s2", Period(2026, "semester", 2)),
    ("2026-Q1", Period(2026, "quarter", 1)),
    ("2026-q4", Period(2026, "quarter", 4)),
    ("2026-Q4", Period(2026, "quarter", 4)),
    ("2026-01", Period(2026, "month", 1)),
    ("2026-12", Period(2026, "month", 12)),
    (" 2026-Q2 ", Period(2026, "quarter", 2)),
    ("2000", Period(2000)),
    ("2100-12", Period(2100, "month", 12)),
]


@pytest.mark.parametrize(("text", "period"), ACCEPTED)
def test_a_well_written_period_is_accepted(text, period):
    assert parse_period(text, kinds=ALL_KINDS) == period


FORMAT = "Write the period as YYYY, YYYY-Sn, YYYY-Qn or YYYY-MM, e.g. 2026-Q1."


YEAR = "The year must lie between 2000 and 2100."


# (text, the English message)
REJECTED = [
    ("2026-S3", "The semester must be 1 or 2."),
    ("2026-S0", "The semester must be 1 or 2."),
    ("2026-Q5", "The quarter must be 1–4."),
    ("2026-Q0", "The quarter must be 1–4."),
    ("2026-13", "The month must be 01–12."),
    ("2026-00", "The month must be 01–12."),
    ("abc", FORMAT),
    ("", FORMAT),
    (None, FORMAT),
    ("2026-1", FORMAT),
    ("2026-H1", FORMAT),
    ("2026-Q12", FORMAT),
    ("26", FORMAT),
    ("2026-", FORMAT),
    ("1999", YEAR),
    ("2101-Q1", YEAR),
]


@pytest.mark.parametrize(("text", "message"), REJECTED)
def test_a_badly_written_period_is_rejected_with_a_precise_message(text, message):
    with override("en"), pytest.raises(PeriodError) as error:
        parse_period(text, kinds=ALL_KINDS)
    assert str(error.value) == message
    assert isinstance(error.value, ValueError)


# (text, months, start, end, label, str, annual)
SHAPES = [
    ("2026", list(range(1, 13)), date(2026, 1, 1), date(2026, 12, 31), "2026", "2026", True),
    ("2026-S1", [1, 2, 3, 4, 5, 6], date(2026, 1, 1), date(2026, 6, 30), "Semester I 2026",
     "2026-S1", False),
    ("2026-S2", [7, 8, 9, 10, 11, 12], date(2026, 7, 1), date(2026, 12, 31), "Semester II 2026",
     "2026-S2", False),
    ("2026-Q1", [1, 2, 3], date(2026, 1, 1), date(2026, 3, 31), "TW I 2026", "2026-Q1", False),
    ("2026-Q2", [4, 5, 6], date(2026, 4, 1), date(2026, 6, 30), "TW II 2026", "2026-Q2", False),
    ("2026-Q3", [7, 8, 9], date(2026, 7, 1), date(2026, 9, 30), "TW III 2026", "2026-Q3", False),
    ("2026-Q4", [10, 11, 12], date(2026, 10, 1), date(2026, 12, 31), "TW IV 2026", "2026-Q4",
     False),
    ("2026-01", [1], date(2026, 1, 1), date(2026, 1, 31), "01/2026", "2026-01", False),
    ("2026-02", [2], date(2026, 2, 1), date(2026, 2, 28), "02/2026", "2026-02", False),
    ("2028-02", [2], date(2028, 2, 1), date(2028, 2, 29), "02/2028", "2028-02", False),
    ("2026-04", [4], date(2026, 4, 1), date(2026, 4, 30), "04/2026", "2026-04", False),
    ("2026-12", [12], date(2026, 12, 1), date(2026, 12, 31), "12/2026", "2026-12", False),
]  # fmt: skip


@pytest.mark.parametrize(("text", "months", "start", "end", "label", "name", "annual"), SHAPES)
def test_a_period_knows_its_months_dates_and_names(text, months, start, end, label, name, annual):
    period = parse_period(text, kinds=ALL_KINDS)
    assert period.months == months
    assert (period.start, period.end) == (start, end)
    assert period.label == label
    assert str(period) == name
    assert period.annual is annual
    assert parse_period(str(period), kinds=ALL_KINDS) == period


# (rhythm, the periods of 2026 in order)
RHYTHMS = [
    ("monthly", [f"2026-{m:02d}" for m in range(1, 13)]),
    ("quarterly", ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]),
    ("semester", ["2026-S1", "2026-S2"]),
]


@pytest.mark.parametrize(("rhythm", "names"), RHYTHMS)
def test_the_periods_of_a_year_under_each_rhythm(rhythm, names):
    periods = periods_of(rhythm, 2026)
    assert [str(p) for p in periods] == names
    # The periods cover the year once, without gaps or overlaps.
    assert [m for p in periods for m in p.months] == list(range(1, 13))
    assert periods[0].start == date(2026, 1, 1)
    assert periods[-1].end == date(2026, 12, 31)
    assert all(not p.annual for p in periods)
