"""The SKP calendar in force for a year (domain.md §3, [param]) and the deadlines it gives."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from kinerja.core.rules import in_force, row_in_force

from .models import BehaviourValue, SkpCalendar


def skp_calendar(year: int) -> SkpCalendar:
    """The SKP calendar in force in ``year`` (the defaults when no row is)."""
    return row_in_force(SkpCalendar, year) or SkpCalendar(valid_from=year)


def behaviour_values(year: int) -> list[BehaviourValue]:
    """The seven core values (BerAKHLAK) in force in ``year``, in order (one query)."""
    return list(in_force(BehaviourValue, year).order_by("order"))


def _day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def plan_deadline(year: int, cal: SkpCalendar | None = None) -> date:
    """The plan of ``year`` must be approved by this day (default 31 January)."""
    cal = cal or skp_calendar(year)
    return _day(year, cal.plan_deadline_month, cal.plan_deadline_day)


def admin_may_draft_from(year: int, cal: SkpCalendar | None = None) -> date:
    """From this day the performance administrator may draft a missing plan (default: after
    the second week of January, so 15 January)."""
    cal = cal or skp_calendar(year)
    return _day(year, 1, cal.admin_draft_after_day + 1)


def periodic_deadline(period_end: date, cal: SkpCalendar) -> date:
    """A periodic evaluation is due by the ``periodic_deadline_day`` of the next month."""
    year, month = (
        (period_end.year + 1, 1)
        if period_end.month == 12
        else (period_end.year, period_end.month + 1)
    )
    return _day(year, month, cal.periodic_deadline_day)


def annual_deadline(year: int, cal: SkpCalendar) -> date:
    return _day(year + 1, cal.annual_deadline_month, cal.annual_deadline_day)


def rating_opens(period_end: date, cal: SkpCalendar) -> date:
    """A period (or the year) may be rated from the day after it ends, or
    ``rating_opens_days_before`` days earlier where the year's calendar says so."""
    return period_end + timedelta(days=1 - cal.rating_opens_days_before)
