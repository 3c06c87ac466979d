"""The deadlines of the SKP cycle, from the calendar table (``skp.SkpCalendar``, read by
``kinerja/skp/rules.py:skp_calendar``; domain.md §3): plan approved by 31 January, the
administrator may draft a missing plan after the second week of January, periodic evaluation by
the 5th of the next month, annual evaluation by a date set each year — 31 January by default; a
newer calendar applies from its year."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja.skp.models import SkpCalendar
from kinerja.skp.rhythm import periods_of
from kinerja.skp.rules import (
    admin_may_draft_from,
    annual_deadline,
    periodic_deadline,
    plan_deadline,
    skp_calendar,
)

# --- The deadlines of the SKP cycle ------------------------------------------------------------


@pytest.fixture
def cal(db):
    return skp_calendar(2026)


def test_the_plan_is_due_by_31_january(cal):
    assert plan_deadline(2026) == date(2026, 1, 31)
    assert plan_deadline(2027, cal) == date(2027, 1, 31)


def test_the_administrator_may_draft_a_missing_plan_from_15_january(cal):
    assert admin_may_draft_from(2026) == date(2026, 1, 15)
    assert admin_may_draft_from(2027, cal) == date(2027, 1, 15)


# (end of the period, the periodic evaluation is due by)
PERIODIC = [
    (date(2026, 1, 31), date(2026, 2, 5)),
    (date(2026, 2, 28), date(2026, 3, 5)),
    (date(2026, 3, 31), date(2026, 4, 5)),
    (date(2026, 6, 30), date(2026, 7, 5)),
    (date(2026, 11, 30), date(2026, 12, 5)),
    (date(2026, 12, 31), date(2027, 1, 5)),
]


@pytest.mark.parametrize(("period_end", "due"), PERIODIC)
def test_a_periodic_evaluation_is_due_by_the_5th_of_the_next_month(cal, period_end, due):
    assert periodic_deadline(period_end, cal) == due


@pytest.mark.parametrize("rhythm", ["monthly", "quarterly", "semester"])
def test_every_period_of_a_rhythm_is_due_in_the_next_month(cal, rhythm):
    for period in periods_of(rhythm, 2026):
        due = periodic_deadline(period.end, cal)
        assert due.day == 5
        assert (due.year * 12 + due.month) - (period.end.year * 12 + period.end.month) == 1


def test_the_annual_evaluation_is_due_by_31_january_of_the_next_year(cal):
    assert annual_deadline(2026, cal) == date(2027, 1, 31)


def test_a_calendar_from_2027_applies_from_2027_and_days_past_the_month_end_are_clamped(db):
    SkpCalendar.objects.create(
        valid_from=2027,
        plan_deadline_month=2,
        plan_deadline_day=30,
        admin_draft_after_day=7,
        periodic_deadline_day=31,
        annual_deadline_month=2,
        annual_deadline_day=29,
    )
    new, old = skp_calendar(2027), skp_calendar(2026)

    assert plan_deadline(2026) == date(2026, 1, 31)
    assert plan_deadline(2027) == date(2027, 2, 28)
    assert plan_deadline(2028) == date(2028, 2, 29)
    assert admin_may_draft_from(2026) == date(2026, 1, 15)
    assert admin_may_draft_from(2027) == date(2027, 1, 8)
    assert periodic_deadline(date(2027, 1, 31), new) == date(2027, 2, 28)
    assert periodic_deadline(date(2027, 3, 31), new) == date(2027, 4, 30)
    assert periodic_deadline(date(2027, 3, 31), old) == date(2027, 4, 5)
    assert annual_deadline(2027, new) == date(2028, 2, 29)
    assert annual_deadline(2028, new) == date(2029, 2, 28)
